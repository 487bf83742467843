/**
 * How a call ended (shared/call-ending.ts): against a generated log's calls (who the generator had
 * hang up, by the reason it logged; the failures it made) and a log written here with what the
 * generator does not make (a caller who gives up, a BYE with a Reason header, an outbound call the
 * far end refuses, a conference ended under its guest when the last host left).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { callIndexOf } from '../../electron/engine/correlate/call-cache.ts';
import { callEnding, endingWords } from '../../electron/shared/call-ending.ts';
import type { CallEnding } from '../../electron/shared/call-ending.ts';
import { flowLines } from '../../electron/shared/call-text.ts';
import type { CallTrace } from '../../electron/api.ts';
import { writeLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import type { TruthCall } from '../generator/index.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-ending-'));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache') };
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));

/** What the generator's teardown of a connected call is, by protocol, and who sent it. */
function expected(c: TruthCall): Pick<CallEnding, 'by' | 'what'> {
  if (c.protocol === 'WebRTC') return c.reason === 'Participant disconnected' ? { by: 'far end', what: 'disconnect request' } : { by: null, what: null };
  const byFarEnd = c.reason === 'Remote disconnect';
  return { by: byFarEnd ? 'far end' : 'node', what: c.protocol === 'SIP' ? 'BYE' : 'endSessionCommand' };
}

test("each call's ending: who the generator had hang up, with what, how long after it joined, and why", async () => {
  const file = join(tmp, 'unified_support.log');
  const truth = await writeLog(file, { seed: 31, calls: 400 });
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const seen = new Map<string, number>();
  for (const c of truth.calls.filter((x) => x.missingFragments === 0)) {
    const trace = index.trace(c.id)!;
    const e = callEnding(trace);
    assert.ok(e, `${c.id}: its end is in the log`);
    const own = c.lineNumbers.map((n) => lines[n - 1]!);
    if (!c.failed) {
      assert.deepEqual({ by: e.by, what: e.what }, expected(c), `${c.id} (${c.protocol}, ${c.reason})`);
      assert.equal(e.reason, c.reason);
      // from its join line to the line that ended it (or its disconnect line)
      const joined = timeOf(own.find((l) => l.includes('Message="Participant has joined."'))!);
      const ender = e.at !== null ? trace.messages[e.at]!.source.line : c.lineNumbers.find((n) => lines[n - 1]!.includes('Message="Participant has disconnected."'))!;
      assert.equal(e.afterMs, timeOf(lines[ender - 1]!) - joined, `${c.id}: how long after it joined`);
      assert.match(endingWords(e), e.by ? new RegExp(`^the ${e.by} hung up \\(${e.what}\\) .+ after it joined: ${c.reason}$`) : new RegExp(`^ended .+ after it joined: ${c.reason}$`));
    } else {
      // the node refuses what it cannot place: a SIP failure response, a Q.931 release, a location reject
      assert.equal(e.by, 'node', `${c.id}: refused by the node`);
      const refusal = own.find((l) => /\^MSIP\/2\.0 [3-6]\d\d |releaseComplete|locationReject/.test(l))!;
      assert.equal(trace.messages[e.at!]!.source.line, c.lineNumbers[own.indexOf(refusal)], `${c.id}: the refusal`);
      const sip = /\^MSIP\/2\.0 ([3-6]\d\d [^^]+)\^M/.exec(refusal)?.[1];
      if (sip) assert.equal(e.what, sip);
      assert.match(endingWords(e), /^the node refused it \(.+\) .+ after its setup: .+$/);
    }
    assert.ok(flowLines(trace).some((l) => l.startsWith('Ended ') && l.endsWith(endingWords(e))), `${c.id}: its row`);
    const kind = `${c.protocol} ${c.failed ? 'failed' : e.by}`;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
  }
  for (const kind of ['SIP far end', 'SIP node', 'SIP failed', 'H323 far end', 'H323 node', 'H323 failed', 'WebRTC far end', 'WebRTC null']) assert.ok(seen.get(kind), `the log has ${kind} calls (${[...seen.keys()].join(', ')})`);

  // pexlens trace: an ended: line, and ending in --json
  const one = truth.calls.find((c) => c.protocol === 'SIP' && !c.failed && c.reason === 'Remote disconnect')!;
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', one.id, '--json'], { env }).toString()) as CallTrace & { ending: CallEnding };
  assert.deepEqual(json.ending, callEnding(json));
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', one.id], { env }).toString();
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('  ended:')), [`  ended:      ${endingWords(json.ending)}`]);
});

/** A SIP line of the log's layout: received from or sent to the endpoint at 10.47.9.9. */
const sip = (time: string, dir: 'in' | 'out', cid: string, start: string, headers: string[] = []) => {
  const [src, dst] = dir === 'in' ? ['10.47.9.9', '10.44.99.2'] : ['10.44.99.2', '10.47.9.9'];
  return `2026-05-14T${time}+00:00 10.44.99.2 2026-05-14 ${time.replace('.', ',')} Level="INFO" Name="support.sip" Message="${dir === 'in' ? 'Received' : 'Sending'} SIP message" ` +
    `Src-Address="${src}" Src-Port="5060" Dst-Address="${dst}" Dst-Port="5060" Transport="TCP" ` +
    `Detail="^M${start}^MCall-ID: ${cid}^MFrom: <sip:bob@example.com>;tag=a^MTo: <sip:meet@example.com>^M${headers.map((h) => h + '^M').join('')}Content-Length: 0^M"`;
};

test('a caller who gives up, a hang-up with its Reason header, an outbound call the far end refuses, Q.850 causes said in words', async () => {
  const log = [
    sip('10:00:00.000', 'in', 'g1', 'INVITE sip:meet@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    sip('10:00:00.050', 'out', 'g1', 'SIP/2.0 180 Ringing', ['CSeq: 1 INVITE']),
    sip('10:00:12.000', 'in', 'g1', 'CANCEL sip:meet@example.com SIP/2.0', ['CSeq: 1 CANCEL']),
    sip('10:00:12.010', 'out', 'g1', 'SIP/2.0 487 Request Terminated', ['CSeq: 1 INVITE']),
    sip('10:10:00.000', 'in', 'r2', 'INVITE sip:meet@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    sip('10:10:00.500', 'out', 'r2', 'SIP/2.0 200 OK', ['CSeq: 1 INVITE']),
    sip('10:10:00.600', 'in', 'r2', 'ACK sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 1 ACK']),
    sip('10:15:00.600', 'in', 'r2', 'BYE sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 BYE', 'Reason: Q.850;cause=16;text="Normal call clearing"']),
    sip('10:20:00.000', 'out', 'o3', 'INVITE sip:bob@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    sip('10:20:02.300', 'in', 'o3', 'SIP/2.0 486 Busy Here', ['CSeq: 1 INVITE']),
    // a gateway's hang-up whose Q.850 cause gives no text; beside a SIP reason that does
    sip('10:30:00.000', 'out', 'q4', 'INVITE sip:bob@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    sip('10:30:01.000', 'in', 'q4', 'SIP/2.0 200 OK', ['CSeq: 1 INVITE']),
    sip('10:30:01.100', 'out', 'q4', 'ACK sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 1 ACK']),
    sip('10:30:31.100', 'in', 'q4', 'BYE sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 BYE', 'Reason: SIP;cause=200;text="Call completed elsewhere", Q.850 ;cause=102']),
    sip('10:40:00.000', 'out', 'q5', 'INVITE sip:bob@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    sip('10:40:01.000', 'in', 'q5', 'SIP/2.0 503 Service Unavailable', ['CSeq: 1 INVITE', 'Reason: Q.850;cause=34']),
  ];
  const file = join(tmp, 'ending.log');
  writeFileSync(file, log.join('\n') + '\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const words = (id: string) => endingWords(callEnding(index.trace(id)!)!);
  assert.equal(words('g1'), 'the caller gave up (CANCEL) 12 s after its setup: 487 Request Terminated');
  // no admin line: not joined, but answered; the BYE still hangs up, its Reason given
  assert.equal(words('r2'), 'the far end hung up (BYE, Q.850;cause=16;text="Normal call clearing") 5 min 01 s after its setup');
  assert.equal(words('o3'), 'the far end refused it (486 Busy Here) 2.3 s after its setup');
  assert.equal(words('q4'), 'the far end hung up (BYE, SIP;cause=200;text="Call completed elsewhere", Q.850 ;cause=102 (recovery on timer expiry)) 31 s after its setup');
  // the ladder's label of the refusal says the cause in words too
  assert.ok(index.trace('q5')!.messages.some((m) => m.summary === '503 Service Unavailable (1 INVITE) Reason: Q.850;cause=34 (no circuit/channel available)'));
  assert.equal(words('q5'), 'the far end refused it (503 Service Unavailable, Q.850;cause=34 (no circuit/channel available)) 1.0 s after its setup');
});

/** An administrator.conference line from the node. */
const admin = (time: string, message: string, fields: string) =>
  `2026-05-14T${time}+00:00 10.44.99.2 2026-05-14 ${time.replace('.', ',')} Level="INFO" Name="administrator.conference" Message="${message}" ${fields}`;

test('a conference ended under a guest as its last host left: said in its ending, its trace and the API, and not of the host', async () => {
  const joined = (time: string, cid: string, who: string) => admin(time, 'Participant has joined.', `Conference="Meet Alice" Participant="${who}" Call-Id="${cid}" Role="guest"`);
  const left = (time: string, cid: string, who: string, reason: string) => admin(time, 'Participant has disconnected.', `Conference="Meet Alice" Participant="${who}" Call-Id="${cid}" Duration="60" Detail="${reason}"`);
  const bob = 'sip:bob@example.com';
  const log = [
    sip('10:00:00.000', 'in', 'h1', 'INVITE sip:meet@example.com SIP/2.0', ['CSeq: 1 INVITE']).replace('<sip:bob@example.com>', '<sip:alice@example.com>'),
    joined('10:00:00.500', 'h1', 'sip:alice@example.com'),
    sip('10:01:00.000', 'in', 'g2', 'INVITE sip:meet@example.com SIP/2.0', ['CSeq: 1 INVITE']),
    joined('10:01:00.500', 'g2', bob),
    sip('10:05:00.000', 'in', 'h1', 'BYE sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 BYE']).replace('<sip:bob@example.com>', '<sip:alice@example.com>'),
    left('10:05:00.100', 'h1', 'sip:alice@example.com', 'Remote disconnect'),
    admin('10:05:00.200', 'Last host left the conference and has not re-joined; conference will be terminated.', 'Conference="Meet Alice" Service-Tag=""'),
    // another conference's removal at the same time is not this call's
    admin('10:06:00.000', 'Removing participant due to conference termination', `Participant="${bob}" Conference="Other Room" Service-Tag=""`),
    admin('10:06:00.100', 'Removing participant due to conference termination', `Participant="${bob}" Conference="Meet Alice" Service-Tag=""`),
    sip('10:06:00.200', 'out', 'g2', 'BYE sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 1 BYE']),
    left('10:06:00.300', 'g2', bob, 'Conference terminated'),
  ];
  const file = join(tmp, 'terminated.log');
  writeFileSync(file, log.join('\n') + '\n');
  const json = (id: string) => JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', id, '--json'], { env }).toString()) as CallTrace & { ending: CallEnding };
  const guest = json('g2');
  assert.deepEqual(guest.audit!.map((e) => [e.time, e.conference, e.message]), [
    ['2026-05-14T10:05:00.200Z', 'Meet Alice', 'Last host left the conference and has not re-joined; conference will be terminated.'],
    ['2026-05-14T10:06:00.100Z', 'Meet Alice', 'Removing participant due to conference termination'],
  ]);
  assert.deepEqual(guest.ending.conferenceEnded, { at: '2026-05-14T10:06:00.100Z', lastHostLeft: '2026-05-14T10:05:00.200Z' });
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', 'g2', '--tz', 'Europe/Oslo'], { env }).toString();
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('  ended:')), ['  ended:      the node hung up (BYE) 5 min 00 s after it joined: Conference terminated; its conference was ended: the last host left at 12:05:00']);
  // the host left on its own: nothing of the termination is its
  assert.deepEqual([json('h1').audit, json('h1').ending.conferenceEnded], [undefined, null]);
  // the app asks by the call's ids: the lines come back named by it
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const own = await api.auditEvents({ callIds: ['g2'] });
  assert.deepEqual(own.map((e) => [e.message.slice(0, 20), e.callId]), [['Last host left the c', 'g2'], ['Removing participant', 'g2']]);
  assert.deepEqual(await api.auditEvents({ callIds: ['h1'] }), []);
});
