import type { Command } from 'commander';
import { openOptions } from '../load.js';
import { Out } from '../output.js';
import { openCallsOnly } from '../../engine/correlate/calls-only.js';
import { callCacheId, loadCallSummaries, loadEntityIndex, saveCallIndex, saveEntityIndex } from '../../engine/correlate/call-cache.js';
import { buildEntityIndex } from '../../engine/search/entity-index.js';
import type { CallSummary, ConferenceSummary } from '../../api.js';

const short = (s: string | null, n: number) => (s === null ? '-' : s.length > n ? s.slice(0, n - 1) + '…' : s);

function row(c: CallSummary): string {
  const counts = Object.entries(c.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  const result = c.failed ? `FAILED ${c.failReason ?? ''}`.trim() : (c.disconnectReason ?? 'ok');
  return [
    (c.start ?? '').replace('T', ' ').replace('Z', '').padEnd(23),
    c.protocol.padEnd(6),
    short(c.from, 32).padEnd(32),
    short(c.to, 28).padEnd(28),
    short(c.conference, 16).padEnd(16),
    short(result, 28).padEnd(28),
    counts,
    c.warnings.length ? ` !${c.warnings.length}` : '',
  ].join('  ') + `\n    ${c.id}\n`;
}

export function register(program: Command): void {
  program
    .command('calls')
    .description('every call in the logs (SIP, H.323, WebRTC...) with its result, counts and ids')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'a JSON array of calls')
    .option('--query <q>', 'only calls matching these words (ids, aliases, names, addresses, vendor, reasons), best first')
    .option('--no-cache', 'neither read nor write the call cache')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (paths: string[], opts: { json?: boolean; query?: string; cache: boolean; passwordFile?: string }) => {
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      let id = opts.cache ? await callCacheId(paths) : null;
      // the calls from the cache, without loading the bundle; else the load keeps just the text
      // the summaries read (low peak memory), and the calls are saved for next time
      const cached = await loadCallSummaries(paths, id);
      // the bundle's load is not run again: what it warned about is said again
      for (const m of cached?.warnings ?? []) warn(m);
      let all: { calls: CallSummary[]; conferences: ConferenceSummary[] } | null = cached;
      let saving: Promise<void> | undefined;
      if (!all) {
        const { session, index } = await openCallsOnly(paths, openOptions(opts));
        all = index;
        if (session.encrypted) id = null; // its calls are its plain text: not kept on disk
        saving = saveCallIndex(session, index, warn, id);
      }
      if (process.env.PEXLENS_DEBUG) process.stderr.write(`calls: ${saving === undefined ? 'from the cache' : 'built'}\n`);
      let calls = all.calls;
      if (opts.query !== undefined) {
        const cached = await loadEntityIndex(id, calls);
        const entity = cached ?? buildEntityIndex(calls);
        if (!cached) saving = (saving ?? Promise.resolve()).then(() => saveEntityIndex(id, entity, warn));
        calls = entity.search(opts.query);
      }
      const out = new Out();
      if (opts.json) {
        await out.write('[\n');
        for (let k = 0; k < calls.length; k++) await out.write((k ? ',\n' : '') + JSON.stringify(calls[k]));
        await out.write('\n]\n');
      } else {
        await out.write(`${calls.length} call(s)${opts.query !== undefined ? ` matching '${opts.query}'` : ''}, ${all.conferences.length} conference instance(s)\n\n`);
        for (const c of calls) await out.write(row(c));
      }
      await out.flush();
      await saving;
    });
}
