/**
 * Where a call went. The system locations of a call's nodes (CallSummary.signalingLocation, mediaLocation) on logs the
 * generator writes: each node has its location (test/generator/pools.ts), its lines say it
 * (Signaling-Location, Location; the attempt's Location for a call that failed or whose joined
 * line has none, as a WebRTC call's), and a call whose lines name none is given its node's
 * (correlate/locations.ts). And the Proxying Edge Node a call came through (Proxy-Node,
 * Proxy-Location; GenOptions.edges). In the summaries, the breakdown, the CSV and the trace text.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { callGroups } from '../../electron/shared/call-groups.ts';
import { parseCsv } from '../read-csv.ts';
import { writeLog } from '../generator/index.ts';
import { NODE_DEFS } from '../generator/pools.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-locations-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache'), PEXLENS_FROM_SOURCE: '1' };
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, stdio: 'pipe' }).toString();
const locationOf = new Map(NODE_DEFS.map(([, ip, location]) => [ip, location]));

test("locations: each call's signaling and media location as its nodes have them (a failed call: where it arrived), counted by the breakdown, in the CSV and the trace", async () => {
  const file = join(tmp, 'gen.log');
  const truth = await writeLog(file, { seed: 29, calls: 300, dialOuts: true });
  const { calls } = buildCallIndex(await openBundle([file]));
  const byId = new Map(truth.calls.map((t) => [t.id, t]));
  let webrtc = 0;
  for (const c of calls) {
    const t = byId.get(c.id);
    assert.ok(t, `${c.id}: a call the generator made`);
    assert.equal(c.signalingLocation, locationOf.get(t.signalingNode), `${c.id}: signaling location`);
    // a failed call never had media
    assert.equal(c.mediaLocation, t.failed ? null : locationOf.get(t.mediaNode), `${c.id}: media location`);
    if (c.protocol === 'WebRTC') webrtc++;
  }
  assert.ok(webrtc > 10 && calls.some((c) => c.failed) && new Set(calls.map((c) => c.mediaLocation)).size >= 3, 'WebRTC calls, failed calls and three locations in the sample');
  // the breakdown, by the CLI as by the engine: a row per location with its calls and failed calls
  const want = new Map<string, { calls: number; failed: number }>();
  for (const t of truth.calls) {
    const l = locationOf.get(t.signalingNode)!;
    const g = want.get(l) ?? { calls: 0, failed: 0 };
    want.set(l, { calls: g.calls + 1, failed: g.failed + (t.failed ? 1 : 0) });
  }
  const groups = JSON.parse(run('calls', file, '--group-by', 'signalingLocation', '--json')) as Array<{ value: string; calls: number; failed: number }>;
  assert.deepEqual(new Map(groups.map((g) => [g.value, { calls: g.calls, failed: g.failed }])), want);
  assert.deepEqual(groups, JSON.parse(JSON.stringify(callGroups(calls, 'signalingLocation'))));
  // the CSV's columns
  const [header, ...csv] = parseCsv(run('calls', file, '--csv'));
  const col = (name: string) => header!.indexOf(name);
  const failed = calls.find((c) => c.failed)!;
  const row = csv.find((r) => r.includes(failed.id))!;
  assert.deepEqual([row[col('Signaling location')], row[col('Media location')]], [failed.signalingLocation, '']);
  // the trace's nodes line
  const split = calls.find((c) => c.signalingLocation !== c.mediaLocation && c.mediaLocation !== null)!;
  assert.match(run('trace', file, '--call', split.id), new RegExp(`nodes: +signaling ${split.signalingNode} \\(${split.signalingLocation}\\), media ${split.mediaNode} \\(${split.mediaLocation}\\)`));
});

test("locations: a call whose lines name none is given its node's, unless the calls name that node two", async () => {
  const file = join(tmp, 'gen.log');
  const text = readFileSync(file, 'utf8');
  const { calls: before } = buildCallIndex(await openBundle([file]));
  const sipOn = (node: string | null) => before.find((c) => c.protocol === 'SIP' && c.signalingNode === node && !c.failed);
  const web = before.find((c) => c.protocol === 'WebRTC' && sipOn(c.signalingNode))!;
  const node = web.signalingNode!;
  const other = sipOn(node)!;
  /** The log with the WebRTC call's lines naming no location, and `other`'s signaling location as given. */
  const variant = async (name: string, otherSays: string | null) => {
    const lines = text.split('\n').map((l) => {
      if (l.includes(web.id)) return l.replace(/ (Signaling-)?Location="[^"]*"/g, '');
      if (otherSays !== null && l.includes(other.id)) return l.replace(/Signaling-Location="[^"]*"/, `Signaling-Location="${otherSays}"`);
      return l;
    });
    const f = join(tmp, name, 'unified_support.log');
    mkdirSync(join(tmp, name), { recursive: true });
    writeFileSync(f, lines.join('\n'));
    const { calls } = buildCallIndex(await openBundle([f]));
    return (id: string) => calls.find((c) => c.id === id)!;
  };
  // its node's location, as the other calls on it name it
  const filled = await variant('filled', null);
  assert.equal(filled(web.id).signalingLocation, web.signalingLocation);
  assert.ok(web.signalingLocation !== null, 'a location to give');
  // one call on the node now says another location for it: none is given
  const two = await variant('two', 'Paris');
  assert.equal(two(other.id).signalingLocation, 'Paris', 'its own line says Paris');
  assert.equal(two(web.id).signalingLocation, null, 'no location for a call of that node whose lines say none');
  // the calls whose lines say it keep their own
  const sip = before.find((c) => c.protocol === 'SIP' && c.signalingNode === node && c.id !== other.id)!;
  assert.equal(two(sip.id).signalingLocation, web.signalingLocation, sip.id);
});

test('Edge nodes: a call through a Proxying Edge Node names it and its location, as the generator sent it; the breakdown counts the calls per Edge and those that came direct; in the CSV and the trace', async () => {
  const file = join(tmp, 'edges.log');
  const truth = await writeLog(file, { seed: 7, calls: 200, edges: true });
  const { calls } = buildCallIndex(await openBundle([file]));
  const byId = new Map(truth.calls.map((t) => [t.id, t]));
  for (const c of calls) {
    const t = byId.get(c.id)!;
    assert.deepEqual([c.proxyNode, c.proxyLocation], [t.proxy?.node ?? null, t.proxy?.location ?? null], `${c.id}: its Edge`);
  }
  const through = calls.filter((c) => c.proxyNode !== null);
  assert.ok(through.length > 20 && new Set(through.map((c) => c.proxyNode)).size === 2 && new Set(through.map((c) => c.protocol)).size === 3, 'calls of every protocol through both Edges');
  // by Edge: each Edge's calls, the calls that came straight to a node, and the failed ones, whose lines say nothing of it
  const want = new Map<string, number>();
  for (const t of truth.calls) {
    const g = t.proxy ? `${t.proxy.node} (${t.proxy.location})` : t.failed ? '(not in the log)' : '(direct)';
    want.set(g, (want.get(g) ?? 0) + 1);
  }
  const groups = JSON.parse(run('calls', file, '--group-by', 'proxyNode', '--json')) as Array<{ value: string; calls: number }>;
  assert.deepEqual(new Map(groups.map((g) => [g.value, g.calls])), want);
  assert.deepEqual(groups.slice(-2).map((g) => g.value), ['(direct)', '(not in the log)'], 'the groups that are not an Edge last');
  // the CSV's columns and the trace's nodes line
  const one = through[0]!;
  const [header, ...csv] = parseCsv(run('calls', file, '--csv'));
  const row = csv.find((r) => r.includes(one.id))!;
  assert.deepEqual([row[header!.indexOf('Edge node')], row[header!.indexOf('Edge location')]], [one.proxyNode, one.proxyLocation]);
  assert.match(run('trace', file, '--call', one.id), new RegExp(`nodes: .*, via Edge ${one.proxyNode!.replace(/\./g, '\\.')} \\(${one.proxyLocation}\\)\n`));
  // the call search finds the calls through an Edge by its address, and all of them by its location's word
  const found = (q: string) => new Set((JSON.parse(run('calls', file, '--query', q, '--json')) as Array<{ id: string }>).map((c) => c.id));
  assert.deepEqual(found(one.proxyNode!), new Set(calls.filter((c) => c.proxyNode === one.proxyNode).map((c) => c.id)));
  assert.deepEqual(found('edge'), new Set(through.map((c) => c.id)));
});
