/**
 * Runs the segment's hot loop (wasm/segment-core.ts, compiled to wasm/segment-core.wasm) on one
 * chunk: lays its inputs out in the module's memory, calls it, and copies the results out. One
 * instance per thread, its memory grown to the largest chunk seen and reused.
 */
import { readFileSync } from 'node:fs';
import { LOWER, WORD, JOINER } from './tokens.js';

interface Core {
  memory: WebAssembly.Memory;
  indexLines(...offsets: number[]): void;
  countLines(bits: number, tokens: number, lineWords: number, counts: number): void;
}

let core: Core | null = null;

function instance(): Core {
  if (!core) {
    const path = new URL('./wasm/segment-core.wasm', import.meta.url);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`index: cannot read ${path.pathname} (${(e as NodeJS.ErrnoException).code}); run \`npm run build:wasm\``);
    }
    core = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {}).exports as unknown as Core;
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
  /** Frequent tokens (ASCII, lowercased, at most TOP_SLOTS), with their keys. */
  tokens: Array<{ key: number; bytes: Uint8Array }>;
}

export interface CoreOutput {
  bloom: Int32Array;
  nonAscii: Uint8Array;
  /** Per frequent token, a bitset over the segment's lines (lineWords 32-bit words each; a view, valid until the next call). */
  bits: Uint32Array;
  /** Per frequent token, how many lines hold it. */
  counts: Uint32Array;
  lineWords: number;
  /** The tokens that got a slot (of two with one slot, the first, more frequent, stays). */
  kept: Array<{ key: number; bytes: Uint8Array }>;
}

/** Fixed places of the core's tables (as in wasm/segment-core.ts); the text follows them. */
const LOWER_AT = 0;
const JOINER_AT = 256;
const TAB_AT = 512;
const TAB_SLOTS = 4096;
export const TOP_SLOTS = 512;
const TOKS_AT = TAB_AT + 8 * TAB_SLOTS;
const LAST_AT = TOKS_AT + 16 * TOP_SLOTS;
const TEXT_AT = LAST_AT + 4 * TOP_SLOTS;

export function runCore(x: CoreInput): CoreOutput {
  const lines = x.lineStart.length - 1;
  const blocks = x.blockLine.length - 1;
  const lineWords = (lines + 31) >>> 5;
  // frequent tokens into their slots: direct-mapped (one probe per atom keeps the hot loop cheap)
  const slotOf = new Map<number, number>();
  const kept = x.tokens.filter((t) => {
    const slot = t.key & (TAB_SLOTS - 1);
    if (slotOf.has(slot) || t.bytes.length === 0 || t.bytes.length > 0xffff) return false;
    slotOf.set(slot, slotOf.size);
    return true;
  });
  const T = kept.length;
  if (T > TOP_SLOTS) throw new Error(`index: ${T} frequent tokens, ${TOP_SLOTS} at most`);
  // layout: 8-byte aligned regions after the text
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
  const tokStart = region(4 * (T + 1));
  const tokFlat = region(kept.reduce((n, t) => n + t.bytes.length, 0));
  const bitWords = T * lineWords;
  const bits = region(4 * bitWords);
  const counts = region(4 * T);

  const c = instance();
  const need = Math.ceil(at / 65536) - c.memory.buffer.byteLength / 65536;
  if (need > 0) c.memory.grow(need);
  const u8 = new Uint8Array(c.memory.buffer);
  const u32 = new Uint32Array(c.memory.buffer);
  const i32 = new Int32Array(c.memory.buffer);
  const view = new DataView(c.memory.buffer);
  u8.set(LOWER_WORD, LOWER_AT);
  u8.set(JOINER, JOINER_AT);
  u8.fill(0, TAB_AT, TEXT_AT);
  i32.fill(-1, LAST_AT >>> 2, (LAST_AT >>> 2) + TOP_SLOTS);
  let flat = tokFlat;
  kept.forEach((tok, t) => {
    const slot = TAB_AT + 8 * (tok.key & (TAB_SLOTS - 1));
    view.setInt32(slot, tok.key, true);
    view.setUint16(slot + 4, t, true);
    view.setUint16(slot + 6, tok.bytes.length, true);
    for (let j = 0; j < 16 && j < tok.bytes.length; j++) u8[TOKS_AT + 16 * t + j] = tok.bytes[j]! | 0x20;
    u32[(tokStart >>> 2) + t] = flat - tokFlat;
    u8.set(tok.bytes, flat);
    flat += tok.bytes.length;
  });
  u32[(tokStart >>> 2) + T] = flat - tokFlat;
  u8.set(x.text, TEXT_AT);
  u8.fill(0, TEXT_AT + x.text.length, TEXT_AT + x.text.length + 16);
  u32.set(x.lineStart, lineStart >>> 2);
  u32.set(x.blockLine, blockLine >>> 2);
  u32.set(x.blockWord, blockWord >>> 2);
  u8.fill(0, bloom, nonAscii + nonAsciiBytes);
  u32.fill(0, bits >>> 2, (bits >>> 2) + bitWords);
  c.indexLines(lineStart, blockLine, blockWord, blocks, bloom, nonAscii, tokStart, tokFlat, bits, lineWords);
  c.countLines(bits, T, lineWords, counts);
  return {
    bloom: i32.slice(bloom >>> 2, (bloom >>> 2) + bloomWords),
    nonAscii: u8.slice(nonAscii, nonAscii + nonAsciiBytes),
    bits: u32.subarray(bits >>> 2, (bits >>> 2) + bitWords),
    counts: u32.slice(counts >>> 2, (counts >>> 2) + T),
    lineWords,
    kept,
  };
}
