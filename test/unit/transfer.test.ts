/**
 * A SIP call's transfers (shared/transfer.ts): on a log written here, a blind transfer the far
 * end asks for that succeeds, an attended one the node makes whose new call is refused, a REFER
 * refused, one whose NOTIFYs stop at 100 Trying, compact headers; in the trace's JSON and text,
 * and the report. Then the generator's (transfers: true: the node's blind REFERs) against its truth.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { callIndexOf } from '../../electron/engine/correlate/call-cache.ts';
import { callTransfers, transferTrouble, transferWords } from '../../electron/shared/transfer.ts';
import type { CallTransfer } from '../../electron/shared/transfer.ts';
import { senderOf } from '../../electron/shared/call-ending.ts';
import { writeLog } from '../generator/index.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-transfer-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache'), PEXLENS_FROM_SOURCE: '1' };

/** A SIP line of the log's layout: received from or sent to the endpoint at 10.47.9.9; a body after the headers. */
const sip = (time: string, dir: 'in' | 'out', cid: string, start: string, headers: string[] = [], body: string[] = []) => {
  const [src, dst] = dir === 'in' ? ['10.47.9.9', '10.44.99.2'] : ['10.44.99.2', '10.47.9.9'];
  return `2026-05-14T${time}+00:00 10.44.99.2 2026-05-14 ${time.replace('.', ',')} Level="INFO" Name="support.sip" Message="${dir === 'in' ? 'Received' : 'Sending'} SIP message" ` +
    `Src-Address="${src}" Src-Port="5060" Dst-Address="${dst}" Dst-Port="5060" Transport="TCP" ` +
    `Detail="^M${start}^MCall-ID: ${cid}^MFrom: <sip:bob@example.com>;tag=a^MTo: <sip:meet@example.com>;tag=b^M${headers.map((h) => h + '^M').join('')}Content-Length: ${body.join('\r\n').length}^M^M${body.join('^M')}"`;
};
const dialog = (t: string, cid: string) => [
  sip(`${t}:00.000`, 'in', cid, 'INVITE sip:meet@example.com SIP/2.0', ['CSeq: 1 INVITE']),
  sip(`${t}:00.200`, 'out', cid, 'SIP/2.0 200 OK', ['CSeq: 1 INVITE']),
  sip(`${t}:00.300`, 'in', cid, 'ACK sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 1 ACK']),
];

test("a call's transfers: where to, who asked, the REFER's answer and what the new call became, in the trace, its text and the report", async () => {
  const log = [
    // t1: the far end transfers the call blind; the new call rings, then answers
    ...dialog('10:00', 't1'),
    sip('10:01:00.000', 'in', 't1', 'REFER sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 REFER', 'Refer-To: <sip:carol@example.com>', 'Referred-By: <sip:bob@example.com>']),
    sip('10:01:00.050', 'out', 't1', 'SIP/2.0 202 Accepted', ['CSeq: 2 REFER']),
    sip('10:01:00.100', 'out', 't1', 'NOTIFY sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 1 NOTIFY', 'Event: refer;id=2', 'Subscription-State: active', 'Content-Type: message/sipfrag'], ['SIP/2.0 100 Trying']),
    sip('10:01:03.000', 'out', 't1', 'NOTIFY sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 2 NOTIFY', 'Event: refer;id=2', 'Subscription-State: terminated', 'Content-Type: message/sipfrag'], ['SIP/2.0 200 OK']),
    // t2: the node transfers it attended (compact headers); the new call is refused
    ...dialog('10:10', 't2'),
    sip('10:11:00.000', 'out', 't2', 'REFER sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 5 REFER', 'r: <sip:dave@example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>']),
    sip('10:11:00.040', 'in', 't2', 'SIP/2.0 202 Accepted', ['CSeq: 5 REFER']),
    sip('10:11:01.000', 'in', 't2', 'NOTIFY sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 7 NOTIFY', 'o: refer', 'c: message/sipfrag'], ['SIP/2.0 486 Busy Here']),
    // a late provisional report does not undo the final one
    sip('10:11:01.500', 'in', 't2', 'NOTIFY sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 8 NOTIFY', 'o: refer', 'c: message/sipfrag'], ['SIP/2.0 180 Ringing']),
    // t3: a REFER refused
    ...dialog('10:20', 't3'),
    sip('10:21:00.000', 'in', 't3', 'REFER sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 REFER', 'Refer-To: sip:erin@example.com']),
    sip('10:21:00.030', 'out', 't3', 'SIP/2.0 403 Forbidden', ['CSeq: 2 REFER']),
    // t4: accepted, the new call never gets past trying in the log
    ...dialog('10:30', 't4'),
    sip('10:31:00.000', 'in', 't4', 'REFER sip:meet@10.44.99.2 SIP/2.0', ['CSeq: 2 REFER', 'Refer-To: <sip:frank@example.com>']),
    sip('10:31:00.030', 'out', 't4', 'SIP/2.0 202 Accepted', ['CSeq: 2 REFER']),
    sip('10:31:00.060', 'out', 't4', 'NOTIFY sip:bob@10.47.9.9 SIP/2.0', ['CSeq: 1 NOTIFY', 'Event: refer', 'Content-Type: message/sipfrag'], ['SIP/2.0 100 Trying']),
  ];
  const file = join(tmp, 'transfer.log');
  writeFileSync(file, log.join('\n') + '\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const of = (id: string) => {
    const t = index.trace(id)!;
    return { t, x: callTransfers(t.messages) };
  };
  const summary = (x: CallTransfer[]) => x.map(({ by, to, attended, answer, result }) => ({ by, to, attended, answer: answer && `${answer.status} ${answer.reason}`, result: result && `${result.status} ${result.reason}${result.final ? '' : ' …'}` }));
  assert.deepEqual(summary(of('t1').x), [{ by: 'far end', to: 'sip:carol@example.com', attended: false, answer: '202 Accepted', result: '200 OK' }]);
  assert.deepEqual(summary(of('t2').x), [{ by: 'node', to: 'sip:dave@example.com', attended: true, answer: '202 Accepted', result: '486 Busy Here' }]);
  assert.deepEqual(summary(of('t3').x), [{ by: 'far end', to: 'sip:erin@example.com', attended: false, answer: '403 Forbidden', result: null }]);
  assert.deepEqual(summary(of('t4').x), [{ by: 'far end', to: 'sip:frank@example.com', attended: false, answer: '202 Accepted', result: '100 Trying …' }]);
  // each points at its REFER, its answer and its last NOTIFY among the messages
  const { t, x } = of('t1');
  assert.deepEqual([t.messages[x[0]!.at]!.sip?.method, t.messages[x[0]!.answer!.at]!.sip?.status, t.messages[x[0]!.result!.at]!.time], ['REFER', 202, '2026-05-14T10:01:03.000Z']);
  // in words; only the one that went well is no trouble
  assert.deepEqual(['t1', 't2', 't3', 't4'].map((id) => [transferWords(of(id).x[0]!), transferTrouble(of(id).x[0]!)]), [
    ['the far end transferred it to sip:carol@example.com: accepted (202 Accepted), the new call answered 200 OK', false],
    ['the node transferred it (attended) to sip:dave@example.com: accepted (202 Accepted), the new call failed: 486 Busy Here', true],
    ['the far end transferred it to sip:erin@example.com: refused (403 Forbidden)', true],
    ['the far end transferred it to sip:frank@example.com: accepted (202 Accepted), the new call got no further than 100 Trying in the log', true],
  ]);
  // the CLI: a transfer: line, transfers in --json, a Transfer row in the report
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env }).toString();
  assert.ok(run('trace', file, '--call', 't2').includes(`\n  transfer:   ${transferWords(of('t2').x[0]!)}\n`));
  assert.deepEqual((JSON.parse(run('trace', file, '--call', 't3', '--json')) as { transfers: CallTransfer[] }).transfers, of('t3').x);
  assert.match(run('export', file, '--call', 't1', '--format', 'text', '-o', '-'), /\n {2}Transfer \.+ the far end transferred it to sip:carol@example\.com: accepted/);
  // the ladder says what each NOTIFY reports, before its URI
  assert.deepEqual(of('t2').t.messages.filter((m) => m.sip?.method === 'NOTIFY').map((m) => m.summary), ['NOTIFY (486 Busy Here) sip:meet@10.44.99.2', 'NOTIFY (180 Ringing) sip:meet@10.44.99.2']);
  // a call with no REFER has none
  assert.deepEqual(callTransfers(index.trace('t1')!.messages.slice(0, 3)), []);
});

test("the generator's transfers: each call's REFER, its answer and what its NOTIFYs reported, as the truth has them; a call transferred is hung up by the far end; the others have none", async () => {
  const file = join(tmp, 'generated.log');
  const truth = await writeLog(file, { seed: 23, calls: 250, transfers: true });
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const moved = truth.calls.filter((c) => c.transfer);
  const kinds = new Set(moved.map((c) => (c.transfer!.outcome === null ? 'refused' : c.transfer!.outcome === '200 OK' ? 'done' : 'failed')));
  assert.deepEqual(kinds, new Set(['refused', 'done', 'failed']), 'transfers of each kind in the sample');
  for (const c of truth.calls.filter((c) => c.protocol === 'SIP' && !c.failed)) {
    const t = index.trace(c.id)!;
    const x = callTransfers(t.messages);
    if (!c.transfer) {
      assert.deepEqual(x, [], `${c.id}: no transfer`);
      continue;
    }
    assert.deepEqual(
      x.map(({ by, to, attended, answer, result }) => ({ by, to, attended, answer: answer && `${answer.status} ${answer.reason}`, result: result && `${result.status} ${result.reason}` })),
      [{ by: 'node', to: c.transfer.to, attended: false, answer: c.transfer.answer, result: c.transfer.outcome }],
      c.id,
    );
    assert.equal(transferTrouble(x[0]!), c.transfer.outcome !== '200 OK', `${c.id}: trouble`);
    const bye = t.messages.filter((m) => m.sip?.method === 'BYE').at(-1)!;
    if (c.transfer.outcome === '200 OK') assert.equal(senderOf(bye), 'far end', `${c.id}: left for the new call`);
  }
});
