/**
 * Maps short strings (node names, module names) to small integers. `idOfBytes` interns straight
 * from a Buffer range by hashing the bytes, so the ingest loop makes no string per line.
 */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly byHash = new Map<number, number>();
  private readonly bytesOf: Buffer[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
      this.bytesOf.push(Buffer.from(value, 'latin1'));
    }
    return id;
  }

  lookup(value: string): number | undefined {
    return this.ids.get(value);
  }

  /** Interns the latin1 text of b[s, e). */
  idOfBytes(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 ^ (e - s);
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    const id = this.byHash.get(h);
    if (id !== undefined) {
      const known = this.bytesOf[id]!;
      if (known.length === e - s) {
        let same = true;
        for (let k = 0; k < known.length; k++) if (known[k] !== b[s + k]) { same = false; break; }
        if (same) return id;
      }
      return this.id(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
    }
    const fresh = this.id(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
    this.byHash.set(h, fresh);
    return fresh;
  }
}
