/**
 * A call's quality over time (correlate/call-quality.ts, shared/call-quality.ts): on a generated
 * log with quality ratings, each call's ratings as its media node logged them, tied by its party,
 * its node and its time (the lines name no call); in its trace, its text and its ladder's marks.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { ladderMarks } from '../../electron/shared/ladder-marks.ts';
import { poorMs, qualityWords } from '../../electron/shared/call-quality.ts';
import { ratingOf } from '../../electron/engine/correlate/call-quality.ts';
import type { CallSummary, CallTrace, QualityChange } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-quality-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Is `part` in `all`, in order (other values between)? */
const inOrder = (part: readonly number[], all: readonly number[]) => {
  let k = 0;
  for (const x of all) if (x === part[k]) k++;
  return k === part.length;
};

test("a call's quality ratings: those its media node logged for its party while it was up, in order; said in its trace and marked on its ladder where it went bad and back", async () => {
  const { text, truth } = generateLog({ seed: 5, calls: 120, quality: true });
  const file = join(tmp, 'quality.log');
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  // every rating of the log, from its words (UTF-8: a participant's name may not be ASCII)
  const node = (n: string) => truth.nodeForms[n] ?? n;
  const party = (p: string) => p.replace(/^(sips?|h323):/i, '').toLowerCase();
  const rated = text
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes(' Message="Stable call quality changed" '))
    .map((l) => ({ time: Date.parse(l.slice(0, l.indexOf(' '))), sender: node(l.split(' ')[1]!), who: party(/ Participant="([^"]*)"/.exec(l)![1]!), q: Number(/ Quality="(\d+)"/.exec(l)![1]) }));
  const withRatings = truth.calls.filter((c) => c.quality);
  assert.ok(withRatings.length > 10 && withRatings.some((c) => c.quality!.some((q) => q >= 3)) && withRatings.some((c) => c.quality!.length === 3), 'calls rated, bad and back');
  const traces = new Map<string, CallTrace>();
  for (const c of truth.calls) traces.set(c.id, (await api.callTrace({ id: c.id }))!);
  // the engine's ratings, each by its words: time, rating, node
  const keyOf = (time: number, q: number, n: string) => `${time}|${q}|${node(n)}`;
  const holders = new Map<string, string[]>();
  for (const [id, t] of traces) for (const q of t.quality ?? []) holders.set(keyOf(Date.parse(q.time), q.quality, q.node), [...(holders.get(keyOf(Date.parse(q.time), q.quality, q.node)) ?? []), id]);
  // each rating of the words is given to one call of those it can be (its party's, on its node, up then): the one its media
  // node rated, then the one its URI names, then the latest set up; none when there is none
  const uriOf = (c: CallSummary) => party((c.direction === 'out' ? c.to : c.from) ?? '');
  let shared = 0;
  for (const r of rated) {
    const cands = [...traces.values()].map((t) => t.call).filter((s) => {
      const parties = new Set([s.direction === 'out' ? s.to : s.from, s.displayName].filter((x): x is string => !!x).map(party));
      const nodes = new Set([s.mediaNode, s.signalingNode].filter((x): x is string => !!x).map(node));
      return !s.failed && !!s.start && r.time >= Date.parse(s.start) && r.time <= Date.parse(s.end ?? s.start) + 2000 && parties.has(r.who) && nodes.has(r.sender);
    });
    const held = holders.get(keyOf(r.time, r.q, r.sender)) ?? [];
    if (!cands.length) {
      assert.deepEqual(held, [], `${r.who} at ${new Date(r.time).toISOString()}: no call`);
      continue;
    }
    if (cands.length > 1) shared++;
    const score = (s: CallSummary) => (node(s.mediaNode ?? '') === r.sender ? 2 : 0) + (uriOf(s) === r.who ? 1 : 0);
    const best = cands.reduce((a, b) => (score(b) > score(a) || (score(b) === score(a) && b.start! > a.start!) ? b : a));
    assert.deepEqual(held, [best.id], `${r.who} at ${new Date(r.time).toISOString()}`);
  }
  assert.ok(shared > 0, 'a rating two calls could have (one person in two calls at once)');
  let poorSeen = 0;
  for (const c of truth.calls) {
    const t = traces.get(c.id)!;
    const got = (t.quality ?? []).map((q) => q.quality);
    // the generator's ratings of it, in order (the background's random ratings of the same person on the same node may fall among them)
    assert.ok(inOrder(c.quality ?? [], got), `${c.id}: ${JSON.stringify(c.quality)} in ${JSON.stringify(got)}`);
    if (!t.quality?.some((q) => q.quality >= 3)) continue;
    poorSeen++;
    // its ladder: a mark where it went bad, and one where it came back
    const marks = ladderMarks(t).filter((m) => m.kind === 'quality');
    const changes = t.quality.map((q, k) => [q, t.quality![k - 1]] as [QualityChange, QualityChange | undefined]);
    const expected = changes.filter(([q, before]) => q.quality >= 3 || (before?.quality ?? 0) >= 3);
    assert.deepEqual(marks.map((m) => [m.t, m.ends, m.line]), expected.map(([q]) => [Date.parse(q.time), q.quality < 3, q.line]), c.id);
  }
  assert.ok(poorSeen > 5, `${poorSeen} calls rated bad`);

  // the Overview's lane: per stretch of the load's axis, the calls rated bad or worse in it
  const load = await api.callLoad({ buckets: 50 });
  const want = new Array<Set<string>>(load.up.length).fill(new Set()).map(() => new Set<string>());
  for (const c of truth.calls) {
    for (const q of (await api.callTrace({ id: c.id }))!.quality ?? []) {
      if (q.quality < 3) continue;
      want[Math.min(load.up.length - 1, Math.floor((Date.parse(q.time) - load.from) / load.bucketMs))]!.add(c.id);
    }
  }
  assert.deepEqual(load.poorQuality, want.map((x) => x.size));
  assert.ok(load.poorQuality!.filter((n) => n > 0).length > 3);

  // the timeline: one entry where the first call was rated bad, counting the calls rated so, opening it
  const bads = (await Promise.all(truth.calls.map(async (c) => ({ id: c.id, q: ((await api.callTrace({ id: c.id }))!.quality ?? []).filter((q) => q.quality >= 3) })))).filter((x) => x.q.length);
  const firstBad = bads.flatMap((x) => x.q.map((q) => ({ id: x.id, q }))).reduce((a, b) => (b.q.time < a.q.time ? b : a));
  const entries = (await api.timeline({})).filter((e) => e.kind === 'quality');
  assert.deepEqual(entries.map((e) => [e.time, e.count, e.call, e.line]), [[firstBad.q.time, bads.length, firstBad.id, firstBad.q.line]]);
  assert.equal(entries[0]!.text, `calls rated bad or worse by their node: ${bads.length} calls in the log, the first on ${firstBad.q.node}`);

  // a call that went bad and came back: its words, in the trace and the CLI's text
  const back = withRatings.find((c) => c.quality!.length === 3)!;
  const t = (await api.callTrace({ id: back.id }))!;
  const [good, bad, again] = t.quality!;
  assert.equal(poorMs(t.quality!, t.call.end), Date.parse(again!.time) - Date.parse(bad!.time));
  const words = qualityWords(t.quality!, t.call.end, (iso) => iso.slice(11, 19));
  assert.match(words, new RegExp(`^good at ${good!.time.slice(11, 19)}, (bad|terrible) at ${bad!.time.slice(11, 19)}, (good|ok) at ${again!.time.slice(11, 19)}; bad or worse for \\d+`));
  const printed = execFileSync(process.execPath, [cli, 'trace', file, '--call', back.id, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  assert.ok(printed.includes(`\n  quality:    good at ${good!.time}, `), printed.split('\n').slice(0, 30).join('\n'));
  // its conference: each call's ratings as its trace has them, and those rated bad in its text
  const conference = t.call.conferenceId!;
  const rows = await api.conferenceQuality({ conference });
  const mine = (await api.calls({ conference, offset: 0, limit: 10_000 })).rows;
  const traced = await Promise.all(mine.map(async (c) => ({ call: c.id, quality: (await api.callTrace({ id: c.id }))!.quality ?? [] })));
  assert.deepEqual(rows, traced.filter((x) => x.quality.length));
  const parts = (await api.conferenceSummary({ conference }))!;
  const said = execFileSync(process.execPath, [cli, 'conference', file, '--conference', conference, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString().split('\n');
  const at = said.indexOf('Rated bad or worse by their node:');
  const poor = parts.quality.filter((q) => q.quality.some((x) => x.quality >= 3));
  assert.ok(at > 0 && poor.length > 0, said.join('\n'));
  assert.deepEqual(said.slice(at + 1, at + 1 + poor.length).map((l) => l.slice(44)), poor.map((q) => qualityWords(q.quality, mine.find((c) => c.id === q.call)!.end, (iso) => iso.replace('T', ' ').replace('Z', ''))));
  // each opens its line
  for (const q of t.quality!) {
    const d = await api.lineDetail({ index: q.line });
    assert.match(d.text, new RegExp(` Message="Stable call quality changed" .* Quality="${q.quality}"`));
    // the line names no call: its detail names the one it is tied to
    assert.equal(d.callId, t.call.id);
  }
});

test('a rating as written: a number, or the Management API\'s words for it; nothing else', () => {
  assert.deepEqual(['3', '1', '3_bad', '4_terrible', 'Bad', 'ok', '0_unknown', 'fine', '', undefined].map(ratingOf), [3, 1, 3, 4, 3, 2, 0, -1, -1, -1]);
});
