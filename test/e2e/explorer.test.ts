/**
 * The log explorer in browser mode, end to end: a generated snapshot served by `pexlens serve`,
 * Debian's Chromium through playwright-core. Expected counts come from the generator's text and
 * truth, not from the engine. Screenshots land in test-results/.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateLog, writeBundle } from '../generator/index.js';
import type { Truth } from '../generator/index.js';
import { api, browserMissing, newPage, screenshot, serve, servedSuite, settledCount, waitLoaded } from './helpers.js';

const skip = browserMissing() ?? false;
let truth: Truth;
let supportLog: string[];
const suite = servedSuite('explorer', async (dir) => {
  const b = await writeBundle(dir, { form: 'tgz', seed: 11, calls: 40 });
  truth = b.truth;
  supportLog = b.supportLog.toString('latin1').split(/\r?\n/);
  if (supportLog[supportLog.length - 1] === '') supportLog.pop();
  return [b.path];
});

async function open(hash: string, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newPage(suite.browser, opts);
  await page.goto(suite.served.base + hash);
  await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
  return { page, errors };
}

/** Texts of the rows on screen (their whole line text lives in the API; here what is shown). */
async function shownRows(page: Page): Promise<Array<{ pos: number; index: number; text: string; cls: string }>> {
  return page.locator('[data-testid=rows] .row[data-index]').evaluateAll((els) =>
    els.map((e) => ({ pos: Number(e.getAttribute('data-pos')), index: Number(e.getAttribute('data-index')), text: (e as HTMLElement).innerText, cls: e.className })),
  );
}

/**
 * The rows on screen once the layout holds the current result: the facet chips above the table
 * arrive after the count and may wrap onto another line, which changes how many rows fit.
 */
async function settledRows(page: Page): ReturnType<typeof shownRows> {
  await page.waitForFunction(() => {
    const summary = document.querySelector('[data-testid=summary]');
    const body = document.querySelector<HTMLElement>('[data-testid=rows]');
    const total = Number(body?.closest('[role=grid]')?.getAttribute('aria-rowcount'));
    if (!summary || summary.classList.contains('stale') || !body) return false;
    const drawn = body.querySelectorAll('.row[data-index]');
    const first = Number(drawn[0]?.getAttribute('data-pos') ?? 0);
    // the table draws every row that fits (LineTable: ROW = 20 px, plus one partly shown)
    return drawn.length === Math.min(total - first, Math.ceil(body.clientHeight / 20) + 1);
  });
  return shownRows(page);
}

test('opens a generated snapshot and shows its lines', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const rows = await shownRows(page);
  assert.ok(rows.length > 20, `only ${rows.length} rows on screen`);
  // the bundle's line count: support log (all rotations) + the developer log in the snapshot
  const info = await api<{ lines: number }>(suite.served, 'info');
  assert.ok(info.lines >= supportLog.length, `${info.lines} lines loaded, the support log alone has ${supportLog.length}`);
  assert.equal(await settledCount(page), info.lines);
  // rows are in order and start at the first line
  assert.deepEqual(
    rows.slice(0, 5).map((r) => r.pos),
    [0, 1, 2, 3, 4],
  );
  await screenshot(page, 'explorer-light');
  const dark = await open('#/lines', { colorScheme: 'dark' });
  const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)', 'the dark theme follows the system');
  await screenshot(dark.page, 'explorer-dark');
  await dark.page.context().close();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('searches for a Call-ID, counts and highlights the matches', { skip }, async () => {
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.sip > 4)!;
  assert.ok(sip, 'the generator made a SIP call');
  // the SIP Call-ID: the id that appears in `i:`/`Call-ID:` headers
  const callId = sip.ids.find((id) => supportLog.some((l) => l.includes(`Call-ID: ${id}`) || l.includes(`i: ${id}`))) ?? sip.ids[0]!;
  const expected = supportLog.filter((l) => l.toLowerCase().includes(callId.toLowerCase())).length;
  assert.ok(expected > 3);

  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  await box.fill(`"${callId}"`);
  await box.press('Enter');
  await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(q), callId);
  assert.equal(await settledCount(page), expected);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=rows] .row[data-index]').length === Math.min(n, 20) || document.querySelectorAll('[data-testid=rows] .row[data-index]').length >= 20, expected);
  const rows = await shownRows(page);
  assert.equal(rows.length, Math.min(expected, rows.length));
  // every shown row has the id highlighted (in the key column or the raw text)
  const marks = await page.locator('[data-testid=rows] .row[data-index] mark').allInnerTexts();
  assert.ok(marks.length >= Math.min(rows.length, 5), `${marks.length} highlights for ${rows.length} rows`);
  for (const m of marks) assert.equal(m.toLowerCase(), callId.toLowerCase());
  await screenshot(page, 'explorer-search');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a key:value search marks the value in the key column, and the detail shows it marked in its fields', { skip }, async () => {
  const id = supportLog.map((l) => /\bParticipant-Id="([^"]+)"/.exec(l)?.[1]).find((v) => v !== undefined)!;
  assert.ok(id, 'the generator wrote a Participant-Id');
  const expected = supportLog.filter((l) => l.includes(`Participant-Id="${id}"`)).length;
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`participant-id:${id.toUpperCase()}`)}`);
  assert.equal(await settledCount(page), expected);
  const rows = await settledRows(page);
  assert.equal(rows.length, Math.min(expected, rows.length));
  // each row marks the value where its column shows it, and needs no excerpt to say why it matched
  const keyMarks = await page.locator('[data-testid=rows] .row[data-index] .keys mark').allInnerTexts();
  assert.deepEqual(keyMarks, rows.map(() => id));
  // the column is cut at its width: the marked entry comes first, so the mark is in view
  const cut = await page.locator('[data-testid=rows] .row[data-index] .keys').evaluateAll((els) =>
    els.filter((e) => e.querySelector('mark')!.getBoundingClientRect().right > e.getBoundingClientRect().right + 1).length,
  );
  assert.equal(cut, 0);
  assert.equal(await page.locator('[data-testid=rows] .ctx').count(), 0);
  await page.locator('[data-testid=rows] .row[data-index]').first().click();
  const field = page.getByTestId('detail').locator('tr', { has: page.locator('th', { hasText: /^Participant-Id$/ }) });
  assert.equal(await field.locator('mark').innerText(), id);
  await screenshot(page, 'explorer-key-value');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a SIP URI typed as a word is marked in every row it finds (the page reads queries as the engine does)', { skip }, async () => {
  // `sip:` starts an address, not a `sip:` field: the page used to read it as a field and mark nothing
  const uri = supportLog.map((l) => /\bsip:[a-z][a-z0-9.]*@[a-z0-9.]*[a-z0-9]/i.exec(l)?.[0]).find((u) => u !== undefined)!;
  assert.ok(uri, 'the generator wrote a SIP URI');
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  await box.fill(uri);
  await box.press('Enter');
  await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(q), uri);
  const count = await settledCount(page);
  assert.ok(count > 0);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=rows] .row[data-index] mark').length > 0);
  const rows = await page.locator('[data-testid=rows] .row[data-index]').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('mark')].map((m) => m.textContent)));
  assert.ok(rows.length >= Math.min(count, 5), `${rows.length} rows shown`);
  for (const marks of rows) {
    assert.ok(marks.length > 0, 'every row marks where it matched');
    for (const m of marks) assert.equal(m?.toLowerCase(), uri.toLowerCase());
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a query that cannot be read is refused as typed: the last search stays, the problem is pointed at, fixing it searches', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  const hashQuery = () => page.evaluate(() => new URLSearchParams(location.hash.slice(location.hash.indexOf('?') + 1)).get('q'));
  await box.fill('INVITE');
  await box.press('Enter');
  const before = await settledCount(page);
  assert.equal(before, (await api<{ total: number }>(suite.served, 'search', { query: 'INVITE', limit: 0 })).total);

  // refused before anything is sent: no 400 from the engine (errors would hold it), the list stays
  const problem = page.getByTestId('query-problem');
  await box.fill('INVITE (BYE OR level:EROR');
  await box.press('Enter');
  await problem.waitFor();
  assert.equal(await problem.locator('mark').innerText(), 'level:EROR');
  assert.match(await problem.innerText(), /unknown level 'EROR'/);
  await screenshot(page, 'explorer-query-problem');
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  assert.equal(await hashQuery(), 'INVITE');
  assert.equal(await settledCount(page), before);

  // it follows the edits: the next problem, then none
  await box.fill('INVITE (BYE OR level:ERROR');
  await page.waitForFunction(() => document.querySelector('[data-testid=query-problem] mark')?.textContent === '(');
  assert.match(await problem.innerText(), /'\(' is never closed/);
  await box.fill('INVITE (BYE OR level:ERROR)');
  await problem.waitFor({ state: 'detached' });
  await box.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('level:ERROR)'));
  assert.equal(await settledCount(page), (await api<{ total: number }>(suite.served, 'search', { query: 'INVITE (BYE OR level:ERROR)', limit: 0 })).total);

  // Esc drops the unreadable draft for the last search
  await box.fill('INVITE "BYE');
  await box.press('Enter');
  await problem.waitFor();
  await box.press('Escape');
  await problem.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'INVITE (BYE OR level:ERROR)');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a match inside a SIP payload is shown in its row, so each row says why it matched', { skip }, async () => {
  // `Max-Forwards` is a SIP header: only inside the ^M payloads, never in a row's message or key columns
  // (always written `^MMax-Forwards:`, a word after the log's ^M line break)
  const expected = supportLog.filter((l) => /\^MMax-Forwards:/.test(l)).length;
  assert.equal(expected, supportLog.filter((l) => /max-forwards/i.test(l)).length);
  assert.ok(expected > 3);
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  /** Waits until the rows shown are the new query's: there are marks in `sel`, and each reads `text`. */
  const rowsOf = (sel: string, text: string) =>
    page.waitForFunction(
      ([sel, text]) => {
        const marks = [...document.querySelectorAll(`[data-testid=rows] .row[data-index] ${sel}`)];
        return marks.length > 0 && marks.every((m) => m.textContent?.toLowerCase() === text);
      },
      [sel, text.toLowerCase()],
    );
  await box.fill('max-forwards');
  await box.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('max-forwards'));
  assert.equal(await settledCount(page), expected);
  await rowsOf('.ctx mark', 'max-forwards');
  const rows = await page.locator('[data-testid=rows] .row[data-index]').evaluateAll((els) =>
    els.map((e) => ({ ctx: e.querySelector('.ctx')?.textContent ?? null, marks: [...e.querySelectorAll('.ctx mark')].map((m) => m.textContent) })),
  );
  assert.ok(rows.length >= Math.min(expected, 10), `${rows.length} rows shown`);
  for (const r of rows) {
    assert.ok(r.ctx?.startsWith('…'), `a row shows where it matched: ${r.ctx}`);
    assert.equal(r.marks[0]?.toLowerCase(), 'max-forwards');
  }
  await screenshot(page, 'explorer-match-context');
  // a match in a line's head (a time written in the line, not in the time column's form) is shown from the start
  await box.fill('"T08:00:0"');
  await box.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('T08:00:0'));
  await settledCount(page);
  await rowsOf('.ctx mark', 'T08:00:0');
  const heads = await page.locator('[data-testid=rows] .row[data-index] .ctx').evaluateAll((els) => els.map((e) => [e.textContent, e.querySelector('mark')?.textContent]));
  assert.ok(heads.length > 3);
  for (const [ctx, mark] of heads) {
    assert.ok(ctx?.startsWith('2026-05-14T08:00:0'), `${ctx}`);
    assert.equal(mark, 'T08:00:0');
  }
  // a word is highlighted where the engine matches it: `70` (Max-Forwards: 70) never inside a longer number
  await box.fill('70');
  await box.press('Enter');
  await page.waitForFunction(() => /[?&]q=70(&|$)/.test(location.hash));
  await settledCount(page);
  await rowsOf('mark', '70');
  const around = await page.locator('[data-testid=rows] .row[data-index] mark').evaluateAll((els) =>
    els.map((m) => {
      // the text beside the mark within its cell (Svelte may split it into several nodes)
      const cell = m.parentElement!;
      const before = document.createRange();
      before.setStart(cell, 0);
      before.setEndBefore(m);
      const after = document.createRange();
      after.setStartAfter(m);
      after.setEnd(cell, cell.childNodes.length);
      return `${before.toString().slice(-1)}[${m.textContent}]${after.toString().slice(0, 1)}`;
    }),
  );
  assert.ok(around.length > 3);
  for (const a of around) assert.match(a, /^[^0-9A-Za-z_]?\[70\][^0-9A-Za-z_]?$/);
  // a query whose match is in the message column adds no context
  await box.fill('"SIP message"');
  await box.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('SIP message'));
  await settledCount(page);
  await rowsOf('.msg mark', 'SIP message');
  assert.equal(await page.locator('[data-testid=rows] .row[data-index] .ctx').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a regex that backtracks exponentially is answered, and the page stays usable', { skip }, async () => {
  // every line holding "detail" matches: the group may repeat zero times. Run plainly on one such
  // line, this pattern backtracks for hours (in the engine, and again when the rows mark matches)
  const expected = supportLog.filter((l) => /detail/i.test(l)).length;
  assert.ok(expected > 10);
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  const run = async (q: string) => {
    await box.fill(q);
    await box.press('Enter');
    await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(q), q);
    const count = await settledCount(page);
    return { count, shown: (await settledRows(page)).map((r) => r.index) };
  };
  const slow = await run('/(\\w+\\s?)*detail/i');
  assert.equal(slow.count, expected);
  // the engine and the page still answer, and the plain search shows the same lines
  const plain = await run('"detail"');
  assert.equal(plain.count, expected);
  assert.deepEqual(slow.shown, plain.shown);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a search the engine cannot stop: the engine restarts, reopens the bundle, and the next search answers', { skip }, async () => {
  const expected = supportLog.filter((l) => / Level="ERROR" /.test(l)).length;
  assert.ok(expected > 0);
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  // a lookahead: V8 cannot bound this pattern, and on a line with a long word run it never ends
  await box.fill('/(\\w+\\s?)*detail(?=x)/i');
  await box.press('Enter');
  await page.getByTestId('result-count').filter({ hasText: /searching… \d+ s/ }).waitFor();
  await box.fill('level:ERROR');
  await box.press('Enter');
  // the host waits 10 s for the worker to stop the old search, then replaces it (client.ts)
  await page.waitForFunction((n) => document.querySelector('[data-testid=result-count]')?.textContent?.trim() === `${n} matches`, expected, { timeout: 60_000 });
  const rows = await shownRows(page);
  assert.equal(rows.length, expected);
  // the refused calls of the stuck search and of the one behind it
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  await page.context().close();
});

test('between two searches the table keeps the last rows, dimmed and not to be picked, until the new rows come', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const before = await shownRows(page);
  const q = 'level:ERROR';
  const expected = truth.levels['ERROR'] ?? 0;
  assert.ok(expected > 0);
  // the new list is held back on its way until released (the engine answers as ever)
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/lines$/, async (route) => {
    if ((JSON.parse(route.request().postData() ?? '{}') as { query?: string }).query === q) await held;
    await route.continue();
  });
  const box = page.getByTestId('search');
  await box.fill(q);
  await box.press('Enter');
  await page.locator('[data-testid=rows].stale').waitFor();
  // the last search's rows, without positions: nothing to pick while they are not the list's
  const stale = page.locator('[data-testid=rows] .row');
  const positions = await stale.evaluateAll((els) => els.map((e) => e.getAttribute('data-index')));
  assert.ok(positions.length >= 10 && positions.every((x) => x === null), JSON.stringify(positions));
  assert.deepEqual(await stale.evaluateAll((els) => els.slice(0, 5).map((e) => (e as HTMLElement).innerText)), before.slice(0, 5).map((r) => r.text));
  await stale.nth(3).click();
  assert.equal(await page.locator('[data-testid=rows] .row.sel').count(), 0);
  await screenshot(page, 'explorer-stale-rows');
  release();
  assert.equal(await settledCount(page), expected);
  await page.waitForFunction(() => !document.querySelector('[data-testid=rows].stale') && document.querySelector('[data-testid=rows] .row[data-index]'));
  const rows = await shownRows(page);
  assert.ok(rows.length > 0 && rows.every((r) => r.cls.includes('lv-ERROR')), JSON.stringify(rows.map((r) => r.cls)));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('filters by level with the chips', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const chip = page.getByTestId('chip-level-ERROR');
  const chipText = (await chip.innerText()).replace(/,/g, '');
  const expected = truth.levels['ERROR'] ?? 0;
  assert.ok(expected > 0, 'the generator wrote ERROR lines');
  assert.match(chipText, new RegExp(`\\b${expected}\\b`), `chip '${chipText}' should count ${expected} errors`);
  await chip.click();
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('level:ERROR'));
  assert.equal(await settledCount(page), expected);
  // the rows of the filtered list, once fetched (an empty table would pass `every`)
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('[data-testid=rows] .row[data-index]')];
    return rows.length >= Math.min(n, 5) && rows.every((r) => r.classList.contains('lv-ERROR'));
  }, expected);
  const rows = await shownRows(page);
  assert.equal(rows.length, Math.min(expected, rows.length));
  assert.ok(rows.every((r) => r.cls.includes('lv-ERROR')));
  // the chip is on; clicking it again clears the filter
  assert.ok((await chip.getAttribute('class'))!.includes('on'));
  await screenshot(page, 'explorer-level-error');
  await chip.click();
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('level:'));
  assert.ok((await settledCount(page)) > expected);
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Syslog time of each support-log line (damaged lines inherit the previous line's, as the engine does). */
function lineTimes(): number[] {
  let last = NaN;
  return supportLog.map((l) => {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|[+-]\d{2}:\d{2})) /.exec(l);
    if (m) last = Date.parse(m[1]!);
    return last;
  });
}

test('brushing the histogram sets the time range', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const canvas = page.getByTestId('histogram').locator('canvas');
  const box = (await canvas.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.45, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => /from:.*to:/.test(decodeURIComponent(location.hash)));
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  const from = Date.parse(/from:(\S+)/.exec(hash)![1]!);
  const to = Date.parse(/to:(\S+)/.exec(hash)![1]!);
  assert.ok(from < to);
  // the developer log of the snapshot covers only its first minutes; the range is past them
  const t0 = Date.parse('2026-05-14T08:00:00.000Z');
  assert.ok(from > t0 + 60 * 3000, 'brushed range starts after the developer log');
  const expected = lineTimes().filter((t) => t >= from && t <= to).length;
  assert.ok(expected > 0 && expected < supportLog.length);
  assert.equal(await settledCount(page), expected);
  await page.getByTestId('chip-time').waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=rows] .row[data-index]').length >= Math.min(n, 5), expected);
  const times = await page.locator('[data-testid=rows] .row[data-index] .time').evaluateAll((els) => els.map((e) => e.getAttribute('title')!));
  for (const t of times) assert.ok(Date.parse(t) >= from && Date.parse(t) <= to, `${t} outside the range`);
  await screenshot(page, 'explorer-brush');
  // clearing the time chip restores everything
  await page.getByTestId('chip-time').click();
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('from:'));
  assert.ok((await settledCount(page)) > expected);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a rotation missing from the bundle is named in the header\'s warnings and hatched in the histogram', { skip }, async () => {
  const b = await writeBundle(join(suite.dir, 'gap'), { form: 'folder', seed: 41, calls: 150, rotations: 4 });
  rmSync(join(b.path, 'unified_support.log.2.gz'));
  // the gap, from the files either side of it
  const lines = (buf: Buffer) => buf.toString('latin1').split('\n').filter(Boolean);
  const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));
  const from = timeOf(lines(gunzipSync(readFileSync(join(b.path, 'unified_support.log.3.gz')))).at(-1)!);
  const to = timeOf(lines(readFileSync(join(b.path, 'unified_support.log.1')))[0]!);
  const s = await serve([b.path]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/lines');
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    const warning = page.getByTestId('bundle-meta').locator('.warn');
    assert.match(await warning.innerText(), /1 warning/);
    assert.ok((await warning.getAttribute('title'))!.includes(`unified_support.log.2 is not in the bundle: unified_support.log has a gap from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`));
    // the histogram says so over the gap, and not beside it
    const info = await api<{ from: string; to: string }>(s, 'info');
    const [t0, t1] = [Date.parse(info.from), Date.parse(info.to)];
    const canvas = page.getByTestId('histogram').locator('canvas');
    const box = (await canvas.boundingBox())!;
    const hover = async (t: number) => {
      await page.mouse.move(box.x + ((t - t0) / (t1 - t0)) * box.width, box.y + box.height / 3);
      return page.getByTestId('histogram-gap').count();
    };
    assert.equal(await hover((from + to) / 2), 1);
    assert.match(await page.getByTestId('histogram-gap').innerText(), /^unified_support\.log\.2 not in the bundle$/);
    await screenshot(page, 'explorer-gap');
    assert.equal(await hover(to + (to - from) * 2), 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});

test("a node whose clock is seconds off: its chip is marked and says by how much, and the header warns", { skip }, async () => {
  const file = join(suite.dir, 'clock', 'unified_support.log');
  mkdirSync(join(suite.dir, 'clock'), { recursive: true });
  writeFileSync(file, generateLog({ seed: 5, calls: 40, clockOff: { node: 'pxnode-osl-01', behindMs: 47_000 } }).text);
  const s = await serve([file]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/lines');
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    assert.match((await page.getByTestId('bundle-meta').locator('.warn').getAttribute('title'))!, /pxnode-osl-01.*its clock is 4[67]\.\d s behind/);
    // every node has a chip (the first six, then a list): the marked ones are that node's two names
    await page.getByTestId('chip-node').first().waitFor();
    const chips = await page.getByTestId('chip-node').evaluateAll((els) => els.map((e) => ({ text: (e as HTMLElement).innerText, title: e.getAttribute('title') ?? '', marked: !!e.querySelector('[data-testid=clock-off]') })));
    const osl = chips.filter((c) => /^⚠?(pxnode-osl-01|10\.46\.10\.7) /.test(c.text));
    assert.ok(osl.length >= 1, `a chip of the node: ${chips.map((c) => c.text).join(' | ')}`);
    for (const c of chips) {
      const off = osl.includes(c);
      assert.equal(c.marked, off, `${c.text}: marked only if its clock is off`);
      if (off) assert.match(c.title, /\nclock 4[67]\.\d s behind the syslog host's/);
      else assert.match(c.title, /\nclock [01]\.\d\d s (behind|ahead) the syslog host's/);
    }
    await screenshot(page, 'explorer-clock-off');
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});

/** The `^M` payload of a raw line, decoded the way the vendor documents it. */
/** The `^M` payload of a line as written (after its opening `^M`, without the closing quote). */
function bodyOf(line: string): string {
  const at = line.indexOf('="^M');
  assert.ok(at > 0);
  const body = line.slice(at + 4);
  return body.endsWith('"') ? body.slice(0, -1) : body;
}

/** A payload's lines (its text split at `^M`, without the empty one after a final `^M`). */
function payloadOf(line: string): string[] {
  return splitPayload(bodyOf(line));
}

function splitPayload(body: string): string[] {
  const lines = body.split('^M');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

test('the detail pane shows the fields and the decoded ^M payload', { skip }, async () => {
  const invite = supportLog.find((l) => l.includes('Name="support.sip"') && /Detail="\^MINVITE sip:/.test(l) && !l.includes('Fragment-'))!;
  assert.ok(invite, 'the generator wrote a SIP INVITE');
  const expected = payloadOf(invite);
  const callId = /\^M(?:Call-ID|i): ([^^]+)/.exec(invite)![1]!.trim();
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`name:support.sip "${callId}" "INVITE sip:"`)}`);
  const rows = await shownRows(page);
  assert.ok(rows.length >= 1);
  await page.locator('[data-testid=rows] .row[data-index]').first().click();
  const pane = page.getByTestId('detail');
  await pane.getByTestId('payload').locator('.cm-line').first().waitFor();
  const shown = await pane.locator('.cm-line').allInnerTexts();
  // the first INVITE of the dialog; its payload must decode to the same lines
  const first = supportLog.find((l) => l.includes(callId) && l.includes('Name="support.sip"') && /Detail="\^MINVITE sip:/.test(l) && !l.includes('Fragment-'))!;
  const want = first === invite ? expected : payloadOf(first);
  assert.equal(shown[0], want[0]);
  assert.ok(shown[0]!.startsWith('INVITE sip:'));
  // (an empty editor line renders as a <br>: its innerText is a line break)
  const n = Math.min(shown.length, want.length);
  assert.ok(n >= Math.min(want.length, 20), `${shown.length} payload lines shown of ${want.length}`);
  assert.deepEqual(
    shown.slice(0, n).map((l) => l.replace(/\n$/, '')),
    want.slice(0, n),
  );
  const gutter = await pane.locator('.cm-lineNumbers .cm-gutterElement').allInnerTexts();
  assert.ok(gutter.includes(String(Math.min(want.length, 10))), 'line numbers are shown');
  // SIP colouring: the method on the start line is a token of its own
  const spans = await pane.locator('.cm-line').first().locator('span:not(.cm-searchHit)').allInnerTexts();
  assert.ok(spans.includes('INVITE'), `the method is a token of its own: ${spans.join(' | ')}`);
  // what the search asked for is marked in the payload
  const hits = (await pane.locator('.cm-searchHit').allInnerTexts()).map((h) => h.toLowerCase());
  assert.ok(hits.includes(callId.toLowerCase()), `the Call-ID is marked: ${hits.join(' | ')}`);
  assert.ok(hits.includes('invite sip:'), `the quoted text is marked: ${hits.join(' | ')}`);
  // every field of the line is listed
  const fieldNames = await pane.locator('.fields th').allInnerTexts();
  for (const k of ['Src-Address', 'Dst-Address', 'Transport']) assert.ok(fieldNames.includes(k), `field ${k} listed`);
  // the selected line is in the URL, so it can be linked to
  await page.waitForFunction(() => /[?&]line=\d+/.test(location.hash));
  await screenshot(page, 'explorer-detail');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a piece of a SIP message split over lines shows the whole message, and its other pieces are a click away', { skip }, async () => {
  // the pieces of each Fragment-Id, from the generator's text; one message whose pieces are all there
  const re = /Fragment-Id="([^"]+)" Fragment-Number="(\d+)" Fragment-Total="(\d+)" Detail="/;
  const groups = new Map<string, Array<{ number: number; total: number; line: string }>>();
  for (const line of supportLog) {
    const m = re.exec(line);
    if (m) groups.set(m[1]!, [...(groups.get(m[1]!) ?? []), { number: Number(m[2]), total: Number(m[3]), line }]);
  }
  const [fid, pieces] = [...groups].find(([, ps]) => ps.length >= 3 && ps.length === ps[0]!.total)!;
  assert.ok(fid, 'the generator split a message into three pieces or more');
  const byNumber = pieces.slice().sort((a, b) => a.number - b.number);
  // the whole message: the pieces' payloads joined in number order
  const whole = splitPayload(byNumber.map((p) => bodyOf(p.line)).join(''));

  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`fragment-id:${fid} fragment-number:1`)}`);
  await page.locator('[data-testid=rows] .row[data-index]').first().click();
  const pane = page.getByTestId('detail');
  await pane.getByTestId('pieces').waitFor();
  assert.match(await pane.getByTestId('pieces').innerText(), new RegExp(`^Piece 1 of ${pieces.length}:`));
  await pane.getByText(`Whole message · ${whole.length} lines`).waitFor();
  await pane.getByTestId('payload').locator('.cm-line').first().waitFor();
  const shown = (await pane.locator('.cm-line').allInnerTexts()).map((l) => l.replace(/\n$/, ''));
  const n = Math.min(shown.length, whole.length);
  assert.ok(n >= Math.min(whole.length, 20), `${shown.length} lines shown of ${whole.length}`);
  assert.deepEqual(shown.slice(0, n), whole.slice(0, n));
  await screenshot(page, 'explorer-whole-message');

  // piece 2: not in the search's list, so the list shows all lines, the piece picked among them
  const two = (await api<{ rows: Array<{ index: number; file: string; line: number }> }>(suite.served, 'lines', { offset: 0, limit: 1, query: `fragment-id:${fid} fragment-number:2` })).rows[0]!;
  await pane.getByTestId('pieces').getByRole('button', { name: '2', exact: true }).click();
  await page.locator(`[data-testid=rows] .row.sel[data-index="${two.index}"]`).waitFor();
  assert.equal(await page.getByTestId('show-all').isChecked(), true);
  await pane.getByText(`${two.file}:${two.line}`).waitFor();
  assert.match(await pane.getByTestId('pieces').innerText(), new RegExp(`^Piece 2 of ${pieces.length}:`));
  // this piece alone, as it is in its line
  await pane.getByTestId('piece-only').check();
  await pane.getByText(`Detail · ${payloadOf(byNumber[1]!.line).length} lines`).waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the search box offers the queries searched lately, most recent first, after a reload too', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const box = page.getByTestId('search');
  const offered = () => page.locator('#recent-lines option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  assert.equal(await box.getAttribute('list'), 'recent-lines');
  for (const q of ['level:ERROR', 'INVITE', 'level:ERROR']) {
    await box.fill(q);
    await box.press('Enter');
    // the page has taken the search (not only the address: a busy page may read two changes of it
    // at once, and keep only the last)
    await page.waitForFunction((want) => document.querySelector('[data-testid=result-count]')?.getAttribute('data-q') === want, q);
  }
  await page.waitForFunction(() => document.querySelectorAll('#recent-lines option').length === 2);
  assert.deepEqual(await offered(), ['level:ERROR', 'INVITE']);
  await page.reload();
  await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
  assert.deepEqual(await offered(), ['level:ERROR', 'INVITE'], 'kept across a reload');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the search box completes a field's name and the bundle's modules, levels and nodes", { skip }, async () => {
  const { page, errors } = await open('#/lines');
  await settledCount(page);
  const box = page.getByTestId('search');
  const completions = () => page.locator('#recent-lines option[data-kind=completion]').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  // the modules the generator wrote that start with support.h, most lines first
  const counts = new Map<string, number>();
  for (const l of supportLog) {
    const m = / Name="(support\.h[^"]*)"/.exec(l);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  assert.ok(counts.size >= 2, [...counts.keys()].join(' '));
  await box.fill('INVITE name:support.h');
  await page.waitForFunction((n) => document.querySelectorAll('#recent-lines option[data-kind=completion]').length === n, counts.size);
  const offered = await completions();
  assert.deepEqual([...offered].sort(), [...counts.keys()].map((n) => `INVITE name:${n}`).sort());
  const most = Math.max(...counts.values());
  assert.equal(counts.get(offered[0]!.slice('INVITE name:'.length)), most, 'the module with the most lines first');
  await box.fill('INVITE -lev');
  await page.waitForFunction(() => document.querySelector('#recent-lines option[data-kind=completion]')?.getAttribute('value') === 'INVITE -level:');
  await box.fill('level:WARNING,ER');
  await page.waitForFunction(() => [...document.querySelectorAll('#recent-lines option[data-kind=completion]')].map((o) => o.getAttribute('value')).join() === 'level:WARNING,ERROR');
  // a completion taken is a query the engine reads
  await box.fill('level:WARNING,ERROR');
  await box.press('Enter');
  assert.equal(await settledCount(page), supportLog.filter((l) => / Level="(WARNING|ERROR)"/.test(l)).length);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("a search's top messages are counted on request, and a message's chip searches for it", { skip }, async () => {
  // the reference: the Message of each support-log line at WARNING or ERROR, counted
  const counts = new Map<string, number>();
  const times = new Map<string, number[]>();
  for (const l of supportLog) {
    if (!/ Level="(WARNING|ERROR)" Name="support\./.test(l)) continue;
    const m = / Message="((?:[^"\\]|\\.)*)"/.exec(l);
    if (!m) continue;
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    times.set(m[1]!, [...(times.get(m[1]!) ?? []), Date.parse(l.slice(0, l.indexOf(' ')))]);
  }
  const expected = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  assert.ok(expected.length >= 1);
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent('level:WARNING,ERROR name:support.*')}`);
  await settledCount(page);
  await page.getByTestId('messages-open').click();
  const chips = page.getByTestId('chip-message');
  await chips.first().waitFor();
  const shown = await chips.allInnerTexts();
  const top = expected.slice(0, shown.length).map(([m, n]) => `${m} ${n.toLocaleString('en-US')}`);
  assert.deepEqual(shown.map((t) => t.replace(/\s+/g, ' ').trim()), top);
  // each chip's title says when its message first and last came (to the second, UTC)
  const second = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  for (const [k, [m]] of expected.slice(0, shown.length).entries()) {
    const ts = times.get(m)!;
    assert.equal(await chips.nth(k).getAttribute('title'), `${m}\nfirst ${second(Math.min(...ts))}, last ${second(Math.max(...ts))}`);
  }
  await screenshot(page, 'explorer-messages');
  // a chip narrows the search to its message; its lines' Message column is marked whole
  const [message, n] = expected[0]!;
  await chips.first().click();
  await page.waitForFunction((m) => (new URLSearchParams(location.hash.split('?')[1]).get('q') ?? '').includes(`message:"${m}"`), message);
  assert.equal(await settledCount(page), n);
  await page.locator('[data-testid=rows] .row[data-index] .msg mark').first().waitFor();
  assert.equal(await page.locator('[data-testid=rows] .row[data-index] .msg mark').first().innerText(), message);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('keyboard navigation, jump to time and next match', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  const total = await settledCount(page);
  await page.getByTestId('rows').focus();
  await page.keyboard.press('End');
  await page.waitForFunction((n) => document.querySelector('.row.sel')?.getAttribute('data-pos') === String(n - 1), total);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('.row.sel')?.getAttribute('data-pos') === '0');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('.row.sel')?.getAttribute('data-pos') === '2');
  await page.keyboard.press('PageDown');
  const afterPage = Number(await page.locator('.row.sel').getAttribute('data-pos'));
  assert.ok(afterPage > 12, `PageDown moved to ${afterPage}`);

  // jump to a time in the middle of the log: the selected line is the first at or after it
  const times = lineTimes().filter((t) => Number.isFinite(t));
  const mid = times[Math.floor(times.length / 2)]!;
  const iso = new Date(mid).toISOString();
  await page.getByTestId('jump').fill(iso);
  await page.getByTestId('jump').press('Enter');
  await page.waitForFunction((t) => {
    const r = document.querySelector('.row.sel .time');
    return !!r && Date.parse(r.getAttribute('title')!) >= t;
  }, mid);
  const selPos = Number(await page.locator('.row.sel').getAttribute('data-pos'));
  const prev = await page.locator(`.row[data-pos="${selPos - 1}"] .time`).getAttribute('title');
  assert.ok(Date.parse(prev!) < mid, 'the line before the jump target is earlier');
  // a time of day alone: the same day as the bundle's first line (this bundle lasts under a day)
  const quarter = times[Math.floor(times.length / 4)]!;
  await page.getByTestId('jump').fill(new Date(quarter).toISOString().slice(11, 23));
  await page.getByTestId('jump').press('Enter');
  await page.waitForFunction((t) => {
    const r = document.querySelector('.row.sel .time');
    return !!r && Date.parse(r.getAttribute('title')!) >= t && Date.parse(r.getAttribute('title')!) < t + 60_000;
  }, quarter);
  const qPos = Number(await page.locator('.row.sel').getAttribute('data-pos'));
  assert.ok(Date.parse((await page.locator(`.row[data-pos="${qPos - 1}"] .time`).getAttribute('title'))!) < quarter, 'the first line at or after that time of day');

  assert.deepEqual(errors, []);
  await page.context().close();

  // context mode (a fresh page, nothing selected): all lines shown, ↓ goes to the next matching line
  const ctx = await open(`#/lines?q=${encodeURIComponent('level:WARNING')}&all=1`);
  const p2 = ctx.page;
  assert.equal(await settledCount(p2), truth.levels['WARNING']);
  // the first warning of the bundle, by the engine's own filtered list
  const warnings = await api<{ rows: Array<{ index: number }> }>(suite.served, 'lines', { offset: 0, limit: 2, query: 'level:WARNING' });
  const [w1, w2] = warnings.rows.map((r) => r.index);
  await p2.getByTestId('next').click();
  // stepping is asynchronous (it finds the match's position first): wait for the selection it makes
  await p2.waitForFunction((p) => document.querySelector('.row.sel')?.getAttribute('data-pos') === String(p), w1);
  assert.ok((await p2.locator('.row.sel').getAttribute('class'))!.includes('lv-WARNING'));
  await p2.getByTestId('next').click();
  await p2.waitForFunction((p) => document.querySelector('.row.sel')?.getAttribute('data-pos') === String(p), w2);
  assert.ok((await p2.locator('.row.sel').getAttribute('class'))!.includes('lv-WARNING'));
  await p2.getByTestId('prev').click();
  await p2.waitForFunction((p) => document.querySelector('.row.sel')?.getAttribute('data-pos') === String(p), w1);
  // the matches stand out of the lines around them: each row on screen is marked exactly when it is a warning
  const onScreen = await p2.locator('[data-testid=rows] .row[data-index]').evaluateAll((els) => els.map((e) => ({ warning: e.classList.contains('lv-WARNING'), match: e.classList.contains('match'), context: e.classList.contains('context') })));
  assert.ok(onScreen.some((r) => r.warning) && onScreen.some((r) => !r.warning), 'warnings and other lines on screen');
  for (const r of onScreen) assert.deepEqual([r.match, r.context], [r.warning, !r.warning]);
  await screenshot(p2, 'explorer-context');
  assert.deepEqual(ctx.errors, []);
  await p2.context().close();
});

/** An offset as the time column writes it (`+8.182 s`, `−3:35.697`, `+1:02:03.004`), in ms. */
function parseOffset(text: string): number {
  const m = /^([+\u2212])(?:(?:(\d+):)?(\d+):)?(\d+)\.(\d{3})(?: s)?$/.exec(text.trim());
  assert.ok(m, `an offset: ${text}`);
  const ms = ((Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4])) * 1000 + Number(m[5]);
  return m[1] === '+' ? ms : -ms;
}

test('the time column shows the time since the line above, or since a reference line picked with T', { skip }, async () => {
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.sip > 6)!;
  const callId = sip.ids.find((id) => supportLog.some((l) => l.includes(`Call-ID: ${id}`))) ?? sip.ids[0]!;
  // the lines holding the id, in order, and their syslog times, from the generated text
  const times = lineTimes();
  const expected = supportLog.flatMap((l, k) => (l.toLowerCase().includes(callId.toLowerCase()) ? [times[k]!] : []));
  assert.ok(expected.length > 6, 'a call of several lines');
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`"${callId}"`)}`);
  assert.equal(await settledCount(page), expected.length);
  const cells = () => page.locator('[data-testid=rows] .row[data-index] [data-testid=time]').evaluateAll((els) => els.map((e) => ({ text: (e as HTMLElement).innerText, gap: e.classList.contains('gap'), ref: e.classList.contains('ref') })));

  await page.getByTestId('time-mode').selectOption('delta');
  await page.waitForFunction(() => document.querySelector('[data-testid=rows] .row[data-pos="1"] [data-testid=time]')?.textContent?.startsWith('+'));
  const delta = await cells();
  assert.equal(delta.length, Math.min(expected.length, delta.length));
  assert.equal(delta[0]!.text, new Date(expected[0]!).toISOString().slice(5, 23).replace('T', ' '), 'the first line shows its clock');
  for (let k = 1; k < delta.length; k++) {
    const d = expected[k]! - expected[k - 1]!;
    assert.equal(parseOffset(delta[k]!.text), d, `row ${k}: ${delta[k]!.text}`);
    assert.equal(delta[k]!.gap, Math.abs(d) >= 1000, `row ${k} is bold exactly when a second or more passed`);
  }
  assert.ok(delta.some((c) => c.gap), 'a call has a gap of a second or more (its media)');
  await screenshot(page, 'explorer-time-delta');

  // T on a row makes it the reference: the others read the time since it, before it negative
  await page.locator('[data-testid=rows] .row[data-pos="3"]').click();
  await page.keyboard.press('t');
  await page.waitForFunction(() => document.querySelector('[data-testid=rows] .row[data-pos="3"] [data-testid=time]')?.classList.contains('ref'));
  assert.equal(await page.getByTestId('time-mode').inputValue(), 'ref');
  const since = await cells();
  since.forEach((c, k) => {
    if (k === 3) assert.equal(c.text, 'REF' + new Date(expected[3]!).toISOString().slice(11, 23));
    else assert.equal(parseOffset(c.text), expected[k]! - expected[3]!, `row ${k}: ${c.text}`);
  });
  assert.ok(since[0]!.text.startsWith('\u2212'), 'before the reference: negative');
  await page.getByTestId('time-reference').waitFor();
  assert.equal(await page.getByTestId('time-reference').getAttribute('aria-pressed'), 'true');
  // T again on the reference drops it: the clock comes back
  await page.keyboard.press('t');
  await page.waitForFunction(() => !document.querySelector('[data-testid=rows] .ref'));
  assert.equal(await page.getByTestId('time-mode').inputValue(), 'clock');
  assert.equal((await cells())[3]!.text, new Date(expected[3]!).toISOString().slice(5, 23).replace('T', ' '));
  // the detail's button sets it too; it holds across searches (here: every line of the bundle)
  await page.getByTestId('time-reference').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rows] .row[data-pos="3"] [data-testid=time]')?.classList.contains('ref'));
  await page.goto(suite.served.base + '#/lines');
  await settledCount(page);
  // the list scrolls to the selected line, the reference: the lines around it read from it
  // (among them other files' lines: a cell's time is its title)
  await page.waitForFunction(() => document.querySelector('[data-testid=rows] .ref') && !document.querySelector('[data-testid=rows] .row[data-index] [data-testid=time]:empty'));
  const around = await page.locator('[data-testid=rows] .row[data-index] [data-testid=time]').evaluateAll((els) => els.map((e) => ({ text: (e as HTMLElement).innerText, title: e.getAttribute('title')!, ref: e.classList.contains('ref') })));
  assert.ok(around.length > 10, `${around.length} rows`);
  assert.equal(around.filter((c) => c.ref).length, 1, JSON.stringify(around));
  for (const c of around) if (!c.ref) assert.equal(parseOffset(c.text), Date.parse(c.title) - expected[3]!, c.text);
  assert.ok(around.some((c) => c.text.startsWith('\u2212')) && around.some((c) => c.text.startsWith('+')), 'lines before and after it');
  // the mode is a preference kept by the page (a reference is not: a reload starts from the clock or delta last chosen)
  await page.getByTestId('time-mode').selectOption('delta');
  await page.reload();
  await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
  assert.equal(await page.getByTestId('time-mode').inputValue(), 'delta');
  assert.deepEqual(errors, []);
  await page.context().close();

  // no line shown, none picked, no reference: "since reference" has nothing to measure from, and the menu stays on the mode in force
  const empty = await newPage(suite.browser);
  await empty.page.goto(suite.served.base + `#/lines?q=${encodeURIComponent('"no line holds this text"')}`);
  assert.equal(await settledCount(empty.page), 0);
  await empty.page.getByTestId('time-mode').selectOption('ref');
  assert.equal(await empty.page.getByTestId('time-mode').inputValue(), 'clock');
  assert.deepEqual(empty.errors, []);
  await empty.page.context().close();
});

test("the explorer's columns: a header's edge dragged resizes the column in every row, double-clicked fits it to the values shown; kept after a reload", { skip }, async () => {
  const { page, errors } = await open('#/lines');
  await settledRows(page);
  const MODULE = 3;
  const MESSAGE = 4;
  /** Column i's width in the header and in each regular row drawn (a raw line spans the columns). */
  const widths = (i: number) =>
    page.evaluate(
      (i) => ({
        head: Math.round(document.querySelector('[role=grid] .head')!.children[i]!.getBoundingClientRect().width),
        rows: [...document.querySelectorAll('[data-testid=rows] .row[data-index]:not(.damaged)')].map((r) => Math.round(r.children[i]!.getBoundingClientRect().width)),
      }),
      i,
    );
  const edge = (i: number) => page.getByTestId('column-edge').nth(i);
  const usual = [(await widths(MODULE)).head, (await widths(MESSAGE)).head];

  // double-click the Module column's edge: no module name drawn is cut
  await edge(MODULE).dblclick();
  const cut = await page.evaluate((i) => [...document.querySelectorAll('[data-testid=rows] .row[data-index]:not(.damaged)')].map((r) => (r.children[i] as HTMLElement).scrollWidth - (r.children[i] as HTMLElement).clientWidth), MODULE);
  assert.ok(cut.length > 10 && cut.every((d) => d <= 0), `no module name cut after fitting: ${cut}`);
  const fitted = await widths(MODULE);
  assert.ok(fitted.rows.every((w) => w === fitted.head));

  // drag the Message column's edge 120 px to the left
  const before = await widths(MESSAGE);
  const box = (await edge(MESSAGE).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  const after = await widths(MESSAGE);
  assert.ok(Math.abs(after.head - (before.head - 120)) <= 2, `dragged −120 px: ${before.head} → ${after.head}`);
  assert.ok(after.rows.every((w) => w === after.head), 'every row follows');
  assert.equal(await page.locator('[data-testid=rows] .row.sel').count(), 0, 'the drag picked no line');

  await page.reload();
  await settledRows(page);
  assert.equal((await widths(MODULE)).head, fitted.head);
  assert.equal((await widths(MESSAGE)).head, after.head);
  await screenshot(page, 'explorer-columns-resized');
  await page.getByTestId('reset-columns').click();
  assert.deepEqual([(await widths(MODULE)).head, (await widths(MESSAGE)).head], usual, 'back to the usual widths');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("a field's + and − in the detail narrow the search to the lines with that value, or drop them", { skip }, async () => {
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent('"Participant has joined."')}`);
  await settledCount(page);
  await page.locator('[data-testid=rows] .row[data-index]').first().click();
  const row = (key: string) => page.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${key}$`) }) });
  await row('Call-Id').waitFor();
  const callId = await row('Call-Id').locator('td').first().innerText();
  // the whole log again, the line still picked
  await page.getByTestId('search').fill('');
  await page.getByTestId('search').press('Enter');
  assert.equal(await settledCount(page), (await api<{ lines: number }>(suite.served, 'info')).lines);
  assert.equal(await row('Call-Id').locator('td').first().innerText(), callId);
  // the lines with that Call-Id, as the generator wrote them (any case of the key), and their levels
  const withIt = supportLog.filter((l) => [...l.matchAll(/ ([\w.-]+)="([^"]*)"/g)].some((m) => m[1]!.toLowerCase() === 'call-id' && m[2]!.toLowerCase() === callId.toLowerCase()));
  assert.ok(withIt.length >= 2, `${withIt.length} lines carry Call-Id ${callId}`);
  await row('Call-Id').hover();
  await row('Call-Id').getByTestId('filter-in').click();
  await page.waitForFunction((q) => (document.querySelector('[data-testid=search]') as HTMLInputElement).value === q, `call-id:${callId}`);
  assert.equal(await settledCount(page), withIt.length);
  // the line stays picked (it has the value); − on its module drops the lines of that module
  const name = await row('Name').locator('td').first().innerText();
  await row('Name').hover();
  await row('Name').getByTestId('filter-out').click();
  await page.waitForFunction((q) => (document.querySelector('[data-testid=search]') as HTMLInputElement).value === q, `call-id:${callId} -name:${name}`);
  const rest = withIt.filter((l) => !l.includes(` Name="${name}"`));
  assert.ok(rest.length >= 1, `the call has lines of other modules than ${name}`);
  assert.equal(await settledCount(page), rest.length);
  // + on the sending system of one of them joins the search as node:
  const first = page.locator('[data-testid=rows] .row[data-index]').first();
  const node = await first.locator('.node').innerText();
  await first.click();
  // (the detail is the new line's once its module is not the one dropped)
  await page.waitForFunction(([n, m]) => {
    const rows = [...document.querySelectorAll('tr')].map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent]);
    return rows.some(([k, v]) => k === 'Node' && v === n) && !rows.some(([k, v]) => k === 'Name' && v === m);
  }, [node, name]);
  await row('Node').hover();
  await row('Node').getByTestId('filter-in').click();
  await page.waitForFunction((q) => (document.querySelector('[data-testid=search]') as HTMLInputElement).value === q, `call-id:${callId} -name:${name} node:${node}`);
  assert.equal(await settledCount(page), rest.filter((l) => l.split(' ')[1] === node).length);
  // a payload is not a value to filter by: no buttons on the times and the raw rows
  assert.equal(await row('Syslog time').getByTestId('filter-in').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('times in another zone: the top bar picks it, the time column and the jump box follow it, kept after a reload; UTC again', { skip }, async () => {
  const { page, errors } = await open('#/lines');
  await settledRows(page);
  await page.getByTestId('zone-open').click();
  await page.getByTestId('zone-other').fill('mars/olympus');
  await page.getByTestId('zone-other').press('Enter');
  await page.getByTestId('zone-menu').getByText('No time zone is called “mars/olympus”', { exact: false }).waitFor();
  await page.getByTestId('zone-other').fill('europe/oslo');
  await page.getByTestId('zone-other').press('Enter');
  /** Waits for the top bar's zone button to read `text`. */
  const zoneShown = (text: string) => page.waitForFunction((t) => document.querySelector('[data-testid=zone-open]')?.textContent === t, text);
  await zoneShown('Europe/Oslo (UTC+2)'); // the offset of the bundle's day (May: summer time)
  assert.equal(await page.getByTestId('time-mode').locator('option[value=clock]').innerText(), 'Time (Oslo)');
  /** Each row's time as shown, and as the browser's own Intl writes its UTC time (the cell's title) in `zone`. */
  const cells = (zone: string) =>
    page.locator('[data-testid=rows] .row[data-index] [data-testid=time]').evaluateAll(
      (els, zone) =>
        els.map((e) => {
          const iso = e.getAttribute('title')!;
          const wall = new Date(iso).toLocaleString('sv-SE', { timeZone: zone }).replace(/^\d{4}-/, '');
          return { shown: (e as HTMLElement).innerText, want: `${wall}.${iso.slice(20, 23)}`, iso };
        }),
      zone,
    );
  const oslo = await cells('Europe/Oslo');
  assert.ok(oslo.length > 10);
  for (const c of oslo) assert.equal(c.shown, c.want, c.iso);

  // the jump box reads a time in the zone shown: a row's wall clock to the second goes to the first line of that second
  const target = oslo[Math.floor(oslo.length / 2)]!;
  const second = Date.parse(target.iso.slice(0, 19) + 'Z');
  await page.getByTestId('jump').fill(target.shown.slice(6, 14));
  await page.getByTestId('jump').press('Enter');
  await page.waitForFunction((t) => {
    const sel = document.querySelector('[data-testid=rows] .row.sel [data-testid=time]');
    const ms = sel ? Date.parse(sel.getAttribute('title')!) : NaN;
    return ms >= t && ms < t + 1000;
  }, second);

  await page.reload();
  await settledRows(page);
  await zoneShown('Europe/Oslo (UTC+2)'); // kept by the page
  await screenshot(page, 'explorer-zone-oslo');
  await page.getByTestId('zone-open').click();
  await page.getByTestId('zone-utc').click();
  await zoneShown('UTC');
  for (const c of await cells('UTC')) assert.equal(c.shown, c.want, c.iso);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Ctrl+C copies the picked lines whole, in list order; text selected on the page is left to the browser', { skip }, async () => {
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.sip > 6)!;
  const callId = sip.ids.find((id) => supportLog.some((l) => l.includes(`Call-ID: ${id}`))) ?? sip.ids[0]!;
  // the call's lines as the generated file holds them (bytes decoded as UTF-8, as the engine shows them)
  const expected = supportLog.filter((l) => l.toLowerCase().includes(callId.toLowerCase())).map((l) => Buffer.from(l, 'latin1').toString('utf8'));
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`"${callId}"`)}`);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  assert.equal(await settledCount(page), expected.length);
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const row = (pos: number) => page.locator(`[data-testid=rows] .row[data-pos="${pos}"]`);

  // one line picked: that line
  await row(2).click();
  await page.keyboard.press('Control+c');
  await page.getByTestId('bar-note').filter({ hasText: 'copied 1 line' }).waitFor();
  assert.equal(await clipboard(), expected[2] + '\n');
  // a Shift range: its lines in list order, each whole (the table shows them cut)
  await row(5).click({ modifiers: ['Shift'] });
  await page.getByTestId('marked').waitFor();
  await page.keyboard.press('Control+c');
  await page.getByTestId('bar-note').filter({ hasText: 'copied 4 lines' }).waitFor();
  assert.equal(await clipboard(), expected.slice(2, 6).join('\n') + '\n');
  assert.ok(expected.slice(2, 6).some((l) => l.length > 300), 'a long line among them (a SIP message), copied whole');
  // text selected in the detail: the browser copies that, not the lines
  await page.evaluate(() => navigator.clipboard.writeText('before'));
  const field = page.getByTestId('detail').locator('td, dd').first();
  await field.selectText();
  const picked = await page.evaluate(() => window.getSelection()!.toString());
  assert.ok(picked.length > 0, 'some text selected');
  await page.keyboard.press('Control+c');
  await page.waitForFunction((t) => navigator.clipboard.readText().then((c) => c === t), picked);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the jump box takes a line quoted as file:line (a rotated file\'s name, or with its .gz left out) and shows it, in a search too', { skip }, async () => {
  const info = await api<{ lines: number }>(suite.served, 'info');
  // a line of a gzipped rotation, as the engine lists it: its file's name and its line number
  const rows = (await api<{ rows: Array<{ index: number; file: string; line: number; text: string }> }>(suite.served, 'lines', { offset: 0, limit: Math.min(info.lines, 5000) })).rows;
  const target = rows.find((r) => r.file.endsWith('.gz') && r.line > 20)!;
  assert.ok(target, 'a line of a .gz rotation');
  const name = target.file.slice(target.file.lastIndexOf('/') + 1);
  const { page, errors } = await open('#/lines?q=level:ERROR');
  await page.getByTestId('jump').fill(`${name.replace(/\.gz$/, '')}:${target.line}`);
  await page.getByTestId('jump').press('Enter');
  await page.getByTestId('detail').getByText(`${target.file}:${target.line}`).waitFor();
  assert.equal(await page.getByTestId('jump').getAttribute('class').then((c) => /\bbad\b/.test(c ?? '')), false);
  // on every line, the same reference picks the row itself
  await page.goto(suite.served.base + '#/lines');
  await page.getByTestId('jump').fill(`${name}:${target.line}`);
  await page.getByTestId('jump').press('Enter');
  await page.locator(`[data-testid=rows] .row.sel[data-index="${target.index}"]`).waitFor();
  // the detail copies the line's place in that form (the file's name, not the local path)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-place').click();
  await page.getByTestId('copy-place').getByText('copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${name}:${target.line}`);
  // a name no file has: the box says why (its title names the bundle's files)
  await page.getByTestId('jump').fill('no_such.log:5');
  await page.getByTestId('jump').press('Enter');
  await page.locator('[data-testid=jump].bad').waitFor();
  assert.match((await page.getByTestId('jump').getAttribute('title'))!, /no file of this bundle is named 'no_such.log'; its files: .*unified_support\.log/);
  // (the engine's refusal is an HTTP 400, which the browser logs)
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  await page.context().close();
});

test('g o, g l, g c, g m, g r go to the Overview, the Lines, the Calls (each as last left), the conferences and the registrations; in a text box they are letters', { skip }, async () => {
  const { page, errors } = await open('#/lines?q=INVITE');
  await page.getByTestId('rows').focus();
  const go = async (key: string, url: RegExp) => {
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    await page.waitForURL(url);
  };
  await go('o', /#\/overview$/);
  await page.getByTestId('overview').waitFor();
  await go('c', /#\/calls/);
  await page.getByTestId('call-list').waitFor();
  await go('m', /#\/conferences$/);
  await page.getByTestId('conference-list').waitFor();
  await go('r', /#\/registrations$/);
  await page.getByTestId('registrations').waitFor();
  await go('l', /#\/lines\?q=INVITE/); // the explorer as it was left
  await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
  // typed into the search box they are letters, and nothing moves
  await page.getByTestId('search').click();
  await page.keyboard.type(' go');
  assert.equal(await page.getByTestId('search').inputValue(), 'INVITE go');
  assert.match(page.url(), /#\/lines\?q=INVITE/);
  // g, then something else: no move
  await page.getByTestId('rows').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('x');
  await page.keyboard.press('o');
  await page.waitForTimeout(300);
  assert.match(page.url(), /#\/lines\?q=INVITE/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('? shows the keys of each view; Esc closes the sheet and nothing else', { skip }, async () => {
  const { page, errors } = await open('#/lines?line=3');
  await page.getByTestId('detail').waitFor();
  await page.keyboard.press('?');
  const sheet = page.getByTestId('key-help');
  await sheet.waitFor();
  const text = await sheet.innerText();
  for (const k of ['F2', 'Ctrl+C', 'F3', 'Enter', 'g o']) assert.ok(text.includes(k), `${k} on the sheet`);
  await screenshot(page, 'key-help');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'hidden' });
  assert.ok(await page.getByTestId('detail').isVisible(), 'the detail stays open');
  // typed into the search box, ? is a character
  await page.getByTestId('search').click();
  await page.keyboard.type('why?');
  assert.equal(await page.getByTestId('search').inputValue(), 'why?');
  assert.equal(await sheet.isVisible(), false);
  // the top bar's button opens it too
  await page.getByTestId('key-help-open').click();
  await sheet.waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a link to a line (#/lines?line=N) selects it, scrolls the table to it and shows its detail', { skip }, async () => {
  const info = await api<{ lines: number }>(suite.served, 'info');
  // far down the list, so the table must scroll to show it
  const target = Math.floor(info.lines * 0.7);
  const row = (await api<{ rows: Array<{ file: string; line: number }> }>(suite.served, 'lines', { offset: target, limit: 1 })).rows[0]!;
  const { page, errors } = await open(`#/lines?line=${target}`);
  const sel = page.locator(`[data-testid=rows] .row.sel[data-index="${target}"]`);
  await sel.waitFor();
  // on screen, inside the table's viewport (not only in the DOM)
  const box = (await sel.boundingBox())!;
  const view = (await page.getByTestId('rows').boundingBox())!;
  assert.ok(box.y >= view.y && box.y + box.height <= view.y + view.height, `selected row at y=${box.y}, table ${view.y}..${view.y + view.height}`);
  await page.getByTestId('detail').getByText(`${row.file}:${row.line}`).waitFor();
  await screenshot(page, 'explorer-line-link');

  // in a search's list, with a row picked, a link to a line the list does not hold: the detail
  // shows that line (the row picked before does not take its place back), no row stays picked
  const page2 = await api<{ rows: Array<{ index: number; file: string; line: number; level: string }> }>(suite.served, 'lines', { offset: target, limit: 50 });
  const notError = page2.rows.find((r) => r.level !== 'ERROR')!;
  await page.evaluate(() => (location.hash = '#/lines?q=level%3AERROR'));
  await page.locator('[data-testid=result-count][data-state=ready][data-q="level:ERROR"]').waitFor();
  await page.locator('[data-testid=rows] .row[data-index]').first().click();
  await page.locator('[data-testid=rows] .row.sel').waitFor();
  await page.evaluate((n) => (location.hash = `#/lines?q=level%3AERROR&line=${n}`), notError.index);
  await page.getByTestId('detail').getByText(`${notError.file}:${notError.line}`).waitFor();
  await page.waitForTimeout(300);
  await page.getByTestId('detail').getByText(`${notError.file}:${notError.line}`).waitFor({ timeout: 1000 });
  assert.equal(await page.locator('[data-testid=rows] .row.sel').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('calls routes are placeholders the call views replace', { skip }, async () => {
  const { page } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/calls');
  await page.getByTestId('calls-placeholder').or(page.locator('[data-testid=call-list]')).first().waitFor();
  await page.goto(suite.served.base + '#/call/abc');
  await page.getByTestId('call-placeholder').or(page.locator('[data-testid=call-view]')).first().waitFor();
  await page.context().close();
});

test('a file that is not a Pexip log (no line with a time): its lines are shown as they are, the histogram says it has nothing to draw, the Overview names it', { skip }, async () => {
  const file = join(suite.dir, 'not-a-log', 'notes.log');
  mkdirSync(join(suite.dir, 'not-a-log'), { recursive: true });
  const text = ['customer says: calls drop at 14:05', 'see ticket 4711', '\u00e9t\u00e9 \u00ff bytes'].join('\n') + '\n';
  writeFileSync(file, text, 'latin1');
  const s = await serve([file]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/lines');
    await page.getByTestId('histogram-untimed').waitFor();
    const rows = page.locator('[data-testid=rows] .row[data-index]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    assert.match(await rows.nth(1).innerText(), /see ticket 4711/);
    await page.goto(s.base + '#/overview');
    const warning = page.getByTestId('overview-warnings').locator('li');
    await warning.first().waitFor();
    assert.deepEqual(await warning.allInnerTexts(), [`${file}: none of its 3 lines begins with a syslog time (is it a Pexip log?); its lines are shown as they are, without times`]);
    assert.match(await page.getByTestId('overview-file').innerText(), /notes\.log\s+3 lines[\s\S]*no line with a time/);
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});
