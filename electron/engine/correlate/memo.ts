/**
 * What the correlation reads once per bundle: made on first ask, kept while the store holds the
 * same lines (a store still loading grows: then made again), and, where it depends on the calls,
 * for one list of calls (the call index's, which every view passes).
 */
import type { CallSummary } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';

/** A value per store, made again once the store holds more lines. */
export function perStore<T>(make: (store: LineStore) => T): (store: LineStore) => T {
  const known = new WeakMap<LineStore, { count: number; value: T }>();
  return (store) => {
    const k = known.get(store);
    if (k?.count === store.count) return k.value;
    const value = make(store);
    known.set(store, { count: store.count, value });
    return value;
  };
}

/** A value per store and list of calls (one list kept per store), made again once either changes. */
export function perStoreAndCalls<T>(make: (store: LineStore, calls: readonly CallSummary[]) => T): (store: LineStore, calls: readonly CallSummary[]) => T {
  const known = new WeakMap<LineStore, { count: number; calls: readonly CallSummary[]; value: T }>();
  return (store, calls) => {
    const k = known.get(store);
    if (k?.count === store.count && k.calls === calls) return k.value;
    const value = make(store, calls);
    known.set(store, { count: store.count, calls, value });
    return value;
  };
}
