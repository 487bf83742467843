// Smoke test of the desktop app with Playwright's _electron. Runs only where an Electron binary is
// installed (here it cannot be downloaded) and otherwise reports itself skipped, saying why.
import { test } from 'node:test';
import assert from '../assert.js';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

if (!binary) {
  test('electron app opens the sample and shows its lines', (t) => {
    t.skip('electron binary not installed');
  });
} else {
  test('electron app opens the sample and shows its lines', { timeout: 180_000 }, async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const project of ['tsconfig.json', 'tsconfig.shell.json']) {
      const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
      assert.equal(r.status, 0, `build of ${project} failed`);
    }
    if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
      const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'inherit' });
      assert.equal(r.status, 0, 'renderer build failed');
    }
    const sampleDir = join(root, 'resources', 'sample');
    const sample = join(sampleDir, readdirSync(sampleDir)[0]!);
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath: binary, args: [root, sample], cwd: root });
    try {
      const win = await app.firstWindow();
      assert.match(win.url(), /^pexlens:\/\/app\/index\.html#\/lines/);
      // the sandboxed page sees the bridge and nothing of Node
      assert.deepEqual(await win.evaluate(() => [typeof (window as unknown as { pexlens?: unknown }).pexlens, typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process]), ['object', 'undefined', 'undefined']);
      const info = await win.evaluate(async () => {
        const bridge = (window as unknown as { pexlens: { call(m: string, a: unknown): Promise<{ lines: number; loaded: boolean } | null> } }).pexlens;
        for (let k = 0; k < 100; k++) {
          const i = await bridge.call('info', {});
          if (i?.loaded) return i;
          await new Promise((r) => setTimeout(r, 100));
        }
        return null;
      });
      assert.ok(info && info.lines > 0);
      await win.getByText('Sending SIP message').first().waitFor({ timeout: 15_000 });
      const menu = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label) ?? []);
      assert.ok(menu.includes('File') && menu.includes('View') && menu.includes('Help'), menu.join(','));
      const out = join(root, 'test-results');
      mkdirSync(out, { recursive: true });
      await win.screenshot({ path: join(out, 'electron-smoke.png') });
      // navigation away from the app is refused
      await win.evaluate(() => {
        location.href = 'https://example.com/';
      });
      await new Promise((r) => setTimeout(r, 500));
      assert.match(win.url(), /^pexlens:\/\/app\//);
    } finally {
      await app.close();
    }
  });
}
