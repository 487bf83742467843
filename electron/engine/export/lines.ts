/**
 * Line excerpts: `raw` (the selected lines byte for byte, in input order) and `text` (readable,
 * `^M` payloads expanded into indented lines, in the order given).
 */
import type { LineStore } from '../lines/line-store.js';
import { F_CRLF, F_NOEOL, F_NOLAYOUT } from '../lines/line-store.js';
import { payloadLines } from '../lines/fields.js';
import type { Redactor } from './redact.js';
import type { Sink } from './sink.js';

/** Lets the event loop run (abort signals, UI messages) during long loops. */
export const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Selection as a typed array (copied only when it is not one already). */
export function toIndexArray(sel: Iterable<number> | Uint32Array): Uint32Array {
  if (sel instanceof Uint32Array) return sel;
  if (Array.isArray(sel)) return Uint32Array.from(sel as number[]);
  const parts: number[] = [];
  for (const i of sel) parts.push(i);
  return Uint32Array.from(parts);
}

/**
 * Input order: stream by stream (as the store lists them), within a stream its files oldest
 * first, within a file line by line. For one stream this is also the view order.
 */
export function inputOrder(store: LineStore, sel: Uint32Array): Uint32Array {
  const rank = new Uint32Array(Math.max(1, store.files.length));
  let r = 0;
  const ranked = new Uint8Array(rank.length);
  for (const s of store.streams)
    for (const f of s.files) {
      rank[f] = r++;
      ranked[f] = 1;
    }
  for (let f = 0; f < store.files.length; f++) if (!ranked[f]) rank[f] = r++;
  const file = store.file.data;
  const before = (a: number, b: number) => rank[file[a]!]! - rank[file[b]!]! || a - b;
  let sorted = true;
  for (let k = 1; k < sel.length; k++)
    if (before(sel[k - 1]!, sel[k]!) > 0) {
      sorted = false;
      break;
    }
  if (sorted) return sel;
  return Uint32Array.from(sel).sort(before);
}

/** The line break the line had in the input. */
export function eolOf(store: LineStore, i: number): string {
  const f = store.flags.data[i]!;
  return f & F_NOEOL ? '' : f & F_CRLF ? '\r\n' : '\n';
}

export async function writeRaw(store: LineStore, order: Uint32Array, sink: Sink, redactor: Redactor | null, base: number, total: number): Promise<void> {
  if (!redactor) return writeRawRuns(store, order, sink, base, total);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    await sink.write(redactor.redactLine(store.text(i)) + eolOf(store, i));
    if ((k & 1023) === 0) {
      if ((k & 65535) === 0) await yieldNow();
      sink.check();
      sink.report(base + k, total);
    }
  }
}

/** Unredacted raw: consecutive lines that sit next to each other in one chunk go out as one slice. */
async function writeRawRuns(store: LineStore, order: Uint32Array, sink: Sink, base: number, total: number): Promise<void> {
  const chunkOf = store.chunk.data;
  const start = store.start.data;
  let k = 0;
  while (k < order.length) {
    const first = order[k]!;
    let lastLine = first;
    let end = k + 1;
    let bytesEnd = start[first]! + store.raw(first).length;
    while (end < order.length && end - k < 65536) {
      const j = order[end]!;
      if (j !== lastLine + 1 || chunkOf[j] !== chunkOf[first] || start[j] !== bytesEnd) break;
      bytesEnd += store.raw(j).length;
      lastLine = j;
      end++;
    }
    await sink.write(store.chunks[chunkOf[first]!]!.subarray(start[first]!, bytesEnd));
    if ((k >> 10) !== (end >> 10) || end === order.length) {
      if ((k >> 16) !== (end >> 16)) await yieldNow();
      sink.check();
      sink.report(base + end, total);
    }
    k = end;
  }
}

/** One readable block per line: the line, then its `^M` payload one indented line per line. */
export function textBlock(text: string, damaged: boolean): string {
  const at = damaged ? -1 : text.indexOf('="^M');
  if (at < 0) return text + '\n';
  let k = at;
  while (k > 0 && text.charCodeAt(k - 1) !== 32) k--;
  const key = text.slice(k, at);
  const head = text.slice(0, k).trimEnd();
  const value = text.endsWith('"') && text.length - 1 > at + 2 ? text.slice(at + 2, -1) : text.slice(at + 2);
  let s = `${head}\n    ${key}:\n`;
  for (const l of payloadLines(value)) s += `      ${l}\n`;
  return s + '\n';
}

export async function writeText(store: LineStore, order: Uint32Array, sink: Sink, redactor: Redactor | null, base: number, total: number): Promise<void> {
  const flags = store.flags.data;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    let text = store.text(i);
    if (redactor) text = redactor.redactLine(text);
    await sink.write(textBlock(text, (flags[i]! & F_NOLAYOUT) !== 0));
    if ((k & 1023) === 0) {
      if ((k & 65535) === 0) await yieldNow();
      sink.check();
      sink.report(base + k, total);
    }
  }
}

/** The learning pass of a redacted export: every selected line, before anything is written. */
export async function learnLines(store: LineStore, order: Uint32Array, redactor: Redactor, sink: Sink, total: number): Promise<void> {
  for (let k = 0; k < order.length; k++) {
    redactor.learnLine(store.text(order[k]!));
    if ((k & 1023) === 0) {
      if ((k & 65535) === 0) await yieldNow();
      sink.check();
      sink.report(k, total);
    }
  }
}
