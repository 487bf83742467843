/**
 * Where the call list was left: its controls, the row under the cursor and the scroll. The list
 * is rebuilt each time it is shown, so a call opened from it and closed again (← Calls, the Calls
 * tab, Back) would start over at the top of all calls; with this it comes back as it was, for
 * going through failed calls one by one.
 */
import type { CallDirection, CallGroupKey, CallListRequest, CallResult, CallSortKey } from '../../../electron/api.js';

export type ResultFilter = '' | CallResult;

/** The call list's row height (px): a place's scroll is counted in it. */
export const LIST_ROW = 30;

export interface ListPlace {
  /** The call search (the route's `q`) the rest belongs to. */
  query: string;
  quick: string;
  protocol: string;
  result: ResultFilter;
  /** Only calls dialled in or placed by a node (`''`: both). */
  direction: '' | CallDirection;
  /** Only calls to this service (`''`: any). */
  service: string;
  /** Only calls on this node: its names, comma-separated (`''`: any). */
  node: string;
  /** The trait the list is broken down by (`''`: none), and the group picked in it (null: all). */
  groupBy: '' | CallGroupKey;
  group: string | null;
  /** A time window (ISO; `''`: none): the calls up at some time in it. */
  from: string;
  to: string;
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

/** Where the list was last left (a call view steps through its calls from there). */
export function lastPlace(): ListPlace | null {
  return last;
}

export function leavePlace(place: ListPlace): void {
  last = place;
}

/** The view of the calls the list shows with these controls (the engine sorts and filters it). */
export function requestOf(p: Pick<ListPlace, 'query' | 'quick' | 'protocol' | 'result' | 'direction' | 'service' | 'node' | 'groupBy' | 'group' | 'from' | 'to' | 'sortKey' | 'desc'>): CallListRequest {
  return {
    query: p.query || undefined,
    filter: p.quick.trim() || undefined,
    protocol: p.protocol || undefined,
    result: p.result || undefined,
    direction: p.direction || undefined,
    service: p.service || undefined,
    node: p.node || undefined,
    from: p.from || undefined,
    to: p.to || undefined,
    groupBy: p.groupBy || undefined,
    group: p.groupBy && p.group !== null ? p.group : undefined,
    sort: p.sortKey ?? undefined,
    desc: p.sortKey ? p.desc : undefined,
  };
}

/** The place with the cursor on another row, scrolled so that the list comes back showing it. */
export function movedTo(p: ListPlace, cursor: number): ListPlace {
  return { ...p, cursor, scrollTop: Math.max(0, (cursor - 3) * LIST_ROW) };
}
