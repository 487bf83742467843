/** Column filters over the line store (stream, level, module, node, time): no text decoding. */
import type { LineStore } from './line-store.js';
import { levelsWanted } from '../../shared/levels.js';
import { userTime } from '../../shared/user-time.js';

export interface LineFilter {
  stream?: string;
  level?: string[];
  /** Module names; a trailing `*` makes a prefix. */
  name?: string[];
  node?: string[];
  from?: string;
  to?: string;
}

export type LinePredicate = (i: number) => boolean;

export class FilterError extends Error {}

const filterError = (m: string) => new FilterError(m);

/** Checks what a filter can be checked for without a bundle (levels, times): before a long load. */
export function checkFilter(f: LineFilter): void {
  if (f.level?.length) levelsWanted(f.level, filterError);
  if (f.from) userTime(f.from, filterError);
  if (f.to) userTime(f.to, filterError);
}

export function compileFilter(store: LineStore, f: LineFilter): LinePredicate {
  const tests: LinePredicate[] = [];
  if (f.stream) {
    const files = new Uint8Array(store.files.length);
    let any = false;
    for (const s of store.streams) if (s.name === f.stream) for (const id of s.files) files[id] = 1, (any = true);
    if (!any) throw new FilterError(`no stream named '${f.stream}' (streams: ${[...new Set(store.streams.map((s) => s.name))].join(', ')})`);
    const col = store.file.data;
    tests.push((i) => files[col[i]!] === 1);
  }
  if (f.level?.length) {
    const want = levelsWanted(f.level, filterError);
    const col = store.level.data;
    tests.push((i) => want[col[i]!] === 1);
  }
  if (f.name?.length) {
    const want = matchInterned(store.names.values, f.name);
    const col = store.name.data;
    tests.push((i) => want[col[i]!] === 1);
  }
  if (f.node?.length) {
    const want = matchInterned(store.nodes.values, f.node);
    const col = store.node.data;
    tests.push((i) => want[col[i]!] === 1);
  }
  // a time of day alone: its first occurrence in the bundle
  const first = store.timeSpan().from;
  const from = f.from ? userTime(f.from, filterError, undefined, first) : -Infinity;
  const to = f.to ? userTime(f.to, filterError, undefined, first) : Infinity;
  if (f.from || f.to) {
    const col = store.time.data;
    tests.push((i) => {
      const t = col[i]!;
      return t >= from && t <= to;
    });
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (i) => {
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
}

/** Marks interned values equal to a wanted value (case-insensitive) or starting with a `prefix*`. */
export function matchInterned(values: string[], wanted: string[]): Uint8Array {
  const out = new Uint8Array(Math.max(values.length, 1));
  const lowered = wanted.map((w) => w.toLowerCase());
  values.forEach((v, id) => {
    const lv = v.toLowerCase();
    for (const w of lowered) {
      if (w.endsWith('*') ? lv.startsWith(w.slice(0, -1)) : lv === w) {
        out[id] = 1;
        break;
      }
    }
  });
  return out;
}
