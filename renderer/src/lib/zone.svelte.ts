/**
 * The time zone the app shows times in: UTC (the log's, the default) or one the engineer picks,
 * kept by the page. Views pass `tz.name` to the formatters (lib/format.ts), so they redraw when it
 * changes. Exports, copies and query times stay UTC.
 */
import { UTC, zoneName } from '../../../electron/shared/zone-time.js';
import { userTime } from '../../../electron/shared/user-time.js';
import { call } from './api.js';
import { windowParts } from '../calls/time-window.js';

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

/**
 * A window typed in a time box (`14:00–15:00`, calls/time-window.ts), in ms: its start as
 * typedTime reads it, its end a time of day's first occurrence after that start. Null when the text
 * is one time; throws an Error saying why a text is not a window.
 */
export async function typedWindow(text: string): Promise<[number, number] | null> {
  const parts = windowParts(text);
  if (!parts) return null;
  const from = await typedTime(parts[0]);
  const to = userTime(parts[1], (m) => new Error(m), undefined, from, tz.name);
  if (to < from) throw new Error(`the window ends (${parts[1]}) before it begins (${parts[0]})`);
  return [from, to];
}
