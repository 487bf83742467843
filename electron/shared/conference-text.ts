/**
 * One conference as text for a case note ("the meeting at 10:00 was bad": the conference view's
 * Copy summary, `pexlens conference`): its figures, its participants by when they joined with how
 * each call went, those its nodes rated bad or worse and when, the calls its nodes placed from it
 * and what they became, then what went wrong under them: the alarms on their nodes while they were up, and the nodes they were on that could
 * not reach each other. Pure: the engine and the app pass
 * what they have read.
 */
import type { CallAlarm, CallContactLoss, CallQuality, CallSummary, ConferenceRow, DialOut, NodeAddress } from '../api.js';
import { conferenceLabel } from './conference-list.js';
import { durationShown, NO_OUTCOME, resultText } from './call-text.js';
import { alarmWords, contactLossWords } from './platform-words.js';
import { spanText } from './ladder-layout.js';
import { nodeAddressOf } from './node-names.js';
import { short } from './text-columns.js';
import { POOR_QUALITY, qualityWords, worstQuality } from './call-quality.js';

export interface ConferenceParts {
  /** Its row of the conference list, counted over `calls`. */
  row: ConferenceRow;
  calls: readonly CallSummary[];
  alarms: readonly CallAlarm[];
  contactLosses: readonly CallContactLoss[];
  /** The nodes heard under a host name, with their address: a node is named by its address, once. */
  addresses: readonly NodeAddress[];
  /** The calls its nodes placed from it (shared/dial-outs.ts conferenceDialOuts), in time order. */
  dialOuts: readonly DialOut[];
  /** The calls those dial-outs became: one refused before it joined has no conference lines, so it is not among `calls`. */
  placed: readonly CallSummary[];
  /** How their nodes rated its calls while they were up, each call's with ratings (correlate/call-quality.ts). */
  quality: readonly CallQuality[];
}

/** What a dial-out became, in words: `connected, 4 min 10 s`, `failed: Call declined`, or no call in the log (refused before any signaling, or its lines missing). */
export function placedWords(placed: CallSummary | undefined): string {
  if (!placed) return 'no call in the log';
  return placed.failed ? `failed: ${placed.failReason ?? 'reason not in the log'}` : placed.noOutcome ? NO_OUTCOME : `connected, ${spanText(placed.durationMs ?? 0)}`;
}

/** A participant as the text names it: its display name and party (a call a node placed: the party called). */
function participantWords(c: CallSummary): string {
  const party = c.direction === 'out' ? c.to : c.from;
  return (c.displayName && party && c.displayName !== party ? `${c.displayName} <${party}>` : (c.displayName ?? party ?? '?')) + (c.direction === 'out' ? ' (placed)' : '');
}

/** The conference in lines, its times written by `time` (UTC as the log, or a zone's). */
export function conferenceText(p: ConferenceParts, time: (iso: string) => string): string {
  const r = p.row;
  const span = r.start && r.end ? ` (${spanText(Date.parse(r.end) - Date.parse(r.start))})` : '';
  const out = [
    `Conference ${conferenceLabel(r)}: ${r.calls} call(s), ${r.failed} failed, ${r.poorMedia} with poor media, most at once ${r.peak}; ${r.instances} instance(s)`,
    `  from ${r.start ? time(r.start) : '-'} to ${r.end ? time(r.end) : '-'}${span}`,
    'Participants, by when they joined:',
  ];
  const addressOf = nodeAddressOf(p.addresses);
  const named = (n: string | null) => (n === null ? null : addressOf(n));
  const joined = [...p.calls].sort((a, b) => (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff'));
  for (const c of joined) {
    const who = participantWords(c);
    // its signaling node, and its media node when another
    const [signaling, media] = [named(c.signalingNode), named(c.mediaNode)];
    const nodes = [signaling, media !== signaling ? media : null].filter(Boolean).join(' / ') || '-';
    out.push(`  ${(c.start ? time(c.start) : '-').padEnd(23)}  ${(durationShown(c) ?? '-').padStart(12)}  ${c.protocol.padEnd(6)}  ${short(who, 40).padEnd(40)}  ${nodes.padEnd(24)}  ${resultText(c)}`);
  }
  // when its participants' quality went bad: several at once is the network, or a node, not one endpoint
  const poor = p.quality.filter((q) => worstQuality(q.quality) >= POOR_QUALITY);
  if (poor.length) {
    const byId = new Map(p.calls.map((c) => [c.id, c]));
    out.push('Rated bad or worse by their node:');
    for (const q of poor) {
      const c = byId.get(q.call);
      out.push(`  ${short(c ? participantWords(c) : q.call, 40).padEnd(40)}  ${qualityWords(q.quality, c?.end ?? null, time)}`);
    }
  }
  if (p.dialOuts.length) {
    const byId = new Map([...p.calls, ...p.placed].map((c) => [c.id, c]));
    out.push('Dial-outs placed from it:');
    for (const d of p.dialOuts) {
      const called = `${d.alias}${d.gateway ? ` (gateway, rule "${d.gateway}")` : ''}${d.role ? ` as ${d.role}` : ''}`;
      out.push(`  ${time(d.time).padEnd(23)}  ${d.node} called ${called}: ${placedWords(d.call ? byId.get(d.call) : undefined)}`);
    }
  }
  if (p.alarms.length) out.push('Alarms on its calls\' nodes while they were up:', ...p.alarms.map((a) => `  ${alarmWords(a, time)}`));
  if (p.contactLosses.length) out.push('Its nodes out of contact while calls on both were up:', ...p.contactLosses.map((l) => `  ${contactLossWords(l, time)}`));
  return out.join('\n') + '\n';
}
