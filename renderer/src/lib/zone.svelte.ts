/**
 * The time zone the app shows times in: UTC (the log's, the default) or one the engineer picks,
 * kept by the page. Views pass `tz.name` to the formatters (lib/format.ts), so they redraw when it
 * changes. Exports, copies and query times stay UTC.
 */
import { UTC, zoneName } from '../../../electron/shared/zone-time.js';

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
