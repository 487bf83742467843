#!/usr/bin/env node
// Type-checks the Electron shell (electron/main, electron/preload) with tsconfig.shell.json.
// Electron is an optional dependency: without its type declarations the check is skipped, and
// says so, rather than failing the whole typecheck.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dts = join(root, 'node_modules', 'electron', 'electron.d.ts');
if (!existsSync(dts)) {
  console.log('typecheck-shell: skipped: electron not installed (node_modules/electron/electron.d.ts is missing)');
  process.exit(0);
}
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const emit = process.argv.includes('--emit');
const args = [tsc, '-p', join(root, 'tsconfig.shell.json'), ...(emit ? [] : ['--noEmit'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
if (r.status === 0 && !emit) console.log('typecheck-shell: electron/main and electron/preload are clean');
process.exit(r.status ?? 1);
