/** Decoders, one per protocol, over hand-written lines in test/fixtures/calls/signaling.log. */
import { test } from 'node:test';
import assert from '../assert.js';
import { readFileSync } from 'node:fs';
import { parseFields } from '../../electron/engine/lines/fields.ts';
import { decodeLine, decoderFor, DECODERS } from '../../electron/engine/decoders/registry.ts';
import { headerName, parseSipMessage, header, headers } from '../../electron/shared/sip-message.ts';
import { hexIp } from '../../electron/engine/decoders/common.ts';

const lines = readFileSync(new URL('../fixtures/calls/signaling.log', import.meta.url), 'utf8').split('\n').filter(Boolean);
const dec = (n: number) => decodeLine(parseFields(lines[n]!));

test('registry: one table, exact names and prefixes, unknown modules are log events', () => {
  assert.ok(DECODERS.length >= 7);
  assert.equal(decoderFor('support.sip'), DECODERS.find(([n]) => n === 'support.sip')![1]);
  assert.equal(decoderFor('administrator.registration'), decoderFor('administrator.conference'));
  assert.equal(dec(14).protocol, 'log');
  assert.deepEqual(dec(14).lines.slice(-2), ['line one', 'line two'], 'payload of an unknown module still decoded');
  assert.equal(dec(14).keys.callId, undefined, 'Call-Id="None" names no call');
  const damaged = dec(15);
  assert.equal(damaged.protocol, 'log');
  assert.match(damaged.summary, /kernel/);
});

test('SIP request: start line, repeated and folded headers, multipart body with SDP', () => {
  const d = dec(0);
  assert.equal(d.protocol, 'sip');
  assert.equal(d.direction, 'in');
  assert.equal(d.src, '10.47.159.157:5061');
  assert.equal(d.dst, '10.44.99.2:5061');
  assert.equal(d.sip?.method, 'INVITE');
  assert.equal(d.sip?.callId, 'c626-86d9@10.47.159.157');
  assert.equal(d.keys.callId, 'c626-86d9@10.47.159.157');
  assert.equal(d.sip?.cseq, '101 INVITE');
  assert.equal(d.sip?.from, 'sip:rupert@example.com');
  assert.equal(d.sip?.fromTag, '2477');
  assert.equal(d.sip?.userAgent, 'Pexip Infinity Connect/1.8.0');
  assert.deepEqual(d.sip?.media?.map((m) => `${m.kind}/${m.proto}/${m.content ?? ''}`), ['audio/RTP/SAVP/', 'video/RTP/SAVP/main', 'video/RTP/SAVP/slides', 'application/TCP/BFCP/']);
  assert.match(d.summary, /^INVITE sip:meet@example\.com \+SDP \[audio video video:slides bfcp\]$/);
  const msg = parseSipMessage(d.lines);
  assert.equal(headers(msg, 'Via').length, 2, 'repeated header kept twice');
  assert.equal(header(msg, 'Subject'), 'a long folded subject', 'folded header joined');
  assert.equal(d.lines.at(-1), '--xyz--', 'body kept to its end');
});

test('SIP response: compact headers, status summary with CSeq, Reason header', () => {
  const ok = dec(1);
  assert.equal(ok.direction, 'out');
  assert.deepEqual([ok.sip?.status, ok.sip?.reason, ok.sip?.cseq], [200, 'OK', '101 INVITE']);
  assert.equal(ok.sip?.callId, 'c626-86d9@10.47.159.157', 'compact i: is the Call-ID');
  assert.equal(ok.sip?.toTag, '99aa');
  assert.match(ok.summary, /^200 OK \(101 INVITE\) \+SDP \[audio video\]$/);
  const busy = dec(2);
  assert.equal(busy.sip?.callId, 'x1@10.47.1.2', 'odd-case Call-Id header');
  assert.equal(busy.sip?.reasonHeader, 'Q.850;cause=17;text="user busy"');
  assert.match(busy.summary, /^486 Busy Here \(2 INVITE\) Reason: Q\.850;cause=17/);
  for (const c of ['i', 'f', 't', 'v', 'm', 'c', 'l']) assert.notEqual(headerName(c), c, `compact ${c} known`);
  assert.equal(headerName('CALL-ID'), 'Call-ID');
});

test('BFCP: Detail form and separate fields', () => {
  const a = dec(3);
  assert.equal(a.protocol, 'bfcp');
  assert.equal(a.keys.callId, 'c626-86d9@10.47.159.157');
  assert.deepEqual([a.info?.primitive, a.info?.transactionId, a.info?.floorRequestId, a.info?.status], ['FloorRequestStatus', '24', '5', 'Granted(3)']);
  assert.ok(a.lines.length > 2 && a.lines[0] === 'FloorRequestStatus', 'nested elements on lines');
  const b = dec(4);
  assert.deepEqual([b.info?.primitive, b.info?.transactionId, b.info?.floorRequestId, b.info?.status], ['FloorRelease', '25', '5', 'Released']);
  assert.equal(b.direction, 'in');
});

test('H.225 Q.931 and RAS: message type, aliases, hex addresses, reasons', () => {
  const setup = dec(5);
  assert.equal(setup.protocol, 'q931');
  assert.equal(setup.info?.type, 'setup');
  assert.equal(setup.info?.from, 'Frank Room');
  assert.equal(setup.info?.to, '7023');
  assert.equal(setup.info?.vendor, '(38,0,21) (LifeSize) (Icon 800)');
  assert.equal(setup.info?.addresses, '10.46.10.7:1720');
  assert.ok(setup.lines.some((l) => l.endsWith('ip: 0a 2e 0a 07 (10.46.10.7)')));
  assert.equal(setup.keys.uuid, '70d0c34f-8585-4e65-98e8-95c1bc1367ef');
  const rel = dec(6);
  assert.equal(rel.info?.type, 'releaseComplete');
  assert.equal(rel.info?.reason, 'calledPartyNotRegistered');
  const lrj = dec(7);
  assert.equal(lrj.protocol, 'ras');
  assert.deepEqual([lrj.info?.type, lrj.info?.seq, lrj.info?.reason], ['locationReject', '7502', 'requestDenied']);
  assert.equal(hexIp('0a 30 30 5f'), '10.48.48.95');
  assert.equal(hexIp('20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01'), '2001:db8:0:0:0:0:0:1');
});

test('H.245: message, logical channel, media address, H.239 token; TCP connection lines', () => {
  const ack = dec(8);
  assert.equal(ack.protocol, 'h245');
  assert.equal(ack.info?.type, 'response: openLogicalChannelAck');
  assert.equal(ack.info?.channel, '2');
  assert.equal(ack.info?.addresses, '10.48.48.95:2712');
  const gen = dec(9);
  assert.equal(gen.info?.type, 'request: genericRequest');
  assert.match(gen.summary, /H\.239/);
  const tcp = dec(10);
  assert.equal(tcp.protocol, 'tcp');
  assert.equal(tcp.src, '10.46.10.7:34500');
  assert.equal(tcp.dst, '10.48.48.95:12888');
  assert.equal(tcp.keys.uuid, '70d0c34f-8585-4e65-98e8-95c1bc1367ef');
});

test('REST and administrator events', () => {
  const req = dec(11);
  assert.equal(req.protocol, 'rest');
  assert.equal(req.direction, 'in');
  assert.equal(req.info?.conference, 'meet.bob');
  assert.equal(req.info?.participant, '60f8');
  assert.equal(req.summary, '/participants/60f8/calls');
  assert.equal(req.keys.uuid, '60f8');
  const resp = dec(12);
  assert.equal(resp.direction, 'out');
  assert.equal(resp.summary, '403 /request_token');
  const admin = dec(13);
  assert.equal(admin.protocol, 'admin');
  assert.equal(admin.summary, 'Participant has disconnected. (Remote disconnect)');
  assert.ok(admin.lines.includes('Conference: Meet "Bob"'), 'escaped quotes unescaped');
  assert.deepEqual([admin.keys.callId, admin.keys.participantId, admin.keys.conferenceId], ['c626-86d9@10.47.159.157', '44be', 'cc7f']);
  assert.equal(admin.src, null);
});
