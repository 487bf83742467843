/**
 * A snapshot's software version in words, a node's application start, an alarm on a node and two
 * nodes out of contact, the same in the app's header, Overview and call view and in `pexlens info`
 * and `pexlens trace`.
 */
import type { AlarmSpan, ContactLoss, NodeStart, PlatformInfo } from '../api.js';
import { tally, tallyWords } from './service-words.js';

export function platformWords(p: PlatformInfo): string {
  return p.version === null ? 'Pexip Infinity (its platform file gives no version)' : `Pexip Infinity ${p.version}`;
}

/** The platform file's values other than its version (`key=value`, …), or null when it has none. */
export function platformExtras(p: PlatformInfo): string | null {
  const rest = p.fields.filter(([k]) => k !== 'version');
  return rest.length ? rest.map(([k, v]) => `${k}=${v}`).join(', ') : null;
}

/** A node's application start: `pxnode-lon-01 started at 08:08:43.495, version 34 (78612.0.0), pid 27896`; `time` writes a log time. */
export function startWords(s: NodeStart, time: (iso: string) => string): string {
  return `${s.node} started at ${time(s.time)}${s.version ? `, version ${s.version}` : ''}${s.pid ? `, pid ${s.pid}` : ''}`;
}

/**
 * An alarm from its raise to its lowering: `capacity_exhausted on 10.44.99.3, raised at 08:21:17.162,
 * lowered at 08:31:58.246`; raised before the log began, or still raised when it ends, where the
 * log holds only one end (a node's maintenance mode: `maintenance mode on 10.44.99.2 (Azure Reboot,
 * not before …), set at …, unset at …`). `time` writes a log time.
 */
export function alarmWords(a: AlarmSpan, time: (iso: string) => string): string {
  if (a.alarm === MAINTENANCE_ALARM) {
    const set = a.raised === null ? 'set before the log began' : `set at ${time(a.raised)}`;
    return `maintenance mode on ${a.node}${a.instance ? ` (${a.instance})` : ''}, ${set}, ${a.lowered === null ? 'still set when the log ends' : `unset at ${time(a.lowered)}`}`;
  }
  const raised = a.raised === null ? 'raised before the log began' : `raised at ${time(a.raised)}${a.raises > 1 ? ` (${a.raises} raises)` : ''}`;
  return `${a.alarm} on ${a.node}, ${raised}, ${a.lowered === null ? 'still raised when the log ends' : `lowered at ${time(a.lowered)}`}`;
}

/** The alarm name a node's maintenance mode (Azure's scheduled maintenance: correlate/maintenance.ts) goes by, as the vendor's alarms are named (`capacity_exhausted`). */
export const MAINTENANCE_ALARM = 'maintenance_mode';

/**
 * Two nodes out of contact: `10.44.99.3 could not reach 10.46.10.7 from 08:04:41.403 (4 reports),
 * back at 08:06:10.000 via 10.47.3.4, 10.47.3.7`; lost before the log began, or still lost when it
 * ends, where the log holds only one end. A direct path back is not said: it is the usual one.
 */
export function contactLossWords(l: ContactLoss, time: (iso: string) => string): string {
  const lost = l.lost === null ? 'since before the log began' : `from ${time(l.lost)}${l.reports > 1 ? ` (${l.reports} reports)` : ''}`;
  const via = l.path && !/^direct$/i.test(l.path) ? ` via ${l.path}` : '';
  return `${l.from} could not reach ${l.to} ${lost}, ${l.back === null ? 'still lost when the log ends' : `back at ${time(l.back)}${via}`}`;
}

/** Alarms by name, most first: `3 alarms: capacity_exhausted ×2, connectivity_lost`. */
export function alarmCounts(alarms: readonly AlarmSpan[]): string {
  return `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}: ${tallyWords(tally(alarms.map((a) => a.alarm)), Infinity)}`;
}

/** The versions the nodes' starts name, when they differ (an upgrade, or nodes apart): `34 (78612.0.0), 35 (80101.0.0)`; null when one or none. */
export function startVersions(starts: readonly NodeStart[]): string | null {
  const versions = [...new Set(starts.map((s) => s.version).filter((v): v is string => v !== null))];
  return versions.length > 1 ? versions.join(', ') : null;
}
