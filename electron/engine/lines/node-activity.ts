/**
 * Each node's lines over the bundle's span, for the overview: how many it sent in each stretch, and
 * its longest silence (the longest time with no line of it, counted from the log's first line to
 * its last). The log is received by one syslog host: a node whose lines stop was down or cut off
 * from it, which a strip with a hole in it shows at a glance. One pass over two columns.
 */
import type { NodeActivity } from '../../api.js';
import type { LineStore } from './line-store.js';
import { formatTime } from './time.js';

export function nodeActivity(store: LineStore, buckets: number): NodeActivity {
  const { from, to } = store.timeSpan();
  const n = Math.max(1, Math.min(2000, Math.floor(buckets)));
  if (!Number.isFinite(from)) return { from: 0, to: 0, bucketMs: 0, nodes: [] };
  const bucketMs = Math.max(1, (to - from) / n);
  const names = store.nodes.values;
  const lines = names.map(() => new Array<number>(n).fill(0));
  const last = new Float64Array(names.length).fill(NaN);
  const longest = names.map(() => ({ ms: -1, from: 0, to: 0 }));
  const time = store.time.data;
  const node = store.node.data;
  const gap = (k: number, a: number, b: number) => {
    if (b - a > longest[k]!.ms) longest[k] = { ms: b - a, from: a, to: b };
  };
  // in view order: each node's lines in time order, so consecutive ones bound its silences
  for (let p = 0; p < store.count; p++) {
    const i = store.at(p);
    const t = time[i]!;
    if (!Number.isFinite(t)) continue;
    const k = node[i]!;
    lines[k]![Math.min(n - 1, Math.max(0, Math.floor((t - from) / bucketMs)))]!++;
    gap(k, Number.isNaN(last[k]!) ? from : last[k]!, t);
    last[k] = Math.max(t, Number.isNaN(last[k]!) ? t : last[k]!);
  }
  const nodes: NodeActivity['nodes'] = [];
  names.forEach((name, k) => {
    if (name === '' || Number.isNaN(last[k]!)) return;
    gap(k, last[k]!, to);
    const g = longest[k]!;
    nodes.push({ node: name, lines: lines[k]!, silence: { from: formatTime(g.from), to: formatTime(g.to), ms: g.ms } });
  });
  return { from, to, bucketMs, nodes };
}
