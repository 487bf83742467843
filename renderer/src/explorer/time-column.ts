/**
 * What the explorer's time column shows: the clock (UTC, as the log writes it, or the zone the
 * app shows times in), the time since
 * the line above in the list (a gap in a call's signaling, a 32 s timer, stands out), or the time
 * since a reference line the user picked (Wireshark's "time reference": how long after the INVITE
 * did the BYE come, even with the list filtered to other lines). The mode is a display preference
 * kept in local storage; the reference belongs to the bundle on screen.
 */
import { offset, shortTime } from '../lib/format.js';
import { UTC } from '../../../electron/shared/zone-time.js';

export type TimeMode = 'clock' | 'delta' | 'ref';

export const TIME_MODES: ReadonlyArray<{ mode: TimeMode; label: string; title: string }> = [
  { mode: 'clock', label: 'Time (UTC)', title: 'The time each line was received (UTC)' },
  { mode: 'delta', label: 'Δ previous', title: 'Time since the line above in this list; a second or more is in bold' },
  { mode: 'ref', label: 'Since reference', title: 'Time since the reference line (T on a line, or "Time reference" in its detail)' },
];

/** The reference line: its view index and its time (it may be outside the list shown). */
export interface TimeRef {
  index: number;
  ms: number;
}

export interface TimeCell {
  text: string;
  /** At least GAP_MS after the line above (delta mode). */
  gap: boolean;
  /** This row is the reference line (ref mode). */
  ref: boolean;
}

/** A gap worth seeing in delta mode. */
export const GAP_MS = 1000;

/**
 * The time column of a row, given the row above it in the list: null for the list's first line
 * (its clock is shown: where the list starts), undefined while that row is being fetched.
 */
export function timeCell(mode: TimeMode, row: { index: number; time: string }, above: { time: string } | null | undefined, ref: TimeRef | null, zone = UTC): TimeCell {
  const clock = row.time ? shortTime(row.time, zone) : '';
  const ms = row.time ? Date.parse(row.time) : NaN;
  if (mode === 'delta') {
    if (above === null) return { text: clock, gap: false, ref: false };
    const prev = above?.time ? Date.parse(above.time) : NaN;
    if (Number.isNaN(ms) || Number.isNaN(prev)) return { text: '', gap: false, ref: false };
    return { text: offset(ms - prev), gap: Math.abs(ms - prev) >= GAP_MS, ref: false };
  }
  if (mode === 'ref' && ref) {
    // the reference shows its time of day (its date is the column's title)
    if (row.index === ref.index) return { text: clock.slice(6), gap: false, ref: true };
    return { text: Number.isNaN(ms) ? '' : offset(ms - ref.ms), gap: false, ref: false };
  }
  return { text: clock, gap: false, ref: false };
}

/** The reference a row makes (null: the line has no time to measure from). */
export function referenceOf(row: { index: number; time: string }): TimeRef | null {
  const ms = row.time ? Date.parse(row.time) : NaN;
  return Number.isNaN(ms) ? null : { index: row.index, ms };
}

const KEY = 'pexlens.timeMode';

/** The mode last chosen, clock or delta ('ref' needs a reference, which a new page has not). */
export function savedTimeMode(): TimeMode {
  try {
    return localStorage.getItem(KEY) === 'delta' ? 'delta' : 'clock';
  } catch {
    return 'clock';
  }
}

export function saveTimeMode(mode: TimeMode): void {
  if (mode === 'ref') return;
  try {
    localStorage.setItem(KEY, mode);
  } catch {
    // no storage: the mode lasts as long as the page
  }
}
