/**
 * The overview's order of nodes (its strips, its alarm lanes, its text): by name, numbers as
 * numbers, so `10.44.99.2` comes before `10.44.99.10`.
 */
import type { BundleOverview } from '../../../electron/api.js';

export const byNodeName = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/** The nodes' lines over time, by name. */
export function activityByNode(o: BundleOverview): BundleOverview['activity']['nodes'] {
  return [...o.activity.nodes].sort((a, b) => byNodeName(a.node, b.node));
}
