/**
 * The nodes' dial-outs as the log says them: each "Placing outbound call" line of
 * administrator.participantdialer, tied to the calls it concerns (shared/dial-outs.ts).
 */
import type { CallSummary, CallTrace, DialOut } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { perStoreAndCalls } from './memo.js';
import { dialOutsOf, tieDialOuts } from '../../shared/dial-outs.js';
import { formatTime } from '../lines/time.js';
import { picker, pickInto } from './pick.js';

const MODULE = 'administrator.participantdialer';
const FIELDS = picker(['message', 'participant-alias', 'conferencealias', 'conference', 'displayname', 'protocol', 'role']);
const PLACING = /^Placing outbound call/i;
const slots: Array<string | undefined> = [];

/** Every dial-out line of the bundle, in view order, not yet tied to calls. */
export function dialLines(store: LineStore): DialOut[] {
  const out: DialOut[] = [];
  for (const p of store.modulePositions(store.names.values.indexOf(MODULE))) {
    const i = store.at(p);
    const [message = '', alias, conferenceAlias = null, conference = null, displayName = null, protocol = null, role = null] = pickInto(store, i, FIELDS, slots);
    if (!PLACING.test(message) || !alias) continue;
    // a gateway's names its rule and the call's own id: `Route to London:423a18c5-…`
    const gateway = conference === null ? null : conference.replace(/:[0-9a-f-]{36}$/i, '');
    out.push({ time: formatTime(store.time.data[i]!), node: store.nodeOf(i), alias, conferenceAlias, gateway, displayName, protocol, role, line: p, call: null, incoming: null });
  }
  return out;
}

/** The bundle's dial-outs, each with the call it became and a gateway's incoming call: once per store and call list (each call view asks). */
export const dialOuts = perStoreAndCalls((store, calls): DialOut[] => tieDialOuts(dialLines(store), calls));

/** The trace with the dial-outs its call is part of, if any. */
export function withDialOuts(t: CallTrace, store: LineStore, calls: readonly CallSummary[]): CallTrace {
  const mine = dialOutsOf(t.call, dialOuts(store, calls));
  return mine.length ? { ...t, dialOuts: mine } : t;
}
