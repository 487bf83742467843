/**
 * What a "word" is, byte by byte, shared by the index builder, the query side and the matchers,
 * so that an indexed token and a query word hash identically.
 *
 * Word bytes: ASCII letters, digits, `_`, and every byte ≥ 0x80 (so UTF-8 text and stray
 * non-UTF-8 bytes stay inside their word). Everything else separates. Case folding is ASCII only.
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

/** Seed of a token's 32-bit key (FNV-1a over the ASCII-lowercased bytes, then fmix). */
export const SEED1 = 0x811c9dc5 | 0;

/** Final avalanche (murmur3 fmix32). Keys stay int32 (small integers to V8: no boxing). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second hash derived from a key (the Bloom filter's double-hashing step). */
export function atomKey2(k: number): number {
  return fmix(Math.imul(k ^ 0x68e31da4, 0xcc9e2d51) + 0x27d4eb2d);
}

/** Key of a pair `a j b` from the atoms' keys and the joiner byte. */
export function pairKey(a: number, j: number, b: number): number {
  return fmix(Math.imul(a, 0x9e3779b1) ^ ((b << 7) | (b >>> 25)) ^ Math.imul(j, 0x1b873593) ^ 0x5bd1e995);
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
    if (!WORD[b[i]!]) {
      i++;
      continue;
    }
    const s = i;
    let h = SEED1;
    while (i < n && WORD[b[i]!]) {
      h = Math.imul(h ^ LOWER[b[i]!]!, 0x01000193);
      i++;
    }
    out.push({ start: s, end: i, key: fmix(h ^ (i - s)) });
  }
  return out;
}

/**
 * Index keys that a line must hold if it contains `b` where the atoms flagged complete are whole
 * atoms of the line: those atoms, and the pairs of adjacent complete atoms joined by one joiner.
 */
export function keysOf(b: Uint8Array, completeFirst: boolean, completeLast: boolean): Int32Array {
  const atoms = atomsOf(b);
  const keys: number[] = [];
  const complete = (k: number) =>
    (k > 0 || (completeFirst ? true : atoms[k]!.start > 0)) && (k < atoms.length - 1 || (completeLast ? true : atoms[k]!.end < b.length));
  for (let k = 0; k < atoms.length; k++) {
    if (!complete(k)) continue;
    keys.push(atoms[k]!.key);
    if (k > 0 && complete(k - 1) && atoms[k]!.start === atoms[k - 1]!.end + 1 && JOINER[b[atoms[k]!.start - 1]!]) {
      keys.push(pairKey(atoms[k - 1]!.key, b[atoms[k]!.start - 1]!, atoms[k]!.key));
    }
  }
  return Int32Array.from(new Set(keys));
}

/** ASCII-lowercased copy. */
export function lowerBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = LOWER[b[i]!]!;
  return out;
}
