/**
 * The time zone the app shows times in: UTC (the log's, the default) or one the engineer picks,
 * kept by the page. Views pass `tz.name` to the formatters (lib/format.ts), so they redraw when it
 * changes. Exports, copies and query times stay UTC.
 */
import { UTC, zoneName } from '../../../electron/shared/zone-time.js';
import { userTime } from '../../../electron/shared/user-time.js';
import { call } from './api.js';

const KEY = 'pexlens.timeZone';

function load(): string {
  try {
    return zoneName(localStorage.getItem(KEY) ?? UTC) ?? UTC;
  } catch {
    return UTC;
  }
}

export const tz = $state({ name: load() });

/** Shows times in this zone; false (nothing changed) when the runtime does not know it. */
export function setZone(name: string): boolean {
  const n = zoneName(name);
  if (!n) return false;
  tz.name = n;
  try {
    localStorage.setItem(KEY, n);
  } catch {
    /* kept for this page only */
  }
  return true;
}

/** This computer's zone. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * A time typed in a box (`14:05`, `2026-05-14 14:05`), in ms: without an offset, the wall clock of
 * the zone shown; a time of day alone, its first occurrence from the bundle's first line (as the
 * engine reads one). Throws an Error saying why a text is not a time.
 */
export async function typedTime(text: string): Promise<number> {
  const from = (await call('info'))?.from;
  return userTime(text, (m) => new Error(m), undefined, from ? Date.parse(from) : 0, tz.name);
}
