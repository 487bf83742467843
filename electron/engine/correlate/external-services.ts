/**
 * What the nodes asked of services outside them: the DNS lookups made for SIP signaling
 * (support.dns) and the event sinks they send their events to (support.events, which logs its
 * errors). "Calls to that domain fail", "dial-outs take seconds to ring" and "our monitoring
 * gets nothing" start here: a name that did not resolve, a slow lookup, a sink nobody answers.
 */
import type { CallTrace, DnsLookup, DnsTarget, EventSink } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';
import { DNS_SLOW_MS, tally } from '../../shared/service-words.js';
import { nodeAddressOf } from '../../shared/node-names.js';
import { isAddress, nodeAddresses, senderByAddress } from './node-addresses.js';
import { perStore } from './memo.js';

const DNS = picker(['message', 'type', 'target', 'result', 'duration', 'reason', 'error']);
const EVENTS = picker(['message', 'url', 'detail', 'reason', 'error']);
const slots: Array<string | undefined> = [];

/** A line that says something did not work: the vendor's words vary, these are the ones it uses. */
export const FAILED = /fail|error|unable|refused|timed? ?out|no answer|nxdomain|servfail/i;
const OK = /succe|established|connected|resumed|recovered/i;

/** What failed, in words: the message, then its reason when the line gives one. */
export const failureWords = (message: string, reason: string | undefined) => (reason && !message.includes(reason) ? `${message}: ${reason}` : message);

/** Every DNS lookup in the bundle, in view order: read once per store (and again once it holds more lines), as the Overview, the timeline and each placed call's view ask. */
export const dnsLookups = perStore((store): readonly DnsLookup[] => {
  const out: DnsLookup[] = [];
  const sender = senderByAddress(store);
  for (const p of store.modulePositions(store.names.values.indexOf('support.dns'))) {
    const i = store.at(p);
    const [message = '', type = '', target = '', result, duration, reason, error] = pickInto(store, i, DNS, slots);
    if (!target) continue;
    const seconds = duration === undefined ? NaN : Number(duration);
    const failed = !/succe/i.test(message) && (FAILED.test(message) || !!reason || !!error);
    out.push({
      time: formatTime(store.time.data[i]!),
      node: sender(i),
      type,
      target,
      result: failed || !result ? null : result,
      ms: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
      failure: failed ? failureWords(message, reason ?? error) : null,
      line: p,
    });
  }
  return out;
});

export function median(sorted: readonly number[]): number | null {
  if (!sorted.length) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : Math.round((sorted[m - 1]! + sorted[m]!) / 2);
}

/** Things that took a time and may have failed (DNS lookups, policy requests), grouped by a key in the order first seen: each group's times sorted, its failed ones and its slowest. */
export function timedGroups<T extends { ms: number | null; failure: string | null }>(items: readonly T[], key: (x: T) => string): Array<{ g: T[]; times: number[]; failed: T[]; slowest: T | null }> {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return [...groups.values()].map((g) => ({
    g,
    times: g.flatMap((x) => (x.ms === null ? [] : [x.ms])).sort((a, b) => a - b),
    failed: g.filter((x) => x.failure !== null),
    slowest: g.reduce<T | null>((a, x) => (x.ms !== null && (a === null || x.ms > a.ms!) ? x : a), null),
  }));
}

/** The lookups per name and record type: those with failures first, then those slow, then the most looked up. */
export function dnsTargets(lookups: readonly DnsLookup[]): DnsTarget[] {
  const out: DnsTarget[] = [];
  for (const { g, times, failed, slowest } of timedGroups(lookups, (l) => `${l.target.toLowerCase()}\0${l.type.toUpperCase()}`)) {
    out.push({
      target: g[0]!.target,
      type: g[0]!.type,
      lookups: g.length,
      failed: failed.length,
      slow: times.filter((ms) => ms >= DNS_SLOW_MS).length,
      slowestMs: times.length ? times[times.length - 1]! : null,
      medianMs: median(times),
      results: tally(g.flatMap((l) => (l.result === null ? [] : [l.result]))),
      failures: tally(failed.map((l) => l.failure!)),
      nodes: [...new Set(g.map((l) => l.node))],
      first: g[0]!.time,
      last: g[g.length - 1]!.time,
      line: (failed[0] ?? (slowest && slowest.ms! >= DNS_SLOW_MS ? slowest : g[0]!)).line,
    });
  }
  return out.sort((a, b) => b.failed - a.failed || b.slow - a.slow || b.lookups - a.lookups || (a.target < b.target ? -1 : 1));
}

/** The event sinks the nodes reported on, the most failures first; over a window (ISO, either end open), its lines only. */
export function eventSinks(store: LineStore, window: { from?: string | null; to?: string | null } = {}): EventSink[] {
  const from = window.from ?? '';
  const to = window.to ?? '\uffff';
  const sinks = new Map<string, EventSink & { said: string[] }>();
  const sender = senderByAddress(store);
  for (const p of store.modulePositions(store.names.values.indexOf('support.events'))) {
    const i = store.at(p);
    const at = formatTime(store.time.data[i]!);
    if (at < from || at > to) continue;
    const [message = '', url = '', detail, reason, error] = pickInto(store, i, EVENTS, slots);
    const node = sender(i);
    let s = sinks.get(url);
    if (!s) sinks.set(url, (s = { url, lines: 0, failures: 0, firstFailure: null, lastFailure: null, nodes: [], details: [], line: p, said: [] }));
    s.lines++;
    if (!s.nodes.includes(node)) s.nodes.push(node);
    // the module logs its errors: a line is one unless it says the sink worked
    if (!FAILED.test(message) && OK.test(message)) continue;
    if (!s.failures) s.line = p;
    s.failures++;
    s.firstFailure ??= at;
    s.lastFailure = at;
    s.said.push(detail ?? reason ?? error ?? message);
  }
  return [...sinks.values()]
    .map(({ said, ...s }) => ({ ...s, details: tally(said) }))
    .sort((a, b) => b.failures - a.failures || b.lines - a.lines);
}

/** A call's lookups: from this long before its setup (the dial-out line, the routing) ... */
const BEFORE_MS = 30_000;
/** ... to this long after it (its first INVITE waits on them). */
const AFTER_MS = 10_000;

/** The host a URI names (`sip:bob@example.com:5061;transport=tls` → `example.com`); null for an address or none. */
export function uriDomain(uri: string | null): string | null {
  const m = /^(?:[a-z0-9+.-]+:)?(?:[^@;>]*@)?(\[[^\]]*\]|[^:;>?/\s]+)/i.exec((uri ?? '').replace(/^.*</, ''));
  const host = m?.[1]?.toLowerCase() ?? '';
  return !host || host.startsWith('[') || isAddress(host) ? null : host;
}

/**
 * The trace with its DNS lookups, for a call a node placed: those its signaling node made of the
 * domain it dialled (the domain, or a name under it: `_sip._tcp.example.com`) from BEFORE_MS before
 * its setup to AFTER_MS after. A call dialled into a node looked nothing up for its caller.
 */
export function withDnsLookups(t: CallTrace, store: LineStore): CallTrace {
  const c = t.call;
  const domain = c.direction === 'out' ? uriDomain(c.to) : null;
  if (!domain || !c.start || !c.signalingNode) return t;
  const start = Date.parse(c.start);
  const from = new Date(start - BEFORE_MS).toISOString();
  const to = new Date(start + AFTER_MS).toISOString();
  const node = nodeAddressOf(nodeAddresses(store))(c.signalingNode);
  const mine = dnsLookups(store).filter((l) => l.time >= from && l.time <= to && l.node === node && (l.target.toLowerCase() === domain || l.target.toLowerCase().endsWith(`.${domain}`)));
  return mine.length ? { ...t, dnsLookups: mine } : t;
}
