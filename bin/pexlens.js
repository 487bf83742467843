#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci` through the prepare script); falls back to the
// TypeScript sources through tsx when the build is missing (e.g. while developing).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
