/**
 * A window of time as typed in the call list's time box: `14:00–15:00`, `14:00-15:00`,
 * `14:00 to 15:00`, `2026-05-14 14:00 .. 2026-05-14 15:30`. One time alone is not a window (the
 * box then goes to that time).
 */

/** Its two ends as typed, or null when the text is one time. */
export function windowParts(text: string): [string, string] | null {
  const t = text.trim();
  // between two times of day a bare hyphen is a range (a date's hyphens are never next to a time of day's digits and colon)
  const days = /^(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,3})?)?)\s*-\s*(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,3})?)?)$/.exec(t);
  if (days) return [days[1]!, days[2]!];
  const m = /^(.+?)\s*(?:–|—|\.\.|\s-\s|\sto\s)\s*(.+)$/i.exec(t);
  return m ? [m[1]!.trim(), m[2]!.trim()] : null;
}
