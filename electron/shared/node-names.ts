/**
 * A node under its two names (BundleOverview.addresses): whether two names are one node, and the
 * application starts that fall in a call on its nodes (a restart that cut it).
 */
import type { CallSummary, NodeAddress, NodeStart } from '../api.js';

/** Whether two names (host names or addresses) are one node, by the addresses its SIP lines give it. */
export function sameNode(a: string, b: string, addresses: readonly NodeAddress[]): boolean {
  if (a === b) return true;
  const address = (n: string) => addresses.find((x) => x.node === n)?.address ?? n;
  return address(a) === address(b);
}

/**
 * The starts of a call's signaling or media node while it was up, from its start to its end (to
 * its start when its end is not known): a node restarted under it.
 */
export function restartsDuring(c: CallSummary, starts: readonly NodeStart[], addresses: readonly NodeAddress[]): NodeStart[] {
  if (!c.start) return [];
  const from = c.start;
  const to = c.end ?? c.start;
  const nodes = [c.signalingNode, c.mediaNode].filter((n): n is string => n !== null);
  return starts.filter((s) => s.time >= from && s.time <= to && nodes.some((n) => sameNode(n, s.node, addresses)));
}
