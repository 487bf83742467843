/**
 * The bundle's call load over time, for the overview: in each stretch of the log's span, the most
 * calls up at once, and how many calls started, failed or had poor media (when did quality drop?);
 * and the most licences in use at once.
 * Beside the alarms on the same axis, it shows whether capacity ran out when the load peaked.
 * Pure: the engine runs it on the calls.
 */
import type { CallLoad, CallSummary } from '../api.js';
import { poorMedia } from './media-stats.js';

/** Stretches of the overview's strips over time (call load, nodes' lines): a few pixels each on a usual window. */
export const OVERVIEW_STRETCHES = 300;

/**
 * The overview's strips' stretches of [from, to] (ms): how many (1–2000), how long each, and the
 * stretch a time falls in (clamped to the first and last).
 */
export function stretches(from: number, to: number, buckets: number): { n: number; bucketMs: number; at: (t: number) => number } {
  const n = Math.max(1, Math.min(2000, Math.floor(buckets)));
  const bucketMs = Math.max(1, (to - from) / n);
  return { n, bucketMs, at: (t) => Math.min(n - 1, Math.max(0, Math.floor((t - from) / bucketMs))) };
}

/**
 * The load of `calls` over [from, to] (ms) in `buckets` equal stretches. A call is up from its
 * start to its end (a call still up when the log ends, to the log's end); a failed call never was
 * and is counted in `failed`, nor was one with no outcome in the log. At one instant, ends count
 * before starts. A bundle with no timed line has no stretches.
 */
export function callLoad(calls: readonly CallSummary[], from: number, to: number, buckets: number): CallLoad {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { from: 0, to: 0, bucketMs: 0, up: [], started: [], failed: [], poorMedia: [], peak: { at: null, calls: 0 }, licenses: [] };
  const { n, bucketMs, at } = stretches(from, to, buckets);
  const up = new Array<number>(n).fill(0);
  const started = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  const poor = new Array<number>(n).fill(0);
  // events: [time, +1 | -1]
  const events: Array<[number, number]> = [];
  for (const c of calls) {
    if (c.start === null) continue;
    const s = Date.parse(c.start);
    started[at(s)]!++;
    if (c.failed) failed[at(s)]!++;
    if (poorMedia(c.media)) poor[at(s)]!++;
    const span = upSpan(c);
    if (span) events.push([span[0], 1], [span[1], -1]);
  }
  events.sort(byTimeEndsFirst);
  // a call is up on [start, end): the count at an instant takes every end and start at it
  let cur = 0;
  let k = 0;
  let peak = { at: from, calls: 0 };
  const step = () => {
    const [t, d] = events[k++]!;
    cur += d;
    if (d > 0 && cur > peak.calls) peak = { at: t, calls: cur };
  };
  for (let b = 0; b < n; b++) {
    const start = from + b * bucketMs;
    const end = b === n - 1 ? Infinity : from + (b + 1) * bucketMs;
    while (k < events.length && events[k]![0] <= start) step();
    let most = cur;
    while (k < events.length && events[k]![0] < end) {
      step();
      if (cur > most) most = cur;
    }
    up[b] = most;
  }
  return { from, to, bucketMs, up, started, failed, poorMedia: poor, peak: { at: peak.calls ? new Date(peak.at).toISOString() : null, calls: peak.calls }, licenses: licensePeaks(calls) };
}

/**
 * Per licence type, the most licences `calls` held at once and when (CallLoad.licenses): a call
 * holds its `licenses` while it is up, as callLoad counts it.
 */
export function licensePeaks(calls: readonly CallSummary[]): CallLoad['licenses'] {
  const held = new Map<string | null, Array<[number, number]>>();
  for (const c of calls) {
    const span = c.licenses ? upSpan(c) : null;
    if (!span) continue;
    let of = held.get(c.licenseType);
    if (!of) held.set(c.licenseType, (of = []));
    of.push([span[0], c.licenses!], [span[1], -c.licenses!]);
  }
  return [...held].map(([type, ev]) => ({ type, ...mostAtOnce(ev.sort(byTimeEndsFirst)) })).sort((a, b) => b.peak - a.peak);
}

/**
 * When a call was up (ms): from its start to its end (its start alone when the log has no end).
 * A failed call, or one with no outcome in the log, never connected: never up (null).
 */
function upSpan(c: CallSummary): [number, number] | null {
  if (c.start === null || c.failed || c.noOutcome) return null;
  const s = Date.parse(c.start);
  return [s, c.end === null ? s : Math.max(s, Date.parse(c.end))];
}

/** Events in time order, at one instant the ends (negative) before the starts: a call is up on [start, end). */
const byTimeEndsFirst = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/** The most held at once over sorted events, and when first. */
function mostAtOnce(events: ReadonlyArray<[number, number]>): { peak: number; at: string } {
  let cur = 0;
  let peak = 0;
  let at = events[0]![0];
  for (const [t, d] of events) {
    cur += d;
    if (cur > peak) (peak = cur), (at = t);
  }
  return { peak, at: new Date(at).toISOString() };
}
