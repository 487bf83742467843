/**
 * Call facts worded the same in the app's call view and list, the CLI and the exported reports.
 * Pure, like ladder-layout.ts (whose span text it uses).
 */
import type { CallSummary, CallTrace, TraceMessage } from '../api.js';
import { momentWords } from './registration-words.js';
import { eventWords } from './audit-words.js';
import { alarmWords, contactLossWords, startWords } from './platform-words.js';
import { dnsLookupWords, policyRequestWords } from './service-words.js';
import { qualityWords } from './call-quality.js';
import { dialOutText } from './dial-outs.js';
import { spanText } from './ladder-layout.js';
import { mediaSummary } from './media-stats.js';
import { negotiations, negotiationWords } from './sdp.js';
import { sessionTimer, timerWords } from './session-timer.js';
import { admission, admissionWords } from './admission.js';
import { presentation, presentationWords } from './presentation.js';
import { callEnding, endingWords } from './call-ending.js';
import { callTransfers, transferWords } from './transfer.js';

/** The SIP methods and response codes a call saw (`INVITE ACK BYE 100 180 200`), null when none. */
export function sipSeen(c: CallSummary): string | null {
  return c.sipMethods.length || c.sipCodes.length ? [...c.sipMethods, ...c.sipCodes].join(' ') : null;
}

/** A call a node placed (direction `out`), in the list's words: its strip, filters and texts. */
export const PLACED = 'placed by a node';

/** The same at length, for the app's tooltips. */
export const PLACED_TITLE = "a call the node set up (its conference lines say Direction out, or the node sent its first INVITE): a host dialling out of a conference, the Infinity Gateway's outbound leg";

/** Which way a call went, in words; null when the log does not say. */
export const directionWords = (c: Pick<CallSummary, 'direction'>): string | null => (c.direction === 'out' ? PLACED : c.direction === 'in' ? 'dialled in' : null);

/** Which way a call went and the service it reached (`placed by a node, gateway`), null when the log says neither. */
export function routeWords(c: CallSummary): string | null {
  return [directionWords(c), c.service].filter(Boolean).join(', ') || null;
}

/** A licence type in words: as the log writes it, or what is known when no line says it (a call up when the log ends). */
export const licenseTypeWords = (type: string | null): string => type ?? 'type not logged';

/** The licences a call held (`1 port`, `1 audio`, `0 None`, `1 (type not logged)`), null when no line says. */
export function licenseWords(c: Pick<CallSummary, 'licenses' | 'licenseType'>): string | null {
  if (c.licenses === null) return null;
  return `${c.licenses} ${c.licenseType ?? `(${licenseTypeWords(null)})`}`;
}

/** Said beside a start read back from the disconnect's Duration (`startInferred`). */
export const SETUP_MISSING = "setup not in the log; the start is when it joined, from its disconnect's Duration";

/** The same at length, for the app's tooltips. */
export const SETUP_MISSING_TITLE = "the call's setup is in no file of the bundle (it was up when the log began, or was set up in a rotated file the bundle lacks); its disconnect's Duration says when it joined";

/** A call's start as written in texts, with why when it is not a line's time. */
export function startText(c: CallSummary): string {
  return c.start === null ? '-' : c.startInferred ? `${c.start} (${SETUP_MISSING})` : c.start;
}

/** Said of a call whose end is not in the bundle (`ongoing`). */
export const UP_AT_END = 'still up when the log ends';

/** The same in a list's narrow column. */
export const UP_AT_END_SHORT = "up at the log's end";

/** The same at length, for the app's tooltips. */
export const UP_AT_END_TITLE = 'the call was still up when the log ends (its end is in no file of the bundle): it lasted at least this long';

/** Said of a call whose answer, failure and end are all missing from the bundle (`noOutcome`). */
export const NO_OUTCOME = 'no outcome in the log';

/** The same at length, for the app's tooltips and the texts. */
export const NO_OUTCOME_TITLE = "neither the call's answer nor its failure or end is in any file of the bundle: the log ends, or lacks a file, while it is being set up";

/** A call's duration as a list shows it (`≥ 12 min 5 s` for a call up at the log's end), or null. */
export function durationShown(c: CallSummary): string | null {
  return c.durationMs === null ? null : `${c.ongoing ? '≥ ' : ''}${spanText(c.durationMs)}`;
}

/** A call's end as written in texts, with why when it is not a line of the call. */
export function endText(c: CallSummary): string {
  return c.end === null ? '-' : c.ongoing ? `${c.end} (the log's last line: ${UP_AT_END})` : c.end;
}

function duration(ms: number | null, atLeast = false): string {
  if (ms === null) return '-';
  if (atLeast) return `at least ${duration(ms)}`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h ` : ''}${m ? `${m}m ` : ''}${s % 60}s (${(ms / 1000).toFixed(3)} s)`;
}

/** How a call went, in words: `FAILED: Conference is locked`, `ended: Remote disconnect`… */
export function resultText(c: CallSummary): string {
  if (c.failed) return `FAILED${c.failReason ? `: ${c.failReason}` : ''}`;
  if (c.ongoing) return `connected, ${UP_AT_END}`;
  if (c.noOutcome) return `${NO_OUTCOME} (${NO_OUTCOME_TITLE})`;
  return c.disconnectReason ? `ended: ${c.disconnectReason}` : c.end ? 'ended' : 'connected (no end seen)';
}

function counts(c: CallSummary): string {
  const parts = Object.entries(c.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k.toUpperCase()} ${v}`);
  return parts.join(', ') || '-';
}

/** Where its nodes are, `signaling London, media Oslo` (one word when both are one), or null when no line says. */
export function locationWords(c: Pick<CallSummary, 'signalingLocation' | 'mediaLocation'>): string | null {
  const [s, m] = [c.signalingLocation, c.mediaLocation];
  if (s === null && m === null) return null;
  if (s === m) return s;
  return [s === null ? null : `signaling ${s}`, m === null ? null : `media ${m}`].filter(Boolean).join(', ');
}

/** The Proxying Edge Node it came through, `10.60.1.5 (London Edge)`, or null when none is named. */
export const edgeWords = (c: Pick<CallSummary, 'proxyNode' | 'proxyLocation'>): string | null =>
  c.proxyNode === null ? null : `${c.proxyNode}${c.proxyLocation ? ` (${c.proxyLocation})` : ''}`;

/** Label/value rows of a call summary, shared by the HTML and text reports and the call view's "Copy summary". */
export function summaryRows(c: CallSummary): Array<[string, string]> {
  const seen = sipSeen(c);
  return [
    ['Call', c.id],
    ['Protocol', c.protocol],
    ['Direction', directionWords(c) ?? '-'],
    ['Service', `${c.service ?? '-'}${c.serviceTag ? ` (tag ${c.serviceTag})` : ''}`],
    ['Start', startText(c)],
    ['End', endText(c)],
    ['Duration', duration(c.durationMs, c.ongoing)],
    ['From', c.from ?? '-'],
    ['Display name', c.displayName ?? '-'],
    ['To', c.to ?? '-'],
    ['Conference', `${c.conference ?? '-'}${c.conferenceId ? ` [${c.conferenceId}]` : ''}`],
    ['Remote', c.remote ?? '-'],
    ['Vendor', c.vendor ?? '-'],
    ['Signaling node', c.signalingNode ?? '-'],
    ['Media node', c.mediaNode ?? '-'],
    ['Locations', locationWords(c) ?? '-'],
    ['Edge node', edgeWords(c) ?? '-'],
    ['Licences', licenseWords(c) ?? '-'],
    ['Result', resultText(c)],
    ['Messages', counts(c)],
    ...(c.media ? [['Media', mediaSummary(c.media)] as [string, string]] : []),
    ...(seen ? [['SIP seen', seen] as [string, string]] : []),
    ['Ids', c.ids.join(', ')],
  ];
}

/** A log time as the texts write it: `2026-05-14 08:04:40.734` (UTC, as the log). */
const logTime = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/**
 * The summary rows of a trace: the call's, how it got into its conference and how it ended, its
 * SDP offers and answers and session timer, its presenting, its parties' registrations when it
 * started, how its node rated its quality, the audit lines that name it, its nodes' restarts, alarms and losses of contact; first,
 * the dial-outs it is part of and the DNS lookups of one a node placed.
 */
export function traceRows(t: CallTrace): Array<[string, string]> {
  const admitted = admission(t);
  const timer = sessionTimer(t.messages);
  const shared = presentation(t.messages);
  const ending = callEnding(t);
  const dialog: Array<[string, string]> = [
    ...(admitted ? [['Admission', admissionWords(admitted, t.messages)] as [string, string]] : []),
    ...(ending ? [['Ended', endingWords(ending)] as [string, string]] : []),
    ...negotiations(t.messages).map((n): [string, string] => ['SDP', `${logTime(t.messages[n.offer]!.time)} ${negotiationWords(n, t.messages)}`]),
    ...(timer ? [['Session timer', timerWords(timer)] as [string, string]] : []),
    ...(shared ? [['Presentation', presentationWords(shared, t.messages)] as [string, string]] : []),
    ...callTransfers(t.messages).map((x): [string, string] => ['Transfer', transferWords(x)]),
  ];
  const regs = (t.registrations ?? []).map((m): [string, string] => ['Registration', `${m.alias}: ${momentWords(m, logTime)} when the call started`]);
  const audit = (t.audit ?? []).map((e): [string, string] => ['Audit', `${logTime(e.time)} ${eventWords(e)}`]);
  const restarts = (t.restarts ?? []).map((s): [string, string] => ['Restart', `${startWords(s, logTime)}, while the call was up`]);
  const alarms = (t.alarms ?? []).map((a): [string, string] => ['Alarm', `${alarmWords(a, logTime)}, while the call was up`]);
  const lost = (t.contactLosses ?? []).map((l): [string, string] => ['Contact lost', `${contactLossWords(l, logTime)}, while the call was up`]);
  const dialled = (t.dialOuts ?? []).map((d): [string, string] => ['Dial-out', dialOutText(d, t.call.id, logTime)]);
  const dns = (t.dnsLookups ?? []).map((l): [string, string] => ['DNS', `${logTime(l.time)} ${dnsLookupWords(l)}`]);
  const policy = (t.policy ?? []).map((r): [string, string] => ['Policy', `${logTime(r.time)} ${policyRequestWords(r)}`]);
  const local = (t.localPolicy ?? []).map((l): [string, string] => ['Local policy', `${logTime(l.time)} ${l.text}`]);
  const quality: Array<[string, string]> = t.quality?.length ? [['Quality', qualityWords(t.quality, t.call.end, logTime)]] : [];
  return [...summaryRows(t.call), ...dialled, ...dns, ...policy, ...local, ...dialog, ...quality, ...regs, ...audit, ...restarts, ...alarms, ...lost];
}

/** The direction of a message as the text report draws it. */
export const arrow = (m: TraceMessage): string => (m.direction === 'in' ? '<--' : m.direction === 'out' ? '-->' : '   ');

/**
 * A call in plain text, as the text report begins it and as a case note wants it: the summary
 * rows, the warnings, then the flow, a line per message (time, protocol, direction, what, ends).
 */
export function flowLines(t: CallTrace, indent = ''): string[] {
  const c = t.call;
  const out = traceRows(t).map(([label, value]) => `${indent}${(label + ' ').padEnd(16, '.')} ${value}`);
  for (const w of c.warnings) out.push(`${indent}WARNING: ${w}`);
  out.push('', `${indent}Flow (${t.messages.length} messages):`);
  for (const [r, m] of t.messages.entries()) {
    const ends = m.src || m.dst ? `  ${m.src ?? '?'} -> ${m.dst ?? '?'}` : '';
    out.push(`${indent}${String(r + 1).padStart(4)}  ${m.time.slice(11, 23)}  ${m.protocol.toUpperCase().padEnd(5)} ${arrow(m)} ${m.summary}${ends}`);
  }
  return out;
}
