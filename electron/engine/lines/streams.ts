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
