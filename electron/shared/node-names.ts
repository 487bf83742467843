/**
 * A node under its two names (BundleOverview.addresses): whether two names are one node, and the
 * application starts and alarms that fall in a call on its nodes (a restart that cut it).
 */
import type { AlarmSpan, CallAlarm, CallSummary, NodeAddress, NodeStart } from '../api.js';
import { nodeNames } from './call-list.js';

/** Whether two names (host names or addresses) are one node, by the addresses its SIP lines give it. */
export function sameNode(a: string, b: string, addresses: readonly NodeAddress[]): boolean {
  if (a === b) return true;
  const address = (n: string) => addresses.find((x) => x.node === n)?.address ?? n;
  return address(a) === address(b);
}

/**
 * A node named one way whatever name a line gave it: its address, with its host name when the
 * bundle pairs them (`10.44.99.2 (pxnode-lon-01)`); a name with no pair as it is.
 */
export function nodeNamer(addresses: readonly NodeAddress[]): (name: string) => string {
  const address = new Map(addresses.map((x) => [x.node, x.address]));
  const host = new Map(addresses.map((x) => [x.address, x.node]));
  return (name) => {
    const a = address.get(name) ?? name;
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
    .filter(({ span: a }) => (a.raised ?? '') <= up.to && (a.lowered === null || a.lowered >= up.from) && up.nodes.some((n) => sameNode(n, a.node, addresses)))
    .map(({ span, line }) => ({ ...span, line }));
}
