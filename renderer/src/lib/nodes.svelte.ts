/**
 * One node, one name: the syslog host hears a node under its host name and its address, and a
 * call's node is named as the line that told it named it (a conference line's `Signaling-Node` is
 * an address; a failed or WebRTC call's, the sender's host name). The app's lists and views name a
 * node by its address wherever the bundle pairs the two (BundleInfo.addresses), its host name in
 * the title, so that one node reads, sorts and filters as one. Exports keep the log's words.
 */
import type { NodeAddress } from '../../../electron/api.js';
import { nodeAddressOf } from '../../../electron/shared/node-names.js';

export const nodes = $state({ addresses: [] as NodeAddress[], addressOf: nodeAddressOf([]) });

/** The bundle's pairs of names, from its info once loaded (App.svelte). */
export function setNodeAddresses(addresses: readonly NodeAddress[]): void {
  nodes.addresses = [...addresses];
  nodes.addressOf = nodeAddressOf(addresses);
}

/** A node's address where the bundle pairs its names, else the name as given. */
export function nodeShown(name: string | null): string | null {
  return name === null ? null : nodes.addressOf(name);
}

/** A node's names in words, for a title: `10.44.99.3 = pxnode-lon-02`, or the name alone. */
export function nodeTitle(name: string | null): string {
  if (name === null) return '';
  const address = nodeShown(name)!;
  const hosts = nodes.addresses.filter((a) => a.address === address).map((a) => a.node);
  return hosts.length ? `${address} = ${hosts.join(', ')}` : name;
}
