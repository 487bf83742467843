#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci` through the prepare script); falls back to the
// TypeScript sources through tsx when the build is missing (e.g. while developing).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relaunchWithLargePages } from './large-pages.js';

/**
 * Large pages pay for their restart (~0.15 s) on large inputs: the server, a folder, a pipe, or
 * files of 32 MB and more, a compressed one counted at 8× its size (a 200 MB log loads in half
 * the time, a 25 MB .tgz of 200 MB in 1.85 s instead of 2.2; bin/large-pages.js).
 */
function largeInputs(args) {
  if (args[0] === 'serve') return true;
  let bytes = 0;
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      continue; // an option or a command
    }
    if (st.isDirectory() || st.isFIFO()) return true;
    if (st.isFile()) bytes += /\.(gz|tgz|zip)$/i.test(a) ? 8 * st.size : st.size;
  }
  return bytes >= 32 << 20;
}

await relaunchWithLargePages(() => largeInputs(process.argv.slice(2)));

const built = fileURLToPath(new URL('../dist/electron/cli/pexlens.js', import.meta.url));
let entry;
if (existsSync(built) && !process.env.PEXLENS_FROM_SOURCE) entry = pathToFileURL(built).href;
else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../electron/cli/pexlens.ts', import.meta.url).href;
}
const { main } = await import(entry);
const code = await main(process.argv.slice(2));
process.exitCode = code;
