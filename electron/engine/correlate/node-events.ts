/**
 * What happened to a call's nodes while it was up: their application starting (a restart that
 * cut it), their alarms (capacity, connectivity, licences) and losses of contact between them.
 * Added to a trace wherever one is shown: the app's call view, `pexlens trace`, the call reports.
 */
import type { AlarmSpan, CallAlarm, CallContactLoss, CallSummary, CallTrace, ContactLoss, NodeAddress, NodeStart } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { nodeAddresses } from './node-addresses.js';
import { nodeStarts } from './node-starts.js';
import { alarmSpansAt } from './alarms.js';
import { contactLossesAt } from './connectivity.js';
import { alarmsDuring, contactLossesAmong, restartsDuring, upOn } from '../../shared/node-names.js';

interface NodeEvents {
  count: number;
  starts: NodeStart[];
  alarms: Array<{ span: AlarmSpan; line: number }>;
  losses: Array<{ loss: ContactLoss; line: number }>;
  addresses: NodeAddress[];
}

/** A bundle's starts, alarms and node names, read once per store (and again once it holds more lines): each call view asks. */
const known = new WeakMap<LineStore, NodeEvents>();

function eventsOf(store: LineStore): NodeEvents {
  let k = known.get(store);
  if (k?.count !== store.count) known.set(store, (k = { count: store.count, starts: nodeStarts(store), alarms: alarmSpansAt(store), losses: contactLossesAt(store), addresses: nodeAddresses(store) }));
  return k;
}


/** The trace with its nodes' application starts, alarms and losses of contact while the call was up, if any. */
export function withNodeEvents(t: CallTrace, store: LineStore): CallTrace {
  const k = eventsOf(store);
  const up = upOn([t.call]);
  const restarts = restartsDuring(up, k.starts, k.addresses);
  const alarms = alarmsDuring(up, k.alarms, k.addresses);
  const contactLosses = contactLossesAmong([t.call], k.losses, k.addresses);
  return { ...t, ...(restarts.length ? { restarts } : {}), ...(alarms.length ? { alarms } : {}), ...(contactLosses.length ? { contactLosses } : {}) };
}

/**
 * The alarms of calls' nodes while those calls were up: a conference's. Call by call, so that an
 * alarm on a node that carried one short call is under the conference only if it was raised
 * while that call was up. In the order of the bundle's alarms.
 */
export function alarmsOfCalls(calls: readonly CallSummary[], store: LineStore): CallAlarm[] {
  const k = eventsOf(store);
  const hit = new Map<number, CallAlarm>();
  for (const c of calls) for (const a of alarmsDuring(upOn([c]), k.alarms, k.addresses)) hit.set(a.line, a);
  return k.alarms.flatMap(({ line }) => hit.get(line) ?? []);
}

/**
 * The losses of contact between two nodes of a conference's calls while calls on both were up
 * together: a conference spread over nodes that could not reach each other.
 */
export function contactLossesOfCalls(calls: readonly CallSummary[], store: LineStore): CallContactLoss[] {
  const k = eventsOf(store);
  return contactLossesAmong(calls, k.losses, k.addresses);
}
