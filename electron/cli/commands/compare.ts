import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { Out } from '../output.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import { tracesInContext } from '../../engine/correlate/trace-context.js';
import type { CallTrace } from '../../api.js';
import { compareCalls, comparisonText } from '../../shared/call-compare.js';

export function register(program: Command): void {
  program
    .command('compare')
    .description('two calls side by side: the summary rows that differ, and their flows aligned message by message with the lines that differ')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .requiredOption('--call <id...>', 'the two calls: any id of each (give --call twice, or two ids)')
    .option('--all', 'every summary row and every step, not only those that differ')
    .option('--json', 'the comparison as JSON: { a, b, rows, steps, differing, truncated } (a and b: the calls\' summaries)')
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (paths: string[], opts: { call: string[]; all?: boolean; json?: boolean; cache: boolean; passwordFile?: string }) => {
      if (opts.call.length !== 2) throw new Error(`--call: give two calls to compare, not ${opts.call.length}`);
      const session = await loadBundle(paths, opts);
      const index = await callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
      const [a, b] = tracesInContext(session.store, index, opts.call) as [CallTrace, CallTrace];
      const c = compareCalls(a, b);
      const out = new Out();
      await out.write(opts.json ? JSON.stringify({ a: a.call, b: b.call, ...c }, null, 1) + '\n' : comparisonText(a, b, c, !!opts.all));
      await out.flush();
      await session.tablesSaved;
    });
}
