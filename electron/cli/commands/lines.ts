import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { Out } from '../output.js';
import { lineFilterOptions, passwordOption, wholeNumber } from '../options.js';
import { checkFilter, compileFilter } from '../../engine/lines/filter.js';
import { LEVELS } from '../../shared/levels.js';
import { formatTime } from '../../engine/lines/time.js';
import { F_NOLAYOUT } from '../../engine/lines/line-store.js';
import { findFileLine } from '../../engine/lines/file-line.js';

type LinesOptions = { stream?: string; level?: string[]; name?: string[]; node?: string[]; from?: string; to?: string; raw?: boolean; json?: boolean; around?: string; context?: string; cache: boolean; passwordFile?: string };

export function register(program: Command): void {
  const cmd = program
    .command('lines')
    .description('the matching lines, in the order received (merged by time across streams)')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots');
  passwordOption(lineFilterOptions(cmd))
    .option('--raw', 'the lines byte for byte as in the input')
    .option('--json', 'one JSON object per line (NDJSON)')
    .option('--around <file:line>', 'instead of filtering: the lines around one line quoted as file:line, as the app shows it (unified_support.log.2.gz:271), in the merged view')
    .option('-C, --context <n>', 'with --around: how many lines before and after it (default 10)')
    .option('--no-cache', 'neither read nor write the cache of line tables')
    .action(async (paths: string[], opts: LinesOptions) => {
      checkFilter(opts); // a mistyped level or time is said before the bundle loads
      const filtered = ['stream', 'level', 'name', 'node', 'from', 'to'].filter((k) => opts[k as keyof LinesOptions] !== undefined);
      if (opts.around !== undefined && filtered.length) throw new Error(`--around shows a line's neighbours as they are: not with --${filtered.join(', --')}`);
      if (opts.context !== undefined && opts.around === undefined) throw new Error('-C/--context goes with --around <file:line>');
      const context = wholeNumber(opts.context, 'context', 10);
      const session = await loadBundle(paths, opts);
      const store = session.store;
      const match = compileFilter(store, opts);
      let from = 0;
      let to = store.count - 1;
      if (opts.around !== undefined) {
        const at = store.viewPosition(findFileLine(store, opts.around).storeIndex);
        from = Math.max(0, at - context);
        to = Math.min(store.count - 1, at + context);
      }
      const out = new Out();
      for (let p = from; p <= to; p++) {
        const i = store.at(p);
        if (!match(i)) continue;
        if (opts.raw) await out.write(store.raw(i));
        else if (opts.json) {
          const rec = {
            file: store.fileOf(i).display,
            line: store.lineNumber(i),
            time: formatTime(store.time.data[i]!),
            node: store.nodeOf(i),
            level: LEVELS[store.level.data[i]!],
            name: store.nameOf(i),
            damaged: (store.flags.data[i]! & F_NOLAYOUT) !== 0,
            text: store.text(i),
          };
          await out.write(JSON.stringify(rec) + '\n');
        } else await out.write(store.text(i) + '\n');
      }
      await out.flush();
    });
}
