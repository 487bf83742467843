/**
 * Queries searched lately, most recent first, kept in the page's local storage per search box
 * (the explorer's line search, the call search) and offered under the box as you type, so a
 * query written once for a case is a click away in the next bundle.
 */
export type RecentKind = 'lines' | 'calls';

/** Queries kept per box at most. */
const MAX = 15;

const key = (kind: RecentKind) => `pexlens.recent.${kind}`;

export function recentQueries(kind: RecentKind): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key(kind)) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return []; // no storage (or not ours): nothing remembered
  }
}

/** Puts q first (once) and returns the list as it now is. */
export function rememberQuery(kind: RecentKind, q: string): string[] {
  const t = q.trim();
  const list = recentQueries(kind);
  if (!t || list[0] === t) return list;
  const next = [t, ...list.filter((x) => x !== t)].slice(0, MAX);
  try {
    localStorage.setItem(key(kind), JSON.stringify(next));
  } catch {
    // storage full or refused: remembered for this page only
  }
  return next;
}
