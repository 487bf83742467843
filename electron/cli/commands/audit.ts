import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { TZ_OPTION, passwordOption, zoneNote, zoneOf, zoneTime } from '../options.js';
import { short } from '../../shared/text-columns.js';
import { Out } from '../output.js';
import { auditEvents, auditRows } from '../../engine/correlate/audit.js';
import { AUDIT_CATEGORIES, CATEGORY_WORDS, auditTable, eventWords } from '../../shared/audit-words.js';
import { partHint, tableClock, withPlaces } from '../listing.js';
import type { AuditCategory } from '../../api.js';

interface AuditOptions {
  json?: boolean;
  category?: string;
  subject?: string;
  alerts?: boolean;
  tz?: string;
  cache: boolean;
  passwordFile?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('audit')
    .description(
      "the administrator's audit trail, a row per subject: logins and failed logins, configuration changes, participants and conferences controlled (by an administrator, the API, DTMF), Break-in prevention's blocks, failed PIN entries",
    )
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'machine-readable output (with --subject: its lines)')
    .option('--category <category>', `only this category: ${AUDIT_CATEGORIES.join(', ')}`)
    .option('--subject <subject>', "one subject's lines with their file:line (a user, an address, a service, a configuration item)")
    .option('--alerts', 'only the rows with alerts (failed logins, blocks, failed PINs)')
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the cache of line tables');
  passwordOption(cmd).action(async (paths: string[], opts: AuditOptions) => {
    if (opts.category !== undefined && !AUDIT_CATEGORIES.includes(opts.category as AuditCategory)) {
      throw new Error(`--category '${opts.category}': one of ${AUDIT_CATEGORIES.join(', ')}`);
    }
    const zone = zoneOf(opts);
    const session = await loadBundle(paths, opts);
    const store = session.store;
    const events = auditEvents(store);
    const rows = auditRows(events).filter((r) => (!opts.category || r.category === opts.category) && (!opts.alerts || r.alerts > 0));
    const out = new Out();
    if (opts.subject !== undefined) {
      const want = opts.subject.trim().toLowerCase();
      const of = rows.filter((r) => r.subject.toLowerCase() === want);
      if (!of.length) {
        // a part of a subject names the ones that hold it
        const hint = partHint('subjects', opts.subject, rows.map((r) => r.subject));
        throw new Error(`--subject '${opts.subject}': no such subject in the bundle's audit lines${opts.category ? ` of ${opts.category}` : ''}${hint}`);
      }
      const keys = new Set(of.map((r) => `${r.category}\0${r.subject}`));
      const lines = withPlaces(
        store,
        events.filter((e) => keys.has(`${e.category}\0${e.subject}`)),
      );
      if (opts.json) await out.write(JSON.stringify({ rows: of, lines }, null, 1) + '\n');
      else {
        await out.write(`${of[0]!.subject}: ${lines.length} line(s), ${zoneNote(zone, lines[0]?.time ?? null)}\n`);
        for (const e of lines) {
          await out.write(`${zoneTime(e.time, zone).padEnd(23)}  ${short(e.node, 16).padEnd(16)}  ${e.alert ? '!' : ' '} ${short(eventWords(e), 110).padEnd(110)}  ${e.place}\n`);
        }
      }
      await out.flush();
      return;
    }
    if (opts.json) await out.write(JSON.stringify(rows, null, 1) + '\n');
    else {
      const clock = tableClock(store, zone);
      const what = opts.category ? CATEGORY_WORDS[opts.category as AuditCategory] : 'audit';
      await out.write(`${rows.length} subject(s) of ${what}${opts.alerts ? ' with alerts' : ''}, ${events.length} audit line(s) in the bundle, ${zoneNote(zone, rows[0]?.first ?? null)}\n`);
      if (rows.length) await out.write(['', ...auditTable(rows, clock)].join('\n') + '\n');
      else if (!events.length) await out.write('(no login, configuration change, control command, break-in block or failed PIN in it)\n');
    }
    await out.flush();
  });
}
