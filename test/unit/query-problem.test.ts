/**
 * The explorer refuses a query it cannot send (renderer/src/lib/query.ts queryProblem) exactly when
 * the engine would refuse it, and points at the piece of the query the engine names. Random
 * queries made from a generated log's text, then damaged as typing damages them (a character
 * dropped, a parenthesis, quote, slash, operator or field put in anywhere), are given to both.
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
import { QueryError, Searcher } from '../../electron/engine/search/index.js';
import { findInCall, queryProblem } from '../../renderer/src/lib/query.js';
import { QueryMaker } from './search-reference.js';

const QUERIES = Number(process.env.PROBLEM_QUERIES ?? 1500);
const SEED = Number(process.env.PROBLEM_SEED ?? 20261205);

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-problem-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let session: Session;

before(async () => {
  const { path } = await writeBundle(join(tmp, 'b'), { form: 'folder', seed: 3, calls: 20 });
  session = await openBundle([path]);
});

/** What typing puts into a query by mistake, or half-finished. */
const INSERTS = ['(', ')', '"', '/', '-', ' OR ', ' AND ', 'NOT ', 'level:', 'level:EROR ', 'from:', 'from:08:00 ', 'to:2026-05-14T08:04:40 ', '/[/', '/x/q ', '\\', ':'];

function damage(q: string, rng: Rng): string {
  const at = rng.int(q.length + 1);
  if (rng.chance(0.3) && q.length > 1) return q.slice(0, at) + q.slice(at + 1);
  return q.slice(0, at) + INSERTS[rng.int(INSERTS.length)] + q.slice(at);
}

/** The engine's answer: null when it searches the query, else the position its error names. */
function engineRefuses(searcher: Searcher, q: string): number | null {
  try {
    searcher.search(q, { limit: 1 });
    return null;
  } catch (e) {
    if (e instanceof QueryError) return e.position;
    throw e;
  }
}

test(`random and damaged queries: the page refuses exactly what the engine refuses, at the same place (${QUERIES} queries, seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const maker = new QueryMaker(session, rng);
  const searcher = new Searcher(session, null);
  let asked = 0;
  let refused = 0;
  while (asked < QUERIES) {
    let q = maker.query();
    if (q === null) continue;
    for (let k = 1 + rng.int(2); k > 0; k--) q = damage(q, rng);
    asked++;
    const page = queryProblem(q);
    const engine = engineRefuses(searcher, q);
    assert.equal(page === null, engine === null, `${q}: page ${JSON.stringify(page)}, engine ${engine}`);
    if (page && engine !== null) {
      refused++;
      assert.equal(page.from, engine, q);
      assert.ok(page.to > page.from || page.from === q.length, q);
    }
  }
  // both kinds are asked often enough to mean something
  assert.ok(refused > asked * 0.2 && refused < asked * 0.8, `${refused} of ${asked} refused`);
});

test('the piece pointed at: the term or operator the problem starts at', () => {
  const piece = (q: string) => {
    const p = queryProblem(q);
    return p && { reason: p.reason, text: q.slice(p.from, p.to), from: p.from };
  };
  assert.deepEqual(piece('alice (INVITE OR BYE'), { reason: "'(' is never closed", text: '(', from: 6 });
  assert.deepEqual(piece('alice level:EROR (INVITE)'), { reason: "unknown level 'EROR' (DEBUG, INFO, WARNING, ERROR, CRITICAL, NONE)", text: 'level:EROR', from: 6 });
  assert.deepEqual(piece('bye from:yesterday'), { reason: "cannot read time 'yesterday' (use e.g. 2026-05-14T08:04:40, \"2026-05-14 08:04:40,000\" or a time of day, 08:04:40)", text: 'from:yesterday', from: 4 });
  assert.deepEqual(piece('INVITE OR'), { reason: "'OR' needs a term after it", text: 'OR', from: 7 });
  assert.deepEqual(piece('bye)'), { reason: "')' without '('", text: ')', from: 3 });
  assert.equal(piece('"Max-Forwards: 70')?.text, '"Max-Forwards: 70');
  assert.equal(piece('/sip(/')?.text, '/sip(/');
  assert.deepEqual(piece('bye AND'), { reason: "'AND' needs a term after it", text: 'AND', from: 4 });
  assert.deepEqual(piece('bye NOT'), { reason: "'NOT' needs a term after it", text: 'NOT', from: 4 });
  assert.deepEqual(piece('/bye/x'), { reason: "bad regular expression flag 'x' (flags: i m s u v; to search for text starting with \"/\", quote it)", text: 'x', from: 5 });
  for (const ok of ['', 'alice', 'alice -', 'level:error,warning', 'from:"2026-05-14 08:04:40" bye', '(a OR b) -c', '/SIP\\/2\\.0 4\\d\\d/']) assert.equal(queryProblem(ok), null, ok);
});

test("a call opened from the explorer finds what its search looked for, without the terms that picked the call or the time", () => {
  assert.equal(findInCall('call:9cf0c8546d55421199434cb4@10.47.156.47 BYE'), 'BYE');
  assert.equal(findInCall('conference:"Meet Alice" level:ERROR from:08:00 to:09:00'), 'level:ERROR');
  assert.equal(findInCall('"a=sendonly" OR 488'), '"a=sendonly" OR 488');
  // a term under - or inside parentheses is what to find (setField leaves it)
  assert.equal(findInCall('-call:x alice'), '-call:x alice');
  for (const nothing of ['', '*', 'call:x', 'conference:y from:08:00', '(a OR']) assert.equal(findInCall(nothing), null, nothing);
});
