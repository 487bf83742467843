/**
 * The most frequent `Message` values of a set of lines: what the explorer's "Top messages" shows
 * for a search (level:ERROR → which errors, how often). Read from the raw bytes: the pair
 * ` Message="…"` among the line's first pairs (the log writes Level, Name, then Message), its
 * value up to the unescaped closing quote; a line without one is counted apart.
 */
import type { MessageCounts } from '../../api.js';
import type { LineStore } from './line-store.js';
import { closingQuote, levelAt, startsWithBytes, unescapeValue } from './fields.js';
import { formatTime } from './time.js';

const NEEDLE = Buffer.from(' Message="');
/** Bytes of a line searched for the pair: it comes after the head, Level and Name. */
const LOOK = 512;

const NAME = Buffer.from('" Name="');

/**
 * Value bytes [start, end) of the line's Message pair and whether it holds an escaped quote (then,
 * as parseFields does, its `\"` and `\\` are unescaped), or null. Looked for first where the layout
 * puts it, right after `Level="…" Name="…"`, then in the line's first bytes.
 */
export function messageRange(b: Buffer, s: number, e: number): [number, number, boolean] | null {
  const n = NEEDLE.length;
  const level = levelAt(b, s, e);
  if (level >= 0) {
    // the end of the level's value, then the name's: the pair follows
    let q = level + 8;
    while (q < level + 16 && b[q] !== 34) q++;
    if (startsWithBytes(b, q, e, NAME)) {
      let k = q + NAME.length;
      const lim = Math.min(e, k + 64);
      while (k < lim && b[k] !== 34) k++;
      if (startsWithBytes(b, k + 1, e, NEEDLE)) return valueRange(b, k + 1 + n, e);
    }
  }
  const last = Math.min(e, s + LOOK) - n;
  for (let p = s; p <= last; p++) {
    if (b[p + 1] !== 77 /* M */ || b[p] !== 32) continue;
    let k = 2;
    while (k < n && b[p + k] === NEEDLE[k]) k++;
    if (k < n) continue;
    return valueRange(b, p + n, e);
  }
  return null;
}

function valueRange(b: Buffer, vs: number, e: number): [number, number, boolean] | null {
  const { end: ve, escaped } = closingQuote(b, vs, e);
  return ve < e ? [vs, ve, escaped] : null; // null: not closed on its line
}

/** One distinct value's bytes (where first seen) and count; values whose hashes collide are chained. */
interface Slot {
  buf: Buffer;
  start: number;
  end: number;
  escaped: boolean;
  count: number;
  /** Its lines' earliest and latest syslog time (ms; Infinity / −Infinity while none has one). */
  from: number;
  to: number;
  next: Slot | null;
}

function sameBytes(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

/**
 * Counts the messages of the store lines `each` visits; `top` most frequent first (equal counts
 * alphabetically). `aborted` is asked every 65 536 lines: true stops with an error.
 * Counted by their bytes (a hash and a compare, no string per line: half the time on 1 GB,
 * docs/benchmarks.md), then merged by their text, which two spellings can share (`a\\b` and a
 * lone `a\b` both read `a\b`).
 */
export function countMessages(store: LineStore, each: (visit: (storeIndex: number) => void) => void, top: number, aborted: () => boolean = () => false): MessageCounts {
  const slots = new Map<number, Slot>();
  let lines = 0;
  let without = 0;
  const chunkOf = store.chunk.data, start = store.start.data, end = store.end.data, time = store.time.data;
  each((i) => {
    if ((++lines & 0xffff) === 0 && aborted()) throw new Error('cancelled');
    const b = store.chunks[chunkOf[i]!]!;
    const r = messageRange(b, start[i]!, end[i]!);
    if (!r) {
      without++;
      return;
    }
    const [vs, ve, escaped] = r;
    let h = 0x811c9dc5; // FNV-1a
    for (let p = vs; p < ve; p++) h = Math.imul(h ^ b[p]!, 0x01000193);
    const t = time[i]!;
    const first = slots.get(h);
    for (let s: Slot | null = first ?? null; s; s = s.next)
      if (sameBytes(s.buf, s.start, s.end, b, vs, ve)) {
        s.count++;
        // (NaN, a line with no time, moves neither)
        if (t < s.from) s.from = t;
        if (t > s.to) s.to = t;
        return;
      }
    const known = t === t;
    slots.set(h, { buf: b, start: vs, end: ve, escaped, count: 1, from: known ? t : Infinity, to: known ? t : -Infinity, next: first ?? null });
  });
  const counts = new Map<string, { n: number; from: number; to: number }>();
  for (const chain of slots.values())
    for (let s: Slot | null = chain; s; s = s.next) {
      let v = s.buf.toString('utf8', s.start, s.end);
      if (s.escaped) v = unescapeValue(v);
      const c = counts.get(v);
      if (c) (c.n += s.count), (c.from = Math.min(c.from, s.from)), (c.to = Math.max(c.to, s.to));
      else counts.set(v, { n: s.count, from: s.from, to: s.to });
    }
  const sorted = [...counts].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, top);
  const at = (ms: number) => (Number.isFinite(ms) ? formatTime(ms) : null);
  return {
    lines,
    without,
    distinct: counts.size,
    top: sorted.map(([v, c]) => [v, c.n]),
    spans: sorted.map(([, c]) => ({ first: at(c.from), last: at(c.to) })),
  };
}
