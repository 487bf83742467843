/**
 * A time axis's labels (TimeTicks.svelte): at the span's start, quarters and end, in a zone, as
 * the explorer's histogram writes its own (axisTime): with the day on a span over days.
 */
import { axisTime, spansDays } from '../lib/format.js';

export function tickLabels(from: number, to: number, zone: string): Array<{ f: number; label: string }> {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  const span = Math.max(1, to - from);
  const days = spansDays(from, to, zone);
  return [0, 0.25, 0.5, 0.75, 1].map((f) => ({ f, label: axisTime(from + f * span, span, zone, days) }));
}
