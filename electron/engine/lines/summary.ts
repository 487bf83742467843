/** What `pexlens info` reports: per source and stream, sizes, counts, time range, nodes. */
import type { SourceSummary } from '../../api.js';
import type { LineStore } from './line-store.js';
import { countFacets } from './facets.js';
import { timeOrNull } from './time.js';
import { folderOf } from './streams.js';

export function summarize(store: LineStore): SourceSummary[] {
  const bySource = new Map<string, SourceSummary>();
  for (const s of store.streams) {
    let src = bySource.get(s.root);
    if (!src) bySource.set(s.root, (src = { source: s.root, streams: [] }));
    let from = Infinity, to = -Infinity, lines = 0, bytes = 0, damaged = 0;
    const files = s.files.map((id) => store.files[id]!);
    const spans = files.map((f) => {
      lines += f.lineCount;
      bytes += f.bytes;
      damaged += f.damaged;
      let a = Infinity, b = -Infinity;
      for (let i = f.firstLine, end = f.firstLine + f.lineCount; i < end; i++) {
        const t = store.time.data[i]!;
        if (t < a) a = t;
        if (t > b) b = t;
      }
      from = Math.min(from, a);
      to = Math.max(to, b);
      return { from: timeOrNull(a), to: timeOrNull(b) };
    });
    const facets = countFacets(store, (visit) => {
      for (const f of files) for (let i = f.firstLine, end = f.firstLine + f.lineCount; i < end; i++) visit(i);
    });
    src.streams.push({
      stream: s.name,
      folder: folderOf(files[0]?.display ?? ''),
      files: files.map((f, k) => ({ file: f.display, bytes: f.bytes, lines: f.lineCount, damaged: f.damaged, warnings: f.warnings, ...spans[k]! })),
      bytes,
      lines,
      damaged,
      from: timeOrNull(from),
      to: timeOrNull(to),
      nodes: Object.keys(facets.node).filter((n) => n !== '(none)'),
      levels: facets.level,
      modules: facets.name,
    });
  }
  return [...bySource.values()];
}
