/** What the list pages (conferences, registrations) share: their rows from the engine, and their sort. */
import { onEvent, whileCurrent } from './api.js';

/** Rows a list page draws at most: a bundle of thousands is narrowed by the page's filter. */
export const LIST_MAX_ROWS = 2000;

/**
 * A page's rows, asked of the engine when the page is made and again when a bundle has loaded
 * (made while a component initializes: it runs effects).
 */
export class PageRows<T> {
  rows = $state.raw<T[] | null>(null);
  error = $state<string | null>(null);
  private version = $state(0);
  constructor(ask: () => Promise<T[]>) {
    $effect(() => {
      void this.version;
      return whileCurrent(
        ask(),
        (r) => ((this.rows = r), (this.error = null)),
        (e) => (this.error = e.message),
      );
    });
    $effect(() => onEvent((ev) => ev.type === 'loaded' && this.version++));
  }
}

/**
 * The sort of a list page's table: the column it is sorted by and the direction. A click on the
 * sorted column turns it round; another column sorts ascending when it reads best so (names,
 * states, first times), else the largest first.
 */
export interface SortColumn<K extends string> {
  key: K;
  label: string;
  num?: boolean;
  title?: string;
}

export class ListSort<K extends string> {
  key: K;
  desc = $state(false);
  private readonly ascendingFirst: readonly K[];
  constructor(key: K, ascendingFirst: readonly K[]) {
    this.key = $state(key);
    this.ascendingFirst = ascendingFirst;
  }
  by(k: K): void {
    if (this.key === k) this.desc = !this.desc;
    else (this.key = k), (this.desc = !this.ascendingFirst.includes(k));
  }
}
