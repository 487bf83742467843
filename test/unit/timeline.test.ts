/**
 * The bundle's timeline (shared/timeline.ts, the API's timeline, `pexlens timeline`) on a generated
 * log rotated into files with one missing, against plain readings of the files.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { generateLog } from '../generator/index.ts';
import { rotate } from '../generator/bundle.ts';
import type { AuditRow, TimelineEvent } from '../../electron/api.ts';
import { timeline } from '../../electron/shared/timeline.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-timeline-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const iso = (l: string) => new Date(Date.parse(l.slice(0, l.indexOf(' ')))).toISOString();

test("the timeline: each node's start, each alarm where it began, each pair of nodes first out of contact, the audit's alerts and changes, the first failure of each reason, long silences and a missing rotation, in time order", async () => {
  const { text } = generateLog({ seed: 29, targetBytes: 3_000_000 });
  // rotated into four files, the second oldest missing
  const parts = rotate(text, 3);
  const dir = join(tmp, 'logs');
  mkdirSync(dir);
  const names = parts.map((_, k) => `unified_support.log${k === parts.length - 1 ? '' : `.${parts.length - 1 - k}`}`);
  parts.forEach((p, k) => k !== 1 && writeFileSync(join(dir, names[k]! + (k < parts.length - 2 ? '.gz' : '')), k < parts.length - 2 ? gzipSync(p) : p));
  const lines = parts.filter((_, k) => k !== 1).flatMap((p) => p.toString('latin1').split('\n').filter(Boolean));

  const api = new EngineApi(() => {});
  await api.open({ paths: [dir] });
  const entries = await api.timeline();
  const of = (kind: TimelineEvent['kind']) => entries.filter((e) => e.kind === kind);
  assert.deepEqual(entries.map((e) => e.time), entries.map((e) => e.time).sort(), 'in time order');

  // starts: every "Starting Infinity application." of the files
  const starts = lines.filter((l) => l.includes(' Name="administrator.system" Message="Starting Infinity application."'));
  assert.ok(starts.length > 0, 'a restart in the files');
  assert.deepEqual(of('start').map((e) => [e.time, e.node]), starts.map((l) => [iso(l), l.split(' ')[1]]));

  // alarms: per node and alarm, its first line: a raise, or a lowering of one raised before the log
  const firstOf = new Map<string, { time: string; raised: boolean }>();
  for (const l of lines) {
    const m = / Message="Alarm (raised|lowered)" Node="([^"]+)" Alarm="([^"]+)"/.exec(l);
    if (m && !firstOf.has(`${m[2]} ${m[3]}`)) firstOf.set(`${m[2]} ${m[3]}`, { time: iso(l), raised: m[1] === 'raised' });
  }
  assert.ok(firstOf.size > 0);
  const alarms = of('alarm');
  assert.equal(alarms.length, firstOf.size);
  for (const [key, f] of firstOf) {
    const [node, alarm] = key.split(' ');
    const e = alarms.find((x) => x.node === node && x.text.includes(` ${alarm} `))!;
    assert.ok(e, key);
    assert.equal(e.time, f.time, key);
    assert.ok(e.text.includes(f.raised ? `alarm ${alarm} raised` : `alarm ${alarm} lowered (raised before the log)`), e.text);
  }

  // two nodes out of contact: per pair, either way, its first connectivity line: a report, or contact back after a loss from before the log
  const pairFirst = new Map<string, { time: string; from: string; to: string; lost: boolean }>();
  for (const l of lines) {
    const m = / Message="(Unable to contact node\.|Connectivity re-established\.)" Src-Node="([^"]+)" Node="([^"]+)"/.exec(l);
    const key = m && [m[2], m[3]].sort().join(' ');
    if (m && !pairFirst.has(key!)) pairFirst.set(key!, { time: iso(l), from: m[2]!, to: m[3]!, lost: m[1]!.startsWith('Unable') });
  }
  assert.ok([...pairFirst.values()].some((f) => f.lost) && [...pairFirst.values()].some((f) => !f.lost), 'pairs first lost in the log, and lost before it');
  assert.deepEqual(
    of('contact').map((e) => [e.time, e.node, e.text.replace(/(; .*|, never again)$/, '')]).sort(),
    [...pairFirst.values()].map((f) => [f.time, f.from, `${f.from}: ${f.lost ? `could not reach ${f.to}` : `reached ${f.to} again (lost before the log)`}`]).sort(),
  );

  // the audit: each subject with alerts and each configuration item (changed 5 times or less here), at its first line
  const rows = (await api.audit()).filter((r) => r.alerts > 0 || r.category === 'configuration');
  assert.ok(rows.some((r) => r.alerts > 0) && rows.some((r) => r.category === 'configuration'));
  assert.ok(rows.every((r) => r.category !== 'configuration' || r.events <= 5), 'no routine item in this log');
  assert.deepEqual(
    of('audit').map((e) => [e.time, e.audit!.category, e.audit!.subject]).sort(),
    rows.map((r) => [r.first, r.category, r.subject]).sort(),
  );

  // failures: per reason, the first failed call and how many
  const calls = (await api.calls({ offset: 0, limit: 100_000 })).rows.filter((c) => c.failed && c.start);
  const reasons = new Map<string, string[]>();
  for (const c of calls) reasons.set(c.failReason ?? 'no reason in the log', [...(reasons.get(c.failReason ?? 'no reason in the log') ?? []), c.start!]);
  assert.ok(reasons.size > 1, 'calls failing for several reasons');
  assert.deepEqual(
    of('failure').map((e) => [e.text, e.time, e.count]).sort(),
    [...reasons].map(([r, ts]) => [`calls failed: ${r} (${ts.length} call${ts.length === 1 ? '' : 's'})`, ts.sort()[0], ts.length]).sort(),
  );

  // the missing rotation
  assert.deepEqual(of('gap').map((e) => e.text), [`${join(dir, names[1]!)} not in the bundle: no unified_support.log lines`]);
  const gap = of('gap')[0]!;
  assert.equal(gap.time, iso(parts[0]!.toString('latin1').trimEnd().split('\n').at(-1)!));

  // silences: each node's longest, when 10 min or more
  const overview = await api.overview();
  const long = overview.activity.nodes.filter((n) => n.silence.ms >= 600_000);
  assert.ok(long.length > 0, 'a node silent for 10 min or more');
  assert.deepEqual(of('silence').map((e) => [e.node, e.time]).sort(), long.map((n) => [n.node, n.silence.from]).sort());

  // the CLI says the same
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'timeline', dir, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  assert.deepEqual(JSON.parse(run('--json')), entries);
  const printed = run().trimEnd().split('\n');
  assert.equal(printed[0], `${entries.length} event(s), times in UTC`);
  assert.equal(printed.length, entries.length + 1);
  for (const [k, e] of entries.entries()) assert.ok(printed[k + 1]!.startsWith(`${e.time.replace('T', ' ').replace('Z', '')}  ${e.kind.padEnd(7)}  ${e.text}`), printed[k + 1]);
});

test("the timeline of a window: the starts, audit and failed calls in it, an alarm or a loss of contact that held in it at its start, as the CLI's --from/--to gives it", async () => {
  const { text } = generateLog({ seed: 29, targetBytes: 3_000_000 });
  const file = join(tmp, 'window.log');
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const whole = await api.timeline();
  // a window of ten minutes from the middle of the log
  const times = whole.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
  const mid = times[Math.floor(times.length / 2)]!;
  const [from, to] = [new Date(mid).toISOString(), new Date(mid + 600_000).toISOString()];
  const entries = await api.timeline({ from, to });
  assert.deepEqual(entries.map((e) => e.time), entries.map((e) => e.time).sort(), 'in time order');
  const of = (kind: TimelineEvent['kind']) => entries.filter((e) => e.kind === kind);
  const held = (a: string | null, b: string | null) => (a ?? '') <= to && (b === null || b >= from);
  // alarms: per node and alarm, one entry where the first span that held in the window began
  const overview = await api.overview();
  const firstAlarm = new Map<string, string>();
  for (const a of overview.alarms) if (held(a.raised, a.lowered)) {
    const key = `${a.node} ${a.alarm}`;
    const t = (a.raised ?? a.lowered)!;
    if (!firstAlarm.has(key) || t < firstAlarm.get(key)!) firstAlarm.set(key, t);
  }
  assert.ok(firstAlarm.size > 0, 'alarms held in the window');
  const wholeAlarm = new Map(whole.filter((e) => e.kind === 'alarm').map((e) => [`${e.node} ${/alarm (\S+)/.exec(e.text)![1]}`, e.time]));
  assert.ok([...firstAlarm].some(([k, t]) => t > wholeAlarm.get(k)!), 'an alarm that began again in the window: there, not where the log first had it');
  assert.deepEqual(of('alarm').map((e) => [e.node, e.time]).sort(), [...firstAlarm].map(([k, t]) => [k.split(' ')[0], t]).sort());
  // nodes out of contact: per pair, the first loss that held in it
  const firstLoss = new Map<string, string>();
  for (const l of overview.contactLosses) if (held(l.lost, l.back)) {
    const key = [l.from, l.to].sort().join(' ');
    const t = (l.lost ?? l.back)!;
    if (!firstLoss.has(key) || t < firstLoss.get(key)!) firstLoss.set(key, t);
  }
  assert.ok(firstLoss.size > 0, 'nodes out of contact in the window');
  assert.deepEqual(of('contact').map((e) => e.time).sort(), [...firstLoss.values()].sort());
  // failed calls: those up in the window, per reason
  const calls = (await api.calls({ from, to, result: 'failed', offset: 0, limit: 100_000 })).rows;
  const reasons = new Map<string, number>();
  for (const c of calls) reasons.set(c.failReason ?? 'no reason in the log', (reasons.get(c.failReason ?? 'no reason in the log') ?? 0) + 1);
  assert.ok(reasons.size > 0, 'calls failing in the window');
  assert.deepEqual(of('failure').map((e) => e.text).sort(), [...reasons].map(([r, n]) => `calls failed: ${r} (${n} call${n === 1 ? '' : 's'})`).sort());
  // the audit: only what was logged in the window
  assert.ok(of('audit').length > 0 && of('audit').every((e) => e.time >= from && e.time <= to), 'audit in the window');
  // counted over the window
  assert.ok(entries.every((e) => !e.text.includes('times in the log')), 'no whole-log counts');
  // the CLI, with times of day
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'timeline', file, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const day = (iso: string) => iso.slice(11, 23);
  assert.deepEqual(JSON.parse(run('--json', '--from', day(from), '--to', day(to))), entries);
  assert.equal(run('--from', day(from), '--to', day(to)).split('\n')[0], `${entries.length} event(s) from ${from.replace('T', ' ').replace('Z', '')} to ${to.replace('T', ' ').replace('Z', '')}, times in UTC`);
  assert.throws(() => run('--from', to, '--to', from), (e: { stderr: Buffer }) => /--to .* is before --from/.test(e.stderr.toString()));
});

test('the timeline: configuration items changed more than 5 times are one entry together, the others each their own', () => {
  const row = (subject: string, events: number, first: string): AuditRow => ({
    category: 'configuration', subject, words: [subject], events, alerts: 0, messages: [{ message: 'Configuration changed', count: events }], who: ['admin'], addresses: [], first, last: first, blockedUntil: null,
  });
  const rows = [row('Virtual Meeting Room A', 7, '2026-05-14T08:10:00.000Z'), row('Virtual Meeting Room B', 2, '2026-05-14T08:05:00.000Z'), row('Virtual Meeting Room C', 6, '2026-05-14T08:01:00.000Z')];
  const entries = timeline({ starts: [], alarms: [], contactLosses: [], audit: { rows, events: [] }, silences: [], gaps: [], calls: [], end: null });
  assert.deepEqual(
    entries.map((e) => [e.time, e.text, e.count, e.audit]),
    [
      ['2026-05-14T08:01:00.000Z', 'configuration: 2 items changed more than 5 times each (13 changes in all), the first Virtual Meeting Room C', 13, { category: 'configuration', subject: null }],
      ['2026-05-14T08:05:00.000Z', 'configuration: Virtual Meeting Room B: Configuration changed ×2', 2, { category: 'configuration', subject: 'Virtual Meeting Room B' }],
    ],
  );
});
