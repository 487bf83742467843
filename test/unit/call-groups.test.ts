/**
 * The call list broken down by a trait (shared/call-groups.ts): the vendor without its versions,
 * the remote network, a node under one name whatever name a line gave it; through the engine's
 * API (the groups of a view, a group as a filter, the list's export) and `pexlens calls
 * --group-by`, on a generated snapshot against its calls counted here; and a time window of the
 * list (the calls up at some time in it).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApi } from '../../electron/engine/api-impl.js';
import { CALL_GROUP_KEYS, NO_GROUP, networkOf, vendorFamily } from '../../electron/shared/call-groups.js';
import type { CallGroup, CallSummary } from '../../electron/api.js';
import { poorMedia } from '../../electron/shared/media-stats.js';
import { writeBundle } from '../generator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pexlens-groups-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const env = { ...process.env, PEXLENS_CACHE_DIR: join(dir, 'cache'), PEXLENS_FROM_SOURCE: '1' };

test('a vendor without its versions, an address by its network', () => {
  assert.deepEqual(
    ['Polycom/6.4.3.6 PolycomRealPresenceGroup/6.4.3.6', 'TANDBERG/529 (ce9.15.3.17)', 'Zoom Rooms 5.17', 'Avaya one-X Deskphone', '(181,0,8) (Polycom) (HDX 9000)', 'Pexip Infinity Connect/1.8.0', 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0'].map(vendorFamily),
    ['Polycom', 'TANDBERG', 'Zoom Rooms', 'Avaya one-X Deskphone', 'Polycom HDX 9000', 'Pexip Infinity Connect', 'Mozilla'],
  );
  assert.deepEqual(['10.47.2.55', '2001:db8:1:2:3:4:5:6', 'gw.example.com'].map(networkOf), ['10.47.2.0/24', '2001:db8:1:2::/64', 'gw.example.com']);
});

test("the call list by a trait: each group's calls, failed calls and calls with poor media; a group as a filter of the list, its export and the CLI's", async () => {
  const b = await writeBundle(dir, { form: 'tgz', seed: 21, calls: 120, dialOuts: true });
  const api = new EngineApi(() => {});
  await api.open({ paths: [b.path] });
  const all = (await api.calls({})).rows;
  const overview = await api.overview();
  // a node is one whatever name a line gave it: its address and host as the bundle pairs them
  const paired = new Map(overview.addresses.map((a) => [a.node, a.address]));
  const nodeOf = (n: string) => paired.get(n) ?? n;
  const by = {
    vendor: (c: CallSummary) => c.vendor && vendorFamily(c.vendor),
    remoteNetwork: (c: CallSummary) => c.remote && networkOf(c.remote),
    mediaNode: (c: CallSummary) => c.mediaNode && nodeOf(c.mediaNode),
    signalingNode: (c: CallSummary) => c.signalingNode && nodeOf(c.signalingNode),
    failReason: (c: CallSummary) => (c.failed ? c.failReason : '(did not fail)'),
    disconnectReason: (c: CallSummary) => c.disconnectReason ?? (c.failed ? '(failed)' : null),
  } as const;
  for (const [key, valueOf] of Object.entries(by) as Array<[keyof typeof by, (c: CallSummary) => string | null]>) {
    const page = await api.calls({ groupBy: key, limit: 0 });
    const groups = page.groups!;
    assert.equal(groups.reduce((n, g) => n + g.calls, 0), all.length, `${key}: every call in one group`);
    // counted here: the calls of each value (nodes by their address)
    const want = new Map<string, CallSummary[]>();
    for (const c of all) {
      const v = valueOf(c) ?? NO_GROUP;
      want.set(v, [...(want.get(v) ?? []), c]);
    }
    const norm = (v: string) => (key.endsWith('Node') ? v.replace(/ \(.*\)$/, '') : v);
    assert.deepEqual(
      new Map(groups.map((g) => [norm(g.value), [g.calls, g.failed, g.poorMedia]])),
      new Map([...want].map(([v, cs]) => [v, [cs.length, cs.filter((c) => c.failed).length, cs.filter((c) => poorMedia(c.media)).length]])),
      key,
    );
    // most calls first, the calls the log says nothing of last
    assert.ok(groups.every((g, k) => k === 0 || !g.known || (groups[k - 1]!.known && groups[k - 1]!.calls >= g.calls)), `${key}: order`);
    // a group is a filter: exactly its calls, in the list's order
    const g = groups[0]!;
    const only = (await api.calls({ groupBy: key, group: g.value })).rows;
    assert.deepEqual(only.map((c) => c.id), all.filter((c) => (valueOf(c) ?? NO_GROUP) === norm(g.value)).map((c) => c.id), `${key}: ${g.value}`);
  }
  // the nodes: a node heard under its host name and its address is one group, named both ways
  const nodes = (await api.calls({ groupBy: 'signalingNode', limit: 0 })).groups!.filter((x) => x.known);
  const hosts = nodes.map((x) => b.truth.nodeForms[x.value.replace(/ \(.*\)$/, '')]);
  assert.equal(new Set(hosts).size, hosts.length, `one group per node: ${nodes.map((x) => x.value).join(', ')}`);
  assert.ok(nodes.some((x) => / \(pxnode-[\w-]+\)$/.test(x.value)), 'a node named by its address and host');
  // groups of what the other filters keep
  const failedGroups = (await api.calls({ groupBy: 'vendor', result: 'failed', limit: 0 })).groups!;
  assert.equal(failedGroups.reduce((n, x) => n + x.failed, 0), all.filter((c) => c.failed).length);
  assert.ok(failedGroups.every((x) => x.failed === x.calls));
  // the list's export is the group's calls
  const vendor = (await api.calls({ groupBy: 'vendor', limit: 0 })).groups!.find((x) => x.known)!;
  const csv = join(dir, 'group.csv');
  await api.exportTo({ format: 'csv', callList: { groupBy: 'vendor', group: vendor.value }, path: csv });
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(csv, 'utf8').trimEnd().split('\r\n').length - 1, vendor.calls);
  await assert.rejects(api.calls({ groupBy: 'colour' as never }), /groupBy 'colour': one of vendor, /);

  // the CLI: the groups as JSON and as a table; a group's calls
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'calls', b.path, ...args], { env, encoding: 'utf8' });
  const cliGroups = JSON.parse(run('--group-by', 'vendor', '--json')) as CallGroup[];
  assert.deepEqual(cliGroups, (await api.calls({ groupBy: 'vendor', limit: 0 })).groups);
  const table = run('--group-by', 'vendor').split('\n');
  assert.equal(table[0], `${cliGroups.length} group(s) of ${all.length} call(s) by vendor`);
  for (const x of cliGroups) assert.ok(table.some((l) => l.trimStart().startsWith(`${x.calls}  `) && l.endsWith(`  ${x.value}`)), `${x.value}: a row`);
  // as CSV, for a spreadsheet
  const csvRows = run('--group-by', 'vendor', '--csv').trimEnd().split('\r\n');
  assert.equal(csvRows[0], 'Vendor,Calls,Failed,Poor media');
  assert.deepEqual(csvRows.slice(1), cliGroups.map((x) => `${/[",]/.test(x.value) ? `"${x.value.replace(/"/g, '""')}"` : x.value},${x.calls},${x.failed},${x.poorMedia}`));
  const listed = JSON.parse(run('--group-by', 'vendor', '--group', vendor.value, '--json')) as CallSummary[];
  assert.equal(listed.length, vendor.calls);
  const bad = spawnSync(process.execPath, [cli, 'calls', b.path, '--group-by', 'vendor', '--group', 'Nokia 3310'], { env, encoding: 'utf8' });
  assert.equal(bad.status !== 0, true);
  assert.match(bad.stderr, /--group 'Nokia 3310': the vendor groups here are /);
  assert.match(spawnSync(process.execPath, [cli, 'calls', b.path, '--group-by', 'colour'], { env, encoding: 'utf8' }).stderr, new RegExp(`--group-by 'colour': one of ${CALL_GROUP_KEYS.join(', ')}`));
});

test('a time window of the call list: the calls up at some time in it, through the API and `pexlens calls --from/--to`; a window as the list\'s time box takes it', async () => {
  const { windowParts } = await import('../../renderer/src/calls/time-window.js');
  assert.deepEqual(['14:00–15:00', '14:00-15:00', '9:15 to 9:45', '2026-05-14 14:00 .. 2026-05-14 15:30', '14:00 - 15:00', '14:05', '2026-05-14 14:05'].map(windowParts), [
    ['14:00', '15:00'], ['14:00', '15:00'], ['9:15', '9:45'], ['2026-05-14 14:00', '2026-05-14 15:30'], ['14:00', '15:00'], null, null,
  ]);
  const b = await writeBundle(join(dir, 'window'), { form: 'folder', seed: 22, calls: 100 });
  const api = new EngineApi(() => {});
  await api.open({ paths: [b.path] });
  const all = (await api.calls({})).rows;
  const starts = all.filter((c) => c.start).map((c) => Date.parse(c.start!)).sort((x, y) => x - y);
  // a window a third of the way in, a tenth of the span long
  const span = starts.at(-1)! - starts[0]!;
  const from = starts[0]! + Math.round(span / 3);
  const to = from + Math.round(span / 10);
  // counted here: started before its end, and not over before its start
  const want = all.filter((c) => c.start !== null && Date.parse(c.start) <= to && Date.parse(c.end ?? c.start) >= from).map((c) => c.id);
  assert.ok(want.length > 0 && want.length < all.length, `the window holds some of the calls (${want.length} of ${all.length})`);
  assert.ok(all.some((c) => want.includes(c.id) && Date.parse(c.start!) < from), 'and a call that began before it');
  const iso = (t: number) => new Date(t).toISOString();
  assert.deepEqual((await api.calls({ from: iso(from), to: iso(to) })).rows.map((c) => c.id), want);
  // open at one end: from a time on, or until it
  assert.deepEqual((await api.calls({ from: iso(from) })).rows.map((c) => c.id), all.filter((c) => c.start !== null && Date.parse(c.end ?? c.start) >= from).map((c) => c.id));
  assert.deepEqual((await api.calls({ to: iso(to) })).rows.map((c) => c.id), all.filter((c) => c.start !== null && Date.parse(c.start) <= to).map((c) => c.id));
  await assert.rejects(api.calls({ from: 'yesterday' }), /window's time 'yesterday'/);
  // the CLI, with times of day (on the first call's day, UTC as the log)
  const day = (t: number) => iso(t).slice(11, 23);
  const listed = JSON.parse(execFileSync(process.execPath, [cli, 'calls', b.path, '--from', day(from), '--to', day(to), '--json'], { env, encoding: 'utf8' })) as CallSummary[];
  assert.deepEqual(listed.map((c) => c.id), want);
  const text = execFileSync(process.execPath, [cli, 'calls', b.path, '--from', day(from), '--to', day(to)], { env, encoding: 'utf8' });
  assert.ok(text.startsWith(`${want.length} call(s) up from ${day(from)} until ${day(to)}, `), text.slice(0, 120));
  assert.match(spawnSync(process.execPath, [cli, 'calls', b.path, '--from', 'soon'], { env, encoding: 'utf8' }).stderr, /--from: cannot read time 'soon'/);
});
