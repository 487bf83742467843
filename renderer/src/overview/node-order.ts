/**
 * The overview's order of nodes (its strips, its alarm lanes, its text): by name, numbers as
 * numbers, so `10.44.99.2` comes before `10.44.99.10`; a node the syslog host hears under a host
 * name as well comes right after its address (BundleOverview.addresses), so the two read as one.
 */
import type { BundleOverview } from '../../../electron/api.js';

export const byNodeName = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/** The other name of a node: a host name's address, or the host names an address is known by; null for none. */
export function otherName(o: BundleOverview, node: string): string | null {
  const own = o.addresses.find((a) => a.node === node);
  if (own) return own.address;
  const hosts = o.addresses.filter((a) => a.address === node).map((a) => a.node);
  return hosts.length ? hosts.join(', ') : null;
}

/** Nodes in the overview's order: by address (a host name by the address it has), the address first. */
export function byNode(o: BundleOverview): (a: string, b: string) => number {
  const address = new Map(o.addresses.map((a) => [a.node, a.address]));
  return (a, b) => byNodeName(address.get(a) ?? a, address.get(b) ?? b) || Number(address.has(a)) - Number(address.has(b)) || byNodeName(a, b);
}

/** The nodes' lines over time, in the overview's order. */
export function activityByNode(o: BundleOverview): BundleOverview['activity']['nodes'] {
  const order = byNode(o);
  return [...o.activity.nodes].sort((a, b) => order(a.node, b.node));
}
