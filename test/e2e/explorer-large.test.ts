/**
 * The explorer on a large generated log: rows appear while it loads, Cancel stops the load and
 * keeps what was read; scrolling stays smooth (the longest frame is measured and reported in
 * test-results/explorer-frames.json; the 100 ms target is checked by the benchmark, not here).
 */
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { writeLog } from '../generator/index.js';
import { api, browserMissing, launchBrowser, measureScrolling, newPage, RESULTS, screenshot, serve, settledCount, waitIndexed, waitLoaded } from './helpers.js';

const skip = browserMissing() ?? false;
const dir = mkdtempSync(join(tmpdir(), 'pexlens-e2e-large-'));
const file = join(dir, 'unified_support.log');
let browser: Browser;
let lines = 0;

before(async () => {
  if (skip) return;
  // big enough that loading takes seconds here (~170 MB/s), small enough to generate quickly
  const truth = await writeLog(file, { seed: 3, targetBytes: 700e6, damaged: true });
  lines = truth.lines;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('rows appear while loading, and Cancel keeps what was read', { skip }, async () => {
  const served = await serve([file]);
  try {
    const { page, errors } = await newPage(browser);
    await page.goto(served.url);
    const bar = page.getByTestId('load-progress');
    await bar.waitFor();
    // first rows before the load finishes
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    assert.ok(await bar.isVisible(), 'rows showed while the progress bar was still there');
    const text = await bar.innerText();
    assert.match(text, /read/);
    assert.match(text, /lines/);
    await screenshot(page, 'explorer-loading');
    await page.getByTestId('cancel-load').click();
    await bar.waitFor({ state: 'hidden' });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /cancel/i);
    const info = await api<{ loaded: boolean; lines: number }>(served, 'info');
    assert.equal(info.loaded, false);
    assert.ok(info.lines > 0 && info.lines < lines, `${info.lines} of ${lines} lines read`);
    // what was read stays browsable, with its count
    await page.waitForFunction((n) => document.querySelector('[data-testid=result-count]')?.textContent?.replace(/,/g, '').includes(String(n)), info.lines);
    await page.getByTestId('rows').focus();
    await page.keyboard.press('End');
    await page.waitForFunction((n) => document.querySelector('.row.sel[data-index]')?.getAttribute('data-pos') === String(n - 1), info.lines);
    assert.match(await page.getByTestId('bundle-meta').innerText(), new RegExp(info.lines.toLocaleString('en-US')));
    await screenshot(page, 'explorer-cancelled');
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await served.stop();
  }
});

test('scrolling a large log: frames measured', { skip }, async () => {
  const served = await serve([file]);
  try {
    await waitLoaded(served, 120000);
    const { page, errors } = await newPage(browser);
    await page.goto(served.url);
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    const result = await measureScrolling(page);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'explorer-frames.json'), JSON.stringify({ lines, ...result }, null, 2));
    process.stdout.write(`# explorer scrolling ${lines} lines: longest frame ${result.longestFrameMs.toFixed(1)} ms, p99 ${result.p99FrameMs.toFixed(1)} ms, longest task ${result.longestTaskMs.toFixed(1)} ms over ${result.frames} frames\n`);
    assert.ok(result.frames > 50, 'frames were drawn while scrolling');
    assert.ok(result.movedTo > 1000, 'the table scrolled');
    await screenshot(page, 'explorer-scrolled');
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await served.stop();
  }
});

test('a broad search shows its first rows from the head of the log, then its whole list', { skip }, async () => {
  const served = await serve([file]);
  try {
    await waitLoaded(served, 120000);
    const { page, errors } = await newPage(browser);
    await page.goto(served.url + '#/lines');
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    // a piece of a split SIP message, picked while the calls are still being found (a bundle this
    // large does not wait for them): once they are in, the detail shows the whole message and
    // its call without being asked again
    const piece = (await api<{ rows: Array<{ index: number }> }>(served, 'lines', { offset: 0, limit: 1, query: 'fragment-number:2' })).rows[0]!;
    const callsBefore = (await api<{ indexed: { calls: boolean } }>(served, 'info')).indexed.calls;
    await page.evaluate((n) => (location.hash = `#/lines?line=${n}`), piece.index);
    await page.getByTestId('detail').getByTestId('payload').waitFor();
    await page.getByTestId('pieces').waitFor({ timeout: 120000 });
    assert.match(await page.getByTestId('pieces').innerText(), /^Piece 2 of \d+/);
    await page.getByTestId('call-link').waitFor();
    console.log(`# the piece was shown ${callsBefore ? 'after' : 'before'} the calls were found`);
    // a fresh page for the search below: a picked line would have its place looked up in each new
    // list, which evaluates the whole query before the first page
    await page.goto(served.url + '#/lines');
    await page.reload();
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    // the search starts once both indexes are in (this log's calls come seconds after the load,
    // and the engine builds them on its thread), and the header stops saying it is indexing
    await waitIndexed(served);
    await page.getByTestId('indexing').waitFor({ state: 'detached' });
    const q = 'bye';
    // the page's `lines` answers for the query, in the order they came
    const pages: Array<{ first: boolean; partial: boolean; total: number; rows: number[] }> = [];
    let firstAnswered = () => {};
    const answered = new Promise<void>((r) => (firstAnswered = r));
    page.on('response', async (r) => {
      if (!/\/api\/lines$/.test(r.url())) return;
      const body = JSON.parse(r.request().postData() ?? '{}') as { query?: string; first?: boolean; offset?: number };
      if (body.query !== q || body.offset !== 0) return;
      const j = (await r.json()) as { partial?: boolean; total: number; rows: Array<{ index: number }> };
      pages.push({ first: !!body.first, partial: !!j.partial, total: j.total, rows: j.rows.map((x) => x.index) });
      if (body.first) firstAnswered();
    });
    // the count, the histogram and the whole list are held back on their way (the engine answers
    // as ever) until the first page has come and 1 s more, so the page is seen while it has only
    // the early rows. Were one of them to reach the engine first (it did when only the count and
    // list were held: the histogram), its matches would answer the first page whole
    await page.route(/\/api\/(search|lines|histogram)$/, async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { query?: string; first?: boolean };
      if (body.query === q && !body.first) {
        await answered;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await route.continue();
    });
    // what the count said, in order
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=result-count]')!;
      const said: string[] = ((window as unknown as { said: string[] }).said = []);
      new MutationObserver(() => said.push(el.textContent!.trim())).observe(el, { childList: true, subtree: true, characterData: true });
    });
    const box = page.getByTestId('search');
    await box.fill(q);
    await box.press('Enter');
    const count = await settledCount(page);
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    const why = JSON.stringify({ said: [...new Set(said)], pages: pages.map((p) => ({ ...p, rows: p.rows.length })) });
    const counting = said.map((t) => /^([\d,]+)\+ matches, counting…/.exec(t)).find((m) => m !== null);
    assert.ok(counting, why);
    const atLeast = Number(counting[1]!.replace(/,/g, ''));
    const whole = await api<{ total: number; rows: Array<{ index: number }> }>(served, 'lines', { query: q, offset: 0, limit: 200 });
    assert.equal(count, whole.total);
    // the first answer was the early one: the same rows, and fewer than all matches counted, which
    // the page showed as a lower bound until the count came
    const early = pages.find((p) => p.first);
    assert.ok(early?.partial, why);
    assert.deepEqual(early.rows, whole.rows.map((r) => r.index));
    assert.ok(early.total >= 200 && early.total < whole.total);
    assert.equal(atLeast, early.total);
    // and the page asked again for the whole list (its answer may come after the count's)
    const again = () => pages.some((p) => !p.first && !p.partial && p.total === whole.total);
    for (let k = 0; k < 100 && !again(); k++) await page.waitForTimeout(50);
    assert.ok(again(), JSON.stringify(pages.map((p) => ({ ...p, rows: p.rows.length }))));
    const shown = await page.locator('[data-testid=rows] .row[data-index]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    assert.deepEqual(shown, whole.rows.map((r) => r.index).slice(0, shown.length));
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await served.stop();
  }
});

test('a slow regex can be stopped, by Stop or by the next search, which answers at once', { skip }, async () => {
  const served = await serve([file]);
  try {
    await waitLoaded(served, 120000);
    const { page, errors } = await newPage(browser);
    const slow = '/(\\w+\\s?)*detail/i';
    // how each request made for the slow query ended: aborted by the page, or answered (status)
    const ends = new Map<Request, 'pending' | 'aborted' | number>();
    const isSlow = (r: Request) => /\/api\/(lines|search|histogram)$/.test(r.url()) && !!r.postData()?.includes('detail/i');
    page.on('request', (r) => isSlow(r) && ends.set(r, 'pending'));
    page.on('requestfailed', (r) => isSlow(r) && ends.set(r, 'aborted'));
    page.on('requestfinished', async (r) => isSlow(r) && ends.set(r, (await r.response())?.status() ?? 0));
    await page.goto(served.url + '#/lines');
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    const box = page.getByTestId('search');
    // on this log the slow query alone runs for minutes (~200 µs for each line holding "detail")
    const ask = async () => {
      const asked = page.waitForRequest((r) => /\/api\/search$/.test(r.url()) && !!r.postData()?.includes('detail/i'));
      await box.fill(slow);
      await box.press('Enter');
      await asked;
    };
    // Stop appears while it runs, and goes back to the list before it (here: every line)
    await ask();
    await page.getByTestId('result-count').filter({ hasText: /searching… \d+ s/ }).waitFor();
    await screenshot(page, 'explorer-searching');
    const stale = () => page.getByTestId('summary').evaluate((e) => e.classList.contains('stale'));
    assert.equal(await stale(), true, "the previous search's facets and histogram fade meanwhile");
    await page.getByTestId('stop-search').click();
    await page.waitForFunction(() => !new URLSearchParams(location.hash.split('?')[1] ?? '').get('q'));
    assert.equal(await settledCount(page), lines);
    await page.waitForFunction(() => !document.querySelector('[data-testid=summary]')?.classList.contains('stale'));
    assert.equal(await box.inputValue(), '');
    // a new query stops it too
    await ask();
    const next = 'level:ERROR';
    await box.fill(next);
    await box.press('Enter');
    await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(q), next);
    const expected = (await api<{ total: number }>(served, 'search', { query: next, limit: 0 })).total;
    assert.equal(await settledCount(page), expected);
    // the page dropped the slow query's requests when the newer search began (a browser sends six
    // at a time to one host: left waiting, they kept the new search's requests from leaving), and
    // none was answered with lines: the engine stopped the search (the unit tests show how)
    for (let k = 0; k < 50 && [...ends.values()].includes('pending'); k++) await new Promise((r) => setTimeout(r, 100));
    const how = [...ends.values()];
    assert.ok(how.filter((e) => e === 'aborted').length >= 2, JSON.stringify(how));
    assert.ok(how.every((e) => e === 'aborted' || e === 400), JSON.stringify(how));
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
    await page.context().close();
  } finally {
    await served.stop();
  }
});
