/**
 * One index segment: the tokens of one chunk of lines (a store chunk, ~16 MB), summarized per
 * *block* of up to 64 lines / 32 KB in a Bloom filter of about one bit per byte of text.
 *
 * Why blocks and Bloom filters rather than per-line posting lists: measured here, a JS hash
 * table with per-line posting lists builds at ~100 MB/s per thread (every atom is a random
 * table access), a per-block Bloom filter at ~250 MB/s (its bits stay in L1), so the index can
 * keep up with ingest. A query asks the filters which blocks may hold all its tokens and then
 * scans only those blocks' bytes exactly, so results never depend on the filter (it has no
 * false negatives; a false positive only costs a block scan).
 * Pure function of the bytes: runs in a worker thread, and its output is what the cache stores.
 */
import { WORD, LOWER, JOINER, SEED1, fmix, pairKey } from './tokens.js';

/** Lines per block at most, and bytes after which a block is closed. */
export const BLOCK_LINES = 64;
export const BLOCK_BYTES = 32 << 10;
/** Bits set per token: two, from the key and the key rotated (cheap; the key is well mixed). */

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
}

/** Builds the segment of a chunk; `expectLines` guards against a split that differs from the store's. */
export function buildSegment(b: Uint8Array, expectLines: number): SegmentData {
  const len = b.length;
  const W = WORD, L = LOWER, J = JOINER;
  const nonAscii = new Uint8Array((expectLines + 8) >>> 3);
  // block layout first (newline scan is cheap), so each filter can be sized to its bytes
  const blockLine: number[] = [0];
  const blockByte: number[] = [0];
  const lineStart: number[] = [];
  {
    let s = 0;
    let inBlock = 0;
    let blockStart = 0;
    while (s < len) {
      lineStart.push(s);
      const nl = b.indexOf(10, s);
      s = nl < 0 ? len : nl + 1;
      if (++inBlock === BLOCK_LINES || s - blockStart >= BLOCK_BYTES) {
        blockLine.push(lineStart.length);
        blockByte.push(s);
        blockStart = s;
        inBlock = 0;
      }
    }
    if (inBlock > 0) {
      blockLine.push(lineStart.length);
      blockByte.push(len);
    }
    lineStart.push(len);
  }
  const lines = lineStart.length - 1;
  if (lines !== expectLines) throw new Error(`index: chunk split into ${lines} lines, the store has ${expectLines}`);
  const blocks = blockLine.length - 1;
  const blockWord = new Uint32Array(blocks + 1);
  for (let k = 0; k < blocks; k++) blockWord[k + 1] = blockWord[k]! + filterWords(blockByte[k + 1]! - blockByte[k]!);
  const bloom = new Int32Array(blockWord[blocks]!);

  for (let k = 0; k < blocks; k++) {
    const w0 = blockWord[k]!;
    const mask = (blockWord[k + 1]! - w0) * 32 - 1;
    for (let line = blockLine[k]!; line < blockLine[k + 1]!; line++) {
      const s = lineStart[line]!;
      const e = lineStart[line + 1]!;
      let i = s;
      let prevEnd = -2;
      let prevKey = 0;
      let high = 0;
      while (i < e) {
        let c = b[i]!;
        if (W[c] === 0) {
          i++;
          continue;
        }
        const a = i;
        let h = SEED1;
        do {
          high |= c;
          h = Math.imul(h ^ L[c]!, 0x01000193);
          i++;
        } while (i < e && W[(c = b[i]!)] === 1);
        const k1 = fmix(h ^ (i - a));
        let bit = k1 & mask;
        bloom[w0 + (bit >>> 5)]! |= 1 << bit;
        bit = ((k1 >>> 16) | (k1 << 16)) & mask;
        bloom[w0 + (bit >>> 5)]! |= 1 << bit;
        if (prevEnd === a - 1 && J[b[a - 1]!] === 1) {
          const pk = pairKey(prevKey, b[a - 1]!, k1);
          bit = pk & mask;
          bloom[w0 + (bit >>> 5)]! |= 1 << bit;
          bit = ((pk >>> 16) | (pk << 16)) & mask;
          bloom[w0 + (bit >>> 5)]! |= 1 << bit;
        }
        prevEnd = i;
        prevKey = k1;
      }
      if (high & 0x80) nonAscii[line >>> 3]! |= 1 << (line & 7);
    }
  }
  return { lines, blockLine: Uint32Array.from(blockLine), blockByte: Uint32Array.from(blockByte), blockWord, bloom, nonAscii };
}

/** Filter size of a block in 32-bit words: the power of two ≥ one bit per byte, 512 bits at least. */
function filterWords(bytes: number): number {
  let w = 16;
  while (w * 32 < bytes) w <<= 1;
  return w;
}

/** True when every key may be in the block (both bits of each set). */
export function mayHoldAll(seg: SegmentData, block: number, keys: Int32Array): boolean {
  const w0 = seg.blockWord[block]!;
  const mask = (seg.blockWord[block + 1]! - w0) * 32 - 1;
  const bloom = seg.bloom;
  for (let q = 0; q < keys.length; q++) {
    const k = keys[q]!;
    let bit = k & mask;
    if ((bloom[w0 + (bit >>> 5)]! & (1 << bit)) === 0) return false;
    bit = ((k >>> 16) | (k << 16)) & mask;
    if ((bloom[w0 + (bit >>> 5)]! & (1 << bit)) === 0) return false;
  }
  return true;
}
