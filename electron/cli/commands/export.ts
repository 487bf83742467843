import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { lineFilterOptions, passwordOption } from '../options.js';
import { checkFilter, compileFilter } from '../../engine/lines/filter.js';
import type { LineFilter } from '../../engine/lines/filter.js';
import { exportCalls, exportLines, isAbort } from '../../engine/export/index.js';
import { overwritesInput, writeToFile } from '../../engine/export/output-file.js';
import type { ExportOptions, ExportResult } from '../../engine/export/index.js';
import type { CallTrace, ExportFormat } from '../../api.js';
import type { Session } from '../../engine/session.js';
import { Searcher, needsCalls, parseQuery } from '../../engine/search/index.js';
import { hasBit } from '../../engine/search/bitset.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import type { CallIndex } from '../../engine/correlate/index.js';
import { tracesInContext } from '../../engine/correlate/trace-context.js';
import { EXPORT_FORMAT_IDS, isCallReport } from '../../shared/export-formats.js';

const many = (v: string, prev: string[] = []) => [...prev, v];
/** csv is the call list's (`pexlens calls --csv`). */
const FORMATS: ExportFormat[] = EXPORT_FORMAT_IDS.filter((f) => f !== 'csv');

/** The line filters (see lineFilterOptions) plus export's own options. */
interface Opts extends LineFilter {
  call?: string[];
  query?: string;
  format: string;
  redact?: boolean;
  output: string;
  force?: boolean;
  passwordFile?: string;
  cache: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('export')
    .description('write an excerpt: lines (raw/text) or call reports (html/json/text), optionally redacted')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .requiredOption('-o, --output <file>', "the file to write (never one of the inputs); '-' for standard output")
    .option('--call <id>', 'a call (any of its ids); repeat for several calls', many)
    .option('--query <q>', 'only lines matching this search');
  passwordOption(lineFilterOptions(cmd))
    .option('--format <format>', "raw | text | html | json | svg (html/json, and text with --call, are call reports; svg: one call's ladder as a picture)", 'raw')
    .option('--redact', 'replace personal data by consistent pseudonyms')
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)')
    .action(async (paths: string[], opts: Opts) => {
      const format = opts.format.toLowerCase() as ExportFormat;
      if (!FORMATS.includes(format)) throw new Error(`unknown format '${opts.format}' (${FORMATS.join(', ')})`);
      const calls = opts.call ?? [];
      const report = isCallReport(format, calls.length);
      if (format !== 'text' && report && !calls.length) throw new Error(`--format ${format} is a call report: name the call(s) with --call <id>`);
      if (format === 'svg' && calls.length !== 1) throw new Error(`--format svg is one call's ladder: name one call with --call <id>, not ${calls.length}`);
      const lineFilters = !!(opts.query || opts.level?.length || opts.name?.length || opts.node?.length || opts.stream || opts.from || opts.to);
      if (report && lineFilters) throw new Error('a call report covers whole calls: --query/--level/--name/--node/--stream/--from/--to apply to raw exports (and text without --call)');
      const toStdout = opts.output === '-';
      const clash = toStdout ? null : overwritesInput(opts.output, paths);
      if (clash) throw new Error(`${opts.output}: refusing to overwrite the input ${clash}`);
      // a mistyped level, time or query is said now, not after the bundle has loaded
      checkFilter(opts);
      if (opts.query) parseQuery(opts.query);

      const session = await loadBundle(paths, opts);
      const tty = process.stderr.isTTY;
      const started = Date.now();
      const exportOpts: ExportOptions = {
        format,
        redact: !!opts.redact,
        onProgress: tty
          ? (done, total) => {
              const pct = total ? Math.floor((100 * done) / total) : 100;
              process.stderr.write(`\rexporting ${pct}%  ${done}/${total}${done >= total ? '\n' : ''}`);
            }
          : undefined,
      };

      let selection: Uint32Array | null = null;
      let traces: CallTrace[] | null = null;
      // built once, for --call and for call:/conference: in --query alike
      let callIndex: Promise<CallIndex> | null = null;
      const callsOf = () => (callIndex ??= callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) }));
      if (calls.length) {
        const index = await callsOf();
        const seen = new Set<string>();
        const ids: string[] = [];
        for (const id of calls) {
          const c = index.find(id);
          if (!c) throw new Error(`no call with id ${id} (try \`pexlens calls\` for the ids)`);
          if (!seen.has(c.id)) seen.add(c.id), ids.push(c.id);
        }
        // the parties' registrations when each call started, as the call view shows them
        if (report) traces = tracesInContext(session.store, index, ids);
        else {
          const lines = new Set<number>();
          for (const id of ids) for (const i of index.linesOf(id)) lines.add(i);
          selection = Uint32Array.from(lines).sort();
        }
      }
      if (!report) selection = await selectLines(session, selection, opts, callsOf);

      const ac = new AbortController();
      exportOpts.signal = ac.signal;
      const onSigint = () => ac.abort();
      process.once('SIGINT', onSigint);
      const run = (out: NodeJS.WritableStream) => (traces ? exportCalls(session, traces, out, exportOpts) : exportLines(session, selection!, out, exportOpts));
      let result: ExportResult;
      try {
        result = toStdout ? await run(process.stdout) : await writeToFile(opts.output, run, (why) => new Error(`${opts.output}: cannot write (${why})`));
      } catch (e) {
        if (isAbort(e)) throw new Error(`export cancelled${toStdout ? '' : '; nothing written'}`);
        throw e;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      const what = traces ? `${traces.length} call(s), ${result.lines} message(s)` : `${result.lines} line(s)`;
      process.stderr.write(`wrote ${toStdout ? 'standard output' : opts.output}: ${what}, ${result.bytes} bytes${opts.redact ? ', redacted' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      await session.tablesSaved;
    });
}

/** Lines by the column filters and the search query, in view order (within `within` if given). */
async function selectLines(session: Session, within: Uint32Array | null, opts: Opts, callsOf: () => Promise<CallIndex>): Promise<Uint32Array> {
  const store = session.store;
  const match = compileFilter(store, opts);
  let hit: ((i: number) => boolean) | null = null;
  if (opts.query) hit = await queryMatcher(session, opts.query, callsOf);
  const keep = (i: number) => match(i) && (!hit || hit(i));
  if (within) return within.filter(keep);
  const out = new Uint32Array(store.count);
  let n = 0;
  for (let p = 0; p < store.count; p++) {
    const i = store.at(p);
    if (keep(i)) out[n++] = i;
  }
  return out.subarray(0, n);
}

/** Store-index predicate for a search query (the search engine, over the loaded lines). */
async function queryMatcher(session: Session, q: string, callsOf: () => Promise<CallIndex>): Promise<(i: number) => boolean> {
  const parsed = parseQuery(q); // bad syntax: a clear error before any work
  const bits = new Searcher(session, null, needsCalls(parsed) ? await callsOf() : undefined).evaluate(parsed);
  return (i) => hasBit(bits, i);
}
