#!/usr/bin/env node
// `npm start [-- path...]`: the desktop app where Electron's binary is installed, otherwise the
// same UI in a browser (`pexlens serve`), saying so. Without a path it opens the sample snapshot
// in resources/sample/. Builds what is missing or older than its sources first.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largePagesEnv } from './large-pages.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** Newest modification time of the files under the given folders (0 when none). */
function newest(...dirs) {
  let t = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const n of readdirSync(p)) if (n !== 'node_modules') walk(join(p, n));
    } else t = Math.max(t, st.mtimeMs);
  };
  for (const d of dirs) walk(d);
  return t;
}

const stale = (output, ...sources) => !existsSync(output) || statSync(output).mtimeMs < newest(...sources);

function run(what, cmd, cmdArgs) {
  process.stderr.write(`pexlens: building ${what}…\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function buildRenderer() {
  const index = join(root, 'dist', 'renderer', 'index.html');
  if (!stale(index, join(root, 'renderer'))) return true;
  if (!existsSync(vite)) return existsSync(index);
  return run('the user interface', process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']) || existsSync(index);
}

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null; // the package is there but its binary was never downloaded
  }
}

function sample() {
  const dir = join(root, 'resources', 'sample');
  const files = existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
  return files.length ? [join(dir, files[0])] : [];
}

const paths = args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '--port').map((a) => resolve(a));
const electron = electronBinary();

if (electron) {
  const main = join(root, 'dist', 'electron', 'main', 'main.js');
  const preload = join(root, 'dist', 'electron', 'preload', 'preload.cjs');
  const sources = join(root, 'electron');
  if ((stale(main, sources) || stale(preload, sources)) && !(run('the engine', process.execPath, [tsc, '-p', 'tsconfig.json']) && run('the app shell', process.execPath, [tsc, '-p', 'tsconfig.shell.json']))) {
    process.stderr.write('pexlens: the build failed (see above)\n');
    process.exit(1);
  }
  if (!buildRenderer()) process.stderr.write('pexlens: the user interface could not be built; the window will say so\n');
  const child = spawn(electron, [root, ...(paths.length ? paths : sample())], { cwd: process.cwd(), stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
} else {
  process.stderr.write('Electron is not installed here (its binary could not be downloaded); starting browser mode\n');
  const targets = paths.length ? paths : sample();
  if (!targets.length) {
    process.stderr.write('pexlens: no path given and no sample in resources/sample/ (run: node --import tsx resources/make-resources.ts)\n');
    process.exit(1);
  }
  if (!buildRenderer()) process.stderr.write('pexlens: the user interface could not be built; the page will say so\n');
  // a dist/ older than the sources would serve old engine code: run the sources through tsx then
  const env = { ...largePagesEnv() };
  if (stale(join(root, 'dist', 'electron', 'cli', 'pexlens.js'), join(root, 'electron'))) env.PEXLENS_FROM_SOURCE = '1';
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 && args[portAt + 1] ? ['--port', args[portAt + 1]] : [];
  const child = spawn(process.execPath, [join(root, 'bin', 'pexlens.js'), 'serve', ...targets, ...port], { cwd: process.cwd(), stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}
