/**
 * Times as a user writes them (filters, `from:`/`to:`, jump to time). Shared: the engine filters
 * by them, and the page checks a query's times as it is entered.
 */

/** Parses a user-supplied time (ISO-ish, `YYYY-MM-DD HH:MM:SS[,.mmm]`, optional Z/offset, or epoch ms). */
function parseUserTime(text: string): number {
  const t = text.trim();
  if (/^\d{12,}$/.test(t)) return Number(t);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return NaN;
  const iso = `${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}.${(m[5] ?? '0').padEnd(3, '0')}${m[6] ? (m[6] === 'Z' ? 'Z' : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6]) : 'Z'}`;
  return Date.parse(iso);
}

/** A time as a user writes it, in ms; `fail(message)` is thrown when it cannot be read. */
export function userTime(text: string, fail: (message: string) => Error, example = '2026-05-14T08:04:40 or 2026-05-14 08:04:40,000'): number {
  const t = parseUserTime(text);
  if (Number.isNaN(t)) throw fail(`cannot read time '${text}' (use e.g. ${example})`);
  return t;
}
