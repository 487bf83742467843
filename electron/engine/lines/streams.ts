/**
 * Streams: the files of one log and its rotations, oldest first, and the view that merges the
 * streams by syslog time. A stream is a log's name family (`unified_support.log`, `.1`, `.2.gz`)
 * in one folder, or one folder of an archive: two nodes' snapshots side by side in a case folder
 * or zip each hold a `unified_support.log`, and those are two logs, merged by time like any two
 * streams, not one whose rotations interleave.
 */
import type { FileRecord, LineStore } from './line-store.js';
import { compareRotation } from '../sources/names.js';
import { nameStart } from '../../shared/file-line.js';
import { formatTime, timeOrNull } from './time.js';

/** Where a file sits: its path up to its own name (a folder, or a folder inside an archive). */
export function folderOf(display: string): string {
  return display.slice(0, Math.max(0, nameStart(display) - 1));
}

/** Groups the store's files into streams and sets the view order (null: the store's own). */
export function buildStreams(store: LineStore): void {
  const byKey = new Map<string, FileRecord[]>();
  for (const f of store.files) {
    const key = `${f.root}\0${folderOf(f.display)}\0${f.stream}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(f);
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => compareRotation(a, b) || a.id - b.id);
    store.streams.push({ id: store.streams.length, name: list[0]!.stream, root: list[0]!.root, files: list.map((f) => f.id) });
  }
  const ranges = store.streams.map((s) => s.files.map((id) => store.files[id]!));
  const identity = ranges.length <= 1 && ranges.every((files) => files.every((f, k) => k === 0 || files[k - 1]!.id < f.id));
  store.order = identity ? null : mergeByTime(store, ranges);
}

/** A stretch of a stream that none of the bundle's files holds: rotations missing between two it has. */
export interface RotationGap {
  stream: string;
  /** The missing files' names (`unified_support.log.2`), in the folder the stream's files are in. */
  missing: string[];
  /** The last time before the gap and the first after it (NaN for an empty file). */
  from: number;
  to: number;
}

/**
 * Rotations missing between the files of each stream: `.1` and `.3` without `.2` is a hole in
 * the log, which a case needs to know of (ask for the file; a call in it is cut). Older rotations
 * than the oldest file, or a missing live file, are the ordinary edges of a bundle, not gaps.
 */
export function rotationGaps(store: LineStore): RotationGap[] {
  const gaps: RotationGap[] = [];
  const time = store.time.data;
  for (const s of store.streams) {
    const files = s.files.map((id) => store.files[id]!); // oldest first
    for (let k = 1; k < files.length; k++) {
      const older = files[k - 1]!;
      const newer = files[k]!;
      if (older.rotation - newer.rotation <= 1) continue;
      // named as its neighbours are: their folder (or archive) and separator
      const where = newer.display.slice(0, nameStart(newer.display));
      const missing: string[] = [];
      for (let r = older.rotation - 1; r > newer.rotation; r--) missing.push(`${where}${s.name}.${r}`);
      const from = older.lineCount ? time[older.firstLine + older.lineCount - 1]! : NaN;
      const to = newer.lineCount ? time[newer.firstLine]! : NaN;
      gaps.push({ stream: s.name, missing, from, to });
    }
  }
  return gaps;
}

/** A gap as the bundle's warnings say it. */
export function gapWarning(g: RotationGap): string {
  const names = g.missing.length === 1 ? `${g.missing[0]} is` : `${g.missing.join(', ')} are`;
  const span = Number.isFinite(g.from) && Number.isFinite(g.to) ? ` from ${formatTime(g.from)} to ${formatTime(g.to)}` : '';
  return `${names} not in the bundle: ${g.stream} has a gap${span} (the rotations either side are here; calls across it are cut)`;
}

/** Stable k-way merge of streams by syslog time; each stream keeps its own order. */
function mergeByTime(store: LineStore, streams: FileRecord[][]): Uint32Array {
  const order = new Uint32Array(store.count);
  const time = store.time.data;
  // each stream as a cursor over its files' line ranges
  const cursors = streams.map((files) => ({ files, f: 0, i: files.length ? files[0]!.firstLine : 0 }));
  const valid = (c: (typeof cursors)[number]) => {
    while (c.f < c.files.length && c.i >= c.files[c.f]!.firstLine + c.files[c.f]!.lineCount) {
      c.f++;
      if (c.f < c.files.length) c.i = c.files[c.f]!.firstLine;
    }
    return c.f < c.files.length;
  };
  let n = 0;
  const live = cursors.filter(valid);
  while (live.length) {
    let best = 0;
    let bt = time[live[0]!.i]!;
    for (let k = 1; k < live.length; k++) {
      const t = time[live[k]!.i]!;
      if (t < bt || (Number.isNaN(bt) && !Number.isNaN(t))) {
        best = k;
        bt = t;
      }
    }
    const c = live[best]!;
    // take a run from the best stream while it stays at or before the others
    let limit = Infinity;
    for (let k = 0; k < live.length; k++) if (k !== best) limit = Math.min(limit, time[live[k]!.i]!);
    do {
      order[n++] = c.i++;
    } while (valid(c) && c.f < c.files.length && !(time[c.i]! > limit));
    if (!valid(c)) live.splice(best, 1);
  }
  return order;
}

/** The missing rotations with their times as ISO (null where a side has none): what the overview and the timeline show. */
export function rotationGapTimes(store: LineStore): Array<{ stream: string; missing: string[]; from: string | null; to: string | null }> {
  return rotationGaps(store).map((g) => ({ stream: g.stream, missing: g.missing, from: timeOrNull(g.from), to: timeOrNull(g.to) }));
}
