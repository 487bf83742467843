/**
 * Search, differential: seeded random queries made from the log's own text (whole and partial
 * words, dotted and colon-joined values, random substrings in random case, regexes, log keys,
 * AND / NOT / OR) must find the same lines with the index, without it, and by the line-by-line
 * reference. The listed queries of search.test.ts are what we thought of; these are what we did
 * not (two index bugs were found this way: a query's `^m` against the log's `^M`).
 * A longer run, on any log (a bigger one has several chunks and full frequent-token tables):
 *   FUZZ_QUERIES=5000 FUZZ_SEED=7 FUZZ_LOG=some.log npx tsx --test test/unit/search-fuzz.test.ts
 */
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { Rng } from '../generator/prng.js';
import { openBundle } from '../../electron/engine/session.js';
import type { Session } from '../../electron/engine/session.js';
import { LineIndex, Searcher } from '../../electron/engine/search/index.js';
import { NO_CALLS, QueryMaker, refTotal } from './search-reference.js';

const QUERIES = Number(process.env.FUZZ_QUERIES ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const LOG = process.env.FUZZ_LOG;

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-fuzz-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let session: Session;
let index: LineIndex;

before(async () => {
  // enough lines for a few hundred index blocks and a full set of frequent tokens; rotated files,
  // gzipped and CRLF, as cases arrive
  const path = LOG ?? (await writeBundle(join(tmp, 'b'), { form: 'folder', crlf: true, seed: 5, calls: 240 })).path;
  session = await openBundle([path]);
  index = await LineIndex.build(session, { workers: LOG ? 2 : 0 });
});

test(`random queries from the log's text: indexed = scanned = reference (${QUERIES} queries, seed ${SEED})`, () => {
  const maker = new QueryMaker(session, new Rng(SEED));
  const indexed = new Searcher(session, index);
  const scanned = new Searcher(session, null);
  let asked = 0, found = 0;
  while (asked < QUERIES) {
    const q = maker.validQuery();
    asked++;
    const want = refTotal(session, q, NO_CALLS);
    const a = indexed.search(q, { limit: 5 });
    const b = scanned.search(q, { limit: 5 });
    assert.equal(a.total, want, `indexed total of ${q} (seed ${SEED})`);
    assert.equal(b.total, want, `scanned total of ${q} (seed ${SEED})`);
    assert.deepEqual(a.hits, b.hits, `hits of ${q}`);
    if (want > 0) found++;
  }
  // the queries come from the log, so most find something
  assert.ok(found > asked * 0.6, `${found} of ${asked} queries found lines`);
});
