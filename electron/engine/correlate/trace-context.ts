/**
 * A call's trace with what the rest of the bundle says of it, as its reports and `pexlens trace`
 * give it: its parties' registrations when it started, the audit lines that name it, its nodes'
 * restarts and alarms while it was up, the dial-outs it is part of, the DNS lookups of one a node
 * placed, what its node asked the policy server for it and its local policy wrote of it, and how
 * its node rated its quality. (The app's call view asks
 * for the registrations and audit lines apart: callTrace adds the rest.)
 */
import type { AuditEvent, CallSummary, CallTrace } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import type { Registrations } from './registrations.js';
import { partyAliases, registrations, withRegistrations } from './registrations.js';
import { auditEvents, withAudit } from './audit.js';
import { withNodeEvents } from './node-events.js';
import { withDialOuts } from './dial-outs.js';
import { withDnsLookups } from './external-services.js';
import { withQuality } from './call-quality.js';
import { withPolicy } from './external-policy.js';
import { withLocalPolicy } from './local-policy.js';

/** Its nodes' restarts and alarms, its dial-outs and, one a node placed, its DNS lookups, what its node asked the policy server and its local policy wrote of it, and its quality ratings: what the app's callTrace adds. */
export function withBundleEvents(t: CallTrace, store: LineStore, calls: readonly CallSummary[]): CallTrace {
  return withQuality(withLocalPolicy(withPolicy(withDnsLookups(withDialOuts(withNodeEvents(t, store), store, calls), store), store, calls), store, calls), store, calls);
}

/** All of it: with its registrations and audit lines too. */
export function inContext(t: CallTrace, store: LineStore, known: { registrations: Registrations; audit: readonly AuditEvent[]; calls: readonly CallSummary[] }): CallTrace {
  return withBundleEvents(withAudit(withRegistrations(t, known.registrations), known.audit), store, known.calls);
}

/**
 * The traces of calls (any of their ids) in context, as the CLI reads them: the registrations of
 * their parties alone and the audit trail read once for all. A call the index has not is an error
 * naming the id.
 */
export function tracesInContext(store: LineStore, index: { trace(id: string): CallTrace | undefined; calls: readonly CallSummary[] }, ids: readonly string[]): CallTrace[] {
  const found = ids.map((id) => {
    const t = index.trace(id);
    if (!t) throw new Error(`no call with id ${id} (try \`pexlens calls\` for the ids)`);
    return t;
  });
  const known = { registrations: registrations(store, undefined, new Set(found.flatMap((t) => [...partyAliases(t)]))), audit: auditEvents(store), calls: index.calls };
  return found.map((t) => inContext(t, store, known));
}
