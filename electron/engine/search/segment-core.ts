/**
 * Runs the segment's work on every byte (wasm/segment-core.ts, compiled to wasm/segment-core.wasm)
 * on one chunk: lays its inputs out in the module's memory, samples the frequent tokens, indexes
 * every line, and copies the results out. One instance per thread, its memory grown to the
 * largest chunk seen and reused.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { LOWER, WORD, JOINER } from './tokens.js';
import type { Alloc } from '../lines/slab.js';

interface Core {
  memory: WebAssembly.Memory;
  sample(lineStart: number, blockLine: number, blocks: number, every: number, table: number, slots: number): number;
  indexLines(...offsets: number[]): void;
  countLines(bits: number, tokens: number, lineWords: number, counts: number): void;
  writePostings(bits: number, tokens: number, lineWords: number, kinds: number, offs: number, out: number): void;
  slotOf(at: number, n: number): number;
  frequent(table: number, slots: number, min: number, out: number): number;
  TEXT: WebAssembly.Global;
}

let core: Core | null = null;

function instance(): Core {
  if (!core) {
    const path = fileURLToPath(new URL('./wasm/segment-core.wasm', import.meta.url));
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`index: cannot read ${path} (${(e as NodeJS.ErrnoException).code}); run \`npm run build:wasm\``);
    }
    // optimized from the first call: V8 would run its baseline code (Liftoff) until a background
    // compile replaces it, 0.1–0.25 s of CPU per worker on a busy 2-core machine (measured on the
    // first 200 MB: docs/benchmarks.md, session 19). The flag holds for the process's later
    // WebAssembly compiles; this module is the engine's only WebAssembly. (Node and Electron's
    // main process leave V8's flags unfrozen after start for this call.)
    setFlagsFromString('--no-liftoff');
    core = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {}).exports as unknown as Core;
    if (core.TEXT.value !== TEXT_AT) throw new Error(`index: ${path} lays its tables out differently; run \`npm run build:wasm\``);
  }
  return core;
}

/** The word-byte table the core reads: lowercase of a word byte, 0 for a separator. */
const LOWER_WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) LOWER_WORD[c] = WORD[c] ? LOWER[c]! : 0;

export interface CoreInput {
  text: Uint8Array;
  lineStart: Uint32Array;
  blockLine: number[];
  blockWord: Uint32Array;
  /** How the frequent tokens are chosen: from every `sampleEvery`-th block, those in at least `minShare` of the sampled lines, `max` at most. */
  top: { sampleEvery: number; minShare: number; max: number };
  /** Where the outputs (they are kept) are made. */
  alloc: Alloc;
}

/**
 * How a frequent token's lines are kept (../segment.ts postKind), whichever is smallest: a bitset
 * (a bit per line), or its line numbers, as u16 pairs (low half first, an odd count ends with
 * U16_END) where the segment has fewer than 65 535 lines, else as u32. The u16 lists took the
 * 1 GB log's index from 128 to ~106 MB (docs/benchmarks.md, session 19).
 */
export const POST_BITS = 0;
export const POST_U32 = 1;
export const POST_U16 = 2;
export const U16_END = 0xffff;

export interface CoreOutput {
  bloom: Int32Array;
  nonAscii: Uint8Array;
  /** The frequent tokens' lines: token t's form (POST_*), at postings[postOff[t], postOff[t + 1]). */
  postKind: Uint8Array;
  postOff: Uint32Array;
  postings: Uint32Array;
  /** The frequent tokens (lowercased bytes) with their keys. */
  tokens: Array<{ key: number; bytes: Uint8Array }>;
}

/** Fixed places of the core's tables (as in wasm/segment-core.ts); the text follows them. */
const LOWER_AT = 0;
const JOINER_AT = 256;
const TAB_AT = 512;
const TAB_SLOTS = 4096;
export const TOP_SLOTS = 512;
/** Per frequent token and one empty: 32 bytes (wasm/segment-core.ts REC). */
const REC_AT = TAB_AT + 2 * TAB_SLOTS;
const TEXT_AT = REC_AT + 32 * (TOP_SLOTS + 1);
/** Slots of the sampling table (5 words each); at most half are filled. */
const SAMPLE_SLOTS = 1 << 17;

export function runCore(x: CoreInput): CoreOutput {
  const lines = x.lineStart.length - 1;
  const blocks = x.blockLine.length - 1;
  const lineWords = (lines + 31) >>> 5;
  // layout: 8-byte aligned regions after the text; the frequent tokens' regions come last
  let at = TEXT_AT;
  const region = (bytes: number) => {
    const o = at;
    at = (at + bytes + 7) & ~7;
    return o;
  };
  region(x.text.length + 16); // the 0 sentinel, and slack for 8-byte loads at the end
  const lineStart = region(4 * (lines + 1));
  const blockLine = region(4 * (blocks + 1));
  const blockWord = region(4 * (blocks + 1));
  const bloomWords = x.blockWord[blocks]!;
  const bloom = region(4 * bloomWords);
  const nonAsciiBytes = (lines + 8) >>> 3;
  const nonAscii = region(nonAsciiBytes);
  const table = region(20 * SAMPLE_SLOTS);
  // the sample's frequent slots (at most half the slots are ever filled)
  const found = region(4 * (SAMPLE_SLOTS >>> 1));
  const c = instance();
  let mem = grown(c, at);
  mem.u8.set(LOWER_WORD, LOWER_AT);
  mem.u8.set(JOINER, JOINER_AT);
  mem.u8.set(x.text, TEXT_AT);
  mem.u8.fill(0, TEXT_AT + x.text.length, TEXT_AT + x.text.length + 16);
  mem.u32.set(x.lineStart, lineStart >>> 2);
  mem.u32.set(x.blockLine, blockLine >>> 2);
  mem.u32.set(x.blockWord, blockWord >>> 2);
  mem.u8.fill(0, bloom, nonAscii + nonAsciiBytes);
  mem.u8.fill(0, table, table + 20 * SAMPLE_SLOTS);

  // the frequent tokens: counted on a sample by the core, chosen here
  const sampled = c.sample(lineStart, blockLine, blocks, x.top.sampleEvery, table, SAMPLE_SLOTS);
  const tokens = chooseTokens(c, mem, table, found, sampled, x.top);
  const T = tokens.length;
  if (T > TOP_SLOTS) throw new Error(`index: ${T} frequent tokens, ${TOP_SLOTS} at most`);

  const tokStart = region(4 * (T + 1));
  const tokFlat = region(tokens.reduce((n, t) => n + t.bytes.length, 0));
  const bitWords = T * lineWords;
  const bits = region(4 * bitWords);
  const counts = region(4 * T);
  const kinds = region(T);
  const offs = region(4 * (T + 1));
  mem = grown(c, at);
  const tab = new Uint16Array(mem.u8.buffer, TAB_AT, TAB_SLOTS).fill(TOP_SLOTS);
  mem.u8.fill(0, REC_AT, TEXT_AT);
  let flat = tokFlat;
  tokens.forEach((tok, t) => {
    // its slot, and its record: first 16 bytes ORed with 0x20, length, key, bitset (see wasm/segment-core.ts)
    tab[tok.slot] = t;
    const r = REC_AT + 32 * t;
    for (let j = 0; j < 16 && j < tok.bytes.length; j++) mem.u8[r + j] = tok.bytes[j]! | 0x20;
    mem.u32[(r + 16) >>> 2] = tok.bytes.length;
    mem.i32[(r + 20) >>> 2] = tok.key;
    mem.u32[(r + 28) >>> 2] = bits + 4 * t * lineWords;
    mem.u32[(tokStart >>> 2) + t] = flat - tokFlat;
    mem.u8.set(tok.bytes, flat);
    flat += tok.bytes.length;
  });
  mem.u32[(tokStart >>> 2) + T] = flat - tokFlat;
  mem.u32.fill(0, bits >>> 2, (bits >>> 2) + bitWords);
  c.indexLines(lineStart, blockLine, blockWord, blocks, bloom, nonAscii, tokStart, tokFlat);
  c.countLines(bits, T, lineWords, counts);
  // each token's postings in its smallest form, sized here, written by the core
  const postKind = x.alloc(Uint8Array, T);
  const postOff = x.alloc(Uint32Array, T + 1);
  for (let t = 0; t < T; t++) {
    const n = mem.u32[(counts >>> 2) + t]!;
    const listWords = lines < U16_END ? (n + 1) >>> 1 : n;
    postKind[t] = lineWords <= listWords ? POST_BITS : lines < U16_END ? POST_U16 : POST_U32;
    postOff[t + 1] = postOff[t]! + Math.min(lineWords, listWords);
  }
  const out = region(4 * postOff[T]!);
  mem = grown(c, at);
  mem.u8.set(postKind, kinds);
  mem.u32.set(postOff, offs >>> 2);
  c.writePostings(bits, T, lineWords, kinds, offs, out);
  return {
    bloom: copyOut(x.alloc(Int32Array, bloomWords), mem.i32, bloom >>> 2),
    nonAscii: copyOut(x.alloc(Uint8Array, nonAsciiBytes), mem.u8, nonAscii),
    postKind,
    postOff,
    postings: copyOut(x.alloc(Uint32Array, postOff[T]!), mem.u32, out >>> 2),
    tokens,
  };
}

/**
 * The frequent tokens from the core's sample table: in at least minShare of the sampled lines,
 * not collided, ASCII (the core compares them eight bytes at a time), most lines first (of equal
 * counts the one seen first), one per slot of the core's table (of two, the more frequent stays).
 */
function chooseTokens(c: Core, mem: { u8: Uint8Array; u32: Uint32Array }, table: number, found: number, sampled: number, top: CoreInput['top']): Array<{ key: number; bytes: Uint8Array; slot: number }> {
  const min = Math.max(3, Math.ceil(sampled * top.minShare));
  const t32 = mem.u32.subarray(table >>> 2, (table >>> 2) + 5 * SAMPLE_SLOTS);
  // the slots in enough sampled lines, uncollided (the core's `frequent`), then ASCII
  const n = c.frequent(table, SAMPLE_SLOTS, min, found);
  const cand: number[] = [];
  for (let j = 0; j < n; j++) {
    const k = mem.u32[(found >>> 2) + j]!;
    if (isAscii(mem.u8, TEXT_AT + t32[5 * k + 3]!, t32[5 * k + 4]!)) cand.push(k);
  }
  cand.sort((p, q) => t32[5 * q + 1]! - t32[5 * p + 1]! || t32[5 * p + 3]! - t32[5 * q + 3]!);
  const taken = new Set<number>();
  const tokens: Array<{ key: number; bytes: Uint8Array; slot: number }> = [];
  for (const k of cand) {
    if (tokens.length === top.max) break;
    const slot = c.slotOf(t32[5 * k + 3]!, t32[5 * k + 4]!);
    if (taken.has(slot)) continue;
    taken.add(slot);
    const start = TEXT_AT + t32[5 * k + 3]!;
    const bytes = new Uint8Array(t32[5 * k + 4]!);
    for (let j = 0; j < bytes.length; j++) bytes[j] = LOWER[mem.u8[start + j]!]!;
    tokens.push({ key: t32[5 * k]! | 0, bytes, slot });
  }
  return tokens;
}

function copyOut<T extends Int32Array | Uint32Array | Uint8Array>(to: T, from: T, at: number): T {
  to.set(from.subarray(at, at + to.length));
  return to;
}

/** Views of the core's memory, grown to hold `bytes` first (growing detaches older views). */
function grown(c: Core, bytes: number): { u8: Uint8Array; u32: Uint32Array; i32: Int32Array } {
  const need = Math.ceil(bytes / 65536) - c.memory.buffer.byteLength / 65536;
  if (need > 0) c.memory.grow(need);
  return { u8: new Uint8Array(c.memory.buffer), u32: new Uint32Array(c.memory.buffer), i32: new Int32Array(c.memory.buffer) };
}

function isAscii(b: Uint8Array, from: number, n: number): boolean {
  for (let j = from; j < from + n; j++) if (b[j]! >= 0x80) return false;
  return true;
}
