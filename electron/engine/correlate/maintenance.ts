/**
 * Azure's scheduled maintenance of a node (support.scheduled_maintenance_events: "Scheduled
 * maintenance event affecting MCU node has been detected. System will be placed into maintenance
 * mode." … "Maintenance event completed. Maintenance mode will be unset."), read as an alarm span
 * of that node, `maintenance_mode`: a node in maintenance mode takes no new calls, and Azure may
 * reboot it. So it is wherever the alarms are (the Overview's lanes, `info`, the timeline, a call's
 * and a conference's alarms while up) with no second path. Its `instance` says what Azure
 * announced (support.pulse "New scheduled maintenance event: {…'EventType': 'Reboot', 'NotBefore':
 * …}"), the node's latest announcement before it.
 */
import type { AlarmSpan } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';
import { nodeAddresses, senderByAddress } from './node-addresses.js';
import { nodeAddressOf } from '../../shared/node-names.js';
import { MAINTENANCE_ALARM } from '../../shared/platform-words.js';

/** The line's message, and the node it is about when it names one (else it is its sender's). */
const FIELDS = picker(['message', 'node']);
const slots: Array<string | undefined> = [];
const SET = /placed into maintenance mode/i;
const UNSET = /maintenance mode will be unset|maintenance event completed/i;
const ANNOUNCED = /^New scheduled maintenance event/i;
/** A member of the announcement (a Python dict as text: `'EventType': 'Reboot'`). */
const member = (text: string, key: string) => new RegExp(`'${key}':\\s*'([^']*)'`).exec(text)?.[1] || null;

/** What Azure announced, in words: `Azure Reboot, not before 2021-01-06T11:10:18+00:00`. */
function announcement(text: string): string {
  const type = member(text, 'EventType') ?? member(text, 'Description') ?? 'maintenance';
  const notBefore = member(text, 'NotBefore');
  return `Azure ${type}${notBefore ? `, not before ${notBefore}` : ''}`;
}

/** Each node's maintenance mode as an alarm span with the view position of its first line, in view order. */
export function maintenanceSpansAt(store: LineStore): Array<{ span: AlarmSpan; line: number }> {
  const modes = store.names.values.indexOf('support.scheduled_maintenance_events');
  if (modes < 0) return [];
  // a node heard under its name and its address is one (its address where the bundle pairs them)
  const sender = senderByAddress(store);
  const addressOf = nodeAddressOf(nodeAddresses(store));
  // the announcements of each node, in view order: a mode set takes its node's latest before it
  const said = new Map<string, Array<{ time: string; words: string }>>();
  for (const p of store.modulePositions(store.names.values.indexOf('support.pulse'))) {
    const i = store.at(p);
    const [message = '', named] = pickInto(store, i, FIELDS, slots);
    if (!ANNOUNCED.test(message)) continue;
    const node = named ? addressOf(named) : sender(i);
    (said.get(node) ?? said.set(node, []).get(node)!).push({ time: formatTime(store.time.data[i]!), words: announcement(message) });
  }
  const open = new Map<string, AlarmSpan>();
  const out: Array<{ span: AlarmSpan; line: number }> = [];
  for (const p of store.modulePositions(modes)) {
    const i = store.at(p);
    const [message = '', named] = pickInto(store, i, FIELDS, slots);
    const node = named ? addressOf(named) : sender(i);
    const at = formatTime(store.time.data[i]!);
    if (SET.test(message)) {
      const s = open.get(node);
      if (s) {
        s.raises++;
        continue;
      }
      const before = (said.get(node) ?? []).filter((a) => a.time <= at);
      const span: AlarmSpan = { node, alarm: MAINTENANCE_ALARM, instance: before.length ? before[before.length - 1]!.words : null, raised: at, lowered: null, raises: 1 };
      open.set(node, span);
      out.push({ span, line: p });
    } else if (UNSET.test(message)) {
      const s = open.get(node);
      if (s) {
        s.lowered = at;
        open.delete(node);
      } else if (!out.some((x) => x.span.node === node)) out.push({ span: { node, alarm: MAINTENANCE_ALARM, instance: null, raised: null, lowered: at, raises: 0 }, line: p });
    }
  }
  return out;
}
