/**
 * Node clocks against the syslog host's: each node name's median of (received − stamped), as
 * the bundle's info, its warnings and `pexlens info` give them, held against the same median
 * taken over every line of a generated log with one node's clock 47 s behind.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { nodeClocks } from '../../electron/engine/correlate/clock.ts';
import { generateLog } from '../generator/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-clocks-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;

const HEAD = /^(\S+) (\S+) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) /;

/** Each syslog host name's median of (received − stamped) over every line that has both. */
function reference(text: string): Map<string, number> {
  const by = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = HEAD.exec(line);
    if (!m) continue;
    const received = Date.parse(m[1]!);
    const stamped = Date.parse(`${m[3]}T${m[4]}.${m[5]}Z`);
    if (!Number.isFinite(received) || !Number.isFinite(stamped)) continue;
    let list = by.get(m[2]!);
    if (!list) by.set(m[2]!, (list = []));
    list.push(received - stamped);
  }
  return new Map([...by].map(([node, l]) => [node, l.sort((a, b) => a - b)[l.length >> 1]!]));
}

test("a node's clock is measured against the syslog host's, said in the bundle's info, and warned of when seconds off", async () => {
  const opts = { seed: 5, calls: 40 };
  const plain = generateLog(opts).text.toString('latin1');
  const skewed = generateLog({ ...opts, clockOff: { node: 'pxnode-osl-01', behindMs: 47_000 } }).text.toString('latin1');
  // only that node's stamps differ
  const a = plain.split('\n');
  const b = skewed.split('\n');
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) {
    if (a[k] === b[k]) continue;
    const [x, y] = [HEAD.exec(a[k]!), HEAD.exec(b[k]!)];
    assert.ok(x && y && ['pxnode-osl-01', '10.46.10.7'].includes(x[2]!), `line ${k + 1} differs only on the skewed node`);
    assert.equal(a[k]!.slice(x[0].length), b[k]!.slice(y[0].length), `line ${k + 1}: the rest is the same`);
  }

  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, skewed, 'latin1');
  const session = await openBundle([file]);
  const ref = reference(skewed);
  const clocks = nodeClocks(session.store);
  assert.deepEqual(clocks.map((c) => c.node).sort(), [...ref.keys()].sort());
  // the engine takes a sample of each node's lines: its median is within a few ms of the whole one's
  for (const c of clocks) assert.ok(Math.abs(c.offsetMs - ref.get(c.node)!) < 50, `${c.node}: ${c.offsetMs} ms against ${ref.get(c.node)} ms`);
  assert.deepEqual(clocks.slice(0, 2).map((c) => c.node).sort(), ['10.46.10.7', 'pxnode-osl-01'], 'the farthest off first');
  assert.ok(clocks[0]!.offsetMs > 46_000 && clocks[0]!.offsetMs < 48_000);

  // one warning, for that node under both its names; none for the others (their clocks are within 1.5 s)
  const warned = session.warnings.filter((w) => /its clock is/.test(w));
  assert.equal(warned.length, 1, warned.join('\n'));
  assert.match(warned[0]!, /^(pxnode-osl-01 \/ 10\.46\.10\.7|10\.46\.10\.7 \/ pxnode-osl-01): its clock is 4[67]\.\d s behind the time its lines were received/);
  const unskewed = await openBundle([((p) => (writeFileSync(p, plain, 'latin1'), p))(join(tmp, 'plain.log'))]);
  assert.deepEqual(unskewed.warnings.filter((w) => /its clock is/.test(w)), []);

  // pexlens info: a line per node name, and the same figures in --json
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'info', file, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  const json = JSON.parse(run('--json')) as { clocks: Array<{ node: string; offsetMs: number }> };
  assert.deepEqual(json.clocks, clocks);
  const text = run();
  for (const c of clocks) assert.ok(text.includes(`  ${c.node}: ${(Math.abs(c.offsetMs) / 1000).toFixed(Math.abs(c.offsetMs) < 10_000 ? 2 : 1)} s ${c.offsetMs >= 0 ? 'behind' : 'ahead'}\n`), `info names ${c.node}'s clock`);
});
