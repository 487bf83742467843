/**
 * How the audit trail reads, the same in the app's audit page and in `pexlens audit` (times are
 * written by each, in its zone).
 */
import type { AuditCategory, AuditEvent, AuditLoad, AuditRow } from '../api.js';
import { short } from './text-columns.js';
import { stretches } from './call-load.js';

/** A participant removed as its conference was ended, and the last host leaving that ends it (the vendor's messages). */
export const REMOVED = /^Removing participant due to conference termination/i;
export const LAST_HOST_LEFT = /^Last host left the conference/i;

/** The categories, those a case looks at first first. */
export const AUDIT_CATEGORIES: readonly AuditCategory[] = ['break-in', 'pin', 'login', 'control', 'provisioning', 'configuration'];

export const CATEGORY_WORDS: Record<AuditCategory, string> = {
  'break-in': 'break-in prevention',
  pin: 'PIN entry',
  login: 'logins',
  control: 'control',
  provisioning: 'provisioning',
  configuration: 'configuration',
};

/** Per category present (in AUDIT_CATEGORIES' order): its subjects, lines and alerts. */
export function categoryCounts(rows: readonly AuditRow[]): Array<{ category: AuditCategory; subjects: number; events: number; alerts: number }> {
  return AUDIT_CATEGORIES.map((category) => {
    const of = rows.filter((r) => r.category === category);
    return { category, subjects: of.length, events: of.reduce((n, r) => n + r.events, 0), alerts: of.reduce((n, r) => n + r.alerts, 0) };
  }).filter((c) => c.subjects > 0);
}

/** A row's messages as one phrase, the most frequent first: `User login failed ×5, User logged in`. */
export function messageWords(r: AuditRow): string {
  return r.messages.map((m) => (m.count > 1 ? `${m.message} ×${m.count}` : m.message)).join(', ');
}

/** What a row says, with a block's end first: `blocked until 08:17:02; Break-in prevention policy … ×7`. */
export function rowWords(r: AuditRow, time: (iso: string) => string): string {
  return `${r.blockedUntil ? `blocked until ${time(r.blockedUntil)}; ` : ''}${messageWords(r)}`;
}

/** Who and from where, as one phrase: `admin from 10.44.1.50`. */
export function whoWords(r: { who: readonly string[] | string | null; addresses?: readonly string[]; address?: string | null }): string {
  const who = typeof r.who === 'string' ? r.who : r.who?.join(', ');
  const from = r.address ?? r.addresses?.join(', ');
  return [who, from && `from ${from}`].filter(Boolean).join(' ') || '-';
}

/** The rows as a text table with a header line; `time` writes a log time. */
export function auditTable(rows: readonly AuditRow[], time: (iso: string) => string): string[] {
  const out = [`${'category'.padEnd(19)}  ${'subject'.padEnd(36)}  ${'lines'.padStart(5)}  ${'alerts'.padStart(6)}  ${'first – last'.padEnd(19)}  ${'what'.padEnd(52)}  who`];
  for (const r of rows) {
    const when = r.first === r.last ? time(r.first) : `${time(r.first)} – ${time(r.last)}`;
    out.push(
      `${CATEGORY_WORDS[r.category].padEnd(19)}  ${short(r.subject, 36).padEnd(36)}  ${String(r.events).padStart(5)}  ${String(r.alerts || '').padStart(6)}  ${when.padEnd(19)}  ${short(rowWords(r, time), 52).padEnd(52)}  ${whoWords(r)}`,
    );
  }
  return out;
}

/** One audit line as text: its message, who and from where, on what, and why. */
export function eventWords(e: AuditEvent): string {
  return [e.message, e.who && `by ${e.who}`, e.address && `from ${e.address}`, e.target && e.target !== e.subject && `on ${e.target}`, e.detail && `(${e.detail})`]
    .filter(Boolean)
    .join(' ');
}

/** Subjects with alerts named in a summary at most (a case note, not the list). */
const ALERTS_NAMED = 10;

/** The audit trail in a few lines of text: each category's subjects and alerts, then the subjects with alerts, most first. */
export function auditSummary(rows: readonly AuditRow[]): string[] {
  if (!rows.length) return [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const out = [`Audit: ${categoryCounts(rows).map((c) => `${plural(c.subjects, 'subject')} of ${CATEGORY_WORDS[c.category]}${c.alerts ? ` (${plural(c.alerts, 'alert')})` : ''}`).join(', ')}`];
  const alerting = rows.filter((r) => r.alerts > 0).sort((a, b) => b.alerts - a.alerts);
  if (alerting.length) {
    const named = alerting.slice(0, ALERTS_NAMED).map((r) => `${r.subject} (${CATEGORY_WORDS[r.category]}, ${r.alerts})`);
    out.push(`  alerts: ${named.join(', ')}${alerting.length > ALERTS_NAMED ? `, and ${alerting.length - ALERTS_NAMED} more` : ''}`);
  }
  return out;
}

/**
 * The lines of each category present, and their alerts, in `buckets` equal stretches of [from,
 * to] (ms): beside the calls and alarms on the Overview's axis, "what changed before it broke".
 */
export function auditLoad(events: readonly AuditEvent[], from: number, to: number, buckets: number): AuditLoad {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { from: 0, to: 0, bucketMs: 0, categories: [] };
  const { n, bucketMs, at } = stretches(from, to, buckets);
  const of = new Map<AuditCategory, { lines: number[]; alerts: number[] }>();
  for (const e of events) {
    const t = Date.parse(e.time);
    if (!Number.isFinite(t)) continue;
    let c = of.get(e.category);
    if (!c) of.set(e.category, (c = { lines: new Array<number>(n).fill(0), alerts: new Array<number>(n).fill(0) }));
    const b = at(t);
    c.lines[b]!++;
    if (e.alert) c.alerts[b]!++;
  }
  return { from, to, bucketMs, categories: AUDIT_CATEGORIES.filter((c) => of.has(c)).map((category) => ({ category, ...of.get(category)! })) };
}
