import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { Out } from '../output.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import type { CallTrace, TraceMessage } from '../../api.js';
import { momentWords } from '../../shared/registration-words.js';
import { eventWords } from '../../shared/audit-words.js';
import { tracesInContext } from '../../engine/correlate/trace-context.js';
import { alarmWords, contactLossWords, startWords } from '../../shared/platform-words.js';
import { dnsLookupWords, policyRequestWords } from '../../shared/service-words.js';
import { qualityWords } from '../../shared/call-quality.js';
import { arrow, edgeWords, licenseWords, NO_OUTCOME, NO_OUTCOME_TITLE, SETUP_MISSING, UP_AT_END, routeWords } from '../../shared/call-text.js';
import { TZ_OPTION, zoneNote, zoneOf, zoneTime } from '../options.js';
import { mediaSummary } from '../../shared/media-stats.js';
import { negotiations, negotiationWords } from '../../shared/sdp.js';
import { sessionTimer, timerWords } from '../../shared/session-timer.js';
import { admission, admissionWords } from '../../shared/admission.js';
import { presentation, presentationWords } from '../../shared/presentation.js';
import { callEnding, endingWords } from '../../shared/call-ending.js';
import { callQuery, messagesWith } from '../../shared/call-find.js';
import { callTransfers, transferWords } from '../../shared/transfer.js';
import { dialOutText } from '../../shared/dial-outs.js';
import { Searcher } from '../../engine/search/index.js';

/** How a time is written: as the log has it (ISO, UTC), or with --tz in a zone. */
type At = (iso: string | null) => string;

function header(t: CallTrace, at: At): string {
  const c = t.call;
  const lines = [
    `Call ${c.id} (${[c.protocol, routeWords(c)].filter(Boolean).join(', ')})`,
    `  ids:        ${c.ids.join(', ')}`,
    `  from:       ${c.from ?? '-'}${c.displayName ? ` (${c.displayName})` : ''}`,
    `  to:         ${c.to ?? '-'}`,
    `  conference: ${c.conference ?? '-'}${c.conferenceId ? ` [${c.conferenceId}]` : ''}${c.serviceTag ? ` (tag ${c.serviceTag})` : ''}`,
    `  time:       ${at(c.start)} → ${at(c.end)}${c.durationMs !== null ? ` (${(c.durationMs / 1000).toFixed(1)} s)` : ''}${c.startInferred ? ` (${SETUP_MISSING})` : ''}${c.ongoing ? ` (${UP_AT_END})` : ''}`,
    `  remote:     ${c.remote ?? '-'}${c.vendor ? ` (${c.vendor})` : ''}`,
    `  nodes:      signaling ${c.signalingNode ?? '-'}${c.signalingLocation ? ` (${c.signalingLocation})` : ''}, media ${c.mediaNode ?? '-'}${c.mediaLocation ? ` (${c.mediaLocation})` : ''}${c.proxyNode ? `, via Edge ${edgeWords(c)}` : ''}`,
    `  result:     ${c.failed ? `FAILED ${c.failReason ?? ''}` : c.ongoing ? `connected, ${UP_AT_END}` : c.noOutcome ? `${NO_OUTCOME} (${NO_OUTCOME_TITLE})` : 'connected'}${c.disconnectReason ? `; disconnect: ${c.disconnectReason}` : ''}`,
    `  counts:     ${Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ...(c.licenses !== null ? [`  licences:   ${licenseWords(c)}`] : []),
  ];
  if (c.media) lines.push(`  media:      ${mediaSummary(c.media)}`);
  const admitted = admission(t);
  if (admitted) lines.push(`  admission:  ${admissionWords(admitted, t.messages)}`);
  // a time of day in the words, as `at` writes the times (UTC, or --tz)
  const second = (iso: string) => at(iso).slice(11, 19);
  const ending = callEnding(t);
  if (ending) lines.push(`  ended:      ${endingWords(ending, second)}`);
  for (const n of negotiations(t.messages)) lines.push(`  sdp:        ${at(t.messages[n.offer]!.time)} ${negotiationWords(n, t.messages)}`);
  const timer = sessionTimer(t.messages);
  if (timer) lines.push(`  timer:      ${timerWords(timer)}`);
  const shared = presentation(t.messages);
  if (shared) lines.push(`  presented:  ${presentationWords(shared, t.messages, second)}`);
  for (const x of callTransfers(t.messages)) lines.push(`  transfer:   ${transferWords(x)}`);
  for (const m of t.registrations ?? []) lines.push(`  registration: ${m.alias}: ${momentWords(m, at)} when the call started`);
  for (const e of t.audit ?? []) lines.push(`  audit:      ${at(e.time)} ${eventWords(e)}`);
  for (const s of t.restarts ?? []) lines.push(`  restart:    ${startWords(s, at)}, while the call was up`);
  for (const a of t.alarms ?? []) lines.push(`  alarm:      ${alarmWords(a, at)}, while the call was up`);
  for (const l of t.contactLosses ?? []) lines.push(`  contact:    ${contactLossWords(l, at)}, while the call was up`);
  for (const d of t.dialOuts ?? []) lines.push(`  dial-out:   ${dialOutText(d, c.id, at)}`);
  for (const l of t.dnsLookups ?? []) lines.push(`  dns:        ${at(l.time)} ${dnsLookupWords(l)}`);
  for (const r of t.policy ?? []) lines.push(`  policy:     ${at(r.time)} ${policyRequestWords(r)}`);
  for (const l of t.localPolicy ?? []) lines.push(`  local policy: ${at(l.time)} ${l.text}`);
  if (t.quality?.length) lines.push(`  quality:    ${qualityWords(t.quality, c.end, at)}`);
  for (const w of c.warnings) lines.push(`  warning:    ${w}`);
  return lines.join('\n') + '\n\n';
}

function text(m: TraceMessage, at: At): string {
  const ends = m.src || m.dst ? ` ${m.src ?? '?'} -> ${m.dst ?? '?'}` : '';
  let s = `${at(m.time)} ${m.node} ${m.protocol.toUpperCase().padEnd(5)} ${arrow(m)} ${m.summary}${ends}  [${m.source.file}:${m.source.line}]\n`;
  for (const l of m.lines) s += `      ${l}\n`;
  return s;
}

export function register(program: Command): void {
  program
    .command('trace')
    .description("one call's signaling and events, decoded, in time order")
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .requiredOption('--call <id>', 'any id of the call (SIP Call-ID, Uuid, Participant-Id, Conversation-Id)')
    .option('--json', 'the trace as JSON: { call, messages, admission, ending, negotiation, sessionTimer, presentation, transfers, … }')
    .option('--find <query>', "only the messages with a line matching the query (the call view's Find; --json: `found`, their indexes in `messages`)")
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (paths: string[], opts: { call: string; json?: boolean; find?: string; tz?: string; cache: boolean; passwordFile?: string }) => {
      // bad syntax fails before any loading
      let finding: string | null = null;
      try {
        if (opts.find !== undefined) finding = callQuery(opts.call, opts.find);
      } catch (e) {
        throw new Error(`--find: ${(e as Error).message}`);
      }
      const zone = zoneOf(opts);
      const at: At = opts.tz === undefined ? (iso) => iso ?? '-' : (iso) => zoneTime(iso, zone);
      const session = await loadBundle(paths, opts);
      const index = await callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
      // its parties' registrations when it started, as the call view shows them
      // and the audit lines that name it (an administrator's disconnect, a PIN that failed)
      // and its nodes' restarts and alarms while it was up, and the dial-outs it is part of
      const [trace] = tracesInContext(session.store, index, [opts.call]) as [CallTrace];
      // --find: the call's lines that match, scanned (its few lines need no index)
      const matching = finding === null ? null : [...messagesWith(trace.messages, Array.from(new Searcher(session, null, index).matchesAll(finding)))].sort((a, b) => a - b);
      const out = new Out();
      // its admission, offers and answers, session timer and presenting, as the header says them (message indexes into `messages`)
      if (opts.json) {
        const said = { admission: admission(trace), ending: callEnding(trace), negotiation: negotiations(trace.messages), sessionTimer: sessionTimer(trace.messages), presentation: presentation(trace.messages), transfers: callTransfers(trace.messages) };
        await out.write(JSON.stringify({ ...trace, ...said, ...(matching ? { found: matching } : {}) }, null, 1) + '\n');
      } else {
        if (opts.tz !== undefined) await out.write(`(${zoneNote(zone, trace.call.start)})\n`);
        await out.write(header(trace, at));
        if (matching) await out.write(`${matching.length} of ${trace.messages.length} messages with a line matching ${opts.find}\n\n`);
        for (const m of matching ? matching.map((i) => trace.messages[i]!) : trace.messages) await out.write(text(m, at));
      }
      await out.flush();
      await session.tablesSaved;
    });
}
