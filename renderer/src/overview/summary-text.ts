/**
 * The overview as plain text, for a case note ("Copy summary"): the bundle and its span, the
 * software version, the warnings, each log's files, each node's lines, errors, warnings, clock and
 * longest silence, the alarms a line per node and alarm, the nodes out of contact a line per pair,
 * the event sinks and the DNS names that failed or were slow to resolve, the external policy server, the calls' figures, the registrations' and the audit trail's. Times in UTC, as the log writes
 * them and as every copy and export of the app gives them.
 */
import type { AuditRow, BundleInfo, BundleOverview, CallLoad, CallStats, RegistrationRow } from '../../../electron/api.js';
import { auditSummary } from '../../../electron/shared/audit-words.js';
import { STATE_WORDS, stateCounts } from '../../../electron/shared/registration-words.js';
import { clockIsOff, clockWords } from '../../../electron/shared/clock-words.js';
import { platformExtras, platformWords, startVersions, startWords } from '../../../electron/shared/platform-words.js';
import { bytes, count, duration, fullTime } from '../lib/format.js';
import { PLACED, licenseTypeWords } from '../../../electron/shared/call-text.js';
import { alarmLanes, contactLanes } from './alarm-lanes.js';
import { dnsTargetWords, eventSinkWords, policyTargetWords } from '../../../electron/shared/service-words.js';
import { activityByNode, otherName } from './node-order.js';

const at = (iso: string | null) => (iso ? fullTime(iso) : '-');

/** Refused aliases named in the text at most (a case note, not the list). */
const REFUSED_NAMED = 10;

export function overviewText(
  info: BundleInfo,
  overview: BundleOverview,
  stats: CallStats | null,
  load: CallLoad | null,
  registrations: readonly RegistrationRow[] | null = null,
  audit: readonly AuditRow[] | null = null,
): string {
  const out: string[] = [];
  const from = info.from ? Date.parse(info.from) : NaN;
  const to = info.to ? Date.parse(info.to) : NaN;
  out.push(`Bundle: ${info.paths.join(', ')}`);
  out.push(`  ${count(info.lines)} lines, ${bytes(info.bytes)}${Number.isFinite(from) ? `, ${at(info.from)} – ${at(info.to)} UTC (${duration(to - from)})` : ', no line with a time'}`);
  for (const p of info.platforms) out.push(`  ${platformWords(p)}${platformExtras(p) ? ` (${platformExtras(p)})` : ''}`);
  if (info.warnings.length) out.push(`Warnings (${info.warnings.length}):`, ...info.warnings.map((w) => `  ${w}`));
  out.push('Files:');
  for (const src of overview.sources) {
    for (const s of src.streams) {
      out.push(`  ${s.stream} in ${s.folder}:`);
      for (const f of s.files) out.push(`    ${f.file.slice(s.folder.length + 1) || f.file}: ${count(f.lines)} lines, ${bytes(f.bytes)}${f.damaged ? `, ${count(f.damaged)} damaged` : ''}, ${at(f.from)} – ${at(f.to)}`);
    }
  }
  const clocks = new Map(info.clocks.map((c) => [c.node, c.offsetMs]));
  const nodes = activityByNode(overview);
  if (nodes.length) out.push('Nodes (lines, errors, warnings, clock against the syslog host\'s, longest silence):');
  for (const n of nodes) {
    const lv = overview.nodeLevels[n.node];
    const off = clocks.get(n.node);
    const clock = off === undefined ? 'clock -' : `${clockIsOff(off) ? 'clock OFF ' : ''}${clockWords(off)}`;
    const other = otherName(overview, n.node);
    out.push(`  ${n.node}${other ? ` (= ${other})` : ''}: ${count(n.lines.reduce((x, y) => x + y, 0))} lines, ${count(lv?.errors ?? 0)} errors, ${count(lv?.warnings ?? 0)} warnings, ${clock}, quiet ${duration(n.silence.ms)} from ${at(n.silence.from)}`);
  }
  if (overview.starts.length) {
    out.push(`Application starts (${count(overview.starts.length)}):`, ...overview.starts.map((s) => `  ${startWords(s, at)}`));
    const versions = startVersions(overview.starts);
    if (versions) out.push(`  versions differ: ${versions}`);
  }
  if (overview.alarms.length && info.from && info.to) {
    out.push(`Alarms (${count(overview.alarms.length)} from raise to lowering):`);
    for (const l of alarmLanes(overview.alarms, overview.alarmLines, info.from, info.to)) out.push(`  ${l.node} ${l.alarm}: ${count(l.bars.length)}×, raised ${duration(l.raisedMs)} in all${l.stillRaised ? ', still raised at the end' : ''}`);
  }
  if (overview.contactLosses.length && info.from && info.to) {
    out.push(`Nodes out of contact (${count(overview.contactLosses.length)} times one could not reach another):`);
    for (const l of contactLanes(overview.contactLosses, overview.contactLossLines, info.from, info.to)) out.push(`  ${l.a} and ${l.b}: ${count(l.bars.length)}×, ${duration(l.lostMs)} in all${l.stillLost ? ', still lost at the end' : ''}`);
  }
  if (overview.eventSinks.length) out.push('Event sinks:', ...overview.eventSinks.map((k) => `  ${eventSinkWords(k, at)}`));
  if (overview.dns.length) {
    // the routine lookups are counted; a name that failed or was slow is what a case reads
    const trouble = overview.dns.filter((d) => d.failed || d.slow);
    const lookups = overview.dns.reduce((n, d) => n + d.lookups, 0);
    out.push(`DNS lookups: ${count(lookups)} of ${count(overview.dns.length)} names${trouble.length ? `; ${count(trouble.length)} failed or slow:` : ', none failed or slow'}`);
    out.push(...trouble.map((d) => `  ${dnsTargetWords(d)}`));
  }
  if (overview.policy.length) out.push('External policy:', ...overview.policy.map((t) => `  ${policyTargetWords(t)}`));
  if (stats) {
    const cut = [
      stats.setupNotInLog ? `${count(stats.setupNotInLog)} with their setup not in the log` : '',
      stats.upAtLogEnd ? `${count(stats.upAtLogEnd)} still up at its end` : '',
      stats.noOutcome ? `${count(stats.noOutcome)} with no outcome in it` : '',
      stats.poorMedia ? `${count(stats.poorMedia)} with poor media` : '',
    ].filter(Boolean);
    out.push(`Calls: ${count(stats.total)} (${stats.perProtocol.map(([p, n]) => `${count(n)} ${p}`).join(', ') || 'none'}), ${count(stats.failed)} failed${cut.length ? `; ${cut.join(', ')}` : ''}`);
    const routes = [stats.placed ? `${count(stats.placed)} ${PLACED}` : '', ...stats.perService.filter(([sv]) => sv !== 'conference').map(([sv, n]) => `${count(n)} to a ${sv} service`)].filter(Boolean);
    if (routes.length) out.push(`  ${routes.join(', ')}`);
    if (stats.failReasons.length) out.push(`  why calls failed: ${stats.failReasons.map(([r, n]) => `${r} ${count(n)}`).join('; ')}`);
    if (load?.peak.at) out.push(`  most up at once: ${count(load.peak.calls)}, at ${at(load.peak.at)}`);
    if (load?.licenses.length) out.push(`  licences in use at most: ${load.licenses.map((l) => `${count(l.peak)} ${licenseTypeWords(l.type)} at ${at(l.at)}`).join('; ')}`);
  }
  if (registrations?.length) {
    out.push(`Registrations at the log's end: ${count(registrations.length)} aliases (${stateCounts(registrations).map(([s, n]) => `${count(n)} ${STATE_WORDS[s]}`).join(', ')})`);
    const refused = registrations.filter((r) => r.state === 'refused');
    if (refused.length) out.push(`  refused: ${refused.slice(0, REFUSED_NAMED).map((r) => `${r.alias} (${r.reason})`).join(', ')}${refused.length > REFUSED_NAMED ? `, and ${count(refused.length - REFUSED_NAMED)} more` : ''}`);
  }
  out.push(...auditSummary(audit ?? []));
  return out.join('\n') + '\n';
}
