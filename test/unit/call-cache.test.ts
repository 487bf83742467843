/**
 * The call cache (correlate/call-cache.ts): a reopened bundle gets back exactly the calls it
 * built (summaries, conferences, every id, every line's call, traces, `call:` searches, the
 * "find a call" ranking), whether the entry came from a full load or from `pexlens calls`; a
 * changed source, a damaged or cut entry are misses that rebuild; an encrypted snapshot leaves
 * nothing on disk; the CLI answers `calls` from the cache.
 */
import { test, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, appendFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { writeBundle } from '../generator/index.ts';
import { openBundle } from '../../electron/engine/session.ts';
import type { Session } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import type { CallIndex } from '../../electron/engine/correlate/index.ts';
import { openCallsOnly } from '../../electron/engine/correlate/calls-only.ts';
import { callCacheId, callIndexOf, loadCallIndex, loadCallSummaries, loadEntityIndex, saveCallIndex, saveEntityIndex } from '../../electron/engine/correlate/call-cache.ts';
import { buildEntityIndex } from '../../electron/engine/search/entity-index.ts';
import { openIndexed } from '../../electron/engine/search/indexed-open.ts';
import { cacheClear, cacheDir } from '../../electron/engine/search/cache.ts';
import { Searcher } from '../../electron/engine/search/index.ts';
import { nodeAddresses } from '../../electron/engine/correlate/node-addresses.ts';
import type { NodeAddress } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-callcache-'));
process.env.PEXLENS_CACHE_DIR = join(tmp, 'cache');
after(() => rmSync(tmp, { recursive: true, force: true }));

const callEntries = () => readdirSync(cacheDir()).filter((n) => /\.calls(earch)?\.pxc$/.test(n)).sort();

/** Everything a user can ask of a call index, compared between two of them over the same store. */
function assertSameCalls(session: Session, got: CallIndex, want: CallIndex): void {
  assert.deepEqual(got.calls, want.calls, 'summaries');
  assert.deepEqual(got.conferences, want.conferences, 'conferences');
  for (const c of want.calls) {
    for (const id of [...c.ids, c.id.toUpperCase(), ` ${c.id} `]) assert.equal(got.find(id)?.id, want.find(id)?.id, `find ${id}`);
    assert.deepEqual(got.linesOf(c.id), want.linesOf(c.id), `lines of ${c.id}`);
    assert.deepEqual(got.trace(c.id), want.trace(c.id), `trace of ${c.id}`);
  }
  assert.equal(got.find('no-such-call-id'), undefined);
  for (let i = 0; i < session.store.count; i++) assert.equal(got.callOfLine(i), want.callOfLine(i), `call of line ${i}`);
  assert.deepEqual(got.conferenceLines(() => true), want.conferenceLines(() => true), 'conference lines');
  // the searcher's call: and conference: terms read the index
  const some = want.calls.filter((_, k) => k % 3 === 0);
  for (const q of [...some.map((c) => `call:${c.ids[c.ids.length - 1]}`), `conference:${want.conferences[0]?.name ?? 'x'}`, 'call:no-such-id']) {
    assert.equal(new Searcher(session, null, got).search(q, { limit: 0 }).total, new Searcher(session, null, want).search(q, { limit: 0 }).total, q);
  }
}

for (const made of ['a full load', 'pexlens calls (lines let go)'] as const) {
  test(`call cache: an entry made by ${made} gives a reopened bundle the same calls, and the same call search`, async () => {
    await cacheClear();
    const b = await writeBundle(join(tmp, made.split(' ')[1]!), { form: 'folder', seed: 7, calls: 40, crlf: true });
    const fresh = await openBundle([b.path]);
    const want = buildCallIndex(fresh);
    assert.ok(want.calls.length >= 30, `${want.calls.length} calls`);
    if (made === 'a full load') assert.deepEqual((await callIndexOf(fresh)).calls, want.calls, 'a miss builds');
    else {
      const thin = await openCallsOnly([b.path]);
      await saveCallIndex(thin.session, thin.index);
    }
    assert.equal(callEntries().length, 1, 'one calls entry saved');

    const again = await openBundle([b.path]);
    const got = await loadCallIndex(again, { sliced: true });
    assert.ok(got, 'read back from the cache');
    assertSameCalls(again, got, buildCallIndex(again));
    // without loading the bundle (pexlens calls), with what its load warned about
    // (and each node heard under a host name with its address, as a full load pairs them)
    const pairs = (xs: NodeAddress[]) => xs.map(({ node, address }) => `${node} ${address}`).sort();
    const summaries = await loadCallSummaries([b.path]);
    assert.deepEqual({ ...summaries, addresses: pairs(summaries!.addresses) }, { calls: want.calls, conferences: want.conferences, warnings: fresh.warnings, addresses: pairs(nodeAddresses(fresh.store)) });
    assert.ok(summaries!.addresses.length >= 3, 'nodes heard under host names');

    const id = await callCacheId([b.path]);
    assert.equal(await loadEntityIndex(id, got.calls), null, 'no call search saved yet');
    const entity = buildEntityIndex(want.calls);
    await saveEntityIndex(id, entity);
    const entityBack = await loadEntityIndex(id, got.calls);
    assert.ok(entityBack);
    const queries = ['meet', 'alice', 'sip', '404', 'tandberg', 'disconnected', ...want.calls.slice(0, 5).map((c) => c.ids[0]!.slice(0, 6)), 'no-such-thing'];
    for (const q of queries) assert.deepEqual(entityBack.search(q).map((c) => c.id), entity.search(q).map((c) => c.id), q);
    // a list of other calls (another bundle's count) is not served by it
    assert.equal(await loadEntityIndex(id, got.calls.slice(1)), null);
  });
}

test('call cache: a changed source, a damaged entry and a cut entry are misses, and the calls are rebuilt right', async () => {
  await cacheClear();
  const b = await writeBundle(join(tmp, 'stale'), { form: 'folder', seed: 11, calls: 12 });
  await callIndexOf(await openBundle([b.path]));
  const [entry] = callEntries();
  assert.ok(entry);

  // a damaged byte in the middle: the checksum fails, the entry is removed, calls are built again
  const path = join(cacheDir(), entry);
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0x5a;
  writeFileSync(path, bytes);
  let s = await openBundle([b.path]);
  assert.equal(await loadCallIndex(s), null, 'damaged');
  assert.deepEqual(callEntries(), [], 'the damaged entry is removed');
  assertSameCalls(s, await callIndexOf(s), buildCallIndex(s));
  assert.deepEqual(callEntries(), [entry], 'saved again');

  truncateSync(path, statSync(path).size - 100);
  s = await openBundle([b.path]);
  assert.equal(await loadCallIndex(s), null, 'cut short');
  await callIndexOf(s);

  // the live log grows: a new identity, the old entry is not read
  appendFileSync(join(b.path, 'unified_support.log'), '2026-05-14T09:59:59.000+00:00 pxnode-osl-01 2026-05-14 09:59:59,000 Level="INFO" Name="support.sip" Message="late"\n');
  s = await openBundle([b.path]);
  assert.equal(await loadCallIndex(s), null, 'changed source');
  assert.equal(await loadCallSummaries([b.path]), null);
  assertSameCalls(s, await callIndexOf(s), buildCallIndex(s));
  assert.equal(callEntries().length, 2, 'an entry for the new identity');
});

test('call cache: nothing derived from an encrypted snapshot is written to the cache', async () => {
  await cacheClear();
  const b = await writeBundle(join(tmp, 'enc'), { form: 'encrypted', seed: 5, calls: 6, password: 's3cret' });
  const s = await openBundle([b.path], { password: 's3cret' });
  assert.equal(s.encrypted, true);
  const index = await callIndexOf(s);
  assert.ok(index.calls.length > 0);
  const thin = await openCallsOnly([b.path], { password: 's3cret' });
  await saveCallIndex(thin.session, thin.index);
  const indexed = await openIndexed([b.path], { password: 's3cret', workers: 0 });
  await indexed.session.tablesSaved;
  assert.deepEqual(readdirSync(cacheDir()).filter((n) => n.endsWith('.pxc')), [], 'no calls, line index or tables');
  // a plain bundle is not marked
  const plain = await writeBundle(join(tmp, 'plain'), { form: 'tgz', seed: 5, calls: 6 });
  assert.equal((await openBundle([plain.path])).encrypted, false);
});

test('CLI: calls is answered from the cache the second time, the same; --no-cache neither reads nor writes it', async () => {
  await cacheClear();
  const b = await writeBundle(join(tmp, 'cli'), { form: 'folder', seed: 3, calls: 10 });
  const env = { ...process.env, PEXLENS_FROM_SOURCE: '1' };
  let how = '';
  let lastStderr = '';
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/pexlens.js', ...args], { env: { ...env, PEXLENS_DEBUG: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    how = /calls: (.*)/.exec(r.stderr)?.[1] ?? '';
    lastStderr = r.stderr;
    return r.stdout;
  };
  // an oldest rotation cut short: the load warns, and the run from the cache says so again
  const gz = gzipSync(Buffer.from('2026-05-14T07:00:00.000+00:00 pxnode-osl-01 2026-05-14 07:00:00,000 Level="INFO" Name="support.sip" Message="old"\n'.repeat(200)));
  writeFileSync(join(b.path, 'unified_support.log.9.gz'), gz.subarray(0, gz.length >> 1));
  let stderr = '';
  const runErr = (...args: string[]) => {
    const out = run(...args);
    stderr = lastStderr;
    return out;
  };
  const bare = runErr('calls', b.path, '--json', '--no-cache');
  const warned = stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.ok(warned.some((l) => l.includes('unified_support.log.9.gz')), stderr);
  assert.equal(how, 'built');
  assert.deepEqual(callEntries(), [], '--no-cache writes nothing');
  const first = run('calls', b.path, '--json');
  assert.equal(how, 'built');
  assert.equal(callEntries().length, 1);
  assert.equal(first, bare);
  assert.equal(runErr('calls', b.path, '--json'), first);
  assert.equal(how, 'from the cache');
  assert.deepEqual(stderr.split('\n').filter((l) => l.startsWith('warning:')), warned, 'the same warnings');
  const q = run('calls', b.path, '--json', '--query', 'meet');
  assert.equal(callEntries().length, 2, 'the call search is saved too');
  assert.equal(run('calls', b.path, '--json', '--query', 'meet'), q);
  assert.equal(q, run('calls', b.path, '--json', '--query', 'meet', '--no-cache'));
  assert.ok(JSON.parse(q).length > 0);
  const id = (JSON.parse(first) as Array<{ id: string }>)[0]!.id;
  assert.equal(run('trace', b.path, '--call', id), run('trace', b.path, '--call', id, '--no-cache'));
});
