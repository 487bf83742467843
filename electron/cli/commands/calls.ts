import type { Command } from 'commander';
import { openOptions } from '../load.js';
import { TZ_OPTION, windowOption, zoneNote, zoneOf, zoneTime } from '../options.js';
import { short } from '../../shared/text-columns.js';
import { Out } from '../output.js';
import { openCallsOnly } from '../../engine/correlate/calls-only.js';
import { callCacheId, loadCallSummaries, loadEntityIndex, saveCallIndex, saveEntityIndex } from '../../engine/correlate/call-cache.js';
import { buildEntityIndex } from '../../engine/search/entity-index.js';
import type { CallDirection, CallGroupKey, CallSortKey, CallSummary, ConferenceRow, ConferenceSummary, NodeAddress } from '../../api.js';
import { nodeNamer, withOtherNames } from '../../shared/node-names.js';
import { nodeAddresses } from '../../engine/correlate/node-addresses.js';
import { CALL_GROUP_KEYS, CALL_GROUPS, callGroups, groupsText, inGroup } from '../../shared/call-groups.js';
import { conferenceRows, conferenceRowsOfCalls, conferencesText } from '../../shared/conference-list.js';
import { mediaWords, poorMedia } from '../../shared/media-stats.js';
import { CALL_RESULTS, CALL_SORT_KEYS, callsOfConference, filterCalls, nodeNames, sortCalls } from '../../shared/call-list.js';
import type { CallFilter } from '../../shared/call-list.js';
import { NO_OUTCOME, PLACED, SETUP_MISSING, UP_AT_END_SHORT, durationShown, licenseTypeWords, routeWords } from '../../shared/call-text.js';
import { licensePeaks } from '../../shared/call-load.js';
import { CALL_CSV_HEADER, callCsvLine, conferencesCsv, groupsCsv } from '../../engine/export/call-csv.js';

interface CallsOptions {
  json?: boolean;
  tz?: string;
  csv?: boolean;
  redact?: boolean;
  query?: string;
  filter?: string;
  protocol?: string;
  result?: string;
  direction?: string;
  service?: string;
  node?: string;
  conference?: string;
  conferences?: boolean;
  sort?: string;
  desc?: boolean;
  groupBy?: string;
  group?: string;
  from?: string;
  to?: string;
  cache: boolean;
  passwordFile?: string;
}

/** --result, --direction, --sort and --group-by as the list takes them; a bad value is named before anything is read. */
function listOptions(opts: CallsOptions): { result?: CallFilter['result']; direction?: CallDirection; sort?: CallSortKey; groupBy?: CallGroupKey } {
  const result = opts.result?.toLowerCase();
  if (result !== undefined && !(CALL_RESULTS as readonly string[]).includes(result)) throw new Error(`--result '${opts.result}': one of ${CALL_RESULTS.join(', ')}`);
  const direction = opts.direction?.toLowerCase();
  if (direction !== undefined && direction !== 'in' && direction !== 'out') throw new Error(`--direction '${opts.direction}': in or out`);
  const sort = opts.sort === undefined ? undefined : CALL_SORT_KEYS.find((k) => k.toLowerCase() === opts.sort!.toLowerCase());
  if (opts.sort !== undefined && !sort) throw new Error(`--sort '${opts.sort}': one of ${CALL_SORT_KEYS.join(', ')}`);
  const groupBy = opts.groupBy === undefined ? undefined : CALL_GROUP_KEYS.find((k) => k.toLowerCase() === opts.groupBy!.toLowerCase());
  if (opts.groupBy !== undefined && !groupBy) throw new Error(`--group-by '${opts.groupBy}': one of ${CALL_GROUP_KEYS.join(', ')}`);
  if (opts.group !== undefined && !groupBy) throw new Error('--group goes with --group-by');
  return { result: result as CallFilter['result'], direction, sort, groupBy };
}

/**
 * The list's own controls, as the app's call list has them (electron/shared/call-list.ts): a
 * conference, the filter words, protocol, result, and a column to sort by.
 */
function narrow(calls: CallSummary[], all: Calls, opts: CallsOptions, { result, direction, sort, groupBy }: ReturnType<typeof listOptions>): CallSummary[] {
  let protocol: string | undefined;
  if (opts.protocol !== undefined) {
    const known = [...new Set(calls.map((c) => c.protocol))];
    protocol = known.find((p) => p.toLowerCase() === opts.protocol!.toLowerCase());
    if (!protocol) throw new Error(`--protocol '${opts.protocol}': the calls here are ${known.join(', ') || 'none'}`);
  }
  if (opts.service !== undefined) {
    const known = [...new Set(calls.map((c) => c.service).filter((x) => x !== null))];
    if (!known.some((x) => x.toLowerCase() === opts.service!.toLowerCase())) throw new Error(`--service '${opts.service}': the calls here reached ${known.join(', ') || 'no named service'}`);
  }
  // a node by either of its names, as the bundle pairs them
  const node = opts.node === undefined ? undefined : withOtherNames(opts.node, all.addresses);
  if (node !== undefined) {
    const known = new Set(calls.flatMap((c) => [c.signalingNode, c.mediaNode]).filter((n): n is string => n !== null));
    if (!nodeNames(node).some((n) => known.has(n))) throw new Error(`--node '${opts.node}': the calls' nodes here are ${[...known].sort().join(', ') || 'none'}`);
  }
  let out = opts.conference !== undefined ? callsOfConference(calls, all.conferences, opts.conference) : calls;
  out = filterCalls(out, { text: opts.filter, protocol, result, direction, service: opts.service, node, ...windowOf(calls, opts) });
  if (groupBy && opts.group !== undefined) {
    const namer = nodeNamerFor(groupBy, all);
    const groups = callGroups(out, groupBy, namer);
    if (!groups.some((g) => g.value === opts.group)) throw new Error(`--group '${opts.group}': the ${groupBy} groups here are ${groups.map((g) => g.value).join(', ') || 'none'}`);
    out = out.filter((c) => inGroup(c, groupBy, opts.group!, namer));
  }
  return sort ? sortCalls(out, sort, !!opts.desc, nodeNamer(all.addresses)) : out;
}

/** --from and --to (options.ts windowOption), a time of day from the first call's start. */
function windowOf(calls: readonly CallSummary[], opts: CallsOptions): { from?: string; to?: string } {
  const first = calls.reduce((m, c) => (c.start !== null && c.start < m ? c.start : m), '9999');
  return windowOption(opts, first === '9999' ? 0 : Date.parse(first), zoneOf(opts));
}

/** What the options asked for, in words, for the text's first line: empty when nothing narrows the calls. */
function askedWords(opts: CallsOptions, list: ReturnType<typeof listOptions>): string[] {
  return [
    opts.query !== undefined ? `matching '${opts.query}'` : '',
    opts.filter ? `holding '${opts.filter}'` : '',
    opts.protocol ? opts.protocol : '',
    opts.result ? opts.result : '',
    opts.direction ? (opts.direction.toLowerCase() === 'out' ? PLACED : 'dialled in') : '',
    opts.service ? `to ${opts.service}` : '',
    opts.node ? `on ${opts.node}` : '',
    opts.conference !== undefined ? `of conference '${opts.conference}'` : '',
    opts.group !== undefined ? `with ${list.groupBy} '${opts.group}'` : '',
    opts.from !== undefined || opts.to !== undefined ? `up ${opts.from !== undefined ? `from ${opts.from} ` : ''}${opts.to !== undefined ? `until ${opts.to}` : ''}`.trim() : '',
  ].filter(Boolean);
}

/** The calls, their conferences, and the address of each node heard under a host name (node-addresses.ts). */
interface Calls {
  calls: CallSummary[];
  conferences: ConferenceSummary[];
  addresses: NodeAddress[];
}

/** A node trait's namer (`10.44.99.2 (pxnode-lon-01)`, as the app names a node), none for the other traits. */
const nodeNamerFor = (by: CallGroupKey, all: Calls) => (by === 'signalingNode' || by === 'mediaNode' ? nodeNamer(all.addresses) : undefined);

/** The groups of the calls under a trait, as a table, JSON or CSV: `calls --group-by`. */
async function writeGroups(calls: readonly CallSummary[], by: CallGroupKey, as: 'text' | 'json' | 'csv', all: Calls): Promise<void> {
  const groups = callGroups(calls, by, nodeNamerFor(by, all));
  const out = new Out();
  if (as === 'json') await out.write(JSON.stringify(groups, null, 1) + '\n');
  else if (as === 'csv') await out.write(groupsCsv(groups, CALL_GROUPS.find((g) => g.key === by)!.label));
  else await out.write(groupsText(groups, by, calls.length));
  await out.flush();
}

function row(c: CallSummary, zone: string): string {
  const counts = Object.entries(c.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  const result = c.failed ? `FAILED ${c.failReason ?? ''}`.trim() : c.ongoing ? UP_AT_END_SHORT : c.noOutcome ? NO_OUTCOME : (c.disconnectReason ?? 'ok');
  return [
    zoneTime(c.start, zone).padEnd(23),
    (durationShown(c) ?? '-').padStart(14),
    c.protocol.padEnd(6),
    short(c.from, 32).padEnd(32),
    short(c.to, 28).padEnd(28),
    short(c.conference, 16).padEnd(16),
    short(result, 28).padEnd(28),
    counts,
    c.warnings.length ? ` !${c.warnings.length}` : '',
  ].join('  ') + `\n    ${c.id}${c.direction === 'out' || (c.service && c.service !== 'conference') ? `  (${routeWords(c)})` : ''}${c.startInferred ? `  (${SETUP_MISSING})` : ''}${poorMedia(c.media) ? `  (poor media: ${mediaWords(c.media!)})` : ''}\n`;
}

/** The conference list (shared/conference-list.ts) as JSON, CSV (UTC), or a text table in `zone` saying what narrowed it. */
async function writeConferences(rows: ConferenceRow[], as: 'text' | 'json' | 'csv', zone: string, asked: readonly string[]): Promise<void> {
  const out = new Out();
  if (as === 'json') await out.write(JSON.stringify(rows, null, 1) + '\n');
  else if (as === 'csv') await out.write(conferencesCsv(rows));
  else await out.write(conferencesText(rows, `${rows.length} conference(s)${asked.length ? ` of the calls ${asked.join(', ')} (counted over those calls)` : ''}`, (iso) => zoneTime(iso, zone)));
  await out.flush();
}

export function register(program: Command): void {
  program
    .command('calls')
    .description('every call in the logs (SIP, H.323, WebRTC...) with its result, counts and ids')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--json', 'a JSON array of calls')
    .option('--csv', 'CSV, a row per call (for a spreadsheet), as the app\'s call list exports it')
    .option('--redact', 'with --json or --csv: names, aliases, addresses replaced by consistent pseudonyms')
    .option('--query <q>', 'only calls matching these words (ids, aliases, names, addresses, vendor, reasons), best first')
    .option('--filter <words>', 'only calls whose summary holds all these words, as plain text')
    .option('--protocol <p>', 'only calls of this protocol (SIP, H323, WebRTC…)')
    .option('--result <r>', 'only failed, connected, warnings (failed or with a warning), setup-not-in-log (up when the log began), up-at-log-end, no-outcome (neither answered nor failed in the log) or poor-media (1 % loss or 30 ms jitter at worst, or media one way only) calls')
    .option('--direction <d>', 'only calls dialled into a node (in) or placed by one (out: a dial-out, a gateway\'s outbound leg)')
    .option('--service <s>', 'only calls to this service (as the log\'s Service-Type: conference, lecture, gateway…)')
    .option('--node <names>', "only calls whose signaling or media node is this node: a name of it (its host name or its address: the other is added, as `pexlens info` pairs them), or several, comma-separated")
    .option('--conference <name-or-id>', "only a conference's calls: one instance by its Conference-ID, or every instance of a name")
    .option('--conferences', 'a row per conference name instead of the calls: its instances, calls, failed calls, calls with poor media, the most up at once, its first and last call (with --json: an array; --csv: a row each); with --from/--to, --result, --node… the conferences of the calls kept, counted over them')
    .option('--sort <column>', `order by a column: ${CALL_SORT_KEYS.join(', ')} (default: start, or best first with --query)`)
    .option('--desc', 'with --sort: largest (latest, longest) first')
    .option('--group-by <trait>', `the calls broken down by a trait instead: each value's calls, failed calls and calls with poor media (${CALL_GROUP_KEYS.join(', ')}; vendor without versions, remoteNetwork the /24)`)
    .option('--from <time>', 'only the calls up at some time from then on (their start to their end): 2026-05-14T08:04:40, or a time of day, 08:04, from the first call on; in --tz\'s zone, else UTC as the log')
    .option('--to <time>', 'only the calls up at some time until then (with --from: the calls of a window, the incident)')
    .option('--group <value>', 'with --group-by: list the calls of this group (a value as --group-by prints it)')
    .option(...TZ_OPTION)
    .option('--no-cache', 'neither read nor write the call cache')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (paths: string[], opts: CallsOptions) => {
      const list = listOptions(opts);
      const zone = zoneOf(opts);
      if (opts.json && opts.csv) throw new Error('--json or --csv, not both');
      if (opts.redact && !opts.json && !opts.csv) throw new Error('--redact goes with --json or --csv');
      if (opts.conferences && (opts.redact || opts.query !== undefined || opts.conference !== undefined || opts.sort !== undefined || (list.groupBy && opts.group === undefined)))
        throw new Error('--conferences lists the conferences by their first call: not with --redact, --query, --conference, --sort or --group-by without --group');
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      let id = opts.cache ? await callCacheId(paths) : null;
      // the calls from the cache, without loading the bundle; else the load keeps just the text
      // the summaries read (low peak memory), and the calls are saved for next time
      const cached = await loadCallSummaries(paths, id);
      // the bundle's load is not run again: what it warned about is said again
      for (const m of cached?.warnings ?? []) warn(m);
      let all: Calls | null = cached;
      let saving: Promise<void> | undefined;
      if (!all) {
        const { session, index } = await openCallsOnly(paths, openOptions(opts));
        all = { calls: index.calls, conferences: index.conferences, addresses: nodeAddresses(session.store) };
        if (session.encrypted) id = null; // its calls are its plain text: not kept on disk
        saving = saveCallIndex(session, index, warn, id);
      }
      if (process.env.PEXLENS_DEBUG) process.stderr.write(`calls: ${saving === undefined ? 'from the cache' : 'built'}\n`);
      if (opts.conferences) {
        // narrowed (a window, a result, a node…): the conferences of the calls kept, counted over them
        const asked = askedWords(opts, list);
        const rows = asked.length ? conferenceRowsOfCalls(all.conferences, narrow(all.calls, all, opts, list)) : conferenceRows(all.conferences, all.calls);
        await writeConferences(rows, opts.json ? 'json' : opts.csv ? 'csv' : 'text', zone, asked);
        await saving;
        return;
      }
      let calls = all.calls;
      if (opts.query !== undefined) {
        const cached = await loadEntityIndex(id, calls);
        const entity = cached ?? buildEntityIndex(calls);
        if (!cached) saving = (saving ?? Promise.resolve()).then(() => saveEntityIndex(id, entity, warn));
        calls = entity.search(opts.query);
      }
      calls = narrow(calls, all, opts, list);
      if (list.groupBy && opts.group === undefined) {
        if (opts.redact) throw new Error('--group-by prints the groups: not with --redact (give --group to list a group\'s calls)');
        await writeGroups(calls, list.groupBy, opts.json ? 'json' : opts.csv ? 'csv' : 'text', all);
        await saving;
        return;
      }
      // the export module (and its redactor) only when asked for
      if (opts.redact) calls = (await import('../../engine/export/index.js')).redactSummaries(calls);
      const out = new Out();
      if (opts.csv) {
        await out.write(CALL_CSV_HEADER);
        for (const c of calls) await out.write(callCsvLine(c));
      } else if (opts.json) {
        await out.write('[\n');
        for (let k = 0; k < calls.length; k++) await out.write((k ? ',\n' : '') + JSON.stringify(calls[k]));
        await out.write('\n]\n');
      } else {
        const asked = askedWords(opts, list);
        const note = opts.tz === undefined ? '' : `; ${zoneNote(zone, calls[0]?.start ?? null)}`;
        await out.write(`${calls.length} call(s)${asked.length ? ' ' + asked.join(', ') : ''}, ${all.conferences.length} conference instance(s) in all${note}\n\n`);
        for (const c of calls) await out.write(row(c, zone));
        // a licence case's first question, over the calls listed
        const peaks = licensePeaks(calls);
        if (peaks.length) await out.write(`\nlicences in use at most: ${peaks.map((l) => `${l.peak} ${licenseTypeWords(l.type)} at ${zoneTime(l.at, zone)}`).join('; ')}\n`);
      }
      await out.flush();
      await saving;
    });
}
