/**
 * What a conference's text says of it (shared/conference-text.ts), read from the bundle: its row
 * counted over its calls, its calls, the calls its nodes placed from it, the alarms on their nodes
 * while they were up, its nodes out of contact while calls on both were up, and the nodes' pairs
 * of names. One reading for the app's Copy summary and `pexlens conference`.
 */
import type { CallSummary, ConferenceSummary } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import type { ConferenceParts } from '../../shared/conference-text.js';
import { callsOfConference } from '../../shared/call-list.js';
import { conferenceRowsOfCalls } from '../../shared/conference-list.js';
import { alarmsOfCalls, contactLossesOfCalls } from './node-events.js';
import { dialOuts } from './dial-outs.js';
import { conferenceDialOuts, placedCalls } from '../../shared/dial-outs.js';
import { nodeAddresses } from './node-addresses.js';
import { qualityOfCalls } from './call-quality.js';

/** The conference of a name, or one instance by its Conference-ID (as the call list takes it); null when no call was in it. */
export function conferenceParts(calls: readonly CallSummary[], conferences: readonly ConferenceSummary[], conference: string, store: LineStore): ConferenceParts | null {
  const mine = callsOfConference(calls, conferences, conference);
  if (!mine.length) return null;
  // counted over its calls: the row of its name (one instance's calls: that instance's)
  const row = conferenceRowsOfCalls(conferences, mine).reduce((a, b) => (b.calls > a.calls ? b : a));
  const dialled = conferenceDialOuts(mine, dialOuts(store, calls));
  return {
    row,
    calls: mine,
    alarms: alarmsOfCalls(mine, store),
    contactLosses: contactLossesOfCalls(mine, store),
    addresses: nodeAddresses(store),
    dialOuts: dialled,
    placed: placedCalls(dialled, calls),
    quality: qualityOfCalls(mine, store, calls),
  };
}
