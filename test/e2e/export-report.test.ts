/**
 * The HTML call report in a real browser: written by `pexlens export --format html`, opened from
 * disk in Chromium with every network request recorded (there must be none besides the file
 * itself), the ladder drawn, then screenshotted to test-results/export-report*.png.
 */
import { test, after } from 'node:test';
import assert from '../assert.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { generateLog } from '../generator/index.js';
import { browserMissing, launchBrowser, RESULTS, ROOT } from './helpers.js';

const skip = browserMissing() ?? false;
const dir = mkdtempSync(join(tmpdir(), 'pexlens-e2e-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function exportReport(log: string, calls: string[], out: string, redact: boolean): void {
  const args = [join(ROOT, 'bin/pexlens.js'), 'export', log, ...calls.flatMap((c) => ['--call', c]), '--format', 'html', '-o', out];
  if (redact) args.push('--redact');
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
  assert.equal(r.status, 0, `export failed: ${r.stderr}`);
}

test('HTML call report opens in Chromium with nothing loaded from outside, ladder drawn; screenshot', { skip, timeout: 120_000 }, async () => {
  const { text, truth } = generateLog({ seed: 17, calls: 20 });
  const log = join(dir, 'unified_support.log');
  writeFileSync(log, text);
  // a SIP call with content sharing (BFCP) and an H.323 call make a rich ladder
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.counts.bfcp > 0 && !c.failed) ?? truth.calls.find((c) => c.protocol === 'SIP')!;
  const h323 = truth.calls.find((c) => c.protocol === 'H323');
  mkdirSync(RESULTS, { recursive: true });
  const plain = join(RESULTS, 'export-report.html');
  const redacted = join(RESULTS, 'export-report-redacted.html');
  exportReport(log, [sip.id, ...(h323 ? [h323.id] : [])], plain, false);
  exportReport(log, [sip.id], redacted, true);
  const redactedHtml = readFileSync(redacted, 'utf8');
  for (const p of truth.personal) assert.ok(!redactedHtml.includes(p), `redacted report leaks ${p}`);

  const browser = await launchBrowser();
  try {
    for (const [file, shot] of [
      [plain, 'export-report.png'],
      [redacted, 'export-report-redacted.png'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      const page = await context.newPage();
      const requests: string[] = [];
      const url = pathToFileURL(file).href;
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      assert.deepEqual(requests, [], 'the report loads nothing besides itself');
      assert.deepEqual(errors, []);
      const ladders = await page.locator('svg.ladder').count();
      assert.ok(ladders >= 1, 'ladder present');
      const box = await page.locator('svg.ladder').first().boundingBox();
      assert.ok(box && box.width > 300 && box.height > 200, `ladder has a size (${JSON.stringify(box)})`);
      const arrows = await page.locator('svg.ladder polygon').count();
      assert.ok(arrows >= 3, `arrows drawn (${arrows})`);
      const messages = await page.locator('div.msg').count();
      assert.ok(messages >= sip.counts.sip, 'every message listed');
      if (file === redacted) assert.match(await page.locator('p.redacted').innerText(), /REDACTED/);
      await page.screenshot({ path: join(RESULTS, shot), fullPage: false });
      await page.locator('svg.ladder').first().screenshot({ path: join(RESULTS, shot.replace('.png', '-ladder.png')) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
