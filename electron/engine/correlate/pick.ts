/**
 * Reading a few named fields of one line straight from its bytes, for the summaries of many
 * calls (parseFields of every lifecycle line would dominate `calls` on large logs). Same rules
 * as fields.ts: keys compared case-insensitively, `\"` unescaped, a `^M` payload ends the line.
 */
import type { LineStore } from '../lines/line-store.js';
import { closingQuote, levelAt } from '../lines/fields.js';

export type Picked = Record<string, string>;

/** A compiled list of wanted keys (lowercase): their bytes, and candidates by key length. */
export interface Picker {
  readonly names: readonly string[];
  readonly bytes: Uint8Array[];
  readonly byLen: number[][];
}

export function picker(wanted: readonly string[]): Picker {
  // folded as the line's bytes are (| 0x20): a letter's case, and `_` (0x5f) is compared as 0x7f
  const bytes = wanted.map((w) => Uint8Array.from(Buffer.from(w, 'latin1'), (c) => c | 0x20));
  const byLen: number[][] = Array.from({ length: 49 }, () => []);
  bytes.forEach((b, k) => b.length < byLen.length && byLen[b.length]!.push(k));
  return { names: wanted, bytes, byLen };
}

/**
 * Values of the wanted keys on store line i into `out` (by position in the picker; undefined
 * when absent; first occurrence wins); the payload, if wanted, under its key. Returns `out`.
 */
export function pickInto(store: LineStore, i: number, want: Picker, out: Array<string | undefined>): Array<string | undefined> {
  // cleared in place (setting the length to 0 and back made a holey array each time: 1 µs a line)
  if (out.length !== want.names.length) out.length = want.names.length;
  out.fill(undefined);
  const b = store.chunks[store.chunk.data[i]!]!;
  const s = store.start.data[i]!;
  const e = store.end.data[i]!;
  // pairs start at ` Level="`
  let p = levelAt(b, s, e);
  if (p < 0) return out;
  let left = want.names.length;
  while (p < e && left > 0) {
    while (p < e && b[p] === 32) p++;
    const ks = p;
    while (p < e && p - ks < 48 && b[p] !== 61 && b[p] !== 32) p++;
    if (p >= e - 1 || b[p] !== 61 || b[p + 1] !== 34) break;
    // which wanted key is this (bytes compared case-insensitively, no string made)
    let w = -1;
    const cands = want.byLen[p - ks];
    if (cands) {
      for (let c = 0; c < cands.length && w < 0; c++) {
        const t = want.bytes[cands[c]!]!;
        let j = 0;
        while (j < t.length && (b[ks + j]! | 0x20) === t[j]) j++;
        if (j === t.length) w = cands[c]!;
      }
    }
    const vs = p + 2;
    if (b[vs] === 94 && b[vs + 1] === 77) {
      if (w >= 0 && out[w] === undefined) out[w] = b.toString('utf8', vs, b[e - 1] === 34 ? e - 1 : e);
      break;
    }
    const { end: ve, escaped } = closingQuote(b, vs, e);
    if (w >= 0 && out[w] === undefined) {
      const v = b.toString('utf8', vs, Math.min(ve, e));
      out[w] = escaped ? v.replace(/\\(["\\])/g, '$1') : v;
      left--;
    }
    p = ve + 1;
  }
  return out;
}

const compiled = new WeakMap<readonly string[], Picker>();

/** Values of the wanted keys (lowercase) on store line i, as an object (for occasional use). */
export function pick(store: LineStore, i: number, wanted: readonly string[]): Picked {
  let want = compiled.get(wanted);
  if (!want) compiled.set(wanted, (want = picker(wanted)));
  const vals = pickInto(store, i, want, []);
  const out: Picked = {};
  for (let k = 0; k < wanted.length; k++) if (vals[k] !== undefined) out[wanted[k]!] = vals[k]!;
  return out;
}

/**
 * Values of SIP headers (canonical lowercase long names; compact forms map to them) in a `^M`
 * payload string, first occurrence each, stopping at the blank line.
 */
const COMPACT: Record<string, string> = { f: 'from', t: 'to', i: 'call-id', m: 'contact', v: 'via', c: 'content-type', l: 'content-length' };
export function sipHeaders(payload: string, wanted: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let p = payload.startsWith('^M') ? 2 : 0;
  let first = true;
  while (p < payload.length) {
    let q = payload.indexOf('^M', p);
    if (q < 0) q = payload.length;
    if (q === p && !first) break;
    if (!first) {
      const colon = payload.indexOf(':', p);
      if (colon > p && colon < q) {
        let name = payload.slice(p, colon).trim().toLowerCase();
        name = COMPACT[name] ?? name;
        if (wanted.includes(name) && !(name in out)) out[name] = payload.slice(colon + 1, q).trim();
      }
    }
    first = false;
    p = q + 2;
  }
  return out;
}

/** The URI of a From/To value: inside <...>, else up to the first `;`. */
export function uriOf(v: string | undefined): string | null {
  if (!v) return null;
  const m = /<([^>]*)>/.exec(v);
  return (m ? m[1]! : v.split(';')[0]!).trim();
}

const HEADER_FORMS: Record<string, Uint8Array[]> = {};
function forms(name: string): Uint8Array[] {
  let f = HEADER_FORMS[name];
  if (!f) {
    const compact = Object.entries(COMPACT).find(([, long]) => long === name)?.[0];
    f = [name, ...(compact ? [compact] : [])].map((n) => Uint8Array.from(Buffer.from(n, 'latin1')));
    HEADER_FORMS[name] = f;
  }
  return f;
}

/** The byte forms of a list of wanted headers, made once per list. */
const formLists = new WeakMap<readonly string[], Uint8Array[][]>();
function formsOf(wanted: readonly string[]): Uint8Array[][] {
  let f = formLists.get(wanted);
  if (!f) formLists.set(wanted, (f = wanted.map(forms)));
  return f;
}

/**
 * Same as `sipHeaders` on the bytes of a payload (from its `^M` marker), without decoding the
 * whole message: for summaries of many calls.
 */
export function sipHeaderBytes(b: Buffer, wanted: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const want = formsOf(wanted);
  let left = wanted.length;
  const got = new Uint8Array(left);
  const e = b.length;
  let k = 0;
  while (k + 1 < e && b[k] === 94 && b[k + 1] === 77) k += 2;
  // each header once, until every wanted one is found or the headers end
  while (left > 0) {
    while (k + 1 < e && !(b[k] === 94 && b[k + 1] === 77)) k++;
    if (k + 1 >= e) return out;
    const h = k + 2;
    if (h + 1 < e && b[h] === 94 && b[h + 1] === 77) return out;
    let colon = h;
    while (colon < e && colon - h < 40 && b[colon] !== 58 && !(b[colon] === 94 && b[colon + 1] === 77)) colon++;
    if (b[colon] === 58) {
      let ne = colon;
      while (ne > h && (b[ne - 1] === 32 || b[ne - 1] === 9)) ne--;
      for (let w = 0; w < want.length; w++) {
        if (got[w]) continue;
        for (const t of want[w]!) {
          if (t.length !== ne - h) continue;
          let j = 0;
          while (j < t.length && (b[h + j]! | 0x20) === t[j]) j++;
          if (j !== t.length) continue;
          let ve = colon + 1;
          while (ve + 1 < e && !(b[ve] === 94 && b[ve + 1] === 77)) ve++;
          if (ve + 1 >= e) ve = e;
          out[wanted[w]!] = b.toString('utf8', colon + 1, ve).trim();
          got[w] = 1;
          left--;
          break;
        }
      }
    }
    k = h;
  }
  return out;
}
