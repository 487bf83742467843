import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { TZ_OPTION, passwordOption, zoneNote, zoneOf, zoneTime } from '../options.js';
import { Out } from '../output.js';
import { partHint } from '../listing.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import { conferenceParts } from '../../engine/correlate/conference-parts.js';
import { conferenceText } from '../../shared/conference-text.js';

export function register(program: Command): void {
  const cmd = program
    .command('conference')
    .description(
      "one conference for a case note, as the app's conference view copies it: its calls, failed calls, poor media and most at once; its participants by when they joined and how each call went; the alarms on their nodes while they were up, and its nodes out of contact while calls on both were up",
    )
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .requiredOption('--conference <name-or-id>', "the conference: every instance of a name, or one instance by its Conference-ID (as `calls --conference`)")
    .option('--json', '{ row, calls, alarms, contactLosses, addresses }')
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)');
  passwordOption(cmd).action(async (paths: string[], opts: { conference: string; json?: boolean; tz?: string; cache: boolean; passwordFile?: string }) => {
    const zone = zoneOf(opts);
    const session = await loadBundle(paths, opts);
    const index = await callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
    const parts = conferenceParts(index.calls, index.conferences, opts.conference, session.store);
    if (!parts) {
      const names = [...new Set(index.conferences.map((c) => c.name).filter((n): n is string => n !== null))].sort();
      throw new Error(`--conference '${opts.conference}': no call of a conference of that name or Conference-ID${partHint('conferences', opts.conference, names)}`);
    }
    const out = new Out();
    if (opts.json) await out.write(JSON.stringify(parts, null, 1) + '\n');
    else {
      if (opts.tz !== undefined) await out.write(`(${zoneNote(zone, parts.row.start)})\n`);
      await out.write(conferenceText(parts, (iso) => zoneTime(iso, zone)));
    }
    await out.flush();
    await session.tablesSaved;
  });
}
