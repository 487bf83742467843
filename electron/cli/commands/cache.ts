import type { Command } from 'commander';
import { cacheClear, cacheInfo } from '../../engine/search/cache.js';

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export function register(program: Command): void {
  const cache = program.command('cache').description('the persistent cache of line tables, line indexes and calls ($PEXLENS_CACHE_DIR, else $XDG_CACHE_HOME/pexlens or ~/.cache/pexlens)');
  cache
    .command('info')
    .description('where the cache is, its size and cap, and its entries (most recently used first)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const info = await cacheInfo();
      if (opts.json) {
        process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      process.stdout.write(`${info.dir}\n  ${info.entries.length} entries, ${mb(info.bytes)} of ${mb(info.capBytes)} (cap: $PEXLENS_CACHE_MAX_BYTES)\n`);
      for (const e of info.entries) process.stdout.write(`  ${e.used}  ${mb(e.bytes).padStart(10)}  ${e.file}\n`);
    });
  cache
    .command('clear')
    .description('delete every cache entry')
    .action(async () => {
      const r = await cacheClear();
      process.stdout.write(`removed ${r.removed} entries (${mb(r.bytes)})\n`);
    });
}
