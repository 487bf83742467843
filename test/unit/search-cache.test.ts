/**
 * The persistent index cache: a hit skips the build, a changed source, a corrupt or cut entry
 * and a wrong-format entry are detected and rebuilt (results stay exact), the cap evicts,
 * `clear` empties. Also the entity index and the CLI's search/cache commands.
 */
import { test, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, appendFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeBundle } from '../generator/index.js';
import { openIndexed } from '../../electron/engine/search/indexed-open.js';
import { cacheClear, cacheInfo, cacheDir } from '../../electron/engine/search/cache.js';
import { Searcher } from '../../electron/engine/search/index.js';
import { buildEntityIndex, entityTokens } from '../../electron/engine/search/entity-index.js';
import type { CallSummary } from '../../electron/api.js';
import { buildCallIndex } from '../../electron/engine/correlate/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-cache-'));
process.env.PEXLENS_CACHE_DIR = join(tmp, 'cache');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Line index entries (the line table cache has its own tests: table-cache.test.ts). */
const entries = () => readdirSync(cacheDir()).filter((n) => n.endsWith('.lineindex.pxc'));

/** Totals of a few queries: the index must never change them. */
function totals(s: Searcher): number[] {
  return ['invite', '"sip/2.0"', 'level:ERROR', '/ack/i', 'participant-id:*', '-sip'].map((q) => s.search(q, { limit: 0 }).total);
}

test('cache: miss builds and saves, hit loads, changed source, corrupt and cut entries rebuild', async () => {
  const b = await writeBundle(join(tmp, 'a'), { form: 'folder', seed: 5, calls: 10 });
  const scanOnly = async () => totals(new Searcher((await openIndexed([b.path], { cache: false, workers: 0 })).session, null));

  const first = await openIndexed([b.path], { workers: 1 }); // the worker-thread path
  assert.equal(first.source, 'built (absent)');
  assert.equal(entries().length, 1);
  const want = totals(new Searcher(first.session, null));
  assert.deepEqual(totals(new Searcher(first.session, first.index)), want);

  const second = await openIndexed([b.path], { workers: 0 });
  assert.equal(second.source, 'cache');
  // every array of every segment comes back as it was built
  assert.equal(second.index.segments.length, first.index.segments.length);
  second.index.segments.forEach((seg, k) => assert.deepEqual(seg, first.index.segments[k], `segment ${k}`));
  assert.deepEqual(totals(new Searcher(second.session, second.index)), want);

  // a source changes (content and mtime): a new identity, so the old entry is not used
  const live = join(b.path, 'unified_support.log');
  const extra = '2026-05-14T09:59:59.000+00:00 10.44.99.2 2026-05-14 09:59:59,000 Level="ERROR" Name="support.sip" Message="appended zebra line"\n';
  appendFileSync(live, extra);
  const changed = await openIndexed([b.path], { workers: 0 });
  assert.equal(changed.source, 'built (absent)');
  assert.equal(new Searcher(changed.session, changed.index).search('zebra').total, 1);
  assert.deepEqual(totals(new Searcher(changed.session, changed.index)), await scanOnly());

  // same size and mtime (exactly: a whole second) but different bytes at the head: the edge hash
  // tells, though this process has hashed the file before (what it remembers is checked on ctime)
  utimesSync(live, 1_700_000_000, 1_700_000_000);
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'built (absent)');
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'cache');
  const bytes = readFileSync(live);
  bytes[5] = bytes[5] === 0x31 ? 0x32 : 0x31;
  writeFileSync(live, bytes);
  utimesSync(live, 1_700_000_000, 1_700_000_000);
  assert.equal(statSync(live).mtimeMs, 1_700_000_000_000);
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'built (absent)');

  // corrupt entry: one flipped byte in the payload
  const newest = () => {
    const list = entries().map((n) => ({ n, t: statSync(join(cacheDir(), n)).mtimeMs })).sort((x, y) => y.t - x.t);
    return join(cacheDir(), list[0]!.n);
  };
  let path = newest();
  const data = readFileSync(path);
  data[data.length - 100] ^= 0xff;
  writeFileSync(path, data);
  const corrupt = await openIndexed([b.path], { workers: 0 });
  assert.equal(corrupt.source, 'built (corrupt)');
  assert.deepEqual(totals(new Searcher(corrupt.session, corrupt.index)), await scanOnly());
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'cache');

  // cut short
  path = newest();
  writeFileSync(path, readFileSync(path).subarray(0, 1000));
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'built (corrupt)');

  // another format version: stale
  path = newest();
  const v = readFileSync(path);
  v.writeUInt32LE(99, 4);
  writeFileSync(path, v);
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'built (stale)');
  assert.equal((await openIndexed([b.path], { workers: 0 })).source, 'cache');
});

test('cache: size cap evicts least recently used entries; clear empties', async () => {
  await cacheClear();
  const paths = [];
  for (const seed of [21, 22, 23]) paths.push((await writeBundle(join(tmp, `cap${seed}`), { form: 'plain', seed, calls: 6 })).path);
  await openIndexed([paths[0]!], { workers: 0, tableCache: false });
  const one = (await cacheInfo()).bytes;
  process.env.PEXLENS_CACHE_MAX_BYTES = String(Math.floor(one * 2.5));
  try {
    await openIndexed([paths[1]!], { workers: 0, tableCache: false });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await openIndexed([paths[0]!], { workers: 0, tableCache: false })).source, 'cache'); // used again: now the newest
    await openIndexed([paths[2]!], { workers: 0, tableCache: false });
    const info = await cacheInfo();
    assert.ok(info.bytes <= info.capBytes, `${info.bytes} <= ${info.capBytes}`);
    assert.equal(info.entries.length, 2);
    assert.equal((await openIndexed([paths[0]!], { workers: 0, tableCache: false })).source, 'cache');
    assert.equal((await openIndexed([paths[1]!], { workers: 0, tableCache: false })).source, 'built (absent)');
  } finally {
    delete process.env.PEXLENS_CACHE_MAX_BYTES;
  }
  const r = await cacheClear();
  assert.ok(r.removed >= 2);
  assert.equal((await cacheInfo()).entries.length, 0);
});

/** The summary values the entity index holds (its documents, as the issue lists them). */
function indexedValues(c: CallSummary): string[] {
  const v = [c.id, ...c.ids, c.conference, c.conferenceId, c.from, c.to, c.displayName, c.remote, c.signalingNode, c.mediaNode, c.vendor, c.failReason, c.disconnectReason, c.protocol, ...c.sipMethods, ...c.sipCodes.map(String)];
  return v.filter((x): x is string => !!x);
}

test('entity index: any id, alias, address or name finds its call, ranked', async () => {
  const b = await writeBundle(join(tmp, 'ent'), { form: 'plain', seed: 9, calls: 60 });
  const { session } = await openIndexed([b.path], { cache: false, workers: 0 });
  const calls = buildCallIndex(session).calls;
  const entities = buildEntityIndex(calls);
  const ids = (q: string) => entities.search(q).map((c) => c.id);
  assert.equal(entities.size, calls.length);
  for (const c of calls.slice(0, 10)) {
    for (const id of c.ids) assert.ok(ids(id).includes(c.id), `${id} finds ${c.id}`);
    if (c.remote) assert.ok(ids(c.remote).includes(c.id), `remote ${c.remote}`);
    if (c.from) {
      const user = c.from.replace(/^sips?:/, '').split('@')[0]!;
      const hits = ids(user);
      assert.ok(hits.includes(c.id), `user ${user}`);
      for (const h of hits) {
        const other = calls.find((x) => x.id === h)!;
        assert.ok(JSON.stringify(other).toLowerCase().includes(user.toLowerCase()), `${h} mentions ${user}`);
      }
    }
  }
  // SIP methods and response codes seen: every call that saw one is found by it
  const seen = [...new Set(calls.flatMap((c) => [...c.sipMethods, ...c.sipCodes.map(String)]))];
  assert.ok(seen.includes('INFO') && seen.some((x) => /^4\d\d$/.test(x)), `methods and codes in the sample: ${seen.join(' ')}`);
  for (const x of seen) {
    const hits = ids(x);
    for (const c of calls) if (c.sipMethods.includes(x) || c.sipCodes.map(String).includes(x)) assert.ok(hits.includes(c.id), `${x} finds ${c.id}`);
    for (const h of hits) assert.ok(JSON.stringify(calls.find((c) => c.id === h)).toLowerCase().includes(x.toLowerCase()), `${h} mentions ${x}`);
    // calls holding the word as a whole token come before those holding it as a token's start
    const whole = calls.filter((c) => indexedValues(c).some((v) => entityTokens(v).includes(x.toLowerCase()))).map((c) => c.id);
    assert.deepEqual(new Set(hits.slice(0, whole.length)), new Set(whole), `${x}: whole-token matches first`);
  }
  // a response code before an id that merely starts with it: another call given such an id
  const failed = calls.find((c) => c.sipCodes.some((x) => x >= 400))!;
  const code = String(failed.sipCodes.find((x) => x >= 400));
  const other = calls.find((c) => !c.sipCodes.map(String).includes(code))!;
  const lookalike = { ...other, ids: [...other.ids, `${code}0c2e1-7d3a-4b5e-9f10-2a3b4c5d6e7f`] };
  const ranked = buildEntityIndex(calls.map((c) => (c === other ? lookalike : c))).search(code).map((c) => c.id);
  assert.ok(ranked.includes(other.id), `the id starting with ${code} matches too`);
  assert.ok(ranked.indexOf(failed.id) < ranked.indexOf(other.id), `${code}: the call that saw it ranks first`);
  assert.deepEqual(ids('no-such-thing-anywhere'), []);
});

test('CLI: search --json returns total, hits with file/line and facets; cache info/clear', async () => {
  const b = await writeBundle(join(tmp, 'cli'), { form: 'folder', seed: 3, calls: 8 });
  const env = { ...process.env, PEXLENS_FROM_SOURCE: '1' };
  const run = (args: string[]) => execFileSync(process.execPath, ['bin/pexlens.js', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  /** stdout and the debug line on stderr (how the query was answered). */
  const runHow = (args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/pexlens.js', ...args], { env: { ...env, PEXLENS_DEBUG: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return { out: r.stdout, how: /search \d+ ms: (.*)/.exec(r.stderr)?.[1] };
  };
  // without the cache: a scan, and no index built or saved
  const before = readdirSync(cacheDir()).length;
  const bare = runHow(['search', b.path, 'invite -ack', '--no-cache', '--count']);
  assert.equal(bare.how, 'scan (no cache)');
  assert.equal(readdirSync(cacheDir()).length, before);
  // first search: answered by a scan while the index builds, which is saved before the process ends
  const first = runHow(['search', b.path, 'invite -ack', '--json', '--limit', '3']);
  assert.equal(first.how, 'scan (index building for the next search)');
  assert.equal(entries().length, 1);
  const again = runHow(['search', b.path, 'invite -ack', '--json', '--limit', '3']);
  assert.equal(again.how, 'index from the cache');
  assert.deepEqual(JSON.parse(again.out).hits, JSON.parse(first.out).hits);
  assert.equal(bare.out.trim(), String(JSON.parse(first.out).total));
  const out = JSON.parse(first.out);
  const { session } = await openIndexed([b.path], { cache: false, workers: 0 });
  const ref = new Searcher(session, null).search('invite -ack', { limit: 3 });
  assert.equal(out.total, ref.total);
  assert.equal(out.hits.length, 3);
  for (const h of out.hits) {
    assert.match(h.text, /invite/i);
    const i = session.store.at(h.index);
    assert.equal(h.file, session.store.fileOf(i).display);
    assert.equal(h.line, session.store.lineNumber(i));
    assert.equal(h.text, session.store.text(i));
  }
  assert.deepEqual(out.facets, ref.facets);
  const text = run(['search', b.path, 'level:ERROR']);
  assert.equal(text.trim().split('\n').length, new Searcher(session, null).search('level:ERROR').total);
  // --messages: the matching lines' Message values counted, as a line-by-line reading counts them
  const sipMessages = new Map<string, number>();
  // and each one's first and last line's time
  const sipSpans = new Map<string, { first: string; last: string }>();
  for (const l of run(['search', b.path, 'name:support.sip']).split('\n')) {
    const m = / Message="([^"]*)"/.exec(l);
    if (!m) continue;
    sipMessages.set(m[1]!, (sipMessages.get(m[1]!) ?? 0) + 1);
    const t = new Date(Date.parse(l.slice(0, l.indexOf(' ')))).toISOString();
    const s = sipSpans.get(m[1]!);
    sipSpans.set(m[1]!, { first: s && s.first < t ? s.first : t, last: s && s.last > t ? s.last : t });
  }
  const topSip = JSON.parse(run(['search', b.path, 'name:support.sip', '--messages', '2', '--json'])) as { lines: number; top: Array<[string, number]>; spans: unknown[] };
  assert.deepEqual(topSip.top, [...sipMessages].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 2));
  assert.deepEqual(topSip.spans, topSip.top.map(([m]) => sipSpans.get(m)));
  assert.match(run(['search', b.path, 'name:support.sip', '--messages']), new RegExp(`^ *${topSip.top[0]![1]}  ${topSip.top[0]![0]}\n`));
  // the line index, and the line tables when every file of the bundle is plain
  const n = readdirSync(cacheDir()).filter((f) => f.endsWith('.pxc')).length;
  assert.equal(entries().length, 1);
  assert.match(run(['cache', 'info']), new RegExp(`${n} entries`));
  assert.match(run(['cache', 'clear']), new RegExp(`removed ${n} entries`));
  assert.throws(() => run(['search', b.path, 'a (b']), /never closed/);
  // a query starting with '-' goes after '--'; without it, the error says so
  assert.equal(run(['search', b.path, '--count', '--', '-level:INFO']).trim(), String(new Searcher(session, null).search('-level:INFO').total));
  assert.throws(() => run(['search', b.path, '-level:INFO']), /goes after '--'/);
  // nothing matched: said on stderr, status 1 as grep; --count prints 0; --json gives total 0, status 0
  const none = spawnSync(process.execPath, ['bin/pexlens.js', 'search', b.path, 'no-such-word-zzz'], { env, encoding: 'utf8' });
  assert.deepEqual([none.status, none.stdout, none.stderr], [1, '', 'no line matches "no-such-word-zzz"\n']);
  const counted = spawnSync(process.execPath, ['bin/pexlens.js', 'search', b.path, 'no-such-word-zzz', '--count'], { env, encoding: 'utf8' });
  assert.deepEqual([counted.status, counted.stdout], [1, '0\n']);
  assert.equal(JSON.parse(run(['search', b.path, 'no-such-word-zzz', '--json'])).total, 0);
});
