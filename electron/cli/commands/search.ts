import type { Command } from 'commander';
import { passwordFrom } from '../load.js';
import { Out } from '../output.js';
import { wholeNumber } from '../options.js';
import { openForQuery } from '../../engine/search/indexed-open.js';
import { Searcher, needsCalls, parseQuery } from '../../engine/search/index.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import { LEVELS } from '../../shared/levels.js';
import { formatTime } from '../../engine/lines/time.js';
import { countMessages } from '../../engine/lines/messages.js';
import { contextRuns } from '../context.js';
import { F_NOEOL } from '../../engine/lines/line-store.js';
import type { Level, SearchResult } from '../../api.js';

const NEWLINE = Buffer.from('\n');

export function register(program: Command): void {
  program
    .command('search')
    .description('lines matching a query (the last argument; see docs/query-language.md), in input order, with the total and facet counts')
    .argument('<path-and-query...>', 'log files, folders, .tgz/.zip snapshots, then the query')
    .option('--json', 'one JSON object: { total, hits: [{ file, line, time, level, name, text }], facets }')
    .option('--limit <n>', 'lines to return (default: all for text, 100 for --json)')
    .option('--offset <n>', 'skip this many matching lines first', '0')
    .option('--count', 'print only the number of matching lines')
    .option('--raw', 'the lines byte for byte as in the input (bytes that are not UTF-8 too), as grep writes them')
    .option('-A, --after-context <n>', 'also print n lines after each matching line (its neighbours in the merged view), as grep -A')
    .option('-B, --before-context <n>', 'also print n lines before each matching line, as grep -B')
    .option('-C, --context <n>', 'n lines before and after each matching line, as grep -C; groups apart are separated by --')
    .option('--messages [n]', "print the matching lines' most frequent Message values (12, or n), with their counts")
    .option('--no-cache', 'neither read nor write the index cache')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (args: string[], opts: { json?: boolean; raw?: boolean; limit?: string; offset: string; count?: boolean; messages?: string | true; afterContext?: string; beforeContext?: string; context?: string; cache: boolean; passwordFile?: string }) => {
      if (args.length < 2) throw new Error('give one or more paths and then the query, e.g. pexlens search bundle.tgz "level:ERROR name:support.sip"');
      const query = args[args.length - 1]!;
      const paths = args.slice(0, -1);
      const parsed = parseQuery(query); // bad syntax fails before any loading
      const limit = wholeNumber(opts.limit, 'limit', opts.json ? 100 : Number.MAX_SAFE_INTEGER);
      const topMessages = opts.messages === undefined ? 0 : opts.messages === true ? 12 : wholeNumber(opts.messages, 'messages', 12);
      const offset = wholeNumber(opts.offset, 'offset', 0);
      const around = wholeNumber(opts.context, 'context', 0);
      const before = wholeNumber(opts.beforeContext, 'before-context', around);
      const after = wholeNumber(opts.afterContext, 'after-context', around);
      const withContext = opts.context !== undefined || opts.beforeContext !== undefined || opts.afterContext !== undefined;
      const other = opts.json ? '--json' : opts.count ? '--count' : opts.messages !== undefined ? '--messages' : null;
      if (withContext && other) throw new Error(`-A/-B/-C (lines around each match) go with the text output, not with ${other}`);
      if (opts.raw && other) throw new Error(`--raw (the lines byte for byte) goes with the text output, not with ${other}`);
      const t0 = performance.now();
      // a cached index is used; else the query scans while the index builds for next time
      const { session, index, indexing } = await openForQuery(paths, {
        password: passwordFrom(opts),
        cache: opts.cache,
        warn: (m) => process.stderr.write(`warning: ${m}\n`),
      });
      indexing?.catch(() => {}); // awaited (and reported) once the output is out
      const searcher = new Searcher(session, index, needsCalls(parsed) ? await callIndexOf(session, { cache: opts.cache }) : undefined);
      const t1 = performance.now();
      const store = session.store;
      // matching lines: counted by --messages, else listed (the facets come with the list only)
      let total: number;
      if (topMessages) {
        const positions = searcher.matchesAll(query);
        total = positions.length;
        const m = countMessages(store, (visit) => positions.forEach((p) => visit(store.at(p))), topMessages);
        if (opts.json) process.stdout.write(JSON.stringify(m, null, 2) + '\n');
        else {
          const out = new Out();
          const w = String(m.top[0]?.[1] ?? 0).length;
          for (const [message, n] of m.top) await out.write(`${String(n).padStart(w)}  ${message}\n`);
          await out.write(`${m.lines} matching line(s), ${m.distinct} different message(s)${m.without ? `, ${m.without} line(s) without one` : ''}\n`);
          await out.flush();
        }
      } else {
        const r = searcher.search(query, { limit, offset });
        total = r.total;
        if (opts.count) process.stdout.write(`${r.total}\n`);
        else if (opts.json) {
          const result: SearchResult = {
            total: r.total,
            hits: r.hits.map((p) => {
              const i = store.at(p);
              return { index: p, file: store.fileOf(i).display, line: store.lineNumber(i), time: formatTime(store.time.data[i]!), level: LEVELS[store.level.data[i]!] as Level, name: store.nameOf(i), text: store.text(i) };
            }),
            facets: r.facets,
            tookMs: Math.round(performance.now() - t1),
          };
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        } else {
          const out = new Out();
          // --raw: the input's bytes and line break (a file's last line, which had none, gets one as grep gives it)
          const line = (p: number) => {
            const i = store.at(p);
            return opts.raw ? (store.flags.data[i]! & F_NOEOL ? Buffer.concat([store.raw(i), NEWLINE]) : store.raw(i)) : store.text(i) + '\n';
          };
          if (withContext) {
            const runs = contextRuns(r.hits, before, after, store.count);
            for (let k = 0; k < runs.length; k++) {
              if (k) await out.write('--\n');
              for (let p = runs[k]![0]; p <= runs[k]![1]; p++) await out.write(line(p));
            }
          } else for (const p of r.hits) await out.write(line(p));
          await out.flush();
          if (r.hits.length < r.total) process.stderr.write(`${r.total} matching lines, ${r.hits.length} shown (--limit/--offset)\n`);
          else if (r.total === 0) process.stderr.write(`no line matches ${JSON.stringify(query)}\n`);
        }
      }
      // as grep: status 1 when nothing matched (--json says so in its total)
      if (total === 0 && !opts.json) process.exitCode = 1;
      const how = index ? 'index from the cache' : indexing ? 'scan (index building for the next search)' : 'scan (no cache)';
      if (process.env.PEXLENS_DEBUG) process.stderr.write(`open ${(t1 - t0).toFixed(0)} ms, search ${(performance.now() - t1).toFixed(0)} ms: ${how}\n`);
      // the output is out; the process ends once the index is saved for the next search
      await indexing?.catch((e: Error) => process.stderr.write(`warning: index not saved for the next search (${e.message})\n`));
    });
}
