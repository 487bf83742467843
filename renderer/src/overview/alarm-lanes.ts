/**
 * The overview's alarms as lanes: one row per node and alarm, every span of it on the bundle's
 * time axis, so a log of days with thousands of alarm spans still reads at a glance (when was
 * capacity exhausted, on which node, how long in all). Pure, tested apart from the page.
 */
import type { AlarmSpan } from '../../../electron/api.js';
import { bar } from './coverage.js';
import { byNodeName } from './node-order.js';

export interface AlarmBar {
  span: AlarmSpan;
  /** The view position of its first line (BundleOverview.alarmLines). */
  line: number;
  left: number;
  width: number;
}

export interface AlarmLane {
  node: string;
  alarm: string;
  bars: AlarmBar[];
  /** How long some instance of it was raised, within the log's span (overlapping spans counted once). */
  raisedMs: number;
  /** Some instance of it is still raised when the log ends. */
  stillRaised: boolean;
}

/**
 * The lanes of `alarms` on the span [from, to] (ISO times of the log's first and last lines): by
 * node, then alarm; each lane's bars in the order the alarms began.
 */
export function alarmLanes(alarms: readonly AlarmSpan[], lines: readonly number[], from: string, to: string): AlarmLane[] {
  const t0 = Date.parse(from);
  const t1 = Date.parse(to);
  const lanes = new Map<string, AlarmLane>();
  alarms.forEach((span, k) => {
    const key = `${span.node}\0${span.alarm}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { node: span.node, alarm: span.alarm, bars: [], raisedMs: 0, stillRaised: false }));
    const b = bar(span.raised ?? from, span.lowered ?? to, t0, t1);
    lane.bars.push({ span, line: lines[k] ?? -1, left: b.left ?? 0, width: b.width ?? 0 });
    if (span.lowered === null) lane.stillRaised = true;
  });
  for (const lane of lanes.values()) lane.raisedMs = unionMs(lane.bars.map((b) => [Date.parse(b.span.raised ?? from), Date.parse(b.span.lowered ?? to)]));
  return [...lanes.values()].sort((a, b) => byNodeName(a.node, b.node) || a.alarm.localeCompare(b.alarm));
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
