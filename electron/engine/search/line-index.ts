/**
 * The line index of a bundle: one segment per store chunk (segment.ts), built in worker threads
 * as chunks arrive, so neither the UI nor the CLI waits on it; without it searches scan.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { LineStore } from '../lines/line-store.js';
import type { Session } from '../session.js';
import type { ChunkSink } from '../lines/ingest.js';
import { buildSegment } from './segment.js';
import type { SegmentData } from './segment.js';

/** Store lines of each chunk: chunk c holds store lines [first[c], first[c+1]). */
export function chunkFirstLines(store: LineStore): Uint32Array {
  const first = new Uint32Array(store.chunks.length + 1);
  const col = store.chunk.data;
  let c = 0;
  for (let i = 0; i < store.count; i++) {
    const ci = col[i]!;
    while (c < ci) first[++c] = i;
  }
  while (c < store.chunks.length) first[++c] = store.count;
  return first;
}

/**
 * Where each line of chunk c starts in it, then the chunk's length (a copy: the store's columns
 * may be reallocated); the segment builder's line table as is.
 */
function lineStarts(store: LineStore, c: number, first: number, count: number): Uint32Array {
  const starts = new Uint32Array(count + 1);
  starts.set(store.start.data.subarray(first, first + count));
  starts[count] = store.chunks[c]!.length;
  return starts;
}

interface Job {
  id: number;
  chunk: Buffer;
  starts: Uint32Array;
}

export class LineIndex {
  constructor(
    /** Segment of each store chunk (same index). */
    readonly segments: SegmentData[],
    /** Byte length of each chunk it was built from (guards a cache entry against a different store). */
    readonly chunkBytes: Uint32Array,
  ) {}

  /** Builds the index of a loaded session (worker threads; inline when workers are unavailable). */
  static async build(session: Session, opts: { workers?: number; signal?: AbortSignal } = {}): Promise<LineIndex> {
    const store = session.store;
    const first = chunkFirstLines(store);
    const builder = new IndexBuilder(opts);
    try {
      store.chunks.forEach((chunk, c) => builder.onChunk(chunk, c, first[c]!, first[c + 1]! - first[c]!, store));
      return await builder.finish(store);
    } finally {
      builder.close();
    }
  }

  /** True when this index was built from exactly this store's chunks (lines and bytes). */
  fits(store: LineStore): boolean {
    if (this.segments.length !== store.chunks.length) return false;
    const first = chunkFirstLines(store);
    for (let c = 0; c < store.chunks.length; c++) {
      if (this.chunkBytes[c] !== store.chunks[c]!.length || this.segments[c]!.lines !== first[c + 1]! - first[c]!) return false;
    }
    return true;
  }

  /** Memory held by the index, bytes. */
  byteSize(): number {
    let n = this.chunkBytes.byteLength;
    for (const s of this.segments) {
      n += s.bloom.byteLength + s.blockLine.byteLength + s.blockByte.byteLength + s.blockWord.byteLength + s.nonAscii.byteLength;
      n += s.topKeys.byteLength + s.topOff.byteLength + s.topBytes.byteLength + s.postKind.byteLength + s.postOff.byteLength + s.postings.byteLength;
    }
    return n;
  }
}

/**
 * Streams chunks to a small pool of worker threads (one per core, up to 4); `onChunk` plugs into
 * openBundle. Workers pull jobs one at a time from a queue. They run while the bundle loads too:
 * the ingest waits on reads and page faults often enough that, measured on 2 cores, keeping every
 * core on the index finishes sooner (~10 %) than leaving one to the ingest.
 */
export class IndexBuilder {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly jobs = new Map<number, { resolve: (s: SegmentData) => void; reject: (e: Error) => void; worker?: Worker }>();
  private readonly results: Array<Promise<SegmentData>> = [];
  private readonly bytes: number[] = [];
  private next = 0;
  private failed: Error | null = null;
  private closed = false;

  constructor(opts: { workers?: number } = {}) {
    const all = opts.workers ?? Math.max(1, Math.min(4, availableParallelism()));
    // started now: a worker takes a while to start (under tsx much longer)
    for (let k = 0; k < all; k++) if (!this.addWorker()) break;
  }

  private addWorker(): boolean {
    if (this.failed || this.closed) return false;
    const w = startWorker();
    if (!w) return false;
    w.on('message', (m: { id: number; seg?: SegmentData; error?: string }) => {
      const job = this.jobs.get(m.id);
      if (job) {
        this.jobs.delete(m.id);
        if (m.seg) job.resolve(m.seg);
        else job.reject(new Error(m.error ?? 'index worker failed'));
      }
      this.idle.push(w);
      this.pump();
    });
    w.on('error', (e) => {
      this.failed = e;
      for (const j of this.jobs.values()) j.reject(e);
      this.jobs.clear();
      // no more jobs go to workers: queued ones are built here
      this.idle.length = 0;
      for (const q of this.queue.splice(0)) this.runInline(q);
    });
    w.unref(); // an idle worker does not keep the process alive
    this.workers.push(w);
    this.idle.push(w);
    return true;
  }

  readonly onChunk: ChunkSink = (chunk, chunkIndex, firstLine, lineCount, store) => {
    this.bytes[chunkIndex] = chunk.length;
    this.results[chunkIndex] = this.submit(chunk, lineStarts(store, chunkIndex, firstLine, lineCount));
  };

  private submit(chunk: Buffer, starts: Uint32Array): Promise<SegmentData> {
    const id = this.next++;
    const p = new Promise<SegmentData>((resolve, reject) => this.jobs.set(id, { resolve, reject }));
    const job = { id, chunk, starts };
    if (this.workers.length === 0 || this.failed) this.runInline(job);
    else {
      this.queue.push(job);
      this.pump();
    }
    return p;
  }

  private runInline(job: Job): void {
    const j = this.jobs.get(job.id);
    if (!j) return;
    this.jobs.delete(job.id);
    Promise.resolve().then(() => buildSegment(job.chunk, job.starts)).then(j.resolve, j.reject);
  }

  /** Hands queued jobs to idle workers; a busy worker keeps the process alive. */
  private pump(): void {
    if (this.failed) for (const q of this.queue.splice(0)) this.runInline(q);
    while (this.queue.length && this.idle.length) {
      const w = this.idle.pop()!;
      const { id, chunk, starts } = this.queue.shift()!;
      let buf: SharedArrayBuffer | ArrayBuffer = chunk.buffer as ArrayBuffer;
      let off = chunk.byteOffset;
      if (!(chunk.buffer instanceof SharedArrayBuffer)) {
        const copy = new Uint8Array(chunk); // not shared: send a private copy
        buf = copy.buffer;
        off = 0;
      }
      w.ref();
      const transfer = [starts.buffer as ArrayBuffer];
      if (!(buf instanceof SharedArrayBuffer)) transfer.push(buf);
      w.postMessage({ id, buf, off, len: chunk.length, starts }, transfer);
    }
    for (const w of this.idle) w.unref();
  }

  /** Waits for all segments; the store must be the one whose chunks were fed. */
  async finish(store: LineStore): Promise<LineIndex> {
    const segments: SegmentData[] = [];
    const first = chunkFirstLines(store);
    const startsOf = (c: number) => lineStarts(store, c, first[c]!, first[c + 1]! - first[c]!);
    for (let c = 0; c < store.chunks.length; c++) {
      if (!this.results[c]) {
        // a chunk committed before the builder subscribed: build it now
        this.bytes[c] = store.chunks[c]!.length;
        this.results[c] = this.submit(store.chunks[c]!, startsOf(c));
      }
    }
    this.pump();
    for (let c = 0; c < store.chunks.length; c++) {
      // a worker that died takes its jobs with it: build those here
      segments.push(await this.results[c]!.catch(() => buildSegment(store.chunks[c]!, startsOf(c))));
    }
    this.close();
    return new LineIndex(segments, Uint32Array.from(this.bytes));
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.idle.length = 0;
  }
}

/** Starts an index worker; under tsx (sources) the worker registers tsx first. Null when impossible. */
function startWorker(): Worker | null {
  try {
    const here = import.meta.url;
    const ts = here.endsWith('.ts');
    const entry = new URL(ts ? './index-worker.ts' : './index-worker.js', here).href;
    const code = ts
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`
      : `import(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true });
  } catch {
    return null;
  }
}
