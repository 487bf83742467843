import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { passwordOption, zoneTime } from '../options.js';
import { UTC } from '../../shared/zone-time.js';
import { summarize } from '../../engine/lines/summary.js';
import { nodeClocks } from '../../engine/correlate/clock.js';
import { alarmSpans } from '../../engine/correlate/alarms.js';
import { contactLosses } from '../../engine/correlate/connectivity.js';
import { dnsLookups, dnsTargets, eventSinks } from '../../engine/correlate/external-services.js';
import { policyRequests, policyTargets } from '../../engine/correlate/external-policy.js';
import { dnsTargetWords, eventSinkWords, policyTargetWords } from '../../shared/service-words.js';
import { nodeStarts } from '../../engine/correlate/node-starts.js';
import { nodeAddresses } from '../../engine/correlate/node-addresses.js';
import { auditEvents, auditRows } from '../../engine/correlate/audit.js';
import { auditSummary, categoryCounts } from '../../shared/audit-words.js';
import { nodeActivity } from '../../engine/lines/node-activity.js';
import { spanText } from '../../shared/ladder-layout.js';
import { clockWords } from '../../shared/clock-words.js';
import { contactLossWords, platformExtras, platformWords, startVersions, startWords } from '../../shared/platform-words.js';


/** The names `info` lists of the DNS lookups: the failed and slow come first, the rest are routine. */
const DNS_SHOWN = 10;
export function register(program: Command): void {
  const cmd = program
    .command('info')
    .description("a snapshot's software version; per source and stream: files, bytes, lines, damaged lines, time range, nodes, levels, modules; then node clocks, each node's longest silence, its application's starts (restarts), alarms, nodes out of contact with each other, the event sinks, DNS lookups and external policy requests, and the audit trail's subjects with alerts")
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'machine-readable output')
    .option('--no-cache', 'neither read nor write the cache of line tables');
  passwordOption(cmd).action(async (paths: string[], opts: { json?: boolean; cache: boolean; passwordFile?: string }) => {
      const session = await loadBundle(paths, opts);
      const sources = summarize(session.store);
      const clocks = nodeClocks(session.store);
      const alarms = alarmSpans(session.store);
      const contact = contactLosses(session.store);
      // what the nodes asked of services outside them: a sink nobody answers, a name that does not resolve
      const sinks = eventSinks(session.store);
      const dns = dnsTargets(dnsLookups(session.store));
      // what they asked the external policy server: a server that is down, slow or refusing calls
      const policy = policyTargets(policyRequests(session.store));
      // each time a node's application started: in the middle of a log, a restart
      const starts = nodeStarts(session.store);
      // a node heard under its host name and its address: its SIP lines tie the two
      const addresses = nodeAddresses(session.store);
      // the audit trail's categories and the subjects with alerts (pexlens audit lists them all)
      const auditRowsOf = auditRows(auditEvents(session.store));
      const audit = categoryCounts(auditRowsOf);
      // each node's longest silence: a node the syslog host stopped hearing
      const quiet = nodeActivity(session.store, 1).nodes.map((n) => ({ node: n.node, lines: n.lines[0]!, silence: n.silence }));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ platforms: session.platforms, sources, warnings: session.warnings, clocks, quiet, addresses, starts, alarms, contactLosses: contact, eventSinks: sinks, dns, policy, audit }, null, 2) + '\n');
        return;
      }
      // the version the snapshot was taken on: the first thing a case asks
      for (const p of session.platforms) {
        const extras = platformExtras(p);
        process.stdout.write(`${platformWords(p)}${extras ? ` (${extras})` : ''}, from ${p.file}\n`);
      }
      for (const src of sources) {
        process.stdout.write(`${src.source}\n`);
        for (const s of src.streams) {
          // a name that two streams of this source share (two snapshots' logs) says where each is
          const shared = src.streams.filter((x) => x.stream === s.stream).length > 1;
          process.stdout.write(`  ${s.stream}${shared ? ` in ${s.folder}` : ''}: ${s.files.length} file(s), ${s.bytes} bytes, ${s.lines} lines, ${s.damaged} damaged\n`);
          process.stdout.write(`    time    ${s.from ?? '-'} .. ${s.to ?? '-'}\n`);
          process.stdout.write(`    nodes   ${s.nodes.join(', ') || '-'}\n`);
          process.stdout.write(`    levels  ${Object.entries(s.levels).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
          const mods = Object.entries(s.modules).sort((a, b) => b[1] - a[1]);
          process.stdout.write(`    modules ${mods.map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
          for (const f of s.files) process.stdout.write(`    file    ${f.file} (${f.bytes} bytes, ${f.lines} lines${f.damaged ? `, ${f.damaged} damaged` : ''})\n`);
        }
      }
      // how far each node's stamps are from the time its lines were received: a clock that is off shows here
      if (clocks.length) process.stdout.write(`clocks against the syslog host's (median of received − stamped):\n${clocks.map((c) => `  ${c.node}: ${clockWords(c.offsetMs)}\n`).join('')}`);
      const when = (t: string | null, none: string) => (t ? zoneTime(t, UTC) : none);
      if (quiet.length) process.stdout.write(`nodes' lines and their longest silence:\n${quiet.map((q) => `  ${q.node}: ${q.lines} lines; none for ${spanText(q.silence.ms)}, ${when(q.silence.from, '')} .. ${when(q.silence.to, '')}\n`).join('')}`);
      if (addresses.length) process.stdout.write(`nodes heard under a host name and an address (their SIP lines' own address):\n${addresses.map((a) => `  ${a.node} = ${a.address}\n`).join('')}`);
      if (starts.length) {
        const versions = startVersions(starts);
        process.stdout.write(`application starts (administrator.system):\n${starts.map((s) => `  ${startWords(s, (t) => when(t, ''))}\n`).join('')}`);
        if (versions) process.stdout.write(`  versions differ: ${versions}\n`);
      }
      // alarms from raise to lowering: what was wrong on which node, and when
      if (alarms.length) process.stdout.write(`alarms (raised .. lowered):\n${alarms.map((a) => `  ${a.node} ${a.alarm}${a.instance ? ` [${a.instance}]` : ''}: ${when(a.raised, 'before the log')} .. ${when(a.lowered, 'still raised')}\n`).join('')}`);
      // nodes that could not reach each other: a conference across them, or a call signaled on one and mixed on the other, needs them to
      if (contact.length) process.stdout.write(`nodes out of contact (administrator.system.connectivity):\n${contact.map((l) => `  ${contactLossWords(l, (t) => when(t, ''))}\n`).join('')}`);
      if (sinks.length) process.stdout.write(`event sinks (support.events):\n${sinks.map((k) => `  ${eventSinkWords(k, (t) => when(t, ''))}\n`).join('')}`);
      if (dns.length) {
        const shown = dns.slice(0, DNS_SHOWN);
        process.stdout.write(`DNS lookups (support.dns), failed and slow first:\n${shown.map((d) => `  ${dnsTargetWords(d)}\n`).join('')}`);
        if (dns.length > shown.length) process.stdout.write(`  and ${dns.length - shown.length} more names (--json has them all)\n`);
      }
      if (policy.length) process.stdout.write(`external policy (support.externalpolicy), failed and rejected first:\n${policy.map((t) => `  ${policyTargetWords(t)}\n`).join('')}`);
      for (const line of auditSummary(auditRowsOf)) process.stdout.write(`${line.replace(/^Audit:/, 'audit (pexlens audit):')}\n`);
    });
}
