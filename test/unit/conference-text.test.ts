/**
 * One conference as text (shared/conference-text.ts), as `pexlens conference` prints it and the
 * conference view copies it, on a generated log: its figures from its row, a participant line per
 * call by when it joined, then the alarms and the nodes out of contact under them, the same the
 * app's conference view shows; a name that is no conference's is refused with the names like it.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import type { CallSummary, ConferenceParts, DialOut } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-conference-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_FROM_SOURCE: '1' };

test("pexlens conference: its figures, its participants by when they joined and how each went, its dial-outs, the alarms and the nodes out of contact under them, as the app's conference view has them", async () => {
  const { text, truth } = generateLog({ seed: 29, targetBytes: 3_000_000, dialOuts: true });
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  // a conference name with several calls, alarms and a loss of contact under them
  const names = [...new Set(truth.calls.map((c) => c.conference).filter((n): n is string => n !== null))];
  let picked: { name: string; losses: number } | null = null;
  for (const name of names) {
    const losses = (await api.conferenceContactLosses({ conference: name })).length;
    if (losses && (!picked || losses > picked.losses)) picked = { name, losses };
  }
  assert.ok(picked, 'a conference with its nodes out of contact');
  const name = picked.name;
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'conference', file, '--conference', name, '--no-cache', ...args], { env }).toString();
  const parts = JSON.parse(run('--json')) as ConferenceParts;
  // the app's own answers for the conference view
  assert.deepEqual(parts, JSON.parse(JSON.stringify(await api.conferenceSummary({ conference: name }))));
  const listed = (await api.calls({ conference: name, offset: 0, limit: 10_000 })).rows;
  assert.deepEqual(parts.calls.map((c) => c.id).sort(), listed.map((c) => c.id).sort());
  assert.deepEqual(parts.alarms, await api.conferenceAlarms({ conference: name }));
  assert.deepEqual(parts.contactLosses, await api.conferenceContactLosses({ conference: name }));
  assert.deepEqual(parts.row, (await api.conferenceList()).find((r) => r.name === name), 'its row of the conference list');
  // the truth's calls of that conference
  assert.equal(parts.row.calls, truth.calls.filter((c) => c.conference === name).length);

  const lines = run().trimEnd().split('\n');
  const r = parts.row;
  assert.equal(lines[0], `Conference ${name}${r.serviceTag ? ` (tag ${r.serviceTag})` : ''}: ${r.calls} call(s), ${r.failed} failed, ${r.poorMedia} with poor media, most at once ${r.peak}; ${r.instances} instance(s)`);
  const utc = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  assert.ok(lines[1]!.startsWith(`  from ${utc(r.start!)} to ${utc(r.end!)} (`), lines[1]);
  assert.equal(lines[2], 'Participants, by when they joined:');
  const people = lines.slice(3, 3 + r.calls);
  const byStart = [...parts.calls].sort((a, b) => a.start!.localeCompare(b.start!));
  for (const [k, c] of byStart.entries()) {
    assert.ok(people[k]!.startsWith(`  ${utc(c.start!)}`), people[k]);
    assert.ok(people[k]!.includes(` ${c.protocol} `), people[k]);
    assert.ok(people[k]!.endsWith(c.failed ? `FAILED${c.failReason ? `: ${c.failReason}` : ''}` : `ended: ${c.disconnectReason}`), people[k]);
  }
  const rest = lines.slice(3 + r.calls);
  const alarmsAt = rest.indexOf("Alarms on its calls' nodes while they were up:");
  const lostAt = rest.indexOf('Its nodes out of contact while calls on both were up:');
  // after its dial-outs, if any (checked below)
  assert.equal(alarmsAt, parts.alarms.length ? (parts.dialOuts.length ? parts.dialOuts.length + 1 : 0) : -1);
  assert.equal(rest.length - lostAt - 1, parts.contactLosses.length);
  for (const [k, l] of parts.contactLosses.entries()) assert.ok(rest[lostAt + 1 + k]!.startsWith(`  ${l.from} could not reach ${l.to} `), rest[lostAt + 1 + k]);

  // a conference its nodes dialled out of: each dial-out, what it called, what it became (the conference view's table)
  let dialled: { name: string; dialOuts: DialOut[]; calls: CallSummary[] } | null = null;
  for (const n of names) {
    const d = await api.dialOuts({ conference: n });
    if (d.dialOuts.length > (dialled?.dialOuts.length ?? 0)) dialled = { name: n, ...d };
  }
  assert.ok(dialled, 'a conference with dial-outs');
  const withDials = JSON.parse(execFileSync(process.execPath, [cli, 'conference', file, '--conference', dialled.name, '--no-cache', '--json'], { env }).toString()) as ConferenceParts;
  assert.deepEqual(withDials.dialOuts, dialled.dialOuts);
  const dialText = execFileSync(process.execPath, [cli, 'conference', file, '--conference', dialled.name, '--no-cache'], { env }).toString().split('\n');
  const d0 = dialText.indexOf('Dial-outs placed from it:');
  assert.ok(d0 > 0, dialText.join('\n'));
  for (const [k, d] of dialled.dialOuts.entries()) {
    const line = dialText[d0 + 1 + k]!;
    const placed = dialled.calls.find((c) => c.id === d.call);
    assert.ok(line.startsWith(`  ${utc(d.time)}`) && line.includes(` ${d.node} called ${d.alias}`), line);
    assert.ok(line.endsWith(placed ? (placed.failed ? `: failed: ${placed.failReason}` : ': connected, ' + line.split(': connected, ')[1]) : ': no call in the log'), line);
  }
  assert.ok(dialled.dialOuts.some((d) => d.call !== null), 'a dial-out that became a call');

  // no such conference: refused, with the names holding the words
  const part = name.split(' ').at(-1)!;
  const bad = spawnSync(process.execPath, [cli, 'conference', file, '--conference', part.slice(1), '--no-cache'], { env });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr.toString(), new RegExp(`no call of a conference of that name or Conference-ID; conferences with '${part.slice(1)}' in them: .*${name}`));
});
