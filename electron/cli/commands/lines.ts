import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { Out } from '../output.js';
import { lineFilterOptions, passwordOption } from '../options.js';
import { checkFilter, compileFilter } from '../../engine/lines/filter.js';
import { LEVELS } from '../../shared/levels.js';
import { formatTime } from '../../engine/lines/time.js';
import { F_NOLAYOUT } from '../../engine/lines/line-store.js';

export function register(program: Command): void {
  const cmd = program
    .command('lines')
    .description('the matching lines, in the order received (merged by time across streams)')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots');
  passwordOption(lineFilterOptions(cmd))
    .option('--raw', 'the lines byte for byte as in the input')
    .option('--json', 'one JSON object per line (NDJSON)')
    .action(async (paths: string[], opts: { stream?: string; level?: string[]; name?: string[]; node?: string[]; from?: string; to?: string; raw?: boolean; json?: boolean; passwordFile?: string }) => {
      checkFilter(opts); // a mistyped level or time is said before the bundle loads
      const session = await loadBundle(paths, opts);
      const store = session.store;
      const match = compileFilter(store, opts);
      const out = new Out();
      for (let p = 0; p < store.count; p++) {
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
