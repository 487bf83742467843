/**
 * A call's SIP dialog read from its trace: its SDP offers and answers (shared/sdp.ts) and its
 * session timer (shared/session-timer.ts). Against the generator's record of what each endpoint
 * offered (SRTP or not, AAC-LD or G.711 only, video or not, a hold and its resume), the end-of-call
 * statistics' codec, and each call's session refreshes or its lapse; and from a log written here
 * with what the generator does not make (a delayed offer, a stream rejected, a 488, a
 * retransmission, static payload types, a multipart body, NAT, an older hold; a timer the node
 * refreshes, one not taken up, one not refreshed while the call went on).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { callIndexOf } from '../../electron/engine/correlate/call-cache.ts';
import { negotiations, negotiationWords, outcomeWords } from '../../electron/shared/sdp.ts';
import type { Negotiation } from '../../electron/shared/sdp.ts';
import { MEDIA_MESSAGE, parseMediaStats } from '../../electron/shared/media-stats.ts';
import { flowLines } from '../../electron/shared/call-text.ts';
import { sessionTimer, timerWords } from '../../electron/shared/session-timer.ts';
import type { SessionTimer } from '../../electron/shared/session-timer.ts';
import type { CallTrace } from '../../electron/api.ts';
import { writeLog } from '../generator/index.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-sdp-'));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache') };
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const names = (n: Negotiation) => n.media.map((a) => a.name);
const codecOf = (n: Negotiation, name: string) => n.media.find((a) => a.name === name)?.codec;

const file = join(tmp, 'unified_support.log');
const generated = (async () => {
  const truth = await writeLog(file, { seed: 31, calls: 400 });
  return { truth, index: await callIndexOf(await openBundle([file]), { cache: false }) };
})();

test("each SIP call's offers and answers say what its endpoint offered and Infinity took, as the generator made them", async () => {
  const { truth, index } = await generated;
  const sip = truth.calls.filter((c) => c.offer && c.missingFragments === 0);
  const seen = { plain: 0, g711: 0, audioOnly: 0, hold: 0, refused: 0 };
  for (const c of sip) {
    const o = c.offer!;
    const trace = index.trace(c.id)!;
    const n = negotiations(trace.messages);
    if (c.failed) {
      // the INVITE's offer is refused by the final response the call ended on
      const final = c.sipSequence.find((s) => /^[3-6]\d\d /.test(s))!;
      assert.equal(n.length, 1, `${c.id}: one offer`);
      assert.equal(n[0]!.refused, final, `${c.id}: refused by ${final}`);
      assert.ok(n[0]!.media.every((a) => a.state === 'unanswered'));
      assert.ok(n[0]!.issues.includes(`offer refused: ${final}`));
      seen.refused++;
      continue;
    }
    const want = ['audio', ...(o.video ? ['video'] : []), ...(c.counts.bfcp > 0 ? ['slides', 'BFCP'] : [])];
    assert.equal(n.length, o.hold ? 3 : 1, `${c.id}: the INVITE, and a hold's two re-INVITEs`);
    for (const x of n) {
      assert.deepEqual(names(x), want, `${c.id}: its streams`);
      assert.ok(x.answer !== null && x.media.every((a) => a.state === 'agreed'), `${c.id}: all agreed`);
      assert.equal(trace.messages[x.answer!]!.sip?.status, 200);
      assert.equal(codecOf(x, 'audio'), o.audio === 'g711' ? 'PCMA/8000' : 'MP4A-LATM/90000');
      if (o.video) assert.equal(codecOf(x, 'video'), 'H264/90000');
      assert.equal(x.issues.some((s) => s.endsWith('not encrypted')), !o.srtp, `${c.id}: encryption`);
    }
    if (o.hold) {
      assert.ok(n[1]!.issues.includes(`${want.filter((w) => w !== 'BFCP').join(', ')} sendonly (on hold)`), `${c.id}: ${n[1]!.issues.join('; ')}`);
      assert.ok(n[2]!.issues.every((s) => !s.includes('hold')), `${c.id}: taken back`);
      // the ladder's labels say it without opening the messages
      assert.match(trace.messages[n[1]!.offer]!.summary, /\+SDP sendonly \[/);
      assert.match(trace.messages[n[1]!.answer!]!.summary, /\+SDP recvonly \[/);
      assert.match(trace.messages[n[2]!.offer]!.summary, /\+SDP \[/);
      seen.hold++;
    }
    // the codec the statistics say was sent is the one agreed
    const stats = trace.messages.filter((m) => m.summary === MEDIA_MESSAGE).flatMap((m) => parseMediaStats(m.lines));
    for (const s of stats) assert.equal(s.rx?.codec, codecOf(n[0]!, s.kind)?.split('/')[0], `${c.id}: ${s.kind} codec`);
    assert.equal(stats.some((s) => s.kind === 'video'), o.video || stats.length === 0);
    // the call's texts: a row per exchange
    const rows = flowLines(trace).filter((l) => l.startsWith('SDP '));
    assert.equal(rows.length, n.length);
    for (const [k, x] of n.entries()) assert.ok(rows[k]!.endsWith(negotiationWords(x, trace.messages)), rows[k]);
    if (!o.srtp) seen.plain++;
    if (o.audio === 'g711') seen.g711++;
    if (!o.video) seen.audioOnly++;
  }
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `the log has ${k} calls`);

  // pexlens trace: a line per exchange, and the same in --json
  const held = sip.find((c) => c.offer!.hold && !c.failed)!;
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', held.id, '--json'], { env }).toString()) as CallTrace & { negotiation: Negotiation[] };
  assert.deepEqual(json.negotiation, negotiations(json.messages));
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', held.id], { env }).toString();
  const lines = text.split('\n').filter((l) => l.startsWith('  sdp:'));
  assert.deepEqual(lines, json.negotiation.map((n) => `  sdp:        ${json.messages[n.offer]!.time} ${negotiationWords(n, json.messages)}`));
});

test("each connected SIP call's session timer: the interval its 200 OK agreed, the far end refreshing, each refresh, and the lapses the generator made", async () => {
  const { truth, index } = await generated;
  const seen = { lapsed: 0, refreshed: 0 };
  for (const c of truth.calls.filter((x) => x.protocol === 'SIP' && x.missingFragments === 0)) {
    const trace = index.trace(c.id)!;
    const t = sessionTimer(trace.messages);
    if (!c.timer) {
      assert.equal(t, null, `${c.id}: failed, no session`);
      continue;
    }
    assert.ok(t, `${c.id}: a session timer`);
    assert.deepEqual([t.asked, t.interval, t.refresher, t.refresherSide], [1800, 1800, 'uac', 'remote']);
    assert.equal(t.refreshes.length, c.timer.refreshes, `${c.id}: its refreshes`);
    assert.equal(t.lapsed, c.timer.lapsed, `${c.id}: lapsed`);
    assert.equal(t.issues.length > 0, c.timer.lapsed, `${c.id}: ${t.issues.join('; ')}`);
    assert.equal(trace.messages[t.bye!]!.sip?.method, 'BYE');
    if (c.timer.lapsed) {
      // the node hung up, as the interval ran out
      assert.equal(trace.messages[t.bye!]!.direction, 'out');
      assert.equal(c.reason, trace.call.disconnectReason);
      seen.lapsed++;
    } else assert.ok(t.longestMs <= 1800_000, `${c.id}: refreshed in time (${t.longestMs} ms)`);
    if (t.refreshes.length) seen.refreshed++;
    assert.ok(flowLines(trace).some((l) => l.startsWith('Session timer ') && l.endsWith(timerWords(t))));
  }
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `the log has ${k} sessions`);
  // pexlens trace: a timer: line, and sessionTimer in --json
  const lapsed = truth.calls.find((c) => c.timer?.lapsed && c.missingFragments === 0)!;
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', lapsed.id, '--json'], { env }).toString()) as CallTrace & { sessionTimer: SessionTimer };
  assert.deepEqual(json.sessionTimer, sessionTimer(json.messages));
  assert.ok(json.sessionTimer.lapsed);
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', lapsed.id], { env }).toString();
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('  timer:')), [`  timer:      ${timerWords(json.sessionTimer)}`]);
});

/** A support.sip line of the log's layout, its message written with `^M` for each line break. */
function sipLine(at: string, recv: boolean, src: string, dst: string, msg: string[]): string {
  const node = recv ? dst : src;
  return `2026-05-14T${at}+00:00 ${node} 2026-05-14 ${at.replace('.', ',')} Level="INFO" Name="support.sip" ` +
    `Message="${recv ? 'Received' : 'Sending'} SIP message" Src-Address="${src}" Src-Port="5060" Dst-Address="${dst}" Dst-Port="5060" ` +
    `Transport="TCP" Detail="^M${msg.join('^M')}"`;
}

function withSdp(start: string, headers: string[], body: string[], ctype = 'application/sdp'): string[] {
  const b = body.join('\r\n') + '\r\n';
  return [start, ...headers, `Content-Type: ${ctype}`, `Content-Length: ${b.length}`, '', ...body];
}

const EP = '10.47.9.9';
const PX = '10.44.99.2';
const NAT = '203.0.113.7';

test('a delayed offer, a stream rejected, a 488, a retransmission, static payload types and a multipart body pair and read as RFC 3264 says', async () => {
  const hs = (cid: string, cseq: string) => [`Via: SIP/2.0/TCP ${EP}:5060;branch=z9hG4bK${cid}${cseq.replace(' ', '')}`, `Call-ID: ${cid}`, `From: <sip:bob@example.com>;tag=a1`, `To: <sip:meet@example.com>;tag=b2`, `CSeq: ${cseq}`];
  const offer = (port: number, dir = 'sendrecv') => ['v=0', `o=- 1 1 IN IP4 ${EP}`, 's=-', `c=IN IP4 ${EP}`, 't=0 0',
    `m=audio ${port} RTP/AVP 18 0 8 101`, 'a=rtpmap:101 telephone-event/8000', `a=${dir}`,
    `m=video ${port + 2} RTP/AVP 34`, `m=application ${port + 4} TCP/BFCP *`];
  const lines = [
    // 1: a delayed offer: INVITE without SDP, Infinity offers in its 200 OK (sent twice), the ACK answers (sendonly for the whole session)
    sipLine('08:00:00.000', true, EP, PX, [`INVITE sip:meet@example.com SIP/2.0`, ...hs('d1', '1 INVITE'), 'Content-Length: 0', '']),
    sipLine('08:00:00.500', false, PX, EP, withSdp('SIP/2.0 200 OK', hs('d1', '1 INVITE'), ['v=0', `o=- 2 2 IN IP4 ${PX}`, 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40000 RTP/SAVP 9 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x', 'm=video 40002 RTP/SAVP 97', 'a=rtpmap:97 H264/90000'])),
    sipLine('08:00:00.550', false, PX, EP, withSdp('SIP/2.0 200 OK', hs('d1', '1 INVITE'), ['v=0', `o=- 2 2 IN IP4 ${PX}`, 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40000 RTP/SAVP 9 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x', 'm=video 40002 RTP/SAVP 97', 'a=rtpmap:97 H264/90000'])),
    sipLine('08:00:00.600', true, EP, PX, withSdp('ACK sip:meet@10.44.99.2 SIP/2.0', hs('d1', '1 ACK'), ['v=0', `o=- 3 3 IN IP4 ${EP}`, 's=-', `c=IN IP4 ${EP}`, 't=0 0', 'a=sendonly', 'm=audio 20000 RTP/SAVP 9', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:y', 'm=video 0 RTP/SAVP 97'])),
    // 2: an offer sent twice (a retransmission), answered with the video and BFCP rejected
    sipLine('08:01:00.000', true, EP, PX, withSdp('INVITE sip:meet@example.com SIP/2.0', hs('r2', '5 INVITE'), offer(30000))),
    sipLine('08:01:00.500', true, EP, PX, withSdp('INVITE sip:meet@example.com SIP/2.0', hs('r2', '5 INVITE'), offer(30000))),
    sipLine('08:01:01.000', false, PX, EP, withSdp('SIP/2.0 200 OK', hs('r2', '5 INVITE'), ['v=0', `o=- 4 4 IN IP4 ${PX}`, 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40010 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000', 'a=inactive', 'm=video 0 RTP/AVP 34', 'm=application 0 TCP/BFCP *'])),
    // 3: refused
    sipLine('08:02:00.000', true, EP, PX, withSdp('INVITE sip:meet@example.com SIP/2.0', hs('n3', '1 INVITE'), offer(31000))),
    sipLine('08:02:00.100', false, PX, EP, ['SIP/2.0 100 Trying', ...hs('n3', '1 INVITE'), 'Content-Length: 0', '']),
    sipLine('08:02:00.200', false, PX, EP, ['SIP/2.0 488 Not Acceptable Here', ...hs('n3', '1 INVITE'), 'Content-Length: 0', '']),
    // 4: a multipart body (SDP beside XML), answered in a 183 and again in the 200: the 183 answers
    sipLine('08:03:00.000', true, EP, PX, withSdp('INVITE sip:meet@example.com SIP/2.0', hs('m4', '1 INVITE'),
      ['--b1', 'Content-Type: application/sdp', '', ...offer(32000), '--b1', 'Content-Type: application/xml', '', '<x/>', '--b1--'], 'multipart/mixed;boundary=b1')),
    sipLine('08:03:00.200', false, PX, EP, withSdp('SIP/2.0 183 Session Progress', hs('m4', '1 INVITE'), ['v=0', 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40020 RTP/AVP 8', 'm=video 40022 RTP/AVP 34', 'a=sendonly', 'm=application 40024 TCP/BFCP *'])),
    sipLine('08:03:00.900', false, PX, EP, withSdp('SIP/2.0 200 OK', hs('m4', '1 INVITE'), ['v=0', 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40020 RTP/AVP 8'])),
    // 5: from a public address, an SDP naming a private one (NAT); then a hold the older way, c=0.0.0.0
    sipLine('08:04:00.000', true, NAT, PX, withSdp('INVITE sip:meet@example.com SIP/2.0', hs('p5', '1 INVITE'), offer(33000).map((l) => l.replace(EP, '192.168.1.20')))),
    sipLine('08:04:00.300', false, PX, NAT, withSdp('SIP/2.0 200 OK', hs('p5', '1 INVITE'), ['v=0', 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40030 RTP/AVP 0', 'm=video 40032 RTP/AVP 34', 'm=application 40034 TCP/BFCP *'])),
    sipLine('08:04:30.000', true, NAT, PX, withSdp('INVITE sip:meet@10.44.99.2 SIP/2.0', hs('p5', '2 INVITE'), offer(33000).map((l) => l.replace(`c=IN IP4 ${EP}`, 'c=IN IP4 0.0.0.0')))),
    sipLine('08:04:30.300', false, PX, NAT, withSdp('SIP/2.0 200 OK', hs('p5', '2 INVITE'), ['v=0', 's=-', `c=IN IP4 ${PX}`, 't=0 0', 'm=audio 40030 RTP/AVP 0', 'm=video 40032 RTP/AVP 34', 'm=application 40034 TCP/BFCP *'])),
  ];
  const file = join(tmp, 'exchanges.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const of = (id: string) => {
    const t = index.trace(id);
    assert.ok(t, `a call ${id}`);
    return { t, n: negotiations(t.messages) };
  };

  const d = of('d1');
  assert.equal(d.n.length, 1);
  assert.equal(d.t.messages[d.n[0]!.offer]!.sip?.status, 200, 'the 200 OK offers');
  assert.equal(d.t.messages[d.n[0]!.answer!]!.sip?.method, 'ACK', 'the ACK answers');
  assert.deepEqual(d.n[0]!.media.map((a) => [a.name, a.state, a.codec]), [['audio', 'agreed', 'G722/8000'], ['video', 'rejected', null]]);
  assert.deepEqual(d.n[0]!.issues, ['video rejected', 'audio sendonly']);
  assert.equal(outcomeWords(d.n[0]!), 'audio G722/8000 sendonly, video rejected, encrypted');
  assert.match(d.t.messages[d.n[0]!.answer!]!.summary, /^ACK \S+ \+SDP sendonly \[audio video\]$/, 'the ladder says it');

  const r = of('r2');
  assert.equal(r.n.length, 1, 'the INVITE sent again is the same offer');
  assert.deepEqual(r.n[0]!.media[0]!.offer.codecs, ['G729/8000', 'PCMU/8000', 'PCMA/8000', 'telephone-event/8000'], 'static payload types named');
  assert.deepEqual(r.n[0]!.media.map((a) => [a.name, a.state, a.codec]), [['audio', 'agreed', 'PCMU/8000'], ['video', 'rejected', null], ['BFCP', 'rejected', null]]);
  assert.deepEqual(r.n[0]!.issues, ['video, BFCP rejected', 'audio inactive', 'audio not encrypted']);

  const n = of('n3');
  assert.equal(n.n[0]!.refused, '488 Not Acceptable Here');
  assert.deepEqual(n.n[0]!.issues, ['offer refused: 488 Not Acceptable Here']);
  assert.equal(negotiationWords(n.n[0]!, n.t.messages), 'INVITE (received) → 488 Not Acceptable Here: audio offered G729/8000 +2, video offered H263/90000, BFCP offered BFCP [offer refused: 488 Not Acceptable Here]');

  const m = of('m4');
  assert.equal(m.n.length, 1, 'the 200 OK repeats the answer the 183 gave');
  assert.equal(m.t.messages[m.n[0]!.answer!]!.sip?.status, 183);
  assert.deepEqual(m.n[0]!.media.map((a) => [a.name, a.state, a.codec, a.answer?.direction]), [['audio', 'agreed', 'PCMA/8000', 'sendrecv'], ['video', 'agreed', 'H263/90000', 'sendonly'], ['BFCP', 'agreed', 'BFCP', 'sendrecv']]);
  assert.deepEqual(m.n[0]!.issues, ['video sendonly', 'audio, video not encrypted']);

  const p = of('p5');
  assert.equal(p.n.length, 2);
  assert.deepEqual(p.n[0]!.issues, ['audio, video not encrypted', 'audio, video, BFCP to 192.168.1.20, a private address, though the INVITE came from 203.0.113.7 (behind NAT?)']);
  assert.deepEqual(p.n[1]!.issues, ['audio, video on hold (c=0.0.0.0)', 'audio, video not encrypted']);
  // the same from a private address is no NAT: the other exchanges came from 10.47.9.9
  for (const x of [d, r, n, m]) assert.ok(x.n.every((e) => e.issues.every((i) => !i.includes('NAT'))));
});

test('a session timer the far end refreshes for the node that dialled, one the answer does not take up, one not refreshed while the call went on, and a refresh refused', async () => {
  const hs = (cid: string, cseq: string, extra: string[] = []) => [`Via: SIP/2.0/TCP ${PX}:5060;branch=z9hG4bK${cid}${cseq.replace(' ', '')}`, `Call-ID: ${cid}`, `From: <sip:meet@example.com>;tag=a1`, `To: <sip:bob@example.com>;tag=b2`, `CSeq: ${cseq}`, ...extra, 'Content-Length: 0', ''];
  const lines = [
    // t1: the node dials out asking for 90 s (compact x:); the far end answers as the refresher (uas)
    // and never refreshes; it hangs up 200 s later, long past the expiry
    sipLine('09:00:00.000', false, PX, EP, ['INVITE sip:bob@example.com SIP/2.0', ...hs('t1', '1 INVITE', ['Supported: timer', 'x: 90'])]),
    sipLine('09:00:01.000', true, EP, PX, ['SIP/2.0 200 OK', ...hs('t1', '1 INVITE', ['Require: timer', 'Session-Expires: 90;refresher=uas'])]),
    sipLine('09:03:21.000', true, EP, PX, ['BYE sip:meet@10.44.99.2 SIP/2.0', ...hs('t1', '2 BYE')]),
    // t2: asked for, not taken up by the answer
    sipLine('09:10:00.000', true, EP, PX, ['INVITE sip:meet@example.com SIP/2.0', ...hs('t2', '1 INVITE', ['Session-Expires: 1800'])]),
    sipLine('09:10:01.000', false, PX, EP, ['SIP/2.0 200 OK', ...hs('t2', '1 INVITE')]),
    sipLine('09:20:00.000', true, EP, PX, ['BYE sip:meet@10.44.99.2 SIP/2.0', ...hs('t2', '2 BYE')]),
    // t3: refreshed by an UPDATE; a re-INVITE refused (491) is no refresh; the node hangs up 90 s before the expiry
    sipLine('09:30:00.000', true, EP, PX, ['INVITE sip:meet@example.com SIP/2.0', ...hs('t3', '1 INVITE', ['Session-Expires: 1800'])]),
    sipLine('09:30:01.000', false, PX, EP, ['SIP/2.0 200 OK', ...hs('t3', '1 INVITE', ['Session-Expires: 1800;refresher=uac'])]),
    sipLine('09:45:01.000', true, EP, PX, ['UPDATE sip:meet@10.44.99.2 SIP/2.0', ...hs('t3', '2 UPDATE')]),
    sipLine('09:45:01.100', false, PX, EP, ['SIP/2.0 200 OK', ...hs('t3', '2 UPDATE')]),
    sipLine('09:50:00.000', true, EP, PX, ['INVITE sip:meet@10.44.99.2 SIP/2.0', ...hs('t3', '3 INVITE')]),
    sipLine('09:50:00.100', false, PX, EP, ['SIP/2.0 491 Request Pending', ...hs('t3', '3 INVITE')]),
    sipLine('10:13:31.000', false, PX, EP, ['BYE sip:bob@10.47.9.9 SIP/2.0', ...hs('t3', '4 BYE')]),
  ];
  const log = join(tmp, 'timers.log');
  writeFileSync(log, lines.join('\n') + '\n');
  const index = await callIndexOf(await openBundle([log]), { cache: false });
  const of = (id: string) => sessionTimer(index.trace(id)!.messages)!;

  const t1 = of('t1');
  assert.deepEqual([t1.asked, t1.interval, t1.refresher, t1.refresherSide, t1.refreshes.length, t1.lapsed], [90, 90, 'uas', 'remote', 0, false]);
  assert.deepEqual(t1.issues, ['not refreshed for 200 s, longer than its interval of 90 s: a refresh is not in the log']);
  assert.equal(timerWords(t1), '90 s, the far end refreshes it (refresher=uas): 0 refreshes in the log [not refreshed for 200 s, longer than its interval of 90 s: a refresh is not in the log]');

  const t2 = of('t2');
  assert.deepEqual([t2.asked, t2.interval, t2.issues], [1800, null, []]);
  assert.equal(timerWords(t2), '1800 s asked for, not taken up by the answer (no session timer)');

  const t3 = of('t3');
  assert.equal(t3.refreshes.length, 1, 'the UPDATE; not the refused re-INVITE');
  assert.deepEqual([t3.lapsed, t3.issues, t3.longestMs], [false, [], 1709_900], "from the UPDATE's 200 OK to the BYE");
  // a BYE from the node 1768 s after the refresh is the expiry's (1800 s less 32)
  const later = lines.slice(6, 12).concat(sipLine('10:14:29.000', false, PX, EP, ['BYE sip:bob@10.47.9.9 SIP/2.0', ...hs('t3', '4 BYE')]));
  writeFileSync(log, later.join('\n') + '\n');
  const lapsed = sessionTimer((await callIndexOf(await openBundle([log]), { cache: false })).trace('t3')!.messages)!;
  assert.ok(lapsed.lapsed);
  assert.deepEqual(lapsed.issues, ['the call ended 1768 s after the session was last refreshed: its interval of 1800 s ran out, and the refresh owed by the far end is not in the log']);
});
