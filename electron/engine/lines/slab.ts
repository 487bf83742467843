/**
 * Typed arrays carved one after another out of large shared buffers, for what is made many at a
 * time and kept as long as each other: the log's chunks (16 MB each; ingest.ts, table-cache.ts)
 * and index segments (a dozen arrays of ~2.5 MB together per chunk; ../search/index-worker.ts).
 *
 * Why: an array on a buffer of its own is a fresh mapping of its own, touched page by page. On a
 * VM whose page faults are slow that was a tenth of the index build's CPU (~33 k faults per GB
 * of log) and as much again in reading the log. A buffer of tens of MB is mapped with large pages
 * where node runs with them (bin/large-pages.js) and takes a few hundred faults. Measured, filled
 * with large pages: 64 × 2.5 MB as separate buffers 32.5 k faults, 380–600 ms; carved 160–650
 * faults, 85–96 ms; 64 × 16 MB 33 k faults, 0.8–2.7 s; carved from 128 MB buffers 4.7 k faults,
 * 0.6–0.8 s (docs/benchmarks.md, session 19). Pages of a buffer that nothing touched take no memory.
 * Shared buffers: a worker hands its arrays to the main thread without a copy or a transfer
 * (which would detach the whole buffer), and index workers read the chunks in place.
 * A buffer lives as long as any array carved from it.
 */
export type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;

export interface TypedArrayType<T extends TypedArray> {
  new (length: number): T;
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Makes a zeroed typed array of a length. */
export type Alloc = <T extends TypedArray>(type: TypedArrayType<T>, length: number) => T;

/** Each array on its own buffer. */
export const ownBuffer: Alloc = (type, length) => new type(length);

export class Slab {
  private buf: SharedArrayBuffer | null = null;
  private at = 0;

  /** @param size bytes of each shared buffer; an array of over a quarter of it gets one of its own */
  constructor(private readonly size = 32 << 20) {}

  /** A chunk of log bytes (zeroed). */
  bytes(length: number): Buffer {
    const a = this.alloc(Uint8Array, length);
    return Buffer.from(a.buffer, a.byteOffset, length);
  }

  readonly alloc: Alloc = (type, length) => {
    const bytes = (length * type.BYTES_PER_ELEMENT + 7) & ~7;
    if (bytes > this.size / 4) return new type(new SharedArrayBuffer(bytes), 0, length);
    if (!this.buf || this.at + bytes > this.size) {
      this.buf = new SharedArrayBuffer(this.size);
      this.at = 0;
    }
    const a = new type(this.buf, this.at, length);
    this.at += bytes;
    return a;
  };
}
