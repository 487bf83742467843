/**
 * All lines of an opened bundle: the bytes stay in large Buffers (chunks), and each line is a
 * row in typed-array columns (where it is, when, which node/module/level, flags). No JS string
 * per line: text is decoded only when a line is shown, searched or exported.
 */
import { Column } from './growable.js';
import { Interner } from './interner.js';

/** Line flags (bits). */
export const F_NOLAYOUT = 1; // does not follow `<time> <system> <time> Level=.. Name=..`
export const F_NONUTF8 = 2; // bytes that are not valid UTF-8
export const F_CRLF = 4; // ended with \r\n
export const F_NOEOL = 8; // last line of its file, without a line break
export const F_NOTIME = 16; // no syslog time of its own; time column holds the previous line's

/** Bytes of a line's break (\n, \r\n or none) after its content, from its flags. */
export function eolLength(flags: number): number {
  return flags & F_NOEOL ? 0 : flags & F_CRLF ? 2 : 1;
}

export interface FileRecord {
  id: number;
  display: string;
  root: string;
  stream: string;
  rotation: number;
  firstLine: number;
  lineCount: number;
  bytes: number;
  damaged: number;
  warnings: string[];
}

export interface StreamRecord {
  id: number;
  name: string;
  root: string;
  /** Files oldest first. */
  files: number[];
}

export class LineStore {
  readonly chunks: Buffer[] = [];
  count = 0;
  readonly chunk = new Column(Uint32Array);
  readonly start = new Column(Uint32Array);
  /** End of the line's content (before \r\n / \n). */
  readonly end = new Column(Uint32Array);
  /** Syslog time (epoch ms); inherited from the previous line when the line has none. */
  readonly time = new Column(Float64Array);
  /** Originating time on the node (epoch ms), NaN when absent. */
  readonly origin = new Column(Float64Array);
  readonly level = new Column(Uint8Array);
  readonly name = new Column(Uint16Array);
  readonly node = new Column(Uint16Array);
  readonly file = new Column(Uint16Array);
  readonly flags = new Column(Uint8Array);
  readonly names = new Interner();
  readonly nodes = new Interner();
  readonly files: FileRecord[] = [];
  readonly streams: StreamRecord[] = [];
  /** View order (merged by time across streams, rotated files oldest first); null = store order. */
  order: Uint32Array | null = null;

  constructor() {
    this.names.id('');
    this.nodes.id('');
  }

  ensure(n: number): void {
    for (const c of this.columns()) c.ensure(n);
  }

  reserve(n: number): void {
    for (const c of this.columns()) c.reserve(n);
  }

  trim(): void {
    for (const c of this.columns()) c.trim(this.count);
  }

  private columns() {
    return [this.chunk, this.start, this.end, this.time, this.origin, this.level, this.name, this.node, this.file, this.flags];
  }

  /** Bytes of the line's content, without the line break. */
  content(i: number): Buffer {
    return this.chunks[this.chunk.data[i]!]!.subarray(this.start.data[i]!, this.end.data[i]!);
  }

  /** The line exactly as it was in the input, including its line break. */
  raw(i: number): Buffer {
    return this.chunks[this.chunk.data[i]!]!.subarray(this.start.data[i]!, this.end.data[i]! + eolLength(this.flags.data[i]!));
  }

  /** The line as text; bytes that are not UTF-8 become U+FFFD for display only. */
  text(i: number): string {
    return this.chunks[this.chunk.data[i]!]!.toString('utf8', this.start.data[i]!, this.end.data[i]!);
  }

  fileOf(i: number): FileRecord {
    return this.files[this.file.data[i]!]!;
  }

  /** 1-based line number within its file. */
  lineNumber(i: number): number {
    return i - this.fileOf(i).firstLine + 1;
  }

  nameOf(i: number): string {
    return this.names.values[this.name.data[i]!]!;
  }

  nodeOf(i: number): string {
    return this.nodes.values[this.node.data[i]!]!;
  }

  /** Store index of the line at view position p. */
  at(p: number): number {
    return this.order ? this.order[p]! : p;
  }

  /** View position of store line i: the inverse of `at`, built once per view order when first asked. */
  viewPosition(i: number): number {
    const order = this.order;
    if (!order) return i;
    if (this.inverse?.of !== order) {
      const inv = new Uint32Array(order.length);
      for (let p = 0; p < order.length; p++) inv[order[p]!] = p;
      this.inverse = { of: order, inv };
    }
    return this.inverse.inv[i]!;
  }

  private inverse: { of: Uint32Array; inv: Uint32Array } | null = null;

  /**
   * View positions of the lines of some modules (`names` ids), in view order: one scan of the
   * module column, then sorted (walking the whole view took 150 ms on 1 GB for a module's few
   * lines). For the alarms, the registrations and the audit trail.
   */
  modulePositions(...modules: number[]): Uint32Array {
    const out: number[] = [];
    const names = this.name.data;
    const wanted = new Uint8Array(this.names.values.length + 1);
    for (const m of modules) if (m >= 0) wanted[m] = 1;
    for (let i = 0; i < this.count; i++) if (wanted[names[i]!]) out.push(this.viewPosition(i));
    return Uint32Array.from(out).sort();
  }

  /** Earliest and latest syslog time (one pass over the time column, extended as lines are added). */
  timeSpan(): { from: number; to: number } {
    const span = this.span;
    if (span && span.count === this.count) return span;
    let from = span?.from ?? Infinity;
    let to = span?.to ?? -Infinity;
    const time = this.time.data;
    for (let i = span?.count ?? 0; i < this.count; i++) {
      const t = time[i]!;
      if (t < from) from = t;
      if (t > to) to = t;
    }
    this.span = { count: this.count, from, to };
    return this.span;
  }

  private span: { count: number; from: number; to: number } | null = null;

  totalBytes(): number {
    let n = 0;
    for (const f of this.files) n += f.bytes;
    return n;
  }
}
