/**
 * Column widths the engineer set by dragging a header's edge (or fitting it to its values), kept
 * in the page's local storage per table, so a widened "Disconnect reason" stays wide next time.
 * A column never resized keeps the table's own track (fixed, or sharing the room left); a resized
 * one gets its width in pixels, except the last, which still takes any room left over.
 */

/** A column's track when not resized, and the least it takes (for the table's minimum width). */
export interface ColumnDef {
  track: string;
  min: number;
}

/** Per column: the width set, or null for the default track. */
export type Widths = ReadonlyArray<number | null>;

export const MIN_COLUMN = 36;
export const MAX_COLUMN = 1600;
const KEY = 'pexlens.columns';

export function clampWidth(w: number): number {
  return Math.round(Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, w)));
}

/** The CSS `grid-template-columns` of the table; the `probe` column, if any, as wide as its content. */
export function gridTemplate(defs: readonly ColumnDef[], widths: Widths, probe = -1): string {
  return defs
    .map((d, i) => {
      if (i === probe) return 'max-content';
      const w = widths[i];
      if (w == null) return d.track;
      return i === defs.length - 1 ? `minmax(${w}px, 1fr)` : `${w}px`;
    })
    .join(' ');
}

/** The least width the columns take (a wider table scrolls sideways). */
export function minTableWidth(defs: readonly ColumnDef[], widths: Widths): number {
  return defs.reduce((sum, d, i) => sum + (widths[i] ?? d.min), 0);
}

/**
 * The width that shows column `i`'s cells whole: the table (`host`, whose `--cols` lays out its
 * rows) is laid out for a moment with that column as wide as its content, and its cells measured.
 * Only the rows drawn are measured; a virtual table has no others.
 */
export function fitWidth(host: HTMLElement, defs: readonly ColumnDef[], widths: Widths, i: number, cells: () => Iterable<Element>): number {
  const before = host.style.getPropertyValue('--cols');
  host.style.setProperty('--cols', gridTemplate(defs, widths, i));
  let w = MIN_COLUMN;
  for (const c of cells()) w = Math.max(w, c.getBoundingClientRect().width);
  host.style.setProperty('--cols', before);
  // a pixel more: a fraction lost to rounding would bring the ellipsis back
  return clampWidth(Math.ceil(w) + 1);
}

function readAll(): Record<string, unknown> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The table's widths as saved; all default when none were, or when they were saved for other columns. */
export function loadWidths(table: string, count: number): Array<number | null> {
  const saved = readAll()[table];
  const none = Array<number | null>(count).fill(null);
  if (!Array.isArray(saved) || saved.length !== count) return none;
  return saved.map((w: unknown) => (typeof w === 'number' && Number.isFinite(w) ? clampWidth(w) : null));
}

export function saveWidths(table: string, widths: Widths): void {
  try {
    const all = readAll();
    if (widths.some((w) => w != null)) all[table] = widths;
    else delete all[table];
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    /* storage full or disabled: the widths last for this page only */
  }
}
