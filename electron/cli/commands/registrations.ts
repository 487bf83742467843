import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { TZ_OPTION, passwordOption, zoneNote, zoneOf, zoneTime } from '../options.js';
import { short } from '../../shared/text-columns.js';
import { Out } from '../output.js';
import { aliasKey, registrations } from '../../engine/correlate/registrations.js';
import { REGISTRATION_STATES, registrationTable } from '../../shared/registration-words.js';
import { partHint, tableClock, withPlaces } from '../listing.js';
import type { RegistrationState } from '../../api.js';

interface RegistrationOptions {
  json?: boolean;
  alias?: string;
  state?: string;
  tz?: string;
  cache: boolean;
  passwordFile?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('registrations')
    .description("every alias registered to the nodes (SIP REGISTERs and their answers, administrator.registration lines): its state at the log's end, its REGISTERs accepted, challenged and refused, from where and with what")
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'machine-readable output (with --alias: its lines)')
    .option('--alias <alias>', "one alias's registration, line by line (sip:alice@example.com or alice@example.com)")
    .option('--state <state>', `only the aliases in this state: ${REGISTRATION_STATES.join(', ')}`)
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the cache of line tables');
  passwordOption(cmd).action(async (paths: string[], opts: RegistrationOptions) => {
    if (opts.state !== undefined && !REGISTRATION_STATES.includes(opts.state as RegistrationState)) {
      throw new Error(`--state '${opts.state}': one of ${REGISTRATION_STATES.join(', ')}`);
    }
    if (opts.state !== undefined && opts.alias !== undefined) throw new Error('--state lists the aliases in a state: not with --alias, which gives one alias');
    const zone = zoneOf(opts);
    const session = await loadBundle(paths, opts);
    const store = session.store;
    const { rows, eventsOf } = registrations(store);
    const out = new Out();
    if (opts.alias !== undefined) {
      const alias = aliasKey(opts.alias);
      const lines = eventsOf(alias);
      if (!lines) {
        // a part of an alias (`alice`, `example.com`) names the ones that hold it
        throw new Error(`--alias '${opts.alias}': no registration of ${alias} in the bundle${partHint('aliases', alias, rows.map((r) => r.alias))}`);
      }
      const placed = withPlaces(store, lines);
      if (opts.json) await out.write(JSON.stringify({ row: rows.find((r) => r.alias === alias), lines: placed }, null, 1) + '\n');
      else {
        await out.write(`${alias}: ${lines.length} line(s), ${zoneNote(zone, lines[0]?.time ?? null)}\n`);
        for (const e of placed) {
          await out.write(`${zoneTime(e.time, zone).padEnd(23)}  ${short(e.node, 16).padEnd(16)}  ${short(e.what, 26).padEnd(26)}  ${(e.detail ?? '').padEnd(24)}  ${e.place}\n`);
        }
      }
      await out.flush();
      return;
    }
    const shown = opts.state ? rows.filter((r) => r.state === opts.state) : rows;
    if (opts.json) await out.write(JSON.stringify(shown, null, 1) + '\n');
    else {
      const clock = tableClock(store, zone);
      await out.write(`${opts.state ? `${shown.length} of ${rows.length} alias(es) ${opts.state}` : `${rows.length} alias(es)`} in the bundle's registrations, ${zoneNote(zone, shown[0]?.stateTime ?? null)}\n\n`);
      for (const line of registrationTable(shown, clock)) await out.write(line + '\n');
    }
    await out.flush();
  });
}
