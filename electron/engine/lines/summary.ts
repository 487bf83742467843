/** What `pexlens info` reports: per source and stream, sizes, counts, time range, nodes. */
import type { LineStore } from './line-store.js';
import { countFacets } from './facets.js';
import { formatTime } from './time.js';
import { folderOf } from './streams.js';

export interface StreamSummary {
  stream: string;
  /** Where its files sit (a folder, or a folder inside an archive): two snapshots' logs of one name differ here. */
  folder: string;
  files: Array<{ file: string; bytes: number; lines: number; damaged: number; warnings: string[] }>;
  bytes: number;
  lines: number;
  damaged: number;
  from: string | null;
  to: string | null;
  nodes: string[];
  levels: Record<string, number>;
  modules: Record<string, number>;
}

export interface SourceSummary {
  source: string;
  streams: StreamSummary[];
}

export function summarize(store: LineStore): SourceSummary[] {
  const bySource = new Map<string, SourceSummary>();
  for (const s of store.streams) {
    let src = bySource.get(s.root);
    if (!src) bySource.set(s.root, (src = { source: s.root, streams: [] }));
    let from = Infinity, to = -Infinity, lines = 0, bytes = 0, damaged = 0;
    const files = s.files.map((id) => store.files[id]!);
    for (const f of files) {
      lines += f.lineCount;
      bytes += f.bytes;
      damaged += f.damaged;
      for (let i = f.firstLine, end = f.firstLine + f.lineCount; i < end; i++) {
        const t = store.time.data[i]!;
        if (t < from) from = t;
        if (t > to) to = t;
      }
    }
    const facets = countFacets(store, (visit) => {
      for (const f of files) for (let i = f.firstLine, end = f.firstLine + f.lineCount; i < end; i++) visit(i);
    });
    src.streams.push({
      stream: s.name,
      folder: folderOf(files[0]?.display ?? ''),
      files: files.map((f) => ({ file: f.display, bytes: f.bytes, lines: f.lineCount, damaged: f.damaged, warnings: f.warnings })),
      bytes,
      lines,
      damaged,
      from: Number.isFinite(from) ? formatTime(from) : null,
      to: Number.isFinite(to) ? formatTime(to) : null,
      nodes: Object.keys(facets.node).filter((n) => n !== '(none)'),
      levels: facets.level,
      modules: facets.name,
    });
  }
  return [...bySource.values()];
}
