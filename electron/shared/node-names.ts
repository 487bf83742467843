/**
 * A node under its two names (BundleOverview.addresses): whether two names are one node, and the
 * application starts, alarms and losses of contact that fall in a call on its nodes (a restart
 * that cut it).
 */
import type { AlarmSpan, CallAlarm, CallContactLoss, CallSummary, ContactLoss, NodeAddress, NodeStart } from '../api.js';
import { nodeNames } from './call-list.js';

/** Whether two names (host names or addresses) are one node, by the addresses its SIP lines give it. */
export function sameNode(a: string, b: string, addresses: readonly NodeAddress[]): boolean {
  if (a === b) return true;
  const address = (n: string) => addresses.find((x) => x.node === n)?.address ?? n;
  return address(a) === address(b);
}

/** A node's address where the bundle pairs its host name with one, else the name as given: one name per node. */
export function nodeAddressOf(addresses: readonly NodeAddress[]): (name: string) => string {
  const address = new Map(addresses.map((x) => [x.node, x.address]));
  return (name) => address.get(name) ?? name;
}

/**
 * A node named one way whatever name a line gave it: its address, with its host name when the
 * bundle pairs them (`10.44.99.2 (pxnode-lon-01)`); a name with no pair as it is.
 */
export function nodeNamer(addresses: readonly NodeAddress[]): (name: string) => string {
  const addressOf = nodeAddressOf(addresses);
  const host = new Map(addresses.map((x) => [x.address, x.node]));
  return (name) => {
    const a = addressOf(name);
    const h = host.get(a);
    return h ? `${a} (${h})` : a;
  };
}

/** A node filter's names (comma-separated) with the other name of each node the bundle pairs (its address, its host name). */
export function withOtherNames(names: string, addresses: readonly NodeAddress[]): string {
  const out = new Set(nodeNames(names));
  for (const x of addresses) if (out.has(x.node) || out.has(x.address)) out.add(x.node).add(x.address);
  return [...out].join(',');
}

/** Nodes and a time span (ISO) they were in use: a call's, or a conference's. */
export interface UpOn {
  from: string;
  to: string;
  nodes: string[];
}

/**
 * The signaling and media nodes of calls and when they were up (a call to its start when its end
 * is not known): one call's, or a conference's calls' together; null when none has a start.
 */
export function upOn(calls: readonly CallSummary[]): UpOn | null {
  const timed = calls.filter((c) => c.start !== null);
  if (!timed.length) return null;
  const from = timed.map((c) => c.start!).sort()[0]!;
  const to = timed.map((c) => c.end ?? c.start!).sort().at(-1)!;
  const nodes = [...new Set(timed.flatMap((c) => [c.signalingNode, c.mediaNode]).filter((n): n is string => n !== null))];
  return { from, to, nodes };
}

/**
 * The starts of nodes while they were in use (a call's signaling or media node, from its start to
 * its end): a node restarted under it.
 */
export function restartsDuring(up: UpOn | null, starts: readonly NodeStart[], addresses: readonly NodeAddress[]): NodeStart[] {
  if (!up) return [];
  return starts.filter((s) => s.time >= up.from && s.time <= up.to && up.nodes.some((n) => sameNode(n, s.node, addresses)));
}

/**
 * The alarms of nodes raised at any time while they were in use (a call's signaling or media node
 * while it was up, or a conference's): raised before the end (or before the log), and lowered
 * after the start (or never in the log). A capacity or connectivity alarm on its node is the first
 * thing to rule out for a failed or poor call.
 */
export function alarmsDuring(up: UpOn | null, alarms: ReadonlyArray<{ span: AlarmSpan; line: number }>, addresses: readonly NodeAddress[]): CallAlarm[] {
  if (!up) return [];
  return alarms
    .filter(({ span: a }) => overlaps(a.raised, a.lowered, up) && up.nodes.some((n) => sameNode(n, a.node, addresses)))
    .map(({ span, line }) => ({ ...span, line }));
}

/** Whether a span (null at an end the log does not hold) overlaps a time of use. */
function overlaps(start: string | null, end: string | null, up: UpOn): boolean {
  return (start ?? '') <= up.to && (end === null || end >= up.from);
}

/**
 * The losses of contact between two nodes that calls needed to reach each other: a call's own
 * (signaling, media, the Edge it came through), or a conference's, whose calls on the two nodes
 * were up together while they could not. Lost at any time while they were up; a node reporting
 * itself is not a pair. In the order of `losses`. Each node's calls sorted once, and each pair
 * swept: a gateway rule's "conference" can hold hundreds of thousands of calls.
 */
export function contactLossesAmong(calls: readonly CallSummary[], losses: ReadonlyArray<{ loss: ContactLoss; line: number }>, addresses: readonly NodeAddress[]): CallContactLoss[] {
  const canon = nodeAddressOf(addresses);
  const up = new Map<string, Array<[string, string]>>();
  for (const c of calls) {
    if (c.start === null) continue;
    const span: [string, string] = [c.start, c.end ?? c.start];
    for (const n of new Set([c.signalingNode, c.mediaNode, c.proxyNode].flatMap((x) => (x === null ? [] : [canon(x)])))) {
      const spans = up.get(n);
      if (spans) spans.push(span);
      else up.set(n, [span]);
    }
  }
  for (const spans of up.values()) spans.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return losses
    .filter(({ loss: l }) => {
      const [a, b] = [canon(l.from), canon(l.to)];
      const [onA, onB] = [up.get(a), up.get(b)];
      return a !== b && !!onA && !!onB && together(within(onA, l), within(onB, l));
    })
    .map(({ loss, line }) => ({ ...loss, line }));
}

/** Spans sorted by start, cut to a loss's time (ISO; open ends run on): those that reach into it, still sorted. */
function within(spans: ReadonlyArray<[string, string]>, l: ContactLoss): Array<[string, string]> {
  const lo = l.lost ?? '';
  const hi = l.back ?? '\uffff';
  const out: Array<[string, string]> = [];
  for (const [s, e] of spans) {
    if (s > hi) break;
    const from = s > lo ? s : lo;
    const to = e < hi ? e : hi;
    if (from <= to) out.push([from, to]);
  }
  return out;
}

/** Whether a span of `a` overlaps a span of `b` (both sorted by start): `a` as disjoint stretches, swept with `b`. */
function together(a: ReadonlyArray<[string, string]>, b: ReadonlyArray<[string, string]>): boolean {
  const merged: Array<[string, string]> = [];
  for (const [s, e] of a) {
    const last = merged.at(-1);
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else merged.push([s, e]);
  }
  let k = 0;
  for (const [s, e] of b) {
    // a stretch that ends before this span starts ends before every later one's too
    while (k < merged.length && merged[k]![1] < s) k++;
    if (k < merged.length && merged[k]![0] <= e) return true;
  }
  return false;
}
