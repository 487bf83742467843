/**
 * Which address a node that sends under a host name has: the syslog host hears one node under
 * its name and its address apart (a line's sender is either), and nothing in a line's head ties
 * the two. Its SIP lines do: the message it sends leaves from its own address (`Src-Address` of
 * "Sending SIP message") and the one it receives comes to it (`Dst-Address` of "Received SIP
 * message"). A name whose SIP lines nearly all name one address has that address.
 */
import type { NodeAddress } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { nodeAddressOf } from '../../shared/node-names.js';

const FIELDS = picker(['message', 'src-address', 'dst-address']);
const slots: Array<string | undefined> = [];
/** SIP lines read per name at most, and of all at most: enough to be sure, quick on 1 GB. */
const PER_NAME = 400;
const IN_ALL = 50_000;
/** Lines a name needs, and the share of them its address must have. */
export const AT_LEAST = 10;
const SHARE = 0.9;

export const isAddress = (name: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');

/** Read once per store (and again once it holds more lines): the overview, `info`, the call list and the call cache all ask. */
const known = new WeakMap<LineStore, { count: number; addresses: NodeAddress[] }>();

export function nodeAddresses(store: LineStore): NodeAddress[] {
  let k = known.get(store);
  if (k?.count !== store.count) known.set(store, (k = { count: store.count, addresses: readAddresses(store) }));
  return k.addresses;
}

function readAddresses(store: LineStore): NodeAddress[] {
  const module = store.names.values.indexOf('support.sip');
  if (module < 0) return [];
  const seen = new Map<number, Map<string, number>>();
  const read = new Map<number, number>();
  const names = store.name.data;
  const senders = store.node.data;
  let all = 0;
  for (let i = 0; i < store.count && all < IN_ALL; i++) {
    if (names[i] !== module) continue;
    const k = senders[i]!;
    const n = read.get(k) ?? 0;
    if (n >= PER_NAME || isAddress(store.nodes.values[k] ?? '')) continue;
    const [message = '', src, dst] = pickInto(store, i, FIELDS, slots);
    const own = /^Sending/i.test(message) ? src : /^Received/i.test(message) ? dst : undefined;
    if (!own) continue;
    read.set(k, n + 1);
    all++;
    const counts = seen.get(k) ?? new Map<string, number>();
    counts.set(own, (counts.get(own) ?? 0) + 1);
    seen.set(k, counts);
  }
  const out: NodeAddress[] = [];
  for (const [k, counts] of seen) {
    const total = read.get(k)!;
    const [address, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (total >= AT_LEAST && n >= SHARE * total) out.push({ node: store.nodes.values[k]!, address, lines: n });
  }
  return out.sort((a, b) => a.node.localeCompare(b.node));
}

/** Each line's sender by its address where the bundle pairs it with a host name: one node, one name, counted once. */
export function senderByAddress(store: LineStore): (i: number) => string {
  const addressOf = nodeAddressOf(nodeAddresses(store));
  const names = store.nodes.values.map((n) => addressOf(n));
  return (i) => names[store.node.data[i]!] ?? '';
}
