/**
 * Each node's lines over the bundle's span, for the overview: how many it sent in each stretch, and
 * its longest silence (the longest time with no line of it, counted from the log's first line to
 * its last). The log is received by one syslog host: a node whose lines stop was down or cut off
 * from it, which a strip with a hole in it shows at a glance. One pass over two columns.
 */
import type { NodeActivity } from '../../api.js';
import type { LineStore } from './line-store.js';
import { formatTime } from './time.js';
import { stretches } from '../../shared/call-load.js';

export function nodeActivity(store: LineStore, buckets: number): NodeActivity {
  const { from, to } = store.timeSpan();
  const { n, bucketMs } = stretches(from, to, buckets);
  if (!Number.isFinite(from)) return { from: 0, to: 0, bucketMs: 0, nodes: [] };
  const names = store.nodes.values;
  // node k's count of stretch b at k * n + b
  const counts = new Uint32Array(names.length * n);
  // per node: its last line's time (−Infinity: none yet), and its longest silence so far
  const last = new Float64Array(names.length).fill(-Infinity);
  const longest = new Float64Array(names.length).fill(-1);
  const longestFrom = new Float64Array(names.length);
  const time = store.time.data;
  const node = store.node.data;
  const perMs = 1 / bucketMs;
  // in view order: each node's lines in time order, so consecutive ones bound its silences
  const order = store.order;
  for (let p = 0; p < store.count; p++) {
    const i = order ? order[p]! : p;
    const t = time[i]!;
    if (!(t >= from)) continue; // no time (NaN)
    const k = node[i]!;
    const b = Math.floor((t - from) * perMs);
    counts[k * n + (b < n ? b : n - 1)]!++;
    const since = last[k] === -Infinity ? from : last[k]!;
    if (t - since > longest[k]!) (longest[k] = t - since), (longestFrom[k] = since);
    if (t > last[k]!) last[k] = t;
  }
  const nodes: NodeActivity['nodes'] = [];
  names.forEach((name, k) => {
    if (name === '' || last[k] === -Infinity) return;
    if (to - last[k]! > longest[k]!) (longest[k] = to - last[k]!), (longestFrom[k] = last[k]!);
    nodes.push({ node: name, lines: Array.from(counts.subarray(k * n, (k + 1) * n)), silence: { from: formatTime(longestFrom[k]!), to: formatTime(longestFrom[k]! + longest[k]!), ms: longest[k]! } });
  });
  return { from, to, bucketMs, nodes };
}
