// Deterministic PRNG (mulberry32) and small helpers used by the generator.

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Next unsigned 32-bit integer. */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [a, b] (inclusive). */
  range(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)]!;
  }
  /** Pick from [weight, value] pairs. */
  weighted<T>(pairs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const p of pairs) total += p[0];
    let r = this.next() * total;
    for (const p of pairs) {
      r -= p[0];
      if (r < 0) return p[1];
    }
    return pairs[pairs.length - 1]![1];
  }
  /** Exponential with given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  hex8(): string {
    const x = this.u32();
    return HEX2[x >>> 24]! + HEX2[(x >>> 16) & 255]! + HEX2[(x >>> 8) & 255]! + HEX2[x & 255]!;
  }
  /** n lowercase hex chars. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.hex8();
    return s.slice(0, n);
  }
  uuid(): string {
    const h = this.hex8() + this.hex8() + this.hex8() + this.hex8();
    return (
      h.slice(0, 8) + '-' + h.slice(8, 12) + '-4' + h.slice(13, 16) + '-' +
      '89ab'[this.u32() & 3] + h.slice(17, 20) + '-' + h.slice(20, 32)
    );
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
  b64(n: number): string {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += A[this.u32() & 63];
    return s;
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }
}
