/**
 * The search tests' reference: one line at a time, no index, no blocks, no cleverness. What a
 * query should find, written as plainly as the query language (docs/query-language.md) reads.
 */
import type { Session } from '../../electron/engine/session.js';
import { parseQuery } from '../../electron/engine/search/index.js';
import type { Query } from '../../electron/engine/search/index.js';
import { parseFields } from '../../electron/engine/lines/fields.js';
import { LEVELS } from '../../electron/engine/lines/levels.js';

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
      if (q.key === 'from') return (i) => store.time.data[i]! >= Date.parse(q.value);
      if (q.key === 'to') return (i) => store.time.data[i]! <= Date.parse(q.value);
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
