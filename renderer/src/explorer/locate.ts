/**
 * Finding a line's position in a (filtered) list: the engine answers from the list's matches
 * (`seekLine`), in one request. (It was a binary search over the list's pages, guessed by time:
 * up to ~17 page requests, 0.3–1 s for a step in "All lines" on 1 GB.)
 */
import { call } from '../lib/api.js';
import type { RowCache } from '../lib/page-cache.js';

/** Position of the first row whose view index is ≥ index (or > index when `after`); total when none. */
export function positionOf(cache: RowCache, index: number, after = false): Promise<number> {
  return call('seekLine', { index, after: after || undefined, query: cache.query || undefined, epoch: cache.epoch });
}
