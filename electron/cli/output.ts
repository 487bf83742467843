/** Buffered, back-pressured writing to stdout (or a file) for outputs of any size. */
import type { Writable } from 'node:stream';

export class Out {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly stream: Writable = process.stdout, private readonly batch = 1 << 20) {}

  async write(data: Buffer | string): Promise<void> {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.size) return;
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(all)) await new Promise<void>((r) => this.stream.once('drain', r));
  }
}
