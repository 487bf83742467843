/**
 * A new query's first page, answered from the head of the view (Searcher.firstMatches, `lines`
 * with `first`): its rows must be exactly the first rows of the whole list. Two nodes' logs merged
 * by time (so view order is not store order), random queries made from their text, with the index
 * and without; and the API's answer, partial and then whole.
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
import { EngineApi } from '../../electron/engine/api-impl.js';
import type { LinePage, LineRow } from '../../electron/api.js';
import { QueryMaker } from './search-reference.js';

const QUERIES = Number(process.env.FIRST_QUERIES ?? 300);
const SEED = Number(process.env.FIRST_SEED ?? 20261205);

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-first-'));
process.env.PEXLENS_CACHE_DIR = join(tmp, 'cache');
after(() => rmSync(tmp, { recursive: true, force: true }));
let paths: string[];
let session: Session;
let index: LineIndex;

before(async () => {
  // two nodes' logs over the same hours: the view interleaves them by time
  paths = [
    (await writeBundle(join(tmp, 'a'), { form: 'plain', seed: 21, calls: 120 })).path,
    (await writeBundle(join(tmp, 'b'), { form: 'plain', seed: 22, calls: 120 })).path,
  ];
  session = await openBundle(paths);
  index = await LineIndex.build(session, { workers: 0 });
});

/** An engine with the two logs open, which has evaluated no query yet. */
async function openedApi(): Promise<EngineApi> {
  const api = new EngineApi(() => {});
  await api.open({ paths });
  return api;
}

test(`first pages from the head of the view are the whole list's first rows (${QUERIES} queries, seed ${SEED})`, () => {
  assert.ok(session.store.order, 'the two logs are merged: view order differs from store order');
  const maker = new QueryMaker(session, new Rng(SEED));
  const searchers = [new Searcher(session, index), new Searcher(session, null)];
  let asked = 0;
  let early = 0;
  while (asked < QUERIES) {
    const q = maker.validQuery();
    asked++;
    // a page within the first head, and one only the second head can hold
    const need = [1, 5, 40, Math.floor(session.store.count / 64) + 1][asked % 4]!;
    for (const s of searchers) {
      const whole = s.matchesAll(q);
      const first = s.firstMatches(q, need);
      if (!first) continue;
      early++;
      assert.ok(first.length >= need, `${q}: ${first.length} rows for ${need}`);
      assert.deepEqual([...first], [...whole.subarray(0, first.length)], `first rows of ${q}`);
      // and nothing of the whole list is missing below the last row found
      assert.ok(whole.length === first.length || whole[first.length]! > first[first.length - 1]!, q);
    }
  }
  // most queries made from the text are broad enough for the head to hold their first page
  assert.ok(early > asked * 0.5, `${early} early answers of ${asked * 2}`);
});

test('the API answers a first page early and says so; asked again, it gives the whole list', async () => {
  const api = await openedApi();
  const store = session.store;
  // a broad word: its first page is in the head; a rare one is not
  const broad = 'INVITE';
  const early = await api.lines({ query: broad, offset: 0, limit: 50, first: true });
  assert.equal(early.partial, true);
  const whole = await api.lines({ query: broad, offset: 0, limit: 50 });
  assert.equal(whole.partial, undefined);
  assert.deepEqual(early.rows, whole.rows);
  assert.ok(early.total < whole.total && early.total >= 50, `${early.total} found early of ${whole.total}`);
  assert.equal(whole.total, (await api.search({ query: broad, limit: 0 })).total);
  // once the whole list is known, a first page is answered from it
  assert.equal((await api.lines({ query: broad, offset: 0, limit: 50, first: true })).partial, undefined);

  // a word only in the last lines of the view
  const last = store.text(store.at(store.count - 1));
  const rare = /Call-Id="([^"]+)"/.exec(last)?.[1] ?? /\b([0-9a-f]{8,})\b/.exec(last)![1]!;
  const r = await api.lines({ query: `"${rare}"`, offset: 0, limit: 50, first: true });
  assert.equal(r.partial, undefined);
  assert.equal(r.total, (await api.search({ query: `"${rare}"`, limit: 0 })).total);
});

test('with firstRows, an early first page needs only that many rows, and may hold fewer than its limit', async () => {
  const api = await openedApi();
  const searcher = new Searcher(session, null);
  // a word whose head holds a screenful but not a page: early only when asked for the screenful
  const words = [...new Set(session.store.text(session.store.at(0)).split(/[^A-Za-z]+/))].concat(['BYE', 'ACK', 'CANCEL', 'REGISTER', 'OPTIONS', 'disconnected', 'joined', 'TerminalCapabilitySet', 'Floor', 'timeout']);
  const q = words.find((w) => w.length > 2 && searcher.firstMatches(w, 200) === null && searcher.firstMatches(w, 10) !== null);
  assert.ok(q, 'some word is in the head ten times but not two hundred');
  const whole = await api.lines({ query: q, offset: 0, limit: 200 });
  // an engine that has not evaluated the query yet (the one above answers from its whole list)
  const fresh = await openedApi();
  assert.equal((await fresh.lines({ query: q, offset: 0, limit: 200, first: true })).partial, undefined, 'a whole page is not in the head');
  const other = await openedApi();
  const early = await other.lines({ query: q, offset: 0, limit: 200, first: true, firstRows: 10 });
  assert.equal(early.partial, true);
  assert.ok(early.rows.length >= 10 && early.rows.length < 200 && early.total === early.rows.length, `${early.rows.length} rows, total ${early.total}`);
  assert.deepEqual(early.rows, whole.rows.slice(0, early.rows.length));

  // the explorer's row cache shows those rows, says at least that many match, then fills the page
  (globalThis as { location?: unknown }).location ??= { search: '' };
  const { PageCache } = await import('../../renderer/src/lib/page-cache.js');
  const engine = await openedApi();
  let changed: () => void = () => {};
  const shown = new Promise<void>((resolve) => (changed = resolve));
  const cache = new PageCache<LineRow, LinePage>(() => changed(), (offset: number, limit: number, firstRows: number) => engine.lines({ query: q, offset, limit, first: firstRows > 0, firstRows }));
  cache.start(10);
  await shown;
  const n = early.rows.length;
  assert.equal(cache.atLeast, n);
  assert.deepEqual([0, n - 1].map((i) => cache.row(i)?.index), [0, n - 1].map((i) => whole.rows[i]!.index));
  assert.equal(cache.row(n), undefined);
  assert.equal((await cache.ensure(n))?.index, whole.rows[n]!.index);
  assert.equal(cache.atLeast, null);
  assert.equal(cache.total, whole.total);
});

test("the explorer's row cache shows an early first page, then waits for the whole list before positions are searched", async () => {
  // the renderer's modules read the page's address when loaded; this test gives them the engine in-process
  (globalThis as { location?: unknown }).location ??= { search: '' };
  const { PageCache, PAGE } = await import('../../renderer/src/lib/page-cache.js');
  const query = 'level:INFO';
  const whole = await (async () => {
    const api = await openedApi();
    return api.lines({ query, offset: 0, limit: PAGE });
  })();
  // an engine that has not evaluated the query yet (the one above would answer from its whole list)
  const api = await openedApi();
  let changed: () => void = () => {};
  const shown = new Promise<void>((resolve) => (changed = resolve));
  const early = new PageCache<LineRow, LinePage>(() => changed(), (offset: number, limit: number, firstRows: number) => api.lines({ query, offset, limit, first: firstRows > 0, firstRows }));
  early.start();
  await shown;
  assert.equal(early.known, false, 'the first answer is early');
  assert.ok(early.total >= PAGE && early.total < whole.total, `${early.total} of ${whole.total}`);
  assert.deepEqual([0, 1, PAGE - 1].map((i) => early.row(i)?.index), [0, 1, PAGE - 1].map((i) => whole.rows[i]!.index));
  // a position search (ensure) waits for the whole list's length
  const row = await early.ensure(PAGE - 1);
  assert.equal(early.known, true);
  assert.equal(early.total, whole.total);
  assert.equal(row?.index, whole.rows[PAGE - 1]!.index);
});
