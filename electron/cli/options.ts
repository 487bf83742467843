/** Options several commands share, declared once so their names and help stay the same. */
import type { Command } from 'commander';

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
