/**
 * Pages of a list the engine holds (the filtered lines, the call list), fetched on demand and kept
 * in a small LRU. Only the pages the table currently wants are fetched, nearest first, a few at a
 * time, so dragging the scrollbar across millions of rows does not queue thousands of calls.
 * While a bundle loads the line list grows: `refresh()` refetches what is visible and keeps showing
 * the previous rows until the new ones arrive (no flicker).
 */
import type { LineRow, LinePage } from '../../../electron/api.js';
import { call } from './api.js';

export const PAGE = 200;
const MAX_PAGES = 400;
const CONCURRENCY = 3;

/**
 * What a page request answers: some rows from an offset, and how many rows the list has (at
 * least that many when `partial`: the first page of a query answered before its whole list was
 * known; LinePage in api.ts).
 */
interface Page<R> {
  total: number;
  rows: R[];
  partial?: boolean;
}

export class PageCache<R, P extends Page<R> = Page<R>> {
  total = 0;
  /** Bumped whenever rows or total change; the table re-renders on it. */
  version = 0;
  error: string | null = null;
  /** The page that came last (what it says beside its rows: the call list's summary strip). */
  last: P | null = null;
  private pages = new Map<number, R[]>();
  private stale = new Map<number, R[]>();
  private inflight = new Set<number>();
  /** Pages whose fetch failed in this generation: not retried until refresh(). */
  private failed = new Set<number>();
  private wanted: number[] = [];
  private gen = 0;
  private pumpQueued = false;
  private totalKnown = false;
  /** The first page was asked for (only that request may be answered early). */
  private begun = false;
  /** The whole list's first page, asked for after an early (partial) one. */
  private settling: Promise<void> | null = null;
  /** The rows an early first page must hold (start's rowsShown). */
  private firstRows = PAGE;

  constructor(
    private onChange: () => void,
    /** `firstRows`: the first page of a new list, which may come early with that many rows at least (0: any other page). */
    private fetchPage: (offset: number, limit: number, firstRows: number) => Promise<P>,
  ) {}

  /**
   * Asks for the first page now, before the view says what it wants: a new query's list then
   * reaches the engine ahead of its count and histogram, and comes back as soon as the head of
   * the bundle holds `rowsShown` of its rows (the rows on screen).
   */
  start(rowsShown = PAGE): void {
    this.firstRows = Math.max(1, Math.min(PAGE, rowsShown));
    if (!this.begun) void this.load(0).then(() => this.pump());
  }

  get known(): boolean {
    return this.totalKnown;
  }

  /** A page has been answered (or refused): the list has something to show. */
  get answered(): boolean {
    return this.last !== null || this.error !== null;
  }

  /** While only an early first page is in: how many rows the list has at least (else null). */
  get atLeast(): number | null {
    return !this.totalKnown && this.last?.partial === true ? this.total : null;
  }

  row(i: number): R | undefined {
    const p = Math.floor(i / PAGE);
    const page = this.pages.get(p) ?? this.stale.get(p);
    return page?.[i - p * PAGE];
  }

  /** Declares the rows the view needs (inclusive range) and fetches missing pages. */
  want(first: number, last: number): void {
    const a = Math.floor(Math.max(0, first) / PAGE);
    const b = Math.max(a, Math.floor(Math.max(0, last) / PAGE));
    const list: number[] = [];
    for (let p = a; p <= b; p++) list.push(p);
    // one page of read-ahead on each side, fetched after the visible ones
    if (a > 0) list.push(a - 1);
    if ((b + 1) * PAGE < this.total) list.push(b + 1);
    this.wanted = list;
    // fetch in a task of its own: starting requests inside a wheel/key handler delays that frame
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      setTimeout(() => {
        this.pumpQueued = false;
        this.pump();
      }, 0);
    }
  }

  /** The list changed underneath (load progress): refetch what is shown, keep old rows meanwhile. */
  refresh(): void {
    this.gen++;
    for (const [p, rows] of this.pages) this.stale.set(p, rows);
    this.pages.clear();
    this.inflight.clear();
    this.failed.clear();
    if (this.stale.size > MAX_PAGES) this.stale.clear();
    this.pump();
  }

  /**
   * Fetches the page holding row i (if needed) and resolves when it is there and the list's length
   * is known (positions are searched in it: an early first page's total is only a lower bound).
   */
  async ensure(i: number): Promise<R | undefined> {
    if (!this.totalKnown && this.settling) await this.settling;
    const p = Math.floor(i / PAGE);
    // a refresh() while the page was on its way drops the answer (it may be out of date): ask
    // again, or callers (positionOf) would take a page that is not there for the end of the list
    for (let tries = 0; !this.pages.has(p) && tries < 5; tries++) {
      const gen = this.gen;
      await this.load(p);
      if (gen === this.gen) break; // loaded, or failed for good in this generation
    }
    return this.row(i);
  }

  private pump(): void {
    for (const p of this.wanted) {
      if (this.inflight.size >= CONCURRENCY) return;
      if (this.pages.has(p) || this.inflight.has(p) || this.failed.has(p)) continue;
      if (this.totalKnown && p * PAGE >= Math.max(this.total, 1)) continue;
      void this.load(p).then(() => this.pump());
    }
  }

  private async load(p: number): Promise<void> {
    const gen = this.gen;
    const first = p === 0 && !this.begun;
    this.begun ||= p === 0;
    this.inflight.add(p);
    let partial = false;
    try {
      const page = await this.fetchPage(p * PAGE, PAGE, first ? this.firstRows : 0);
      if (gen !== this.gen) return;
      this.error = null;
      this.pages.delete(p);
      this.pages.set(p, page.rows);
      this.stale.delete(p);
      this.total = page.total;
      this.last = page;
      partial = page.partial === true;
      this.totalKnown = !partial;
      if (this.pages.size > MAX_PAGES) {
        const keep = new Set(this.wanted);
        for (const k of this.pages.keys()) {
          if (this.pages.size <= MAX_PAGES * 0.75) break;
          if (!keep.has(k)) this.pages.delete(k);
        }
      }
    } catch (e) {
      if (gen !== this.gen) return;
      this.error = (e as Error).message;
      this.failed.add(p);
      if (!this.totalKnown) this.total = 0;
      this.totalKnown = true;
    } finally {
      if (gen === this.gen) this.inflight.delete(p);
    }
    this.version++;
    this.onChange();
    // the rows shown are right; the whole list (its length) is the next answer
    if (partial && gen === this.gen) await (this.settling = this.load(p));
  }
}

/**
 * The (filtered) line list of a query: `lines({ offset, limit, query, epoch })`. `epoch` stamps
 * the search box state the list belongs to (QueryCall in api.ts); `mark`, a query whose matching
 * rows are flagged (`match`: the explorer's "All lines").
 */
export class RowCache extends PageCache<LineRow, LinePage> {
  constructor(
    readonly query: string,
    onChange: () => void,
    readonly epoch?: number,
    readonly mark = '',
  ) {
    super(onChange, (offset, limit, firstRows) =>
      call('lines', { offset, limit, query: query || undefined, epoch, first: firstRows > 0 || undefined, firstRows: firstRows > 0 && firstRows < limit ? firstRows : undefined, mark: mark || undefined }),
    );
  }
}
