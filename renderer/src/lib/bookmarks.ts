/**
 * Bookmarks: lines an engineer keeps while going through a bundle (the INVITE, the 488, the
 * error a minute later), across searches, to come back to (F2) and to export together. Kept in
 * the page's local storage per bundle, keyed by its identity (paths, lines, bytes): a bookmark is
 * a view index, which names the same line only in the same bundle.
 */
import { shortTime } from './format.js';

export interface Bookmark {
  /** View index of the line. */
  index: number;
  /** What the menu shows after the time: the line's message (kept, so the menu needs no request). */
  label: string;
  /** The line's time (ISO, UTC), shown in the zone the app shows times in; none for a line without one. */
  time?: string;
}

/** What a bookmark is made from: a line as the explorer lists it (a LineRow or a LineDetail). */
export type BookmarkedLine = { index: number; time: string; message: string; name: string; text: string };

const KEY = 'pexlens.bookmarks';
/** Bundles whose bookmarks are kept (the most recently changed), and bookmarks per bundle. */
export const MAX_BUNDLES = 50;
export const MAX_BOOKMARKS = 1000;

/** A bookmark kept: [index, label, time] (kept before times were apart: [index, "time  label"]). */
type Stored = Record<string, { at: number; lines: Array<[number, string, string?]> }>;

function readAll(): Stored {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Stored) : {};
  } catch {
    return {};
  }
}

/** The bundle's bookmarks, in list order (view index). */
export function loadBookmarks(bundle: string): Bookmark[] {
  const mine = readAll()[bundle];
  if (!mine || !Array.isArray(mine.lines)) return [];
  return mine.lines
    .filter((e) => Array.isArray(e) && Number.isInteger(e[0]) && e[0] >= 0 && typeof e[1] === 'string')
    .map(([index, label, time]) => (typeof time === 'string' && time ? { index, label, time } : { index, label }))
    .sort((a, b) => a.index - b.index);
}

export function saveBookmarks(bundle: string, list: readonly Bookmark[], now = Date.now()): void {
  try {
    const all = readAll();
    if (list.length) all[bundle] = { at: now, lines: list.map((b) => (b.time ? [b.index, b.label, b.time] : [b.index, b.label])) };
    else delete all[bundle];
    const keep = Object.entries(all)
      .sort((a, b) => b[1].at - a[1].at)
      .slice(0, MAX_BUNDLES);
    localStorage.setItem(KEY, JSON.stringify(Object.fromEntries(keep)));
  } catch {
    // no storage (or full): the bookmarks last as long as the page
  }
}

/** What a line is, for the menu: its message, else its module, else its text. */
export function labelOf(row: Omit<BookmarkedLine, 'index' | 'time'>): string {
  return row.message || row.name || row.text.slice(0, 80);
}

/** A bookmark made of a line. */
export function bookmarkOf(row: BookmarkedLine, label = labelOf(row)): Bookmark {
  return row.time ? { index: row.index, label, time: row.time } : { index: row.index, label };
}

/** The menu's text of a bookmark: its time in the zone shown, and what the line is. */
export function shownLabel(b: Bookmark, zone: string): string {
  return b.time ? `${shortTime(b.time, zone)}  ${b.label}` : b.label;
}

/** The list with the line added, or removed when it is there; null when it is full. */
export function toggled(list: readonly Bookmark[], row: BookmarkedLine): Bookmark[] | null {
  if (list.some((b) => b.index === row.index)) return list.filter((b) => b.index !== row.index);
  return withLines(list, [bookmarkOf(row)]);
}

/** The list with these lines added (those not in it yet), in list order; null when they would overfill it. */
export function withLines(list: readonly Bookmark[], add: readonly Bookmark[]): Bookmark[] | null {
  const have = new Set(list.map((b) => b.index));
  const fresh = add.filter((b) => !have.has(b.index));
  if (list.length + fresh.length > MAX_BOOKMARKS) return null;
  return [...list, ...fresh].sort((a, b) => a.index - b.index);
}

/** The bookmark after (dir 1) or before (-1) view index `from`, wrapping around; null when there is none. */
export function nextBookmark(list: readonly Bookmark[], from: number | null, dir: 1 | -1): Bookmark | null {
  if (!list.length) return null;
  if (from === null) return dir > 0 ? list[0]! : list[list.length - 1]!;
  if (dir > 0) return list.find((b) => b.index > from) ?? list[0]!;
  for (let k = list.length - 1; k >= 0; k--) if (list[k]!.index < from) return list[k]!;
  return list[list.length - 1]!;
}
