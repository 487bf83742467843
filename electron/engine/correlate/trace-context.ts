/**
 * A call's trace with what the rest of the bundle says of it, as its reports and `pexlens trace`
 * give it: its parties' registrations when it started, the audit lines that name it, its nodes'
 * restarts and alarms while it was up, and the dial-outs it is part of. (The app's call view asks
 * for the registrations and audit lines apart: callTrace adds the rest.)
 */
import type { AuditEvent, CallSummary, CallTrace } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import type { Registrations } from './registrations.js';
import { withRegistrations } from './registrations.js';
import { withAudit } from './audit.js';
import { withNodeEvents } from './node-events.js';
import { withDialOuts } from './dial-outs.js';

/** Its nodes' restarts and alarms, and its dial-outs: what the app's callTrace adds. */
export function withBundleEvents(t: CallTrace, store: LineStore, calls: readonly CallSummary[]): CallTrace {
  return withDialOuts(withNodeEvents(t, store), store, calls);
}

/** All of it: with its registrations and audit lines too. */
export function inContext(t: CallTrace, store: LineStore, known: { registrations: Registrations; audit: readonly AuditEvent[]; calls: readonly CallSummary[] }): CallTrace {
  return withBundleEvents(withAudit(withRegistrations(t, known.registrations), known.audit), store, known.calls);
}
