/**
 * The query language's grammar, one for the UI and the CLI (docs/query-language.md):
 *
 *   query   := and?
 *   and     := or (('AND')? or)*           terms side by side must all match
 *   or      := unary ('OR' unary)*         OR binds tighter than AND: `a b OR c` = a AND (b OR c)
 *   unary   := ('-' | 'NOT') unary | primary
 *   primary := '(' and ')' | "quoted" | /regex/flags | key:value | word
 *
 * Plain code: the engine evaluates what this parses, and the renderer reads the same tokens to
 * edit `field:` terms, to mark what a query matches and to refuse a query that cannot be read
 * before it is sent, so the two never read a query differently. Level names and times are checked
 * as the query is read, so a mistyped one is said before a bundle loads (the CLI parses first).
 */
import { levelsWanted } from './levels.js';
import { userTime } from './user-time.js';

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
    /** What is wrong, without where (the page points at the place instead). */
    readonly reason: string,
    /** Where, as an index into the query's text. */
    readonly position: number,
  ) {
    super(`${reason} (at position ${position + 1})`);
  }
}

/** Fields with a meaning of their own; every other `key:` is a log key (`participant-id:…`). */
export const SPECIAL_FIELDS = ['level', 'name', 'node', 'call', 'conference', 'from', 'to'] as const;

/** `scheme:rest` words that are addresses, not fields (quote anything else that looks like key:value). */
const SCHEMES = new Set(['sip', 'sips', 'tel', 'h323', 'http', 'https', 'mailto', 'urn', 'xmpp', 'im', 'pres', 'ws', 'wss', 'file', 'ftp', 'rtmp', 'rtmps']);

const REGEX_FLAGS = new Set(['i', 'm', 's', 'u', 'v', 'd', 'g', 'y']);

/** A token of a query: where it starts and ends in the query's text. */
export type Tok =
  | { t: 'lp' | 'rp' | 'and' | 'or' | 'not' | 'minus'; pos: number; end: number }
  | { t: 'term'; q: Query; pos: number; end: number };

/** The example of a time in a query: a space needs quotes there. */
export const QUERY_TIME = '2026-05-14T08:04:40, "2026-05-14 08:04:40,000" or a time of day, 08:04:40';

/** Refuses a level that is none and a time that cannot be read. */
function checkFieldValue(key: string, value: string, pos: number): void {
  const fail = (m: string) => new QueryError(m, pos);
  if (key === 'level') levelsWanted(fieldValues(value), fail);
  else if (key === 'from' || key === 'to') userTime(value, fail, QUERY_TIME);
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * The tokens of a query. Strict (the default), a query that cannot be read throws a QueryError
 * naming where. `lenient` reads whatever is typed so far, as the UI must while editing: an
 * unclosed quote or regex runs to the end, a bad regex stays a regex, `level:` alone is a word.
 */
export function tokenize(q: string, opts: { lenient?: boolean } = {}): Tok[] {
  const lenient = opts.lenient === true;
  const fail = (message: string, pos: number): void => {
    if (!lenient) throw new QueryError(message, pos);
  };
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
      toks.push({ t: c === '(' ? 'lp' : 'rp', pos, end: i + 1 });
      i++;
      continue;
    }
    // a leading '-' negates what follows directly (a lone '-' is a word)
    if (c === '-' && i + 1 < n && !isSpace(q[i + 1]!) && q[i + 1] !== ')') {
      toks.push({ t: 'minus', pos, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"') {
      const { text, end, closed } = readQuoted(q, i);
      if (!closed) fail('unclosed quote', pos);
      i = end;
      if (text === '') fail('empty quotes', pos);
      else toks.push({ t: 'term', q: { kind: 'phrase', text, pos }, pos, end });
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
      if (j >= n) fail('unclosed regular expression (to search for a word starting with "/", quote it)', pos);
      const source = q.slice(i + 1, Math.min(j, n));
      let k = Math.min(j + 1, n);
      while (k < n && !isSpace(q[k]!) && q[k] !== ')' && q[k] !== '(') k++;
      const flags = q.slice(j + 1, k);
      i = k;
      if (source === '') {
        fail('empty regular expression', pos);
        continue;
      }
      for (let f = 0; f < flags.length; f++) {
        if (!REGEX_FLAGS.has(flags[f]!) || flags.indexOf(flags[f]!) !== f) {
          fail(`bad regular expression flag '${flags[f]}' (flags: i m s u v; to search for text starting with "/", quote it)`, j + 1 + f);
        }
      }
      try {
        new RegExp(source, flags.replace(/[gy]/g, ''));
      } catch (e) {
        fail(`bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, pos);
      }
      toks.push({ t: 'term', q: { kind: 'regex', source, flags: flags.replace(/[gyd]/g, ''), pos }, pos, end: k });
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
      let bad = false;
      if (value === '' && q[j] === '"') {
        const r = readQuoted(q, j);
        if (!r.closed) fail('unclosed quote', j);
        value = r.text;
        quoted = true;
        j = r.end;
      } else if (value.startsWith(':')) value = ''; // `fe80::1`-like: not a field
      else if (value === '' && (SPECIAL_FIELDS as readonly string[]).includes(key)) {
        // `level:` alone is a field being typed, not the text "level:" (which the log never writes)
        fail(`'${key}:' needs a value (to search for the text, quote it: "${text}")`, pos);
        bad = true;
      }
      if (!bad && (value !== '' || quoted)) {
        if (value === '') fail(`empty value for '${key}:'`, pos);
        if (!lenient) checkFieldValue(key, value, pos);
        toks.push({ t: 'term', q: { kind: 'field', key, value, quoted, pos }, pos, end: j });
        i = j;
        continue;
      }
    }
    i = j;
    if (text === 'AND' || text === 'OR' || text === 'NOT') {
      toks.push({ t: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', pos, end: j });
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
      toks.push({ t: 'term', q: { kind: 'all' }, pos, end: j });
      continue;
    }
    toks.push({ t: 'term', q: { kind: 'word', text, openStart, openEnd, pos }, pos, end: j });
  }
  return toks;
}

/** Quoted text from the quote at i: `\"` and `\\` stand for `"` and `\`; unclosed, it runs to the end. */
function readQuoted(q: string, i: number): { text: string; end: number; closed: boolean } {
  let out = '';
  i++;
  while (i < q.length) {
    const c = q[i]!;
    if (c === '\\' && (q[i + 1] === '"' || q[i + 1] === '\\')) {
      out += q[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { text: out, end: i + 1, closed: true };
    out += c;
    i++;
  }
  return { text: out, end: q.length, closed: false };
}

/** The values of a field term: `level:WARNING,ERROR` names two. */
export const fieldValues = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

/** The grammar's exact-substring term for `text` (quoted, its quotes and backslashes escaped). */
export function exactText(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** `field:value`, the value quoted as the grammar reads quotes where it must be (a message can hold them: `\"`). */
export function fieldTerm(field: string, value: string): string {
  return `${field}:${/[\s()"\\]|^:/.test(value) ? exactText(value) : value}`;
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
