/**
 * Timestamp parsing straight from bytes: the ingest loop calls these millions of times,
 * so they avoid strings and Date objects (Date.UTC only when the day changes).
 */

const ZERO = 48;

function digits(b: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = b[p + i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

let lastDayKey = -1;
let lastDayMs = 0;

function dayMs(y: number, mo: number, d: number): number {
  const key = y * 10000 + mo * 100 + d;
  if (key !== lastDayKey) {
    lastDayKey = key;
    lastDayMs = Date.UTC(y, mo - 1, d);
  }
  return lastDayMs;
}

/**
 * Parses `YYYY-MM-DD?HH:MM:SS<.|,>mmm` at p (sep is 'T' or ' '). Returns epoch ms or NaN.
 * Caller checks length (23 bytes available).
 */
export function parseDateTime(b: Uint8Array, p: number): number {
  if (b[p + 4] !== 45 || b[p + 7] !== 45 || b[p + 13] !== 58 || b[p + 16] !== 58) return NaN;
  const y = digits(b, p, 4), mo = digits(b, p + 5, 2), d = digits(b, p + 8, 2);
  const h = digits(b, p + 11, 2), mi = digits(b, p + 14, 2), s = digits(b, p + 17, 2);
  const ms = digits(b, p + 20, 3);
  if ((y | mo | d | h | mi | s | ms) < 0) return NaN;
  return dayMs(y, mo, d) + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Length of a syslog time `2026-05-14T23:38:44.061+00:00` (offset form) or with `Z`. */
export const SYSLOG_TIME_LEN = 29;

/** Parses the syslog time at p; returns [ms, length] via out array to avoid allocation. */
export function parseSyslogTime(b: Uint8Array, p: number, end: number, out: { len: number }): number {
  if (end - p < 24 || b[p + 10] !== 84 /* T */ || b[p + 19] !== 46 /* . */) return NaN;
  const base = parseDateTime(b, p);
  if (Number.isNaN(base)) return NaN;
  const z = b[p + 23];
  if (z === 90 /* Z */) {
    out.len = 24;
    return base;
  }
  if ((z === 43 || z === 45) && end - p >= 29 && b[p + 26] === 58) {
    const oh = digits(b, p + 24, 2), om = digits(b, p + 27, 2);
    if ((oh | om) < 0) return NaN;
    out.len = 29;
    const off = (oh * 60 + om) * 60000;
    return z === 43 ? base - off : base + off;
  }
  return NaN;
}

/** Formats epoch ms as the log's syslog form `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** formatTime, or null for no time (an empty file, no lines): what the API's optional times hold. */
export function timeOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? formatTime(ms) : null;
}
