import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { TZ_OPTION, passwordOption, windowOption, zoneNote, zoneOf, zoneTime } from '../options.js';
import { Out } from '../output.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import { auditEvents } from '../../engine/correlate/audit.js';
import { bundleTimeline } from '../../engine/correlate/bundle-timeline.js';
import { timelineWords } from '../../shared/timeline.js';

export function register(program: Command): void {
  const cmd = program
    .command('timeline')
    .description(
      "the bundle's notable events in time order, each where it first happened: a node's application starting (a restart), an alarm first raised on a node (a maintenance mode set), two nodes first out of contact, an audit subject with alerts or a configuration item changed, the first call that failed for each reason, the first call rated bad, a node silent for 10 min or more, a missing rotation, an event sink failing, a DNS name failing or slow, the policy server failing or slow",
    )
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'machine-readable output')
    .option('--from <time>', "only what happened from then on (an alarm or a loss of contact that began before and still held, at its start): 2026-05-14T14:00, or a time of day, 14:00, from the log's first line on; in --tz's zone, else UTC as the log")
    .option('--to <time>', 'only what happened until then (with --from: the window of an incident)')
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)');
  passwordOption(cmd).action(async (paths: string[], opts: { json?: boolean; from?: string; to?: string; tz?: string; cache: boolean; passwordFile?: string }) => {
    const zone = zoneOf(opts);
    const session = await loadBundle(paths, opts);
    const store = session.store;
    const window = windowOption(opts, store.timeSpan().from, zone);
    const index = await callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
    const entries = bundleTimeline(store, index.calls, auditEvents(store), window);
    const out = new Out();
    if (opts.json) await out.write(JSON.stringify(entries, null, 1) + '\n');
    else {
      const within = window.from || window.to ? ` from ${window.from ? zoneTime(window.from, zone) : "the log's start"} to ${window.to ? zoneTime(window.to, zone) : "the log's end"}` : '';
      await out.write(`${entries.length} event(s)${within}, ${zoneNote(zone, entries[0]?.time ?? null)}\n`);
      const time = (iso: string) => zoneTime(iso, zone);
      for (const e of entries) await out.write(`${time(e.time).padEnd(23)}  ${e.kind.padEnd(7)}  ${timelineWords(e, time)}\n`);
    }
    await out.flush();
    await session.tablesSaved;
  });
}
