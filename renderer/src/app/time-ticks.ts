/**
 * A time axis's labels (TimeTicks.svelte): at the span's start, quarters and end, in a zone. A
 * span within one day gives clock times; one over days gives each its day (`05-15 05:19`).
 */
import { clockTime } from '../../../electron/shared/ladder-layout.js';
import { dateTime } from '../lib/format.js';

export function tickLabels(from: number, to: number, zone: string): Array<{ f: number; label: string }> {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  const days = dateTime(from, zone).slice(0, 10) !== dateTime(to, zone).slice(0, 10);
  return [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = from + f * Math.max(1, to - from);
    return { f, label: days ? dateTime(t, zone).slice(5, 16) : clockTime(t, zone).slice(0, 8) };
  });
}
