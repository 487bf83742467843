/** Options several commands share, declared once so their names and help stay the same. */
import type { Command } from 'commander';
import { userTime } from '../shared/user-time.js';
import { offsetLabel, UTC, wallIso, zoneName } from '../shared/zone-time.js';

export const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',')];

/** The column filters of `lines` and `export` (see engine/lines/filter.ts). */
export function lineFilterOptions(cmd: Command): Command {
  return cmd
    .option('--stream <name>', 'one stream, e.g. unified_support.log')
    .option('--level <level>', 'DEBUG, INFO, WARNING, ERROR (repeat or comma-separate)', list)
    .option('--name <module>', 'module name; a trailing * matches a prefix (repeatable)', list)
    .option('--node <system>', 'sending system (repeatable)', list)
    .option('--from <time>', 'syslog time from (inclusive)')
    .option('--to <time>', 'syslog time to (inclusive)');
}

export function passwordOption(cmd: Command): Command {
  return cmd.option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)');
}

/** A count option's value: `dflt` when not given, else a whole number ≥ 0 (an error naming the option otherwise). */
export function wholeNumber(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a whole number ≥ 0, got '${v}'`);
  return n;
}

/** `--tz`: the text output's times in a zone (JSON and CSV stay UTC, as the log writes them). */
export const TZ_OPTION = ['--tz <zone>', 'times of the text output in this time zone (Europe/Oslo, America/New_York; default: UTC, as the log writes them)'] as const;

/** The zone `--tz` names (UTC when not given); an error naming the option for a zone not known, or with `--json`/`--csv`. */
export function zoneOf(opts: { tz?: string; json?: boolean; csv?: boolean }): string {
  if (opts.tz === undefined) return UTC;
  if (opts.json || opts.csv) throw new Error(`--tz goes with the text output: --${opts.json ? 'json' : 'csv'} times stay UTC`);
  const zone = zoneName(opts.tz);
  if (!zone) throw new Error(`--tz '${opts.tz}': not a time zone this runtime knows (an IANA name such as Europe/Oslo, or UTC)`);
  return zone;
}

/** An ISO time of the log as the text output shows it: `2026-05-14 10:04:41.026` in the zone. */
export function zoneTime(iso: string | null, zone: string): string {
  if (!iso) return '-';
  return zone === UTC ? iso.replace('T', ' ').replace('Z', '') : wallIso(Date.parse(iso), zone).replace('T', ' ');
}

/** `times in Europe/Oslo (UTC+2)`, the offset at `iso`: said once above a zone's times. */
export function zoneNote(zone: string, iso: string | null): string {
  return `times in ${zone}${zone === UTC || !iso ? '' : ` (${offsetLabel(Date.parse(iso), zone)})`}`;
}

/**
 * --from and --to as ISO times, read in `zone` (UTC without --tz, as the log's times): a time of
 * day is its first occurrence at or after `start` (ms: the first call's start, the log's first
 * line; --to: at or after --from).
 */
export function windowOption(opts: { from?: string; to?: string }, start: number, zone: string): { from?: string; to?: string } {
  const read = (text: string | undefined, name: string, after: number) =>
    text === undefined ? undefined : new Date(userTime(text, (m) => new Error(`--${name}: ${m}`), undefined, after, zone)).toISOString();
  const from = read(opts.from, 'from', start);
  const to = read(opts.to, 'to', from ? Date.parse(from) : start);
  if (from && to && to < from) throw new Error(`--to ${opts.to} is before --from ${opts.from}`);
  return { from, to };
}
