/**
 * The app's engine host, measured the way the UI uses it: browser-mode server + engine worker
 * over HTTP. Time to the first rows while loading, load time, the call list asked for right after
 * loading and the pages answered while it was awaited (the call index must not hold them up), the
 * call list's views (a search, sorts, a quick filter) against the whole list at once, page latency (p50/p95 of 200-row pages at random offsets), a query's first
 * evaluation and its later pages, the histogram, and the longest stall of the server's event loop
 * during the load (the host must never block). Then the same bundle reopened in a new server,
 * everything from the persistent cache: open, the call list, a call search.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../electron/server/server.ts';
import type { CallListPage, LinePage } from '../../electron/api.ts';
import type { BenchContext } from './run.ts';
import { callCacheId } from '../../electron/engine/correlate/call-cache.ts';
import { cacheDir } from '../../electron/engine/search/cache.ts';


/** POSTs API calls to a browser-mode server, as the renderer does. */
function caller(server: { port: number; token: string }) {
  const base = `http://127.0.0.1:${server.port}/api/`;
  return async <T>(method: string, arg: unknown): Promise<T> => {
    const res = await fetch(base + method, { method: 'POST', headers: { 'X-Pexlens-Token': server.token }, body: JSON.stringify(arg) });
    if (!res.ok) throw new Error(`${method}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function bench(ctx: BenchContext): Promise<void> {
  for (const [label, log] of ctx.logs) {
    const server = await startServer();
    const call = caller(server);
    try {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const t0 = performance.now();
      const opening = call('open', { paths: [log] });
      let firstRows = NaN;
      // the UI polls a page while loading: how soon do rows appear?
      while (Number.isNaN(firstRows)) {
        const page = await call<LinePage>('lines', { offset: 0, limit: 200 });
        if (page.rows.length) firstRows = performance.now() - t0;
        else await new Promise((r) => setTimeout(r, 20));
      }
      await opening;
      const loadS = (performance.now() - t0) / 1000;
      delay.disable();
      ctx.report(`app ${label}: first rows while loading`, firstRows, 'ms');
      ctx.report(`app ${label}: open (worker, via HTTP)`, statSync(log).size / 1e6 / loadS, 'MB/s');
      ctx.report(`app ${label}: server event loop max stall during load`, delay.max / 1e6, 'ms');

      const info = await call<{ lines: number }>('info', {});
      const page = () => call<LinePage>('lines', { offset: Math.floor(Math.random() * Math.max(1, info.lines - 200)), limit: 200 });
      // the call list asked for right after loading while the UI keeps paging: the call index
      // must not hold the pages up
      let t = performance.now();
      let callsMs = NaN;
      const callList = call<CallListPage>('calls', FIRST_PAGE).then(() => (callsMs = performance.now() - t));
      const during: number[] = [];
      while (Number.isNaN(callsMs)) {
        const tp = performance.now();
        await page();
        during.push(performance.now() - tp);
      }
      await callList;
      ctx.report(`app ${label}: call list first page, asked for right after loading`, callsMs, 'ms');
      ctx.report(`app ${label}: pages of 200 rows answered meanwhile`, during.length, 'pages');
      ctx.report(`app ${label}: slowest of those pages`, Math.max(...during), 'ms');
      await callListViews(ctx, label, call);

      const times: number[] = [];
      for (let k = 0; k < 60; k++) {
        const tp = performance.now();
        await page();
        times.push(performance.now() - tp);
      }
      ctx.report(`app ${label}: page of 200 rows p50`, pct(times, 50), 'ms');
      ctx.report(`app ${label}: page of 200 rows p95`, pct(times, 95), 'ms');

      t = performance.now();
      const first = await call<LinePage>('lines', { offset: 0, limit: 200, query: 'level:ERROR' });
      ctx.report(`app ${label}: query level:ERROR first page`, performance.now() - t, 'ms');
      const later: number[] = [];
      for (let k = 0; k < 20; k++) {
        const offset = Math.floor(Math.random() * Math.max(1, first.total - 200));
        t = performance.now();
        await call<LinePage>('lines', { offset, limit: 200, query: 'level:ERROR' });
        later.push(performance.now() - t);
      }
      ctx.report(`app ${label}: query later pages p50`, pct(later, 50), 'ms');
      t = performance.now();
      await call<LinePage>('lines', { offset: 0, limit: 200, query: '"sip/2.0 404"' });
      ctx.report(`app ${label}: query "sip/2.0 404" first page`, performance.now() - t, 'ms');
      t = performance.now();
      await call('histogram', { buckets: 300 });
      ctx.report(`app ${label}: histogram 300 buckets`, performance.now() - t, 'ms');
      await cachedCalls(log);
    } finally {
      await server.close();
    }
    await reopen(ctx, label, log);
  }
}

/** The call list's first view as the UI asks for it: by start time, the first page. */
const FIRST_PAGE = { sort: 'start', desc: false, offset: 0, limit: 200 } as const;

/**
 * The call list as the UI pages it, each against the whole list sent at once (the UI before the
 * engine paged it, measured in the same run): a search, a sort by another column, a page deep in
 * that sort, and a quick filter as typed (a new view per keystroke).
 */
async function callListViews(ctx: BenchContext, label: string, call: ReturnType<typeof caller>): Promise<void> {
  const t = performance.now();
  const whole = await call<CallListPage>('calls', {});
  const wholeMs = performance.now() - t;
  ctx.report(`app ${label}: call list, all ${whole.total} calls in one answer (baseline)`, wholeMs, 'ms');
  const timed = async (what: string, req: object): Promise<CallListPage> => {
    const t0 = performance.now();
    const page = await call<CallListPage>('calls', req);
    ctx.report(`app ${label}: call list ${what}`, performance.now() - t0, 'ms', wholeMs);
    return page;
  };
  await timed('first page again (a kept view)', FIRST_PAGE);
  await timed('find a call "meet" (entity index), first page', { ...FIRST_PAGE, query: 'meet', sort: undefined });
  const byDuration = await timed('sorted by duration, first page', { ...FIRST_PAGE, sort: 'duration', desc: true });
  await timed('sorted by duration, a page in the middle', { ...FIRST_PAGE, sort: 'duration', desc: true, offset: Math.floor(byDuration.total / 2) });
  const typed = ['1', '10', '10.', '10.4', '10.44'];
  const keystrokes: number[] = [];
  for (const filter of typed) {
    const t0 = performance.now();
    await call<CallListPage>('calls', { ...FIRST_PAGE, filter });
    keystrokes.push(performance.now() - t0);
  }
  ctx.report(`app ${label}: call list quick filter, slowest of ${typed.length} keystrokes`, Math.max(...keystrokes), 'ms', wholeMs);
}

/** Waits until the first open has saved the calls and the call search to the cache. */
async function cachedCalls(log: string): Promise<void> {
  const id = await callCacheId([log]);
  if (!id) throw new Error('the call cache is not usable here');
  const saved = () => ['calls', 'callsearch'].every((kind) => existsSync(join(cacheDir(), `${id.key}.${kind}.pxc`)));
  for (let k = 0; k < 600 && !saved(); k++) await new Promise((r) => setTimeout(r, 100));
  if (!saved()) throw new Error('the first open saved no calls to the cache within 60 s');
}

/** The same bundle opened again in a new server: line tables, index and calls from the cache. */
async function reopen(ctx: BenchContext, label: string, log: string): Promise<void> {
  const server = await startServer();
  const call = caller(server);
  try {
    const t0 = performance.now();
    await call('open', { paths: [log] });
    ctx.report(`app ${label} reopened: open (cache)`, performance.now() - t0, 'ms');
    let t = performance.now();
    const calls = await call<CallListPage>('calls', FIRST_PAGE);
    ctx.report(`app ${label} reopened: call list first page, asked for right after loading`, performance.now() - t, 'ms');
    ctx.report(`app ${label} reopened: open to call list`, performance.now() - t0, 'ms');
    t = performance.now();
    await call('calls', { ...FIRST_PAGE, query: 'meet', sort: undefined });
    ctx.report(`app ${label} reopened: find a call "meet", first page`, performance.now() - t, 'ms');
    if (!calls.total) throw new Error('reopened: no calls');
  } finally {
    await server.close();
  }
}
