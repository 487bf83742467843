/**
 * One index segment: the tokens of one chunk of lines (a store chunk, ~16 MB), summarized per
 * *block* of up to 64 lines / 32 KB in a Bloom filter of about one bit per four bytes of text
 * (three bits per key: see filterWords).
 *
 * Why blocks and Bloom filters rather than per-line posting lists: measured here, a JS hash
 * table with per-line posting lists builds at ~100 MB/s per thread (every atom is a random
 * table access), a per-block Bloom filter far faster (its bits stay in L1). A query asks the
 * filters which blocks may hold all its tokens and then scans only those blocks' bytes exactly,
 * so results never depend on the filter (it has no false negatives; a false positive only costs
 * a block scan). The work on every byte runs in WebAssembly (segment-core.ts): ~500 MB/s per
 * thread here, 3–4× the JavaScript loop it replaced (docs/benchmarks.md).
 * Pure function of the bytes: runs in a worker thread, and its output is what the cache stores.
 */
import { POST_BITS, POST_U16, POST_U32, runCore, TOP_SLOTS, U16_END } from './segment-core.js';
import { ownBuffer } from '../lines/slab.js';
import type { Alloc } from '../lines/slab.js';

/** Lines per block at most, and bytes after which a block is closed. */
export const BLOCK_LINES = 64;
export const BLOCK_BYTES = 32 << 10;

export interface SegmentData {
  /** Lines in this segment (the chunk's lines, in store order). */
  lines: number;
  /** Per block: first local line (blocks + 1 entries, the last = lines). */
  blockLine: Uint32Array;
  /** Per block: first byte in the chunk (blocks + 1 entries, the last = chunk length). */
  blockByte: Uint32Array;
  /** Per block: first 32-bit word of its filter in `bloom` (blocks + 1 entries). */
  blockWord: Uint32Array;
  bloom: Int32Array;
  /** Local lines holding a byte ≥ 0x80 (bitset): regex scans test those as UTF-8 text. */
  nonAscii: Uint8Array;
  /**
   * Exact postings of this segment's most frequent atoms (`invite`, `sip`, `via`…): for those a
   * word query needs no scan at all — a Bloom filter says "maybe" in almost every block for them,
   * so their keys are left out of the filters (see bloomKeys).
   * Token t is the lowercased bytes topBytes[topOff[t], topOff[t+1]) with key topKeys[t]; its
   * lines are postings[postOff[t], postOff[t+1]), by postKind[t] (POST_*): a bitset over local
   * lines, or sorted local line numbers, 32 or 16 bits each (eachPostingLine reads them all).
   * Exact: an atom counts as a frequent token only when its bytes are the token's.
   */
  topKeys: Int32Array;
  topOff: Uint32Array;
  topBytes: Uint8Array;
  postKind: Uint8Array;
  postOff: Uint32Array;
  postings: Uint32Array;
}

export { POST_BITS, POST_U16, POST_U32 };

/** Calls `fn` with each local line of frequent token t of the segment, in order. */
export function eachPostingLine(seg: SegmentData, t: number, fn: (line: number) => void): void {
  const from = seg.postOff[t]!;
  const to = seg.postOff[t + 1]!;
  const p = seg.postings;
  switch (seg.postKind[t]) {
    case POST_U32:
      for (let k = from; k < to; k++) fn(p[k]!);
      return;
    case POST_U16:
      for (let k = from; k < to; k++) {
        const v = p[k]!;
        fn(v & 0xffff);
        if (v >>> 16 !== U16_END) fn(v >>> 16);
      }
      return;
    default:
      for (let w = from; w < to; w++) {
        let v = p[w]!;
        while (v) {
          const low = v & -v;
          fn(((w - from) << 5) + 31 - Math.clz32(low));
          v ^= low;
        }
      }
  }
}

/** Frequent tokens kept per segment at most, and the least share of (sampled) lines they must be in. */
export const TOP_MAX = TOP_SLOTS;
const TOP_MIN_SHARE = 1 / 2048;
/** One block in this many is sampled to find the frequent tokens. */
const SAMPLE_EVERY = 64;

/**
 * Builds the segment of a chunk split into lines as the store split it: line l is
 * b[lineStart[l], lineStart[l + 1]), the last entry being the chunk's length. Its arrays are
 * made by `alloc` (a worker carves them out of large buffers: slab.ts).
 */
export function buildSegment(b: Uint8Array, lineStart: Uint32Array, alloc: Alloc = ownBuffer): SegmentData {
  // block layout first, so each filter can be sized to its bytes
  const blockLine: number[] = [0];
  const blockByte: number[] = [0];
  {
    let inBlock = 0;
    let blockStart = 0;
    for (let line = 1; line < lineStart.length; line++) {
      const s = lineStart[line]!;
      if (++inBlock === BLOCK_LINES || s - blockStart >= BLOCK_BYTES || line === lineStart.length - 1) {
        blockLine.push(line);
        blockByte.push(s);
        blockStart = s;
        inBlock = 0;
      }
    }
  }
  const lines = lineStart.length - 1;
  const blocks = blockLine.length - 1;
  const blockWord = alloc(Uint32Array, blocks + 1);
  for (let k = 0; k < blocks; k++) blockWord[k + 1] = blockWord[k]! + filterWords(blockByte[k + 1]! - blockByte[k]!);
  // every atom of every line: Bloom bits, frequent tokens' postings, non-ASCII lines (WebAssembly)
  const { bloom, nonAscii, postKind, postOff, postings, tokens: top } = runCore({
    text: b,
    lineStart,
    blockLine,
    blockWord,
    top: { sampleEvery: SAMPLE_EVERY, minShare: TOP_MIN_SHARE, max: TOP_MAX },
    alloc,
  });
  const T = top.length;
  const topText = top.map((x) => x.bytes);
  const topKeys = alloc(Int32Array, T);
  const topOff = alloc(Uint32Array, T + 1);
  for (let t = 0; t < T; t++) {
    topKeys[t] = top[t]!.key;
    topOff[t + 1] = topOff[t]! + topText[t]!.length;
  }
  const topBytes = alloc(Uint8Array, topOff[T]!);
  topText.forEach((bytes, t) => topBytes.set(bytes, topOff[t]!));
  const table = (from: number[]) => {
    const a = alloc(Uint32Array, from.length);
    a.set(from);
    return a;
  };
  return { lines, blockLine: table(blockLine), blockByte: table(blockByte), blockWord, bloom, nonAscii, topKeys, topOff, topBytes, postKind, postOff, postings };
}

/** The frequent-token number of a token (its key and lowercased bytes) in the segment, -1 when it is not one. */
export function findTop(seg: SegmentData, key: number, lowered: Uint8Array): number {
  const keys = seg.topKeys;
  for (let t = 0; t < keys.length; t++) {
    if (keys[t] !== key) continue;
    const a = seg.topOff[t]!, e = seg.topOff[t + 1]!;
    if (e - a !== lowered.length) return -1;
    for (let j = 0; j < lowered.length; j++) if (seg.topBytes[a + j] !== lowered[j]) return -1;
    return t;
  }
  return -1;
}

/**
 * Lines of the segment (a bitset over local lines) that may hold all these whole atoms, from the
 * postings of those that are frequent tokens here: their lines ANDed. Null when none is one. A
 * superset of the lines holding the atoms (the others are not looked at), so callers verify.
 */
export function candidateLines(seg: SegmentData, atoms: ReadonlyArray<{ key: number; lowered: Uint8Array }>): Uint32Array | null {
  let out: Uint32Array | null = null;
  const words = (seg.lines + 31) >>> 5;
  for (const a of atoms) {
    const t = findTop(seg, a.key, a.lowered);
    if (t < 0) continue;
    let bits = seg.postings.subarray(seg.postOff[t]!, seg.postOff[t + 1]!);
    if (seg.postKind[t] !== POST_BITS) {
      // a list: its bitset is new, and can be the result as is
      const set = (bits = new Uint32Array(words));
      eachPostingLine(seg, t, (l) => (set[l >>> 5]! |= 1 << (l & 31)));
      if (!out) {
        out = set;
        continue;
      }
    }
    if (!out) out = Uint32Array.from(bits);
    else for (let w = 0; w < words; w++) out[w]! &= bits[w]!;
  }
  return out;
}

/**
 * Filter size of a block in 32-bit words: the power of two ≥ one bit per four bytes, 512 bits at
 * least. Frequent tokens stay out of the filters, so few keys go in: at one bit per byte (and two
 * bits per key) only 3 % of the bits were set. A quarter of that, with a third bit per key, costs
 * rare-word queries about as many false blocks, and the build ~10 % less CPU (fewer fresh pages
 * to fill and hand over) and half the index memory (docs/benchmarks.md, session 17).
 */
const BYTES_PER_BIT = 4;
function filterWords(bytes: number): number {
  let w = 16;
  while (w * 32 * BYTES_PER_BIT < bytes) w <<= 1;
  return w;
}

/**
 * The keys of a query that the segment's filters can rule out: those that are no frequent
 * token's key. The core leaves frequent tokens' keys out of the filters (their postings answer
 * for them), so such a key says nothing about a block — whichever atom it came from.
 */
export function bloomKeys(seg: SegmentData, keys: Int32Array): Int32Array {
  return keys.filter((k) => !seg.topKeys.includes(k));
}

/**
 * True when every key (of bloomKeys) may be in the block: all three bits of each set. A key's
 * bits share one 32-bit word (a blocked Bloom filter: one memory access per key when building):
 * key bits 0–4, 5–9 and 27–31 pick the bits, bits 10 and up the word.
 */
export function mayHoldAll(seg: SegmentData, block: number, keys: Int32Array): boolean {
  const w0 = seg.blockWord[block]!;
  const wmask = seg.blockWord[block + 1]! - w0 - 1;
  const bloom = seg.bloom;
  for (let q = 0; q < keys.length; q++) {
    const k = keys[q]!;
    const m = (1 << (k & 31)) | (1 << ((k >>> 5) & 31)) | (1 << (k >>> 27));
    if ((bloom[w0 + ((k >>> 10) & wmask)]! & m) !== m) return false;
  }
  return true;
}
