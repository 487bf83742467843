/**
 * The call list's logic, apart from the component so it can be tested: warning badges from a
 * call's summary, the quick filter, sorting per column, and the summary strip's figures.
 */
import type { CallSummary } from '../../../electron/api.js';

export type BadgeKind = 'failed' | 'fragments' | 'sip-error' | 'ice' | 'pin' | 'other';

export interface Badge {
  kind: BadgeKind;
  /** Short text on the badge (`404`, `ICE`, `frag`). */
  text: string;
  /** The warning(s) it stands for, for the tooltip. */
  title: string;
}

/** Groups a call's warnings into a few badges: failed join, missing fragments, 4xx–6xx, ICE, PIN. */
export function badgesOf(c: CallSummary): Badge[] {
  const out: Badge[] = [];
  if (c.failed) out.push({ kind: 'failed', text: 'failed', title: c.failReason ? `Failed: ${c.failReason}` : 'The call failed' });
  const groups = new Map<string, { kind: BadgeKind; text: string; titles: string[] }>();
  const put = (key: string, kind: BadgeKind, text: string, title: string) => {
    const g = groups.get(key);
    if (g) g.titles.push(title);
    else groups.set(key, { kind, text, titles: [title] });
  };
  for (const w of c.warnings) {
    if (/missing fragment/i.test(w)) put('frag', 'fragments', 'fragments', w);
    else if (/^ICE\b/i.test(w)) put('ice', 'ice', 'ICE', w);
    else if (/^PIN\b/i.test(w)) put('pin', 'pin', 'PIN', w);
    else {
      const m = /^SIP\s+([4-6]\d\d)\b/.exec(w);
      if (m) put('sip' + m[1], 'sip-error', m[1]!, w);
      else put('other', 'other', '!', w);
    }
  }
  for (const g of groups.values()) out.push({ kind: g.kind, text: g.titles.length > 1 ? `${g.text} ×${g.titles.length}` : g.text, title: g.titles.join('\n') });
  return out;
}

export type SortKey =
  | 'start'
  | 'duration'
  | 'protocol'
  | 'from'
  | 'to'
  | 'conference'
  | 'vendor'
  | 'signalingNode'
  | 'mediaNode'
  | 'result'
  | 'disconnectReason'
  | 'warnings';

function sortValue(c: CallSummary, key: SortKey): string | number | null {
  switch (key) {
    case 'start':
      return c.start ? Date.parse(c.start) : null;
    case 'duration':
      return c.durationMs;
    case 'protocol':
      return c.protocol;
    case 'from':
      return c.displayName ?? c.from;
    case 'to':
      return c.to;
    case 'conference':
      return c.conference;
    case 'vendor':
      return c.vendor;
    case 'signalingNode':
      return c.signalingNode;
    case 'mediaNode':
      return c.mediaNode;
    case 'result':
      return c.failed ? 'failed ' + (c.failReason ?? '') : 'connected';
    case 'disconnectReason':
      return c.disconnectReason;
    case 'warnings':
      return c.warnings.length + (c.failed ? 1 : 0);
  }
}

/** Sorted copy; missing values last whatever the direction, ties by start time. */
export function sortCalls(calls: readonly CallSummary[], key: SortKey, desc: boolean): CallSummary[] {
  const dir = desc ? -1 : 1;
  const startOf = (c: CallSummary) => (c.start ? Date.parse(c.start) : Infinity);
  return calls
    .map((c, i) => ({ c, i, v: sortValue(c, key) }))
    .sort((a, b) => {
      if (a.v === null || a.v === '') return b.v === null || b.v === '' ? a.i - b.i : 1;
      if (b.v === null || b.v === '') return -1;
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, { numeric: true, sensitivity: 'base' });
      return d * dir || startOf(a.c) - startOf(b.c) || a.i - b.i;
    })
    .map((x) => x.c);
}

/** The text a quick filter looks through: every field of the summary that a user would type. */
export function haystack(c: CallSummary): string {
  return [
    c.id,
    ...c.ids,
    c.protocol,
    c.from,
    c.to,
    c.displayName,
    c.conference,
    c.conferenceId,
    c.remote,
    c.vendor,
    c.signalingNode,
    c.mediaNode,
    c.failed ? 'failed' : 'connected',
    c.failReason,
    c.disconnectReason,
    ...c.warnings,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

export interface CallFilter {
  /** Words that must all appear (case-insensitive) somewhere in the summary. */
  text?: string;
  protocol?: string | null;
  /** 'failed' | 'connected' | 'warnings' */
  result?: 'failed' | 'connected' | 'warnings' | null;
}

export function filterCalls(calls: readonly CallSummary[], f: CallFilter): CallSummary[] {
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return calls.filter((c) => {
    if (f.protocol && c.protocol !== f.protocol) return false;
    if (f.result === 'failed' && !c.failed) return false;
    if (f.result === 'connected' && c.failed) return false;
    if (f.result === 'warnings' && !c.warnings.length && !c.failed) return false;
    if (!words.length) return true;
    const h = haystack(c);
    return words.every((w) => h.includes(w));
  });
}

export interface CallStats {
  total: number;
  failed: number;
  withWarnings: number;
  perProtocol: Array<[string, number]>;
  /** Most frequent disconnect reasons (and failure reasons), most frequent first. */
  topReasons: Array<[string, number]>;
}

export function callStats(calls: readonly CallSummary[], top = 4): CallStats {
  const perProtocol = new Map<string, number>();
  const reasons = new Map<string, number>();
  let failed = 0;
  let withWarnings = 0;
  for (const c of calls) {
    perProtocol.set(c.protocol, (perProtocol.get(c.protocol) ?? 0) + 1);
    if (c.failed) failed++;
    if (c.warnings.length) withWarnings++;
    const r = c.failed ? c.failReason : c.disconnectReason;
    if (r) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: calls.length, failed, withWarnings, perProtocol: byCount(perProtocol), topReasons: byCount(reasons).slice(0, top) };
}

/** `sip:alice@example.com` → `alice@example.com`; `"Alice" <sip:a@b>` → `Alice <a@b>`: shorter cells. */
export function shortUri(s: string | null): string {
  if (!s) return '';
  return s.replace(/^<?(sips?|h323|tel):/i, '').replace(/<(sips?|h323|tel):/gi, '<').replace(/;tag=[^;>\s]*/g, '').replace(/"/g, '');
}
