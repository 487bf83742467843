/**
 * A bundle's alarms as spans: each `Alarm raised` paired with the `Alarm lowered` of the same
 * node, alarm and instance (administrator.alarm). An alarm lowered with no raise before it was
 * raised before the log began; one raised and never lowered is still raised when it ends. So a
 * case can see at a glance that capacity ran out on a node while its calls failed. A node's
 * maintenance mode (Azure's scheduled maintenance: correlate/maintenance.ts) is one of them.
 */
import type { AlarmSpan } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';
import { maintenanceSpansAt } from './maintenance.js';

const MODULE = 'administrator.alarm';
/** The fields an alarm line is read for, straight from its bytes (parsing whole lines took most of the time). */
const FIELDS = picker(['message', 'node', 'alarm', 'instance']);
const slots: Array<string | undefined> = [];

/** The alarms of the bundle in the order they began (an alarm raised before the log first). */
export function alarmSpans(store: LineStore): AlarmSpan[] {
  return alarmSpansAt(store).map((x) => x.span);
}

/**
 * The same, each with the view position of its first line in the bundle (its raise, or its
 * lowering when raised before the log): where the app opens the explorer on it.
 */
export function alarmSpansAt(store: LineStore): Array<{ span: AlarmSpan; line: number }> {
  const all = [...raisedAndLowered(store), ...maintenanceSpansAt(store)].sort((a, b) => a.line - b.line);
  // raised before the log first, then by when they were raised (view order)
  return [...all.filter((s) => s.span.raised === null), ...all.filter((s) => s.span.raised !== null)];
}

/** The administrator.alarm lines' spans, each with the view position of its first line, in view order. */
function raisedAndLowered(store: LineStore): Array<{ span: AlarmSpan; line: number }> {
  const module = store.names.values.indexOf(MODULE);
  if (module < 0) return [];
  const open = new Map<string, AlarmSpan>();
  /** Keys the log has said anything of: only a key's first event can be a lowering of an alarm raised before the log. */
  const seen = new Set<string>();
  const spans: Array<{ span: AlarmSpan; line: number }> = [];
  // in view order (the lines of several streams merged by time)
  for (const p of store.modulePositions(module)) {
    const i = store.at(p);
    const [message = '', node = '', alarm = '', instance = null] = pickInto(store, i, FIELDS, slots);
    const raised = /^Alarm raised/i.test(message);
    if (!raised && !/^Alarm lowered/i.test(message)) continue;
    const key = `${node}\0${alarm}\0${instance ?? ''}`;
    const at = formatTime(store.time.data[i]!);
    const span = open.get(key);
    const first = !seen.has(key);
    seen.add(key);
    if (raised) {
      // raised again while raised: the same span, raised once more
      if (span) span.raises++;
      else {
        const s: AlarmSpan = { node, alarm, instance, raised: at, lowered: null, raises: 1 };
        open.set(key, s);
        spans.push({ span: s, line: p });
      }
    } else if (span) {
      span.lowered = at;
      open.delete(key);
    } else if (first) spans.push({ span: { node, alarm, instance, raised: null, lowered: at, raises: 0 }, line: p });
    // else: lowered again with no raise since (a repeated lowering): nothing new
  }
  return spans;
}
