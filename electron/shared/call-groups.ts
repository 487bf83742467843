/**
 * The call list broken down by one of the calls' traits: for "do the failures all come from one
 * endpoint model, one network, one node?". Each group counts its calls, the failed ones and those
 * with poor media; a group is then a filter of the list like the others (CallListRequest.group).
 * Pure: the engine's call views, `pexlens calls --group-by` and the app's list say the same.
 */
import type { CallGroup, CallGroupKey, CallSummary } from '../api.js';
import { resultWord } from './call-list.js';
import { poorMedia } from './media-stats.js';
import { directionWords, edgeWords } from './call-text.js';

/** The traits, in the order the app offers them, with what the app calls them. */
export const CALL_GROUPS: ReadonlyArray<{ key: CallGroupKey; label: string }> = [
  { key: 'vendor', label: 'Vendor' },
  { key: 'remoteNetwork', label: 'Remote network' },
  { key: 'signalingNode', label: 'Signaling node' },
  { key: 'mediaNode', label: 'Media node' },
  { key: 'signalingLocation', label: 'Signaling location' },
  { key: 'mediaLocation', label: 'Media location' },
  { key: 'proxyNode', label: 'Edge node' },
  { key: 'conference', label: 'Conference' },
  { key: 'serviceTag', label: 'Service tag' },
  { key: 'protocol', label: 'Protocol' },
  { key: 'direction', label: 'Direction' },
  { key: 'service', label: 'Service' },
  { key: 'result', label: 'Result' },
  { key: 'failReason', label: 'Failure reason' },
  { key: 'disconnectReason', label: 'Disconnect reason' },
  { key: 'licenseType', label: 'Licence type' },
];

export const CALL_GROUP_KEYS: readonly CallGroupKey[] = CALL_GROUPS.map((g) => g.key);

export const isCallGroupKey = (k: unknown): k is CallGroupKey => typeof k === 'string' && (CALL_GROUP_KEYS as readonly string[]).includes(k);

/** The group of the calls the log says nothing of that trait for. */
export const NO_GROUP = '(not in the log)';
/** The groups of the calls a reason does not apply to: a failure reason of a call that did not fail, a disconnect of one that failed. */
const NOT_FAILED = '(did not fail)';
const FAILED = '(failed)';
/** The group of the calls whose conference lines name their nodes and no Proxying Edge Node: they came straight to a node. */
const DIRECT = '(direct)';
/** Groups that are not a value of the trait: listed after the values. */
const OUTSIDE = new Set([NO_GROUP, NOT_FAILED, FAILED, DIRECT]);

/**
 * A vendor string without its versions: `Polycom/6.4.3.6 PolycomRealPresenceGroup/6.4.3.6` →
 * `Polycom`, `TANDBERG/529 (ce9.15.3.17)` → `TANDBERG`, `Zoom Rooms 5.17` → `Zoom Rooms`, an
 * H.323 `(181,0,8) (Polycom) (HDX 9000)` → `Polycom HDX 9000`: one model's calls together whatever
 * software each ran.
 */
export function vendorFamily(vendor: string): string {
  const h323 = /^\(\d+,\d+,\d+\)\s*(.*)$/.exec(vendor.trim());
  if (h323) {
    const parts = [...h323[1]!.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.trim()).filter(Boolean);
    return parts.join(' ') || vendor.trim();
  }
  const head = vendor.split('/')[0]!.trim();
  return head.replace(/\s+v?\d[\w.()-]*$/i, '').trim() || head;
}

/** An address's network: an IPv4 address's /24, an IPv6 address's /64, else the name as it is. */
export function networkOf(address: string): string {
  const v4 = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/.exec(address);
  if (v4) return `${v4[1]}.0/24`;
  if (address.includes(':')) {
    const groups = address.replace(/^\[|\]$/g, '').split(':');
    if (groups.length >= 4 && !address.includes('::')) return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return address;
}

/**
 * The call's group under a trait, or null when the log does not say. `nodeName` names a node
 * one way whatever name a line gave it (its address and host: BundleOverview.addresses).
 */
export function groupValue(c: CallSummary, key: CallGroupKey, nodeName: (n: string) => string = (n) => n): string | null {
  switch (key) {
    case 'vendor':
      return c.vendor === null ? null : vendorFamily(c.vendor);
    case 'remoteNetwork':
      return c.remote === null ? null : networkOf(c.remote);
    case 'signalingNode':
      return c.signalingNode === null ? null : nodeName(c.signalingNode);
    case 'mediaNode':
      return c.mediaNode === null ? null : nodeName(c.mediaNode);
    case 'signalingLocation':
      return c.signalingLocation;
    case 'mediaLocation':
      return c.mediaLocation;
    case 'proxyNode':
      // its media node named and no Edge: its conference lines said where it was, and no Edge
      return edgeWords(c) ?? (c.mediaNode === null ? null : DIRECT);
    case 'conference':
      return c.conference;
    case 'serviceTag':
      return c.serviceTag;
    case 'protocol':
      return c.protocol;
    case 'direction':
      return directionWords(c);
    case 'service':
      return c.service;
    case 'result':
      return resultWord(c);
    case 'failReason':
      return c.failed ? (c.failReason ?? null) : NOT_FAILED;
    case 'disconnectReason':
      return c.disconnectReason ?? (c.failed ? FAILED : null);
    case 'licenseType':
      return c.licenseType;
  }
}

/** Whether the call is in the group of that value (NO_GROUP: the calls the log says nothing of it for). */
export const inGroup = (c: CallSummary, key: CallGroupKey, value: string, nodeName?: (n: string) => string): boolean =>
  (groupValue(c, key, nodeName) ?? NO_GROUP) === value;

/**
 * The groups as a text table for a case note (`pexlens calls --group-by`, the app's Copy): a
 * heading, then a row per group: its calls, failed calls and calls with poor media (each with its
 * share of the group), and its value.
 */
export function groupsText(groups: readonly CallGroup[], by: CallGroupKey, calls: number): string {
  const label = CALL_GROUPS.find((g) => g.key === by)?.label ?? by;
  const share = (n: number, of: number) => (n ? `${n} (${((n / of) * 100).toFixed(0)} %)` : '0');
  const rows = groups.map((g) => `${String(g.calls).padStart(6)}  ${share(g.failed, g.calls).padEnd(12)}  ${share(g.poorMedia, g.calls).padEnd(12)}  ${g.value}`);
  return [`${groups.length} group(s) of ${calls} call(s) by ${label.toLowerCase()}`, '', `${'calls'.padStart(6)}  ${'failed'.padEnd(12)}  ${'poor media'.padEnd(12)}  ${label}`, ...rows].join('\n') + '\n';
}

/** The calls' groups under a trait: most calls first (then by value); the calls with none, or that the trait does not apply to, last. */
export function callGroups(calls: readonly CallSummary[], key: CallGroupKey, nodeName?: (n: string) => string): CallGroup[] {
  const groups = new Map<string | null, CallGroup>();
  for (const c of calls) {
    const v = groupValue(c, key, nodeName);
    let g = groups.get(v);
    if (!g) groups.set(v, (g = { value: v ?? NO_GROUP, known: v !== null && !OUTSIDE.has(v), calls: 0, failed: 0, poorMedia: 0 }));
    g.calls++;
    if (c.failed) g.failed++;
    if (poorMedia(c.media)) g.poorMedia++;
  }
  return [...groups.values()].sort((a, b) => Number(b.known) - Number(a.known) || b.calls - a.calls || a.value.localeCompare(b.value));
}
