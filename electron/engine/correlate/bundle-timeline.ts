/**
 * The bundle's timeline (shared/timeline.ts) from what the engine reads: node starts, alarms,
 * losses of contact, the audit, the calls' quality ratings, the external services (DNS, event
 * sinks, the policy server), each node's
 * longest silence, missing rotations, and the calls
 * (which the app and the CLI each get their own way).
 */
import type { AuditEvent, CallSummary, TimelineEvent } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { nodeActivity } from '../lines/node-activity.js';
import { rotationGapTimes } from '../lines/streams.js';
import { timeOrNull } from '../lines/time.js';
import { timeline } from '../../shared/timeline.js';
import { filterCalls } from '../../shared/call-list.js';
import { alarmSpansAt } from './alarms.js';
import { contactLossesAt } from './connectivity.js';
import { dnsLookups, eventSinks } from './external-services.js';
import { policyRequests } from './external-policy.js';
import { qualityOfCalls } from './call-quality.js';
import { auditRows } from './audit.js';
import { nodeStarts } from './node-starts.js';

/**
 * The timeline of the whole bundle, or of a window (ISO, either end open): what happened in it,
 * each kind where it first happened then. An alarm or a loss of contact that began before the
 * window and still held in it is in it, at its start; the audit, the failed calls, the starts
 * within it; a silence or a missing rotation that overlaps it.
 */
export function bundleTimeline(store: LineStore, calls: readonly CallSummary[], audit: readonly AuditEvent[], window: { from?: string | null; to?: string | null } = {}): TimelineEvent[] {
  const from = window.from ?? '';
  const to = window.to ?? '\uffff';
  const windowed = !!(window.from || window.to);
  const overlaps = (a: string | null, b: string | null) => (a ?? '') <= to && (b ?? '\uffff') >= from;
  const inIt = (t: string) => t >= from && t <= to;
  const events = windowed ? audit.filter((e) => inIt(e.time)) : audit;
  return timeline({
    starts: nodeStarts(store).filter((s) => inIt(s.time)),
    alarms: alarmSpansAt(store).filter((a) => overlaps(a.span.raised, a.span.lowered)),
    contactLosses: contactLossesAt(store).filter((x) => overlaps(x.loss.lost, x.loss.back)),
    audit: { rows: auditRows(events), events },
    dns: dnsLookups(store).filter((l) => inIt(l.time)),
    eventSinks: eventSinks(store, window),
    policy: policyRequests(store).filter((r) => inIt(r.time)),
    silences: nodeActivity(store, 1).nodes.filter((n) => overlaps(n.silence.from, n.silence.to)),
    gaps: rotationGapTimes(store).filter((g) => overlaps(g.from, g.to)),
    calls: windowed ? filterCalls(calls, { from: window.from, to: window.to }) : calls,
    quality: qualityOfCalls(calls, store, calls).map((r) => ({ ...r, quality: r.quality.filter((q) => inIt(q.time)) })),
    end: timeOrNull(store.timeSpan().to),
    ...(windowed ? { scope: 'over the window' } : {}),
  });
}
