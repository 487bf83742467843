/**
 * The most frequent `Message` values of a set of lines: what the explorer's "Top messages" shows
 * for a search (level:ERROR → which errors, how often). Read from the raw bytes: the pair
 * ` Message="…"` among the line's first pairs (the log writes Level, Name, then Message), its
 * value up to the unescaped closing quote; a line without one is counted apart.
 */
import type { MessageCounts } from '../../api.js';
import type { LineStore } from './line-store.js';
import { closingQuote, unescapeValue } from './fields.js';

const NEEDLE = Buffer.from(' Message="');
/** Bytes of a line searched for the pair: it comes after the head, Level and Name. */
const LOOK = 512;

/**
 * Value bytes [start, end) of the line's Message pair and whether it holds an escaped quote (then,
 * as parseFields does, its `\"` and `\\` are unescaped), or null.
 */
function messageRange(b: Buffer, s: number, e: number): [number, number, boolean] | null {
  const n = NEEDLE.length;
  const last = Math.min(e, s + LOOK) - n;
  for (let p = s; p <= last; p++) {
    if (b[p + 1] !== 77 /* M */ || b[p] !== 32) continue;
    let k = 2;
    while (k < n && b[p + k] === NEEDLE[k]) k++;
    if (k < n) continue;
    const vs = p + n;
    const { end: ve, escaped } = closingQuote(b, vs, e);
    return ve < e ? [vs, ve, escaped] : null; // null: not closed on its line
  }
  return null;
}

/**
 * Counts the messages of the store lines `each` visits; `top` most frequent first (equal counts
 * alphabetically). `aborted` is asked every 65 536 lines: true stops with an error.
 */
export function countMessages(store: LineStore, each: (visit: (storeIndex: number) => void) => void, top: number, aborted: () => boolean = () => false): MessageCounts {
  const counts = new Map<string, number>();
  let lines = 0;
  let without = 0;
  const chunkOf = store.chunk.data, start = store.start.data, end = store.end.data;
  each((i) => {
    if ((++lines & 0xffff) === 0 && aborted()) throw new Error('cancelled');
    const b = store.chunks[chunkOf[i]!]!;
    const r = messageRange(b, start[i]!, end[i]!);
    if (!r) {
      without++;
      return;
    }
    let v = b.toString('utf8', r[0], r[1]);
    if (r[2]) v = unescapeValue(v);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  });
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { lines, without, distinct: counts.size, top: sorted.slice(0, top) };
}
