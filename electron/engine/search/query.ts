/**
 * The query language (one grammar for the UI and the CLI; docs/query-language.md):
 *
 *   query   := and?
 *   and     := or (('AND')? or)*           terms side by side must all match
 *   or      := unary ('OR' unary)*         OR binds tighter than AND: `a b OR c` = a AND (b OR c)
 *   unary   := ('-' | 'NOT') unary | primary
 *   primary := '(' and ')' | "quoted" | /regex/flags | key:value | word
 */
import { levelsWanted, userTime } from '../lines/filter.js';

export type Query =
  | { kind: 'all' }
  | { kind: 'and'; items: Query[] }
  | { kind: 'or'; items: Query[] }
  | { kind: 'not'; item: Query }
  /** A word: a whole-word, ASCII-case-insensitive match; `*` at either end drops that boundary. */
  | { kind: 'word'; text: string; openStart: boolean; openEnd: boolean; pos: number }
  /** A quoted phrase: a substring, ASCII-case-insensitive. */
  | { kind: 'phrase'; text: string; pos: number }
  | { kind: 'regex'; source: string; flags: string; pos: number }
  /** `key:value`; key lowercased. */
  | { kind: 'field'; key: string; value: string; quoted: boolean; pos: number };

export class QueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position + 1})`);
  }
}

/** Fields with a meaning of their own; every other `key:` is a log key (`participant-id:…`). */
export const SPECIAL_FIELDS = ['level', 'name', 'node', 'call', 'conference', 'from', 'to'] as const;

/** `scheme:rest` words that are addresses, not fields (quote anything else that looks like key:value). */
const SCHEMES = new Set(['sip', 'sips', 'tel', 'h323', 'http', 'https', 'mailto', 'urn', 'xmpp', 'im', 'pres', 'ws', 'wss', 'file', 'ftp', 'rtmp', 'rtmps']);

const REGEX_FLAGS = new Set(['i', 'm', 's', 'u', 'v', 'd', 'g', 'y']);

type Tok =
  | { t: 'lp' | 'rp' | 'and' | 'or' | 'not' | 'minus'; pos: number }
  | { t: 'term'; q: Query; pos: number };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function readQuoted(q: string, i: number): { text: string; end: number } {
  const start = i;
  let out = '';
  i++;
  while (i < q.length) {
    const c = q[i]!;
    if (c === '\\' && (q[i + 1] === '"' || q[i + 1] === '\\')) {
      out += q[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { text: out, end: i + 1 };
    out += c;
    i++;
  }
  throw new QueryError('unclosed quote', start);
}

function tokenize(q: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = q.length;
  while (i < n) {
    const c = q[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')') {
      toks.push({ t: c === '(' ? 'lp' : 'rp', pos });
      i++;
      continue;
    }
    // a leading '-' negates what follows directly (a lone '-' is a word)
    if (c === '-' && i + 1 < n && !isSpace(q[i + 1]!) && q[i + 1] !== ')') {
      toks.push({ t: 'minus', pos });
      i++;
      continue;
    }
    if (c === '"') {
      const { text, end } = readQuoted(q, i);
      if (text === '') throw new QueryError('empty quotes', pos);
      toks.push({ t: 'term', q: { kind: 'phrase', text, pos }, pos });
      i = end;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      let inClass = false;
      for (; j < n; j++) {
        const d = q[j]!;
        if (d === '\\') {
          j++;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
      }
      if (j >= n) throw new QueryError('unclosed regular expression (to search for a word starting with "/", quote it)', pos);
      const source = q.slice(i + 1, j);
      if (source === '') throw new QueryError('empty regular expression', pos);
      let k = j + 1;
      while (k < n && !isSpace(q[k]!) && q[k] !== ')' && q[k] !== '(') k++;
      const flags = q.slice(j + 1, k);
      for (let f = 0; f < flags.length; f++) {
        if (!REGEX_FLAGS.has(flags[f]!) || flags.indexOf(flags[f]!) !== f) {
          throw new QueryError(`bad regular expression flag '${flags[f]}' (flags: i m s u v; to search for text starting with "/", quote it)`, j + 1 + f);
        }
      }
      try {
        new RegExp(source, flags.replace(/[gy]/g, ''));
      } catch (e) {
        throw new QueryError(`bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, pos);
      }
      toks.push({ t: 'term', q: { kind: 'regex', source, flags: flags.replace(/[gyd]/g, ''), pos }, pos });
      i = k;
      continue;
    }
    // a bare word (up to space, parenthesis or quote), maybe key:value or key:"value"
    let j = i;
    while (j < n && !isSpace(q[j]!) && q[j] !== '(' && q[j] !== ')' && q[j] !== '"') j++;
    let text = q.slice(i, j);
    const colon = text.indexOf(':');
    if (colon > 0 && /^[A-Za-z][A-Za-z0-9_.-]*$/.test(text.slice(0, colon)) && !SCHEMES.has(text.slice(0, colon).toLowerCase())) {
      const key = text.slice(0, colon).toLowerCase();
      let value = text.slice(colon + 1);
      let quoted = false;
      if (value === '' && q[j] === '"') {
        const r = readQuoted(q, j);
        value = r.text;
        quoted = true;
        j = r.end;
      } else if (value.startsWith(':')) value = ''; // `fe80::1`-like: not a field
      else if (value === '' && (SPECIAL_FIELDS as readonly string[]).includes(key)) {
        // `level:` alone is a field being typed, not the text "level:" (which the log never writes)
        throw new QueryError(`'${key}:' needs a value (to search for the text, quote it: "${text}")`, pos);
      }
      if (value !== '' || quoted) {
        if (value === '') throw new QueryError(`empty value for '${key}:'`, pos);
        checkFieldValue(key, value, pos);
        toks.push({ t: 'term', q: { kind: 'field', key, value, quoted, pos }, pos });
        i = j;
        continue;
      }
    }
    i = j;
    if (text === 'AND' || text === 'OR' || text === 'NOT') {
      toks.push({ t: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', pos });
      continue;
    }
    let openStart = false;
    let openEnd = false;
    if (text.length > 1 && text.endsWith('*')) {
      openEnd = true;
      text = text.slice(0, -1);
    }
    if (text.length > 1 && text.startsWith('*')) {
      openStart = true;
      text = text.slice(1);
    }
    if (text === '*') {
      toks.push({ t: 'term', q: { kind: 'all' }, pos });
      continue;
    }
    toks.push({ t: 'term', q: { kind: 'word', text, openStart, openEnd, pos }, pos });
  }
  return toks;
}

/** The values of a field term: `level:WARNING,ERROR` names two. */
export const fieldValues = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

/** The example of a time in a query: a space needs quotes there. */
export const QUERY_TIME = '2026-05-14T08:04:40 or "2026-05-14 08:04:40,000"';

/**
 * Levels and times are checked as the query is parsed, so a mistyped one is said before a bundle
 * loads (the CLI parses first), not once it has.
 */
function checkFieldValue(key: string, value: string, pos: number): void {
  const fail = (m: string) => new QueryError(m, pos);
  if (key === 'level') levelsWanted(fieldValues(value), fail);
  else if (key === 'from' || key === 'to') userTime(value, fail, QUERY_TIME);
}

/** Parses a query; an empty query matches every line. Throws QueryError naming the position. */
export function parseQuery(q: string): Query {
  const toks = tokenize(q);
  let k = 0;
  const peek = () => toks[k];

  const parseAnd = (): Query => {
    const items: Query[] = [];
    for (;;) {
      const t = peek();
      if (!t || t.t === 'rp') break;
      if (t.t === 'and') {
        if (items.length === 0) throw new QueryError("'AND' needs a term before it", t.pos);
        k++;
        const n = peek();
        if (!n || n.t === 'rp') throw new QueryError("'AND' needs a term after it", t.pos);
        continue;
      }
      if (t.t === 'or') throw new QueryError("'OR' needs a term before it", t.pos);
      items.push(parseOr());
    }
    if (items.length === 0) return { kind: 'all' };
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };

  const parseOr = (): Query => {
    const items = [parseUnary()];
    while (peek()?.t === 'or') {
      const t = peek()!;
      k++;
      const n = peek();
      if (!n || n.t === 'rp' || n.t === 'or' || n.t === 'and') throw new QueryError("'OR' needs a term after it", t.pos);
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };

  const parseUnary = (): Query => {
    const t = peek();
    if (!t) throw new QueryError('unexpected end of query', q.length);
    if (t.t === 'minus' || t.t === 'not') {
      k++;
      const n = peek();
      if (!n || n.t === 'rp' || n.t === 'or' || n.t === 'and') throw new QueryError(`'${t.t === 'not' ? 'NOT' : '-'}' needs a term after it`, t.pos);
      return { kind: 'not', item: parseUnary() };
    }
    return parsePrimary();
  };

  const parsePrimary = (): Query => {
    const t = peek()!;
    if (t.t === 'lp') {
      k++;
      if (peek()?.t === 'rp') throw new QueryError("'()' holds no term", t.pos);
      const inner = parseAnd();
      const close = peek();
      if (!close || close.t !== 'rp') throw new QueryError("'(' is never closed", t.pos);
      k++;
      return inner;
    }
    if (t.t === 'rp') throw new QueryError("')' without '('", t.pos);
    if (t.t === 'term') {
      k++;
      return t.q;
    }
    throw new QueryError(`unexpected '${q.slice(t.pos).split(/\s/)[0]}'`, t.pos);
  };

  const result = parseAnd();
  const rest = peek();
  if (rest) throw new QueryError(rest.t === 'rp' ? "')' without '('" : `unexpected '${q.slice(rest.pos).split(/\s/)[0]}'`, rest.pos);
  return result;
}

/** True when the query has a `call:` or `conference:` term: those need the calls engine (a Correlation). */
export function needsCalls(q: Query): boolean {
  switch (q.kind) {
    case 'and':
    case 'or':
      return q.items.some(needsCalls);
    case 'not':
      return needsCalls(q.item);
    case 'field':
      return q.key === 'call' || q.key === 'conference';
    default:
      return false;
  }
}
