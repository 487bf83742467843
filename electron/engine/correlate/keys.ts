/**
 * Interned correlation keys (Call-IDs, Uuids, participant ids...): bytes ↔ small int, without
 * a JS string per line. A key is hashed and compared on the bytes where the scan found it; it
 * is remembered by where it first occurred (chunk, offset, length) and turned into a string only
 * when asked (`value`), for the few that reach a summary or a lookup. Strings are latin1, as the
 * scan always read them.
 */

const EMPTY = 0; // slot value: key id + 1

export class Keys {
  /** Open-addressing table of key id + 1, by hash. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 10);
  /** Where each key's bytes are: chunk index (≥ 0: `chunks[c]`, < 0: `extra[-1 - c]`), offset, length. */
  private src = new Int32Array(1 << 10);
  private off = new Uint32Array(1 << 10);
  private len = new Uint32Array(1 << 10);
  private readonly extra: Buffer[] = [];
  private readonly strings: Array<string | undefined> = [];
  private n = 0;

  constructor(private readonly chunks: readonly Buffer[]) {}

  get size(): number {
    return this.n;
  }

  /** Id of the key in b[s..e), b being `chunks[chunk]` (its bytes stay there); new ids are appended. */
  idAt(chunk: number, b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.slots[slot]!;
      if (v === EMPTY) break;
      const k = v - 1;
      if (this.hashes[k] === h && this.same(k, b, s, e)) return k;
    }
    return this.add(h, chunk, s, e - s);
  }

  /** Id of a key given as bytes outside the store (a joined fragment's header): copied when new. */
  idOf(b: Uint8Array, s: number, e: number): number {
    const k = this.find(b, s, e);
    if (k >= 0) return k;
    this.extra.push(Buffer.from(b.subarray(s, e)));
    return this.add(hashBytes(b, s, e), -this.extra.length, 0, e - s);
  }

  /**
   * Copies the bytes of keys [from, size) out of the store's chunks into one buffer of their own,
   * so those chunks may be replaced (calls-only.ts compacts a chunk once it is scanned).
   */
  moveOut(from: number): void {
    let total = 0;
    for (let k = from; k < this.n; k++) if (this.src[k]! >= 0) total += this.len[k]!;
    if (!total) return;
    const own = Buffer.allocUnsafeSlow(total);
    const c = -1 - this.extra.length;
    this.extra.push(own);
    let at = 0;
    for (let k = from; k < this.n; k++) {
      if (this.src[k]! < 0) continue;
      const o = this.off[k]!;
      this.chunks[this.src[k]!]!.copy(own, at, o, o + this.len[k]!);
      this.src[k] = c;
      this.off[k] = at;
      at += this.len[k]!;
    }
  }

  /** Id of a key typed as a string, or undefined. */
  lookup(v: string): number | undefined {
    const b = Buffer.from(v, 'latin1');
    const k = this.find(b, 0, b.length);
    return k >= 0 ? k : undefined;
  }

  /** The key as a string (made once, then kept). */
  value(k: number): string {
    let v = this.strings[k];
    if (v === undefined) {
      const c = this.src[k]!;
      const b = c >= 0 ? this.chunks[c]! : this.extra[-1 - c]!;
      v = b.toString('latin1', this.off[k]!, this.off[k]! + this.len[k]!);
      this.strings[k] = v;
    }
    return v;
  }

  private find(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.slots[slot]!;
      if (v === EMPTY) return -1;
      if (this.hashes[v - 1] === h && this.same(v - 1, b, s, e)) return v - 1;
    }
  }

  private same(k: number, b: Uint8Array, s: number, e: number): boolean {
    const n = this.len[k]!;
    if (n !== e - s) return false;
    const c = this.src[k]!;
    const kb = c >= 0 ? this.chunks[c]! : this.extra[-1 - c]!;
    const ko = this.off[k]!;
    for (let j = 0; j < n; j++) if (kb[ko + j] !== b[s + j]) return false;
    return true;
  }

  private add(h: number, chunk: number, off: number, len: number): number {
    const k = this.n++;
    if (k === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.src = grow(this.src);
      this.off = grow(this.off);
      this.len = grow(this.len);
    }
    this.hashes[k] = h;
    this.src[k] = chunk;
    this.off[k] = off;
    this.len[k] = len;
    // keep the table at most half full
    if (this.n * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(k);
    return k;
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[k]! & mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.slots[slot] = k + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let k = 0; k < this.n; k++) this.place(k);
  }

  /** Every key's bytes, one after another, and where each ends (what the call cache saves). */
  saved(): { bytes: Buffer; ends: Uint32Array } {
    const ends = new Uint32Array(this.n);
    let total = 0;
    for (let k = 0; k < this.n; k++) ends[k] = total += this.len[k]!;
    const bytes = Buffer.allocUnsafe(total);
    for (let k = 0; k < this.n; k++) {
      const c = this.src[k]!;
      const b = c >= 0 ? this.chunks[c]! : this.extra[-1 - c]!;
      b.copy(bytes, ends[k]! - this.len[k]!, this.off[k]!, this.off[k]! + this.len[k]!);
    }
    return { bytes, ends };
  }

  /** The keys `saved` gave, with the same ids; they keep their bytes in `bytes`. */
  static restored(bytes: Buffer, ends: Uint32Array): Keys {
    const keys = new Keys([]);
    const n = ends.length;
    keys.extra.push(bytes);
    keys.n = n;
    keys.hashes = new Int32Array(n);
    keys.src = new Int32Array(n).fill(-1);
    keys.off = new Uint32Array(n);
    keys.len = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const s = k ? ends[k - 1]! : 0;
      keys.off[k] = s;
      keys.len[k] = ends[k]! - s;
      keys.hashes[k] = hashBytes(bytes, s, ends[k]!);
    }
    let size = 1 << 12;
    while (size < 2 * n) size <<= 1;
    keys.rehash(size);
    return keys;
  }

  /** Drops the growth slack once the scan is done. */
  trim(): void {
    this.hashes = this.hashes.slice(0, this.n);
    this.src = this.src.slice(0, this.n);
    this.off = this.off.slice(0, this.n);
    this.len = this.len.slice(0, this.n);
  }
}

function grow<T extends Int32Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as { new (n: number): T })(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}

/** FNV-1a over the bytes, as a 31-bit positive int. */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = s; k < e; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
  return h & 0x7fffffff;
}
