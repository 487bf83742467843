/**
 * Splits incoming bytes into lines and fills the line store's columns. The per-line work is
 * kept to what filtering needs (times, node, level, module) and done on bytes; everything else
 * is parsed lazily (fields.ts) when a line is looked at.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { LineStore } from './line-store.js';
import { F_CRLF, F_NOEOL, F_NOLAYOUT, F_NONUTF8, F_NOTIME } from './line-store.js';
import { parseDateTime, parseSyslogTime } from './time.js';
import { LEVEL_NONE } from '../../shared/levels.js';
import { Slab } from './slab.js';

/** Lines are cut into chunks of about this size; a longer line gets a chunk of its own. */
export const CHUNK_BYTES = 16 << 20;

const LEVEL_BY_INITIAL: Record<number, number> = { 68: 0, 73: 1, 87: 2, 69: 3, 67: 4 }; // D I W E C
const LEVEL_PREFIX = Buffer.from(' Level="');
const NAME_PREFIX = Buffer.from(' Name="');

const timeOut = { len: 0 };

export interface ChunkSink {
  /**
   * Called with each completed chunk and the store range of its lines. Returns true when it
   * replaced the chunk in the store (calls-only.ts keeps a few lines' bytes elsewhere): the
   * chunk's memory is then reused for the next one.
   */
  (chunk: Buffer, chunkIndex: number, firstLine: number, lineCount: number, store: LineStore): void | boolean;
}

/**
 * Where a load's chunk buffers come from: carved out of large shared buffers (slab.ts: one
 * mapping, large pages), and those a sink hands back, reused by the next reads instead of
 * waiting for GC.
 */
export class ChunkPool {
  private readonly spare: Buffer[] = [];
  private readonly slab = new Slab(CHUNK_BYTES * 8);

  take(size: number): Buffer {
    const k = this.spare.findIndex((b) => b.length >= size);
    return k >= 0 ? this.spare.splice(k, 1)[0]! : this.fresh(size);
  }

  /** A new buffer, not one handed back. */
  fresh(size: number): Buffer {
    return this.slab.bytes(size);
  }

  give(b: Buffer): void {
    if (this.spare.length < 2) this.spare.push(b);
  }
}

/**
 * Receives the decompressed bytes of one file piece by piece and turns complete lines into
 * store rows. Chunks are SharedArrayBuffer-backed so index workers can read them without copies.
 */
export class FileIngest {
  private buf: Buffer;
  private fill = 0;
  private lastTime = NaN;
  /** No line of this file added yet: its first line may open with a UTF-8 byte order mark. */
  private atFileStart = true;
  bytes = 0;
  /** Lines of this file that do not follow the layout (F_NOLAYOUT). */
  damaged = 0;

  constructor(
    private readonly store: LineStore,
    private readonly fileId: number,
    private readonly onChunk?: ChunkSink,
    private readonly pool = new ChunkPool(),
  ) {
    this.buf = pool.take(CHUNK_BYTES);
  }

  push(piece: Buffer): void {
    this.bytes += piece.length;
    let off = 0;
    while (off < piece.length) {
      const room = this.buf.length - this.fill;
      if (room === 0) {
        this.flush(false);
        continue;
      }
      const n = Math.min(room, piece.length - off);
      piece.copy(this.buf, this.fill, off, off + n);
      this.fill += n;
      off += n;
    }
  }

  /**
   * Reads a plain file straight into the chunks (no intermediate copy). The read of the next
   * chunk is started before the current one is parsed, so disk and parsing overlap.
   */
  async readFile(path: string, onBytes: (n: number) => void, signal?: AbortSignal, breathe?: () => Promise<void>): Promise<void> {
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const firstLine = this.store.count;
      let sized = false;
      const readInto = (buf: Buffer, at: number) => fh.read(buf, at, buf.length - at, null).then((r) => r.bytesRead);
      let pending = readInto(this.buf, this.fill);
      for (;;) {
        if (signal?.aborted) throw new Error('cancelled');
        const got = await pending;
        if (!got) break;
        this.fill += got;
        this.bytes += got;
        onBytes(got);
        if (this.fill < this.buf.length) {
          pending = readInto(this.buf, this.fill);
          continue;
        }
        // chunk full: move the partial last line to the next chunk, start its read, then parse
        const full = this.buf;
        const cut = full.lastIndexOf(10, this.fill - 1) + 1;
        if (cut === 0) {
          this.flush(false); // one line longer than a chunk: grows the chunk
          pending = readInto(this.buf, this.fill);
          continue;
        }
        const rest = this.fill - cut;
        const next = this.pool.take(Math.max(CHUNK_BYTES, rest * 2));
        full.copy(next, 0, cut, this.fill);
        this.buf = next;
        this.fill = rest;
        pending = readInto(next, rest);
        if (this.commit(full, cut, false)) this.pool.give(full);
        if (!sized) {
          // size the columns once from the first chunk's mean line length: no doubling copies
          sized = true;
          const lines = this.store.count - firstLine;
          this.store.reserve(this.store.count + Math.ceil(((size - cut) / cut) * lines * 1.05) + 1024);
        }
        await breathe?.();
      }
    } finally {
      await fh.close();
    }
  }

  /** Ends the file: the remaining bytes form the last line(s), even without a final newline. */
  finish(): void {
    this.flush(true);
  }

  /** Commits all complete lines of the current chunk and starts the next with the remainder. */
  private flush(final: boolean): void {
    let buf = this.buf;
    const cut = final ? this.fill : buf.lastIndexOf(10, this.fill - 1) + 1;
    if (cut === 0 && !final) {
      // one line longer than the chunk: grow
      const bigger = this.pool.fresh(buf.length * 2);
      buf.copy(bigger, 0, 0, this.fill);
      this.buf = bigger;
      return;
    }
    if (final && cut * 2 <= buf.length) {
      // a file's last chunk gets a buffer of its own size, and the big one goes back to the pool
      // for the next file: with large pages (bin/large-pages.js) the part of a 16 MB buffer a
      // small file touched stays resident in 2 MB pages (200 files of 1 MB: 2× the peak RSS)
      const own = this.pool.fresh(cut);
      buf.copy(own, 0, 0, cut);
      this.pool.give(buf);
      this.buf = buf = own;
    }
    const released = cut > 0 && this.commit(buf, cut, final);
    const rest = this.fill - cut;
    if (final) return;
    const next = this.pool.take(Math.max(CHUNK_BYTES, rest * 2));
    buf.copy(next, 0, cut, this.fill);
    this.buf = next;
    this.fill = rest;
    if (released) this.pool.give(buf); // after its remainder was copied out
  }

  /** Makes the first `cut` bytes of buf a chunk of the store and adds its lines; true when the sink released buf. */
  private commit(buf: Buffer, cut: number, final: boolean): boolean {
    const exact = Buffer.from(buf.buffer, buf.byteOffset, cut);
    const chunkIndex = this.store.chunks.length;
    this.store.chunks.push(exact);
    const first = this.store.count;
    this.addLines(exact, chunkIndex, final);
    return this.onChunk?.(exact, chunkIndex, first, this.store.count - first, this.store) === true;
  }

  private addLines(b: Buffer, chunkIndex: number, final: boolean): void {
    const store = this.store;
    const len = b.length;
    const valid = isUtf8(b);
    let s = 0;
    while (s < len) {
      let nl = b.indexOf(10, s);
      let flags = 0;
      let e: number;
      let next: number;
      if (nl < 0) {
        e = len;
        next = len;
        flags |= F_NOEOL;
        if (!final) throw new Error('internal: chunk without final newline');
      } else {
        e = nl;
        next = nl + 1;
      }
      if (e > s && b[e - 1] === 13 && nl >= 0) {
        e--;
        flags |= F_CRLF;
      }
      const i = store.count;
      if (i >= store.chunk.data.length) store.ensure(i + 1 + ((len - s) >> 8));
      store.chunk.data[i] = chunkIndex;
      store.start.data[i] = s;
      store.end.data[i] = e;
      store.file.data[i] = this.fileId;
      if (!valid && !isUtf8(b.subarray(s, e))) flags |= F_NONUTF8;
      // a byte order mark (files saved by Windows editors) is kept in the line, not parsed as its head
      const head = this.atFileStart && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf ? s + 3 : s;
      this.atFileStart = false;
      flags |= this.parseHead(b, head, e, i);
      if (flags & F_NOLAYOUT) this.damaged++;
      store.flags.data[i] = flags;
      store.count = i + 1;
      s = next;
      nl = -1;
    }
  }

  /** Fills time, node, origin, level and module of line i; returns layout flags. */
  private parseHead(b: Buffer, s: number, e: number, i: number): number {
    const store = this.store;
    store.origin.data[i] = NaN;
    store.level.data[i] = LEVEL_NONE;
    store.name.data[i] = 0;
    store.node.data[i] = 0;
    const t = parseSyslogTime(b, s, e, timeOut);
    if (Number.isNaN(t)) {
      store.time.data[i] = this.lastTime;
      return F_NOLAYOUT | F_NOTIME;
    }
    store.time.data[i] = this.lastTime = t;
    let p = s + timeOut.len;
    if (b[p] !== 32) return F_NOLAYOUT;
    const sysEnd = b.indexOf(32, p + 1);
    if (sysEnd < 0 || sysEnd > e) {
      store.node.data[i] = store.nodes.idOfBytes(b, p + 1, e);
      return F_NOLAYOUT;
    }
    store.node.data[i] = store.nodes.idOfBytes(b, p + 1, sysEnd);
    p = sysEnd + 1;
    if (e - p < 23) return F_NOLAYOUT;
    const o = parseDateTime(b, p);
    if (Number.isNaN(o) || b[p + 10] !== 32) return F_NOLAYOUT;
    store.origin.data[i] = o;
    p += 23;
    if (!startsWith(b, p, LEVEL_PREFIX)) return F_NOLAYOUT;
    p += LEVEL_PREFIX.length;
    const lq = b.indexOf(34, p);
    if (lq < 0 || lq > e) return F_NOLAYOUT;
    const lv = LEVEL_BY_INITIAL[b[p]!];
    store.level.data[i] = lv ?? LEVEL_NONE;
    p = lq + 1;
    if (!startsWith(b, p, NAME_PREFIX)) return F_NOLAYOUT;
    p += NAME_PREFIX.length;
    const nq = b.indexOf(34, p);
    if (nq < 0 || nq > e) return F_NOLAYOUT;
    store.name.data[i] = store.names.idOfBytes(b, p, nq);
    return 0;
  }
}

function startsWith(b: Buffer, p: number, prefix: Buffer): boolean {
  for (let k = 0; k < prefix.length; k++) if (b[p + k] !== prefix[k]) return false;
  return true;
}
