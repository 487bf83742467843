/**
 * Ordering a call's lines across nodes. Each node stamps lines with its own clock (originating
 * time), which can be a second or more off; syslog time is stamped on receipt and shares one
 * clock but adds transport delay and jitter. We keep each node's originating order exactly and
 * place nodes on the common clock by the node's typical offset: median(syslog − originating).
 * Names of one node (host name and IP) get the same offset: offsets within 25 ms are merged.
 */
import type { LineStore } from '../lines/line-store.js';
import { clockIsOff, clockWords } from '../../shared/clock-words.js';

const SAMPLES = 2048;

/** Each node name's median of (syslog time − originating time), ms; NaN for a name with no stamped line. */
function medianOffsets(store: LineStore): number[] {
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
  return samples.map((l) => {
    if (!l.length) return NaN;
    l.sort((a, b) => a - b);
    return l[l.length >> 1]!;
  });
}

export function nodeOffsets(store: LineStore): Float64Array {
  const raw = medianOffsets(store);
  const nodes = raw.length;
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

/**
 * A node's clock against the syslog host's: how much later its lines were received than it
 * stamped them (median, ms). A few ms is the trip; seconds are a clock that is off (NTP).
 */
export interface NodeClock {
  /** The node as its lines name it (a host name and its IP are listed apart, with one offset). */
  node: string;
  /** > 0: the node's clock is behind the syslog host's; < 0: ahead. */
  offsetMs: number;
}

const clocksOf = new WeakMap<LineStore, { count: number; clocks: NodeClock[] }>();

/** Each node name's clock (names with stamped lines), the farthest off first. */
export function nodeClocks(store: LineStore): NodeClock[] {
  const kept = clocksOf.get(store);
  if (kept?.count === store.count) return kept.clocks;
  const clocks = medianOffsets(store)
    .map((offset, k) => ({ node: store.nodes.values[k]!, offsetMs: Math.round(offset) }))
    .filter((c) => !Number.isNaN(c.offsetMs))
    .sort((a, b) => Math.abs(b.offsetMs) - Math.abs(a.offsetMs) || (a.node < b.node ? -1 : 1));
  clocksOf.set(store, { count: store.count, clocks });
  return clocks;
}

/** The bundle's warnings for clocks that are off (clockIsOff); names within 25 ms (a host and its IP) in one. */
export function clockWarnings(store: LineStore): string[] {
  const off = nodeClocks(store).filter((c) => clockIsOff(c.offsetMs));
  const groups: NodeClock[][] = [];
  for (const c of off) {
    const g = groups.find((x) => Math.abs(x[0]!.offsetMs - c.offsetMs) <= 25);
    if (g) g.push(c);
    else groups.push([c]);
  }
  return groups.map(
    (g) => `${g.map((c) => c.node).join(' / ')}: its clock is ${clockWords(g[0]!.offsetMs)} the time its lines were received (the syslog host's); check its NTP. Call ladders place its lines by this offset`,
  );
}

/** A line's time on the common clock: originating time plus its node's offset (syslog time without one). */
export function commonTime(store: LineStore, offsets: Float64Array, i: number): number {
  const o = store.origin.data[i]!;
  if (Number.isNaN(o)) return store.time.data[i]!;
  return o + (offsets[store.node.data[i]!] ?? 0);
}
