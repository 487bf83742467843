/**
 * Calls against the generator's ground truth: every call found with its ids, counts, per-protocol
 * sequences and exact lines; nothing else promoted to a call; fragments, compact headers,
 * rotated files and CRLF handled.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import type { Session } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import type { CallIndex } from '../../electron/engine/correlate/index.ts';
import { openCallsOnly } from '../../electron/engine/correlate/calls-only.ts';
import { cutAfter, generateLog, rotate, writeBundle, writeLog } from '../generator/index.ts';
import type { Truth } from '../generator/index.ts';
import { SIP_VENDORS } from '../generator/pools.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-calls-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Labels the generator uses for sequences, read from our decoded trace. */
function sequences(index: CallIndex, id: string) {
  const items = index.traceItems(id)!;
  const sip = items.filter((it) => it.msg.protocol === 'sip' && it.msg.sip).map((it) => it.msg.sip!.method ?? `${it.msg.sip!.status} ${it.msg.sip!.reason}`);
  const h323 = items.filter((it) => ['q931', 'ras', 'h245'].includes(it.msg.protocol)).map((it) => (it.decoded.info?.type ?? '').replace(/^\w+: /, ''));
  const bfcp = items.filter((it) => it.msg.protocol === 'bfcp').map((it) => it.decoded.info?.primitive ?? '');
  return { sip, h323, bfcp };
}

/** Line numbers in the whole support log (rotated files joined oldest first) of a call's lines. */
function globalLines(session: Session, lines: number[]): number[] {
  const store = session.store;
  // the support log is the largest stream (a bundle also holds developer logs)
  const size = (s: (typeof store.streams)[number]) => s.files.reduce((n, f) => n + store.files[f]!.lineCount, 0);
  const support = store.streams.slice().sort((a, b) => size(b) - size(a))[0]!;
  const base = new Map<number, number>();
  let n = 0;
  for (const fid of support.files) {
    base.set(fid, n);
    n += store.files[fid]!.lineCount;
  }
  return lines.map((i) => base.get(store.file.data[i]!)! + store.lineNumber(i));
}

function check(session: Session, index: CallIndex, truth: Truth, text: string): void {
  const seen = new Set<string>();
  let fragmented = 0;
  let outOfOrderOrMissing = 0;
  let compact = 0;
  for (const tc of truth.calls) {
    const where = `${tc.protocol} call ${tc.id}`;
    const c = index.find(tc.id);
    assert.ok(c, `${where} found`);
    assert.equal(c.id, tc.id, `${where}: id`);
    seen.add(c.id);
    // ids the log never mentions (a participant id of a call rejected at LRQ) cannot be found
    for (const id of tc.ids) if (text.includes(id)) assert.ok(c.ids.includes(id), `${where}: has id ${id}`);
    for (const id of c.ids) assert.equal(index.find(id)?.id, c.id, `${where}: found by ${id}`);
    assert.equal(c.protocol, tc.protocol, `${where}: protocol`);
    assert.deepEqual(c.counts, tc.counts, `${where}: counts`);
    const seq = sequences(index, tc.id);
    assert.deepEqual(seq.sip, tc.sipSequence, `${where}: SIP sequence`);
    // what the summary (and the call search) says was seen: the sequence's methods and codes
    const isCode = (x: string) => /^\d{3} /.test(x);
    assert.deepEqual(c.sipMethods, [...new Set(tc.sipSequence.filter((x) => !isCode(x)))], `${where}: SIP methods seen`);
    assert.deepEqual(c.sipCodes, [...new Set(tc.sipSequence.filter(isCode).map((x) => Number(x.slice(0, 3))))].sort((a, b) => a - b), `${where}: SIP codes seen`);
    assert.deepEqual(seq.h323, tc.h323Sequence, `${where}: H.323 sequence`);
    assert.deepEqual(seq.bfcp, tc.bfcpSequence, `${where}: BFCP sequence`);
    const lines = index.linesOf(tc.id);
    assert.deepEqual(globalLines(session, lines), tc.lineNumbers, `${where}: lines`);
    for (const i of lines) assert.equal(index.callOfLine(i), c.id, `${where}: callOfLine`);
    assert.equal(c.failed, tc.failed, `${where}: failed`);
    assert.equal(tc.failed ? c.failReason : c.disconnectReason, tc.reason, `${where}: reason`);
    assert.equal(c.conferenceId, tc.conferenceId, `${where}: conference id`);
    assert.equal(c.conference, tc.conference, `${where}: conference`);
    // the caller's name of a call rejected at LRQ is in none of its lines
    const own = lines.map((i) => session.store.text(i)).join('\n');
    if (own.includes(tc.from)) assert.equal(c.from, tc.from, `${where}: from`);
    assert.equal(c.to, tc.to, `${where}: to`);
    // a node appears under its host name or its IP: compare nodes, not spellings
    const node = (n: string | null) => (n === null ? null : (truth.nodeForms[n] ?? n));
    assert.equal(node(c.signalingNode), node(tc.signalingNode), `${where}: signaling node`);
    if (!tc.failed) assert.equal(node(c.mediaNode), node(tc.mediaNode), `${where}: media node`);
    if (tc.missingFragments) assert.ok(c.warnings.some((w) => /missing fragment/.test(w)), `${where}: missing fragment warned`);
    else assert.ok(!c.warnings.some((w) => /missing fragment/.test(w)), `${where}: no false fragment warning`);
    if (tc.fragmented) fragmented++;
    if (tc.missingFragments) outOfOrderOrMissing++;
    if (tc.compactHeaders) compact++;
  }
  // noise (OPTIONS, REGISTER, Call-Id="None") is not promoted to calls
  const extra = index.calls.filter((c) => !seen.has(c.id));
  assert.deepEqual(extra.map((c) => `${c.protocol} ${c.id}`), [], 'no call beyond the truth');
  // the generated logs exercise what this test claims
  assert.ok(fragmented > 0 && compact > 0, 'fragmented and compact-header calls present');
  void outOfOrderOrMissing;
}

test('calls of a generated log match the truth exactly', async () => {
  const file = join(tmp, 'plain.log');
  const truth = await writeLog(file, { seed: 11, calls: 220 });
  const session = await openBundle([file]);
  const index = buildCallIndex(session);
  const { readFileSync } = await import('node:fs');
  check(session, index, truth, readFileSync(file, 'latin1'));
  assert.ok(truth.calls.some((c) => c.missingFragments > 0), 'a call with a missing fragment is in the sample');
});

test("a SIP call whose INVITE lost a piece: its parties and vendor come from the pieces before the gap, never a header run into the text after it", async () => {
  const file = join(tmp, 'gaps.log');
  const truth = await writeLog(file, { seed: 7, calls: 1500, damaged: false });
  const index = buildCallIndex(await openBundle([file]));
  const cut = truth.calls.filter((c) => c.protocol === 'SIP' && c.missingFragments > 0);
  assert.ok(cut.length > 10, `calls with a missing piece in the sample (${cut.length})`);
  for (const tc of truth.calls.filter((c) => c.protocol === 'SIP')) {
    const c = index.find(tc.id)!;
    // the vendor is one the generator gives endpoints, whole, or none
    assert.ok(c.vendor === null || SIP_VENDORS.includes(c.vendor), `${tc.id}: vendor ${c.vendor}`);
    if (c.from !== null) assert.match(c.from, /^sips?:[^\s;>]+$/, `${tc.id}: from`);
  }
});

test('calls across rotated, gzipped files with CRLF line endings (and transfers: REFER and NOTIFY in the dialogs)', async () => {
  const { path, truth, supportLog } = await writeBundle(join(tmp, 'folder'), { form: 'folder', seed: 12, calls: 160, crlf: true, rotations: 3, transfers: true });
  assert.ok(truth.calls.some((c) => c.transfer), 'a transfer in the sample');
  const session = await openBundle([path]);
  const index = buildCallIndex(session);
  check(session, index, truth, supportLog.toString('latin1'));
});

test('calls-only load (pexlens calls) keeps a fraction of the bytes and finds exactly the same calls', async () => {
  const plain = join(tmp, 'thin.log');
  await writeLog(plain, { seed: 21, calls: 260 });
  const folder = await writeBundle(join(tmp, 'thin-folder'), { form: 'folder', seed: 22, calls: 120, crlf: true, rotations: 2 });
  const tgz = await writeBundle(join(tmp, 'thin-tgz'), { form: 'tgz', seed: 23, calls: 90 });
  // cut at both ends: calls up when it begins and when it ends (their summaries read the log's span)
  const cut = join(tmp, 'thin-cut.log');
  (await import('node:fs')).writeFileSync(cut, rotate(generateLog({ seed: 24, calls: 150 }).text, 3)[1]!);
  for (const path of [plain, folder.path, tgz.path, cut]) {
    const full = buildCallIndex(await openBundle([path]));
    const thin = (await openCallsOnly([path])).index;
    assert.ok(full.calls.length > 50, `${path}: calls in the sample`);
    assert.deepEqual(thin.calls, full.calls, `${path}: calls`);
    if (path === cut) assert.ok(full.calls.some((c) => c.startInferred) && full.calls.some((c) => c.ongoing), `${path}: calls cut at both ends`);
    assert.deepEqual(thin.conferences, full.conferences, `${path}: conferences`);
    for (const c of full.calls.filter((_, k) => k % 7 === 0)) {
      for (const id of c.ids) assert.equal(thin.find(id)?.id, c.id, `${path}: found by ${id}`);
    }
    const kept = thin.store.chunks.reduce((n, b) => n + b.length, 0);
    const all = full.store.chunks.reduce((n, b) => n + b.length, 0);
    assert.ok(kept < all * 0.6, `${path}: kept ${kept} of ${all} bytes`);
  }
});

test('trace: fragments reassembled in number order, missing ones flagged, JSON shape', async () => {
  const file = join(tmp, 'frag.log');
  const truth = await writeLog(file, { seed: 5, calls: 300 });
  const session = await openBundle([file]);
  const index = buildCallIndex(session);
  const missing = truth.calls.filter((c) => c.missingFragments > 0);
  const whole = truth.calls.filter((c) => c.fragmented && !c.missingFragments);
  assert.ok(missing.length && whole.length);
  for (const tc of whole) {
    const t = index.trace(tc.id)!;
    const invite = t.messages.find((m) => m.sip?.method === 'INVITE')!;
    assert.ok(invite.fragments && invite.fragments.missing.length === 0, 'INVITE came in fragments, none missing');
    assert.equal(invite.sources.length, invite.fragments.total, 'one source per fragment');
    // the reassembled message is a whole SIP message: headers, blank line, SDP that parses
    const blank = invite.lines.indexOf('');
    assert.ok(blank > 0, 'header/body separator');
    assert.ok(invite.lines.slice(0, blank).some((l) => /^(Call-I[Dd]|i)\s*:/.test(l)), 'Call-ID header present');
    const clen = Number(/^(?:Content-Length|l)\s*:\s*(\d+)/m.exec(invite.lines.slice(0, blank).join('\n'))![1]);
    const body = invite.lines.slice(blank + 1).join('\r\n') + '\r\n';
    assert.equal(Buffer.byteLength(body), clen, 'body length equals Content-Length: nothing lost or doubled at fragment joins');
  }
  for (const tc of missing) {
    const t = index.trace(tc.id)!;
    const frag = t.messages.find((m) => m.fragments && m.fragments.missing.length);
    assert.ok(frag, `${tc.id}: a message flags its missing fragment`);
    assert.match(frag.summary, /missing fragment/);
  }
  // JSON contract of one trace
  const t = index.trace(truth.calls[0]!.id)!;
  for (const m of t.messages) {
    assert.ok(['sip', 'bfcp', 'q931', 'ras', 'h245', 'rest', 'admin', 'tcp', 'log'].includes(m.protocol));
    assert.ok(m.direction === 'in' || m.direction === 'out' || m.direction === null);
    assert.ok(typeof m.time === 'string' && m.time.endsWith('Z'));
    assert.ok(m.source.file.endsWith('frag.log') && m.source.line > 0);
    assert.ok(Array.isArray(m.lines));
  }
  const times = t.messages.map((m) => m.time);
  assert.ok(times.length > 2);
});

test('the trace orders messages by originating time per node even when received out of order', async () => {
  const file = join(tmp, 'order.log');
  const truth = await writeLog(file, { seed: 21, calls: 120 });
  const session = await openBundle([file]);
  const index = buildCallIndex(session);
  const store = session.store;
  let checked = 0;
  for (const tc of truth.calls) {
    const items = index.traceItems(tc.id)!;
    // within one node (IP and host name are one node), originating times never go backwards
    const last = new Map<string, number>();
    const nodeKey = (n: string) => truth.nodeForms[n] ?? n;
    for (const it of items) {
      const o = store.origin.data[it.line]!;
      const k = nodeKey(it.msg.node);
      assert.ok(!(o < (last.get(k) ?? -Infinity)), `${tc.id}: ${it.msg.summary} not before an earlier line of ${k}`);
      last.set(k, o);
      checked++;
    }
  }
  assert.ok(checked > 1000);
});

test('a call up when the log began starts at its join, read back from its disconnect\'s Duration', async () => {
  const { writeFileSync } = await import('node:fs');
  const { text } = generateLog({ seed: 31, calls: 200 });
  const whole = join(tmp, 'whole.log');
  writeFileSync(whole, text);
  // the oldest of three rotated files gone: the log a customer sends a day later
  const cut = join(tmp, 'cut.log');
  writeFileSync(cut, Buffer.concat(rotate(text, 3).slice(1)));
  const timeOf = (text: string) => Date.parse(text.slice(0, text.indexOf(' ')));
  const iso = (ms: number) => new Date(ms).toISOString();

  // the whole log: every call starts at its first line
  const full = await openBundle([whole]);
  const fullIndex = buildCallIndex(full);
  const joinedAt = new Map<string, number>();
  for (const c of fullIndex.calls) {
    const own = fullIndex.linesOf(c.id).map((i) => full.store.text(i));
    assert.equal(c.startInferred, false, `${c.id}: whole log, start not inferred`);
    assert.equal(c.ongoing, false, `${c.id}: whole log, ended in it`);
    assert.equal(c.start, iso(Math.min(...own.map(timeOf))), `${c.id}: whole log, start at the first line`);
    const joined = own.find((t) => t.includes('Message="Participant has joined."'));
    if (joined) joinedAt.set(c.id, timeOf(joined));
  }

  const session = await openBundle([cut]);
  const index = buildCallIndex(session);
  let inferred = 0;
  for (const c of index.calls) {
    const own = index.linesOf(c.id).map((i) => session.store.text(i));
    const first = Math.min(...own.map(timeOf));
    const bye = own.find((t) => t.includes('Message="Participant has disconnected."'));
    const duration = bye ? Number(/ Duration="([\d.]+)"/.exec(bye)![1]) * 1000 : NaN;
    const joined = timeOf(bye ?? '') - Math.round(duration);
    if (joined < first - 5000) {
      inferred++;
      assert.equal(c.startInferred, true, `${c.id}: begun before the log`);
      assert.equal(c.start, iso(joined), `${c.id}: start read back from the Duration`);
      // …which is when the whole log says it joined, to the time a line takes to be received
      assert.ok(Math.abs(joined - joinedAt.get(c.id)!) < 1000, `${c.id}: inferred start ${iso(joined)} near its join ${iso(joinedAt.get(c.id)!)}`);
    } else {
      assert.equal(c.startInferred, false, `${c.id}: begun in the log`);
      assert.equal(c.start, iso(first), `${c.id}: start at the first line`);
    }
  }
  assert.ok(inferred > 10, `calls up when the log began are in the sample (${inferred})`);
  // every participant the cut log sees leave is a call, of its protocol, a SIP call whose INVITE is
  // not in it too (its signaling made no call there); and no call the whole log lacks
  const { readFileSync } = await import('node:fs');
  for (const line of readFileSync(cut, 'latin1').split('\n')) {
    if (!line.includes('Message="Participant has disconnected."')) continue;
    const id = /Call-Id="([^"]+)"/.exec(line)![1]!;
    const c = index.find(id);
    assert.ok(c, `the call that left at ${line.slice(0, 29)} (${id}) is listed`);
    assert.equal(c.protocol, /Protocol="([^"]+)"/.exec(line)![1], `${id}: protocol`);
  }
  for (const c of index.calls) assert.ok(fullIndex.find(c.id), `${c.id}: a call of the whole log`);
});

test('a call still up when the log ends (its newer files not sent) is ongoing: it lasts until the log\'s last line', async () => {
  const { writeFileSync } = await import('node:fs');
  const { text } = generateLog({ seed: 33, calls: 100, damaged: false });
  const file = join(tmp, 'tail-cut.log');
  writeFileSync(file, rotate(text, 2)[0]!);
  const session = await openBundle([file]);
  const index = buildCallIndex(session);
  const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));
  const logEnd = Math.max(...text.subarray(0, rotate(text, 2)[0]!.length).toString('latin1').split('\n').filter(Boolean).map(timeOf));
  let ongoing = 0;
  for (const c of index.calls) {
    const own = index.linesOf(c.id).map((i) => session.store.text(i)).join('\n');
    // the reference, from the call's text: it connected, and nothing of its end is there
    const connected = /Message="Participant has joined\."|="\^MSIP\/2\.0 2\d\d |h323_message_body: connect:/.test(own);
    const ended = /Message="Participant has disconnected\."|="\^M(BYE|CANCEL) |h323_message_body: releaseComplete/.test(own);
    const first = Math.min(...own.split('\n').map(timeOf));
    if (connected && !ended) {
      ongoing++;
      assert.equal(c.ongoing, true, `${c.id}: up when the log ends`);
      assert.equal(c.end, new Date(logEnd).toISOString(), `${c.id}: ends with the log`);
      assert.equal(c.durationMs, logEnd - first, `${c.id}: lasted at least until the log's end`);
      assert.equal(c.failed, false);
    } else assert.equal(c.ongoing, false, `${c.id}: ${ended ? 'ended' : 'never connected'} in the log`);
  }
  assert.ok(ongoing > 10, `calls up when the log ends are in the sample (${ongoing})`);
});

test('a call whose answer, failure and end are all cut from the log has no outcome: neither failed nor connected', async () => {
  const { writeFileSync } = await import('node:fs');
  const { text } = generateLog({ seed: 43, calls: 150, damaged: false });
  const whole = join(tmp, 'outcome-whole.log');
  writeFileSync(whole, text);
  const fullIndex = buildCallIndex(await openBundle([whole]));
  for (const c of fullIndex.calls) assert.equal(c.noOutcome, false, `${c.id}: the whole log has every call's outcome`);
  // the log cut right after a call's first line (its INVITE, setup or attempt), at ten places over the
  // day, and right after five refusals (before the conference says the call failed to join)
  const spread = (re: RegExp, n: number) => Array.from({ length: n }, (_, j) => cutAfter(text, re, (j + 1) / (n + 1)).text);
  const cuts = [
    ...spread(/="\^MINVITE |h323_message_body: setup|Message="Participant attempting to join/, 10),
    // (a call's refusal, not a registrar's answer to a REGISTER)
    ...spread(/Message="Sending SIP message" (?!.* REGISTER\^M).*="\^MSIP\/2\.0 [4-6]\d\d /, 5),
  ];
  const answered = /Message="Participant has (joined|disconnected)\."|="\^MSIP\/2\.0 2\d\d |h323_message_body: connect:/;
  const refusedOrEnded = /Message="Participant failed to join|="\^MSIP\/2\.0 [4-6]\d\d |\^M\w+Reject\b|h323_message_body: releaseComplete|="\^M(BYE|CANCEL) /;
  let none = 0;
  let refusedAttempts = 0;
  for (const [n, cut] of cuts.entries()) {
    const file = join(tmp, `outcome-${n}.log`);
    writeFileSync(file, cut);
    const session = await openBundle([file]);
    const index = buildCallIndex(session);
    for (const c of index.calls) {
      // the reference: the call's own text
      const own = index.linesOf(c.id).map((i) => session.store.text(i)).join('\n');
      const where = `cut ${n}, ${c.protocol} call ${c.id}`;
      if (answered.test(own)) assert.ok(!c.failed && !c.noOutcome, `${where}: answered`);
      else if (refusedOrEnded.test(own)) {
        assert.ok(c.failed && !c.noOutcome, `${where}: refused or ended unanswered`);
        assert.equal(fullIndex.find(c.id)?.failed, true, `${where}: failed in the whole log too`);
        if (/Message="Participant attempting to join/.test(own) && !/Message="Participant (has|failed)/.test(own)) refusedAttempts++;
      } else {
        none++;
        assert.ok(c.noOutcome && !c.failed && !c.ongoing, `${where}: no outcome in the log`);
      }
    }
  }
  assert.ok(none >= 10, `calls cut before their outcome are in the sample (${none})`);
  assert.ok(refusedAttempts >= 3, `refused calls whose conference said only "attempting" are in the sample (${refusedAttempts})`);
});

test('a rotation missing between two the bundle has is named with its gap, and a call whose end fell in it is not taken as up at the log\'s end', async () => {
  const { readFileSync, rmSync: rm } = await import('node:fs');
  const { gunzipSync } = await import('node:zlib');
  const b = await writeBundle(join(tmp, 'gap'), { form: 'folder', seed: 41, calls: 150, rotations: 4 });
  const whole = buildCallIndex(await openBundle([b.path]));
  const full = await openBundle([b.path]);
  assert.ok(!full.warnings.some((w) => /is not in the bundle/.test(w)), `a whole set has no gap: ${full.warnings.join('; ')}`);
  rm(join(b.path, 'unified_support.log.2.gz'));
  const lines = (buf: Buffer) => buf.toString('latin1').split('\n').filter(Boolean);
  const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));
  const before = lines(gunzipSync(readFileSync(join(b.path, 'unified_support.log.3.gz')))).at(-1)!;
  const after = lines(readFileSync(join(b.path, 'unified_support.log.1')))[0]!;
  const session = await openBundle([b.path]);
  const gap = `${join(b.path, 'unified_support.log.2')} is not in the bundle: unified_support.log has a gap from ${new Date(timeOf(before)).toISOString()} to ${new Date(timeOf(after)).toISOString()}`;
  assert.ok(session.warnings.some((w) => w.startsWith(gap)), `warned: ${gap}\n  got: ${session.warnings.join('\n  ')}`);
  // calls that joined before the gap and left in it: the cut set holds neither their end nor a reason to think them still up
  const index = buildCallIndex(session);
  let inGap = 0;
  for (const c of whole.calls) {
    const t0 = Date.parse(c.start!);
    const t1 = Date.parse(c.end!);
    if (!(t0 < timeOf(before) && t1 > timeOf(before) && t1 < timeOf(after))) continue;
    const cut = index.find(c.id);
    if (!cut) continue;
    inGap++;
    assert.equal(cut.ongoing, false, `${c.id} ended in the gap (${c.end}), not at the log's end`);
  }
  assert.ok(inGap > 0, 'calls that ended in the missing file are in the sample');
});

test("the call list's figures: why calls failed, counted over the failed calls as the generator wrote them", async () => {
  const { callStats } = await import('../../electron/shared/call-list.ts');
  const file = join(tmp, 'failures.log');
  const truth = await writeLog(file, { seed: 7, calls: 120 });
  const stats = callStats(buildCallIndex(await openBundle([file])).calls);
  const why = new Map<string, number>();
  for (const c of truth.calls) if (c.failed && c.reason) why.set(c.reason, (why.get(c.reason) ?? 0) + 1);
  assert.ok(why.size > 1, 'failed calls of several reasons in the sample');
  const expected = [...why].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4);
  assert.deepEqual(stats.failReasons, expected);
  assert.equal(stats.failed, truth.calls.filter((c) => c.failed).length);
});
