/**
 * Just enough of the query language (issue 4) for the UI: the engine evaluates queries; here we
 * only split them into top-level terms so chips and the histogram can set `level:`, `name:`,
 * `node:`, `from:`, `to:` terms, and so rows can highlight the words and phrases searched for.
 */

import { nestedRepetition } from '../../../electron/shared/regex-shape.js';

let lastEpoch = 0;
/**
 * A new epoch for a new state of the search box (QueryCall in api.ts): every call made for it
 * carries it, and the engine stops evaluating the queries of older ones. Rising across reloads.
 */
export function newEpoch(): number {
  lastEpoch = Math.max(Date.now(), lastEpoch + 1);
  return lastEpoch;
}

export interface Term {
  /** The term as written, e.g. `level:ERROR`, `"a b"`, `-word`, `/re/i`, `(`, `OR`. */
  raw: string;
  start: number;
  end: number;
  depth: number;
  negated: boolean;
  field: string | null;
  value: string;
  kind: 'word' | 'phrase' | 'regex' | 'field' | 'paren' | 'op';
}

export function terms(q: string): Term[] {
  const out: Term[] = [];
  let depth = 0;
  let i = 0;
  const n = q.length;
  while (i < n) {
    const c = q[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')') {
      if (c === ')') depth = Math.max(0, depth - 1);
      out.push({ raw: c, start, end: i + 1, depth, negated: false, field: null, value: c, kind: 'paren' });
      if (c === '(') depth++;
      i++;
      continue;
    }
    let negated = false;
    if (c === '-' && i + 1 < n && q[i + 1] !== ' ') {
      negated = true;
      i++;
    }
    let kind: Term['kind'] = 'word';
    let field: string | null = null;
    let value = '';
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      const e = close < 0 ? n : close;
      value = q.slice(i + 1, e);
      i = close < 0 ? n : close + 1;
      kind = 'phrase';
    } else if (q[i] === '/') {
      let k = i + 1;
      while (k < n && q[k] !== '/') k += q[k] === '\\' ? 2 : 1;
      value = q.slice(i + 1, Math.min(k, n));
      k++;
      while (k < n && /[a-z]/i.test(q[k]!)) k++;
      i = Math.min(k, n);
      kind = 'regex';
    } else {
      let k = i;
      while (k < n && !/[\s()]/.test(q[k]!)) {
        if (q[k] === '"') {
          const close = q.indexOf('"', k + 1);
          k = close < 0 ? n : close + 1;
        } else k++;
      }
      const word = q.slice(i, k);
      i = k;
      const colon = word.indexOf(':');
      if (colon > 0 && /^[A-Za-z][\w.-]*$/.test(word.slice(0, colon))) {
        kind = 'field';
        field = word.slice(0, colon).toLowerCase();
        value = word.slice(colon + 1).replace(/^"(.*)"$/, '$1');
      } else if (!negated && (word === 'OR' || word === 'NOT' || word === 'AND')) {
        kind = 'op';
        value = word;
      } else value = word;
    }
    out.push({ raw: q.slice(start, i), start, end: i, depth, negated, field, value, kind });
  }
  return out;
}

/** Value of a top-level, non-negated `field:value` term. */
export function getField(q: string, field: string): string | null {
  const f = field.toLowerCase();
  const t = terms(q).find((t) => t.kind === 'field' && t.field === f && t.depth === 0 && !t.negated);
  return t ? t.value : null;
}

/** Replaces the top-level `field:` terms by one with this value (or removes them when null). */
export function setField(q: string, field: string, value: string | null): string {
  const f = field.toLowerCase();
  let out = '';
  let last = 0;
  for (const t of terms(q)) {
    if (t.kind === 'field' && t.field === f && t.depth === 0 && !t.negated) {
      out += q.slice(last, t.start);
      last = t.end;
    }
  }
  out += q.slice(last);
  out = out.replace(/\s+/g, ' ').trim();
  if (value !== null && value !== '') {
    const v = /[\s()"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
    out = (out ? out + ' ' : '') + `${field}:${v}`;
  }
  return out;
}

/** The query without its time range (the histogram shows the whole span of the rest). */
export function withoutTime(q: string): string {
  return setField(setField(q, 'from', null), 'to', null);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regex that finds what the query searched for in a row's text (words, phrases, regexes and
 * free-text field values are all case-insensitive), or null when there is nothing to highlight.
 */
export function highlighter(q: string): RegExp | null {
  const parts: string[] = [];
  const ts = terms(q);
  // inside `-( … )` or `NOT ( … )` nothing is highlighted: those lines match because it is absent
  let skipDepth = -1;
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k]!;
    if (skipDepth >= 0) {
      if (t.kind === 'paren' && t.value === ')' && t.depth === skipDepth) skipDepth = -1;
      continue;
    }
    const prev = ts[k - 1];
    const notBefore = !!prev && ((prev.kind === 'op' && prev.value === 'NOT') || (prev.kind === 'word' && prev.negated && !prev.value));
    if (t.kind === 'paren' && t.value === '(' && notBefore) skipDepth = t.depth;
    if (t.negated || notBefore || !t.value) continue;
    if (t.kind === 'word') {
      const part = wordSource(t.value);
      if (part) parts.push(part);
    } else if (t.kind === 'phrase') parts.push(escapeRe(t.value));
    else if (t.kind === 'regex') {
      // a repeated group that repeats inside can backtrack for hours on one row, and the browser
      // has no cut-off: the engine finds those lines, their marks are left out
      if (nestedRepetition(t.value, '')) continue;
      try {
        new RegExp(t.value);
        parts.push(`(?:${t.value})`);
      } catch {
        /* the engine reports bad regexes */
      }
    }
  }
  if (!parts.length) return null;
  try {
    return new RegExp(parts.join('|'), 'gi');
  } catch {
    return null;
  }
}

/** Word characters of decoded text: the engine's word bytes (ASCII letters, digits, `_`, ≥ 0x80). */
const W = '0-9A-Za-z_\\u0080-\\uffff';
const WORD_CHAR = new RegExp(`[${W}]`);

/**
 * A query word as the engine matches it (docs/query-language.md): not glued to more word
 * characters where it begins or ends with one, unless starred there; the M of a `^M` is none.
 */
function wordSource(value: string): string | null {
  const openStart = value.startsWith('*');
  const openEnd = value.length > 1 && value.endsWith('*');
  const core = value.slice(openStart ? 1 : 0, openEnd ? -1 : undefined);
  if (!core) return null;
  const start = !openStart && WORD_CHAR.test(core[0]!) ? `(?<![${W}](?<!\\^M))(?!(?<=\\^)M)` : '';
  const end = !openEnd && WORD_CHAR.test(core[core.length - 1]!) ? `(?![${W}])` : '';
  return `${start}${escapeRe(core)}${end}`;
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits text into plain and matched segments (at most `max` hits, to stay cheap on huge lines). */
export function segments(text: string, re: RegExp | null, max = 50): Segment[] {
  if (!re || !text) return [{ text, hit: false }];
  const out: Segment[] = [];
  re.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  let k = 0;
  while ((m = re.exec(text)) && k++ < max) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push({ text: text.slice(last, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

/**
 * A short piece of `text` around the first match at or after `from`, for a row whose visible
 * columns hold no match (a word inside a SIP payload): so each row shows why it matched. Null
 * when nothing matches there.
 */
export function matchContext(text: string, re: RegExp | null, from: number, before = 16, after = 120): string | null {
  if (!re) return null;
  re.lastIndex = Math.max(0, from);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] === '') re.lastIndex++;
  if (!m) return null;
  const s = Math.max(from, m.index - before);
  const e = Math.min(text.length, m.index + m[0].length + after);
  return `${s > 0 ? '…' : ''}${text.slice(s, e)}${e < text.length ? '…' : ''}`;
}
