/**
 * Typed arrays carved one after another out of large shared buffers, for what a thread makes and
 * keeps many of (index segments: a dozen arrays of ~2.5 MB together per 16 MB of log).
 *
 * Why: each array on its own buffer is a fresh mapping of its own, touched page by page. On a VM
 * whose page faults are slow that was a tenth of the index build's CPU (~33 k faults per GB of
 * log); a buffer of tens of MB is mapped with large pages where node runs with them
 * (bin/large-pages.js) and takes a few hundred faults. Measured on 64 × 2.5 MB filled: 32.5 k
 * faults, 380–600 ms as separate buffers; 160–650 faults, 85–96 ms carved (docs/benchmarks.md,
 * session 19). Shared buffers, so that a worker can hand its arrays to the main thread without
 * copying them (a transfer would detach the whole buffer).
 * A buffer lives as long as any array carved from it: for arrays kept as long as each other.
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
