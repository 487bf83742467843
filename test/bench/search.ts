/**
 * Search figures (issue 4) on the 1 GB generated log (200 MB with --quick): index build cost
 * during the load (worker threads; when the session is usable and when the index is ready; these
 * loads, and the reopen from the cache, each in a fresh process: load-once.mjs),
 * index memory, token query latency (all and common words), scan throughput of quoted text and
 * regexes, and the reopen from the persistent cache (line tables + index). The machine is
 * shared: each figure is the median of a few runs, and the load average is printed with them.
 */
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { baselineMBps, median, warmMemory } from './run.ts';
import { spawnSync } from 'node:child_process';
import type { BenchContext } from './run.ts';

// the engine as it ships, built by run.ts into dist/: from the sources, under tsx, the index's
// worker threads would transpile their modules first (measured: +0.7 s of CPU per 1 GB load)
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const LOAD_ONCE = fileURLToPath(new URL('./load-once.mjs', import.meta.url));
const built = (m: string): Promise<unknown> => import(pathToFileURL(join(DIST, 'electron/engine/', m)).href);
const { openBundle } = (await built('session.js')) as typeof import('../../electron/engine/session.ts');
const { Searcher, LineIndex } = (await built('search/index.js')) as typeof import('../../electron/engine/search/index.ts');
const { openIndexed } = (await built('search/indexed-open.js')) as typeof import('../../electron/engine/search/indexed-open.ts');

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

export async function bench(ctx: BenchContext): Promise<void> {
  const path = ctx.log1g ?? ctx.log200;
  const label = ctx.log1g ? '1 GB' : '200 MB';
  const bytes = statSync(path).size;
  const RUNS = Number(process.env.SEARCH_BENCH_RUNS) || 3;
  const prevCache = process.env.PEXLENS_CACHE_DIR;
  const cache = mkdtempSync(join(tmpdir(), 'pexlens-bench-cache-'));
  process.env.PEXLENS_CACHE_DIR = cache;
  console.log(`search bench on ${label}, ${RUNS} runs per figure (medians); load average at start: ${load()}`);
  try {
    // -- baseline: reading the bytes from the page cache (what a cached reopen still has to do)
    const readMBps = median([baselineMBps(path), baselineMBps(path)]);
    const readMs = (bytes / 1e6 / readMBps) * 1000;
    ctx.report(`read ${label} from page cache (baseline)`, readMs, 'ms');

    // -- ingest alone, and ingest with the index built by worker threads during the load, each in
    // a fresh process (load-once.mjs), alternated
    const ingest: number[] = [];
    const both: number[] = [];
    const usable: number[] = [];
    // CPU of all the process's threads (the index threads' too, once they have ended), seconds
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const ingestCpu: number[] = [];
    const bothCpu: number[] = [];
    let indexBytes = 0;
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
    // each timed load starts on memory freed a moment ago (warmMemory: this VM's host takes back
    // what the guest frees, and a load after a pause paid ~1.8 s per GB for it)
    const warm = 2 * bytes + (512 << 20);
    console.log(`  each timed load in a fresh process, after ${(warm / 2 ** 30).toFixed(1)} GiB of memory were touched and freed by another`);
    const once = (mode: 'plain' | 'index' | 'reopen') => {
      warmMemory(warm);
      const r = spawnSync(process.execPath, [LOAD_ONCE, DIST, path, mode], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`load-once.mjs ${mode}: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { usable?: number; ready: number; cpu: number; indexBytes?: number; lines?: number };
    };
    for (let k = 0; k < RUNS; k++) {
      const plain = once('plain');
      ingest.push(plain.ready);
      ingestCpu.push(plain.cpu);
      // timed at both ends: the session is usable when it is loaded (the index threads run below
      // its priority), searches are indexed once the index is built
      const indexed = once('index');
      usable.push(indexed.usable!);
      both.push(indexed.ready);
      bothCpu.push(indexed.cpu);
      indexBytes = indexed.indexBytes!;
    }
    const ingestMs = median(ingest);
    const each = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' / ');
    console.log(`  runs (s): ingest ${each(ingest)}; with the index: usable ${each(usable)}, ready ${each(both)}`);
    ctx.report(`ingest ${label}`, ingestMs / 1000, 's');
    ctx.report(`ingest ${label} with the index building: session usable`, median(usable) / 1000, 's', ingestMs / 1000);
    ctx.report(`ingest + index ${label} (index ready)`, median(both) / 1000, 's', ingestMs / 1000);
    ctx.report(`index adds to the ingest time`, (100 * (median(both) - ingestMs)) / ingestMs, '%', 50);
    // the arithmetic behind that figure: CPU seconds of all threads, and what the cores allow at best
    const cores = availableParallelism();
    const loadCpu = median(ingestCpu);
    const addedCpu = median(bothCpu) - loadCpu;
    ctx.report(`CPU of the ingest alone (all threads)`, loadCpu, 's', ingestMs / 1000);
    ctx.report(`CPU the index adds (all threads)`, addedCpu, 's', loadCpu);
    ctx.report(`least the index could add on ${cores} cores, perfectly packed`, Math.max(0, (100 * ((loadCpu + addedCpu) / cores - ingestMs / 1000)) / (ingestMs / 1000)), '%', 50);
    ctx.report('index memory / input', indexBytes / bytes, '×', 0.3);
    // the index alone over a loaded session (no ingest beside it): the figure the ratio above
    // hides under the VM's page-fault and read-thread noise
    {
      const session = await openBundle([path]);
      const wall: number[] = [];
      const used: number[] = [];
      for (let k = 0; k < RUNS; k++) {
        gc();
        const c0 = cpu();
        wall.push((await timed(() => LineIndex.build(session)))[1]);
        used.push(cpu() - c0);
      }
      ctx.report(`index build alone on a loaded ${label} (${cores} cores)`, median(wall) / 1000, 's', ingestMs / 1000);
      ctx.report(`  its CPU (all threads)`, median(used), 's', loadCpu);
    }
    console.log(`  load average: ${load()}`);

    // -- first open with the cache: builds, saves line tables and index
    const first = await openIndexed([path]);
    const withIdx = first.session;
    const index = first.index;
    const store = withIdx.store;

    // -- token queries (indexed): ids, addresses, names, codes, fields, and common words
    const sample = (k: number) => store.text(Math.floor((store.count * k) / 7));
    const ids: string[] = [];
    for (let k = 1; k < 7; k++) {
      const m = /Call-I[dD]="([^"]+)"|Participant-Id="([^"]+)"|Uuid="([^"]+)"/.exec(sample(k));
      if (m) ids.push(m[1] ?? m[2] ?? m[3]!);
    }
    const common = ['INVITE', 'sip', 'via', 'BYE', 'Trying', '404', 'alice', '10.44.99.2'];
    const token = [...common, 'timeout', ...ids, 'level:ERROR name:support.sip', 'participant-id:' + (ids[0] ?? 'x')];
    // each query's own work: no term results kept from one run to the next (see the refinement below)
    const searcher = new Searcher(withIdx, index, undefined, { reuseTerms: false });
    const p50 = async (q: string) => {
      const runs: number[] = [];
      for (let k = 0; k < RUNS; k++) runs.push((await timed(() => searcher.search(q, { limit: 100 })))[1]);
      return median(runs);
    };
    const per = new Map<string, number>();
    for (const q of token) per.set(q, await p50(q));
    ctx.report('token queries p50 (indexed)', median([...per.values()]), 'ms', 50);
    ctx.report('token queries, common words p50 (indexed)', median(common.map((q) => per.get(q)!)), 'ms', 50);
    ctx.report('token queries max (indexed)', Math.max(...per.values()), 'ms');
    console.log(`  per query (ms): ${[...per].map(([q, ms]) => `${q.length > 24 ? q.slice(0, 24) + '…' : q} ${ms.toFixed(1)}`).join(', ')}`);

    // -- log keys with a glob value: the index has no key for the value, every line holding the
    // key's words is parsed; baseline: the regex a user would grep with for the first of them
    {
      const globs = ['call-id:9*', 'participant-id:*', 'conference:meet*', 'uuid:*'];
      const ms: number[] = [];
      for (const q of globs) ms.push(await p50(q));
      const grep = await p50('/call-id="9/i');
      ctx.report('log key globs p50 (indexed)', median(ms), 'ms', grep);
      console.log(`  per query (ms): ${globs.map((q, k) => `${q} ${ms[k]!.toFixed(0)}`).join(', ')}; /call-id="9/i ${grep.toFixed(0)}`);
    }

    // -- a query refined step by step (the app keeps one searcher per bundle, which keeps its terms' lines)
    {
      const steps = ['10.44.99.2', '10.44.99.2 INVITE', '10.44.99.2 INVITE -ack'];
      const runs: number[][] = steps.map(() => []);
      for (let k = 0; k < RUNS; k++) {
        const s = new Searcher(withIdx, index);
        for (let j = 0; j < steps.length; j++) runs[j]!.push((await timed(() => s.search(steps[j]!, { limit: 100 })))[1]);
      }
      steps.forEach((q, j) => ctx.report(`refining: ${q}`, median(runs[j]!), 'ms'));
    }

    // -- scans: no index (pure scan), and the same through the index
    const scan = new Searcher(withIdx, null, undefined, { reuseTerms: false });
    for (const [name, q] of [
      ['substring "sip/2.0 404"', '"sip/2.0 404"'],
      ['substring "sip/2.0 180 ringing"', '"sip/2.0 180 ringing"'],
      ['substring "10.47.1.12"', '"10.47.1.12"'],
      ['word mallory', 'mallory'],
      ['regex /SIP\\/2\\.0 4\\d\\d/', '/SIP\\/2\\.0 4\\d\\d/'],
      ['regex /call-id: [0-9a-f]{8}/i', '/call-id: [0-9a-f]{8}/i'],
    ] as const) {
      for (const [how, s] of [
        ['scan', scan],
        ['indexed', searcher],
      ] as const) {
        s.search(q, { limit: 1 }); // warm
        const runs: number[] = [];
        for (let k = 0; k < RUNS; k++) runs.push((await timed(() => s.search(q, { limit: 100 })))[1]);
        ctx.report(`${name} (${how})`, bytes / 1e6 / median(runs), 'GB/s', 1);
      }
    }
    console.log(`  load average: ${load()}`);

    // -- a new query's first screen (50 rows: the explorer asks for the rows it shows, ~45 at
    //    1440×900): from the head of the view when it holds them (Searcher.firstMatches, what
    //    `lines` with `first` and `firstRows` answers), against the whole list
    const SCREEN = 50;
    for (const [how, s] of [
      ['indexed', searcher],
      ['scan, as while the index builds', scan],
    ] as const) {
      const firsts: number[] = [];
      const wholes: number[] = [];
      const per: string[] = [];
      for (const q of ['10.44.99.2', 'via', 'alice', '/call-id: [0-9a-f]{8}/i', '"sip/2.0 404"', 'level:ERROR name:support.sip']) {
        const a: number[] = [];
        const w: number[] = [];
        const early = s.firstMatches(q, SCREEN) !== null;
        for (let k = 0; k < RUNS; k++) {
          a.push((await timed(() => s.firstMatches(q, SCREEN) ?? s.matchesAll(q)))[1]);
          w.push((await timed(() => s.matchesAll(q)))[1]);
        }
        firsts.push(median(a));
        wholes.push(median(w));
        per.push(`${q.length > 24 ? q.slice(0, 24) + '…' : q} ${median(a).toFixed(0)}/${median(w).toFixed(0)}${early ? '' : ' (whole)'}`);
      }
      ctx.report(`first screen of a new query, p50 (${how})`, median(firsts), 'ms');
      ctx.report(`  the whole list of the same queries, p50 (${how})`, median(wholes), 'ms');
      console.log(`  first screen / whole list (ms): ${per.join(', ')}`);
    }

    // -- reopen from the persistent cache (line tables, no parsing, and index), in a fresh process
    const reopen: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const r = once('reopen');
      if (r.lines !== store.count) throw new Error('reopened store differs');
      reopen.push(r.ready);
    }
    ctx.report(`reopen ${label} from cache (tables + index)`, median(reopen), 'ms', 1000);
    ctx.report(`  of which reading the bytes (baseline above)`, readMs, 'ms');
    console.log(`  load average at end: ${load()}`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
    if (prevCache === undefined) delete process.env.PEXLENS_CACHE_DIR;
    else process.env.PEXLENS_CACHE_DIR = prevCache;
  }
}
