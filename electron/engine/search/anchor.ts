/**
 * Anchors: a short byte string that every match of a text term must contain, found with
 * `Buffer.indexOf` (native, 2–15 GB/s here) instead of decoding every line to a string and running
 * a regex over it (~0.3 GB/s). Only lines holding the anchor are then checked exactly.
 *
 * Case-insensitive anchors are searched once per ASCII case variant, so the anchor is the window
 * of the needle that is cheapest by a small cost model: few letters (2^letters variants), long
 * (Boyer–Moore-Horspool skips further), and rare bytes (fewer hits to verify; byte frequencies
 * are sampled from the bundle itself).
 */
import { LOWER } from './tokens.js';

export interface Anchor {
  /** Every case variant to look for (one when the anchor has no letters or case matters). */
  variants: Buffer[];
  /** Offset of the anchor in the needle (for literal needles; 0 for regex literals). */
  offset: number;
}

/**
 * Case-folded byte frequencies sampled from the bundle: of each byte (fractions of all bytes), and
 * of each byte after each byte. Pairs matter in this log: `=` and `"` are each a few percent of the
 * bytes, but `="` is in every pair of every line, 25× more often than the two alone would say.
 */
export interface ByteFreq {
  one: Float64Array;
  /** next[a * 256 + b]: the chance that byte b follows byte a. */
  next: Float64Array;
}

/**
 * Byte frequencies over up to `limit` bytes: all of a small bundle, else windows spread evenly
 * over the chunks (one stretch could be a single huge line, an SDP of hundreds of KB).
 */
export function sampleFrequencies(chunks: readonly Uint8Array[], limit = 2 << 20): ByteFreq {
  const counts = new Float64Array(256);
  const pairs = new Float64Array(65536);
  let total = 0;
  const add = (b: Uint8Array, from: number, to: number) => {
    let prev = -1;
    for (let i = from; i < to; i++) {
      const x = LOWER[b[i]!]!;
      counts[x]!++;
      if (prev >= 0) pairs[(prev << 8) | x]!++;
      prev = x;
    }
    total += to - from;
  };
  const size = chunks.reduce((n, b) => n + b.length, 0);
  if (size <= limit) for (const b of chunks) add(b, 0, b.length);
  else {
    // window k starts at k/windows of the bundle's bytes, in the chunk that holds that byte
    const WINDOW = 64 << 10;
    const windows = Math.floor(limit / WINDOW);
    let c = 0;
    let before = 0;
    for (let k = 0; k < windows; k++) {
      const at = Math.floor((k * size) / windows);
      while (before + chunks[c]!.length <= at) before += chunks[c++]!.length;
      const b = chunks[c]!;
      add(b, at - before, Math.min(b.length, at - before + WINDOW));
    }
  }
  const one = new Float64Array(256);
  for (let k = 0; k < 256; k++) one[k] = (counts[k]! + 0.5) / (total + 128);
  const next = new Float64Array(65536);
  for (let a = 0; a < 256; a++) for (let x = 0; x < 256; x++) next[(a << 8) | x] = (pairs[(a << 8) | x]! + one[x]!) / (counts[a]! + 1);
  return { one, next };
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Most variants worth searching one after another (3 letters); more costs more than a decode. */
const MAX_VARIANTS = 8;

/**
 * Picks the anchor window of `needle`: minimizes variants × per-pass cost + expected hits × verify cost.
 * `caseless`: ASCII letters match either case. `pairs`: estimate hits from byte pairs (words, quoted
 * text, log keys: a refused hit costs a compare, and `="` must not look rare); without, from single
 * bytes (a regex's literal: each hit's line runs the regex, and the weights below were measured
 * that way; with pairs `/bye/i` went to `b` and took 2.6× as long). Null when the needle is empty.
 */
export function pickAnchor(needle: Uint8Array, caseless: boolean, freq: ByteFreq | null, pairs = true): Anchor | null {
  const n = needle.length;
  if (n === 0) return null;
  let best: { s: number; len: number; cost: number } | null = null;
  const maxLen = Math.min(n, 32);
  for (let s = 0; s < n; s++) {
    let letters = 0;
    let pHit = 1;
    for (let len = 1; len <= maxLen && s + len <= n; len++) {
      const c = needle[s + len - 1]!;
      if (caseless && isLetter(c)) letters++;
      const variants = 1 << letters;
      if (variants > MAX_VARIANTS) break;
      // the chance of the window at a byte: its first byte, then each byte after the one before
      pHit *= !freq ? 1 / 16 : len === 1 || !pairs ? freq.one[LOWER[c]!]! : freq.next[(LOWER[needle[s + len - 2]!]! << 8) | LOWER[c]!]!;
      // relative units: one pass over the bytes ~ 0.3 + 1/len; a hit (line lookup + compare) ~ 300 bytes scanned
      const cost = variants * (0.3 + 1 / Math.min(len, 8)) + pHit * 300;
      if (!best || cost < best.cost - 1e-9) best = { s, len, cost };
    }
  }
  if (!best) return null;
  const window = needle.subarray(best.s, best.s + best.len);
  return { variants: caseVariants(window, caseless), offset: best.s };
}

/** All ASCII case variants of bytes (just the bytes when case matters). */
export function caseVariants(bytes: Uint8Array, caseless: boolean): Buffer[] {
  let out: Buffer[] = [Buffer.from(bytes)];
  if (!caseless) return out;
  for (let k = 0; k < bytes.length; k++) {
    const c = bytes[k]!;
    if (!isLetter(c)) continue;
    const next: Buffer[] = [];
    for (const v of out) {
      const lo = Buffer.from(v);
      lo[k] = c | 0x20;
      const up = Buffer.from(v);
      up[k] = c & ~0x20;
      next.push(lo, up);
    }
    out = next;
  }
  return out;
}

/**
 * The longest run of literal ASCII characters that every match of the regex contains, or null.
 * Conservative: any construct it does not understand ends the current run (an anchor only has to
 * be *necessary*; the regex itself decides). A top-level `|` means no anchor at all.
 */
export function regexLiteral(source: string, flags: string): { text: string; caseless: boolean } | null {
  const caseless = flags.includes('i');
  // with i and u/v, U+212A (Kelvin) matches k and U+017F (long s) matches s: those are no anchor
  const unicodeFold = caseless && (flags.includes('u') || flags.includes('v'));
  const runs: string[] = [];
  let cur = '';
  const end = () => {
    if (cur) runs.push(cur);
    cur = '';
  };
  let i = 0;
  const n = source.length;
  // classes nest only in v mode: `[[]` is a class holding `[` otherwise
  const nests = flags.includes('v');
  /** Index after the group or class starting at j (nested, escapes skipped); -1 when unbalanced. */
  const skipGroup = (j: number): number => {
    let depth = 0;
    let inClass = 0;
    for (; j < n; j++) {
      const c = source[j]!;
      if (c === '\\') {
        j++;
        continue;
      }
      if (inClass) {
        if (c === '[' && nests) inClass++;
        else if (c === ']') inClass--;
        if (inClass === 0 && depth === 0) return j + 1;
        continue;
      }
      if (c === '[') inClass = 1;
      else if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) return j + 1;
      } else if (c === '|' && depth === 0) return -1;
    }
    return -1;
  };
  // a top-level alternation: no single literal is required
  for (let j = 0; j < n; ) {
    const c = source[j]!;
    if (c === '\\') j += 2;
    else if (c === '[' || c === '(') {
      const k = skipGroup(j);
      if (k < 0) break;
      j = k;
    } else if (c === '|') return null;
    else j++;
  }
  while (i < n) {
    const c = source[i]!;
    let atom: string | null = null;
    let next = i + 1;
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) return null;
      next = i + 2;
      if (/[^0-9A-Za-z]/.test(e) && e.charCodeAt(0) < 128) atom = e;
      else if (e === 'x') next = i + 4;
      else if (e === 'u') next = source[i + 2] === '{' ? source.indexOf('}', i) + 1 : i + 6;
      else if (e === 'p' || e === 'P') next = source.indexOf('}', i) + 1;
      else if (e === 'k') next = source.indexOf('>', i) + 1;
      else if (e === 'c') next = i + 3;
      else if (/[0-9]/.test(e)) {
        next = i + 2;
        while (next < n && /[0-9]/.test(source[next]!)) next++;
      }
      if (next <= i) break;
    } else if (c === '[' || c === '(') {
      next = skipGroup(i);
      if (next < 0) break;
    } else if (c === '.' || c === '^' || c === '$' || c === '|' || c === ')' || c === ']') {
      // not a literal
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      // a quantifier not after an atom we keep: give up on this run
    } else if (c.charCodeAt(0) < 128) atom = c;
    if (atom !== null && unicodeFold && /[ks]/i.test(atom)) atom = null;
    // the quantifier after the atom decides whether it is required
    const q = source[next];
    let optional = false;
    let repeats = false;
    if (q === '?' || q === '*') {
      optional = true;
      next++;
    } else if (q === '+') {
      repeats = true;
      next++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(next));
      if (m) {
        optional = Number(m[1]) === 0;
        repeats = !optional;
        next += m[0].length;
      } else if (flags.includes('u') || flags.includes('v')) break;
    }
    if (optional || repeats) {
      if (source[next] === '?') next++; // lazy
    }
    if (atom === null || optional) end();
    else {
      cur += atom;
      if (repeats) end();
    }
    i = next;
  }
  end();
  let best = '';
  for (const r of runs) if (r.length > best.length) best = r;
  return best ? { text: best, caseless } : null;
}
