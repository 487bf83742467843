/**
 * The hot loop of an index segment (../segment.ts), in AssemblyScript, compiled to WebAssembly by
 * `npm run build:wasm` (asc; not part of the TypeScript build; the .wasm is committed). Measured
 * on this machine (docs/benchmarks.md): ~2.5× the same loop written in JavaScript.
 *
 * It must compute exactly what ../tokens.ts defines (atoms, atomKey, pairKey), because queries
 * hash their words in JavaScript. The tables sit at fixed places (../segment-core.ts, the
 * JavaScript side, lays them out the same); the text follows them and ends with a 0 byte (a
 * separator, so atom loops need no end check) and 16 bytes of slack.
 */

/** Lowercase of a word byte, 0 for a separator (256 bytes). */
const LOWER: usize = 0;
/** 1 for the bytes that join atoms into pairs (256 bytes). */
const JOINER: usize = 256;
/**
 * Frequent-token slots (4096 × u16, small enough to stay in the L1 cache), direct-mapped by
 * slotOf the atom's first bytes and length: the token's number, 512 when empty.
 */
const TAB: usize = 512;
/**
 * Per frequent token (513 × 32 bytes, the last one empty): its first 8 bytes and its next 8, each
 * ORed with 0x20 and zero past its end (u64 × 2), its length, its key (tokens.ts atomKey), 4
 * unused bytes, where its line bitset is. An atom is found here by its bytes, before any
 * hashing: three atoms in four are frequent tokens, and their keys (for pairs) are read, not
 * computed.
 */
const REC: usize = TAB + 2 * 4096;
export const TEXT: usize = REC + 32 * 513;

const CASE: u64 = 0x2020202020202020;
const CASE4: u32 = 0x20202020;

@inline function fmix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

@inline function pairKey(a: u32, j: u32, b: u32): u32 {
  return (a * 0x9e3779b1) ^ ((b << 7) | (b >>> 25)) ^ (j * 0x1b873593);
}

/** Sets a key's three bits, all in one word of the filter at w0 (wmask = filter words − 1; ../segment.ts mayHoldAll). */
@inline function setKey(w0: usize, wmask: u32, k: u32): void {
  const p = w0 + ((<usize>((k >>> 10) & wmask)) << 2);
  store<u32>(p, load<u32>(p) | (1 << (k & 31)) | (1 << ((k >>> 5) & 31)) | (1 << (k >>> 27)));
}

/** The low n bytes (1..8) of a u64. */
@inline function low(n: u32): u64 {
  return (<u64>-1) >> (64 - 8 * <u64>n);
}

/**
 * The first (up to) 8 bytes of the atom at `at`, n bytes long, each ORed with 0x20. Frequent
 * tokens are ASCII, and for an ASCII byte t and a word byte b, (b | 0x20) == (t | 0x20) exactly
 * when b lowercases to t: so eight bytes are compared at once.
 */
@inline function head8(at: usize, n: u32): u64 {
  return (load<u64>(at) | CASE) & low(select<u32>(n, 8, n < 8));
}

/** Frequent-token slot of an atom from its head8 and length (the JavaScript side asks here too). */
@inline function slotOfHead(x0: u64, n: u32): usize {
  return <usize>(((x0 ^ (<u64>n << 56)) * 0x9e3779b97f4a7c15) >> 52);
}

/** Slot of the atom text[a, a + n). */
export function slotOf(a: u32, n: u32): u32 {
  return <u32>slotOfHead(head8(TEXT + <usize>a, n), n);
}

/** Where the frequent tokens' bytes are (set by indexLines for the lines it runs). */
let tokStartAt: usize = 0;
let tokFlatAt: usize = 0;

/** True when the atom at `at`, n > 8 bytes long, whose first 8 bytes are token r's, is the token. */
function restIs(at: usize, n: u32, r: usize, t: usize): bool {
  if (n <= 16) return ((load<u64>(at + 8) | CASE) & low(n - 8)) == load<u64>(r + 8);
  if ((load<u64>(at + 8) | CASE) != load<u64>(r + 8)) return false;
  const ts = load<u32>(tokStartAt + (t << 2));
  for (let j: u32 = 16; j < n; j++) {
    if (load<u8>(tokFlatAt + <usize>(ts + j)) != load<u8>(LOWER + <usize>load<u8>(at + <usize>j))) return false;
  }
  return true;
}

/**
 * Fills the Bloom filters of every block (every atom and pair, except the frequent tokens), the
 * line bitsets of the frequent tokens and the non-ASCII line bitset.
 * - lineStart: u32[lines + 1]; blockLine, blockWord: u32[blocks + 1]
 * - bloom: u32 words (zeroed); nonAscii: bit per line (zeroed)
 * - tokStart: u32[T + 1], tokFlat: the frequent tokens' lowercased bytes (for those over 16 bytes)
 * - TAB and REC hold the frequent tokens (their bitsets zeroed)
 */
export function indexLines(
  lineStart: usize, blockLine: usize, blockWord: usize, blocks: u32,
  bloom: usize, nonAscii: usize, tokStart: usize, tokFlat: usize,
): void {
  tokStartAt = tokStart;
  tokFlatAt = tokFlat;
  for (let k: u32 = 0; k < blocks; k++) {
    const wa = load<u32>(blockWord + ((<usize>k) << 2));
    const wb = load<u32>(blockWord + ((<usize>k + 1) << 2));
    const w0 = bloom + ((<usize>wa) << 2);
    const wmask = wb - wa - 1;
    const l1 = load<u32>(blockLine + ((<usize>k + 1) << 2));
    for (let line = load<u32>(blockLine + ((<usize>k) << 2)); line < l1; line++) {
      const s = load<u32>(lineStart + ((<usize>line) << 2));
      const e = load<u32>(lineStart + ((<usize>line + 1) << 2));
      indexLine(s, e, line, w0, wmask);
      if (hasHigh(s, e)) {
        const p = nonAscii + <usize>(line >>> 3);
        store<u8>(p, <u8>(<u32>load<u8>(p) | ((<u32>1) << (line & 7))));
      }
    }
  }
}

/** Lines of each frequent token: counts[t] = set bits of its bitset (u32[T]). */
export function countLines(bits: usize, tokens: u32, lineWords: u32, counts: usize): void {
  for (let t: u32 = 0; t < tokens; t++) {
    let n: u32 = 0;
    const from = bits + ((<usize>t * <usize>lineWords) << 2);
    const to = from + ((<usize>lineWords) << 2);
    for (let p = from; p < to; p += 4) n += popcnt<u32>(load<u32>(p));
    store<u32>(counts + ((<usize>t) << 2), n);
  }
}

/**
 * The frequent tokens' postings, as ../segment.ts keeps them, into out: token t at word offs[t],
 * by kinds[t] (u8): 0 its bitset as is, 1 its lines as u32, 2 its lines as u16 (little-endian:
 * two a word, the first in the low half; an odd count ends with 0xffff).
 */
export function writePostings(bits: usize, tokens: u32, lineWords: u32, kinds: usize, offs: usize, out: usize): void {
  for (let t: u32 = 0; t < tokens; t++) {
    const from = bits + ((<usize>t * <usize>lineWords) << 2);
    let p = out + ((<usize>load<u32>(offs + ((<usize>t) << 2))) << 2);
    const kind = load<u8>(kinds + <usize>t);
    if (kind == 0) {
      memory.copy(p, from, (<usize>lineWords) << 2);
      continue;
    }
    const step: usize = kind == 1 ? 4 : 2;
    for (let w: u32 = 0; w < lineWords; w++) {
      let v = load<u32>(from + ((<usize>w) << 2));
      while (v != 0) {
        const line = (w << 5) + ctz(v);
        if (kind == 1) store<u32>(p, line);
        else store<u16>(p, <u16>line);
        p += step;
        v &= v - 1;
      }
    }
    if (kind == 2 && (p & 3) != 0) store<u16>(p, 0xffff);
  }
}

/**
 * True when text[s, e) holds a byte ≥ 0x80, eight bytes a step (apart from the atom loop: ORing
 * the atoms' bytes into a global there stored it at every step, ~5 % of the loop).
 */
@inline function hasHigh(s: u32, e: u32): bool {
  let acc: u64 = 0;
  let p = TEXT + <usize>s;
  const end = TEXT + <usize>e;
  for (; p + 8 <= end; p += 8) acc |= load<u64>(p);
  for (; p < end; p++) acc |= <u64>load<u8>(p);
  return (acc & 0x8080808080808080) != 0;
}

/** Key of the atom text[a, e) (tokens.ts atomKey: four bytes a step, each ORed with 0x20). */
@inline function atomKey(a: u32, e: u32): u32 {
  let h: u32 = 0x811c9dc5;
  let j = a;
  for (; j + 4 <= e; j += 4) {
    const w = load<u32>(TEXT + <usize>j);
    h = (h ^ (w | CASE4)) * 0x9e3779b1;
  }
  if (j < e) {
    const tail = (<u32>-1) >>> (32 - 8 * (e - j));
    const w = load<u32>(TEXT + <usize>j) & tail;
    h = (h ^ (w | (CASE4 & tail))) * 0x9e3779b1;
  }
  return fmix(h ^ (e - a));
}

/** End of the atom that starts at a word byte a (the text ends with a separator). */
@inline function atomEnd(a: u32): u32 {
  let i = a;
  do i++;
  while (load<u8>(LOWER + <usize>load<u8>(TEXT + <usize>i)) != 0);
  return i;
}

@inline function isWordAt(i: u32): bool {
  return load<u8>(LOWER + <usize>load<u8>(TEXT + <usize>i)) != 0;
}

/**
 * Past the separator at i: one byte, or two at a `^M` (the log's escaped line break, whose M
 * separates too: ../tokens.ts isWordAt). A branch, rarely taken: computing the step from the
 * bytes would put two loads in the loop's chain on i (measured ~15 % slower).
 */
@inline function pastSeparator(i: u32): u32 {
  const at = TEXT + <usize>i;
  if (load<u8>(at) == 0x5e && load<u8>(at + 1) == 0x4d) return i + 2;
  return i + 1;
}

/** One line's atoms into the block filter at w0 and the frequent tokens' line bits. */
@inline(never) function indexLine(i: u32, e: u32, line: u32, w0: usize, wmask: u32): void {
  let prevEnd: u32 = 0xfffffff0;
  let prevKey: u32 = 0;
  while (i < e) {
    if (!isWordAt(i)) {
      i = pastSeparator(i);
      continue;
    }
    // the atom's end first (no multiply chain per byte), then its key four bytes a step
    const a = i;
    i = atomEnd(a);
    const n = i - a;
    // a frequent token (its bytes, exactly): its line bit, and its key from its
    // record. It goes in no filter (queries read its postings instead; ../segment.ts bloomKeys):
    // most atoms are frequent tokens, so this skips most filter writes and most hashing.
    const at = TEXT + <usize>a;
    const x0 = head8(at, n);
    const t = <usize>load<u16>(TAB + (slotOfHead(x0, n) << 1));
    const r = REC + (t << 5);
    let k1: u32;
    if (load<u64>(r) == x0 && load<u32>(r + 16) == n && (n <= 8 || restIs(at, n, r, t))) {
      k1 = load<u32>(r + 20);
      // set again for each of the line's repeats: cheaper than checking the last line it was set for
      const p = <usize>load<u32>(r + 28) + ((<usize>(line >>> 5)) << 2);
      store<u32>(p, load<u32>(p) | (1 << (line & 31)));
    } else {
      k1 = atomKey(a, i);
      setKey(w0, wmask, k1);
    }
    if (prevEnd == a - 1) {
      const jb = <u32>load<u8>(TEXT + <usize>(a - 1));
      if (load<u8>(JOINER + <usize>jb) == 1) setKey(w0, wmask, pairKey(prevKey, jb, k1));
    }
    prevEnd = i;
    prevKey = k1;
  }
}

/**
 * Counts the atoms of every `every`-th block's lines in an open-addressing table (slots × 5 u32:
 * key, lines holding it, last line, first start, length | 1 << 31 when another atom with the
 * same key was seen: such a key cannot serve as a frequent token). The numbers of the line head
 * (syslog time, host, node time: before the first quote, within 96 bytes) are left out: they
 * would fill the frequent tokens and are hardly searched; its names (`pxnode`, `osl`) are counted,
 * so that a node's name is answered from postings. New keys stop at half the table. Returns the
 * lines sampled.
 */
export function sample(lineStart: usize, blockLine: usize, blocks: u32, every: u32, table: usize, slots: u32): u32 {
  const mask = slots - 1;
  let used: u32 = 0;
  let sampled: u32 = 0;
  for (let k: u32 = 0; k < blocks; k += every) {
    const l1 = load<u32>(blockLine + ((<usize>k + 1) << 2));
    for (let line = load<u32>(blockLine + ((<usize>k) << 2)); line < l1; line++) {
      sampled++;
      const s = load<u32>(lineStart + ((<usize>line) << 2));
      const e = load<u32>(lineStart + ((<usize>line + 1) << 2));
      let head = s;
      for (let q = s; q < e && q - s < 96; q++) {
        if (load<u8>(TEXT + <usize>q) == 34) {
          head = q;
          break;
        }
      }
      let i = s;
      while (i < e) {
        if (!isWordAt(i)) {
          i = pastSeparator(i);
          continue;
        }
        const a = i;
        i = atomEnd(a);
        const n = i - a;
        if (a < head && allDigits(a, i)) continue;
        const key = atomKey(a, i);
        for (let slot = key & mask; ; slot = (slot + 1) & mask) {
          const p = table + <usize>slot * 20;
          const count = load<u32>(p + 4);
          if (count == 0) {
            if (used * 2 >= slots) break;
            used++;
            store<u32>(p, key);
            store<u32>(p + 4, 1);
            store<u32>(p + 8, line);
            store<u32>(p + 12, a);
            store<u32>(p + 16, n);
            break;
          }
          if (load<u32>(p) != key) continue;
          const len = load<u32>(p + 16);
          if (!(len >>> 31) && !sameAtom(load<u32>(p + 12), len, a, n)) store<u32>(p + 16, len | (1 << 31));
          if (load<u32>(p + 8) != line) {
            store<u32>(p + 8, line);
            store<u32>(p + 4, count + 1);
          }
          break;
        }
      }
    }
  }
  return sampled;
}

/**
 * The slots of the sample table (as `sample` left it) whose atom is in at least `min` sampled
 * lines and collided with no other: into out (u32 each, ascending); returns how many. (In
 * JavaScript this loop over every slot was ~3 % of a fresh index thread, most of it before the
 * loop was optimized.)
 */
export function frequent(table: usize, slots: u32, min: u32, out: usize): u32 {
  let n: u32 = 0;
  for (let k: u32 = 0; k < slots; k++) {
    const p = table + <usize>k * 20;
    if (load<u32>(p + 4) >= min && load<u32>(p + 16) >>> 31 == 0) {
      store<u32>(out + ((<usize>n) << 2), k);
      n++;
    }
  }
  return n;
}

@inline function allDigits(a: u32, e: u32): bool {
  for (let j = a; j < e; j++) if (<u32>load<u8>(TEXT + <usize>j) - 48 > 9) return false;
  return true;
}

/** True when the atoms at x and y (lengths m, n) are the same ASCII-lowercased. */
function sameAtom(x: u32, m: u32, y: u32, n: u32): bool {
  if (m != n) return false;
  for (let j: u32 = 0; j < n; j++) {
    if (load<u8>(LOWER + <usize>load<u8>(TEXT + <usize>(x + j))) != load<u8>(LOWER + <usize>load<u8>(TEXT + <usize>(y + j)))) return false;
  }
  return true;
}
