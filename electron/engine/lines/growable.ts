/** Typed arrays that grow by doubling: per-line columns without a JS value per line. */
type TypedCtor<T> = { new (n: number): T; BYTES_PER_ELEMENT: number };
type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

export class Column<T extends Typed> {
  data: T;
  constructor(private readonly ctor: TypedCtor<T>, initial = 1 << 16) {
    this.data = new ctor(initial);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let cap = this.data.length;
    while (cap < n) cap *= 2;
    this.reserve(cap);
  }
  /** Room for exactly n entries (a known total, e.g. estimated from the file size): no doubling slack. */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new this.ctor(n);
    (next as Typed).set(this.data as never);
    this.data = next;
  }
  /** Shrinks to n entries once loading is done, giving back large doubling slack. */
  trim(n: number): void {
    if (n >= this.data.length * 0.8) return; // copying costs more than the slack is worth
    const next = new this.ctor(Math.max(n, 1));
    (next as Typed).set((this.data as Typed).subarray(0, n) as never);
    this.data = next;
  }
}
