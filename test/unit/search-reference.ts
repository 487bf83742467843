/**
 * The search tests' reference: one line at a time, no index, no blocks, no cleverness. What a
 * query should find, written as plainly as the query language (docs/query-language.md) reads.
 */
import type { Session } from '../../electron/engine/session.js';
import { parseQuery } from '../../electron/engine/search/index.js';
import type { Query } from '../../electron/engine/search/index.js';
import { parseFields } from '../../electron/engine/lines/fields.js';
import { LEVELS } from '../../electron/shared/levels.js';
import type { Rng } from '../generator/prng.js';

const WORDCH = /[0-9A-Za-z_\x80-\xff]/;
/** A word character, except the M of a `^M` (the log's escaped line break). */
export const isWordCh = (s: string, i: number) => i >= 0 && i < s.length && WORDCH.test(s[i]!) && !(s[i] === 'M' && i > 0 && s[i - 1] === '^');
export const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** What the reference knows of calls: each id's lines, and each call's conference name and id with its lines. */
export interface Ref {
  calls: Map<string, Set<number>>;
  conferences: Array<{ names: string[]; lines: Set<number> }>;
}

export const NO_CALLS: Ref = { calls: new Map(), conferences: [] };

interface LineTexts {
  /** Bytes as latin1 text, as written and ASCII-lowercased. */
  orig: string[];
  lower: string[];
  /** UTF-8 decoded text (what regexes see), and parsed fields, made when first asked for. */
  text: Array<string | undefined>;
  fields: Array<ReturnType<typeof parseFields> | undefined>;
}

/** Each line's texts, kept per session: the reference runs many queries over the same lines. */
const texts = new WeakMap<Session, LineTexts>();
function textsOf(s: Session): LineTexts {
  let t = texts.get(s);
  if (!t) {
    const orig: string[] = [];
    for (let i = 0; i < s.store.count; i++) orig.push(s.store.content(i).toString('latin1'));
    t = { orig, lower: orig.map(lowerAscii), text: [], fields: [] };
    texts.set(s, t);
  }
  return t;
}

/** A predicate over store lines for query q, its texts prepared once. */
export function refMatcher(s: Session, q: Query, ref: Ref): (i: number) => boolean {
  const store = s.store;
  const t = textsOf(s);
  switch (q.kind) {
    case 'all':
      return () => true;
    case 'and': {
      const items = q.items.map((x) => refMatcher(s, x, ref));
      return (i) => items.every((m) => m(i));
    }
    case 'or': {
      const items = q.items.map((x) => refMatcher(s, x, ref));
      return (i) => items.some((m) => m(i));
    }
    case 'not': {
      const item = refMatcher(s, q.item, ref);
      return (i) => !item(i);
    }
    case 'phrase': {
      const needle = lowerAscii(Buffer.from(q.text, 'utf8').toString('latin1'));
      return (i) => t.lower[i]!.includes(needle);
    }
    case 'word': {
      const raw = Buffer.from(q.text, 'utf8').toString('latin1');
      const needle = lowerAscii(raw);
      const boundStart = !q.openStart && isWordCh(raw, 0);
      const boundEnd = !q.openEnd && isWordCh(raw, raw.length - 1);
      return (i) => {
        const bytes = t.lower[i]!, orig = t.orig[i]!;
        for (let p = bytes.indexOf(needle); p >= 0; p = bytes.indexOf(needle, p + 1)) {
          const okStart = !boundStart || (isWordCh(orig, p) && !isWordCh(orig, p - 1));
          const okEnd = !boundEnd || !isWordCh(orig, p + needle.length);
          if (okStart && okEnd) return true;
        }
        return false;
      };
    }
    case 'regex': {
      const re = new RegExp(q.source, q.flags);
      return (i) => {
        re.lastIndex = 0;
        return re.test((t.text[i] ??= store.text(i)));
      };
    }
    case 'field': {
      if (q.key === 'level') return (i) => q.value.split(',').some((v) => LEVELS[store.level.data[i]!] === v.toUpperCase());
      if (q.key === 'name') return (i) => (q.value.endsWith('*') ? store.nameOf(i).toLowerCase().startsWith(q.value.slice(0, -1).toLowerCase()) : store.nameOf(i).toLowerCase() === q.value.toLowerCase());
      if (q.key === 'node') return (i) => store.nodeOf(i).toLowerCase() === q.value.toLowerCase();
      if (q.key === 'call') return (i) => ref.calls.get(q.value)?.has(i) ?? false;
      if (q.key === 'from' || q.key === 'to') {
        // a whole date as Date reads it; `HH:MM[:SS]` alone on the day of the bundle's first line (these bundles end that day)
        let first = Infinity;
        for (let i = 0; i < store.count; i++) first = Math.min(first, store.time.data[i]!);
        const at = /^\d{1,2}:\d{2}(:\d{2})?$/.test(q.value) ? Date.parse(`${new Date(first).toISOString().slice(0, 10)}T${q.value.padStart(5, '0')}Z`) : Date.parse(q.value);
        return q.key === 'from' ? (i) => store.time.data[i]! >= at : (i) => store.time.data[i]! <= at;
      }
      const want = lowerAscii(q.value);
      const glob = want.includes('*') ? new RegExp(`^${want.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's') : null;
      const valueOk = (v: string) => (glob ? glob.test(lowerAscii(v)) : lowerAscii(v) === want);
      const key = q.key;
      return (i) => {
        // conference: also every line of the calls in that conference
        if (key === 'conference' && ref.conferences.some((c) => c.lines.has(i) && c.names.some(valueOk))) return true;
        return (t.fields[i] ??= parseFields(store.text(i))).pairs.some((p) => {
          const k = p.key.toLowerCase();
          const keyOk = key === 'conference' ? k.startsWith('conference') : k === key;
          return keyOk && valueOk(p.value);
        });
      };
    }
  }
}

export function refTotal(s: Session, q: string, ref: Ref): number {
  const match = refMatcher(s, parseQuery(q), ref);
  let n = 0;
  for (let i = 0; i < s.store.count; i++) if (match(i)) n++;
  return n;
}

/** Random query text drawn from the lines of a session. */
export class QueryMaker {
  private readonly recent: string[] = [];
  constructor(
    private readonly s: Session,
    private readonly rng: Rng,
  ) {}

  private line(): string {
    return this.s.store.content(this.rng.int(this.s.store.count)).toString('latin1');
  }

  /** Latin1 text back to what a user would type: UTF-8 decoded; null when it holds invalid bytes. */
  private typed(latin1: string): string | null {
    const t = /[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
    return t.includes('\ufffd') ? null : t;
  }

  private randomCase(t: string): string {
    const r = this.rng.next();
    if (r < 0.6) return t;
    if (r < 0.8) return t.toUpperCase();
    return t.replace(/[a-z]/gi, (c) => (this.rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase()));
  }

  word(): string | null {
    const t = this.line();
    let p = this.rng.int(t.length + 1);
    for (let k = 0; k < 40 && !isWordCh(t, p); k++) p = this.rng.int(t.length);
    if (!isWordCh(t, p)) return null;
    let a = p, e = p;
    while (isWordCh(t, a - 1)) a--;
    while (isWordCh(t, e)) e++;
    // dotted, colon-joined, URI-like values: a few more atoms over one punctuation byte
    for (let k = this.rng.chance(0.4) ? this.rng.range(1, 3) : 0; k > 0; k--) {
      if ('.@:-/;='.includes(t[e] ?? 'x') && isWordCh(t, e + 1)) for (e++; isWordCh(t, e); e++);
    }
    if (this.rng.chance(0.15) && e - a > 2) a += this.rng.range(1, Math.min(3, e - a - 2));
    if (this.rng.chance(0.15) && e - a > 2) e -= this.rng.range(1, Math.min(3, e - a - 2));
    const w = this.typed(t.slice(a, e));
    if (!w || /[\s"()\\*]/.test(w)) return null;
    const r = this.rng.next();
    const x = this.randomCase(w);
    return r < 0.1 ? `${x}*` : r < 0.15 ? `*${x}` : r < 0.18 ? `*${x}*` : x;
  }

  phrase(): string | null {
    const t = this.line();
    if (t.length < 3) return null;
    const a = this.rng.int(t.length - 2);
    const s = this.typed(t.slice(a, a + this.rng.range(2, Math.min(30, t.length - a))));
    if (!s || /[\r\n]/.test(s)) return null;
    return `"${this.randomCase(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }

  regex(): string | null {
    const t = this.typed(this.line());
    if (!t || t.length < 4) return null;
    const a = this.rng.int(t.length - 3);
    const lit = t.slice(a, a + this.rng.range(3, 12)).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // sometimes a digit run or any character in place of a literal's end
    const tail = this.rng.chance(0.3) ? '\\d+' : this.rng.chance(0.3) ? '.' : '';
    return `/${lit}${tail}/${this.rng.chance(0.5) ? 'i' : ''}`;
  }

  field(): string | null {
    const r = this.rng.next();
    const i = this.rng.int(this.s.store.count);
    if (r < 0.15) return `level:${['DEBUG', 'INFO', 'WARNING', 'ERROR'][this.rng.int(4)]}`;
    if (r < 0.3) return `name:${this.s.store.nameOf(i)}`;
    const pairs = parseFields(this.s.store.text(i)).pairs.filter((p) => /^[A-Za-z][\w.-]*$/.test(p.key) && !/^(level|name|node|call|from|to)$/i.test(p.key));
    const p = pairs[this.rng.int(pairs.length)];
    if (!p || /[\s"()\\]/.test(p.value) || !p.value || p.value.startsWith('^M')) return null;
    const v = this.rng.chance(0.3) ? `${p.value.slice(0, this.rng.range(1, p.value.length))}*` : p.value;
    // a Conference* key is asked as `conference:`, which looks at all of them
    return `${this.randomCase(/^conference/i.test(p.key) ? 'conference' : p.key)}:${this.randomCase(v)}`;
  }

  term(): string | null {
    // a term asked before, as a user refines a query (and the searcher may keep its lines)
    if (this.recent.length && this.rng.chance(0.25)) return this.recent[this.rng.int(this.recent.length)]!;
    const r = this.rng.next();
    const t = r < 0.5 ? this.word() : r < 0.8 ? this.phrase() : r < 0.9 ? this.regex() : this.field();
    if (t) this.recent.splice(0, this.recent.length >= 8 ? 1 : 0, t);
    return t;
  }

  /** A query that parses (a random cut can leave a regex invalid, and such queries are skipped). */
  validQuery(): string {
    for (;;) {
      const q = this.query();
      if (q === null) continue;
      try {
        parseQuery(q);
        return q;
      } catch {
        /* another */
      }
    }
  }

  query(): string | null {
    const r = this.rng.next();
    const a = this.term();
    const b = r < 0.5 ? '' : this.term();
    if (!a || b === null) return null;
    if (r < 0.5) return a;
    if (r < 0.7) return `${a} ${b}`;
    if (r < 0.8) return `${a} -${b}`;
    if (r < 0.9) return `${a} OR ${b}`;
    const c = this.term();
    return c && `(${a} OR ${b}) ${c}`;
  }
}
