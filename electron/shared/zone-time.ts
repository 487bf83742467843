/**
 * Times shown in a time zone other than UTC. The log's times are UTC; a customer says "the call
 * at 14:05" in their own zone, so the app can show (and read typed times) in a zone chosen by
 * the engineer. Exports and copies stay UTC, as the log is. Only the IANA names the runtime knows
 * are taken ('UTC', 'Europe/Oslo', 'America/New_York').
 */

export const UTC = 'UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's canonical name, or null when the runtime does not know it. */
export function zoneName(name: string): string | null {
  const n = name.trim();
  if (!n) return null;
  if (n.toUpperCase() === UTC) return UTC;
  try {
    return formatter(n).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Offsets by zone and quarter hour: a table's rows ask for the same few again and again. */
const offsets = new Map<string, Map<number, number>>();
const QUARTER = 900_000;

/** Wall clock minus UTC at that moment, in ms (Europe/Oslo in May: +2 h). */
export function zoneOffset(ms: number, zone: string): number {
  if (zone === UTC || !Number.isFinite(ms)) return 0;
  let byQuarter = offsets.get(zone);
  if (!byQuarter) offsets.set(zone, (byQuarter = new Map()));
  // offsets change on the quarter hour at most (every zone's rules do), so one asks for a quarter
  const q = Math.floor(ms / QUARTER);
  let off = byQuarter.get(q);
  if (off === undefined) {
    const at = q * QUARTER;
    const p: Record<string, number> = {};
    for (const part of formatter(zone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (byQuarter.size > 10_000) byQuarter.clear();
    byQuarter.set(q, off);
  }
  return off;
}

/** `2026-05-14T10:04:40.734`: the wall clock in the zone, to the millisecond, without an offset. */
export function wallIso(ms: number, zone: string): string {
  return new Date(ms + zoneOffset(ms, zone)).toISOString().slice(0, 23);
}

/**
 * The moment at which the zone's wall clock reads `wall` (a wall-clock time computed as if it
 * were UTC). An hour the clock goes through twice (summer time ending) is its first time; an hour
 * it skips (summer time starting) is read with the offset before it.
 */
export function fromWall(wall: number, zone: string): number {
  if (zone === UTC) return wall;
  const near = wall - zoneOffset(wall, zone);
  // the offsets half a day either side: a change of offset between them is the only ambiguity
  const before = zoneOffset(near - 12 * 3_600_000, zone);
  const after = zoneOffset(near + 12 * 3_600_000, zone);
  const fits = [wall - before, wall - after].filter((t) => wall - zoneOffset(t, zone) === t);
  return fits.length ? Math.min(...fits) : wall - before;
}

/** `UTC+2`, `UTC−3:30`: the zone's offset at that moment, for labels. */
export function offsetLabel(ms: number, zone: string): string {
  const off = Math.round(zoneOffset(ms, zone) / 60_000);
  if (off === 0) return UTC;
  const h = Math.floor(Math.abs(off) / 60);
  const m = Math.abs(off) % 60;
  return `UTC${off < 0 ? '\u2212' : '+'}${h}${m ? ':' + String(m).padStart(2, '0') : ''}`;
}

/** A zone's name for a narrow column head: `Oslo`, `New York`, `UTC`. */
export function zoneShort(zone: string): string {
  return zone === UTC ? UTC : (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}
