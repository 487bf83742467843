/**
 * What the explorer marks in a row is what the engine matched (renderer/src/lib/query.ts reads
 * queries with the engine's grammar). For random terms made from the log's own text (words,
 * quoted text, regexes with and without `i`, log key values), a line's text as the UI gets it
 * holds a mark exactly when the search reference finds the term in that line; and the UI's edits
 * of `field:` terms read a query as the engine does.
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
import { parseQuery } from '../../electron/engine/search/index.js';
import { getField, highlighter, hits, keySegments, matchContext, segments, setField, valueSegments } from '../../renderer/src/lib/query.js';
import { buildRow } from '../../electron/engine/worker/rows.js';
import { parseFields } from '../../electron/engine/lines/fields.js';
import { SPECIAL_FIELDS } from '../../electron/shared/query-grammar.js';
import { lowerAscii, NO_CALLS, QueryMaker, refMatcher } from './search-reference.js';

const TERMS = Number(process.env.HIGHLIGHT_TERMS ?? 400);
const SEED = Number(process.env.HIGHLIGHT_SEED ?? 20261204);

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-highlight-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let session: Session;
let texts: string[];

before(async () => {
  const { path } = await writeBundle(join(tmp, 'b'), { form: 'folder', crlf: true, seed: 11, calls: 60 });
  session = await openBundle([path]);
  texts = [];
  for (let i = 0; i < session.store.count; i++) texts.push(session.store.text(i));
});

/** Lines where marks and matches disagree for query q (at most a few, for the message). */
function disagreements(q: string): string[] {
  const hl = highlighter(q);
  const match = refMatcher(session, parseQuery(q), NO_CALLS);
  const out: string[] = [];
  for (let i = 0; i < texts.length && out.length < 3; i++) {
    const marked = hits(texts[i]!, hl, 0, 1).length > 0;
    if (marked !== match(i)) out.push(`line ${i} ${match(i) ? 'matches, unmarked' : 'marked, no match'}: ${texts[i]!.slice(0, 160)}`);
  }
  return out;
}

test(`random terms: a line is marked exactly where the engine's reference matches it (${TERMS} terms, seed ${SEED})`, () => {
  const maker = new QueryMaker(session, new Rng(SEED));
  let asked = 0;
  let marked = 0;
  while (asked < TERMS) {
    const q = maker.term();
    // level: and name: select columns, not text: nothing to mark
    if (q === null || /^(level|name):/i.test(q)) continue;
    try {
      // a cut word can start with '-': lines then match for what they lack, nothing to mark
      if (parseQuery(q).kind === 'not') continue;
    } catch {
      continue;
    }
    asked++;
    assert.deepEqual(disagreements(q), [], `marks of ${q} (seed ${SEED})`);
    if (highlighter(q)) marked++;
  }
  assert.equal(marked, asked, 'every text term has marks');
});

test('terms the old marks got wrong: URIs, escaped quotes, case-sensitive and unicode regexes, non-ASCII case', () => {
  const sipUri = texts.join('\n').match(/sip:[a-z0-9.]+@[a-z0-9.]+/i)?.[0];
  assert.ok(sipUri, 'the log names a SIP URI');
  const cases = [
    sipUri, // a word, not a `sip:` field
    '/INVITE/', // case-sensitive: `invite` is not marked
    '/invite/i',
    '/[/]sip/', // a slash inside a class does not end the regex
    '/\\p{Lu}{3}/u', // \p{…} only means a class with the u flag
    '"Received \\"SIP\\" message" OR INVITE', // \" in quotes
    'müller', // ASCII case folding only: MÜLLER is not marked
  ];
  for (const q of cases) assert.deepEqual(disagreements(q), [], `marks of ${q}`);
  const seg = segments('Via: SIP/2.0 INVITE invite', highlighter('/INVITE/'));
  assert.deepEqual(seg.filter((s) => s.hit).map((s) => s.text), ['INVITE']);
  assert.deepEqual(hits('x Müller MÜLLER müller', highlighter('müller')), [[2, 8], [16, 22]]);
});

test('nothing is marked for negated terms, column fields or a query that does not parse', () => {
  assert.equal(highlighter('-invite'), null);
  assert.equal(highlighter('NOT (invite OR bye)'), null);
  assert.equal(highlighter('level:ERROR name:support.sip node:x'), null);
  assert.equal(highlighter('(invite'), null);
  const hl = highlighter('bye -invite');
  assert.deepEqual(segments('BYE INVITE', hl).filter((s) => s.hit).map((s) => s.text), ['BYE']);
  // overlapping marks of two terms join
  assert.deepEqual(hits('abcdef', highlighter('/abcd/ /cdef/')), [[0, 6]]);
  assert.equal(matchContext('a Message="x" Detail="^MINVITE sip:b"', highlighter('invite'), 14, 4, 6), '…="^MINVITE sip:b…');
});

test('a key:value term marks the value in the key column and the detail fields, where the line holds that pair', () => {
  const rng = new Rng(SEED);
  const rows = texts.map((_, i) => buildRow(session.store, i, i));
  // values the column shows, by key, and the SIP Call-IDs it takes from a payload (no pair there)
  const shown = new Map<string, string[]>();
  for (const r of rows) for (const [k, v] of Object.entries(r.keys)) shown.set(k, [...(shown.get(k) ?? []), v]);
  const fromPayload = (r: (typeof rows)[number]) => 'Call-Id' in r.keys && !/(?<![\w.-])call-id="/i.test(r.text);
  assert.ok(rows.some(fromPayload), 'some rows show a Call-ID from their SIP payload');
  const queries: string[] = [];
  for (const [k, values] of shown) {
    // `node:` and the like are the line's own columns, not its log keys (the column shows a
    // warning's `Node="…"` pair): only `conference:` reads keys
    const field = k.toLowerCase() as (typeof SPECIAL_FIELDS)[number];
    if (SPECIAL_FIELDS.includes(field) && field !== 'conference') continue;
    for (let n = 0; n < 4; n++) {
      const v = values[rng.int(values.length)]!;
      if (/[\s"()\\]/.test(v)) continue;
      queries.push(`${k.toLowerCase()}:${v}`, `${k.toUpperCase()}:${v.slice(0, 5)}*`);
    }
  }
  queries.push('conference:*', `conference:"${shown.get('Conference')![0]}"`);
  let marked = 0;
  let payloadSkipped = 0;
  for (const q of queries) {
    const term = parseQuery(q);
    assert.equal(term.kind, 'field', q);
    if (term.kind !== 'field') continue;
    const names = (k: string) => (term.key === 'conference' ? lowerAscii(k).startsWith('conference') : lowerAscii(k) === term.key);
    const glob = new RegExp(`^${lowerAscii(term.value).split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    const named = (k: string, v: string) => names(k) && glob.test(lowerAscii(v));
    const hl = highlighter(q);
    const match = refMatcher(session, term, NO_CALLS);
    const whole = (segs: ReturnType<typeof segments>, v: string) => segs.length === 1 && segs[0]!.hit && segs[0]!.text === v;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      // the column shows every entry once, the ones with a mark first
      const column = keySegments(r.keys, r.text, hl).map((x) => x.text).join('');
      const entries = Object.entries(r.keys).map(([k, v]) => `${k}=${v}`);
      const first = Object.entries(r.keys).filter(([k, v]) => match(i) && named(k, v)).map(([k, v]) => `${k}=${v}`);
      assert.equal(column, [...first, ...entries.filter((e) => !first.includes(e))].join('  '));
      for (const [k, v] of Object.entries(r.keys)) {
        const want = match(i) && named(k, v);
        assert.equal(whole(valueSegments(k, v, hl, r.text), v), want, `${q}: line ${i} column ${k}=${v}`);
        if (want) marked++;
        if (!want && named(k, v) && fromPayload(r)) payloadSkipped++;
      }
      for (const f of parseFields(r.text).pairs) assert.equal(whole(valueSegments(f.key, f.value, hl), f.value), named(f.key, f.value), `${q}: line ${i} field ${f.key}`);
    }
  }
  assert.ok(marked > 100, `${marked} column values marked`);
  assert.ok(payloadSkipped > 0, 'a Call-ID shown from a payload is not marked for call-id:');
});

test('field terms are edited as the engine reads the query', () => {
  // a quoted value with an escaped quote, a URI word, a negated and a nested field stay as they are
  const q = 'sip:alice@example.com "a \\"level:INFO\\" b" -level:DEBUG (level:WARNING OR x) level:ERROR';
  assert.equal(getField(q, 'level'), 'ERROR');
  assert.equal(getField(q, 'sip'), null);
  assert.equal(setField(q, 'level', 'INFO'), 'sip:alice@example.com "a \\"level:INFO\\" b" -level:DEBUG (level:WARNING OR x) level:INFO');
  assert.equal(setField('node:"pxnode osl" x', 'node', null), 'x');
  assert.equal(getField('node:"pxnode osl" x', 'node'), 'pxnode osl');
  // a value with quotes and a backslash (a message may hold them) is written so that it reads back whole
  const said = 'Caller said "hi" \\ bye';
  const withMessage = setField('x', 'message', said);
  assert.equal(withMessage, 'x message:"Caller said \\"hi\\" \\\\ bye"');
  assert.equal(getField(withMessage, 'message'), said);
  // half-typed queries still take chips
  assert.equal(setField('"unclosed level:ERROR', 'level', 'INFO'), '"unclosed level:ERROR level:INFO');
  assert.equal(setField('(a OR level:ERROR', 'level', 'INFO'), '(a OR level:ERROR level:INFO');
  assert.equal(setField('level:ERROR /re(/', 'level', null), '/re(/');
});
