/** `pexlens calls --query`: the entity index over calls, through the CLI, against generator truth. */
import { test } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { cutAfter, generateLog, rotate } from '../generator/index.ts';
import { NODE_DEFS } from '../generator/pools.ts';
import { csvRecords } from '../read-csv.ts';
import { nodeCallCounts } from '../../electron/shared/call-list.ts';
import type { CallSummary } from '../../electron/api.ts';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { nodeAddresses } from '../../electron/engine/correlate/node-addresses.ts';
import { callGroups } from '../../electron/shared/call-groups.ts';
import { nodeNamer } from '../../electron/shared/node-names.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;

function calls(path: string, query: string): Array<{ id: string; from: string | null; to: string | null }> {
  const out = execFileSync(process.execPath, [cli, 'calls', path, '--json', '--query', query], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } });
  return JSON.parse(out.toString()) as Array<{ id: string; from: string | null; to: string | null }>;
}

test('calls --query finds a call by any of its ids and by its parties, best first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  const { text, truth } = generateLog({ seed: 21, calls: 30 });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, text);
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && !c.failed)!;
  const byId = calls(path, sip.id);
  assert.equal(byId[0]?.id, sip.id, 'the call id ranks its call first');
  const h323 = truth.calls.find((c) => c.protocol === 'H323')!;
  const other = h323.ids.find((id) => id !== h323.id && text.includes(id));
  if (other) assert.equal(calls(path, other)[0]?.id, h323.id, 'a secondary id finds the call');
  const user = sip.from.replace(/^.*sip:/, '').replace(/@.*$/, '');
  const byUser = calls(path, user);
  assert.ok(byUser.some((c) => c.id === sip.id), `a user part (${user}) finds the call`);
  for (const c of byUser) assert.match(JSON.stringify(c).toLowerCase(), new RegExp(user.toLowerCase()), 'every hit mentions the word');
  assert.deepEqual(calls(path, 'no-such-party-zzz'), []);
});

test('calls --result, --protocol, --filter, --conference, --node and --sort narrow and order the list as the app does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  // seed 4 holds conference names in two instances (Conference-IDs)
  const { text, truth } = generateLog({ seed: 4, calls: 30 });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, text);
  type Row = { id: string; protocol: string; failed: boolean; durationMs: number | null; conference: string | null; signalingNode: string | null };
  const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [cli, 'calls', path, '--json', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString()) as Row[];
  const all = run();
  const ids = (rows: Row[]) => rows.map((c) => c.id).sort();

  const failed = run('--result', 'failed');
  assert.deepEqual(ids(failed), ids(all.filter((c) => c.failed)));
  for (const c of truth.calls.filter((x) => x.failed)) assert.ok(failed.some((r) => r.id === c.id), `failed call ${c.id} listed`);
  assert.deepEqual(ids(run('--result', 'connected')), ids(all.filter((c) => !c.failed)));
  // the call search knows it too: `failed` finds every failed call (and only calls that say so)
  const searched = run('--query', 'failed');
  for (const c of failed) assert.ok(searched.some((r) => r.id === c.id), `--query failed finds ${c.id}`);
  for (const r of searched) assert.ok(r.failed || /\bfailed/i.test(JSON.stringify(r)), `${r.id} says failed`);

  const h323 = run('--protocol', 'h323');
  assert.ok(h323.length > 0 && h323.length < all.length);
  assert.deepEqual(ids(h323), ids(all.filter((c) => c.protocol === 'H323')));
  const one = truth.calls.find((c) => c.protocol === 'SIP')!;
  assert.deepEqual(run('--protocol', 'SIP', '--filter', one.id).map((c) => c.id), [one.id], 'the filter words find a call by its id');

  const [name] = [...new Set(truth.calls.map((c) => c.conference))].filter((n) => n && new Set(truth.calls.filter((c) => c.conference === n).map((c) => c.conferenceId)).size > 1);
  assert.ok(name, 'a conference name in two instances');
  assert.deepEqual(ids(run('--conference', name)), truth.calls.filter((c) => c.conference === name).map((c) => c.id).sort());

  // --node: a node by all its names (its host name and address), the calls whose signaling or media node it is, as the generator placed them
  const host = truth.nodeForms[truth.calls.find((c) => c.signalingNode)!.signalingNode!]!;
  const names = Object.keys(truth.nodeForms).filter((f) => truth.nodeForms[f] === host);
  const onIt = run('--node', names.join(','));
  assert.ok(onIt.length > 0 && onIt.length < all.length, `${onIt.length} of ${all.length} on ${names}`);
  assert.deepEqual(ids(onIt), truth.calls.filter((c) => [c.signalingNode, c.mediaNode].some((n) => n !== null && truth.nodeForms[n] === host)).map((c) => c.id).sort());
  // the Overview's counts, in one pass: the same calls, their failed ones, and the node's location
  assert.deepEqual(nodeCallCounts(all as unknown as CallSummary[], [names.join(','), 'no-such-node']), [{ calls: onIt.length, failed: onIt.filter((c) => c.failed).length, location: NODE_DEFS.find(([h]) => h === host)![2] }, { calls: 0, failed: 0, location: null }]);
  assert.throws(() => run('--node', 'no-such-node'), (e: { stderr: Buffer }) => /--node 'no-such-node': the calls' nodes here are /.test(e.stderr.toString()));
  // one name will do, the host's or the address's: the other is added as the bundle pairs them, when the calls are built and from the cache
  for (const name of names) for (const cache of [[], ['--no-cache']]) assert.deepEqual(ids(run('--node', name, ...cache)), ids(onIt), `--node ${name} ${cache.join(' ')}`);
  assert.ok(names.length === 2, `the node is heard under two names (${names})`);
  // by node: the app's groups, a node under one name (`10.44.99.2 (pxnode-lon-01)`), built and from the cache
  const session = await openBundle([path]);
  const app = callGroups(buildCallIndex(session).calls, 'signalingNode', nodeNamer(nodeAddresses(session.store)));
  assert.ok(app.some((g) => / \(pxnode-/.test(g.value)), 'paired node names');
  for (const cache of [[], ['--no-cache']]) assert.deepEqual(JSON.parse(execFileSync(process.execPath, [cli, 'calls', path, '--group-by', 'signalingNode', '--json', ...cache], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString()), JSON.parse(JSON.stringify(app)));

  // sorted by node, a node's calls together whichever name their lines gave it (the CLI and the
  // app's list), and the list's quick filter finds a call by its node's other name
  const namer = nodeNamer(nodeAddresses(session.store));
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const api = new EngineApi(() => {});
  await api.open({ paths: [path] });
  const appSorted = (await api.calls({ sort: 'signalingNode', offset: 0, limit: 100_000 })).rows;
  for (const sorted of [run('--sort', 'signalingNode').map((c) => c.signalingNode), appSorted.map((c) => c.signalingNode)]) {
    const named = sorted.filter((n): n is string => n !== null).map(namer);
    assert.ok(new Set(sorted.filter((n) => n !== null)).size > new Set(named).size, 'a node named two ways');
    for (let k = 1; k < named.length; k++) assert.ok(named[k - 1]!.localeCompare(named[k]!, undefined, { numeric: true }) <= 0, `${named[k - 1]} before ${named[k]}`);
  }
  const hosted = appSorted.find((c) => c.signalingNode !== null && namer(c.signalingNode).endsWith(`(${c.signalingNode})`))!;
  const address = namer(hosted.signalingNode!).split(' ')[0]!;
  const filtered = (await api.calls({ filter: address, offset: 0, limit: 100_000 })).rows;
  assert.ok(filtered.some((c) => c.id === hosted.id), `${hosted.id}, on ${hosted.signalingNode}, found by ${address}`);

  const byDuration = run('--sort', 'duration', '--desc').map((c) => c.durationMs);
  const known = byDuration.filter((d): d is number => d !== null);
  assert.deepEqual(byDuration.slice(0, known.length), known, 'unknown durations last');
  for (let k = 1; k < known.length; k++) assert.ok(known[k - 1]! >= known[k]!, 'longest first');

  assert.throws(() => run('--result', 'maybe'), (e: { stderr: Buffer; status: number }) => e.status !== 0 && /--result 'maybe': one of failed, connected, warnings/.test(e.stderr.toString()));
  assert.throws(() => run('--sort', 'size'), (e: { stderr: Buffer }) => /--sort 'size': one of start, duration/.test(e.stderr.toString()));
});

test('calls --csv writes the same list as --json, a row each in its order; --redact replaces the parties', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  // (seed 31's 30 calls have failed ones)
  const { text, truth } = generateLog({ seed: 31, calls: 30 });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, text);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'calls', path, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  const args = ['--result', 'failed', '--sort', 'duration', '--desc'];
  const json = JSON.parse(run('--json', ...args)) as Array<{ id: string; from: string | null }>;
  assert.ok(json.length > 0, 'failed calls listed');
  const csv = run('--csv', ...args);
  const records = csvRecords(csv);
  assert.ok(['Start (UTC)', 'Result', 'Call id'].every((h) => h in records[0]!));
  assert.deepEqual(records.map((r) => r['Call id']), json.map((c) => c.id));
  assert.equal(json.length, truth.calls.filter((c) => c.failed).length);
  // redacted: the generator's personal strings are gone, the list is the same length
  const red = run('--csv', '--redact', ...args);
  assert.equal(csvRecords(red).length, records.length);
  const leaked = truth.personal.filter((p) => red.includes(p));
  assert.deepEqual(leaked, []);
  assert.ok(json.some((c) => c.from && csv.includes(c.from)), 'the plain CSV holds the parties');
  assert.throws(() => run('--redact'), (e: { stderr: Buffer }) => /--redact goes with --json or --csv/.test(e.stderr.toString()));
});

test('a log whose oldest and newest files are gone: calls up when it began (setup not in the log) or when it ends say so in --json, --csv, the list, the trace and the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  const { text } = generateLog({ seed: 33, calls: 100, damaged: false });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, rotate(text, 3)[1]!);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  type Call = { id: string; start: string; end: string; startInferred: boolean; ongoing: boolean };
  const json = JSON.parse(run('calls', path, '--json')) as Call[];
  const ids = (pick: (c: Call) => boolean) => json.filter(pick).map((c) => c.id);
  const before = ids((c) => c.startInferred);
  const after = ids((c) => c.ongoing);
  assert.ok(before.length > 3 && after.length > 3 && before.length + after.length < json.length, `of ${json.length} calls, ${before.length} up when the log began, ${after.length} when it ends`);
  const only = (result: string) => (JSON.parse(run('calls', path, '--json', '--result', result)) as Call[]).map((c) => c.id);
  assert.deepEqual(only('setup-not-in-log'), before);
  assert.deepEqual(only('up-at-log-end'), after);
  const records = csvRecords(run('calls', path, '--csv'));
  const yes = (column: string) => records.filter((r) => r[column] === 'yes').map((r) => r['Call id']);
  assert.deepEqual(yes('Setup not in the log'), before);
  assert.deepEqual(yes('Up when the log ends'), after);
  assert.ok(records.every((r) => ['', 'yes'].includes(r['Setup not in the log']!) && ['', 'yes'].includes(r['Up when the log ends']!)));
  // the list: a note under a row whose start is read back; "≥" and "up at the log's end" in a row still up
  const listed = run('calls', path);
  const noted = [...listed.matchAll(/^ {4}(\S+) {2}\(setup not in the log; the start is when it joined, from its disconnect's Duration\)(?: {2}\(poor media: [^)]*\))?$/gm)].map((m) => m[1]);
  assert.deepEqual(noted, before);
  const upRows = [...listed.matchAll(/^\S+ \S+ +≥ [^\n]* up at the log's end +[^\n]*\n {4}(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(upRows, after);
  const trace = (id: string) => run('trace', path, '--call', id);
  const esc = (s: string) => s.replace(/\./g, '\\.');
  const call = (id: string) => json.find((c) => c.id === id)!;
  assert.match(trace(before[0]!), new RegExp(`time: +${esc(call(before[0]!).start)} → .*\\(setup not in the log; the start is when it joined`));
  assert.match(trace(after[0]!), new RegExp(`time: +${esc(call(after[0]!).start)} → ${esc(call(after[0]!).end)} .*\\(still up when the log ends\\)\\n.*\\n.*\\n  result: +connected, still up when the log ends`));
  assert.doesNotMatch(trace(ids((c) => !c.startInferred && !c.ongoing)[0]!), /up when the log (began|ends)/);
  // the text report (and Copy summary, which shares its rows)
  const report = (id: string) => run('export', path, '--call', id, '--format', 'text', '-o', '-');
  assert.match(report(before[0]!), new RegExp(`Start \\.+ ${esc(call(before[0]!).start)} \\(setup not in the log; the start is when it joined`));
  assert.match(report(after[0]!), new RegExp(`End \\.+ ${esc(call(after[0]!).end)} \\(the log's last line: still up when the log ends\\)\\n  Duration \\.+ at least `));
});

test('a log cut while calls are set up: the calls with neither answer nor failure say "no outcome in the log" in --json, --result, --csv, the list, the trace and the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  const { text } = generateLog({ seed: 43, calls: 150, damaged: false });
  // cut right after the INVITE of a call in the middle of the day, so that at least it is unanswered
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, cutAfter(text, / Message="Received SIP message" .*="\^MINVITE /, 0.5).text);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  type Call = { id: string; failed: boolean; noOutcome: boolean; end: string };
  const json = JSON.parse(run('calls', path, '--json')) as Call[];
  const none = json.filter((c) => c.noOutcome).map((c) => c.id);
  assert.ok(none.length >= 1 && none.length < json.length, `of ${json.length} calls, ${none.length} with no outcome`);
  assert.ok(json.every((c) => !(c.noOutcome && c.failed)), 'no outcome is not a failure');
  assert.deepEqual((JSON.parse(run('calls', path, '--json', '--result', 'no-outcome')) as Call[]).map((c) => c.id), none);
  const connected = (JSON.parse(run('calls', path, '--json', '--result', 'connected')) as Call[]).map((c) => c.id);
  assert.ok(!connected.some((id) => none.includes(id)), 'not listed as connected');
  const records = csvRecords(run('calls', path, '--csv'));
  assert.deepEqual(records.filter((r) => r['Result'] === 'no outcome').map((r) => r['Call id']), none);
  const rows = [...run('calls', path).matchAll(/^\S+ [^\n]* no outcome in the log +[^\n]*\n {4}(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(rows, none);
  assert.match(run('trace', path, '--call', none[0]!), /\n {2}result: +no outcome in the log \(neither the call's answer nor its failure or end is in any file of the bundle/);
  const end = json.find((c) => c.id === none[0])!.end.replace(/\./g, '\\.');
  const report = run('export', path, '--call', none[0]!, '--format', 'text', '-o', '-');
  assert.match(report, /Result \.+ no outcome in the log \(/);
  assert.match(report, new RegExp(`End \\.+ ${end}\\n`));
});

test('calls and trace --tz write the text output\'s times in a zone; --json stays UTC, an unknown zone is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  const { text } = generateLog({ seed: 8, calls: 12 });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, text);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  // Kathmandu is UTC+5:45 all year: the wall clock is the UTC time moved on by that much
  const kathmandu = (iso: string) => new Date(Date.parse(iso) + (5 * 60 + 45) * 60_000).toISOString().replace('T', ' ').replace('Z', '');
  const json = JSON.parse(run('calls', path, '--json')) as Array<{ id: string; start: string }>;
  const listed = run('calls', path, '--tz', 'Asia/Kathmandu');
  // (the runtime may spell the zone as ICU does, Asia/Katmandu)
  assert.match(listed.split('\n')[0]!, /; times in Asia\/Kath?mandu \(UTC\+5:45\)$/);
  const starts = [...listed.matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) /gm)].map((m) => m[1]);
  assert.deepEqual(starts, json.map((c) => kathmandu(c.start)));
  const trace = JSON.parse(run('trace', path, '--call', json[0]!.id, '--json')) as { messages: Array<{ time: string }> };
  const shown = run('trace', path, '--call', json[0]!.id, '--tz', 'Asia/Kathmandu');
  const times = [...shown.matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) /gm)].map((m) => m[1]);
  assert.deepEqual(times, trace.messages.map((m) => kathmandu(m.time)));
  const fails = (args: string[], why: RegExp) => assert.throws(() => run(...args), (e: { stderr: Buffer }) => why.test(e.stderr.toString()));
  fails(['calls', path, '--tz', 'Mars/Olympus'], /--tz 'Mars\/Olympus': not a time zone/);
  fails(['calls', path, '--tz', 'Europe/Oslo', '--csv'], /--tz goes with the text output: --csv times stay UTC/);
  fails(['trace', path, '--call', json[0]!.id, '--tz', 'Europe/Oslo', '--json'], /--tz goes with the text output/);
});
