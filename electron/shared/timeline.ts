/**
 * The bundle's timeline: its notable events in time order, for "what happened, and in which
 * order?" and a case note. Each kind is said once where it first happened, with how often: a
 * node's application starting (a restart), an alarm first raised on a node (a node's
 * maintenance mode set), two nodes first out of contact, an audit subject with alerts and a
 * configuration item changed (items changed often, one entry together), the first call that
 * failed for each reason, a node that sent nothing for a long while, a missing rotation, calls
 * rated bad by their node, an event sink failing, a DNS name that did not resolve or was slow
 * to, the policy server failing or slow to answer. Pure: the engine and the CLI pass it what
 * they have read.
 */
import type { AlarmSpan, AuditEvent, ContactLoss, AuditRow, CallQuality, CallSummary, DnsLookup, EventSink, NodeStart, PolicyRequest, TimelineEvent } from '../api.js';
import { POOR_QUALITY } from './call-quality.js';
import { CATEGORY_WORDS, messageWords } from './audit-words.js';
import { MAINTENANCE_ALARM } from './platform-words.js';
import { DNS_SLOW_MS, POLICY_SLOW_MS, sinkName, tally, tallyWords } from './service-words.js';
import { spanText } from './ladder-layout.js';

export interface TimelineParts {
  starts: readonly NodeStart[];
  /** Each alarm span with the view position of its first line (correlate/alarms.ts alarmSpansAt). */
  alarms: ReadonlyArray<{ span: AlarmSpan; line: number }>;
  /** Each loss of contact with the view position of its first line (correlate/connectivity.ts contactLossesAt). */
  contactLosses: ReadonlyArray<{ loss: ContactLoss; line: number }>;
  audit: { rows: readonly AuditRow[]; events: readonly AuditEvent[] };
  /** How their nodes rated the calls (correlate/call-quality.ts qualityOfCalls), each call's with ratings. */
  quality?: readonly CallQuality[];
  /** The DNS lookups (correlate/external-services.ts dnsLookups) and the event sinks (eventSinks). */
  dns?: readonly DnsLookup[];
  eventSinks?: readonly EventSink[];
  /** The requests to the external policy server (correlate/external-policy.ts policyRequests). */
  policy?: readonly PolicyRequest[];
  /** Each node's longest silence. */
  silences: ReadonlyArray<{ node: string; silence: { from: string; to: string; ms: number } }>;
  gaps: ReadonlyArray<{ stream: string; missing: string[]; from: string | null; to: string | null }>;
  calls: readonly CallSummary[];
  /** The log's last time (ISO): a silence that reaches it is a node that stopped. */
  end: string | null;
  /** Where the counts are counted: `in the log` (the default), `in the window`. */
  scope?: string;
}

/** A node's silence worth a line: 10 minutes with nothing from it. */
export const LONG_SILENCE_MS = 10 * 60_000;
/** A configuration item changed more often than this is routine: such items are one entry together. */
export const ROUTINE_CHANGES = 5;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const ev = (e: Partial<TimelineEvent> & Pick<TimelineEvent, 'time' | 'kind' | 'text'>): TimelineEvent => ({ until: null, node: null, count: 1, line: null, call: null, audit: null, ...e });

/** An entry as one line of text, its `until` written by `time` (the caller's zone). */
export function timelineWords(e: TimelineEvent, time: (iso: string) => string): string {
  return `${e.text}${e.until ? ` until ${time(e.until)}` : ''}`;
}

export function timeline(p: TimelineParts): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const scope = p.scope ?? 'in the log';
  for (const s of p.starts) out.push(ev({ time: s.time, kind: 'start', node: s.node, text: `${s.node}: application started${s.version ? `, version ${s.version}` : ''}`, line: s.line }));

  // an alarm on a node: where it was first raised (or, raised before the log, first lowered)
  const alarms = new Map<string, { first: { span: AlarmSpan; line: number }; n: number }>();
  for (const a of p.alarms) {
    const key = `${a.span.node}\0${a.span.alarm}`;
    const known = alarms.get(key);
    if (known) known.n++;
    else alarms.set(key, { first: a, n: 1 });
  }
  for (const { first, n } of alarms.values()) {
    const { node, alarm, raised, lowered } = first.span;
    const time = raised ?? lowered;
    if (!time) continue;
    if (alarm === MAINTENANCE_ALARM) {
      // Azure's scheduled maintenance: said as the mode it is, with what Azure announced
      const how = raised ? `maintenance mode set${first.span.instance ? ` (${first.span.instance})` : ''}` : 'maintenance mode unset (set before the log)';
      out.push(ev({ time, kind: 'alarm', node, text: `${node}: ${how}${n > 1 ? `; ${n} times ${scope}` : ''}`, until: raised && n === 1 ? lowered : null, count: n, line: first.line }));
      continue;
    }
    const how = raised ? `alarm ${alarm} raised` : `alarm ${alarm} lowered (raised before the log)`;
    out.push(ev({ time, kind: 'alarm', node, text: `${node}: ${how}${n > 1 ? `; ${n} times ${scope}` : ''}${raised && !lowered && n === 1 ? ', never lowered' : ''}`, count: n, line: first.line }));
  }

  // two nodes out of contact: where either first could not reach the other (or, lost before the log, where it came back)
  const pairs = new Map<string, { first: { loss: ContactLoss; line: number }; n: number }>();
  const at = (x: { loss: ContactLoss }) => x.loss.lost ?? x.loss.back ?? '';
  for (const x of p.contactLosses) {
    const key = [x.loss.from, x.loss.to].sort().join('\0');
    const known = pairs.get(key);
    // the pair's earliest line: one side's loss from before the log can come back after the other side's first report
    if (known) {
      known.n++;
      if (at(x) < at(known.first)) known.first = x;
    } else pairs.set(key, { first: x, n: 1 });
  }
  for (const { first, n } of pairs.values()) {
    const { from, to, lost, back } = first.loss;
    const time = lost ?? back;
    if (!time) continue;
    const how = lost ? `could not reach ${to}` : `reached ${to} again (lost before the log)`;
    out.push(ev({ time, kind: 'contact', node: from, text: `${from}: ${how}${n > 1 ? `; ${n} times ${scope}, either way` : ''}${lost && !back && n === 1 ? ', never again' : ''}`, count: n, line: first.line }));
  }

  // audit: the subjects with alerts, and each configuration item changed
  const firstLine = new Map<string, number>();
  for (const e of p.audit.events) if (!firstLine.has(`${e.category}\0${e.subject}`)) firstLine.set(`${e.category}\0${e.subject}`, e.line);
  const routine = p.audit.rows.filter((r) => r.category === 'configuration' && !r.alerts && r.events > ROUTINE_CHANGES);
  if (routine.length) {
    const first = routine.reduce((a, b) => (b.first < a.first ? b : a));
    const changes = routine.reduce((n, r) => n + r.events, 0);
    out.push(ev({ time: first.first, kind: 'audit', text: `configuration: ${plural(routine.length, 'item')} changed more than ${ROUTINE_CHANGES} times each (${changes} changes in all), the first ${first.subject}`, count: changes, audit: { category: 'configuration', subject: null } }));
  }
  for (const r of p.audit.rows) {
    if (!r.alerts && (r.category !== 'configuration' || routine.includes(r))) continue;
    out.push(
      ev({
        time: r.first,
        kind: 'audit',
        text: `${CATEGORY_WORDS[r.category]}: ${r.subject}: ${messageWords(r)}${r.blockedUntil ? '; blocked' : ''}`,
        until: r.blockedUntil,
        count: r.events,
        line: firstLine.get(`${r.category}\0${r.subject}`) ?? null,
        audit: { category: r.category, subject: r.subject },
      }),
    );
  }

  // calls: the first that failed for each reason
  const failures = new Map<string, { first: CallSummary; n: number }>();
  for (const c of p.calls) {
    if (!c.failed || !c.start) continue;
    const reason = c.failReason ?? 'no reason in the log';
    const known = failures.get(reason);
    if (!known) failures.set(reason, { first: c, n: 1 });
    else {
      known.n++;
      if (c.start < known.first.start!) known.first = c;
    }
  }
  for (const [reason, { first, n }] of failures) out.push(ev({ time: first.start!, kind: 'failure', text: `calls failed: ${reason} (${plural(n, 'call')})`, count: n, call: first.id }));

  // calls rated bad or worse by their node: one entry, where the first was, counting the calls (and until the last such rating)
  const poor = (p.quality ?? []).flatMap((r) => r.quality.filter((q) => q.quality >= POOR_QUALITY).map((q) => ({ call: r.call, q })));
  if (poor.length) {
    const first = poor.reduce((a, b) => (b.q.time < a.q.time ? b : a));
    const last = poor.reduce((a, b) => (b.q.time > a.q.time ? b : a));
    const calls = new Set(poor.map((x) => x.call)).size;
    out.push(ev({ time: first.q.time, kind: 'quality', node: first.q.node, text: `calls rated bad or worse by their node: ${plural(calls, 'call')} ${scope}, the first on ${first.q.node}`, until: last.q.time !== first.q.time ? last.q.time : null, count: calls, line: first.q.line, call: first.call }));
  }

  // external services: a sink failing from its first failure; a name per record type where it first failed, or was first slow
  for (const k of p.eventSinks ?? []) {
    if (!k.firstFailure) continue;
    const why = k.details[0] ? `: ${k.details[0].value}` : '';
    out.push(ev({ time: k.firstFailure, kind: 'service', text: `event sink ${sinkName(k)} failing${why} (${plural(k.failures, 'failure')} ${scope}, from ${plural(k.nodes.length, 'node')})`, until: k.lastFailure !== k.firstFailure ? k.lastFailure : null, count: k.failures, line: k.line }));
  }
  const dns = new Map<string, { first: DnsLookup; n: number; failed: boolean }>();
  for (const l of p.dns ?? []) {
    const failed = l.failure !== null;
    if (!failed && (l.ms ?? 0) < DNS_SLOW_MS) continue;
    const key = `${failed}\0${l.target.toLowerCase()}\0${l.type.toUpperCase()}`;
    const known = dns.get(key);
    if (known) known.n++;
    else dns.set(key, { first: l, n: 1, failed });
  }
  for (const { first: l, n, failed } of dns.values()) {
    const what = failed ? `did not resolve: ${l.failure}` : `slow to resolve: ${spanText(l.ms!)}`;
    out.push(ev({ time: l.time, kind: 'service', node: l.node, text: `${l.node}: DNS ${l.type} ${l.target} ${what}${n > 1 ? `; ${n} times ${scope}` : ''}`, count: n, line: l.line }));
  }

  // the policy server, per server and kind: where it first failed (until its last failure), where it was first slow
  const policy = new Map<string, { first: PolicyRequest; last: PolicyRequest; n: number; failed: boolean; why: string[] }>();
  for (const r of p.policy ?? []) {
    const failed = r.failure !== null;
    if (!failed && (r.ms ?? 0) < POLICY_SLOW_MS) continue;
    const key = `${failed}\0${r.server}\0${r.kind}`;
    const known = policy.get(key) ?? policy.set(key, { first: r, last: r, n: 0, failed, why: [] }).get(key)!;
    [known.n, known.last] = [known.n + 1, r];
    if (failed) known.why.push(r.failure!);
  }
  for (const { first: r, last, n, failed, why } of policy.values()) {
    // what its failures said, the most frequent first: a server down and one in error read apart
    const what = failed ? `failing: ${tallyWords(tally(why), 2)}` : `slow to answer: ${spanText(r.ms!)}`;
    const until = failed && last.time !== r.time ? last.time : null;
    out.push(ev({ time: r.time, kind: 'service', node: r.node, text: `policy server ${r.server} (${r.kind}) ${what}${n > 1 ? `; ${n} times ${scope}` : ''}`, until, count: n, line: r.line }));
  }

  for (const s of p.silences) {
    if (s.silence.ms < LONG_SILENCE_MS) continue;
    const min = Math.round(s.silence.ms / 60_000);
    const stopped = s.silence.to === p.end;
    out.push(ev({ time: s.silence.from, kind: 'silence', node: s.node, text: stopped ? `${s.node}: nothing more from it (the log's last ${min} min)` : `${s.node}: nothing from it for ${min} min`, until: stopped ? null : s.silence.to }));
  }
  for (const g of p.gaps) {
    if (!g.from) continue;
    out.push(ev({ time: g.from, kind: 'gap', text: `${g.missing.join(', ')} not in the bundle: no ${g.stream} lines`, until: g.to, count: g.missing.length }));
  }
  return out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
