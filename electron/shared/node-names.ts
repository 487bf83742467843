/**
 * A node under its two names (BundleOverview.addresses): whether two names are one node, and the
 * application starts and alarms that fall in a call on its nodes (a restart that cut it).
 */
import type { AlarmSpan, CallAlarm, CallSummary, NodeAddress, NodeStart } from '../api.js';

/** Whether two names (host names or addresses) are one node, by the addresses its SIP lines give it. */
export function sameNode(a: string, b: string, addresses: readonly NodeAddress[]): boolean {
  if (a === b) return true;
  const address = (n: string) => addresses.find((x) => x.node === n)?.address ?? n;
  return address(a) === address(b);
}

/** A call's signaling and media nodes and when it was up (to its start when its end is not known); null without a start. */
function upOn(c: CallSummary): { from: string; to: string; nodes: string[] } | null {
  if (!c.start) return null;
  return { from: c.start, to: c.end ?? c.start, nodes: [c.signalingNode, c.mediaNode].filter((n): n is string => n !== null) };
}

/**
 * The starts of a call's signaling or media node while it was up, from its start to its end:
 * a node restarted under it.
 */
export function restartsDuring(c: CallSummary, starts: readonly NodeStart[], addresses: readonly NodeAddress[]): NodeStart[] {
  const up = upOn(c);
  if (!up) return [];
  return starts.filter((s) => s.time >= up.from && s.time <= up.to && up.nodes.some((n) => sameNode(n, s.node, addresses)));
}

/**
 * The alarms of a call's signaling or media node raised at any time while it was up: raised
 * before its end (or before the log), and lowered after its start (or never in the log). A
 * capacity or connectivity alarm on its node is the first thing to rule out for a failed or poor call.
 */
export function alarmsDuring(c: CallSummary, alarms: ReadonlyArray<{ span: AlarmSpan; line: number }>, addresses: readonly NodeAddress[]): CallAlarm[] {
  const up = upOn(c);
  if (!up) return [];
  return alarms
    .filter(({ span: a }) => (a.raised ?? '') <= up.to && (a.lowered === null || a.lowered >= up.from) && up.nodes.some((n) => sameNode(n, a.node, addresses)))
    .map(({ span, line }) => ({ ...span, line }));
}
