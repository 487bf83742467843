/**
 * Finding a line's position in a (filtered) list. A filtered list is a subsequence of the view
 * order, so the view index grows with the position: `seekTime` gives a close guess from the time,
 * a binary search over cached pages settles it.
 */
import { call } from '../lib/api.js';
import type { RowCache } from '../lib/page-cache.js';

/** Position of the first row whose view index is ≥ index (or > index when `after`); total when none. */
export async function positionOf(cache: RowCache, index: number, time: string | null, after = false): Promise<number> {
  const want = (rowIndex: number) => (after ? rowIndex > index : rowIndex >= index);
  if (!cache.known) await cache.ensure(0);
  const total = cache.total;
  if (total === 0) return 0;
  let lo = 0;
  let hi = total; // answer in [lo, hi]
  if (time) {
    try {
      const guess = await call('seekTime', { time, query: cache.query || undefined, epoch: cache.epoch });
      const g = Math.max(0, Math.min(total, guess));
      // check the guess and narrow the search around it
      const before = g > 0 ? await cache.ensure(g - 1) : undefined;
      const at = g < total ? await cache.ensure(g) : undefined;
      if ((g === 0 || (before && !want(before.index))) && (g === total || (at && want(at.index)))) return g;
      if (at && !want(at.index)) lo = g + 1;
      else if (before && want(before.index)) hi = g - 1;
    } catch {
      /* fall back to the plain binary search */
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = await cache.ensure(mid);
    if (!row) return mid;
    if (want(row.index)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
