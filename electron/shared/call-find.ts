/**
 * "Find in this call" (the call view; `pexlens trace --find`): the engine answers which of the
 * call's lines match a query, as the search `call:<id> (<query>)`; here those lines become
 * messages (a message matches when any of its lines does: each piece of a split SIP message is a
 * line of its own), and the view's F3 / Enter step through them in the ladder's order.
 */
import type { TraceMessage } from '../api.js';
import { fieldTerm, parseQuery } from './query-grammar.js';

/**
 * The search for a call's lines that match `query`. Throws QueryError where the query does not
 * read alone: a stray parenthesis in it would otherwise pair with ours.
 */
export function callQuery(id: string, query: string): string {
  parseQuery(query);
  return `${fieldTerm('call', id)} (${query})`;
}

/** The messages (indexes into the trace's) with a line among `lines` (view indexes). */
export function messagesWith(messages: readonly TraceMessage[], lines: readonly number[]): Set<number> {
  const hit = new Set(lines);
  const out = new Set<number>();
  messages.forEach((m, i) => {
    if (m.indexes.some((x) => hit.has(x))) out.add(i);
  });
  return out;
}

/**
 * The found message after (`dir` 1) or before (-1) `from` in the ladder's order (`order`: the
 * messages shown, top to bottom), round to the other end; from the top (or the bottom) when `from`
 * is null or not shown. Null when no found message is shown.
 */
export function stepFound(order: readonly number[], found: ReadonlySet<number>, from: number | null, dir: 1 | -1): number | null {
  const at = from === null ? -1 : order.indexOf(from);
  const n = order.length;
  // from the next (or previous) row round the ladder, back to where it began
  for (let k = 1; k <= n; k++) {
    const i = at < 0 ? (dir > 0 ? k - 1 : n - k) : (((at + dir * k) % n) + n) % n;
    if (found.has(order[i]!)) return order[i]!;
  }
  return null;
}
