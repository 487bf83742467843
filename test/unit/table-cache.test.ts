/**
 * The line table cache (electron/engine/lines/table-cache.ts): a reopen of unchanged plain files
 * restores a store identical to a fresh parse (every column, chunk, interner, file, stream and the
 * view order); a changed source, a stale or corrupt entry is a miss and the bundle is parsed again.
 */
import { test, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeBundle } from '../generator/index.js';
import { openBundle } from '../../electron/engine/session.js';
import type { Session } from '../../electron/engine/session.js';
import { cacheDir, sourceIdentity } from '../../electron/engine/search/cache.js';
import { TABLE_VERSION } from '../../electron/engine/lines/table-cache.js';
import { Searcher } from '../../electron/engine/search/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-tables-'));
process.env.PEXLENS_CACHE_DIR = join(tmp, 'cache');
after(() => rmSync(tmp, { recursive: true, force: true }));

const tableEntries = () => readdirSync(cacheDir()).filter((n) => n.endsWith('.lines.pxc'));

const COLUMNS = ['chunk', 'start', 'end', 'time', 'origin', 'level', 'name', 'node', 'file', 'flags'] as const;

/** Asserts two stores hold the same lines, byte for byte and column for column. */
function assertSameStore(a: Session, b: Session, what: string): void {
  const x = a.store, y = b.store;
  assert.equal(y.count, x.count, `${what}: count`);
  for (const c of COLUMNS) {
    const u = x[c].data.subarray(0, x.count), v = y[c].data.subarray(0, y.count);
    assert.equal(v.length, u.length, `${what}: ${c} length`);
    // NaN-safe comparison through the bytes
    assert.ok(Buffer.from(u.buffer, u.byteOffset, u.byteLength).equals(Buffer.from(v.buffer, v.byteOffset, v.byteLength)), `${what}: column ${c}`);
  }
  assert.equal(y.chunks.length, x.chunks.length, `${what}: chunks`);
  x.chunks.forEach((ch, k) => assert.ok(ch.equals(y.chunks[k]!), `${what}: chunk ${k} bytes`));
  assert.ok(y.chunks.every((ch) => ch.buffer instanceof SharedArrayBuffer), `${what}: chunks are shared with index workers`);
  assert.deepEqual(y.names.values, x.names.values, `${what}: names`);
  assert.deepEqual(y.nodes.values, x.nodes.values, `${what}: nodes`);
  assert.deepEqual(y.files, x.files, `${what}: files`);
  assert.deepEqual(y.streams, x.streams, `${what}: streams`);
  assert.deepEqual(y.order ? [...y.order] : null, x.order ? [...x.order] : null, `${what}: view order`);
  assert.deepEqual(b.warnings, a.warnings, `${what}: warnings`);
  for (let p = 0; p < x.count; p += 97) assert.equal(y.text(y.at(p)), x.text(x.at(p)), `${what}: text at ${p}`);
  // interners keep working for lookups after a restore
  for (const n of x.names.values) assert.equal(y.names.lookup(n), x.names.lookup(n));
}

function totals(s: Session): number[] {
  const q = new Searcher(s, null);
  return ['invite', '"sip/2.0"', 'level:ERROR', 'name:support.sip', '/ack/i', '-sip'].map((t) => q.search(t, { limit: 0 }).total);
}

/** Chunks as the ingest hands them to index builders. */
async function chunksSeen(path: string, tableCache: boolean): Promise<{ s: Session; seen: Array<[number, number, number, number]> }> {
  const seen: Array<[number, number, number, number]> = [];
  const s = await openBundle([path], { tableCache, onChunk: (chunk, c, first, n) => void seen.push([c, chunk.length, first, n]) });
  return { s, seen };
}

test('table cache: a hit restores a store identical to a fresh parse (plain file, CRLF, merged streams)', async () => {
  const plain = await writeBundle(join(tmp, 'plain'), { form: 'plain', seed: 31, calls: 12 });
  const crlf = await writeBundle(join(tmp, 'crlf'), { form: 'plain', seed: 32, calls: 8, crlf: true });
  const folder = await writeBundle(join(tmp, 'folder'), { form: 'folder', seed: 33, calls: 8, rotations: 0 });
  let merged = false;
  for (const [name, b] of [['plain', plain], ['crlf', crlf], ['folder', folder]] as const) {
    const fresh = await chunksSeen(b.path, false);
    assert.equal(fresh.s.tableCache, null);
    const first = await chunksSeen(b.path, true);
    assert.equal(first.s.tableCache, 'absent', name);
    assert.equal(await first.s.tablesSaved, true, `${name}: saved`);
    const second = await chunksSeen(b.path, true);
    assert.equal(second.s.tableCache, 'hit', name);
    assert.ok(second.s.loaded);
    assertSameStore(fresh.s, second.s, name);
    // index builders get the same chunks as from a parse: a cached line index still fits
    assert.deepEqual(second.seen, fresh.seen, `${name}: chunks handed on`);
    assert.deepEqual(totals(second.s), totals(fresh.s), `${name}: search totals`);
    if (fresh.s.store.order) merged = true;
  }
  assert.ok(merged, 'one case has a merged view order');
});

test('table cache: changed source, stale and corrupt entries are misses and the bundle is parsed again', async () => {
  const b = await writeBundle(join(tmp, 'miss'), { form: 'plain', seed: 41, calls: 10 });
  const open = () => openBundle([b.path], { tableCache: true });
  const s1 = await open();
  await s1.tablesSaved;
  assert.equal((await open()).tableCache, 'hit');

  // the source changes: a new identity, the old entry is not used, the new line is there
  appendFileSync(b.path, '2026-05-14T09:59:59.000+00:00 10.44.99.2 2026-05-14 09:59:59,000 Level="ERROR" Name="support.sip" Message="appended zebra line"\n');
  const changed = await open();
  assert.equal(changed.tableCache, 'absent');
  assert.equal(changed.store.count, s1.store.count + 1);
  await changed.tablesSaved;
  const reference = await openBundle([b.path]);
  const hit = await open();
  assert.equal(hit.tableCache, 'hit');
  assertSameStore(reference, hit, 'after change');
  assert.equal(new Searcher(hit, null).search('zebra').total, 1);

  // the entry of the sources as they are now
  const current = async () => join(cacheDir(), `${(await sourceIdentity([b.path], TABLE_VERSION)).key}.lines.pxc`);

  // corrupt: one flipped byte in the payload
  let path = await current();
  const data = readFileSync(path);
  data[data.length - 50] ^= 0xff;
  writeFileSync(path, data);
  const corrupt = await open();
  assert.equal(corrupt.tableCache, 'corrupt');
  assertSameStore(reference, corrupt, 'after corrupt');
  await corrupt.tablesSaved;
  assert.equal((await open()).tableCache, 'hit');

  // cut short
  path = await current();
  writeFileSync(path, readFileSync(path).subarray(0, 200));
  const cut = await open();
  assert.equal(cut.tableCache, 'corrupt');
  assertSameStore(reference, cut, 'after cut');
  await cut.tablesSaved;

  // another format version: stale
  path = await current();
  const v = readFileSync(path);
  v.writeUInt32LE(99, 4);
  writeFileSync(path, v);
  const stale = await open();
  assert.equal(stale.tableCache, 'stale');
  assertSameStore(reference, stale, 'after stale');
  await stale.tablesSaved;
  const again = await open();
  assert.equal(again.tableCache, 'hit');
  assertSameStore(reference, again, 'rebuilt entry');
  assert.deepEqual(totals(again), totals(reference));
});

test('table cache: compressed sources are not cached (they must be decompressed anyway)', async () => {
  const b = await writeBundle(join(tmp, 'gz'), { form: 'gz', seed: 51, calls: 6 });
  const before = tableEntries().length;
  const s = await openBundle([b.path], { tableCache: true });
  assert.equal(s.tableCache, 'absent');
  assert.equal(await s.tablesSaved, false);
  assert.equal(tableEntries().length, before);
  assert.equal((await openBundle([b.path], { tableCache: true })).tableCache, 'absent');
});

test('CLI: lines and info keep the line tables and print the same from them; --no-cache neither reads nor writes them', async () => {
  const b = await writeBundle(join(tmp, 'cli'), { form: 'plain', seed: 61, calls: 6 });
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/pexlens.js', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const name = basename(b.path);
  const before = tableEntries().length;
  const bare = [run('info', b.path, '--no-cache'), run('lines', b.path, '--around', `${name}:40`, '-C', '3', '--no-cache')];
  assert.equal(tableEntries().length, before, '--no-cache writes nothing');
  const first = [run('info', b.path), run('lines', b.path, '--around', `${name}:40`, '-C', '3')];
  assert.equal(tableEntries().length, before + 1, 'the tables are kept');
  const second = [run('info', b.path), run('lines', b.path, '--around', `${name}:40`, '-C', '3')];
  assert.deepEqual(first, bare);
  assert.deepEqual(second, bare);
  assert.equal(bare[1]!.split('\n').filter(Boolean).length, 7);
});
