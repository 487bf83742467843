/** Search: the query language, the line index, the searcher, the persistent cache, the entity index. */
export { needsCalls, parseQuery, QueryError, SPECIAL_FIELDS } from './query.js';
export type { Query } from './query.js';
export { LineIndex, IndexBuilder } from './line-index.js';
export { Searcher } from './searcher.js';
export type { Cancel, Correlation, SearchOptions } from './searcher.js';
