/**
 * Large pages (bin/large-pages.js): the same loads in fresh node processes started without and
 * with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, alternated, medians. Fresh processes, because the
 * figure is the cost of touching new memory, which a warmed process no longer pays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { largePagesEnv } from '../../bin/large-pages.js';
import { median } from './run.ts';
import type { BenchContext } from './run.ts';

const engine = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'electron', 'engine');

/** What a child runs: `ingest` (openBundle) or `open` (openIndexed, from the cache once saved). */
const CHILD = `
const what = process.env.PAGES_WHAT, path = process.env.PAGES_PATH;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const t = performance.now();
if (what === 'ingest') await (await import(process.env.PAGES_SESSION)).openBundle([path]);
else await (await import(process.env.PAGES_INDEXED)).openIndexed([path]);
console.log(JSON.stringify({ s: (performance.now() - t) / 1000, cpu: cpu() }));
process.exit(0);
`;

function child(what: string, path: string, env: NodeJS.ProcessEnv): { s: number; cpu: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: {
      ...env,
      PAGES_WHAT: what,
      PAGES_PATH: path,
      PAGES_SESSION: pathToFileURL(join(engine, 'session.js')).href,
      PAGES_INDEXED: pathToFileURL(join(engine, 'search', 'indexed-open.js')).href,
    },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pages bench child (${what}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { s: number; cpu: number };
}

export async function bench(ctx: BenchContext): Promise<void> {
  // without: the tunable taken out of this (relaunched) process's environment
  const small: NodeJS.ProcessEnv = { ...process.env, PEXLENS_LARGE_PAGES: '0' };
  const rest = (small.GLIBC_TUNABLES ?? '').split(':').filter((t) => t && !t.startsWith('glibc.malloc.hugetlb')).join(':');
  if (rest) small.GLIBC_TUNABLES = rest;
  else delete small.GLIBC_TUNABLES;
  const large = largePagesEnv({ ...small, PEXLENS_LARGE_PAGES: '1' });
  if (large.GLIBC_TUNABLES === small.GLIBC_TUNABLES) {
    console.log('large pages: not applicable here (not Linux, transparent huge pages not on request, or glibc < 2.35)');
    return;
  }
  const RUNS = Number(process.env.PAGES_BENCH_RUNS) || 3;
  const cache = mkdtempSync(join(tmpdir(), 'pexlens-pages-cache-'));
  try {
    for (const [label, path] of ctx.logs) {
      for (const what of ['ingest', 'open'] as const) {
        const env = (e: NodeJS.ProcessEnv) => ({ ...e, PEXLENS_CACHE_DIR: cache });
        if (what === 'open') child('open', path, env(large)); // builds and saves the cache entry
        const without: Array<{ s: number; cpu: number }> = [];
        const withLarge: Array<{ s: number; cpu: number }> = [];
        for (let k = 0; k < RUNS; k++) {
          without.push(child(what, path, env(small)));
          withLarge.push(child(what, path, env(large)));
        }
        const name = what === 'ingest' ? `ingest ${label}, fresh process` : `reopen ${label} from cache, fresh process`;
        const s0 = median(without.map((x) => x.s));
        ctx.report(`${name}, large pages`, median(withLarge.map((x) => x.s)), 's', s0);
        ctx.report(`  its CPU (all threads)`, median(withLarge.map((x) => x.cpu)), 's', median(without.map((x) => x.cpu)));
      }
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
