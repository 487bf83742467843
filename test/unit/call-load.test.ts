/**
 * The overview's call load (shared/call-load.ts) on a generated log's calls, against a count made
 * call by call at every instant that can be a stretch's most: its start and each call's start in it.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { callLoad } from '../../electron/shared/call-load.ts';
import { poorMedia } from '../../electron/shared/media-stats.ts';
import { cutAfter, writeLog } from '../generator/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-load-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

for (const cut of [false, true]) test(`call load${cut ? ', on a log cut while calls are set up' : ''}: the most calls up at once in each stretch, the calls started and failed in it, and the peak`, async () => {
  const file = join(tmp, `load-${cut}.log`);
  await writeLog(file, { seed: 17, calls: 300 });
  if (cut) {
    // cut right after the INVITE of a call late in the day: calls with no outcome are never up
    writeFileSync(file, cutAfter(readFileSync(file), /="\^MINVITE /, 0.8).text);
  }
  const session = await openBundle([file]);
  const calls = buildCallIndex(session).calls;
  const { from, to } = session.store.timeSpan();
  const spans = calls.filter((c) => c.start && !c.failed && !c.noOutcome).map((c) => [Date.parse(c.start!), Date.parse(c.end!)] as const);
  const upAt = (t: number) => spans.filter(([s, e]) => s <= t && t < e).length;
  for (const buckets of [1, 7, 60, 500]) {
    const load = callLoad(calls, from, to, buckets);
    assert.equal(load.up.length, buckets);
    const w = (to - from) / buckets;
    const edge = (b: number) => (b === buckets ? Infinity : from + b * w);
    for (let b = 0; b < buckets; b++) {
      const inside = (t: number) => t >= edge(b) && t < edge(b + 1);
      const instants = [Math.max(from, edge(b)), ...spans.map(([s]) => s).filter(inside)];
      assert.equal(load.up[b], Math.max(...instants.map(upAt)), `${buckets} stretches: stretch ${b}`);
      const startedIn = calls.filter((c) => c.start && (inside(Date.parse(c.start)) || (b === 0 && Date.parse(c.start) < from)));
      assert.equal(load.started[b], startedIn.length, `${buckets} stretches: started in ${b}`);
      assert.equal(load.failed[b], startedIn.filter((c) => c.failed).length, `${buckets} stretches: failed in ${b}`);
      assert.equal(load.poorMedia[b], startedIn.filter((c) => poorMedia(c.media)).length, `${buckets} stretches: poor media in ${b}`);
    }
    const peak = Math.max(...spans.map(([s]) => upAt(s)));
    assert.equal(load.peak.calls, peak);
    assert.equal(load.peak.at, new Date(Math.min(...spans.map(([s]) => s).filter((s) => upAt(s) === peak))).toISOString());
    assert.equal(Math.max(...load.up), peak);
  }
  assert.ok(Math.max(...callLoad(calls, from, to, 60).up) > 3, 'calls overlap in the sample');
  if (cut) assert.ok(calls.some((c) => c.noOutcome), 'calls with no outcome in the sample');
});

test('call load: a bundle with no timed line has no stretches and no peak', () => {
  assert.deepEqual(callLoad([], NaN, NaN, 300), { from: 0, to: 0, bucketMs: 0, up: [], started: [], failed: [], poorMedia: [], peak: { at: null, calls: 0 }, licenses: [] });
});
