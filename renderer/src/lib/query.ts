/**
 * The query language (issue 4) in the UI: the engine evaluates queries; here the shared grammar's
 * tokens let chips and the histogram set `level:`, `name:`, `node:`, `from:`, `to:` terms, and
 * rows mark what the query matches.
 */

import { nestedRepetition } from '../../../electron/shared/regex-shape.js';
import { exactText, fieldTerm, parseQuery, QueryError, SPECIAL_FIELDS, tokenize } from '../../../electron/shared/query-grammar.js';
import type { Query, Tok } from '../../../electron/shared/query-grammar.js';
import { globTest, keyTest } from '../../../electron/shared/key-terms.js';

export { exactText };

let lastEpoch = 0;
/**
 * A new epoch for a new state of the search box (QueryCall in api.ts): every call made for it
 * carries it, and the engine stops evaluating the queries of older ones. Rising across reloads.
 */
export function newEpoch(): number {
  lastEpoch = Math.max(Date.now(), lastEpoch + 1);
  return lastEpoch;
}

/**
 * Why a query cannot be searched, and the piece of its text to point at (the term or operator the
 * problem starts at, as the grammar reads it while typing; past the end: from = to = its length);
 * null when the engine would take it.
 */
export function queryProblem(q: string): { reason: string; from: number; to: number } | null {
  try {
    parseQuery(q);
    return null;
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    const from = e.position;
    const tok = tokenize(q, { lenient: true }).find((t) => t.pos === from);
    return { reason: e.reason, from, to: tok ? tok.end : Math.min(from + 1, q.length) };
  }
}

/** A top-level, non-negated `field:value` term of a query, and where it is in the query's text. */
interface FieldTerm {
  key: string;
  value: string;
  start: number;
  end: number;
}

/** The top-level, non-negated `field:value` terms of a query as typed so far (read as the engine reads it). */
function topFields(q: string): FieldTerm[] {
  const out: FieldTerm[] = [];
  let depth = 0;
  let prev: Tok | undefined;
  for (const t of tokenize(q, { lenient: true })) {
    if (t.t === 'lp') depth++;
    else if (t.t === 'rp') depth = Math.max(0, depth - 1);
    else if (t.t === 'term' && t.q.kind === 'field' && depth === 0 && prev?.t !== 'minus' && prev?.t !== 'not') {
      out.push({ key: t.q.key, value: t.q.value, start: t.pos, end: t.end });
    }
    prev = t;
  }
  return out;
}

/** Value of a top-level, non-negated `field:value` term. */
export function getField(q: string, field: string): string | null {
  const f = field.toLowerCase();
  return topFields(q).find((t) => t.key === f)?.value ?? null;
}

/** Replaces the top-level `field:` terms by one with this value (or removes them when null). */
export function setField(q: string, field: string, value: string | null): string {
  const f = field.toLowerCase();
  let out = '';
  let last = 0;
  for (const t of topFields(q)) {
    if (t.key !== f) continue;
    out += q.slice(last, t.start);
    last = t.end;
  }
  out += q.slice(last);
  out = out.replace(/\s+/g, ' ').trim();
  if (value !== null && value !== '') out = (out ? out + ' ' : '') + fieldTerm(field, value);
  return out;
}

/**
 * Log keys a filter for one value cannot be written with: their `key:` means something else
 * (`from:`/`to:` are times, `call:` takes any id of a call, `node:` is the sending system).
 */
const NOT_A_VALUE_FILTER = new Set(['from', 'to', 'call', 'node']);

/**
 * The term that keeps the lines whose log key `key` (as the log writes it: `Call-Id`, `Level`,
 * `Name`) has exactly this value, ASCII case-insensitively; null where the grammar cannot say
 * that exactly: a value with `*` (it would be a wildcard), empty or multi-line values (payloads), keys that
 * are not log keys or mean something else as a field. `Conference` gives `conference:`, which
 * also takes the conference's calls' lines.
 */
export function valueFilter(key: string, value: string): string | null {
  const k = key.toLowerCase();
  if (!/^[a-z][a-z0-9_.-]*$/.test(k) || NOT_A_VALUE_FILTER.has(k)) return null;
  return checkedTerm(k, value);
}

/** The term that keeps the lines sent by this system (the host name or IP after the syslog time). */
export function senderFilter(node: string): string | null {
  return checkedTerm('node', node);
}

function checkedTerm(k: string, value: string): string | null {
  // `^M` is how the log writes a payload's line breaks: a message, not a value to match whole
  if (!value.trim() || value.length > 1000 || /[*\r\n]|\^M/.test(value) || (k === 'name' && value.includes(','))) return null;
  const term = fieldTerm(k, value);
  // the term must read back as this one field with this value: not a level the grammar does not
  // know, nor a key it takes for an address's scheme (`file:x.log`, `http:…` are words)
  let toks: Tok[];
  try {
    toks = tokenize(term);
  } catch {
    return null;
  }
  const t = toks.length === 1 && toks[0]!.t === 'term' ? toks[0]!.q : null;
  return t?.kind === 'field' && t.key === k && t.value === value ? term : null;
}

/**
 * The query with a value filter added (`exclude`: with `-`, dropping those lines). Terms side by
 * side are ANDed and OR binds tighter, so appending narrows whatever the query was. `level:`,
 * `name:` and `node:` keep one value: a new one replaces the query's own (top level).
 */
export function withFilter(q: string, term: string, exclude: boolean): string {
  const cur = q.trim() === '*' ? '' : q.trim();
  const field = term.slice(0, term.indexOf(':'));
  if (!exclude && (field === 'level' || field === 'name' || field === 'node')) {
    const rest = setField(cur, field, null);
    return rest ? `${rest} ${term}` : term;
  }
  const t = (exclude ? '-' : '') + term;
  if (` ${cur} `.includes(` ${t} `)) return cur;
  return cur ? `${cur} ${t}` : t;
}

/**
 * What of the explorer's search to look for in a call opened from one of its lines (the call
 * view's Find): the search without the terms that pick calls or times (`call:`, `conference:`,
 * `from:`, `to:`), which every line of the call would match; null when nothing is left.
 */
export function findInCall(q: string): string | null {
  const rest = ['call', 'conference', 'from', 'to'].reduce((x, f) => setField(x, f, null), q).trim();
  return rest && rest !== '*' && !queryProblem(rest) ? rest : null;
}

/** The query without its time range (the histogram shows the whole span of the rest). */
export function withoutTime(q: string): string {
  return setField(setField(q, 'from', null), 'to', null);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text as a pattern that matches it ASCII-case-insensitively, as the engine compares words and quoted text. */
function asciiCaseless(s: string): string {
  return escapeRe(s).replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/**
 * What a query matches in a row's text, to mark it: one global RegExp for its words, quoted text
 * and key values, one for each regex (with that regex's own flags); and its `key:value` terms, to
 * mark a value shown without its quotes (the key column, the detail's fields).
 */
export interface Highlight {
  readonly res: readonly RegExp[];
  readonly pairs: ReadonlyArray<{ key: (k: string) => boolean; value: (v: string) => boolean }>;
}

/**
 * The marks of a query: its terms as the engine matches them (the shared grammar reads the query;
 * words and quoted text ASCII-case-insensitively, regexes with their flags, `key:value` where the
 * line says `Key="value"`); nothing under `-` or `NOT`, where lines match because it is absent.
 * Null when there is nothing to mark or the query does not parse (the engine says why).
 */
export function highlighter(q: string): Highlight | null {
  let query: Query;
  try {
    query = parseQuery(q);
  } catch {
    return null;
  }
  const texts: string[] = [];
  const res: RegExp[] = [];
  const pairs: Array<Highlight['pairs'][number]> = [];
  const visit = (n: Query): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        n.items.forEach(visit);
        return;
      case 'word':
        if (n.text) texts.push(wordSource(n.text, n.openStart, n.openEnd));
        return;
      case 'phrase':
        texts.push(asciiCaseless(n.text));
        return;
      case 'field': {
        if (n.key !== 'conference' && (SPECIAL_FIELDS as readonly string[]).includes(n.key)) return;
        pairs.push({ key: keyTest(n.key), value: globTest(n.value) });
        const s = keyValueSource(n.key, n.value);
        if (s) texts.push(s);
        return;
      }
      case 'regex':
        // a repeated group that repeats inside can backtrack for hours on one row, and the browser
        // has no cut-off: the engine finds those lines, their marks are left out
        if (!nestedRepetition(n.source, n.flags)) res.push(new RegExp(n.source, `${n.flags}g`));
        return;
      default:
        return;
    }
  };
  visit(query);
  if (texts.length) res.unshift(new RegExp(texts.join('|'), 'g'));
  return res.length || pairs.length ? { res, pairs } : null;
}

/** Word characters of decoded text: the engine's word bytes (ASCII letters, digits, `_`, ≥ 0x80). */
const W = '0-9A-Za-z_\\u0080-\\uffff';
const WORD_CHAR = new RegExp(`[${W}]`);

/**
 * A query word as the engine matches it (docs/query-language.md): not glued to more word
 * characters where it begins or ends with one, unless starred there; the M of a `^M` is none.
 */
function wordSource(core: string, openStart: boolean, openEnd: boolean): string {
  const start = !openStart && WORD_CHAR.test(core[0]!) ? `(?<![${W}](?<!\\^M))(?!(?<=\\^)M)` : '';
  const end = !openEnd && WORD_CHAR.test(core[core.length - 1]!) ? `(?![${W}])` : '';
  return `${start}${asciiCaseless(core)}${end}`;
}

/** Log keys' characters (lines/fields.ts). */
const KEY_CHAR = '[A-Za-z0-9_.\\-]';

/**
 * `key:value` (a log key, or `conference:` for every Conference* key) as the value it names in a
 * line's `Key="value"`, `*` standing for any text. Null for values with quotes or backslashes
 * (escaped in the line).
 */
function keyValueSource(key: string, value: string): string | null {
  if (/["\\]/.test(value)) return null;
  const glob = value.split('*').map(asciiCaseless).join('[^"]*');
  const keys = key === 'conference' ? `${asciiCaseless(key)}${KEY_CHAR}*` : asciiCaseless(key);
  return `(?<=(?<!${KEY_CHAR})${keys}=")${glob}(?=")`;
}

/** Where the highlight marks text: sorted, overlapping marks joined (touching ones stay apart); at most `max`, from `from` on. */
export function hits(text: string, hl: Highlight | null, from = 0, max = 50): Array<[number, number]> {
  if (!hl || !text) return [];
  const all: Array<[number, number]> = [];
  for (const re of hl.res) {
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    let k = 0;
    while (k < max && (m = re.exec(text))) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      all.push([m.index, m.index + m[0].length]);
      k++;
    }
  }
  all.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else if (out.length < max) out.push([s, e]);
  }
  return out;
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits text into plain and matched segments (at most `max` hits, to stay cheap on huge lines). */
export function segments(text: string, hl: Highlight | null, max = 50): Segment[] {
  const marks = hits(text, hl, 0, max);
  if (!marks.length) return [{ text, hit: false }];
  const out: Segment[] = [];
  let last = 0;
  for (const [s, e] of marks) {
    if (s > last) out.push({ text: text.slice(last, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    last = e;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

/**
 * A field's value shown without its quotes: marked whole where a `key:value` term names it, and
 * the query's text marks as anywhere else. `line`, when given, is the row's text: the value then
 * counts as the pair only if the line has a `key="` (a key column's SIP Call-ID may come from the
 * payload, where no `key:` term looks).
 */
export function valueSegments(key: string, value: string, hl: Highlight | null, line?: string): Segment[] {
  const named = value !== '' && hl?.pairs.some((p) => p.key(key) && p.value(value));
  if (named && (line === undefined || new RegExp(`(?<!${KEY_CHAR})${asciiCaseless(key)}="`).test(line))) return [{ text: value, hit: true }];
  return segments(value, hl);
}

/**
 * A row's key column, `Key=value` two spaces apart, with each name's and value's marks. Entries
 * with a mark come first: the column is cut at its width, and the mark says why the row is there.
 */
export function keySegments(keys: Record<string, string>, line: string, hl: Highlight | null): Segment[] {
  const entries = Object.entries(keys).map(([k, v]) => [...segments(k, hl), { text: '=', hit: false }, ...valueSegments(k, v, hl, line)]);
  const marked = (e: Segment[]) => e.some((x) => x.hit);
  return [...entries.filter(marked), ...entries.filter((e) => !marked(e))].flatMap((e, n) => (n ? [{ text: '  ', hit: false }, ...e] : e));
}

/**
 * A short piece of `text` around the first match at or after `from`, for a row whose visible
 * columns hold no match (a word inside a SIP payload): so each row shows why it matched. Null
 * when nothing matches there.
 */
export function matchContext(text: string, hl: Highlight | null, from: number, before = 16, after = 120): string | null {
  const first = hits(text, hl, Math.max(0, from), 1)[0];
  if (!first) return null;
  const s = Math.max(from, first[0] - before);
  const e = Math.min(text.length, first[1] + after);
  return `${s > 0 ? '…' : ''}${text.slice(s, e)}${e < text.length ? '…' : ''}`;
}

/** Fields the search box completes the names of. */
const FIELD_NAMES = ['level:', 'name:', 'node:', 'call:', 'conference:', 'from:', 'to:'];

/**
 * Completions of the search box's last word, as whole drafts (the box offers them in its list):
 * a field's name from two letters on (`na` → `name:`), and the values of `level:`, `name:` and
 * `node:` the bundle has (most lines first), after the last comma of a list (`level:WARNING,E`).
 * Nothing once the word is complete, or inside quotes and regexes.
 */
export function completions(draft: string, values: { level: readonly string[]; name: readonly string[]; node: readonly string[] }, max = 12): string[] {
  const m = /(^|[\s(])(-?)([^\s()]*)$/.exec(draft);
  if (!m || (draft.split('"').length - 1) % 2 === 1) return [];
  const word = m[3]!;
  const head = draft.slice(0, draft.length - word.length);
  if (!word || word.startsWith('/') || word.startsWith('"')) return [];
  const colon = word.indexOf(':');
  if (colon < 0) {
    const w = word.toLowerCase();
    return w.length < 2 ? [] : FIELD_NAMES.filter((f) => f.startsWith(w) && f !== w).map((f) => head + f);
  }
  const key = word.slice(0, colon).toLowerCase() as 'level' | 'name' | 'node';
  if (key !== 'level' && key !== 'name' && key !== 'node') return [];
  const list = word.slice(colon + 1);
  const cut = key === 'level' || key === 'name' ? list.lastIndexOf(',') + 1 : 0;
  const part = list.slice(cut).toLowerCase();
  if (part.includes('*') || part.includes('"')) return [];
  const before = head + word.slice(0, colon + 1 + cut);
  const out: string[] = [];
  for (const v of values[key]) {
    const lower = v.toLowerCase();
    if (!lower.startsWith(part) || lower === part || /[\s()",]/.test(v)) continue;
    out.push(before + v);
    if (out.length >= max) break;
  }
  return out;
}
