/**
 * Search: every query form is compared with a straightforward line-by-line reference on
 * generated logs (damaged and non-UTF-8 lines included), plain, CRLF, rotated+gzipped folder
 * and tgz, with the index and without it (pure scan).
 */
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import type { Truth } from '../generator/index.js';
import { openBundle } from '../../electron/engine/session.js';
import type { Session } from '../../electron/engine/session.js';
import { LineIndex, Searcher, parseQuery, QueryError } from '../../electron/engine/search/index.js';
import type { Correlation, Query } from '../../electron/engine/search/index.js';
import { buildCallIndex } from '../../electron/engine/correlate/index.js';
import { pickAnchor, regexLiteral, sampleFrequencies } from '../../electron/engine/search/anchor.js';
import { chunkFirstLines } from '../../electron/engine/search/line-index.js';
import { BLOCK_LINES, eachPostingLine } from '../../electron/engine/search/segment.js';
import { lowerAscii, NO_CALLS, refTotal } from './search-reference.js';
import type { Ref } from './search-reference.js';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-search-'));
process.env.PEXLENS_CACHE_DIR = join(tmp, 'cache');
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---- fixtures: one generated log in several forms ----

interface Case {
  name: string;
  session: Session;
  index: LineIndex;
  truth: Truth;
  ref: Ref;
  correlation: Correlation;
}
const cases: Case[] = [];

before(async () => {
  const forms = [
    { name: 'plain', form: 'plain' as const, crlf: false },
    { name: 'crlf', form: 'plain' as const, crlf: true },
    { name: 'folder (rotated, gz)', form: 'folder' as const, crlf: false },
    { name: 'tgz', form: 'tgz' as const, crlf: false },
  ];
  for (const f of forms) {
    const t0 = performance.now();
    const b = await writeBundle(join(tmp, f.name.replace(/\W+/g, '_')), { form: f.form, crlf: f.crlf, seed: 11, calls: 16 });
    const session = await openBundle([b.path]);
    const index = await LineIndex.build(session, { workers: cases.length === 0 ? 1 : 0 }); // workers once, inline after
    const ci = buildCallIndex(session);
    const calls = new Map<string, Set<number>>();
    for (const c of ci.calls) for (const id of [c.id, ...c.ids]) calls.set(id, new Set(ci.linesOf(id)));
    const conferences = ci.calls.map((c) => ({ names: [c.conference, c.conferenceId].filter((x): x is string => x !== null), lines: calls.get(c.id)! }));
    if (process.env.SHOW) console.log(f.name, 'setup', Math.round(performance.now() - t0), 'ms');
    cases.push({ name: f.name, session, index, truth: b.truth, ref: { calls, conferences }, correlation: ci });
  }
});

function queriesFor(c: Case): string[] {
  const t = c.truth;
  const call = t.calls.find((x) => x.protocol === 'SIP')!;
  const h323 = t.calls.find((x) => x.protocol === 'H323');
  const person = t.personal.find((p) => /^[A-Za-z]+$/.test(p)) ?? 'alice';
  const nonAscii = t.personal.find((p) => /[^\x00-\x7f]/.test(p));
  const ip = call.signalingNode;
  const q: string[] = [
    // words
    'INVITE',
    'invite ack',
    person,
    ip,
    '404',
    `${call.id}`,
    call.id.split('@')[0]!,
    'sip',
    'Trying*',
    'invit',
    'nvite',
    'tryin*',
    ip.slice(0, -1),
    ip.split('.').slice(1).join('.'),
    call.id.slice(0, 10),
    '*ying',
    '@example.com',
    'via',
    // ^M is the log's line break: its M belongs to no word
    'MVia',
    '^MVia',
    'Max-Forwards',
    'call-id',
    'cseq',
    '"^M"',
    // case folds but only an uppercase ^M breaks words: the query's `^m` matches the log's `^M`
    '"^mvia: sip"',
    '^mVia',
    'invite -"^mcseq:"',
    'level',
    'INFO',
    'sip/2.0',
    // quoted
    '"via"',
    '"sip/2.0 404"',
    '"Level="',
    `"${ip}"`,
    '"sip/2.0 200"',
    '"not found"',
    '"200 ok"',
    `"${call.id.slice(3, 15)}"`,
    '"\\"" ',
    // regex
    '/SIP\\/2\\.0 [1-6]\\d\\d/',
    '/invite/i',
    '/^\\S+ \\S+ \\d{4}-/',
    '/"$/',
    '/\\uFFFD/',
    '/[^\\x00-\\x7f]/u',
    // regexes whose required literal (the anchor searched with indexOf) needs care
    '/bye|cancel/i',
    '/invi?te/i',
    '/SIP\\/2\\.0 40{1,2}4?/',
    '/(?:INVITE|BYE) sip/',
    '/x[[]a|via/i',
    '/tag=[0-9a-f]+;/',
    '/SIP\\/2\\.0 1\\d\\d (Trying|Ringing)/',
    '/\\bsip\\b.*\\b404\\b/i',
    '/ACK$/',
    '/(?<=Name=")support\\.sip/',
    '/Trying+/',
    '/ok/iu',
    '/\\x41CK/',
    // a needle holding a line break matches nothing (a line's text has none) and must not stall the scan
    '"200 ok\n"',
    '/ok\n/i',
    // fields
    'level:ERROR',
    'level:warning,error',
    'name:support.sip',
    'name:support.h323*',
    'name:administrator.*',
    `node:${ip}`,
    `call-id:${call.id}`,
    `call-id:${call.id.slice(0, 6)}*`,
    `participant-id:*`,
    `conference:"${call.conference ?? 'x'}"`,
    `conference:${call.conferenceId ?? 'x'}`,
    `conference:"${call.conference ?? 'x'}" invite`,
    `conference:${(call.conference ?? 'x').slice(0, 3)}*`,
    'from:2026-05-14T08:01:00 to:2026-05-14T08:03:00',
    'from:08:01 to:08:03:30',
    `call:${call.id}`,
    `call:${call.ids[call.ids.length - 1]}`,
    // negation, OR, grouping
    '-sip',
    'NOT level:INFO',
    'sip -invite',
    'invite OR bye',
    '(invite OR bye) -ack',
    '(invite OR bye) -name:support.sip',
    `level:INFO (${person} OR "${ip}") -/ack/i`,
    'AND_not_a_keyword',
  ];
  if (h323) q.push(`call:${h323.id}`, `uuid:${h323.ids.find((x) => /-/.test(x)) ?? h323.id}`);
  if (nonAscii) q.push(nonAscii, `"${nonAscii}"`, `/${nonAscii}/`);
  return q;
}

test('every query form: total equals the line-by-line reference (indexed and scanned, all bundle forms)', () => {
  assert.ok(cases.length >= 4);
  for (const c of cases) {
    const store = c.session.store;
    // the data must hold what the test is about
    let nonUtf8 = 0;
    for (let i = 0; i < store.count; i++) if (store.flags.data[i]! & 2) nonUtf8++;
    assert.ok(nonUtf8 > 0, `${c.name}: the generated log has non-UTF-8 lines`);
    const withIndex = new Searcher(c.session, c.index, c.correlation);
    const scanOnly = new Searcher(c.session, null, c.correlation);
    let nonZero = 0;
    const t0 = performance.now();
    for (const q of queriesFor(c)) {
      const want = refTotal(c.session, q, c.ref);
      const a = withIndex.search(q, { limit: 5 });
      const b = scanOnly.search(q, { limit: 5 });
      assert.equal(a.total, want, `${c.name}: indexed total of ${q}`);
      assert.equal(b.total, want, `${c.name}: scanned total of ${q}`);
      assert.deepEqual(a.hits, b.hits, `${c.name}: hits of ${q}`);
      if (want > 0) nonZero++;
      if (process.env.SHOW) console.log(c.name, JSON.stringify(q), want);
    }
    if (process.env.SHOW) console.log(c.name, 'queries', Math.round(performance.now() - t0), 'ms');
    assert.ok(nonZero >= 30, `${c.name}: most test queries find something (${nonZero})`);
    // the SIP headers after a ^M are words: `via` finds every line with a Via header
    let viaHeaders = 0;
    for (let i = 0; i < store.count; i++) if (store.content(i).includes('^MVia:')) viaHeaders++;
    assert.ok(viaHeaders > 0, `${c.name}: the log has SIP messages`);
    assert.ok(withIndex.search('via', { limit: 1 }).total >= viaHeaders, `${c.name}: via finds the ${viaHeaders} lines with a Via header`);
    assert.equal(withIndex.search('MVia', { limit: 1 }).total, 0, `${c.name}: MVia is no word`);
  }
});

test('hits are view positions in input order, limit/offset page through them, facets count all matches', () => {
  const c = cases.find((x) => x.name.startsWith('folder'))!;
  const s = new Searcher(c.session, c.index, c.correlation);
  const all = s.matchesAll('sip');
  const total = s.search('sip', { limit: 0 }).total;
  assert.equal(all.length, total);
  for (let k = 1; k < all.length; k++) assert.ok(all[k]! > all[k - 1]!);
  const page = s.search('sip', { offset: 10, limit: 7 });
  assert.deepEqual(page.hits, [...all.slice(10, 17)]);
  for (const p of page.hits) assert.match(c.session.store.text(c.session.store.at(p)), /sip/i);
  const f = s.search('sip', { limit: 1 }).facets;
  assert.equal(Object.values(f.level).reduce((a, b) => a + b, 0), total);
  assert.equal(Object.values(f.name).reduce((a, b) => a + b, 0), total);
  assert.equal(f.name['support.sip']! > 0, true);
  const h = s.histogram('level:ERROR', 12);
  assert.equal(h.lines.length, 12);
  assert.equal(h.lines.reduce((a, b) => a + b, 0), s.search('level:ERROR', { limit: 0 }).total);
  assert.deepEqual(h.errors, h.lines);
});

test('a refined query reuses its terms\' whole-bundle lines, and finds what a fresh searcher finds', () => {
  const c = cases.find((x) => x.name.startsWith('tgz'))!;
  const call = c.truth.calls.find((x) => x.protocol === 'SIP')!;
  const ip = call.signalingNode;
  const person = c.truth.personal.find((p) => /^[A-Za-z]+$/.test(p)) ?? 'alice';
  const s = new Searcher(c.session, c.index, c.correlation);
  // each step as a user refines; `invite` is first evaluated within the address's lines (narrowed,
  // so not stored) and later asked alone, which must not see the narrowed lines
  const steps: Array<[string, boolean]> = [
    [ip, false],
    [`${ip} invite`, true],
    [`${ip} invite -ack`, true],
    ['invite', false],
    [`invite ${ip}`, true],
    [`(${ip} OR ${person}) -/ack/i`, true],
    [`call-id:${call.id}`, false],
    [`call-id:${call.id} level:INFO`, true],
    [`NOT ${person}`, true], // stored by the OR above, asked whole there
    [`-${person} ${ip}`, true],
  ];
  for (const [q, reuses] of steps) {
    const before = s.termCacheHits;
    const got = s.search(q, { limit: 5 });
    const fresh = new Searcher(c.session, c.index, c.correlation).search(q, { limit: 5 });
    assert.equal(got.total, refTotal(c.session, q, c.ref), `total of ${q}`);
    assert.deepEqual(got, fresh, `same result as a fresh searcher: ${q}`);
    assert.equal(s.termCacheHits > before, reuses, `${q} ${reuses ? 'reuses' : 'does not reuse'} a stored term`);
  }
  // the bench's searcher keeps nothing: each run does its own work
  const own = new Searcher(c.session, c.index, c.correlation, { reuseTerms: false });
  for (const [q] of steps) assert.deepEqual(own.search(q, { limit: 5 }), s.search(q, { limit: 5 }), q);
  assert.equal(own.termCacheHits, 0);
});

test('call: with a resolver returns exactly the call lines; an unknown call finds nothing', () => {
  const c = cases[0]!;
  const s = new Searcher(c.session, c.index, c.correlation);
  const call = c.truth.calls[0]!;
  const want = c.ref.calls.get(call.id)!;
  assert.equal(s.search(`call:${call.id}`).total, want.size);
  for (const id of call.ids) assert.equal(s.search(`call:${id}`, { limit: 0 }).total, want.size, id);
  assert.equal(s.search('call:no-such-call').total, 0);
});

test('parseQuery: structure, precedence and clear errors with positions', () => {
  assert.deepEqual(parseQuery(''), { kind: 'all' });
  const q = parseQuery('a b OR c');
  assert.equal(q.kind, 'and');
  assert.equal((q as { items: Query[] }).items[1]!.kind, 'or');
  assert.equal(parseQuery('-x').kind, 'not');
  assert.equal(parseQuery('NOT (a OR b)').kind, 'not');
  assert.deepEqual(parseQuery('sip:alice@example.com'), { kind: 'word', text: 'sip:alice@example.com', openStart: false, openEnd: false, pos: 0 });
  assert.deepEqual(parseQuery('Participant-ID:abc'), { kind: 'field', key: 'participant-id', value: 'abc', quoted: false, pos: 0 });
  assert.deepEqual(parseQuery('from:"2026-05-14 08:00:00"'), { kind: 'field', key: 'from', value: '2026-05-14 08:00:00', quoted: true, pos: 0 });
  assert.deepEqual(parseQuery('10.47.1.12:5060').kind, 'word');
  assert.deepEqual(parseQuery('/a\\/b[/]c/i'), { kind: 'regex', source: 'a\\/b[/]c', flags: 'i', pos: 0 });
  const bad: Array<[string, RegExp]> = [
    ['"open', /unclosed quote \(at position 1\)/],
    ['a (b', /'\(' is never closed \(at position 3\)/],
    ['a )', /'\)' without '\(' \(at position 3\)/],
    ['/x', /unclosed regular expression/],
    ['/x/q', /bad regular expression flag 'q' .*position 4/],
    ['/(/', /bad regular expression/],
    ['OR a', /'OR' needs a term before it/],
    ['a OR', /'OR' needs a term after it/],
    ['NOT', /'NOT' needs a term after it/],
    ['a () b', /'\(\)' holds no term \(at position 3\)/],
    ['INVITE level:', /'level:' needs a value .*"level:".*position 8/],
    ['call: x', /'call:' needs a value/],
  ];
  // any other key alone is text: the SIP header name `Call-ID:`
  assert.deepEqual(parseQuery('Call-ID:'), { kind: 'word', text: 'Call-ID:', openStart: false, openEnd: false, pos: 0 });
  for (const [text, re] of bad) assert.throws(() => parseQuery(text), (e: unknown) => e instanceof QueryError && re.test((e as Error).message), text);
  const s = new Searcher(cases[0]!.session, null);
  assert.throws(() => s.search('level:LOUD'), /unknown level 'LOUD'/);
  assert.throws(() => s.search('from:yesterday'), /cannot read time 'yesterday'/);
});

test('regexLiteral: the literal every match must contain, or none when unsure', () => {
  const cases: Array<[string, string, string | null]> = [
    ['SIP\\/2\\.0 4\\d\\d', '', 'SIP/2.0 4'],
    ['bye|cancel', 'i', null],
    ['(?:INVITE|BYE) sip', '', ' sip'],
    ['invi?te', 'i', 'inv'],
    ['ab*c', '', 'a'],
    ['Trying+x', '', 'Trying'],
    ['40{1,2}4?', '', '40'],
    ['a{0,3}bc', '', 'bc'],
    ['x[[]a|b', '', null],
    ['[abc]', '', null],
    ['\\x41CK', '', 'CK'],
    ['kiss', 'iu', 'i'],
    ['ok', 'i', 'ok'],
    ['\\bsip\\b', 'i', 'sip'],
  ];
  for (const [src, flags, want] of cases) {
    const got = regexLiteral(src, flags);
    assert.equal(got?.text ?? null, want, `/${src}/${flags}`);
  }
  // every anchor is necessary: a match of the regex contains it
  for (const [src, flags] of cases) {
    const lit = regexLiteral(src, flags);
    if (!lit) continue;
    for (const sample of ['SIP/2.0 404', 'BYE sip', 'invte', 'ac', 'Tryingggx', '4004', 'bc', 'ACK', 'KISS', 'OK', 'a sip b']) {
      const m = new RegExp(src, flags).exec(sample);
      if (m) assert.ok((lit.caseless ? m[0].toLowerCase() : m[0]).includes(lit.caseless ? lit.text.toLowerCase() : lit.text), `/${src}/${flags} on ${sample}`);
    }
  }
});

test('frequent-token postings are exact: each holds the lines with that whole word, no other', () => {
  const c = cases.find((x) => x.name.startsWith('plain'))!;
  const store = c.session.store;
  let checked = 0;
  c.index.segments.forEach((seg, k) => {
    const first = chunkFirstLines(store)[k]!;
    const atomsOf: Array<Set<string>> = [];
    for (let l = 0; l < seg.lines; l++) atomsOf.push(new Set(store.content(first + l).toString('latin1').split(/(?:\^M|[^0-9A-Za-z_\x80-\xff])+/).map(lowerAscii)));
    for (let t = 0; t < seg.topKeys.length; t++) {
      const word = Buffer.from(seg.topBytes.subarray(seg.topOff[t]!, seg.topOff[t + 1]!)).toString('latin1');
      const want: number[] = [];
      for (let l = 0; l < seg.lines; l++) if (atomsOf[l]!.has(word)) want.push(l);
      const got: number[] = [];
      eachPostingLine(seg, t, (l) => got.push(l));
      assert.deepEqual(got, want, `postings of '${word}'`);
      checked++;
    }
  });
  assert.ok(checked >= 20, `frequent tokens checked: ${checked}`);
});

/**
 * Hand-written lines, each in an index block of its own (64 lines of filler after it), so a
 * block's filter answers for that line alone; with the index and without it, the totals must be
 * the reference's.
 */
async function ownBlocks(name: string, special: Array<string | Buffer>, queries: string[]): Promise<Searcher> {
  const head = (k: number) => `2026-05-14T08:00:0${k}.000+00:00 pxnode-lon-01 2026-05-14 08:00:0${k},000 Level="INFO" Name="support.h323" Message="capabilities"`;
  const filler = Array.from({ length: BLOCK_LINES }, (_, k) => `${head(9)} Detail="filler ${k}"\n`).join('');
  const file = join(mkdtempSync(join(tmp, `${name}-`)), 'unified_support.log');
  writeFileSync(file, Buffer.concat(special.flatMap((l, k) => [Buffer.from(`${head(k)} `), Buffer.from(l), Buffer.from(`\n${filler}`)])));
  const session = await openBundle([file]);
  const indexed = new Searcher(session, await LineIndex.build(session, { workers: 0 }));
  for (const q of queries) {
    const want = refTotal(session, q, NO_CALLS);
    assert.equal(indexed.search(q).total, want, `indexed total of ${q}`);
    assert.equal(new Searcher(session, null).search(q).total, want, `scanned total of ${q}`);
  }
  return indexed;
}

test('a query\'s ^M or ^m matches either case in the line, with the index as without', async () => {
  // the generator writes ^M in capitals only
  const special = ['Detail="^MH245: TerminalCapabilitySet"', 'Detail="^mH245: TerminalCapabilitySet"', 'Detail="^Mmh245: other"'];
  const s = await ownBlocks('caret', special, ['"^MH245:"', '"^mh245:"', '"^mmh245"', '^Mh245', 'mh245', 'h245', '"^MH245: Terminal"']);
  assert.equal(s.search('"^MH245:"').total, 2);
});

test('a log key\'s value with invalid UTF-8 is found by its decoded text (U+FFFD), with the index as without', async () => {
  const special = [Buffer.from('Detail="caf\xe9 society" Reason="busy\xff\xfehere"', 'latin1'), 'Detail="café society" Reason="busy here"'];
  const s = await ownBlocks('fffd', special, ['detail:caf\ufffd*', 'detail:"caf\ufffd society"', 'reason:busy\ufffdhere', 'reason:"busy\ufffd\ufffdhere"', 'detail:"café society"']);
  assert.equal(s.search('detail:"caf\ufffd society"').total, 1);
});

test('a log key with a value prefix is found only as a pair: not inside another key, a payload, or after a damaged pair', async () => {
  const special = [
    'Call-Id="9abc@host" Uuid="x"',
    'X-Call-Id="9abc@host"', // another key that ends in the same letters
    'Detail="^MBYE sip:a SIP/2.0^Mcall-id="9abc@host"^M"', // the words of a pair inside the payload
    'Reason="unterminated call-id="9abc@host"', // past a value that never closes: no pair
    'Message="x" CALL-ID="9ABC@HOST"', // either case
    'Call-Id="9ab\\"c@host"', // an escaped quote after the prefix
    'Call-Id="8abc@host" Other="call-id=\\"9abc\\""', // escaped in another value
  ];
  const queries = ['call-id:9*', 'call-id:9abc@host', 'call-id:"9ab\\"c@host"', 'call-id:9ab*', 'x-call-id:9*', 'call-id:*', 'CALL-ID:9Abc*', 'detail:"^MBYE*"'];
  const s = await ownBlocks('key-prefix', special, queries);
  assert.equal(s.search('call-id:9*').total, 3);
});

test('conference: with a value prefix looks at every Conference* key and no other, only as a pair', async () => {
  const special = [
    'Conference="Meet Alice" ConferenceAlias="meet.alice"',
    'Message="x" conference-id="MEET-7"', // either case, a Conference* key
    'Previous-Conference="Meet Alice"', // a key that only ends in `conference`
    'Xconference="meet.bob"', // one that holds it further in
    'Detail="^MINFO sip:a SIP/2.0^MConference="Meet Alice"^M"', // inside a payload
    'Reason="unterminated Conference="meet"', // past a value that never closes
    'Conference="Room \\"meet\\"" Other="conference=\\"meet\\""', // escaped, and in another value
  ];
  const queries = ['conference:meet*', 'CONFERENCE:MEET*', 'conference:"meet alice"', 'conference:meet.alice', 'conference:*meet*', 'conferencealias:meet*', 'previous-conference:meet*', 'conference:"room \\"meet*"', 'conference:m*-7'];
  const s = await ownBlocks('conference-prefix', special, queries);
  assert.equal(s.search('conference:meet*').total, 2);
});

test('anchors are picked by byte pairs: `="`, in every field, does not pass for rare because = and " each are', async () => {
  const bundle = await writeBundle(mkdtempSync(join(tmp, 'anchor-')), { form: 'plain', seed: 5, calls: 20 });
  const log = bundle.supportLog;
  const hits = (v: Buffer) => {
    let n = 0;
    for (let p = log.indexOf(v); p >= 0; p = log.indexOf(v, p + 1)) n++;
    return n;
  };
  const freq = sampleFrequencies([log]);
  for (const needle of ['="alice', 'participant="bob']) {
    const a = pickAnchor(Buffer.from(needle), true, freq)!;
    const found = a.variants.reduce((n, v) => n + hits(v), 0);
    assert.ok(found * 20 < hits(Buffer.from('="')), `${needle}: anchor ${a.variants.map(String)} hits ${found} times`);
  }
});
