/**
 * Shared end-to-end helpers: Debian's Chromium through playwright-core, and browser mode
 * (`pexlens serve <path> --port 0`) started as a child process whose printed URL we parse.
 * Used by every e2e suite (explorer, calls...), so kept general.
 */
import assert from '../assert.js';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { before, after } from 'node:test';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BundleInfo } from '../../electron/api.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.PEXLENS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** The servers' persistent cache (tables, index, calls): one folder per test file, not the user's. */
const CACHE = process.env.PEXLENS_CACHE_DIR ?? mkdtempSync(join(tmpdir(), 'pexlens-e2e-cache-'));
if (!process.env.PEXLENS_CACHE_DIR) process.on('exit', () => rmSync(CACHE, { recursive: true, force: true }));

/** Why the browser tests cannot run here, or null when they can (pass to `test(..., { skip })`). */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PEXLENS_CHROMIUM)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page sized like a laptop screen; `colorScheme` picks the theme the app follows. */
export async function newPage(browser: Browser, opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** Files whose content goes into the renderer bundle (its sources, the shared layout, the API types, the deps). */
function rendererInputs(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(join(ROOT, 'renderer'));
  walk(join(ROOT, 'electron/shared'));
  out.push(join(ROOT, 'electron/api.ts'), join(ROOT, 'package-lock.json'));
  return out.sort();
}

let builtDir: string | null = null;

/**
 * The renderer build the tests serve: `.cache/e2e-renderer/<hash of its sources>/`, built once and
 * never written again. Not dist/renderer, which a build started by someone else (or a later test
 * file, after a source changed) would empty and rewrite under a page that is loading — the pages
 * then wait forever for elements that never come. Concurrent runs with the same sources share it.
 */
export function ensureRendererBuilt(): string {
  if (builtDir) return builtDir;
  const hash = createHash('sha256');
  for (const f of rendererInputs()) {
    hash.update(relative(ROOT, f));
    hash.update('\0');
    hash.update(readFileSync(f));
  }
  const cacheDir = join(ROOT, '.cache', 'e2e-renderer');
  const dir = join(cacheDir, hash.digest('hex').slice(0, 16));
  if (!existsSync(join(dir, 'index.html'))) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error', '--outDir', tmp, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the renderer failed');
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // another run built the same sources first: use theirs
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, 'index.html'))) throw e;
    }
    // builds of older sources, unused for a day
    for (const old of readdirSync(cacheDir)) {
      const p = join(cacheDir, old);
      if (p !== dir && Date.now() - statSync(p).mtimeMs > 86_400_000) rmSync(p, { recursive: true, force: true });
    }
  }
  builtDir = dir;
  return dir;
}

export interface Served {
  /** The printed URL (`http://127.0.0.1:PORT/?token=…#/lines`). */
  url: string;
  /** The URL without its hash, to append routes: `${base}#/lines?q=…`. */
  base: string;
  token: string;
  proc: ChildProcess;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `pexlens serve <paths> --port 0` from the TypeScript sources and waits for its URL. */
export async function serve(paths: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Served> {
  const rendererDir = ensureRendererBuilt();
  const proc = spawn(process.execPath, [join(ROOT, 'bin/pexlens.js'), 'serve', ...paths, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, PEXLENS_FROM_SOURCE: '1', PEXLENS_RENDERER_DIR: rendererDir, PEXLENS_CACHE_DIR: CACHE, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`pexlens serve printed no URL within ${opts.timeoutMs ?? 30000} ms\nstdout: ${out}\nstderr: ${err}`)), opts.timeoutMs ?? 30000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[0]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`pexlens serve exited (${code}) before printing a URL\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  const base = url.replace(/#.*$/, '');
  const token = new URL(url).searchParams.get('token') ?? '';
  return {
    url,
    base,
    token,
    proc,
    stderr: () => err,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
        proc.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** Calls the API of a served bundle directly (to compare the UI with the engine's answers). */
export async function api<T>(s: Served, method: string, arg: unknown = {}): Promise<T> {
  const res = await fetch(new URL(`/api/${method}`, s.base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Pexlens-Token': s.token },
    body: JSON.stringify(arg),
  });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`${method}: ${res.status} ${body.error}`);
  return body;
}

/** Waits until the served bundle has finished loading. */
/** Polls the served bundle's info until `done` says so; `what` names the wait in the timeout's error. */
async function waitInfo(s: Served, done: (info: BundleInfo) => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const info = await api<BundleInfo | null>(s, 'info');
    if (info && done(info)) return;
    if (Date.now() > end) throw new Error(`bundle not ${what} after ${timeoutMs} ms\n${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitLoaded(s: Served, timeoutMs = 60000): Promise<void> {
  await waitInfo(s, (info) => info.loaded, 'loaded', timeoutMs);
}

/** Waits until the served bundle's line and call indexes are in (info.indexed): no `indexed` event comes after. */
export async function waitIndexed(s: Served, timeoutMs = 120000): Promise<void> {
  await waitInfo(s, (info) => info.indexed.lines && info.indexed.calls, 'indexed', timeoutMs);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface ScrollMeasure {
  frames: number;
  /** Longest gap between two animation frames while scrolling (ms): a frozen UI shows here. */
  longestFrameMs: number;
  p99FrameMs: number;
  /** Longest main-thread task of the page in a Chromium performance trace (ms). */
  longestTaskMs: number;
  /** Longest frame gap in each part of the run: wheel, scrollbar (drag through the list), keys, wheel-top. */
  longestFrameByPhaseMs: Record<string, number>;
  /** Row position at the top of the table at the end (the table did move). */
  movedTo: number;
}

/**
 * Scrolls the explorer table like a user (wheel, scrollbar drags across the whole list, PgDn)
 * while recording requestAnimationFrame gaps in the page and a Chromium performance trace.
 */
export async function measureScrolling(page: Page, opts: { wheelSteps?: number; tracePath?: string } = {}): Promise<ScrollMeasure> {
  const browser = page.context().browser()!;
  mkdirSync(RESULTS, { recursive: true });
  const tracePath = opts.tracePath ?? join(RESULTS, 'explorer-scroll-trace.json');
  await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  // a string, not a function: tsx would wrap named inner functions in a helper the page lacks
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__phases = [];
    window.__phase = 'wheel';
    window.__stop = false;
    const tick = (t) => {
      window.__frames.push(t);
      window.__phases.push(window.__phase);
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const rows = page.getByTestId('rows');
  const box = (await rows.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let k = 0; k < (opts.wheelSteps ?? 150); k++) {
    await page.mouse.wheel(0, k < 100 ? 120 : 2400);
    await page.waitForTimeout(8);
  }
  const phase = (name: string) => page.evaluate(`window.__phase = ${JSON.stringify(name)}`);
  await phase('scrollbar');
  // drag the scrollbar thumb down through the whole list (every position fetches new pages)
  const bar = (await page.locator('.scrollbar').boundingBox())!;
  await page.mouse.move(bar.x + bar.width / 2, bar.y + 6);
  await page.mouse.down();
  for (let k = 1; k <= 40; k++) {
    await page.mouse.move(bar.x + bar.width / 2, bar.y + 6 + ((bar.height - 12) * k) / 40);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  await phase('keys');
  await rows.focus();
  for (let k = 0; k < 30; k++) {
    await page.keyboard.press(k % 2 ? 'PageUp' : 'PageDown');
    await page.waitForTimeout(10);
  }
  await page.keyboard.press('Home');
  await phase('wheel-top');
  for (let k = 0; k < 40; k++) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(8);
  }
  await page.waitForTimeout(300);
  const { frames, phases } = (await page.evaluate(`(() => { window.__stop = true; return { frames: window.__frames, phases: window.__phases }; })()`)) as { frames: number[]; phases: string[] };
  const byPhase: Record<string, number> = {};
  for (let k = 1; k < frames.length; k++) byPhase[phases[k]!] = Math.max(byPhase[phases[k]!] ?? 0, frames[k]! - frames[k - 1]!);
  const movedTo = Number(await page.locator('[data-testid=rows] .row').first().getAttribute('data-pos'));
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: Array<{ name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } }> };
  const mainThreads = new Set(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let longestTask = 0;
  for (const e of trace.traceEvents) if (e.name === 'RunTask' && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`)) longestTask = Math.max(longestTask, (e.dur ?? 0) / 1000);
  const gaps = frames.slice(1).map((t, k) => t - frames[k]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    frames: frames.length,
    longestFrameMs: sorted[sorted.length - 1] ?? 0,
    p99FrameMs: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    longestTaskMs: longestTask,
    longestFrameByPhaseMs: byPhase,
    movedTo,
  };
}

export interface ServedSuite {
  /** A temporary folder for this suite's files (removed after the suite). */
  dir: string;
  browser: Browser;
  served: Served;
}

/**
 * One bundle served and one browser for a whole test file: `prepare(dir)` writes the bundle into
 * the suite's folder and returns the paths to serve. Nothing starts when Chromium is missing.
 */
export function servedSuite(name: string, prepare: (dir: string) => Promise<string[]>): ServedSuite {
  const suite = { dir: mkdtempSync(join(tmpdir(), `pexlens-e2e-${name}-`)) } as ServedSuite;
  before(async () => {
    if (browserMissing()) return;
    suite.served = await serve(await prepare(suite.dir));
    await waitLoaded(suite.served);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.served?.stop();
    rmSync(suite.dir, { recursive: true, force: true });
  });
  return suite;
}

/** The explorer's match count as shown. */
export async function resultCount(page: Page): Promise<number> {
  const t = (await page.getByTestId('result-count').innerText()).replace(/,/g, '');
  const m = /(\d+)/.exec(t);
  assert.ok(m, `no number in the result count '${t}'`);
  return Number(m[1]);
}

/**
 * The result count once the page has it for the query in the URL: the page fetches it after a
 * navigation, and marks the count `data-state=ready` with the query it belongs to in `data-q`.
 */
export async function settledCount(page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=result-count]');
    const h = location.hash;
    const q = new URLSearchParams(h.includes('?') ? h.slice(h.indexOf('?') + 1) : '').get('q') ?? '';
    return el?.getAttribute('data-state') === 'ready' && el.getAttribute('data-q') === q;
  });
  return resultCount(page);
}
