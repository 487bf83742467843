/**
 * Alarms as spans (correlate/alarms.ts), on a small hand-written log: each raise paired with the
 * lowering of the same node, alarm and instance; a lowering with nothing before it was raised
 * before the log; a raise never lowered is still raised at its end; repeats are counted or ignored.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { alarmSpans } from '../../electron/engine/correlate/alarms.ts';
import type { AlarmSpan, CallAlarm } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-alarms-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** One administrator.alarm line at 08:MM:SS, as the management node writes it. */
const line = (mmss: string, message: 'Alarm raised' | 'Alarm lowered', node: string, alarm: string, dest = '10.44.99.1') =>
  `2026-05-14T08:${mmss}.000+00:00 pxmgr01 2026-05-14 08:${mmss},000 Level="${message === 'Alarm raised' ? 'WARNING' : 'INFO'}" Name="administrator.alarm" Message="${message}" Node="${node}" Alarm="${alarm}" Instance="Source=${node}, Destination=${dest}"`;
const at = (mmss: string) => `2026-05-14T08:${mmss}.000Z`;
const inst = (node: string, dest = '10.44.99.1') => `Source=${node}, Destination=${dest}`;

test('alarms: raised and lowered paired by node, alarm and instance; what the log holds of each one\'s start and end', async () => {
  const text = [
    line('00:05', 'Alarm lowered', '10.44.99.2', 'capacity_exhausted'), // raised before the log
    line('00:10', 'Alarm raised', '10.44.99.3', 'connectivity_lost'),
    '2026-05-14T08:00:11.000+00:00 10.44.99.3 2026-05-14 08:00:11,000 Level="INFO" Name="support.sip" Message="Sending SIP message" Detail="^MOPTIONS sip:x SIP/2.0^M"',
    line('00:20', 'Alarm raised', '10.44.99.3', 'connectivity_lost', '10.44.99.2'), // another instance: its own span
    line('00:30', 'Alarm raised', '10.44.99.3', 'connectivity_lost'), // raised again while raised
    line('00:40', 'Alarm lowered', '10.44.99.3', 'connectivity_lost'),
    line('00:45', 'Alarm lowered', '10.44.99.3', 'connectivity_lost'), // lowered again: nothing new
    line('00:50', 'Alarm lowered', '10.44.99.2', 'capacity_exhausted'), // lowered again: nothing new
    line('01:00', 'Alarm raised', '10.46.10.7', 'license_usage_warning'), // never lowered
    line('01:10', 'Alarm raised', '10.44.99.2', 'capacity_exhausted'), // raised again after its lowering: a new span
    line('01:20', 'Alarm lowered', '10.44.99.2', 'capacity_exhausted'),
    '2026-05-14T08:01:30.000+00:00 pxmgr01 2026-05-14 08:01:30,000 Level="INFO" Name="administrator.alarm" Message="Alarm acknowledged" Node="10.44.99.2" Alarm="capacity_exhausted"',
  ].join('\n') + '\n';
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const spans = alarmSpans((await openBundle([file])).store);
  const expected = [
    { node: '10.44.99.2', alarm: 'capacity_exhausted', instance: inst('10.44.99.2'), raised: null, lowered: at('00:05'), raises: 0 },
    { node: '10.44.99.3', alarm: 'connectivity_lost', instance: inst('10.44.99.3'), raised: at('00:10'), lowered: at('00:40'), raises: 2 },
    { node: '10.44.99.3', alarm: 'connectivity_lost', instance: inst('10.44.99.3', '10.44.99.2'), raised: at('00:20'), lowered: null, raises: 1 },
    { node: '10.46.10.7', alarm: 'license_usage_warning', instance: inst('10.46.10.7'), raised: at('01:00'), lowered: null, raises: 1 },
    { node: '10.44.99.2', alarm: 'capacity_exhausted', instance: inst('10.44.99.2'), raised: at('01:10'), lowered: at('01:20'), raises: 1 },
  ];
  assert.deepEqual(spans, expected);
  // pexlens info: the same spans in --json, a line each in its text
  const info = (...args: string[]) => execFileSync(process.execPath, [cli, 'info', file, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  assert.deepEqual((JSON.parse(info('--json')) as { alarms: unknown }).alarms, expected);
  const printed = info();
  assert.ok(printed.includes('\nalarms (raised .. lowered):\n'));
  assert.ok(printed.includes(`  10.44.99.2 capacity_exhausted [${inst('10.44.99.2')}]: before the log .. 2026-05-14 08:00:05.000\n`));
  assert.ok(printed.includes(`  10.46.10.7 license_usage_warning [${inst('10.46.10.7')}]: 2026-05-14 08:01:00.000 .. still raised\n`));
});

test('alarms: none in a log without the alarm module', async () => {
  const file = join(tmp, 'quiet.log');
  writeFileSync(file, '2026-05-14T08:00:11.000+00:00 10.44.99.3 2026-05-14 08:00:11,000 Level="INFO" Name="support.sip" Message="Sending SIP message"\n');
  assert.deepEqual(alarmSpans((await openBundle([file])).store), []);
});

test("the overview's alarm lanes: a row per node and alarm, its spans in the order they began, how long it was raised (overlapping instances once), each bar at its first line", async () => {
  const { alarmSpansAt } = await import('../../electron/engine/correlate/alarms.ts');
  const { alarmLanes } = await import('../../renderer/src/overview/alarm-lanes.ts');
  const text = [
    line('00:00', 'Alarm raised', '10.44.99.9', 'other'), // the log's first line
    line('00:05', 'Alarm lowered', '10.44.99.2', 'capacity_exhausted'), // raised before the log
    line('00:10', 'Alarm raised', '10.44.99.10', 'connectivity_lost'),
    line('00:20', 'Alarm raised', '10.44.99.10', 'connectivity_lost', '10.44.99.2'), // overlaps the one before
    line('00:40', 'Alarm lowered', '10.44.99.10', 'connectivity_lost'),
    line('01:10', 'Alarm raised', '10.44.99.2', 'capacity_exhausted'),
    line('01:20', 'Alarm lowered', '10.44.99.2', 'capacity_exhausted'),
    line('01:40', 'Alarm lowered', '10.44.99.9', 'other'), // the log's last line
  ];
  const file = join(tmp, 'lanes.log');
  writeFileSync(file, text.join('\n') + '\n');
  const session = await openBundle([file]);
  const found = alarmSpansAt(session.store);
  const lanes = alarmLanes(found.map((a) => a.span), found.map((a) => a.line), '2026-05-14T08:00:00.000Z', '2026-05-14T08:01:40.000Z');
  const s = 1000;
  assert.deepEqual(
    lanes.map((l) => ({ lane: `${l.node} ${l.alarm}`, bars: l.bars.map((b) => [b.span.raised, b.span.lowered]), raisedMs: l.raisedMs, stillRaised: l.stillRaised })),
    [
      // numeric order of addresses: .2, .9, .10
      { lane: '10.44.99.2 capacity_exhausted', bars: [[null, at('00:05')], [at('01:10'), at('01:20')]], raisedMs: 15 * s, stillRaised: false },
      { lane: '10.44.99.9 other', bars: [[at('00:00'), at('01:40')]], raisedMs: 100 * s, stillRaised: false },
      // 00:10–00:40 and 00:20 to the log's end: 00:10 to 01:40
      { lane: '10.44.99.10 connectivity_lost', bars: [[at('00:10'), at('00:40')], [at('00:20'), null]], raisedMs: 90 * s, stillRaised: true },
    ],
  );
  // each bar opens its first line: the raise, or the lowering of one raised before the log
  for (const l of lanes) for (const b of l.bars) {
    const first = session.store.text(session.store.at(b.line));
    assert.ok(first.includes(`Message="${b.span.raised ? 'Alarm raised' : 'Alarm lowered'}" Node="${l.node}" Alarm="${l.alarm}"`), first);
    assert.ok(first.startsWith((b.span.raised ?? b.span.lowered!).replace('Z', '+00:00')), first);
  }
  // on the axis: the span's share of the log's, a sliver at least
  const bar = lanes[0]!.bars[1]!;
  assert.ok(Math.abs(bar.left - 70 / 100) < 1e-9 && Math.abs(bar.width - 10 / 100) < 1e-9, JSON.stringify(bar));
});

test("a call whose node had an alarm raised while it was up says so: in its trace, its report and the app's call trace", async () => {
  const { generateLog } = await import('../generator/index.ts');
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const { text, truth } = generateLog({ seed: 29, targetBytes: 3_000_000 });
  const file = join(tmp, 'calls.log');
  writeFileSync(file, text);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  // the bundle's alarms as `pexlens info` pairs them (tested above), and each call's nodes (the generator's record ties their names)
  const spans = (JSON.parse(run('info', file, '--json')) as { alarms: AlarmSpan[] }).alarms;
  assert.ok(spans.some((a) => a.raised === null) && spans.some((a) => a.lowered === null) && spans.length > 10);
  const calls = JSON.parse(run('calls', file, '--json')) as Array<{ id: string; start: string | null; end: string | null; signalingNode: string | null; mediaNode: string | null; conferenceId: string | null }>;
  const during = (c: (typeof calls)[number]) =>
    spans.filter((a) => {
      if (!c.start) return false;
      const raisedBeforeEnd = a.raised === null || a.raised <= (c.end ?? c.start);
      const loweredAfterStart = a.lowered === null || a.lowered >= c.start;
      return raisedBeforeEnd && loweredAfterStart && [c.signalingNode, c.mediaNode].some((n) => n && truth.nodeForms[n] === truth.nodeForms[a.node]);
    });
  const hit = calls.filter((c) => during(c).length > 0);
  const missed = calls.filter((c) => c.start && during(c).length === 0);
  assert.ok(hit.length > 0 && missed.length > 0, `calls with (${hit.length}) and without (${missed.length}) an alarm on their nodes`);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const key = (a: AlarmSpan) => ({ node: a.node, alarm: a.alarm, instance: a.instance, raised: a.raised, lowered: a.lowered, raises: a.raises });
  for (const c of [...hit.slice(0, 4), ...missed.slice(0, 2)]) {
    const want = during(c);
    const traced = JSON.parse(run('trace', file, '--call', c.id, '--json')) as { alarms?: CallAlarm[] };
    assert.deepEqual((traced.alarms ?? []).map(key), want, `${c.id}: its trace`);
    const app = (await api.callTrace({ id: c.id }))!.alarms ?? [];
    assert.deepEqual(app.map(key), want, `${c.id}: the app's trace`);
    // each opens its first line: its raise, or its lowering when raised before the log
    for (const a of app) {
      const l = await api.lineDetail({ index: a.line });
      assert.ok(l.text.includes(` Message="Alarm ${a.raised === null ? 'lowered' : 'raised'}" Node="${a.node}" Alarm="${a.alarm}"`), `${c.id}: ${l.text}`);
    }
    const words = run('trace', file, '--call', c.id).split('\n').filter((l) => l.startsWith('  alarm:'));
    assert.equal(words.length, want.length, `${c.id}: an alarm: line each`);
    // the trace's times as the log's (UTC, ISO), as its other lines
    for (const [i, a] of want.entries()) {
      const raised = a.raised === null ? 'raised before the log began' : `raised at ${a.raised}`;
      assert.ok(words[i]!.startsWith(`  alarm:      ${a.alarm} on ${a.node}, ${raised}`), words[i]);
      assert.ok(words[i]!.endsWith(`${a.lowered === null ? 'still raised when the log ends' : `lowered at ${a.lowered}`}, while the call was up`), words[i]);
    }
    const report = run('export', file, '--call', c.id, '--format', 'text', '-o', '-');
    assert.equal(report.match(/^ {2}Alarm \.+ \S+ on \S+, raised [^\n]+, while the call was up$/gm)?.length ?? 0, want.length, `${c.id}: its report`);
  }
  // a conference's: the alarms on a call's nodes while that call was up, for any of its calls (not
  // any of its nodes over the whole conference: a node that carried one short call is not under
  // the rest of it)
  const byConference = new Map<string, typeof calls>();
  for (const c of calls) if (c.start && c.conferenceId) byConference.set(c.conferenceId, [...(byConference.get(c.conferenceId) ?? []), c]);
  let some = 0;
  let narrower = 0;
  for (const [conf, mine] of byConference) {
    const under = (a: AlarmSpan, from: string, to: string, nodes: Array<string | null>) =>
      (a.raised === null || a.raised <= to) && (a.lowered === null || a.lowered >= from) && nodes.some((n) => n !== null && truth.nodeForms[n] === truth.nodeForms[a.node]);
    const want = spans.filter((a) => mine.some((c) => under(a, c.start!, c.end ?? c.start!, [c.signalingNode, c.mediaNode])));
    assert.deepEqual((await api.conferenceAlarms({ conference: conf })).map(key), want, conf);
    if (want.length) some++;
    const from = mine.map((c) => c.start!).sort()[0]!;
    const to = mine.map((c) => c.end ?? c.start!).sort().at(-1)!;
    if (spans.filter((a) => under(a, from, to, mine.flatMap((c) => [c.signalingNode, c.mediaNode]))).length > want.length) narrower++;
  }
  assert.ok(some > 0, 'conferences with alarms on their nodes');
  assert.ok(narrower > 0, "a conference with an alarm on one of its nodes while none of that node's calls was up");
});

test("the conference view's alarm bars: each alarm cut to the conference's span, running off an edge it was raised before or lowered after", async () => {
  const { alarmBars } = await import('../../renderer/src/calls/conference.ts');
  const start = Date.parse(at('10:00')), end = Date.parse(at('20:00'));
  const a = (raised: string | null, lowered: string | null): CallAlarm => ({ node: 'n', alarm: 'x', instance: null, raised: raised && at(raised), lowered: lowered && at(lowered), raises: 1, line: 0 });
  const bars = alarmBars({ start, end }, [a(null, '12:00'), a('11:00', '13:00'), a('15:00', null), a(null, null)]);
  assert.deepEqual(bars.map((b) => [b.left, b.width, b.before, b.after]), [
    [0, 0.2, true, false],
    [0.1, 0.2, false, false],
    [0.5, 0.5, false, true],
    [0, 1, true, true],
  ]);
});
