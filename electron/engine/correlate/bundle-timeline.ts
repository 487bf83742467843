/**
 * The bundle's timeline (shared/timeline.ts) from what the engine reads: node starts, alarms,
 * losses of contact, the audit, each node's longest silence, missing rotations, and the calls
 * (which the app and the CLI each get their own way).
 */
import type { AuditEvent, CallSummary, TimelineEvent } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { nodeActivity } from '../lines/node-activity.js';
import { rotationGapTimes } from '../lines/streams.js';
import { timeOrNull } from '../lines/time.js';
import { timeline } from '../../shared/timeline.js';
import { alarmSpansAt } from './alarms.js';
import { contactLossesAt } from './connectivity.js';
import { auditRows } from './audit.js';
import { nodeStarts } from './node-starts.js';

export function bundleTimeline(store: LineStore, calls: readonly CallSummary[], audit: readonly AuditEvent[]): TimelineEvent[] {
  return timeline({
    starts: nodeStarts(store),
    alarms: alarmSpansAt(store),
    contactLosses: contactLossesAt(store),
    audit: { rows: auditRows(audit), events: audit },
    silences: nodeActivity(store, 1).nodes,
    gaps: rotationGapTimes(store),
    calls,
    end: timeOrNull(store.timeSpan().to),
  });
}
