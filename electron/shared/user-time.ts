/**
 * Times as a user writes them (filters, `from:`/`to:`, jump to time). Shared: the engine filters
 * by them, and the page checks a query's times as it is entered.
 */
import { UTC, fromWall, wallIso } from './zone-time.js';

/** Parses a user-supplied time (ISO-ish, `YYYY-MM-DD HH:MM:SS[,.mmm]`, optional Z/offset, or epoch ms); without an offset, in `tz`. */
function parseUserTime(text: string, tz: string): number {
  const t = text.trim();
  if (/^\d{12,}$/.test(t)) return Number(t);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return NaN;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}.${(m[5] ?? '0').padEnd(3, '0')}${zone(m[6])}`);
  return m[6] ? ms : fromWall(ms, tz);
}

/** An offset as ISO writes it (`Z`, `+01:00`); none: UTC, as the log's syslog times are (a zone is applied after). */
function zone(z: string | undefined): string {
  return !z || z === 'Z' ? 'Z' : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
}

const DAY = 86_400_000;

/**
 * A time of day alone (`09:15`, `9:15:30,250`, `09:15+01:00`): its first occurrence at or after
 * `after`. NaN when the text is not one.
 */
function parseTimeOfDay(text: string, after: number, tz: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m || Number(m[1]) > 23) return NaN;
  const inZone = !m[5] && tz !== UTC;
  const day = inZone ? wallIso(after, tz).slice(0, 10) : new Date(after).toISOString().slice(0, 10);
  let t = Date.parse(`${day}T${m[1]!.padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '0').padEnd(3, '0')}${zone(m[5])}`);
  if (Number.isNaN(t)) return NaN;
  if (inZone) t = fromWall(t, tz);
  // the offset may put the day's clock time on the day before or after `after`'s UTC date
  while (t < after) t += DAY;
  while (t - DAY >= after) t -= DAY;
  return t;
}

/**
 * A time as a user writes it, in ms; `fail(message)` is thrown when it cannot be read. A time of
 * day alone (`09:15`, `09:15:30,250`, `09:15+01:00`) is its first occurrence at or after `after`,
 * a bundle's first line: in a bundle starting 2026-05-13 22:00, `09:15` is the 14th's 09:15.
 * (Without `after`, when a query is checked before any bundle is loaded, it is read on 1970-01-01.)
 * A time written without an offset is the wall clock of `tz` (the app's jump box, in the zone its
 * times are shown in); queries and the CLI leave it UTC, as the log's times are.
 */
export function userTime(text: string, fail: (message: string) => Error, example = '2026-05-14T08:04:40, 2026-05-14 08:04:40,000 or a time of day, 08:04:40', after = 0, tz = UTC): number {
  let t = parseUserTime(text, tz);
  if (Number.isNaN(t) && Number.isFinite(after)) t = parseTimeOfDay(text, after, tz);
  if (Number.isNaN(t)) throw fail(`cannot read time '${text}' (use e.g. ${example})`);
  return t;
}
