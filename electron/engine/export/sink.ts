/**
 * Output side of an export: batches writes into ~1 MB pieces, waits for 'drain' (so an excerpt
 * of GBs never piles up in memory), counts bytes, reports progress at most every 100 ms and
 * stops promptly when the AbortSignal fires.
 */

export class ExportAborted extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'AbortError';
  }
}

export class Sink {
  bytes = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private lastReport = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly signal?: AbortSignal,
    private readonly progress?: (done: number, total: number) => void,
    private readonly batch = 1 << 20,
  ) {}

  async write(data: Buffer | string): Promise<void> {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    this.check();
    if (!this.size) return;
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.bytes += this.size;
    this.size = 0;
    if (!this.out.write(all)) await waitDrain(this.out, this.signal);
  }

  check(): void {
    if (this.signal?.aborted) throw new ExportAborted();
  }

  /** Progress callback, throttled; `force` for the final call. */
  report(done: number, total: number, force = false): void {
    if (!this.progress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < 100) return;
    this.lastReport = now;
    this.progress(done, total);
  }
}

function waitDrain(out: NodeJS.WritableStream, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      out.removeListener('drain', done);
      out.removeListener('error', fail);
      out.removeListener('close', done);
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const fail = (e: Error) => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      signal?.removeEventListener('abort', abort);
      reject(e);
    };
    const abort = () => fail(new ExportAborted());
    out.once('drain', done);
    out.once('error', fail);
    out.once('close', done);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
