/**
 * What a "word" is, byte by byte, shared by the index builder, the query side and the matchers,
 * so that an indexed token and a query word hash identically.
 *
 * Word bytes: ASCII letters, digits, `_`, and every byte ≥ 0x80 (so UTF-8 text and stray
 * non-UTF-8 bytes stay inside their word). Everything else separates, and so does the `M` of a
 * `^M` (how the log writes a line break inside a value, FORMAT.md: `^MVia:` holds the word `Via`).
 * Case folding is ASCII only.
 * An *atom* is a maximal run of word bytes; the index holds each line's atoms, plus *pairs*: two
 * atoms joined by exactly one of `. : @ - /` (IP addresses, host:port, URIs, UUIDs, times), which
 * keeps dotted and colon-joined values selective even though their parts are common.
 * An atom of the query is *complete* when it must be a whole atom of a matching line: always
 * inside the query text; at its edges only when the query demands a word boundary there.
 */

/** 1 for word bytes. */
export const WORD = new Uint8Array(256);
/** ASCII lowercase. */
export const LOWER = new Uint8Array(256);
/** 1 for the bytes that join atoms into indexed pairs. */
export const JOINER = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
  WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128 ? 1 : 0;
}
for (const ch of '.:@-/') JOINER[ch.charCodeAt(0)] = 1;

const CARET = 0x5e;
const M = 0x4d;

/** True when b[i] is a word byte: a WORD byte that is not the `M` of a `^M` starting at or after `from`. */
export function isWordAt(b: Uint8Array, i: number, from = 0): boolean {
  return WORD[b[i]!] === 1 && !(b[i] === M && i > from && b[i - 1] === CARET);
}

/** Seed and multiplier of an atom's 32-bit key (see atomKey). */
const SEED = 0x811c9dc5 | 0;
const MUL = 0x9e3779b1 | 0;
/** ORed into each byte before hashing: ASCII case folding (see atomKey). */
const CASE = 0x20202020;

/**
 * Key of the atom b[s, e): four bytes at a time (little-endian words), each byte ORed with 0x20,
 * multiplied in, then the length and a final avalanche. ORing 0x20 folds ASCII case (and merges a
 * few other byte pairs, which only adds filter collisions: matches are always verified). The
 * index core (wasm/segment-core.ts) computes the same, with one multiply per four bytes.
 */
export function atomKey(b: Uint8Array, s: number, e: number): number {
  let h = SEED;
  let j = s;
  for (; j + 4 <= e; j += 4) h = Math.imul(h ^ ((b[j]! | (b[j + 1]! << 8) | (b[j + 2]! << 16) | (b[j + 3]! << 24)) | CASE), MUL);
  if (j < e) {
    let w = 0;
    for (let q = 0; j + q < e; q++) w |= b[j + q]! << (8 * q);
    h = Math.imul(h ^ (w | (CASE >>> (8 * (4 - (e - j))))), MUL);
  }
  return fmix(h ^ (e - s));
}

/** Final avalanche (murmur3 fmix32). Keys stay int32 (small integers to V8: no boxing). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Key of a pair `a j b` from the atoms' keys and the joiner byte. */
export function pairKey(a: number, j: number, b: number): number {
  // a and b are mixed already: no final avalanche needed
  return Math.imul(a, 0x9e3779b1) ^ ((b << 7) | (b >>> 25)) ^ Math.imul(j, 0x1b873593);
}

export interface Atom {
  start: number;
  end: number;
  key: number;
}

/** The atoms of some bytes (a query word), with their keys, as the indexer computes them. */
export function atomsOf(b: Uint8Array): Atom[] {
  const out: Atom[] = [];
  let i = 0;
  const n = b.length;
  while (i < n) {
    if (!isWordAt(b, i)) {
      i++;
      continue;
    }
    const s = i;
    while (i < n && isWordAt(b, i)) i++;
    out.push({ start: s, end: i, key: atomKey(b, s, i) });
  }
  return out;
}

/**
 * The atoms of `b` that a line containing `b` holds as whole atoms: the atoms flagged complete (see
 * keysOf). Matching folds case but only `^M` breaks words, so an atom next to a `^M` or `^m` of the
 * query may start elsewhere in the line: `^mH245` matches the line's `^MH245` (atom `H245`), and
 * `^MH245` its `^mH245` (atom `mH245`). Such atoms are not whole.
 */
export function wholeAtoms(b: Uint8Array, completeFirst: boolean, completeLast: boolean): Atom[] {
  const atoms = atomsOf(b);
  const caretM = (i: number) => i >= 1 && b[i - 1] === CARET && (b[i]! | 0x20) === 0x6d;
  return atoms.filter(
    (a, k) =>
      (k > 0 || completeFirst || a.start > 0) &&
      (k < atoms.length - 1 || completeLast || a.end < b.length) &&
      !caretM(a.start) &&
      !caretM(a.start - 1),
  );
}

/**
 * Index keys that a line must hold if it contains `b` where the atoms flagged complete are whole
 * atoms of the line: those atoms, and the pairs of adjacent complete atoms joined by one joiner.
 */
export function keysOf(b: Uint8Array, completeFirst: boolean, completeLast: boolean): Int32Array {
  return keysOfWhole(b, wholeAtoms(b, completeFirst, completeLast));
}

/** keysOf from the whole atoms of `b` (wholeAtoms), for callers that need those atoms too. */
export function keysOfWhole(b: Uint8Array, whole: Atom[]): Int32Array {
  const keys: number[] = [];
  for (let k = 0; k < whole.length; k++) {
    const a = whole[k]!;
    keys.push(a.key);
    // adjacent whole atoms (one byte apart) are consecutive atoms of b
    if (k > 0 && a.start === whole[k - 1]!.end + 1 && JOINER[b[a.start - 1]!]) keys.push(pairKey(whole[k - 1]!.key, b[a.start - 1]!, a.key));
  }
  return Int32Array.from(new Set(keys));
}

/** ASCII-lowercased copy. */
export function lowerBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = LOWER[b[i]!]!;
  return out;
}
