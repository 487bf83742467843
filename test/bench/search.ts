/**
 * Search speed (issue #4), on the generated logs: ingest alone vs ingest with the index built
 * alongside (target: ≤ +50 %), index memory / input (≤ 0.3×), token queries p50 (≤ 50 ms),
 * substring/regex scan throughput without an index (≥ 1 GB/s), reopen from cache (≤ 1 s for the
 * index part), each reported with its target as the baseline.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { IndexBuilder, Searcher } from '../../electron/engine/search/index.ts';
import { openIndexed } from '../../electron/engine/search/indexed-open.ts';
import { cacheGet, sourceIdentity } from '../../electron/engine/search/cache.ts';
import { deserializeIndex, INDEX_VERSION } from '../../electron/engine/search/indexed-open.ts';

type Ctx = { log200: string; log1g?: string; report(name: string, value: number, unit: string, baseline?: number): void };

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function bench(ctx: Ctx): Promise<void> {
  const path = ctx.log1g ?? ctx.log200;
  const label = ctx.log1g ? '1 GB' : '200 MB';
  const bytes = statSync(path).size;
  const prevCache = process.env.PEXLENS_CACHE_DIR;
  const cache = mkdtempSync(join(tmpdir(), 'pexlens-bench-cache-'));
  process.env.PEXLENS_CACHE_DIR = cache;
  try {
    let t = performance.now();
    const plain = await openBundle([path]);
    const ingest = performance.now() - t;
    const scan = new Searcher(plain, null);

    t = performance.now();
    const builder = new IndexBuilder();
    const withIdx = await openBundle([path], { onChunk: builder.onChunk });
    const index = await builder.finish(withIdx.store);
    const both = performance.now() - t;
    ctx.report(`ingest ${label}`, ingest / 1000, 's');
    ctx.report(`ingest + index ${label} (index adds, %)`, (100 * (both - ingest)) / ingest, '%', 50);
    ctx.report('index memory / input', index.byteSize() / bytes, '×', 0.3);

    // query mix of what engineers type: ids, addresses, names, codes, fields
    const store = withIdx.store;
    const sample = (k: number) => store.text(Math.floor((store.count * k) / 7));
    const ids: string[] = [];
    for (let k = 1; k < 7; k++) {
      const m = /Call-I[dD]="([^"]+)"|Participant-Id="([^"]+)"|Uuid="([^"]+)"/.exec(sample(k));
      if (m) ids.push(m[1] ?? m[2] ?? m[3]!);
    }
    const token = ['INVITE', '404', 'alice', '10.44.99.2', 'Trying', 'BYE', 'timeout', ...ids, 'level:ERROR name:support.sip', 'participant-id:' + (ids[0] ?? 'x')];
    const searcher = new Searcher(withIdx, index);
    const times: number[] = [];
    for (const q of token) {
      t = performance.now();
      searcher.search(q, { limit: 100 });
      times.push(performance.now() - t);
    }
    ctx.report('token queries p50 (indexed)', p50(times), 'ms', 50);
    ctx.report('token queries max (indexed)', Math.max(...times), 'ms');

    for (const [name, q] of [
      ['substring scan (no index)', '"sip/2.0 180 ringing"'],
      ['word scan (no index)', 'mallory'],
      ['regex scan (no index)', '/SIP\\/2\\.0 4\\d\\d/'],
      ['regex /i scan (no index)', '/call-id: [0-9a-f]{8}/i'],
    ] as const) {
      scan.search(q, { limit: 1 }); // warm
      t = performance.now();
      scan.search(q, { limit: 100 });
      ctx.report(name, bytes / 1e6 / (performance.now() - t), 'GB/s', 1);
    }

    // reopen from cache: the index part (identity + read + check); the bundle itself still loads
    await openIndexed([path]);
    t = performance.now();
    const id = await sourceIdentity([path], INDEX_VERSION);
    const got = await cacheGet(id, 'lineindex');
    const back = 'payload' in got ? deserializeIndex(got.meta, got.payload) : null;
    const fits = back?.fits(withIdx.store) ?? false;
    ctx.report('index reopen from cache', performance.now() - t, 'ms', 1000);
    if (!fits) throw new Error('cached index does not fit the store');
  } finally {
    rmSync(cache, { recursive: true, force: true });
    if (prevCache === undefined) delete process.env.PEXLENS_CACHE_DIR;
    else process.env.PEXLENS_CACHE_DIR = prevCache;
  }
}
