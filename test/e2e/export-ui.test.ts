/**
 * Exporting from the UI in browser mode: the Export dialog of the log explorer (current filter,
 * Shift/Ctrl-picked lines) and of the call view (this call), downloaded through the browser.
 * What a download must hold comes from the generator's bytes and truth, not from the engine.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { generateLog, writeLog } from '../generator/index.js';
import type { Truth } from '../generator/index.js';
import type { CallTrace } from '../../electron/api.js';
import { api, browserMissing, newPage, screenshot, serve, waitLoaded, servedSuite } from './helpers.js';
import { csvRecords } from '../read-csv.js';

const skip = browserMissing() ?? false;
let truth: Truth;
/** The input's lines with their line breaks, as bytes (latin1 keeps every byte). */
let lines: string[];
const suite = servedSuite('export-ui', async (dir) => {
  const g = generateLog({ seed: 23, calls: 24 });
  truth = g.truth;
  const file = join(dir, 'unified_support.log');
  writeFileSync(file, g.text);
  lines = g.text.toString('latin1').split(/(?<=\n)/);
  return [file];
});

async function open(hash: string, ready: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + hash);
  await page.locator(ready).first().waitFor();
  return { page, errors };
}

/** Runs the open Export dialog with its current choices and returns the downloaded bytes. */
async function download(page: Page): Promise<{ bytes: Buffer; name: string }> {
  const [dl] = (await Promise.all([page.waitForEvent('download'), page.getByTestId('export-start').click()])) as [Download, void];
  const path = await dl.path();
  assert.ok(path, `download failed: ${await dl.failure()}`);
  await page.getByTestId('export-done').waitFor();
  return { bytes: readFileSync(path), name: dl.suggestedFilename() };
}

test('exporting the current filter as raw from the explorer gives exactly the matching lines', { skip }, async () => {
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.sip > 4)!;
  const needle = sip.id.toLowerCase();
  const expected = lines.filter((l) => l.toLowerCase().includes(needle));
  assert.ok(expected.length > 5);

  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`"${sip.id}"`)}`, '[data-testid=rows] .row[data-index]');
  await page.getByTestId('export-open').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.waitFor();
  // the dialog counts what it will export
  await dialog.getByText(`${expected.length} lines`).waitFor();
  assert.ok(await page.getByTestId('export-scope-filter').isChecked());
  assert.ok(await page.getByTestId('export-scope-selected').isDisabled(), 'nothing selected yet');
  await screenshot(page, 'export-ui-dialog');
  const { bytes, name } = await download(page);
  assert.match(name, /\.log$/);
  assert.equal(bytes.toString('latin1'), expected.join(''));
  await page.getByTestId('export-cancel').click();
  await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Ctrl- and Shift-click pick lines; "selected lines" exports those lines byte for byte', { skip }, async () => {
  const { page, errors } = await open('#/lines', '[data-testid=rows] .row[data-index]');
  const row = (pos: number) => page.locator(`[data-testid=rows] .row[data-pos="${pos}"]`);
  await row(2).click();
  await row(5).click({ modifiers: ['Control'] });
  await row(9).click({ modifiers: ['Shift'] }); // 5..9 from the anchor, replacing 2 and 5
  await row(12).click({ modifiers: ['Control'] });
  await page.getByTestId('marked').waitFor();
  assert.match(await page.getByTestId('marked').innerText(), /^6 selected/);
  const picked = await page.locator('[data-testid=rows] .row.marked').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
  assert.deepEqual(picked, [5, 6, 7, 8, 9, 12]);
  await screenshot(page, 'export-ui-multiselect');

  await page.getByTestId('export-open').click();
  assert.ok(await page.getByTestId('export-scope-selected').isChecked(), 'a multi-line selection is what the dialog offers first');
  // the engine's own rows say which input lines those view positions are
  const rows = await api<{ rows: Array<{ index: number; line: number }> }>(suite.served, 'lines', { offset: 0, limit: 13 });
  const want = picked.map((i) => lines[rows.rows[i]!.line - 1]!).join('');
  const { bytes } = await download(page);
  assert.equal(bytes.toString('latin1'), want);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a call exported as HTML from the call view is a self-contained report with its SVG ladder; as SVG, the ladder alone', { skip }, async () => {
  const c = truth.calls.find((x) => x.protocol === 'SIP' && x.counts.bfcp > 0 && !x.failed) ?? truth.calls.find((x) => x.protocol === 'SIP')!;
  const { page, errors } = await open(`#/call/${encodeURIComponent(c.id)}`, '[data-testid=ladder-row]');
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-format-html').click();
  await screenshot(page, 'export-ui-call-dialog');
  const { bytes, name } = await download(page);
  assert.match(name, /\.html$/);
  const html = bytes.toString('utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<svg[^>]*class="ladder"/, 'the ladder is inline SVG');
  assert.ok(html.includes(c.id), 'the report names the call');
  assert.doesNotMatch(html, /<script/i, 'no script');
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i, 'nothing loaded from outside');
  assert.doesNotMatch(html, /<link\b/i, 'no linked resources');
  // every SIP message of the call is in it, in order
  let at = 0;
  for (const m of c.sipSequence) {
    const k = html.indexOf(m, at);
    assert.ok(k >= 0, `${m} in the report after offset ${at}`);
    at = k;
  }
  // the ladder alone, as a picture for a ticket
  await page.getByTestId('export-cancel').click();
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-format-svg').click();
  const pic = await download(page);
  assert.match(pic.name, /\.svg$/);
  const svg = pic.bytes.toString('utf8');
  assert.ok(svg.startsWith('<?xml') && svg.includes('<svg class="ladder" x="0" '), svg.slice(0, 200));
  assert.ok(svg.includes(`Call ${c.id.replace(/&/g, '&amp;')} · `), 'the picture names the call');
  assert.equal([...svg.matchAll(/<title>#\d+ /g)].length, (await api<CallTrace>(suite.served, 'callTrace', { id: c.id })).messages.length, 'a row per message');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('redacted exports (lines as text, a call as JSON) hold none of the generated personal data', { skip }, async () => {
  const personal = [...truth.personal, ...truth.personalHexIps];
  assert.ok(personal.length > 10);
  // every line, as text
  const { page, errors } = await open('#/lines', '[data-testid=rows] .row[data-index]');
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-format-text').click();
  await page.getByTestId('export-redact').check();
  const text = (await download(page)).bytes.toString('utf8');
  assert.ok(text.length > 100_000, `the whole log was exported (${text.length} characters)`);
  const leaks = personal.filter((p) => text.includes(p));
  assert.deepEqual(leaks, [], 'personal strings left in the redacted text export');
  await page.context().close();

  // a call as JSON
  const c = truth.calls.find((x) => x.protocol === 'SIP' && x.fragmented) ?? truth.calls[0]!;
  const view = await open(`#/call/${encodeURIComponent(c.id)}`, '[data-testid=ladder-row]');
  await view.page.getByTestId('export-open').click();
  await view.page.getByTestId('export-format-json').click();
  await view.page.getByTestId('export-redact').check();
  const json = (await download(view.page)).bytes.toString('utf8');
  const parsed = JSON.parse(json) as unknown;
  const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { redacted?: boolean; messages: unknown[] };
  assert.equal(first.redacted, true, 'the report says it was redacted');
  assert.ok(first.messages.length >= c.counts.sip);
  assert.deepEqual(
    personal.filter((p) => json.includes(p)),
    [],
    'personal strings left in the redacted JSON',
  );
  assert.deepEqual([...errors, ...view.errors], []);
  await view.page.context().close();
});

test('a large export shows its progress and can be cancelled', { skip, timeout: 120_000 }, async () => {
  // ~60 MB: a redacted raw export of it takes seconds here (learning pass, then writing)
  const big = join(suite.dir, 'big.log');
  await writeLog(big, { seed: 5, targetBytes: 60e6 });
  const s = await serve([big]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/lines');
    await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-redact').check();
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('export-start').click();
    const bar = page.getByTestId('export-progress');
    await bar.waitFor();
    // the engine reports progress: the bar moves past 0 %
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=export-progress]')?.getAttribute('aria-valuenow')) > 0);
    assert.match(await bar.innerText(), /Exporting… \d+%/);
    await screenshot(page, 'export-ui-progress');
    await page.getByTestId('export-cancel').click();
    await bar.waitFor({ state: 'detached' });
    // back to the choices, no error shown, nothing downloaded, and the dialog can export again
    assert.equal(await page.getByTestId('export-error').count(), 0);
    assert.ok(await page.getByTestId('export-start').isEnabled());
    await page.waitForTimeout(300);
    assert.equal(downloads, 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});

test("the call list exports its calls: CSV in the list's order, and the raw lines of the calls it shows", { skip }, async () => {
  // the H.323 calls, longest first
  const h323 = truth.calls.filter((c) => c.protocol === 'H323');
  assert.ok(h323.length > 1, 'the generator wrote H.323 calls');
  const { page, errors } = await open('#/calls', '[data-testid=call-row]');
  await page.getByTestId('call-protocol').selectOption('H323');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=call-row]').length === n, h323.length);
  const duration = page.getByRole('columnheader', { name: /Duration/ });
  await duration.click();
  if ((await duration.getAttribute('aria-sort')) !== 'descending') await duration.click();
  assert.equal(await duration.getAttribute('aria-sort'), 'descending');
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  const shown = await page.locator('[data-testid=call-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-call')!));
  await page.getByTestId('export-open').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByText(`${h323.length} calls`).waitFor();
  await screenshot(page, 'export-ui-call-list');
  const { bytes, name } = await download(page);
  assert.match(name, /^pexlens-calls-.*\.csv$/);
  const records = csvRecords(bytes.toString('utf8'));
  // the table's order, longest first
  assert.deepEqual(records.map((r) => r['Call id']), shown);
  assert.deepEqual(shown.slice().sort(), h323.map((c) => c.id).sort());
  const seconds = records.map((r) => Number(r['Duration (s)']));
  for (let k = 1; k < seconds.length; k++) assert.ok(seconds[k - 1]! >= seconds[k]!, `longest first: ${seconds.join(' ')}`);
  // their raw lines: exactly the lines the generator wrote for them, in input order
  await page.getByTestId('export-format-raw').click();
  const raw = (await download(page)).bytes.toString('latin1');
  const want = [...new Set(h323.flatMap((c) => c.lineNumbers))].sort((a, b) => a - b).map((k) => lines[k - 1]!);
  assert.equal(raw, want.join(''));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("a conference's calls export from its view: CSV of exactly its calls, and one HTML report of them", { skip }, async () => {
  const byConf = new Map<string, string[]>();
  for (const c of truth.calls) if (c.conferenceId) byConf.set(c.conferenceId, [...(byConf.get(c.conferenceId) ?? []), c.id]);
  const [confId, ids] = [...byConf].sort((a, b) => b[1].length - a[1].length)[0]!;
  assert.ok(ids.length > 1, 'a conference with several calls');
  const { page, errors } = await open(`#/conference/${encodeURIComponent(confId)}`, '[data-testid=conference-view] header');
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-dialog').getByText(`${ids.length} calls`).waitFor();
  const records = csvRecords((await download(page)).bytes.toString('utf8'));
  assert.deepEqual(records.map((r) => r['Call id']).sort(), ids.slice().sort());
  assert.ok(records.every((r) => r['Conference-ID'] === confId));
  await page.getByTestId('export-format-html').click();
  const html = (await download(page)).bytes.toString('utf8');
  for (const id of ids) assert.ok(html.includes(id), `the report holds call ${id}`);
  assert.ok(!/<script|src="http|href="http/i.test(html), 'self-contained');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('bookmarks: B on a line or Bookmark in its detail, kept across searches and a reload; F2 steps through them; they export together byte for byte', { skip }, async () => {
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.sip > 4)!;
  const rowsShown = '[data-testid=rows] .row[data-index]';
  const { page, errors } = await open(`#/lines?q=${encodeURIComponent(`"${sip.id}"`)}`, rowsShown);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const row = (pos: number) => page.locator(`[data-testid=rows] .row[data-pos="${pos}"]`);
  const pressed = () => page.getByTestId('bookmark-line').getAttribute('aria-pressed');
  // B on one of the call's lines
  await row(2).click();
  await page.keyboard.press('b');
  await page.locator('[data-testid=rows] .row.bm[data-pos="2"]').waitFor();
  const first = Number(await row(2).getAttribute('data-index'));
  assert.equal(await pressed(), 'true');
  // in another search, the detail's Bookmark button
  await page.goto(suite.served.base + '#/lines?q=level:ERROR');
  await page.waitForFunction(() => document.querySelector('[data-testid=result-count]')?.getAttribute('data-q') === 'level:ERROR');
  await row(0).click();
  const second = Number(await row(0).getAttribute('data-index'));
  // clicked at once: until the detail shows this line (it shows the line picked before, the
  // bookmarked one, for a moment) its buttons are disabled, and the click waits for them
  await page.getByTestId('bookmark-line').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=bookmark-line]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await page.getByTestId('bookmarks-open').innerText(), 'Bookmarks 2');
  // kept by the page for this bundle: after a reload, on every line, both are flagged in the table
  await page.goto(suite.served.base + '#/lines');
  await page.reload();
  await page.locator(rowsShown).first().waitFor();
  assert.equal(await page.getByTestId('bookmarks-open').innerText(), 'Bookmarks 2');
  const [a, b] = [first, second].sort((x, y) => x - y);
  // the menu lists them in list order, each with its time and message; a click goes to the line
  await page.getByTestId('bookmarks-open').click();
  const items = await page.getByTestId('bookmark').allInnerTexts();
  const detailOf = (index: number) => api<{ message: string; time: string; line: number }>(suite.served, 'lineDetail', { index });
  const [da, db] = [await detailOf(a), await detailOf(b)];
  assert.equal(items.length, 2);
  assert.ok(items[0]!.endsWith(da.message) && items[0]!.includes(da.time.slice(11, 23)), items[0]);
  assert.ok(items[1]!.endsWith(db.message), items[1]);
  await screenshot(page, 'explorer-bookmarks');
  await page.getByTestId('bookmark').first().click();
  await page.locator(`[data-testid=rows] .row.sel.bm[data-index="${a}"]`).waitFor();
  // F2: the next bookmark, then round to the first again; Shift+F2 back
  await page.keyboard.press('F2');
  await page.locator(`[data-testid=rows] .row.sel.bm[data-index="${b}"]`).waitFor();
  await page.keyboard.press('F2');
  await page.locator(`[data-testid=rows] .row.sel[data-index="${a}"]`).waitFor();
  await page.keyboard.press('Shift+F2');
  await page.locator(`[data-testid=rows] .row.sel[data-index="${b}"]`).waitFor();
  // "Copy these": their text on the clipboard, in list order
  await page.getByTestId('bookmarks-open').click();
  await page.getByTestId('bookmarks-copy').click();
  await page.getByTestId('bar-note').filter({ hasText: 'copied 2 lines' }).waitFor();
  const text = (d: { line: number }) => Buffer.from(lines[d.line - 1]!.replace(/\r?\n$/, ''), 'latin1').toString('utf8') + '\n';
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text(da) + text(db));
  // "Export these…": the bookmarked lines, byte for byte
  await page.getByTestId('bookmarks-open').click();
  await page.getByTestId('bookmarks-export').click();
  await page.getByTestId('export-dialog').waitFor();
  assert.ok(await page.getByTestId('export-scope-bookmarks').isChecked(), 'the dialog opens on the bookmarks');
  const { bytes } = await download(page);
  assert.equal(bytes.toString('latin1'), lines[da.line - 1]! + lines[db.line - 1]!);
  await page.getByTestId('export-cancel').click();
  await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
  // B on a bookmarked line drops it
  await page.locator(`[data-testid=rows] .row.sel[data-index="${b}"]`).click();
  await page.keyboard.press('b');
  await page.waitForFunction(() => document.querySelector('[data-testid=bookmarks-open]')?.textContent?.trim() === 'Bookmarks 1');
  assert.equal(await page.locator('[data-testid=rows] .row.bm').count(), (await page.locator(`[data-testid=rows] .row[data-index="${a}"]`).count()) ? 1 : 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});
