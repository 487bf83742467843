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
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { Rng } from '../generator/prng.js';
import { openBundle } from '../../electron/engine/session.js';
import type { Session } from '../../electron/engine/session.js';
import { LineIndex, Searcher, parseQuery } from '../../electron/engine/search/index.js';
import { parseFields } from '../../electron/engine/lines/fields.js';
import { isWordCh, NO_CALLS, refTotal } from './search-reference.js';

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

/** Random query text drawn from the lines of a session. */
class QueryMaker {
  private readonly recent: string[] = [];
  constructor(
    private readonly s: Session,
    private readonly rng: Rng,
  ) {}

  private line(): string {
    return this.s.store.content(this.rng.int(this.s.store.count)).toString('latin1');
  }

  /** Latin1 text back to what a user would type: UTF-8 decoded; null when it holds invalid bytes. */
  private typed(latin1: string): string | null {
    const t = /[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
    return t.includes('\ufffd') ? null : t;
  }

  private randomCase(t: string): string {
    const r = this.rng.next();
    if (r < 0.6) return t;
    if (r < 0.8) return t.toUpperCase();
    return t.replace(/[a-z]/gi, (c) => (this.rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase()));
  }

  word(): string | null {
    const t = this.line();
    let p = this.rng.int(t.length + 1);
    for (let k = 0; k < 40 && !isWordCh(t, p); k++) p = this.rng.int(t.length);
    if (!isWordCh(t, p)) return null;
    let a = p, e = p;
    while (isWordCh(t, a - 1)) a--;
    while (isWordCh(t, e)) e++;
    // dotted, colon-joined, URI-like values: a few more atoms over one punctuation byte
    for (let k = this.rng.chance(0.4) ? this.rng.range(1, 3) : 0; k > 0; k--) {
      if ('.@:-/;='.includes(t[e] ?? 'x') && isWordCh(t, e + 1)) for (e++; isWordCh(t, e); e++);
    }
    if (this.rng.chance(0.15) && e - a > 2) a += this.rng.range(1, Math.min(3, e - a - 2));
    if (this.rng.chance(0.15) && e - a > 2) e -= this.rng.range(1, Math.min(3, e - a - 2));
    const w = this.typed(t.slice(a, e));
    if (!w || /[\s"()\\*]/.test(w)) return null;
    const r = this.rng.next();
    const x = this.randomCase(w);
    return r < 0.1 ? `${x}*` : r < 0.15 ? `*${x}` : r < 0.18 ? `*${x}*` : x;
  }

  phrase(): string | null {
    const t = this.line();
    if (t.length < 3) return null;
    const a = this.rng.int(t.length - 2);
    const s = this.typed(t.slice(a, a + this.rng.range(2, Math.min(30, t.length - a))));
    if (!s || /[\r\n]/.test(s)) return null;
    return `"${this.randomCase(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }

  regex(): string | null {
    const t = this.typed(this.line());
    if (!t || t.length < 4) return null;
    const a = this.rng.int(t.length - 3);
    const lit = t.slice(a, a + this.rng.range(3, 12)).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // sometimes a digit run or any character in place of a literal's end
    const tail = this.rng.chance(0.3) ? '\\d+' : this.rng.chance(0.3) ? '.' : '';
    return `/${lit}${tail}/${this.rng.chance(0.5) ? 'i' : ''}`;
  }

  field(): string | null {
    const r = this.rng.next();
    const i = this.rng.int(this.s.store.count);
    if (r < 0.15) return `level:${['DEBUG', 'INFO', 'WARNING', 'ERROR'][this.rng.int(4)]}`;
    if (r < 0.3) return `name:${this.s.store.nameOf(i)}`;
    const pairs = parseFields(this.s.store.text(i)).pairs.filter((p) => /^[A-Za-z][\w.-]*$/.test(p.key) && !/^(level|name|node|call|conference|from|to)$/i.test(p.key));
    const p = pairs[this.rng.int(pairs.length)];
    if (!p || /[\s"()\\]/.test(p.value) || !p.value || p.value.startsWith('^M')) return null;
    const v = this.rng.chance(0.3) ? `${p.value.slice(0, this.rng.range(1, p.value.length))}*` : p.value;
    return `${this.randomCase(p.key)}:${this.randomCase(v)}`;
  }

  term(): string | null {
    // a term asked before, as a user refines a query (and the searcher may keep its lines)
    if (this.recent.length && this.rng.chance(0.25)) return this.recent[this.rng.int(this.recent.length)]!;
    const r = this.rng.next();
    const t = r < 0.5 ? this.word() : r < 0.8 ? this.phrase() : r < 0.9 ? this.regex() : this.field();
    if (t) this.recent.splice(0, this.recent.length >= 8 ? 1 : 0, t);
    return t;
  }

  query(): string | null {
    const r = this.rng.next();
    const a = this.term();
    const b = r < 0.5 ? '' : this.term();
    if (!a || b === null) return null;
    if (r < 0.5) return a;
    if (r < 0.7) return `${a} ${b}`;
    if (r < 0.8) return `${a} -${b}`;
    if (r < 0.9) return `${a} OR ${b}`;
    const c = this.term();
    return c && `(${a} OR ${b}) ${c}`;
  }
}

test(`random queries from the log's text: indexed = scanned = reference (${QUERIES} queries, seed ${SEED})`, () => {
  const maker = new QueryMaker(session, new Rng(SEED));
  const indexed = new Searcher(session, index);
  const scanned = new Searcher(session, null);
  let asked = 0, found = 0;
  while (asked < QUERIES) {
    const q = maker.query();
    if (q === null) continue;
    try {
      parseQuery(q);
    } catch {
      continue; // e.g. a regex the random cut left invalid
    }
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
