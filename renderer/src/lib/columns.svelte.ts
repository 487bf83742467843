/** A table's column widths as reactive state (lib/column-widths.ts does the work). */
import { fitWidth, gridTemplate, loadWidths, minTableWidth, saveWidths } from './column-widths.js';
import type { ColumnDef } from './column-widths.js';

export class ColumnWidths {
  /** The name the widths are kept under. */
  readonly table: string;
  readonly defs: readonly ColumnDef[];
  widths = $state<Array<number | null>>([]);

  constructor(table: string, defs: readonly ColumnDef[]) {
    this.table = table;
    this.defs = defs;
    this.widths = loadWidths(table, defs.length);
  }

  // read in templates, so as reactive as `widths` (a dozen columns: no need to cache)
  get template(): string {
    return gridTemplate(this.defs, this.widths);
  }
  get minWidth(): number {
    return minTableWidth(this.defs, this.widths);
  }
  get changed(): boolean {
    return this.widths.some((w) => w != null);
  }

  set(i: number, w: number): void {
    this.widths = this.widths.map((x, k) => (k === i ? w : x));
  }

  save(): void {
    saveWidths(this.table, this.widths);
  }

  /** Column i as wide as the widest of `cells` (see fitWidth). */
  fit(host: HTMLElement, i: number, cells: () => Iterable<Element>): void {
    this.set(i, fitWidth(host, this.defs, this.widths, i, cells));
  }

  reset(): void {
    this.widths = this.widths.map(() => null);
    this.save();
  }
}
