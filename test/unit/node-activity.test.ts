/**
 * Each node's lines over time and its longest silence (lines/node-activity.ts), on a generated log
 * with one node's lines cut out of a stretch, against the file's text; and each node's
 * application starts (correlate/node-starts.ts).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { nodeActivity } from '../../electron/engine/lines/node-activity.ts';
import { nodeStarts } from '../../electron/engine/correlate/node-starts.ts';
import { nodeAddresses } from '../../electron/engine/correlate/node-addresses.ts';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-activity-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test("nodes over time: each node's lines per stretch, and its longest silence, a node cut off for a while among them", async () => {
  const all = generateLog({ seed: 23, calls: 120, damaged: false }).text.toString('latin1').split('\n').filter(Boolean);
  const timeOf = (l: string) => Date.parse(l.slice(0, l.indexOf(' ')));
  const hostOf = (l: string) => l.split(' ')[1]!;
  const [t0, t1] = [timeOf(all[0]!), timeOf(all.at(-1)!)];
  // pxnode-osl-01 heard nothing of from 30 % to 55 % of the day
  const cut = [t0 + 0.3 * (t1 - t0), t0 + 0.55 * (t1 - t0)];
  const lines = all.filter((l) => !(hostOf(l) === 'pxnode-osl-01' && timeOf(l) >= cut[0]! && timeOf(l) < cut[1]!));
  const file = join(tmp, 'cut-off.log');
  writeFileSync(file, lines.join('\n') + '\n', 'latin1');
  const store = (await openBundle([file])).store;
  const a = nodeActivity(store, 40);
  const hosts = [...new Set(lines.map(hostOf))];
  assert.deepEqual(new Set(a.nodes.map((x) => x.node)), new Set(hosts));
  const w = (t1 - t0) / 40;
  for (const x of a.nodes) {
    const times = lines.filter((l) => hostOf(l) === x.node).map(timeOf).sort((p, q) => p - q);
    const per = new Array<number>(40).fill(0);
    for (const t of times) per[Math.min(39, Math.floor((t - t0) / w))]!++;
    assert.deepEqual(x.lines, per, `${x.node}: lines per stretch`);
    const bounds = [t0, ...times, t1];
    let ms = 0;
    for (let k = 1; k < bounds.length; k++) ms = Math.max(ms, bounds[k]! - bounds[k - 1]!);
    assert.equal(x.silence.ms, ms, `${x.node}: longest silence`);
  }
  // pexlens info says the same: --json, and a line per node
  const info = (...args: string[]) => execFileSync(process.execPath, [cli, 'info', file, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const quiet = (JSON.parse(info('--json')) as { quiet: Array<{ node: string; lines: number; silence: { ms: number } }> }).quiet;
  for (const q of quiet) {
    assert.equal(q.lines, lines.filter((l) => hostOf(l) === q.node).length, `info --json: ${q.node}'s lines`);
    assert.equal(q.silence.ms, a.nodes.find((x) => x.node === q.node)!.silence.ms);
  }
  assert.match(info(), /\n {2}pxnode-osl-01: \d+ lines; none for \d+ min \d\d s, 2026-05-14 [\d:.]+ \.\. 2026-05-14 [\d:.]+\n/);
  const osl = a.nodes.find((x) => x.node === 'pxnode-osl-01')!;
  assert.ok(Date.parse(osl.silence.from) < cut[0]! && Date.parse(osl.silence.to) >= cut[1]!, `the silence covers the cut: ${JSON.stringify(osl.silence)}`);
  for (let b = Math.ceil((cut[0]! - t0) / w); b < Math.floor((cut[1]! - t0) / w); b++) assert.equal(osl.lines[b], 0, `nothing in stretch ${b}`);
});

test("application starts: each node's 'Starting Infinity application.' with its version, in info and the overview's summary; versions that differ are said", async () => {
  const text = generateLog({ seed: 29, targetBytes: 3_000_000 }).text.toString('latin1');
  // a second start on another node, on a newer version (an upgrade half done)
  const lines = text.split('\n').filter(Boolean);
  const mid = lines[Math.floor(lines.length / 2)]!;
  const iso = mid.slice(0, mid.indexOf(' '));
  const upgraded = `${iso} pxnode-osl-01 ${iso.slice(0, 10)} ${iso.slice(11, 23).replace('.', ',')} Level="INFO" Name="administrator.system" Message="Starting Infinity application." Pid="6361" Version="35 (80101.0.0)"`;
  lines.splice(Math.floor(lines.length / 2) + 1, 0, upgraded);
  const file = join(tmp, 'starts.log');
  writeFileSync(file, lines.join('\n') + '\n', 'latin1');
  // a plain reading: the lines that say so, their sender, time, version and pid
  const want = lines
    .map((l, k) => ({ l, k }))
    .filter(({ l }) => l.includes(' Name="administrator.system" Message="Starting Infinity application."'))
    .map(({ l, k }) => ({ node: l.split(' ')[1]!, time: new Date(Date.parse(l.slice(0, l.indexOf(' ')))).toISOString(), version: / Version="([^"]*)"/.exec(l)?.[1] ?? null, pid: / Pid="([^"]*)"/.exec(l)?.[1] ?? null, line: k }));
  assert.ok(want.length >= 2 && new Set(want.map((w) => w.version)).size === 2, 'starts on two versions');
  const store = (await openBundle([file])).store;
  assert.deepEqual(nodeStarts(store), want);
  const info = (...args: string[]) => execFileSync(process.execPath, [cli, 'info', file, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  assert.deepEqual((JSON.parse(info('--json')) as { starts: unknown }).starts, want);
  const printed = info();
  for (const w of want) assert.ok(printed.includes(`\n  ${w.node} started at ${w.time.replace('T', ' ').replace('Z', '')}, version ${w.version}, pid ${w.pid}\n`), w.node);
  assert.match(printed, /\n {2}versions differ: 34 \(78612\.0\.0\), 35 \(80101\.0\.0\)\n/);
});

test("a node heard under its host name and its address: its SIP lines' own address ties the two", async () => {
  const { text, truth } = generateLog({ seed: 29, targetBytes: 3_000_000 });
  const file = join(tmp, 'names.log');
  writeFileSync(file, text);
  // a plain reading: each host-named sender's SIP lines, the address they give it (a sent message's
  // source, a received one's destination)
  const own = new Map<string, Map<string, number>>();
  for (const l of text.toString('latin1').split('\n')) {
    const sender = l.split(' ')[1] ?? '';
    if (!l.includes(' Name="support.sip" ') || /^[\d.]+$/.test(sender)) continue;
    const a = l.includes(' Message="Sending SIP message"') ? / Src-Address="([^"]+)"/.exec(l)?.[1] : l.includes(' Message="Received SIP message"') ? / Dst-Address="([^"]+)"/.exec(l)?.[1] : undefined;
    if (!a) continue;
    const m = own.get(sender) ?? new Map<string, number>();
    m.set(a, (m.get(a) ?? 0) + 1);
    own.set(sender, m);
  }
  const found = nodeAddresses((await openBundle([file])).store);
  assert.ok(found.length >= 2, 'host names with addresses');
  for (const f of found) {
    const counts = [...own.get(f.node)!].sort((a, b) => b[1] - a[1]);
    assert.equal(f.address, counts[0]![0], `${f.node}: its SIP lines' address`);
    // the generator's own record of which names are one node
    assert.equal(truth.nodeForms[f.address], truth.nodeForms[f.node], `${f.node} and ${f.address} are one node`);
  }
  // every host name that sends SIP lines is found (each node has one address here); one with none (the management node) is not
  assert.deepEqual(found.map((f) => f.node).sort(), [...own.keys()].sort());
  assert.ok(!found.some((f) => f.node === 'pxmgr01'));
  const info = execFileSync(process.execPath, [cli, 'info', file, '--no-cache', '--json'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  assert.deepEqual((JSON.parse(info) as { addresses: unknown }).addresses, found);
});

test("a call whose node's application started while it was up says so: in its trace, its report and the app's call trace", async () => {
  const { text, truth } = generateLog({ seed: 29, targetBytes: 3_000_000 });
  const file = join(tmp, 'restart.log');
  writeFileSync(file, text);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  // the restarts, and the calls up then on that node (the generator's record ties its names)
  const starts = text.toString('latin1').split('\n').filter((l) => l.includes(' Message="Starting Infinity application."'));
  assert.ok(starts.length > 0);
  const calls = JSON.parse(run('calls', file, '--json')) as Array<{ id: string; start: string | null; end: string | null; signalingNode: string | null; mediaNode: string | null }>;
  const during = (c: (typeof calls)[number]) =>
    starts.filter((l) => {
      const t = new Date(Date.parse(l.slice(0, l.indexOf(' ')))).toISOString();
      const host = truth.nodeForms[l.split(' ')[1]!];
      return c.start && t >= c.start && t <= (c.end ?? c.start) && [c.signalingNode, c.mediaNode].some((n) => n && truth.nodeForms[n] === host);
    });
  const hit = calls.filter((c) => during(c).length > 0);
  const missed = calls.filter((c) => c.start && during(c).length === 0);
  assert.ok(hit.length > 0, 'calls up on a node as it restarted');
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  for (const c of [...hit.slice(0, 3), ...missed.slice(0, 2)]) {
    const want = during(c).map((l) => new Date(Date.parse(l.slice(0, l.indexOf(' ')))).toISOString());
    const traced = JSON.parse(run('trace', file, '--call', c.id, '--json')) as { restarts?: Array<{ time: string }> };
    assert.deepEqual((traced.restarts ?? []).map((s) => s.time), want, `${c.id}: its trace`);
    assert.deepEqual(((await api.callTrace({ id: c.id }))!.restarts ?? []).map((s) => s.time), want, `${c.id}: the app's trace`);
    const report = run('export', file, '--call', c.id, '--format', 'text', '-o', '-');
    assert.equal(/\n {2}Restart \.+ \S+ started at [\d-]+ [\d:.]+, version [^\n]+, while the call was up\n/.test(report), want.length > 0, `${c.id}: its report`);
  }
});
