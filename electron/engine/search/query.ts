/**
 * The query language as the engine reads it: the shared grammar (electron/shared/query-grammar.ts,
 * which the renderer reads too, level names and times included), and what evaluating it needs.
 */
import type { Query } from '../../shared/query-grammar.js';

export { fieldValues, parseQuery, QueryError, QUERY_TIME, SPECIAL_FIELDS } from '../../shared/query-grammar.js';
export type { Query } from '../../shared/query-grammar.js';

/** True when the query has a `call:` or `conference:` term: those need the calls engine (a Correlation). */
export function needsCalls(q: Query): boolean {
  switch (q.kind) {
    case 'and':
    case 'or':
      return q.items.some(needsCalls);
    case 'not':
      return needsCalls(q.item);
    case 'field':
      return q.key === 'call' || q.key === 'conference';
    default:
      return false;
  }
}
