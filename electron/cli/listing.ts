/** What the list commands (registrations, audit) share: their tables' times, their lines' places, a hint for a part of a name. */
import type { LineStore } from '../engine/lines/line-store.js';
import { placeOf } from '../shared/file-line.js';
import { zoneTime } from './options.js';

/** A table's times in a zone: the time of day, with the day (`05-14 08:01:07`) when the bundle spans more than one. */
export function tableClock(store: LineStore, zone: string): (iso: string) => string {
  const { from, to } = store.timeSpan();
  const day = (ms: number) => (Number.isFinite(ms) ? zoneTime(new Date(ms).toISOString(), zone).slice(0, 10) : '');
  const start = day(from) === day(to) ? 11 : 5;
  return (iso) => zoneTime(iso, zone).slice(start, 19);
}

/** Each line (a view position) with its place as colleagues quote it, `file:line`. */
export function withPlaces<T extends { line: number }>(store: LineStore, lines: readonly T[]): Array<T & { place: string }> {
  return lines.map((e) => {
    const i = store.at(e.line);
    return { ...e, place: placeOf(store.fileOf(i).display, store.lineNumber(i)) };
  });
}

/** `; aliases with 'alice' in them: a, b, and 3 more` for a part of a name; '' when none holds it. */
export function partHint(what: string, part: string, names: readonly string[]): string {
  const like = names.filter((n) => n.toLowerCase().includes(part.toLowerCase()));
  return like.length ? `; ${what} with '${part}' in them: ${like.slice(0, 5).join(', ')}${like.length > 5 ? `, and ${like.length - 5} more` : ''}` : '';
}
