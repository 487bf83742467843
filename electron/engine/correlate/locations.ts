/**
 * The locations a call's own lines do not give, from its nodes. A node's system location is its
 * configuration, the same for every call on it: where the bundle's calls name one location for a
 * node in a role (signaling or media), and only one, a call on that node without a line of its
 * own saying it (its attempt to join in a rotation the bundle lacks) is given that one. A node named
 * two locations in a role gives none.
 */
import type { CallSummary } from '../../api.js';

type Role = ['signalingNode', 'signalingLocation'] | ['mediaNode', 'mediaLocation'];
const ROLES: readonly Role[] = [
  ['signalingNode', 'signalingLocation'],
  ['mediaNode', 'mediaLocation'],
];

export function fillNodeLocations(calls: readonly CallSummary[]): void {
  for (const [node, location] of ROLES) {
    // node → its one location, or null once it has been named two
    const of = new Map<string, string | null>();
    for (const c of calls) {
      const n = c[node], l = c[location];
      if (n === null || l === null) continue;
      const had = of.get(n);
      if (had === undefined) of.set(n, l);
      else if (had !== l) of.set(n, null);
    }
    for (const c of calls) if (c[location] === null && c[node] !== null) c[location] = of.get(c[node]!) ?? null;
  }
}
