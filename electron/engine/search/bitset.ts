/** Line sets as bitsets over store indexes: AND/OR/NOT of a million lines cost microseconds. */
export type Bits = Uint32Array;

export function newBits(n: number): Bits {
  return new Uint32Array((n + 31) >>> 5);
}

export function allBits(n: number): Bits {
  const b = newBits(n);
  b.fill(0xffffffff);
  const tail = n & 31;
  if (tail) b[b.length - 1] = (1 << tail) - 1;
  return b;
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function hasBit(b: Bits, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

export function andInto(a: Bits, b: Bits): Bits {
  for (let k = 0; k < a.length; k++) a[k]! &= b[k]!;
  return a;
}

export function orInto(a: Bits, b: Bits): Bits {
  for (let k = 0; k < a.length; k++) a[k]! |= b[k]!;
  return a;
}

/** a AND NOT b, into a. */
export function andNotInto(a: Bits, b: Bits): Bits {
  for (let k = 0; k < a.length; k++) a[k]! &= ~b[k]!;
  return a;
}

export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function count(b: Bits): number {
  let n = 0;
  for (let k = 0; k < b.length; k++) if (b[k]) n += popcount32(b[k]!);
  return n;
}

/** Number of set bits in [from, to). */
export function countRange(b: Bits, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; ) {
    if ((i & 31) === 0 && i + 32 <= to) {
      n += popcount32(b[i >>> 5]!);
      i += 32;
    } else {
      if (hasBit(b, i)) n++;
      i++;
    }
  }
  return n;
}

/** True when any bit in [from, to) is set. */
export function anyInRange(b: Bits, from: number, to: number): boolean {
  for (let i = from; i < to; ) {
    if ((i & 31) === 0 && i + 32 <= to) {
      if (b[i >>> 5]) return true;
      i += 32;
    } else {
      if (hasBit(b, i)) return true;
      i++;
    }
  }
  return false;
}

/** Calls fn for each set bit, ascending. */
export function forEachBit(b: Bits, fn: (i: number) => void): void {
  for (let k = 0; k < b.length; k++) {
    let w = b[k]!;
    while (w) {
      const low = w & -w;
      fn((k << 5) + 31 - Math.clz32(low));
      w ^= low;
    }
  }
}
