import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
const path = process.argv[2] ?? '/work/shared/samples/diagnostic_snapshot_pxmgr01_26-05-14_0042.tgz';
const pages = (process.argv[3] ?? '#/overview,#/lines,#/calls').split(',');
const srv = spawn('node', ['/work/main/bin/pexlens.js', 'serve', path, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base: string = await new Promise((res) => srv.stdout.on('data', (d) => { const m = /http:\/\/127\.0\.0\.1:\d+\/?\S*/.exec(String(d)); if (m) res(m[0].replace(/#.*$/, '')); }));
console.log('base', base);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const p = await b.newPage({ viewport: { width: 1440, height: 900 } });
p.on('pageerror', (e) => console.log('pageerror', e.message));
p.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
for (const [k, h] of pages.entries()) {
  await p.goto(base + h);
  await p.waitForTimeout(2500);
  await p.screenshot({ path: `/tmp/tour/shot-${k}.png` });
  console.log('shot', k, h);
}
await b.close();
srv.kill();
