/**
 * The query language as the engine reads it: the shared grammar (electron/shared/query-grammar.ts,
 * which the renderer reads too), with level names and times checked as the query is parsed, so a
 * mistyped one is said before a bundle loads (the CLI parses first), not once it has.
 */
import { levelsWanted, userTime } from '../lines/filter.js';
import { fieldValues, parseQuery as parseGrammar, QueryError } from '../../shared/query-grammar.js';
import type { Query } from '../../shared/query-grammar.js';

export { fieldValues, QueryError, SPECIAL_FIELDS } from '../../shared/query-grammar.js';
export type { Query } from '../../shared/query-grammar.js';

/** The example of a time in a query: a space needs quotes there. */
export const QUERY_TIME = '2026-05-14T08:04:40 or "2026-05-14 08:04:40,000"';

function checkFieldValue(key: string, value: string, pos: number): void {
  const fail = (m: string) => new QueryError(m, pos);
  if (key === 'level') levelsWanted(fieldValues(value), fail);
  else if (key === 'from' || key === 'to') userTime(value, fail, QUERY_TIME);
}

/** Parses a query; an empty query matches every line. Throws QueryError naming the position. */
export function parseQuery(q: string): Query {
  return parseGrammar(q, checkFieldValue);
}

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
