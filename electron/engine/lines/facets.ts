/** Level, module and node counts over a set of lines: the facets of a search and of `info`. */
import type { Facets } from '../../api.js';
import type { LineStore } from './line-store.js';
import { LEVELS } from '../../shared/levels.js';

/** Counts the store lines that `each` visits (by store index). */
export function countFacets(store: LineStore, each: (visit: (storeIndex: number) => void) => void): Facets {
  const lv = new Uint32Array(LEVELS.length);
  const nm = new Uint32Array(store.names.values.length);
  const nd = new Uint32Array(store.nodes.values.length);
  const L = store.level.data, N = store.name.data, D = store.node.data;
  each((i) => {
    lv[L[i]!]!++;
    nm[N[i]!]!++;
    nd[D[i]!]!++;
  });
  const obj = (values: readonly string[], counts: Uint32Array, empty: string) => {
    const o: Record<string, number> = {};
    counts.forEach((c, k) => {
      if (c) o[values[k] || empty] = c;
    });
    return o;
  };
  return { level: obj(LEVELS, lv, 'NONE'), name: obj(store.names.values, nm, '(none)'), node: obj(store.nodes.values, nd, '(none)') };
}
