/**
 * The shared ladder layout (electron/shared/ladder-layout.ts) on traces of generated calls: lanes
 * per party, rows in time order, admin events as notes on the node's lane, idle gaps collapsed,
 * protocol filtering and the visible-row window; plus the call list's sorting/filtering helpers.
 */
import { test, before } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.js';
import type { Truth, TruthCall } from '../generator/index.js';
import { openBundle } from '../../electron/engine/session.js';
import { buildCallIndex } from '../../electron/engine/correlate/index.js';
import type { CallIndex } from '../../electron/engine/correlate/index.js';
import type { CallTrace, TraceMessage } from '../../electron/api.js';
import { hostOf, layoutLadder, ladderSvg, relTime, rowAt, spanText, visibleRows } from '../../electron/shared/ladder-layout.js';
import type { MessageRow } from '../../electron/shared/ladder-layout.js';
import { badgesOf } from '../../renderer/src/calls/call-table.js';
import { relatedOf } from '../../renderer/src/calls/related.js';
import { conferenceTimeline } from '../../renderer/src/calls/conference.js';
import { conferenceCalls } from '../../electron/shared/call-list.js';

let truth: Truth;
let index: CallIndex;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-ladder-'));
  const { text, truth: t } = generateLog({ seed: 11, calls: 40 });
  truth = t;
  const file = join(dir, 'unified_support.log');
  writeFileSync(file, text);
  const session = await openBundle([file]);
  index = buildCallIndex(session);
});

function traceOf(pred: (c: TruthCall) => boolean): { truth: TruthCall; trace: CallTrace } {
  const c = truth.calls.find(pred);
  assert.ok(c, 'the generator made such a call');
  const trace = index.trace(c.id);
  assert.ok(trace, `the engine traces ${c.id}`);
  return { truth: c, trace };
}

const msgRows = (rows: ReturnType<typeof layoutLadder>['rows']) => rows.filter((r): r is MessageRow => r.kind === 'message' || r.kind === 'note');

test('a SIP call: remote endpoint left of the signaling node, arrows in time order, notes on the node lane', () => {
  const { truth: tc, trace } = traceOf((c) => c.protocol === 'SIP' && !c.failed && c.counts.bfcp > 0);
  const L = layoutLadder(trace.messages, trace.call, { gapMs: Infinity });
  const roles = L.lanes.map((l) => l.role);
  assert.equal(roles[0], 'remote');
  assert.ok(roles.includes('signaling'));
  const remote = L.lanes[0]!;
  assert.equal(remote.address, hostOf(trace.call.remote ?? ''), 'the remote lane is the call remote address');
  const sig = L.lanes.find((l) => l.role === 'signaling')!;
  assert.equal(sig.address, tc.signalingNode);

  // one row per message, in time order, x positions increasing with the lane index
  const rows = msgRows(L.rows);
  assert.equal(rows.length, trace.messages.length);
  for (let k = 1; k < rows.length; k++) {
    assert.ok(rows[k]!.t >= rows[k - 1]!.t, 'time order');
    assert.ok(rows[k]!.y > rows[k - 1]!.y, 'rows go down');
  }
  for (let k = 1; k < L.lanes.length; k++) assert.ok(L.lanes[k]!.x > L.lanes[k - 1]!.x);

  // the SIP summaries follow the generator's sequence
  const sip = rows.filter((r) => r.protocol === 'sip').map((r) => r.label.split(/ (sip:|\(|\+SDP)/)[0]!.trim());
  assert.deepEqual(sip, tc.sipSequence);

  // an INVITE received goes from the remote lane to the signaling lane; its 200 OK comes back
  const invite = rows.find((r) => r.protocol === 'sip' && r.label.startsWith('INVITE'))!;
  assert.equal(L.lanes[invite.from]!.role, 'remote');
  assert.equal(L.lanes[invite.to]!.role, 'signaling');
  const ok = rows.find((r) => r.protocol === 'sip' && /^200 OK .*INVITE/.test(r.label))!;
  assert.equal(ok.from, invite.to);
  assert.equal(ok.to, invite.from);

  // BFCP rides between the same two parties; admin events are notes on a node lane
  for (const r of rows.filter((x) => x.protocol === 'bfcp')) assert.deepEqual([r.from, r.to].sort(), [invite.from, invite.to].sort());
  const notes = rows.filter((r) => r.kind === 'note');
  assert.ok(notes.length >= 2, 'joined / disconnected notes');
  for (const n of notes) assert.notEqual(L.lanes[n.from]!.role, 'remote');
  assert.ok(notes.some((n) => /disconnected/i.test(n.label) && n.tone === 'bad'));
  assert.ok(notes.some((n) => /joined/i.test(n.label) && n.tone === 'good'));
});

test('an H.323 call: a gatekeeper lane for RAS, Q.931 and H.245 between remote and node', () => {
  const { trace } = traceOf((c) => c.protocol === 'H323' && c.h323Sequence[0] === 'locationRequest' && !c.failed);
  const L = layoutLadder(trace.messages, trace.call);
  const gk = L.lanes.findIndex((l) => l.role === 'gatekeeper');
  const remote = L.lanes.findIndex((l) => l.role === 'remote');
  const sig = L.lanes.findIndex((l) => l.role === 'signaling');
  assert.ok(gk >= 0 && remote >= 0 && sig >= 0, L.lanes.map((l) => l.role).join());
  assert.ok(remote < sig && sig < gk, 'remote left of the node, the gatekeeper right of it');
  const rows = msgRows(L.rows);
  for (const r of rows.filter((x) => x.protocol === 'ras')) assert.deepEqual([r.from, r.to].sort(), [gk, sig].sort());
  for (const r of rows.filter((x) => x.protocol === 'q931' || x.protocol === 'h245')) assert.deepEqual([r.from, r.to].sort(), [remote, sig].sort());
  const lrq = rows.find((r) => r.label.startsWith('locationRequest'))!;
  assert.equal(lrq.from, gk);
  assert.equal(lrq.to, sig);
});

test('idle gaps are collapsed into one row with their duration; zoom spaces rows by time', () => {
  const { trace } = traceOf((c) => c.protocol === 'SIP' && !c.failed && c.counts.bfcp > 0);
  const rows = (o: Parameters<typeof layoutLadder>[2]) => layoutLadder(trace.messages, trace.call, o).rows;
  const none = rows({ gapMs: Infinity });
  assert.equal(none.filter((r) => r.kind === 'gap').length, 0);
  const gapMs = 2000;
  const withGaps = rows({ gapMs });
  const gaps = withGaps.filter((r) => r.kind === 'gap');
  // as many gaps as steps between consecutive messages longer than the threshold
  const times = trace.messages.map((m) => Date.parse(m.time)).sort((a, b) => a - b);
  let expected = 0;
  for (let k = 1; k < times.length; k++) if (times[k]! - times[k - 1]! > gapMs) expected++;
  assert.ok(expected > 0, 'the call has idle time');
  assert.equal(gaps.length, expected);
  for (const g of gaps) {
    assert.ok(g.kind === 'gap' && g.durationMs > gapMs && g.durationMs === g.toT - g.fromT);
    // the rows either side are the messages at the ends of the gap
    const before = withGaps[g.row - 1] as MessageRow;
    const after = withGaps[g.row + 1] as MessageRow;
    assert.equal(before.t, g.fromT);
    assert.equal(after.t, g.toT);
  }
  // a collapsed call is much shorter than one spaced by time, and zoom makes it taller
  const even = layoutLadder(trace.messages, trace.call, { gapMs }).height;
  const zoomed = layoutLadder(trace.messages, trace.call, { gapMs, pxPerSecond: 100 }).height;
  assert.ok(zoomed > even);
  assert.equal(spanText(125_000), '2 min 05 s');
  assert.equal(relTime(61_234), '+1:01.234');
});

test("what happened to the call's nodes meanwhile: a row each among the messages at its time, splitting an idle gap; none outside the messages' span", async () => {
  const { ladderMarks } = await import('../../electron/shared/ladder-marks.js');
  const { trace } = traceOf((c) => c.protocol === 'SIP' && !c.failed && c.counts.bfcp > 0);
  const times = trace.messages.map((m) => Date.parse(m.time)).sort((a, b) => a - b);
  const [t0, t1] = [times[0]!, times.at(-1)!];
  // the longest step between two messages: a mark in its middle splits it
  let k = 1;
  for (let j = 2; j < times.length; j++) if (times[j]! - times[j - 1]! > times[k]! - times[k - 1]!) k = j;
  const iso = (t: number) => new Date(t).toISOString();
  const mid = Math.round((times[k - 1]! + times[k]!) / 2);
  const marks = ladderMarks({
    restarts: [{ node: 'pxnode-lon-01', time: iso(mid), version: null, pid: null, line: 3 }],
    alarms: [{ node: '10.44.99.2', alarm: 'capacity_exhausted', instance: null, raised: iso(t0 - 60_000), lowered: iso(t0 + 1), raises: 1, line: 5 }],
    contactLosses: [{ from: '10.44.99.2', to: '10.46.10.7', lost: iso(t1), back: iso(t1 + 1), reports: 1, path: 'Direct', line: 7 }],
  });
  // in time order; the alarm's raise before the call and contact back after it are marks too, not drawn
  assert.deepEqual(marks.map((m) => [m.kind, m.ends, m.text]), [
    ['alarm', false, 'capacity_exhausted raised on 10.44.99.2'],
    ['alarm', true, 'capacity_exhausted lowered on 10.44.99.2'],
    ['restart', false, 'pxnode-lon-01 started'],
    ['contact', false, '10.44.99.2 could not reach 10.46.10.7'],
    ['contact', true, '10.44.99.2 reached 10.46.10.7 again'],
  ]);
  const gapMs = (times[k]! - times[k - 1]!) / 4;
  const plain = layoutLadder(trace.messages, trace.call, { gapMs });
  const L = layoutLadder(trace.messages, trace.call, { gapMs, marks });
  const rows = L.rows.filter((r) => r.kind === 'mark');
  assert.deepEqual(rows.map((r) => r.kind === 'mark' && marks[r.mark]!.text), [
    'capacity_exhausted lowered on 10.44.99.2',
    'pxnode-lon-01 started',
    '10.44.99.2 could not reach 10.46.10.7',
  ]);
  assert.equal(msgRows(L.rows).length, msgRows(plain.rows).length, 'every message still a row');
  // rows in time and y order; a mark after every message at or before it, before every one after it
  const rowTime = (r: (typeof L.rows)[number]) => (r.kind === 'gap' ? r.fromT : r.t);
  for (let j = 1; j < L.rows.length; j++) {
    assert.ok(rowTime(L.rows[j]!) >= rowTime(L.rows[j - 1]!) && L.rows[j]!.y >= L.rows[j - 1]!.y + L.rows[j - 1]!.h, `row ${j}`);
    assert.equal(L.rows[j]!.row, j);
  }
  for (const r of rows) {
    const later = msgRows(L.rows).filter((m) => m.row > r.row);
    assert.ok(later.every((m) => m.t > r.t) && msgRows(L.rows).filter((m) => m.row < r.row).every((m) => m.t <= r.t), `${r.t}`);
  }
  // the restart in the longest idle step: its gap split in two either side of it
  const restart = rows[1]!;
  const [before, after] = [L.rows[restart.row - 1]!, L.rows[restart.row + 1]!];
  assert.ok(before.kind === 'gap' && after.kind === 'gap', 'idle either side');
  assert.equal(before.kind === 'gap' && before.toT, mid);
  assert.equal(after.kind === 'gap' && after.fromT, mid);
  assert.equal(plain.rows.filter((r) => r.kind === 'gap').length + 1, L.rows.filter((r) => r.kind === 'gap').length);
  // the report's SVG draws them, with their words
  const svg = ladderSvg(L, { marks });
  assert.equal(svg.match(/<g class="mark">/g)?.length, 3);
  assert.ok(svg.includes('pxnode-lon-01 started') && svg.includes('could not reach 10.46.10.7') && !svg.includes('reached 10.46.10.7 again'));
});

test('filtering by protocol keeps the lanes and drops the rows', () => {
  const { trace } = traceOf((c) => c.protocol === 'SIP' && c.counts.bfcp > 0);
  const all = layoutLadder(trace.messages, trace.call);
  const bfcp = layoutLadder(trace.messages, trace.call, { protocols: ['bfcp'], gapMs: Infinity });
  assert.deepEqual(bfcp.lanes.map((l) => l.address), all.lanes.map((l) => l.address));
  assert.equal(bfcp.rows.length, trace.messages.filter((m) => m.protocol === 'bfcp').length);
  assert.ok(bfcp.rows.every((r) => r.kind === 'message' && r.protocol === 'bfcp'));
  assert.equal(all.protocolCounts.bfcp, bfcp.rows.length);
});

test('the visible window holds exactly the rows that intersect it, over thousands of messages', () => {
  // a long call made of many copies of a real trace's messages, one second apart
  const { trace } = traceOf((c) => c.protocol === 'H323');
  const base = Date.parse(trace.messages[0]!.time);
  const many: TraceMessage[] = [];
  for (let k = 0; k < 5000; k++) {
    const m = trace.messages[k % trace.messages.length]!;
    many.push({ ...m, time: new Date(base + k * 1000).toISOString() });
  }
  const L = layoutLadder(many, trace.call, { gapMs: Infinity });
  assert.equal(L.rows.length, 5000);
  const top = 40_000;
  const bottom = 40_700;
  const vis = visibleRows(L, top, bottom);
  const brute = L.rows.filter((r) => r.y + r.h > top && r.y < bottom);
  assert.deepEqual(vis.map((r) => r.row), brute.map((r) => r.row));
  assert.equal(rowAt(L.rows, -5), 0);
  assert.equal(rowAt(L.rows, L.height + 10), L.rows.length);
});

test('the SVG for the report draws every lane and message, escaping text', () => {
  const { trace } = traceOf((c) => c.protocol === 'SIP' && c.counts.bfcp > 0);
  const L = layoutLadder(trace.messages, trace.call);
  const svg = ladderSvg(L);
  assert.ok(svg.startsWith('<svg') && svg.endsWith('</svg>'));
  assert.equal((svg.match(/class="lifeline"/g) ?? []).length, L.lanes.length);
  assert.equal((svg.match(/<g class="(msg|event)"/g) ?? []).length, msgRows(L.rows).length);
  assert.ok(!/<script/i.test(svg));
  const evil = layoutLadder([{ ...trace.messages[0]!, summary: '<img src=x onerror=alert(1)>' }], trace.call);
  assert.ok(!ladderSvg(evil).includes('<img'));
});

test('related messages: a response links to its request by CSeq, BFCP to its SIP dialog', () => {
  const { trace } = traceOf((c) => c.protocol === 'SIP' && c.counts.bfcp > 0 && !c.failed);
  const ms = trace.messages;
  const ok = ms.findIndex((m) => m.sip?.status === 200 && /INVITE/.test(m.sip.cseq ?? ''));
  const rel = relatedOf(ms, ok);
  const req = rel.find((r) => r.why === 'answers');
  assert.ok(req);
  assert.equal(ms[req.msg]!.sip?.method, 'INVITE');
  const bfcp = ms.findIndex((m) => m.protocol === 'bfcp');
  assert.ok(relatedOf(ms, bfcp).some((r) => r.why === 'SIP dialog' && ms[r.msg]!.sip?.method === 'INVITE'));
  const h = traceOf((c) => c.protocol === 'H323').trace.messages;
  const setup = h.findIndex((m) => m.protocol === 'q931');
  const whys = relatedOf(h, setup).map((r) => r.why);
  assert.ok(whys.includes('H.245 channel'));
});

test('call list badges and the conference timeline on the engine summaries', () => {
  const calls = index.calls;
  for (const c of calls) assert.equal(badgesOf(c).some((b) => b.kind === 'failed'), c.failed);
  // conference timeline: calls sharing a Conference-ID
  const confId = calls.find((c) => c.conferenceId)!.conferenceId!;
  const members = conferenceCalls(calls, confId);
  assert.equal(members.length, calls.filter((c) => c.conferenceId === confId).length);
  const tl = conferenceTimeline(confId, members);
  for (const p of tl.participants) assert.ok(p.left >= 0 && p.left + p.width <= 1.0001);
});
