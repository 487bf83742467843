/**
 * `npm run bench`: speed and memory figures of the engine on generated logs, each printed with
 * a baseline measured in the same run (raw read + newline count of the same file), so the
 * ratios hold on any machine. Area benches live beside this file (calls.ts, search.ts, ...) and
 * export `bench(ctx)`.
 *
 *   npm run bench                     # 200 MB and 1 GB generated logs (cached in bench-data/)
 *   npm run bench -- --quick          # 200 MB only
 */
import { existsSync, statSync, mkdirSync, openSync, readSync, closeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { writeLog } from '../generator/index.ts';
import { openBundle } from '../../electron/engine/session.ts';
import { relaunchWithLargePages } from '../../bin/large-pages.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, 'bench-data');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

export interface BenchContext {
  log200: string;
  log1g?: string;
  /** The logs of this run with their labels: 200 MB, and 1 GB unless --quick. */
  logs: Array<[label: string, path: string]>;
  report(name: string, value: number, unit: string, baseline?: number): void;
}

const rows: Array<{ name: string; value: number; unit: string; baseline?: number }> = [];
function report(name: string, value: number, unit: string, baseline?: number): void {
  rows.push({ name, value, unit, baseline });
  const ratio = baseline ? `  (${(value / baseline).toFixed(2)}× baseline ${baseline.toFixed(1)} ${unit})` : '';
  console.log(`${name.padEnd(48)} ${value.toFixed(value < 10 ? 2 : 1).padStart(10)} ${unit}${ratio}`);
}

async function ensureLog(name: string, bytes: number): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, name);
  if (!existsSync(path) || statSync(path).size < bytes * 0.95) {
    const t = performance.now();
    await writeLog(path, { seed: 20260514, targetBytes: bytes, damaged: true });
    console.log(`generated ${name} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return path;
}

/** Median of a few timings (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Touches `bytes` of fresh memory in a child process, which then frees it, just before a timed
 * load. On a VM whose host takes back the memory the guest frees (free page reporting, as on this
 * project's machine: docs/benchmarks.md, session 20), the first touch of a page after a pause
 * costs a fault in the host, ~1.8 s per GB; memory freed a moment ago does not. Without this, a
 * load's figure depends on how long the machine was idle before it, not on the code.
 */
export function warmMemory(bytes: number): void {
  const pieces = Math.ceil(bytes / (256 << 20));
  spawnSync(process.execPath, ['-e', `const a = []; for (let k = 0; k < ${pieces}; k++) a.push(Buffer.alloc(256 << 20));`], { stdio: 'ignore' });
}

/** Baseline: read the file in 16 MB blocks and count newlines. */
export function baselineMBps(path: string): number {
  const t = performance.now();
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  let n = 0, lines = 0;
  for (;;) {
    const got = readSync(fd, buf, 0, buf.length, null);
    if (!got) break;
    n += got;
    let p = -1;
    const view = got === buf.length ? buf : buf.subarray(0, got);
    while ((p = view.indexOf(10, p + 1)) >= 0) lines++;
  }
  closeSync(fd);
  return n / 1e6 / ((performance.now() - t) / 1000);
}

/** Runs the built CLI and returns wall seconds and peak RSS (kB). */
export function cliRun(args: string[]): { seconds: number; rssKb: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pexlens.js'), ...args], { env: { ...process.env, PEXLENS_REPORT_RSS: '1' }, maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`pexlens ${args.join(' ')} failed: ${r.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr.toString());
  return { seconds, rssKb: rss ? Number(rss[1]) : NaN, stdout: r.stdout.toString() };
}

/** The log cut at line ends into n files `unified_support.log.1…n` (oldest last), made once. */
function rotations(log: string, n: number): string {
  const dir = join(dataDir, `${n}-rotations-of-${basename(log)}`);
  if (existsSync(`${dir}.done`)) return dir;
  mkdirSync(dir, { recursive: true });
  const data = readFileSync(log);
  let from = 0;
  for (let k = 0; k < n; k++) {
    const at = k === n - 1 ? data.length : data.indexOf(10, Math.floor(((k + 1) * data.length) / n)) + 1;
    writeFileSync(join(dir, `unified_support.log.${n - k}`), data.subarray(from, at));
    from = at;
  }
  writeFileSync(`${dir}.done`, '');
  return dir;
}

async function engineBench(ctx: BenchContext): Promise<void> {
  const mb200 = statSync(ctx.log200).size / 1e6;
  const base200 = baselineMBps(ctx.log200);
  const info = cliRun(['info', ctx.log200, '--json']);
  report('info 200 MB end to end (CLI)', mb200 / info.seconds, 'MB/s', base200);
  report('info 200 MB peak RSS / input', (info.rssKb * 1024) / (mb200 * 1e6), '×');
  // the same bytes as a folder of 200 rotated files (cases come so): against the one file
  const folder = rotations(ctx.log200, 200);
  const split = cliRun(['info', folder, '--json']);
  report('info 200 MB as 200 files, seconds', split.seconds, 's', info.seconds);
  report('info 200 MB as 200 files, peak RSS', split.rssKb / 1024, 'MB', info.rssKb / 1024);
  if (!ctx.log1g) return;
  const mb1g = statSync(ctx.log1g).size / 1e6;
  const base1g = baselineMBps(ctx.log1g);
  let first = NaN;
  const t = performance.now();
  const s = await openBundle([ctx.log1g], { onChunk: () => {
      if (Number.isNaN(first)) first = performance.now() - t;
    },
  });
  const ingest = (performance.now() - t) / 1000;
  report('ingest 1 GB (lines + filter fields), seconds', ingest, 's', mb1g / base1g);
  report('ingest 1 GB throughput', mb1g / ingest, 'MB/s', base1g);
  report('first rows available after', first, 'ms');
  report('lines in 1 GB', s.store.count / 1e6, 'M lines');
  const big = cliRun(['info', ctx.log1g, '--json']);
  report('info 1 GB peak RSS / input', (big.rssKb * 1024) / (mb1g * 1e6), '×');
}

async function main(): Promise<void> {
  // measured as the CLI runs (bin/pexlens.js): with large pages where they help
  await relaunchWithLargePages();
  // figures are of the built CLI, as users run it
  const build = spawnSync('npm', ['run', 'build:engine'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:engine failed');
  const log200 = await ensureLog('gen-200MB.log', 200e6);
  const log1g = quick ? undefined : await ensureLog('gen-1GB.log', 1e9);
  const logs: Array<[string, string]> = log1g ? [['200MB', log200], ['1GB', log1g]] : [['200MB', log200]];
  const ctx: BenchContext = { log200, log1g, logs, report };
  const pages = /glibc\.malloc\.hugetlb=[1-9]/.test(process.env.GLIBC_TUNABLES ?? '') ? 'large pages (glibc.malloc.hugetlb=1)' : 'default pages';
  console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}, ${pages}`);
  if (!only || only === 'engine') await engineBench(ctx);
  const here = dirname(fileURLToPath(import.meta.url));
  for (const f of readdirSync(here).filter((n) => n.endsWith('.ts') && n !== 'run.ts').sort()) {
    const area = f.replace(/\.ts$/, '');
    if (only && only !== area) continue;
    const mod = (await import(join(here, f))) as { bench?: (c: BenchContext) => Promise<void> };
    if (mod.bench) {
      console.log(`-- ${area}`);
      await mod.bench(ctx);
    }
  }
  writeFileSync(join(dataDir, 'last-run.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
