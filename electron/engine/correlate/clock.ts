/**
 * Ordering a call's lines across nodes. Each node stamps lines with its own clock (originating
 * time), which can be a second or more off; syslog time is stamped on receipt and shares one
 * clock but adds transport delay and jitter. We keep each node's originating order exactly and
 * place nodes on the common clock by the node's typical offset: median(syslog − originating).
 * Names of one node (host name and IP) get the same offset: offsets within 25 ms are merged.
 */
import type { LineStore } from '../lines/line-store.js';

const SAMPLES = 2048;

export function nodeOffsets(store: LineStore): Float64Array {
  const nodes = store.nodes.values.length;
  const samples: number[][] = Array.from({ length: nodes }, () => []);
  const step = Math.max(1, Math.floor(store.count / (SAMPLES * 8)));
  const time = store.time.data;
  const origin = store.origin.data;
  const node = store.node.data;
  for (let i = 0; i < store.count; i += step) {
    const o = origin[i]!;
    if (Number.isNaN(o)) continue;
    const list = samples[node[i]!]!;
    if (list.length < SAMPLES) list.push(time[i]! - o);
  }
  const raw = samples.map((l) => {
    if (!l.length) return NaN;
    l.sort((a, b) => a - b);
    return l[l.length >> 1]!;
  });
  // merge close offsets (one node under two names) into one value
  const order = raw.map((_, k) => k).filter((k) => !Number.isNaN(raw[k]!)).sort((a, b) => raw[a]! - raw[b]!);
  const out = new Float64Array(nodes);
  let g = 0;
  while (g < order.length) {
    let h = g + 1;
    while (h < order.length && raw[order[h]!]! - raw[order[h - 1]!]! <= 25) h++;
    const v = raw[order[(g + h) >> 1]!]!;
    for (let k = g; k < h; k++) out[order[k]!] = v;
    g = h;
  }
  return out;
}

/** A line's time on the common clock: originating time plus its node's offset (syslog time without one). */
export function commonTime(store: LineStore, offsets: Float64Array, i: number): number {
  const o = store.origin.data[i]!;
  if (Number.isNaN(o)) return store.time.data[i]!;
  return o + (offsets[store.node.data[i]!] ?? 0);
}
