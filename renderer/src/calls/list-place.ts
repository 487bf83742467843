/**
 * Where the call list was left: its controls, the row under the cursor and the scroll. The list
 * is rebuilt each time it is shown, so a call opened from it and closed again (← Calls, the Calls
 * tab, Back) would start over at the top of all calls; with this it comes back as it was, for
 * going through failed calls one by one.
 */
import type { CallSortKey } from '../../../electron/api.js';

export type ResultFilter = '' | 'failed' | 'connected' | 'warnings';

export interface ListPlace {
  /** The call search (the route's `q`) the rest belongs to. */
  query: string;
  quick: string;
  protocol: string;
  result: ResultFilter;
  sortKey: CallSortKey | null;
  desc: boolean;
  cursor: number;
  scrollTop: number;
}

let last: ListPlace | null = null;

/** The place left with this call search, if the list was last left with it. */
export function placeFor(query: string): ListPlace | null {
  return last && last.query === query ? last : null;
}

export function leavePlace(place: ListPlace): void {
  last = place;
}
