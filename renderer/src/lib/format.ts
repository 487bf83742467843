/** Small display helpers shared by the views. */
import { UTC, wallIso } from '../../../electron/shared/zone-time.js';

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) (n /= 1000), u++;
  return `${n.toFixed(n < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `2026-05-14T08:04:40.734Z` → `05-14 08:04:40.734` (the table's time column): UTC as in the log,
 * or the wall clock of another zone (lib/zone.svelte.ts).
 */
export function shortTime(iso: string, zone = UTC, millis = true): string {
  if (zone !== UTC) {
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) iso = wallIso(ms, zone);
  }
  const m = /^\d{4}-(\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{3})?/.exec(iso);
  return m ? `${m[1]} ${m[2]}${millis ? (m[3] ?? '') : ''}` : iso;
}

/** `2026-05-14 08:04:40.734` in the zone (the ISO time as the API gives it). */
export function fullTime(iso: string, zone = UTC): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? wallIso(ms, zone).replace('T', ' ') : iso;
}

/** `2026-05-14 08:04:40` in the zone. */
export function dateTime(ms: number, zone = UTC): string {
  return Number.isFinite(ms) ? wallIso(ms, zone).slice(0, 19).replace('T', ' ') : '–';
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A time for axis labels, in the zone: with its day on an axis over days (spansDays), seconds only on a short one. */
export function axisTime(ms: number, spanMs: number, zone = UTC, days = false): string {
  const iso = wallIso(ms, zone);
  if (days) return iso.slice(5, 16).replace('T', ' ');
  if (spanMs > 120_000) return iso.slice(11, 16);
  return iso.slice(11, 19);
}

/** True when [from, to] (ms) runs over more than one day in the zone: its axis labels say the day. */
export function spansDays(from: number, to: number, zone = UTC): boolean {
  return wallIso(from, zone).slice(0, 10) !== wallIso(to, zone).slice(0, 10);
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 60) return `${m.toFixed(m < 10 ? 1 : 0)} min`;
  const h = m / 60;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} d`;
}

/**
 * A signed time offset in the explorer's time column, to the log's millisecond: `+0.250 s`,
 * `−12.003 s`, `+3:02.125` (minutes), `+1:00:02.125` (hours). Whole units, never rounded away:
 * a 32 s SIP timer reads 32.000 s, not "32 s".
 */
export function offset(ms: number): string {
  const sign = ms < 0 ? '\u2212' : '+';
  let t = Math.round(Math.abs(ms));
  const milli = String(t % 1000).padStart(3, '0');
  t = Math.floor(t / 1000);
  if (t < 60) return `${sign}${t}.${milli} s`;
  const s = String(t % 60).padStart(2, '0');
  t = Math.floor(t / 60);
  if (t < 60) return `${sign}${t}:${s}.${milli}`;
  return `${sign}${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}:${s}.${milli}`;
}
