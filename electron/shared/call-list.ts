/**
 * The call list's view logic: the quick filter, sorting per column, the summary strip's figures
 * and a conference's calls. The engine runs it (it pages the list to the UI); the functions are
 * plain so the tests can hold the engine's pages against them.
 */
import type { CallDirection, CallResult, CallSortKey, CallStats, CallSummary, ConferenceSummary } from '../api.js';
import { poorMedia } from './media-stats.js';
import { PLACED } from './call-text.js';

/** The call list's result filters, as the CLI's `--result` takes them. */
export const CALL_RESULTS: readonly CallResult[] = ['failed', 'connected', 'warnings', 'setup-not-in-log', 'up-at-log-end', 'no-outcome', 'poor-media'];

/** A call's result in a word, as the quick filter and the result column's sort read it. */
export function resultWord(c: CallSummary): 'failed' | 'connected' | 'no outcome' {
  return c.failed ? 'failed' : c.noOutcome ? 'no outcome' : 'connected';
}

/** The call list's columns, as `sort` takes them. */
export const CALL_SORT_KEYS: readonly CallSortKey[] = ['start', 'duration', 'protocol', 'from', 'to', 'conference', 'vendor', 'signalingNode', 'mediaNode', 'result', 'disconnectReason', 'warnings', 'media'];

/** A node as the lists name it (shared/node-names.ts nodeNamer): one name whatever a line gave it. */
type NodeName = (name: string) => string;

function sortValue(c: CallSummary, key: CallSortKey, nodeName: NodeName): string | number | null {
  switch (key) {
    case 'start':
      return c.start ? Date.parse(c.start) : null;
    case 'duration':
      return c.durationMs;
    case 'protocol':
      return c.protocol;
    case 'from':
      return c.displayName ?? c.from;
    case 'to':
      return c.to;
    case 'conference':
      return c.conference;
    case 'vendor':
      return c.vendor;
    case 'signalingNode':
      return c.signalingNode && nodeName(c.signalingNode);
    case 'mediaNode':
      return c.mediaNode && nodeName(c.mediaNode);
    case 'result':
      return c.failed ? 'failed ' + (c.failReason ?? '') : resultWord(c);
    case 'disconnectReason':
      return c.disconnectReason;
    case 'warnings':
      return c.warnings.length + (c.failed ? 1 : 0);
    case 'media':
      // a stream with nothing one way first, then loss (to 0.01 %, a step of 10 000), jitter (to 9 999 ms) between equal losses
      return c.media ? c.media.noMedia.length * 1e9 + Math.round((c.media.lossPct ?? 0) * 100) * 10_000 + Math.min(9_999, c.media.jitterMs ?? 0) : null;
  }
}

/** How the lists compare text: numbers as numbers, case and accents aside. */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Sorted copy; missing values last whatever the direction, ties by start time; a node by `nodeName` (one node together). */
export function sortCalls(calls: readonly CallSummary[], key: CallSortKey, desc: boolean, nodeName: NodeName = (n) => n): CallSummary[] {
  return sortRows(calls, (c) => sortValue(c, key, nodeName), desc, (c) => (c.start ? Date.parse(c.start) : Infinity));
}

/**
 * Sorted copy of rows by a value: numbers as numbers, text by `collator`; a missing value (null,
 * '') last whatever the direction; ties by `tie` (ascending), then as they came.
 */
export function sortRows<T>(rows: readonly T[], valueOf: (r: T) => string | number | null, desc: boolean, tie: (r: T) => number = () => 0): T[] {
  const dir = desc ? -1 : 1;
  return rows
    .map((r, i) => ({ r, i, v: valueOf(r), s: tie(r) }))
    .sort((a, b) => {
      if (a.v === null || a.v === '') return b.v === null || b.v === '' ? a.i - b.i : 1;
      if (b.v === null || b.v === '') return -1;
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
      return d * dir || a.s - b.s || a.i - b.i;
    })
    .map((x) => x.r);
}

/** The text a quick filter looks through: every field of the summary that a user would type. */
export function haystack(c: CallSummary): string {
  return [
    c.id,
    ...c.ids,
    c.protocol,
    c.from,
    c.to,
    c.displayName,
    c.conference,
    c.conferenceId,
    c.remote,
    c.vendor,
    c.signalingNode,
    c.mediaNode,
    c.signalingLocation,
    c.mediaLocation,
    c.proxyNode,
    c.proxyLocation,
    c.serviceTag,
    resultWord(c),
    c.direction === 'out' ? PLACED : null,
    c.service,
    poorMedia(c.media) ? 'poor media' : null,
    c.failReason,
    c.disconnectReason,
    ...c.warnings,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

export interface CallFilter {
  /** Words that must all appear (case-insensitive) somewhere in the summary. */
  text?: string;
  protocol?: string | null;
  result?: CallResult | null;
  direction?: CallDirection | null;
  /** A service as CallSummary.service names it, any case. */
  service?: string | null;
  /** A node's names, comma-separated (CallListRequest.node): the calls whose signaling or media node is one. */
  node?: string | null;
  /** A time window (ISO; CallListRequest.from/to): the calls up at some time in it. */
  from?: string | null;
  to?: string | null;
}

/** Whether a call was up at some time in [from, to] (ms): from its start to its end, or its start alone. */
export function upDuring(c: CallSummary, from: number, to: number): boolean {
  if (c.start === null) return false;
  const start = Date.parse(c.start);
  const end = c.end === null ? start : Date.parse(c.end);
  return start <= to && end >= from;
}

/** The names a node filter gives (`pxnode-lon-01, 10.44.99.2`), none for none. */
export const nodeNames = (node: string | null | undefined): string[] => (node ?? '').split(',').map((n) => n.trim()).filter(Boolean);

/** Whether a call's signaling or media node is one of these names. */
export const onNode = (c: CallSummary, names: ReadonlySet<string>): boolean => (c.signalingNode !== null && names.has(c.signalingNode)) || (c.mediaNode !== null && names.has(c.mediaNode));

/**
 * Per node (its names, comma-separated): its calls and failed calls, and its system location as
 * those calls name it in its role (a signaling node's Signaling-Location, a media node's Location;
 * the one named most), in one pass (the Overview's nodes).
 */
export function nodeCallCounts(calls: readonly CallSummary[], nodes: readonly string[]): Array<{ calls: number; failed: number; location: string | null }> {
  const sets = nodes.map((n) => new Set(nodeNames(n)));
  const out = nodes.map(() => ({ calls: 0, failed: 0 }));
  const named = nodes.map((): Array<string | null> => []);
  for (const c of calls)
    sets.forEach((names, k) => {
      if (!onNode(c, names)) return;
      out[k]!.calls++;
      if (c.failed) out[k]!.failed++;
      if (c.signalingNode !== null && names.has(c.signalingNode)) named[k]!.push(c.signalingLocation);
      if (c.mediaNode !== null && names.has(c.mediaNode)) named[k]!.push(c.mediaLocation);
    });
  return out.map((o, k) => ({ ...o, location: mostSaid(named[k]!) }));
}

/** The value said most often, nulls aside (the first of equals); null when none is said. */
export function mostSaid(values: ReadonlyArray<string | null>): string | null {
  const n = new Map<string, number>();
  for (const v of values) if (v !== null) n.set(v, (n.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, k] of n) if (best === null || k > n.get(best)!) best = v;
  return best;
}

/** The calls that pass the filter; `textOf` may serve haystacks from a cache. */
export function filterCalls(calls: readonly CallSummary[], f: CallFilter, textOf: (c: CallSummary) => string = haystack): CallSummary[] {
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const service = f.service?.toLowerCase();
  const nodes = new Set(nodeNames(f.node));
  const windowed = !!(f.from || f.to);
  const [from, to] = [f.from ? Date.parse(f.from) : -Infinity, f.to ? Date.parse(f.to) : Infinity];
  return calls.filter((c) => {
    if (nodes.size && !onNode(c, nodes)) return false;
    if (windowed && !upDuring(c, from, to)) return false;
    if (f.protocol && c.protocol !== f.protocol) return false;
    if (f.direction && c.direction !== f.direction) return false;
    if (service && c.service?.toLowerCase() !== service) return false;
    if (f.result === 'failed' && !c.failed) return false;
    if (f.result === 'connected' && (c.failed || c.noOutcome)) return false;
    if (f.result === 'warnings' && !c.warnings.length && !c.failed) return false;
    if (f.result === 'setup-not-in-log' && !c.startInferred) return false;
    if (f.result === 'up-at-log-end' && !c.ongoing) return false;
    if (f.result === 'no-outcome' && !c.noOutcome) return false;
    if (f.result === 'poor-media' && !poorMedia(c.media)) return false;
    if (!words.length) return true;
    const h = textOf(c);
    return words.every((w) => h.includes(w));
  });
}

export function callStats(calls: readonly CallSummary[], top = 4): CallStats {
  const perProtocol = new Map<string, number>();
  const perService = new Map<string, number>();
  let placed = 0;
  const reasons = new Map<string, number>();
  const failReasons = new Map<string, number>();
  let failed = 0;
  let withWarnings = 0;
  let setupNotInLog = 0;
  let upAtLogEnd = 0;
  let noOutcome = 0;
  let poor = 0;
  for (const c of calls) {
    if (poorMedia(c.media)) poor++;
    if (c.startInferred) setupNotInLog++;
    if (c.ongoing) upAtLogEnd++;
    if (c.noOutcome) noOutcome++;
    perProtocol.set(c.protocol, (perProtocol.get(c.protocol) ?? 0) + 1);
    if (c.service) perService.set(c.service, (perService.get(c.service) ?? 0) + 1);
    if (c.direction === 'out') placed++;
    if (c.failed) failed++;
    if (c.warnings.length) withWarnings++;
    const r = c.failed ? c.failReason : c.disconnectReason;
    if (r) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    if (c.failed && r) failReasons.set(r, (failReasons.get(r) ?? 0) + 1);
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: calls.length, failed, withWarnings, perProtocol: byCount(perProtocol), topReasons: byCount(reasons).slice(0, top), failReasons: byCount(failReasons).slice(0, top), setupNotInLog, upAtLogEnd, noOutcome, poorMedia: poor, placed, perService: byCount(perService) };
}

/**
 * The calls of a conference: those with its Conference-ID or one of `extraIds` (calls the engine
 * tied to it in other ways), else, for a conference the log names without an id, its name.
 * `byName`: `id` is the conference's name, and its calls are those of every instance of it (a
 * conference is an instance per node: one spread over nodes, or held again, has several), in
 * `extraIds`, and those the log names so without an id.
 */
export function conferenceCalls(calls: readonly CallSummary[], id: string, extraIds: readonly string[] = [], byName = false): CallSummary[] {
  const ids = new Set(extraIds);
  const tied = (c: CallSummary) => c.ids.some((x) => ids.has(x)) || ids.has(c.id);
  if (byName) return calls.filter((c) => c.conference === id || tied(c));
  const byId = calls.filter((c) => (c.conferenceId !== null && c.conferenceId === id) || tied(c));
  if (byId.length) return byId;
  return calls.filter((c) => c.conference === id);
}

/**
 * The calls of the conference `id` names: the instance with that Conference-ID, else every
 * instance of that name (what the conference view and `calls --conference` show).
 */
export function callsOfConference(calls: readonly CallSummary[], conferences: readonly ConferenceSummary[], id: string): CallSummary[] {
  const one = conferences.find((x) => x.id === id);
  const named = one ? [] : conferences.filter((x) => x.name === id);
  return conferenceCalls(calls, id, one ? one.calls : named.flatMap((x) => x.calls), named.length > 0);
}
