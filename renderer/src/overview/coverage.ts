/**
 * The overview's coverage chart: each log's files (and the files missing between them) as bars
 * on one time axis, the bundle's span. Pure, so the geometry is tested apart from the page.
 */
import type { BundleOverview } from '../../../electron/api.js';
import { nameStart } from '../../../electron/shared/file-line.js';

export interface CoverageRow {
  kind: 'file' | 'gap';
  /** The file's name (its folder is the log's). */
  name: string;
  /** Its whole path as the bundle names it. */
  path: string;
  from: string | null;
  to: string | null;
  lines: number | null;
  bytes: number | null;
  damaged: number;
  /** Where its bar starts and how wide it is, as shares of the bundle's span (0..1); null: no times. */
  left: number | null;
  width: number | null;
}

export interface CoverageLog {
  source: string;
  stream: string;
  folder: string;
  rows: CoverageRow[];
}

/** The bar of a stretch of time (ISO, null: unknown) on the span [from, to] (ms), at least a sliver wide. */
export function bar(a: string | null, b: string | null, from: number, to: number): { left: number | null; width: number | null } {
  if (!a || !b) return { left: null, width: null };
  const span = Math.max(1, to - from);
  const left = (Date.parse(a) - from) / span;
  return { left, width: Math.max(0.002, (Date.parse(b) - Date.parse(a)) / span) };
}

/** Every log of the bundle with its rows, oldest file first, a missing file where it would be. */
export function coverageOf(o: BundleOverview, from: number, to: number): CoverageLog[] {
  const logs: CoverageLog[] = [];
  for (const src of o.sources) {
    for (const s of src.streams) {
      const rows: CoverageRow[] = [];
      for (const f of s.files) {
        rows.push({ kind: 'file', name: f.file.slice(nameStart(f.file)), path: f.file, from: f.from, to: f.to, lines: f.lines, bytes: f.bytes, damaged: f.damaged, ...bar(f.from, f.to, from, to) });
        // a gap begins where the file before it ends (rotationGaps: the last time before it)
        for (const g of o.gaps) {
          if (g.stream !== s.stream || g.from !== f.to || !g.missing.every((m) => m.startsWith(s.folder))) continue;
          for (const m of g.missing) rows.push({ kind: 'gap', name: m.slice(nameStart(m)), path: m, from: g.from, to: g.to, lines: null, bytes: null, damaged: 0, ...bar(g.from, g.to, from, to) });
        }
      }
      logs.push({ source: src.source, stream: s.stream, folder: s.folder, rows });
    }
  }
  return logs;
}
