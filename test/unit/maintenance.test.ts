/**
 * Azure's scheduled maintenance (correlate/maintenance.ts): a node's maintenance mode read as an
 * alarm span, `maintenance_mode`, with what Azure announced; among the alarms in view order, in
 * `pexlens info` and the timeline. On a generated log, each maintenance as the generator wrote it,
 * and a call up on that node then says so in its trace.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { alarmSpans } from '../../electron/engine/correlate/alarms.ts';
import { alarmWords, MAINTENANCE_ALARM } from '../../electron/shared/platform-words.ts';
import { ladderMarks } from '../../electron/shared/ladder-marks.ts';
import type { AlarmSpan, TimelineEvent } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-maintenance-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();

const line = (mmss: string, node: string, name: string, message: string) => `2026-05-14T08:${mmss}.000+00:00 ${node} 2026-05-14 08:${mmss},000 Level="INFO" Name="${name}" Message="${message}"`;
const at = (mmss: string) => `2026-05-14T08:${mmss}.000Z`;
const SET = 'Scheduled maintenance event affecting MCU node has been detected. System will be placed into maintenance mode.';
const UNSET = 'Maintenance event completed. Maintenance mode will be unset.';
const announced = (type: string, notBefore: string) =>
  `New scheduled maintenance event: {'Description': 'The system will ${type}', 'EventId': '2262d851-75e0-11eb-92d9-000d3abdf5e0', 'EventSource': 'Platform', 'EventStatus': 'Scheduled', 'EventType': '${type}', 'NotBefore': '${notBefore}', 'ResourceType': 'VirtualMachine', 'Resources': ['azure-mcu001']}`;

test("a node's maintenance mode as an alarm span with what Azure announced, among the alarms in view order; in pexlens info and the timeline", async () => {
  const text = [
    line('00:05', 'pxnode-osl-01', 'support.scheduled_maintenance_events', UNSET), // set before the log
    line('00:10', 'pxnode-lon-01', 'support.pulse', announced('Redeploy', '2026-05-14T08:20:00+00:00')), // an older announcement of the node
    line('00:20', 'pxnode-lon-01', 'support.pulse', announced('Reboot', '2026-05-14T08:30:00+00:00')),
    line('00:25', 'pxnode-nyc-01', 'support.pulse', announced('Freeze', '')), // another node's
    '2026-05-14T08:00:30.000+00:00 pxmgr01 2026-05-14 08:00:30,000 Level="WARNING" Name="administrator.alarm" Message="Alarm raised" Node="10.44.99.3" Alarm="capacity_exhausted"',
    line('00:40', 'pxnode-lon-01', 'support.scheduled_maintenance_events', SET),
    line('00:45', 'pxnode-lon-01', 'support.scheduled_maintenance_events', SET), // again while set: the same span
    line('00:50', 'pxnode-nyc-01', 'support.scheduled_maintenance_events', SET), // never unset
    line('01:30', 'pxnode-lon-01', 'support.scheduled_maintenance_events', UNSET),
    line('01:40', 'pxnode-lon-01', 'support.scheduled_maintenance_events', UNSET), // unset again: nothing new
    `${line('01:50', 'pxmgr01', 'support.scheduled_maintenance_events', SET)} Node="pxnode-nyc-02"`, // about another node: that node's
    line('01:55', 'pxnode-nyc-02', 'support.scheduled_maintenance_events', UNSET),
  ].join('\n') + '\n';
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const spans = alarmSpans((await openBundle([file])).store);
  const expected: AlarmSpan[] = [
    { node: 'pxnode-osl-01', alarm: MAINTENANCE_ALARM, instance: null, raised: null, lowered: at('00:05'), raises: 0 },
    { node: '10.44.99.3', alarm: 'capacity_exhausted', instance: null, raised: at('00:30'), lowered: null, raises: 1 },
    { node: 'pxnode-lon-01', alarm: MAINTENANCE_ALARM, instance: 'Azure Reboot, not before 2026-05-14T08:30:00+00:00', raised: at('00:40'), lowered: at('01:30'), raises: 2 },
    { node: 'pxnode-nyc-01', alarm: MAINTENANCE_ALARM, instance: 'Azure Freeze', raised: at('00:50'), lowered: null, raises: 1 },
    { node: 'pxnode-nyc-02', alarm: MAINTENANCE_ALARM, instance: null, raised: at('01:50'), lowered: at('01:55'), raises: 1 },
  ];
  assert.deepEqual(spans, expected);
  const time = (iso: string) => iso.slice(11, 19);
  assert.equal(alarmWords(expected[2]!, time), 'maintenance mode on pxnode-lon-01 (Azure Reboot, not before 2026-05-14T08:30:00+00:00), set at 08:00:40, unset at 08:01:30');
  assert.equal(alarmWords(expected[0]!, time), 'maintenance mode on pxnode-osl-01, set before the log began, unset at 08:00:05');
  assert.deepEqual((JSON.parse(run('info', file, '--json')) as { alarms: AlarmSpan[] }).alarms, expected);
  assert.ok(run('info', file).includes(`  pxnode-lon-01 ${MAINTENANCE_ALARM} [Azure Reboot, not before 2026-05-14T08:30:00+00:00]: 2026-05-14 08:00:40.000 .. 2026-05-14 08:01:30.000\n`));
  const timeline = (JSON.parse(run('timeline', file, '--json')) as TimelineEvent[]).filter((e) => e.kind === 'alarm').map((e) => [e.time, e.text, e.until]);
  assert.deepEqual(timeline, [
    [at('00:05'), 'pxnode-osl-01: maintenance mode unset (set before the log)', null],
    [at('00:30'), '10.44.99.3: alarm capacity_exhausted raised, never lowered', null],
    [at('00:40'), 'pxnode-lon-01: maintenance mode set (Azure Reboot, not before 2026-05-14T08:30:00+00:00)', at('01:30')],
    [at('00:50'), 'pxnode-nyc-01: maintenance mode set (Azure Freeze)', null],
    [at('01:50'), 'pxnode-nyc-02: maintenance mode set', at('01:55')],
  ]);
});

test('a generated log with scheduled maintenance: each as the generator wrote it, and a call up on that node then says so', async () => {
  const { generateLog } = await import('../generator/index.ts');
  const { text, truth } = generateLog({ seed: 4, calls: 300, maintenance: true });
  const file = join(tmp, 'maintenance.log');
  writeFileSync(file, text);
  assert.ok(truth.maintenance.length > 0, 'the generator wrote a maintenance');
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const overview = await api.overview();
  const spans = overview.alarms.filter((a) => a.alarm === MAINTENANCE_ALARM);
  // a node's lines come under its host name or its address: the bundle pairs them, and the span is its address's
  assert.deepEqual(spans.map((s) => [s.node, s.instance]), truth.maintenance.map((m) => [m.node, `Azure ${m.type}, not before ${m.notBefore}`]));
  // its times as written, give or take the node's delay
  for (const [k, m] of truth.maintenance.entries()) {
    assert.ok(Math.abs(Date.parse(spans[k]!.raised!) - Date.parse(m.from)) < 200 && Math.abs(Date.parse(spans[k]!.lowered!) - Date.parse(m.to)) < 200, JSON.stringify([spans[k], m]));
  }
  // a call on that node up while it was in maintenance mode has it among its alarms
  const m = truth.maintenance[0]!;
  const { rows: calls } = await api.calls({ limit: 100_000 });
  const up = calls.filter((c) => c.start && c.end && c.start < spans[0]!.lowered! && c.end > spans[0]!.raised! && [c.signalingNode, c.mediaNode].includes(m.node));
  assert.ok(up.length > 0, 'calls up on the node then');
  for (const c of up.slice(0, 5)) {
    const t = (await api.callTrace({ id: c.id }))!;
    assert.ok(t.alarms?.some((a) => a.alarm === MAINTENANCE_ALARM), c.id);
    // its ladder marks the mode set and unset where the call was up then
    const marks = ladderMarks(t).filter((k) => k.text.startsWith('maintenance mode'));
    const span = t.alarms!.find((a) => a.alarm === MAINTENANCE_ALARM)!;
    assert.deepEqual(marks.map((k) => k.text), [...(span.raised ? [`maintenance mode set on ${m.node}`] : []), ...(span.lowered ? [`maintenance mode unset on ${m.node}`] : [])]);
    assert.ok(run('trace', file, '--call', c.id).includes(`  alarm:      maintenance mode on ${m.node} (Azure ${m.type}, not before ${m.notBefore}), set at `), c.id);
  }
});
