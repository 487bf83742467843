// One timed load of a bundle in a fresh process, for the search bench (search.ts): `plain`, the
// ingest alone; `index`, the ingest with the line index built beside it (as the app and the CLI
// open a bundle); `reopen`, from the persistent cache (PEXLENS_CACHE_DIR), which must hold it. A fresh process is what a user's open meets; in the bench's own long-lived
// process the plain loads ran slower than the loads with the index (docs/benchmarks.md, session
// 20). Prints one JSON line: wall times (ms) and the CPU of all the process's threads (s).
import { pathToFileURL } from 'node:url';

const [dist, path, mode] = process.argv.slice(2);
const engine = (m) => import(pathToFileURL(`${dist}/electron/engine/${m}`).href);
const { openBundle } = await engine('session.js');
const { openIndexing, openIndexed } = await engine('search/indexed-open.js');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = performance.now();
const c0 = cpu();
let out;
if (mode === 'plain') {
  await openBundle([path]);
  out = { ready: performance.now() - t0 };
} else if (mode === 'reopen') {
  const r = await openIndexed([path]);
  if (r.source !== 'cache' || r.session.tableCache !== 'hit') throw new Error(`reopen did not use the cache: index ${r.source}, tables ${r.session.tableCache}`);
  out = { ready: performance.now() - t0, lines: r.session.store.count };
} else {
  const { indexing } = await openIndexing([path], { cache: false }, 'always');
  const usable = performance.now() - t0;
  const index = await indexing;
  out = { usable, ready: performance.now() - t0, indexBytes: index.byteSize() };
}
out.cpu = cpu() - c0;
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
