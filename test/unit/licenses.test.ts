/**
 * The licences a call held (Licenses, License-Type of its conference lines) and the most in use at
 * once per type (shared/call-load.ts licensePeaks), on a log written here: the generator gives
 * every call one port licence, and a licence case is about the other types and the overlaps. In
 * the summaries, the CSV, the trace text and `pexlens calls`.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { callLoad, licensePeaks } from '../../electron/shared/call-load.ts';
import { CALL_CSV_HEADER, callCsvLine } from '../../electron/engine/export/call-csv.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-licenses-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache'), PEXLENS_FROM_SOURCE: '1' };

/** An administrator.conference line of the log's layout at 2026-05-14 `time`. */
const admin = (time: string, rest: string) =>
  `2026-05-14T${time}.000+00:00 10.44.99.2 2026-05-14 ${time},000 Level="INFO" Name="administrator.conference" ${rest}`;
const party = (id: string, protocol = 'SIP') =>
  `Conference="meet" Service-Type="conference" ConferenceAlias="sip:meet@example.com" Participant="sip:${id}@example.com" Protocol="${protocol}" Direction="in" Call-Id="${id}" Conversation-Id="${id}" Participant-Id="p-${id}"`;
/** A call joining at `from` with `n` licences and leaving at `to` (its disconnect says the type), or still up when the log ends. */
const call = (id: string, from: string, to: string | null, n: number, type: string, protocol?: string) => [
  admin(from, `Message="Participant has joined." ${party(id, protocol)} Licenses="${n}"`),
  ...(to === null ? [] : [admin(to, `Message="Participant has disconnected." ${party(id, protocol)} Licenses="${n}" License-Type="${type}" Duration="${(Date.parse(`2026-05-14T${to}Z`) - Date.parse(`2026-05-14T${from}Z`)) / 1000}" Detail="Remote disconnect"`)]),
];

test('licences: what each call held, the most in use at once per type and when, in the summaries, the CSV, the trace and `pexlens calls`', async () => {
  const lines = [
    ...call('port-a', '08:00:00', '08:10:00', 1, 'port'),
    ...call('none-f', '08:01:00', '08:02:00', 0, 'None'),
    ...call('port-b', '08:05:00', '08:15:00', 2, 'port'),
    ...call('audio-c', '08:06:00', '08:07:00', 1, 'audio'),
    // an audio call that starts as the other ends: never two at once
    ...call('audio-d', '08:07:00', '08:09:00', 1, 'audio'),
    ...call('up-e', '08:08:00', null, 1, ''),
    admin('08:09:30', `Message="Participant failed to join conference." ${party('failed-g')} Reason="Out of resources"`),
    admin('08:20:00', 'Message="Conference node load" Media-Load="3"'),
  ].sort();
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const session = await openBundle([file]);
  const { calls } = buildCallIndex(session);
  const held = Object.fromEntries(calls.map((c) => [c.id, [c.licenses, c.licenseType]]));
  assert.deepEqual(held, {
    'port-a': [1, 'port'], 'none-f': [0, 'None'], 'port-b': [2, 'port'], 'audio-c': [1, 'audio'], 'audio-d': [1, 'audio'], 'up-e': [1, null], 'failed-g': [null, null],
  });
  // port: 1 from 08:00, 3 from 08:05; audio: one at a time; the call up at the end, of no known type
  const peaks = [
    { type: 'port', peak: 3, at: '2026-05-14T08:05:00.000Z' },
    { type: 'audio', peak: 1, at: '2026-05-14T08:06:00.000Z' },
    { type: null, peak: 1, at: '2026-05-14T08:08:00.000Z' },
  ];
  assert.deepEqual(licensePeaks(calls), peaks);
  const { from, to } = session.store.timeSpan();
  assert.deepEqual(callLoad(calls, from, to, 10).licenses, peaks, "the overview's call load says the same");

  const header = CALL_CSV_HEADER.trimEnd().split(',');
  const row = (id: string) => callCsvLine(calls.find((c) => c.id === id)!).trimEnd().split(',');
  const col = (name: string) => header.indexOf(name);
  assert.deepEqual([row('audio-c')[col('Licences')], row('audio-c')[col('Licence type')]], ['1', 'audio']);
  assert.deepEqual([row('up-e')[col('Licences')], row('up-e')[col('Licence type')]], ['1', '']);
  assert.deepEqual([row('failed-g')[col('Licences')], row('failed-g')[col('Licence type')]], ['', '']);

  const trace = execFileSync(process.execPath, [cli, 'trace', file, '--call', 'port-b', '--no-cache'], { env, encoding: 'utf8' });
  assert.match(trace, /^ {2}licences: +2 port$/m);
  assert.match(execFileSync(process.execPath, [cli, 'trace', file, '--call', 'up-e', '--no-cache'], { env, encoding: 'utf8' }), /^ {2}licences: +1 \(type not logged\)$/m);
  const listed = execFileSync(process.execPath, [cli, 'calls', file, '--no-cache'], { env, encoding: 'utf8' });
  assert.match(listed, /\nlicences in use at most: 3 port at 2026-05-14 08:05:00\.000; 1 audio at 2026-05-14 08:06:00\.000; 1 type not logged at 2026-05-14 08:08:00\.000\n$/);
  // over the calls listed
  const audio = execFileSync(process.execPath, [cli, 'calls', file, '--no-cache', '--filter', 'audio'], { env, encoding: 'utf8' });
  assert.match(audio, /\nlicences in use at most: 1 audio at 2026-05-14 08:06:00\.000\n$/);
});
