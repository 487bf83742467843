/**
 * The log explorer in Chromium (browser mode): scrolling (wheel, scrollbar drags across the whole
 * list, PgUp/PgDn) and a search on the generated logs, measured as the longest gap between
 * animation frames and the longest main-thread task of a Chromium performance trace. The issue's
 * target: no frozen frame over 100 ms on the 1 GB bundle. Skipped without Chromium.
 */
import { browserMissing, launchBrowser, measureScrolling, newPage, serve, waitLoaded } from '../e2e/helpers.ts';
import type { BenchContext } from './run.ts';


export async function bench(ctx: BenchContext): Promise<void> {
  const missing = browserMissing();
  if (missing) {
    console.log(`explorer bench skipped: ${missing}`);
    return;
  }
  const browser = await launchBrowser();
  try {
    for (const [label, log] of ctx.logs) {
      const served = await serve([log]);
      try {
        await waitLoaded(served, 300_000);
        const { page } = await newPage(browser);
        await page.goto(served.url);
        await page.locator('[data-testid=rows] .row[data-index]').first().waitFor();
        await page.waitForTimeout(500);
        const r = await measureScrolling(page);
        ctx.report(`explorer ${label}: scrolling, longest frame`, r.longestFrameMs, 'ms');
        ctx.report(`explorer ${label}: scrolling, p99 frame`, r.p99FrameMs, 'ms');
        ctx.report(`explorer ${label}: scrolling, longest main-thread task`, r.longestTaskMs, 'ms');
        // a search typed in the box: time until the count and the first matching rows show
        const t = performance.now();
        await page.getByTestId('search').fill('level:ERROR');
        await page.getByTestId('search').press('Enter');
        await page.waitForFunction(() => {
          const rows = [...document.querySelectorAll('[data-testid=rows] .row[data-index]')];
          return rows.length > 0 && rows.every((e) => e.classList.contains('lv-ERROR'));
        });
        ctx.report(`explorer ${label}: search level:ERROR to rows`, performance.now() - t, 'ms');
        await page.context().close();
      } finally {
        await served.stop();
      }
    }
  } finally {
    await browser.close();
  }
}
