/**
 * The call list as the UI pages it: a view (search, filters, sort, or one conference's calls)
 * is made once and kept, with its summary strip, among the last few views asked for, so scrolling
 * through 60 k calls costs a slice per page and only the rows on screen cross to the UI (the
 * whole list of a 1 GB bundle is ~45 MB of JSON).
 */
import type { CallListPage, CallListRequest, CallStats, CallSummary, ConferenceSummary } from '../../api.js';
import { callStats, callsOfConference, filterCalls, haystack, sortCalls } from '../../shared/call-list.js';

interface View {
  calls: CallSummary[];
  stats: CallStats;
}

/** Views kept: the list, a search, a filter being typed and its sort are enough to page back. */
const KEEP = 6;

export class CallViews {
  private views = new Map<string, View>();
  /** Haystacks of the quick filter, made once per call (a call's summary never changes). */
  private texts = new WeakMap<CallSummary, string>();

  /** Forgets the views (another bundle, or a new call index). */
  clear(): void {
    this.views.clear();
  }

  /**
   * One page of the view `req` names. `found` gives the calls the view starts from: every call in
   * list order, or a search's, best match first (asked only for a view not kept).
   */
  page(req: CallListRequest, found: () => Promise<readonly CallSummary[]>, conferences: readonly ConferenceSummary[]): Promise<CallListPage> | CallListPage {
    const key = JSON.stringify([req.query || '', req.conference ?? null, req.filter?.trim().toLowerCase() || '', req.protocol || '', req.result || '', req.direction || '', req.service?.toLowerCase() || '', req.node || '', req.sort ?? null, !!req.desc]);
    const hit = this.views.get(key);
    if (hit) {
      // most recently used last: the oldest goes first when a new view comes in
      this.views.delete(key);
      this.views.set(key, hit);
      return slice(hit, req);
    }
    return (async () => {
      let base = await found();
      if (req.conference) base = callsOfConference(base, conferences, req.conference);
      const filtered = filterCalls(base, { text: req.filter, protocol: req.protocol, result: req.result, direction: req.direction, service: req.service, node: req.node }, (c) => this.textOf(c));
      const view = { calls: req.sort ? sortCalls(filtered, req.sort, !!req.desc) : filtered, stats: callStats(base) };
      this.views.set(key, view);
      if (this.views.size > KEEP) this.views.delete(this.views.keys().next().value!);
      return slice(view, req);
    })();
  }

  private textOf(c: CallSummary): string {
    let t = this.texts.get(c);
    if (t === undefined) this.texts.set(c, (t = haystack(c)));
    return t;
  }
}

function slice(view: View, req: CallListRequest): CallListPage {
  const offset = Math.max(0, Math.floor(Number(req.offset) || 0));
  const limit = req.limit === undefined || req.limit === null ? Infinity : Math.max(0, Math.floor(Number(req.limit) || 0));
  return { total: view.calls.length, offset, rows: view.calls.slice(offset, offset + limit), stats: view.stats };
}
