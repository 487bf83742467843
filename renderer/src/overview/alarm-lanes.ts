/**
 * The overview's alarms and losses of contact as lanes: one row per node and alarm, or per pair of
 * nodes, every span of it on the bundle's time axis, so a log of days with thousands of spans still
 * reads at a glance (when was capacity exhausted, on which node, how long in all; which nodes could
 * not reach each other). Pure, tested apart from the page.
 */
import type { AlarmSpan, ContactLoss } from '../../../electron/api.js';
import { bar } from './coverage.js';
import { byNodeName } from './node-order.js';

export interface SpanBar<S> {
  span: S;
  /** The view position of its first line (BundleOverview.alarmLines, contactLossLines). */
  line: number;
  left: number;
  width: number;
}

export type AlarmBar = SpanBar<AlarmSpan>;

export interface AlarmLane {
  node: string;
  alarm: string;
  bars: AlarmBar[];
  /** How long some instance of it was raised, within the log's span (overlapping spans counted once). */
  raisedMs: number;
  /** Some instance of it is still raised when the log ends. */
  stillRaised: boolean;
}

/** Two nodes, either reporting the other: their losses of contact. */
export interface ContactLane {
  /** The pair, in the overview's order of nodes. */
  a: string;
  b: string;
  bars: Array<SpanBar<ContactLoss>>;
  /** How long one could not reach the other, within the log's span (overlaps counted once). */
  lostMs: number;
  stillLost: boolean;
}

interface Lane<S> {
  bars: Array<SpanBar<S>>;
  ms: number;
  open: boolean;
}

/**
 * Spans grouped by `key` on the span [from, to] (ISO times of the log's first and last lines), each
 * lane's bars in the order the spans began; `start`/`end` null where the log does not hold that end.
 */
function lanesOf<S>(spans: readonly S[], lines: readonly number[], from: string, to: string, key: (s: S) => string, start: (s: S) => string | null, end: (s: S) => string | null): Map<string, Lane<S>> {
  const t0 = Date.parse(from);
  const t1 = Date.parse(to);
  const lanes = new Map<string, Lane<S>>();
  spans.forEach((span, k) => {
    let lane = lanes.get(key(span));
    if (!lane) lanes.set(key(span), (lane = { bars: [], ms: 0, open: false }));
    const b = bar(start(span) ?? from, end(span) ?? to, t0, t1);
    lane.bars.push({ span, line: lines[k] ?? -1, left: b.left ?? 0, width: b.width ?? 0 });
    if (end(span) === null) lane.open = true;
  });
  for (const lane of lanes.values()) lane.ms = unionMs(lane.bars.map((b) => [Date.parse(start(b.span) ?? from), Date.parse(end(b.span) ?? to)]));
  return lanes;
}

/**
 * The lanes of `alarms` on the span [from, to] (ISO times of the log's first and last lines): by
 * node, then alarm; each lane's bars in the order the alarms began.
 */
export function alarmLanes(alarms: readonly AlarmSpan[], lines: readonly number[], from: string, to: string): AlarmLane[] {
  const lanes = lanesOf(alarms, lines, from, to, (s) => `${s.node}\0${s.alarm}`, (s) => s.raised, (s) => s.lowered);
  return [...lanes.values()]
    .map((l) => ({ node: l.bars[0]!.span.node, alarm: l.bars[0]!.span.alarm, bars: l.bars, raisedMs: l.ms, stillRaised: l.open }))
    .sort((a, b) => byNodeName(a.node, b.node) || a.alarm.localeCompare(b.alarm));
}

/**
 * The lanes of losses of contact: one per pair of nodes, whichever reported the other (both
 * usually do at once), in the order of their first node, then the second.
 */
export function contactLanes(losses: readonly ContactLoss[], lines: readonly number[], from: string, to: string): ContactLane[] {
  const pair = (l: ContactLoss) => [l.from, l.to].sort(byNodeName) as [string, string];
  const lanes = lanesOf(losses, lines, from, to, (l) => pair(l).join('\0'), (l) => l.lost, (l) => l.back);
  return [...lanes.values()]
    .map((l) => {
      const [a, b] = pair(l.bars[0]!.span);
      return { a, b, bars: l.bars, lostMs: l.ms, stillLost: l.open };
    })
    .sort((x, y) => byNodeName(x.a, y.a) || byNodeName(x.b, y.b));
}

/** The length of the union of these stretches (ms). */
function unionMs(stretches: Array<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of stretches.sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
