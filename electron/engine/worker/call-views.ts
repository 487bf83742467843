/**
 * The call list as the UI pages it: a view (search, filters, sort, or one conference's calls)
 * is made once and kept, with its summary strip, among the last few views asked for, so scrolling
 * through 60 k calls costs a slice per page and only the rows on screen cross to the UI (the
 * whole list of a 1 GB bundle is ~45 MB of JSON).
 */
import type { CallGroup, CallListPage, CallListRequest, CallStats, CallSummary, ConferenceSummary } from '../../api.js';
import { callStats, callsOfConference, filterCalls, haystack, sortCalls } from '../../shared/call-list.js';
import { callGroups, inGroup } from '../../shared/call-groups.js';

interface View {
  calls: CallSummary[];
  stats: CallStats;
  groups?: CallGroup[];
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
  page(req: CallListRequest, found: () => Promise<readonly CallSummary[]>, conferences: readonly ConferenceSummary[], nodeName?: (n: string) => string): Promise<CallListPage> | CallListPage {
    const by = req.groupBy;
    const key = JSON.stringify([req.query || '', req.conference ?? null, req.filter?.trim().toLowerCase() || '', req.protocol || '', req.result || '', req.direction || '', req.service?.toLowerCase() || '', req.node || '', req.from || '', req.to || '', req.sort ?? null, !!req.desc, by ?? null, by ? (req.group ?? null) : null]);
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
      let filtered = filterCalls(base, { text: req.filter, protocol: req.protocol, result: req.result, direction: req.direction, service: req.service, node: req.node, from: req.from, to: req.to }, (c) => this.textOf(c, nodeName));
      // the groups of what the other filters keep, so that the other groups stay in sight once one is picked
      const groups = by ? callGroups(filtered, by, nodeName) : undefined;
      if (by && req.group !== undefined) filtered = filtered.filter((c) => inGroup(c, by, req.group!, nodeName));
      const view = { calls: req.sort ? sortCalls(filtered, req.sort, !!req.desc, nodeName) : filtered, stats: callStats(base), groups };
      this.views.set(key, view);
      if (this.views.size > KEEP) this.views.delete(this.views.keys().next().value!);
      return slice(view, req);
    })();
  }

  /** A call's haystack, with its nodes' other names (the list shows a node by its address, the call may name it by host). */
  private textOf(c: CallSummary, nodeName?: (n: string) => string): string {
    let t = this.texts.get(c);
    if (t === undefined) {
      const names = nodeName ? [c.signalingNode, c.mediaNode].flatMap((n) => (n ? [nodeName(n).toLowerCase()] : [])) : [];
      this.texts.set(c, (t = names.length ? `${haystack(c)}\n${names.join('\n')}` : haystack(c)));
    }
    return t;
  }
}

function slice(view: View, req: CallListRequest): CallListPage {
  const offset = Math.max(0, Math.floor(Number(req.offset) || 0));
  const limit = req.limit === undefined || req.limit === null ? Infinity : Math.max(0, Math.floor(Number(req.limit) || 0));
  return { total: view.calls.length, offset, rows: view.calls.slice(offset, offset + limit), stats: view.stats, ...(view.groups ? { groups: view.groups } : {}) };
}
