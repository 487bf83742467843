/**
 * An opened bundle: loads every source into one line store, reports progress, can be
 * cancelled, and computes the merged view order once all files are in.
 */
import { openSources, diskSize } from './sources/open-sources.js';
import type { LogFile } from './sources/open-sources.js';
import { LineStore } from './lines/line-store.js';
import { buildStreams, gapWarning, rotationGaps } from './lines/streams.js';
import { clockWarnings } from './correlate/clock.js';
import type { FileRecord } from './lines/line-store.js';
import { ChunkPool, FileIngest } from './lines/ingest.js';
import type { ChunkSink } from './lines/ingest.js';
import { restoreTables, saveTables, tableIdentity } from './lines/table-cache.js';
import type { TableMiss } from './lines/table-cache.js';
import type { LoadProgress, PlatformInfo } from '../api.js';

export interface OpenBundleOptions {
  password?: string;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  /** Called for each chunk of lines as it is committed (index workers subscribe here). */
  onChunk?: ChunkSink;
  warn?: (message: string) => void;
  /**
   * Use the persistent line table cache (lines/table-cache.ts): an unchanged bundle of plain files
   * is read back without parsing; after a parse the tables are saved (in the background, see
   * `Session.tablesSaved`). Off by default.
   */
  tableCache?: boolean;
}

export class Session {
  readonly store = new LineStore();
  readonly warnings: string[] = [];
  /** The snapshots' platform status files (sources/platform.ts), in the order read. */
  readonly platforms: PlatformInfo[] = [];
  readonly paths: string[];
  loaded = false;
  /** True when a file came out of an encrypted snapshot: then nothing derived from it is cached. */
  encrypted = false;
  /** How the line table cache served this load: 'hit', why it missed, or null when not used. */
  tableCache: 'hit' | TableMiss | null = null;
  /** Resolves when the line tables are saved to the cache (true) or not (false). */
  tablesSaved: Promise<boolean> = Promise.resolve(false);

  constructor(paths: string[]) {
    this.paths = paths;
  }

  async load(opts: OpenBundleOptions = {}): Promise<void> {
    const store = this.store;
    const progress: LoadProgress = { diskBytes: 0, diskTotal: await diskSize(this.paths), bytes: 0, lines: 0, file: null, done: false };
    let lastReport = 0;
    let lastYield = Date.now();
    // loading runs on the engine's thread: give queued requests (first rows, cancel) a turn
    const breathe = async () => {
      if (Date.now() - lastYield < 30) return;
      await new Promise((r) => setImmediate(r));
      lastYield = Date.now();
    };
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < 100) return;
      lastReport = now;
      progress.lines = store.count;
      // a plain file's first block is counted by the sniffing reader and again by the direct read
      opts.onProgress?.({ ...progress, diskBytes: Math.min(progress.diskBytes, progress.diskTotal) });
    };
    const warn = (m: string) => {
      this.warnings.push(m);
      opts.warn?.(m);
      const current = store.files[store.files.length - 1];
      if (current && m.startsWith(current.display)) current.warnings.push(m);
    };
    // -- table cache hook (lines/table-cache.ts): on a hit the store is filled without parsing
    const tableId = opts.tableCache ? await tableIdentity(this.paths) : null;
    if (tableId) {
      const onBytes = (n: number) => {
        progress.diskBytes += n;
        progress.bytes += n;
        report();
      };
      const miss = await restoreTables(this, tableId, { onChunk: opts.onChunk, onBytes, signal: opts.signal });
      this.tableCache = miss ?? 'hit';
      if (!miss) {
        this.loaded = true;
        progress.done = true;
        report(true);
        return;
      }
    }
    const diskPaths: Array<string | undefined> = []; // per store file: the plain file it was read from
    // -- end of the table cache hook
    const files = openSources(this.paths, {
      password: opts.password,
      signal: opts.signal,
      warn,
      onPlatform: (p) => this.platforms.push(p),
      onDiskBytes: (n) => {
        progress.diskBytes += n;
        report();
      },
    });
    const pool = new ChunkPool(); // chunks a sink releases, reused across files
    /** Reads one log file into the store (its record added first). */
    const loadFile = async (lf: LogFile): Promise<void> => {
      const rec = this.addFile(lf);
      if (lf.encrypted) this.encrypted = true;
      diskPaths[rec.id] = lf.diskPath; // table cache
      progress.file = lf.display;
      const ingest = new FileIngest(store, rec.id, opts.onChunk, pool);
      try {
        if (lf.diskPath) {
          await ingest.readFile(lf.diskPath, (n) => {
            progress.diskBytes += n;
            progress.bytes += n;
            report();
          }, opts.signal, breathe);
        } else for await (const piece of lf.data) {
          if (opts.signal?.aborted) throw new Error('cancelled');
          ingest.push(piece);
          progress.bytes += piece.length;
          report();
          await breathe();
        }
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        warn(`${lf.display}: reading stopped (${(e as Error).message}); the readable part is loaded`);
      }
      ingest.finish();
      rec.bytes = ingest.bytes;
      rec.lineCount = store.count - rec.firstLine;
      rec.damaged = ingest.damaged;
      // a file none of whose lines has a time is not a log in this layout (a wrong file, or another
      // tool's format): loaded all the same, and said
      if (rec.lineCount > 0 && !hasTime(store, rec.firstLine, store.count)) {
        warn(`${lf.display}: none of its ${rec.lineCount} lines begins with a syslog time (is it a Pexip log?); its lines are shown as they are, without times`);
      }
      report(true);
    };
    let sized = false;
    const it = files[Symbol.asyncIterator]();
    let ahead = it.next();
    try {
      for (let r = await ahead; !r.done; r = await ahead) {
        const lf = r.value;
        if (lf.diskPath) {
          // read from disk on its own: the sources move on to the next file (stat, open, sniff)
          // meanwhile, so a folder of many files does not wait on each one's round trips. An
          // archive entry's bytes come through the sources, which move on once they are read.
          ahead = it.next();
          ahead.catch(() => undefined); // awaited in turn; never an unhandled rejection meanwhile
        }
        await loadFile(lf);
        if (!lf.diskPath) ahead = it.next();
        if (!sized && progress.bytes >= 1 << 20) {
          // size the columns for the whole bundle from the lines so far: a folder of small files
          // never fills a chunk, where FileIngest sizes them per file, and would grow them by
          // doubling copies, then trim them. What is left on disk is compressed for some
          // sources: it may still grow after this, then it grows as before.
          sized = true;
          const left = Math.max(0, progress.diskTotal - progress.diskBytes);
          store.reserve(store.count + Math.ceil((left / progress.bytes) * store.count * 1.05) + 1024);
        }
      }
    } finally {
      // a cancelled load: the sources finish the step they are on, then close
      await it.return?.(undefined).catch(() => undefined);
    }
    store.trim();
    buildStreams(store);
    // the bundle's warnings, not the last file's (a file's name may begin a missing file's)
    for (const m of [...rotationGaps(store).map(gapWarning), ...clockWarnings(store)]) this.warnings.push(m), opts.warn?.(m);
    this.loaded = true;
    // table cache: saved in the background so `loaded` is not delayed by the write
    if (tableId) this.tablesSaved = saveTables(this, diskPaths, tableId, opts.warn);
    progress.done = true;
    report(true);
  }

  private addFile(lf: LogFile): FileRecord {
    const store = this.store;
    if (store.files.length >= 0xffff) throw new Error('too many files (65535 at most)');
    const rec: FileRecord = { id: store.files.length, display: lf.display, root: lf.root, stream: lf.stream, rotation: lf.rotation, firstLine: store.count, lineCount: 0, bytes: 0, damaged: 0, warnings: [] };
    store.files.push(rec);
    return rec;
  }
}

export async function openBundle(paths: string[], opts: OpenBundleOptions = {}): Promise<Session> {
  const s = new Session(paths);
  await s.load(opts);
  return s;
}

/** True when a store line in [from, to) has a time. */
function hasTime(store: LineStore, from: number, to: number): boolean {
  const time = store.time.data;
  for (let i = from; i < to; i++) if (Number.isFinite(time[i]!)) return true;
  return false;
}
