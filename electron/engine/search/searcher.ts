/**
 * Evaluates queries over a session: every node of the query becomes a bitset of store lines.
 * Column fields (level, name, node, from, to, call) read the typed columns; text terms scan the
 * raw chunk bytes, decoded as latin1 (one char per byte, so offsets map straight back to lines)
 * with a regular expression built to match bytes exactly, and when an index is present only in
 * the blocks whose Bloom filters hold all the term's tokens. AND passes what is left to the next
 * term, so expensive terms only look at lines still in the running.
 */
import { isAscii } from 'node:buffer';
import type { Session } from '../session.js';
import type { LineStore } from '../lines/line-store.js';
import type { Facets, Histogram } from '../../api.js';
import { levelIndex, levelsWanted } from '../../shared/levels.js';
import { userTime } from '../../shared/user-time.js';
import { globTest, keyTest } from '../../shared/key-terms.js';
import { matchInterned } from '../lines/filter.js';
import { countFacets } from '../lines/facets.js';
import { hasPair } from '../lines/fields.js';
import { fieldValues, parseQuery, QUERY_TIME, QueryError } from './query.js';
import type { Query } from './query.js';
import { isWordAt, keysOfWhole, lowerBytes, LOWER, wholeAtoms } from './tokens.js';
import { pickAnchor, regexLiteral, sampleFrequencies } from './anchor.js';
import { linearRegex } from './linear-regex.js';
import type { Anchor, ByteFreq } from './anchor.js';
import { bloomKeys, candidateLines, eachPostingLine, findTop, mayHoldAll } from './segment.js';
import type { SegmentData } from './segment.js';
import { chunkFirstLines } from './line-index.js';
import type { LineIndex } from './line-index.js';
import { allBits, andInto, andNotInto, anyInRange, count, countRange, forEachBit, hasBit, newBits, orInto, setBit } from './bitset.js';
import type { Bits } from './bitset.js';

/** What the calls engine answers for `call:` and `conference:` (correlate/CallIndex is one). */
export interface Correlation {
  /** Store lines of the call with this id (any of its ids); null for an unknown id. */
  callLines(anyId: string): number[] | null;
  /** Store lines of every call whose conference name or id `accepts`. */
  conferenceLines(accepts: (nameOrId: string) => boolean): number[];
}

/** Asked between pieces of work: when it reads true, the search stops with 'cancelled'. An AbortSignal is one. */
export interface Cancel {
  readonly aborted: boolean;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  signal?: Cancel;
}

/** A text term compiled for scanning. */
interface TextTerm {
  /** Index keys every matching line holds (empty: every block is a candidate). */
  keys: Int32Array;
  /** Global regex over latin1-decoded bytes that finds candidate lines (null: test every line). */
  finder: RegExp | null;
  /** A finder hit is a match (no per-line check). */
  exact: boolean;
  /** Per-line check; `ascii` is the line's latin1 text when the line is ASCII, else null. */
  verify?: (i: number, ascii: string | null) => boolean;
  /** Lines with bytes ≥ 0x80 are checked one by one with verify (the finder sees latin1, not UTF-8). */
  nonAsciiByLine: boolean;
  /**
   * When set, the scan looks for the anchor with Buffer.indexOf instead of running `finder` over
   * decoded text, and checks each hit with `checkAt` (the needle at byte `pos` of the chunk, within
   * line bytes [ls, le)) or, for regexes, the whole line with `checkLine`.
   */
  anchor?: Anchor;
  checkAt?: (chunk: Uint8Array, pos: number, ls: number, le: number) => boolean;
  checkLine?: (i: number) => boolean;
  /** A word that is exactly one whole atom: segments that keep it as a frequent token answer from their postings. */
  top?: { key: number; lowered: Uint8Array };
  /** Whole atoms every matching line holds: where some are frequent tokens, only their lines are scanned. */
  whole?: WholeAtom[];
}

type WholeAtom = { key: number; lowered: Uint8Array };

/** The index keys and whole atoms of a term's text (see keysOf), its atoms found once. */
function indexTerms(b: Uint8Array, completeFirst: boolean, completeLast: boolean): { keys: Int32Array; whole: WholeAtom[] } {
  const whole = wholeAtoms(b, completeFirst, completeLast);
  return { keys: keysOfWhole(b, whole), whole: whole.map((a) => ({ key: a.key, lowered: lowerBytes(b.subarray(a.start, a.end)) })) };
}

/** Bytes decoded and scanned at a time when no index narrows the blocks. */
const PIECE_BYTES = 256 << 10;
const WORD_CLASS = '0-9A-Za-z_\\x80-\\xff';
/** A word starts here: not after a word byte (the M of a ^M is none), nor on the M of a ^M (tokens.ts isWordAt). */
const WORD_START = `(?<![${WORD_CLASS}](?<!\\^M))(?!(?<=\\^)M)`;
const KEY_CLASS = '0-9A-Za-z_\\x80-\\xff.\\-';
/** A byte of KEY_CLASS. */
function isKeyByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80 || c === 46 || c === 45;
}

/** Regex source matching these bytes (as latin1 chars) exactly, ASCII letters in either case. */
function byteSource(bytes: Uint8Array): string {
  let s = '';
  for (const c of bytes) {
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (lower >= 97 && lower <= 122) s += `[${String.fromCharCode(lower)}${String.fromCharCode(lower - 32)}]`;
    else if ((c >= 48 && c <= 57) || c === 95) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

const enc = new TextEncoder();

export class Searcher {
  private readonly store: LineStore;
  private readonly first: Uint32Array;
  private readonly segs: Array<SegmentData | null>;
  private readonly nonAsciiCache = new Map<number, Uint8Array | null>();
  private timeRange: { from: number; to: number } | null = null;
  private byteFreq: ByteFreq | null = null;
  /**
   * Whole-bundle results of the terms that scan (words, quoted text, regexes, log keys), least
   * recently used first. A query is usually refined step by step (`10.44.99.2`, then
   * `10.44.99.2 INVITE`, then `… -ack`): the refined query starts from the stored lines instead of
   * scanning for the same term again. Results narrowed by other terms are not stored.
   */
  private readonly termCache = new Map<string, Bits>();
  private termCacheBytes = 0;
  /** Term results taken from termCache (for tests and the bench). */
  termCacheHits = 0;
  /** The evaluation in progress may be cancelled through this (set by evaluate). */
  private signal: Cancel | undefined;

  constructor(
    readonly session: Session,
    index: LineIndex | null,
    private readonly correlation?: Correlation,
    /** reuseTerms: false keeps no term results (the bench times each query's own work). */
    private readonly opts: { reuseTerms?: boolean } = {},
  ) {
    this.store = session.store;
    this.first = chunkFirstLines(this.store);
    const usable = index && index.fits(this.store);
    this.segs = this.store.chunks.map((_, c) => (usable ? index.segments[c]! : null));
  }

  /** The matching lines as a bitset over store indexes (only lines set in `within`, when given). */
  evaluate(q: string | Query, signal?: Cancel, within: Bits | null = null): Bits {
    const query = typeof q === 'string' ? parseQuery(q) : q;
    this.signal = signal;
    try {
      return this.eval(query, within);
    } finally {
      this.signal = undefined;
    }
  }

  /** Throws when the evaluation in progress was cancelled. */
  private checkCancel(): void {
    if (this.signal?.aborted) throw new Error('cancelled');
  }

  search(q: string, opts: SearchOptions = {}): { total: number; hits: number[]; facets: Facets } {
    const bits = this.evaluate(q, opts.signal);
    const total = count(bits);
    const offset = Math.max(0, opts.offset ?? 0);
    const limit = Math.max(0, opts.limit ?? 100);
    const hits: number[] = [];
    const store = this.store;
    if (limit > 0 && offset < total) {
      let seen = 0;
      for (let p = 0; p < store.count && hits.length < limit; p++) {
        if (!store.order && (p & 31) === 0 && bits[p >>> 5] === 0) {
          p += 31;
          continue;
        }
        if (hasBit(bits, store.at(p)) && seen++ >= offset) hits.push(p);
      }
    }
    return { total, hits, facets: this.facets(bits) };
  }

  /** All matching view positions, in view (input) order. */
  matchesAll(q: string, signal?: Cancel): Uint32Array {
    return this.viewPositions(this.evaluate(q, signal), this.store.count);
  }

  /**
   * The matching view positions before `upTo`, in view order: the first matches of the whole list,
   * for a lot less work than all of them when the view's head holds enough (each term looks only
   * at the lines there, and no term result is kept).
   */
  matchesBefore(q: string, upTo: number, signal?: Cancel): Uint32Array {
    const store = this.store;
    const end = Math.min(upTo, store.count);
    const head = newBits(store.count);
    if (!store.order) for (let i = 0; i < end; i++) setBit(head, i);
    else for (let p = 0; p < end; p++) setBit(head, store.order[p]!);
    return this.viewPositions(this.evaluate(q, signal, head), end);
  }

  /**
   * The first `need` matches or more, in view order, when the head of the view holds them: the
   * query is evaluated over its first 1/64, then its first 1/16 (on 1 GB a broad word or a regex
   * over every line takes 0.3–1 s, its head a small share of that); null when neither head holds
   * them (then the whole list costs 8 % more than alone).
   */
  firstMatches(q: string, need: number, signal?: Cancel): Uint32Array | null {
    for (const share of HEAD_SHARES) {
      const head = Math.floor(this.store.count / share);
      if (need > head) continue;
      const early = this.matchesBefore(q, head, signal);
      if (early.length >= need) return early;
    }
    return null;
  }

  /** The view positions below `end` whose store lines are set in `bits`, ascending. */
  private viewPositions(bits: Bits, end: number): Uint32Array {
    const out = new Uint32Array(count(bits));
    const store = this.store;
    let n = 0;
    if (!store.order) forEachBit(bits, (i) => (out[n++] = i));
    else for (let p = 0; p < end; p++) if (hasBit(bits, store.order[p]!)) out[n++] = p;
    return out.subarray(0, n);
  }

  /** Lines over time (syslog time) for the matching lines (all lines when q is null), errors apart. */
  histogram(q: string | null, buckets: number, signal?: Cancel): Histogram {
    const store = this.store;
    const { from, to } = this.range();
    const n = Math.max(1, Math.floor(buckets));
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / n));
    const lines = new Array<number>(n).fill(0);
    const errors = new Array<number>(n).fill(0);
    if (!Number.isFinite(from)) return { from: 0, to: 0, bucketMs, lines, errors };
    const time = store.time.data;
    const level = store.level.data;
    const ERR = levelIndex('ERROR');
    const add = (i: number) => {
      const t = time[i]!;
      if (!Number.isFinite(t)) return;
      const b = Math.min(n - 1, Math.floor((t - from) / bucketMs));
      lines[b]!++;
      const l = level[i]!;
      if (l === ERR || l === ERR + 1) errors[b]!++;
    };
    if (q === null || q.trim() === '') for (let i = 0; i < store.count; i++) add(i);
    else forEachBit(this.evaluate(q, signal), add);
    return { from, to, bucketMs, lines, errors };
  }

  facets(bits: Bits): Facets {
    return countFacets(this.store, (visit) => forEachBit(bits, visit));
  }

  private range(): { from: number; to: number } {
    if (!this.timeRange) {
      let from = Infinity, to = -Infinity;
      const t = this.store.time.data;
      for (let i = 0; i < this.store.count; i++) {
        const v = t[i]!;
        if (v < from) from = v;
        if (v > to) to = v;
      }
      this.timeRange = { from, to };
    }
    return this.timeRange;
  }

  // ---- evaluation ----

  private eval(q: Query, within: Bits | null): Bits {
    this.checkCancel();
    const n = this.store.count;
    switch (q.kind) {
      case 'all':
        return within ? within.slice() : allBits(n);
      case 'and': {
        let cur = within;
        const costOf = (x: Query) => (this.termCache.has(termKey(x)) ? -1 : cost(x));
        for (const item of [...q.items].sort((a, b) => costOf(a) - costOf(b))) {
          cur = this.eval(item, cur);
          if (count(cur) === 0) break;
        }
        return cur ?? allBits(n);
      }
      case 'or': {
        const out = newBits(n);
        for (const item of q.items) orInto(out, this.eval(item, within));
        return out;
      }
      case 'not': {
        const base = within ? within.slice() : allBits(n);
        return andNotInto(base, this.eval(q.item, within));
      }
      case 'field':
        return this.field(q, within);
      default:
        return this.cached(termKey(q), within, (w) => this.scanText(this.textTerm(q), w));
    }
  }

  /**
   * A text term's lines. A line's node is written in its head between spaces, so a word or quoted
   * text that the node's own text holds matches every line of that node: those lines come from
   * the node column, and the scan skips them (on 1 GB, the node address `10.44.99.2` heads a fifth
   * of all lines, which were all scanned before).
   */
  private scanText(term: TextTerm, within: Bits | null): Bits {
    // a one-atom word is answered from postings where frequent, else its own scan is as cheap
    // as the column pass (measured: `lon` 22 → 40 ms on 1 GB with it)
    const nodes = term.checkAt && !term.top ? this.nodesHolding(term.checkAt) : null;
    if (!nodes) return this.scan(term, within);
    const col = this.store.node.data;
    const byNode = this.columnTest(within, (i) => nodes[col[i]!] === 1);
    const rest = andNotInto(within ? within.slice() : allBits(this.store.count), byNode);
    return orInto(this.scan(term, rest), byNode);
  }

  /** Node ids whose head text (` node`, as the line has it) the term matches; null when none does. */
  private nodesHolding(checkAt: NonNullable<TextTerm['checkAt']>): Uint8Array | null {
    const values = this.store.nodes.values;
    const hit = new Uint8Array(values.length);
    let any = false;
    values.forEach((v, id) => {
      if (!v) return; // id 0: no node parsed
      const head = Buffer.from(` ${v}`, 'latin1');
      for (let s = 0; s < head.length && !hit[id]; s++) if (checkAt(head, s, 0, head.length)) hit[id] = 1;
      any ||= hit[id] === 1;
    });
    return any ? hit : null;
  }

  /** A scanning term's lines within `within`: from termCache, or computed (and stored when whole). */
  private cached(key: string, within: Bits | null, compute: (within: Bits | null) => Bits): Bits {
    const hit = this.termCache.get(key);
    if (hit) {
      this.termCacheHits++;
      this.termCache.delete(key); // most recently used last
      this.termCache.set(key, hit);
      return within ? andInto(within.slice(), hit) : hit.slice();
    }
    const bits = compute(within);
    if (within || this.opts.reuseTerms === false) return bits;
    this.termCache.set(key, bits.slice());
    this.termCacheBytes += bits.byteLength;
    for (const [k, b] of this.termCache) {
      if (this.termCache.size <= TERM_CACHE_ENTRIES && this.termCacheBytes <= TERM_CACHE_BYTES) break;
      this.termCache.delete(k);
      this.termCacheBytes -= b.byteLength;
    }
    return bits;
  }

  private field(q: Extract<Query, { kind: 'field' }>, within: Bits | null): Bits {
    const store = this.store;
    const values = fieldValues(q.value);
    const fail = (m: string) => new QueryError(m, q.pos);
    switch (q.key) {
      case 'level': {
        const want = levelsWanted(values, fail);
        const col = store.level.data;
        return this.columnTest(within, (i) => want[col[i]!] === 1);
      }
      case 'name':
      case 'node': {
        const interner = q.key === 'name' ? store.names : store.nodes;
        const want = matchInterned(interner.values, values);
        const col = q.key === 'name' ? store.name.data : store.node.data;
        return this.columnTest(within, (i) => want[col[i]!] === 1);
      }
      case 'from':
      case 'to': {
        // a time of day alone: its first occurrence in the bundle
        const t = userTime(q.value, fail, QUERY_TIME, store.timeSpan().from);
        const col = store.time.data;
        return q.key === 'from' ? this.columnTest(within, (i) => col[i]! >= t) : this.columnTest(within, (i) => col[i]! <= t);
      }
      case 'call':
        if (!this.correlation) return this.scan(this.textTerm({ kind: 'phrase', text: q.value, pos: q.pos }), within);
        return this.setLines(newBits(store.count), this.correlation.callLines(q.value) ?? [], within);
      case 'conference': {
        // the lines naming it in a Conference… key, and every line of its calls
        const byKey = this.cached(`conference keys ${termKey(q)}`, within, (w) => this.scan(this.keyTerm(q), w));
        return this.correlation ? this.setLines(byKey, this.correlation.conferenceLines(globTest(q.value)), within) : byKey;
      }
      default:
        return this.cached(termKey(q), within, (w) => this.scan(this.keyTerm(q), w));
    }
  }

  /** Sets store lines in `out` (those within `within`); returns `out`. */
  private setLines(out: Bits, lines: number[], within: Bits | null): Bits {
    for (const i of lines) if (i >= 0 && i < this.store.count && (!within || hasBit(within, i))) setBit(out, i);
    return out;
  }

  private columnTest(within: Bits | null, test: (i: number) => boolean): Bits {
    const out = newBits(this.store.count);
    if (within) forEachBit(within, (i) => test(i) && setBit(out, i));
    else for (let i = 0; i < this.store.count; i++) if (test(i)) setBit(out, i);
    return out;
  }

  /** Byte frequencies of this bundle (for picking anchors), sampled once. */
  private freq(): ByteFreq {
    return (this.byteFreq ??= sampleFrequencies(this.store.chunks));
  }

  /** Compiles a word, phrase or regex. */
  private textTerm(q: Query): TextTerm {
    if (q.kind === 'word' || q.kind === 'phrase') {
      const bytes = enc.encode(q.text);
      const word = q.kind === 'word';
      const boundStart = word && !q.openStart && isWordAt(bytes, 0);
      const boundEnd = word && !q.openEnd && isWordAt(bytes, bytes.length - 1);
      const src = `${boundStart ? WORD_START : ''}${byteSource(bytes)}${boundEnd ? `(?![${WORD_CLASS}])` : ''}`;
      const needle = lowerBytes(bytes);
      const n = needle.length;
      const L = LOWER;
      const terms = indexTerms(bytes, boundStart, boundEnd);
      // the word is one whole atom: it has boundaries at both ends, and its only whole atom spans it
      const single = boundStart && boundEnd && terms.whole.length === 1 && terms.whole[0]!.lowered.length === n;
      return {
        top: single ? { key: terms.whole[0]!.key, lowered: needle } : undefined,
        ...terms,
        finder: new RegExp(src, 'g'),
        exact: true,
        nonAsciiByLine: false,
        anchor: pickAnchor(bytes, true, this.freq()) ?? undefined,
        checkAt: (b, s, ls, le) => {
          if (s < ls || s + n > le) return false;
          for (let k = 0; k < n; k++) if (L[b[s + k]!] !== needle[k]) return false;
          // at a word start: not after a word byte, nor on the M of a ^M
          if (boundStart && (!isWordAt(b, s, ls) || (s > ls && isWordAt(b, s - 1, ls)))) return false;
          if (boundEnd && s + n < le && isWordAt(b, s + n, ls)) return false;
          return true;
        },
      };
    }
    if (q.kind === 'regex') {
      // the same matches, in a form whose runaway backtracking V8 cuts short (linear-regex.ts)
      const safe = linearRegex(q.source, q.flags);
      const re = new RegExp(safe.source, safe.flags);
      // a regex can take milliseconds a line (linear-regex.ts): asked to stop between lines too
      let tested = 0;
      // anchors at line ends and lookarounds see a different context in a block than in a line
      const perLine = /\$|\(\?[=!<]/.test(q.source);
      const finder = perLine ? null : new RegExp(safe.source, `${safe.flags.replace('m', '')}gm`);
      const store = this.store;
      // a literal every match contains: found with indexOf, then only its lines run the regex
      const lit = regexLiteral(q.source, q.flags);
      const litBytes = lit ? enc.encode(lit.text) : null;
      const anchor = lit && litBytes ? pickAnchor(litBytes, lit.caseless, this.freq(), false) : null;
      if (anchor && litBytes) {
        return {
          ...indexTerms(litBytes, false, false),
          finder,
          exact: false,
          nonAsciiByLine: false,
          anchor,
          checkLine: (i) => {
            if ((++tested & 63) === 0) this.checkCancel();
            re.lastIndex = 0;
            return re.test(store.text(i));
          },
        };
      }
      return {
        keys: new Int32Array(0),
        finder,
        exact: false,
        nonAsciiByLine: true,
        verify: (i, ascii) => {
          if ((++tested & 63) === 0) this.checkCancel();
          re.lastIndex = 0;
          return re.test(ascii ?? store.text(i));
        },
      };
    }
    throw new Error(`internal: not a text term: ${q.kind}`);
  }

  /** `key:value` over the parsed pairs of candidate lines; `conference:` looks at every Conference* key. */
  private keyTerm(q: Extract<Query, { kind: 'field' }>): TextTerm {
    const conference = q.key === 'conference';
    const keyOk = keyTest(q.key);
    const valueOk = globTest(q.value);
    // values are compared as decoded text, where U+FFFD stands for any invalid bytes: for the
    // index keys and the raw-line literal, it cuts the value like a `*`
    const parts = q.value.split(/[*\ufffd]/);
    const keys: number[] = [];
    // the whole atoms of the key (and of the value's ends) are in every matching line: where they
    // are frequent tokens, their postings name the lines to parse (`uuid`, `participant`, `id`)
    const whole: WholeAtom[] = [];
    const add = (b: Uint8Array, first: boolean, last: boolean) => {
      const t = indexTerms(b, first, last);
      keys.push(...t.keys);
      whole.push(...t.whole);
    };
    parts.forEach((part, k) => {
      if (part) add(enc.encode(part), k === 0, k === parts.length - 1);
    });
    if (!conference) add(enc.encode(q.key), true, true);
    const keyBytes = enc.encode(q.key);
    // the raw value begins with the value's first literal too (up to a `*`; none if it is escaped there)
    const prefix = /["\\]/.test(parts[0]!) ? '' : parts[0]!;
    const opening = enc.encode(`="${prefix}`);
    const finder = new RegExp(`(?<![${KEY_CLASS}])${byteSource(keyBytes)}${conference ? `[${KEY_CLASS}]*` : ''}${byteSource(opening)}`, 'g');
    // the longest literal of the value must be in the raw line (quotes and backslashes are escaped there)
    const literal = parts.filter((p) => !/["\\]/.test(p)).sort((a, b) => b.length - a.length)[0] ?? '';
    const literalRe = literal.length >= 2 ? new RegExp(byteSource(enc.encode(literal))) : null;
    const store = this.store;
    const verify = (i: number, ascii: string | null): boolean => {
      if (literalRe && !literalRe.test(ascii ?? store.content(i).toString('latin1'))) return false;
      // an ASCII line's latin1 text is its text
      return hasPair(ascii ?? store.text(i), keyOk, valueOk);
    };
    const term: TextTerm = { keys: Int32Array.from(new Set(keys)), finder, exact: false, nonAsciiByLine: false, verify, whole };
    if (!prefix) return term;
    // `key="prefix` found with indexOf instead of decoding the blocks for the finder, the anchor
    // taken in `="prefix` (in the key, its letters cost case variants and hit its words in every
    // payload: measured slower); without a prefix no window is rare enough. At a hit, the key is
    // the run of key bytes before `="`: one key, or for `conference:` any Conference* key.
    const lowered = lowerBytes(opening);
    const n = lowered.length;
    const anchor = pickAnchor(opening, true, this.freq());
    if (!anchor) return term;
    let tested = 0;
    return {
      ...term,
      anchor,
      checkAt: (b, s, ls, le) => {
        if (s < ls || s + n > le) return false;
        for (let k = 0; k < n; k++) if (LOWER[b[s + k]!] !== lowered[k]) return false;
        let ks = s;
        while (ks > ls && isKeyByte(b[ks - 1]!)) ks--;
        return keyOk(String.fromCharCode(...b.subarray(ks, s)));
      },
      checkLine: (i) => {
        if ((++tested & 1023) === 0) this.checkCancel();
        // the hit was `="prefix`: when the prefix is the longest literal, the line holds it
        return literal === prefix ? hasPair(store.text(i), keyOk, valueOk) : verify(i, null);
      },
    };
  }

  /** Lines of chunk c holding bytes ≥ 0x80 (from the index, else computed once), null if none. */
  private nonAscii(c: number): Uint8Array | null {
    const seg = this.segs[c];
    if (seg) return seg.nonAscii;
    if (!this.nonAsciiCache.has(c)) {
      const chunk = this.store.chunks[c]!;
      let bits: Uint8Array | null = null;
      if (!isAscii(chunk)) {
        const f = this.first[c]!, t = this.first[c + 1]!;
        bits = new Uint8Array((t - f + 8) >>> 3);
        for (let i = f; i < t; i++) if (!isAscii(this.store.content(i))) bits[(i - f) >>> 3]! |= 1 << ((i - f) & 7);
      }
      this.nonAsciiCache.set(c, bits);
    }
    return this.nonAsciiCache.get(c)!;
  }

  private scan(term: TextTerm, within: Bits | null): Bits {
    const store = this.store;
    const out = newBits(store.count);
    for (let c = 0; c < store.chunks.length; c++) {
      this.checkCancel();
      const L0 = this.first[c]!, L1 = this.first[c + 1]!;
      if (L0 === L1 || (within && !anyInRange(within, L0, L1))) continue;
      const seg = this.segs[c];
      const top = seg && term.top ? findTop(seg, term.top.key, term.top.lowered) : -1;
      if (top >= 0) this.fromPostings(seg!, top, L0, within, out);
      else if (seg && term.keys.length > 0) {
        const keys = bloomKeys(seg, term.keys);
        const cand = term.whole?.length ? candidateLines(seg, term.whole) : null;
        if (cand) {
          this.scanCandidates(term, c, seg, cand, keys, within, out);
          continue;
        }
        // runs of adjacent candidate blocks are scanned in one go
        let runF = -1, runT = -1, runBf = 0, runBt = 0;
        const flush = () => {
          if (runF >= 0) this.scanRange(term, c, runF, runT, runBf, runBt, within, out);
          runF = -1;
        };
        for (let b = 0; b + 1 < seg.blockLine.length; b++) {
          const f = L0 + seg.blockLine[b]!, t = L0 + seg.blockLine[b + 1]!;
          if ((within && !anyInRange(within, f, t)) || !mayHoldAll(seg, b, keys)) {
            flush();
            continue;
          }
          if (runF < 0) {
            runF = f;
            runBf = seg.blockByte[b]!;
          }
          runT = t;
          runBt = seg.blockByte[b + 1]!;
          if (!term.anchor) flush(); // the regex path decodes; keep its pieces block-sized
        }
        flush();
      } else if (term.anchor && !(within && countRange(within, L0, L1) * 16 < L1 - L0)) {
        this.anchorScan(term, c, L0, L1, 0, store.chunks[c]!.length, within, out);
      } else if (within && countRange(within, L0, L1) * 16 < L1 - L0) {
        // few lines left: test them one by one
        forEachBit(within.subarray(L0 >>> 5, (L1 + 31) >>> 5), (k) => {
          const i = (L0 & ~31) + k;
          if (i >= L0 && i < L1 && hasBit(within, i)) this.scanRange(term, c, i, i + 1, store.start.data[i]!, store.end.data[i]!, null, out);
        });
      } else {
        // pieces of ~256 KB at line boundaries: short strings decode several times faster than 16 MB ones
        const start = store.start.data;
        const size = store.chunks[c]!.length;
        let f = L0;
        while (f < L1) {
          let t = f + 1;
          const limit = start[f]! + PIECE_BYTES;
          while (t < L1 && start[t]! < limit) t++;
          if (!within || anyInRange(within, f, t)) this.scanRange(term, c, f, t, start[f]!, t < L1 ? start[t]! : size, within, out);
          f = t;
        }
      }
    }
    return out;
  }

  /**
   * Scans the candidate lines of chunk c (a bitset over its lines, from the postings) in the
   * blocks whose filters may hold the other keys: the whole block where most of its lines are
   * candidates (one indexOf run over it), else each candidate line on its own (measured on 1 GB:
   * a search that runs on past a line to the next hit scans more than the lines themselves).
   */
  private scanCandidates(term: TextTerm, c: number, seg: SegmentData, cand: Uint32Array, keys: Int32Array, within: Bits | null, out: Bits): void {
    const L0 = this.first[c]!;
    const start = this.store.start.data, end = this.store.end.data;
    for (let b = 0; b + 1 < seg.blockLine.length; b++) {
      const l0 = seg.blockLine[b]!, l1 = seg.blockLine[b + 1]!;
      const n = countRange(cand, l0, l1);
      if (n === 0 || (within && !anyInRange(within, L0 + l0, L0 + l1)) || !mayHoldAll(seg, b, keys)) continue;
      if (n * 2 > l1 - l0) {
        this.scanRange(term, c, L0 + l0, L0 + l1, seg.blockByte[b]!, seg.blockByte[b + 1]!, within, out);
        continue;
      }
      for (let l = l0; l < l1; l++) {
        const i = L0 + l;
        if (hasBit(cand, l) && (!within || hasBit(within, i))) this.scanRange(term, c, i, i + 1, start[i]!, end[i]!, null, out);
      }
    }
  }

  /** Sets the lines of frequent token t of a segment (store lines from L0), within `within`. */
  private fromPostings(seg: SegmentData, t: number, L0: number, within: Bits | null, out: Bits): void {
    eachPostingLine(seg, t, (l) => {
      if (!within || hasBit(within, L0 + l)) setBit(out, L0 + l);
    });
  }

  /**
   * Finds the term's anchor in bytes [bf, bt) of chunk c (store lines [f, t)) with Buffer.indexOf
   * and checks each hit; a line is left at its first match (or at once when it cannot count).
   */
  private anchorScan(term: TextTerm, c: number, f: number, t: number, bf: number, bt: number, within: Bits | null, out: Bits): void {
    const store = this.store;
    const chunk = store.chunks[c]!;
    const start = store.start.data, end = store.end.data;
    const hay = bf === 0 && bt === chunk.length ? chunk : chunk.subarray(bf, bt);
    const { variants, offset } = term.anchor!;
    const checkAt = term.checkAt, checkLine = term.checkLine;
    for (const v of variants) {
      let lo = f;
      let p = hay.indexOf(v);
      while (p >= 0) {
        const pos = bf + p;
        // the line holding pos: hits come in ascending order, so search from the last line found
        let hi = t - 1;
        if (lo + 1 < t && start[lo + 1]! <= pos) {
          let a = lo + 1;
          while (a < hi) {
            const mid = (a + hi + 1) >>> 1;
            if (start[mid]! <= pos) a = mid;
            else hi = mid - 1;
          }
          lo = a;
        }
        const l = lo;
        let next: number;
        if (hasBit(out, l) || (within && !hasBit(within, l))) next = end[l]! + 1;
        // a hit checkAt refuses is passed over; one it takes (or any, without it) settles the
        // line, by checkLine when the term has one
        else if (checkAt && !checkAt(chunk, pos - offset, start[l]!, end[l]!)) next = pos + 1;
        else {
          if (!checkLine || (pos + v.length <= end[l]! && checkLine(l))) setBit(out, l);
          next = end[l]! + 1;
        }
        if (next <= pos) next = pos + 1; // a hit in a line break (a needle holding \n): move on
        if (next >= bt) break;
        p = hay.indexOf(v, next - bf);
      }
    }
  }

  /** Scans store lines [f, t) of chunk c, whose bytes are [bf, bt) of the chunk. */
  private scanRange(term: TextTerm, c: number, f: number, t: number, bf: number, bt: number, within: Bits | null, out: Bits): void {
    this.checkCancel();
    if (term.anchor) return this.anchorScan(term, c, f, t, bf, bt, within, out);
    const store = this.store;
    const chunk = store.chunks[c]!;
    const start = store.start.data, end = store.end.data;
    const L0 = this.first[c]!;
    // lines with bytes ≥ 0x80: left to the end for nonAsciiByLine, else verified without latin1 text
    const na = term.nonAsciiByLine || !term.exact ? this.nonAscii(c) : null;
    const isNa = (i: number) => na !== null && (na[(i - L0) >>> 3]! & (1 << ((i - L0) & 7))) !== 0;
    const text = chunk.toString('latin1', bf, bt);
    const lineText = (i: number) => text.slice(start[i]! - bf, end[i]! - bf);
    const finder = term.finder;
    if (!finder) {
      for (let i = f; i < t; i++) {
        if (within && !hasBit(within, i)) continue;
        if (term.verify!(i, isNa(i) ? null : lineText(i))) setBit(out, i);
      }
      return;
    }
    finder.lastIndex = 0;
    let l = f;
    for (;;) {
      const m = finder.exec(text);
      if (!m) break;
      const pos = bf + m.index;
      while (l + 1 < t && start[l + 1]! <= pos) l++;
      if ((!within || hasBit(within, l)) && !(term.nonAsciiByLine && isNa(l))) {
        if (term.exact) {
          // a hit in the line break of a \r\n line belongs to no line text (only regexes can do that)
          if (pos < end[l]! || m[0].length === 0) setBit(out, l);
        } else if (term.verify!(l, isNa(l) ? null : lineText(l))) setBit(out, l);
      }
      if (l + 1 >= t) break;
      finder.lastIndex = start[l + 1]! - bf;
    }
    if (na && term.nonAsciiByLine) {
      for (let i = f; i < t; i++) if (isNa(i) && (!within || hasBit(within, i)) && term.verify!(i, null)) setBit(out, i);
    }
  }
}

/** The heads of the view firstMatches looks in, as shares of the view (1/64, then 1/16). */
const HEAD_SHARES = [64, 16];

/** Term results kept by a Searcher at most: entries, and bytes (a bitset is lines / 8 bytes). */
const TERM_CACHE_ENTRIES = 16;
const TERM_CACHE_BYTES = 64 << 20;

/** What identifies a term's result: the term without its place in the query text. */
function termKey(q: Query): string {
  return JSON.stringify({ ...q, pos: undefined });
}

/** Rough evaluation cost, so AND runs cheap terms first and hands fewer lines to costly ones. */
function cost(q: Query): number {
  switch (q.kind) {
    case 'all':
      return 0;
    case 'field':
      return ['level', 'name', 'node', 'from', 'to', 'call'].includes(q.key) ? 1 : 4;
    case 'word':
    case 'phrase':
      return 3;
    case 'regex':
      return 5;
    case 'not':
      return cost(q.item) + 1;
    case 'and':
      return Math.min(...q.items.map(cost));
    case 'or':
      return Math.max(...q.items.map(cost));
  }
}
