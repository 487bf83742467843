/**
 * Persistent cache of the line tables (the LineStore's columns, interners, files, streams and
 * view order), so reopening an unchanged bundle only reads the bytes back into chunks with the
 * same boundaries and skips parsing every line. Lives beside the line index in the cache folder
 * (search/cache.ts: keyed by the sources' identity, checksummed, size-capped); a stale or corrupt
 * entry is a miss and the bundle is parsed as usual.
 *
 * Only bundles made entirely of plain files are cached: their chunks are byte ranges of the files
 * on disk. Compressed sources would have to be decompressed anyway, which is most of their cost.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { cacheGet, cachePut, PayloadReader, sourceIdentity } from '../search/cache.js';
import type { SourceIdentity } from '../search/cache.js';
import { Column } from './growable.js';
import type { FileRecord, LineStore, StreamRecord } from './line-store.js';
import type { ChunkSink } from './ingest.js';
import { ChunkPool } from './ingest.js';
import type { PlatformInfo } from '../../api.js';

/** Bump when the ingest's parsing changes what it stores (columns are also checked by name and type). */
// 2: a stream is a name family in one folder (lines/streams.ts): the saved streams and view order changed
// 4: the warnings saved with the tables name rotations missing between a stream's files, and node clocks that are off
// 5: a snapshot's platform status files are kept with the tables
// 6: the saved warnings name a file with no timed line
export const TABLE_VERSION = 'linetables-6';
const KIND = 'lines';

/** The store's per-line columns, in the order they are saved: widest first, so each stays aligned and is viewed in place. */
const COLUMNS = ['time', 'origin', 'chunk', 'start', 'end', 'name', 'node', 'file', 'level', 'flags'] as const;
type ColumnName = (typeof COLUMNS)[number];

interface TableMeta {
  version: string;
  count: number;
  columns: Array<{ name: ColumnName; type: string }>;
  /** Per chunk: its file (store file id) and byte length; a file's chunks are consecutive ranges of it. */
  chunkFile: number[];
  chunkLen: number[];
  /** Per file: the path read from disk. */
  diskPaths: string[];
  files: FileRecord[];
  streams: StreamRecord[];
  names: string[];
  nodes: string[];
  warnings: string[];
  platforms: PlatformInfo[];
  hasOrder: boolean;
}

function column(store: LineStore, name: ColumnName): Column<Uint8Array | Uint16Array | Uint32Array | Float64Array> {
  return store[name] as Column<Uint8Array | Uint16Array | Uint32Array | Float64Array>;
}

/** True when the store has exactly the columns this module knows (a new column must be added here first). */
function layoutKnown(store: LineStore): boolean {
  const found = Object.entries(store).filter(([, v]) => v instanceof Column).map(([k]) => k).sort();
  return JSON.stringify(found) === JSON.stringify([...COLUMNS].sort());
}

export interface TableSession {
  readonly store: LineStore;
  readonly paths: string[];
  readonly warnings: string[];
  readonly platforms: PlatformInfo[];
}

/** Identity of the sources for the table cache (null when they cannot be read). */
export async function tableIdentity(paths: string[]): Promise<SourceIdentity | null> {
  try {
    return await sourceIdentity(paths, TABLE_VERSION);
  } catch {
    return null;
  }
}

/**
 * Saves the tables of a loaded session. `diskPaths[fileId]` is the plain file each store file was
 * read from (undefined for compressed or archived ones: then nothing is saved). Never throws.
 */
export async function saveTables(session: TableSession, diskPaths: Array<string | undefined>, id: SourceIdentity | null, warn?: (m: string) => void): Promise<boolean> {
  const store = session.store;
  if (!id || store.files.length === 0 || store.count === 0 || !layoutKnown(store)) return false;
  const sizes = new Map(id.files.map((f) => [f.path, f.size]));
  for (const f of store.files) {
    const p = diskPaths[f.id];
    // every file plain, and read whole (a read error leaves a partial file: do not remember that)
    if (!p || sizes.get(resolve(p)) !== f.bytes) return false;
  }
  const chunkFile: number[] = [];
  const chunkLen: number[] = [];
  const first = new Uint32Array(store.chunks.length).fill(0xffffffff);
  for (let i = store.count - 1; i >= 0; i--) first[store.chunk.data[i]!] = i;
  for (let c = 0; c < store.chunks.length; c++) {
    if (first[c] === 0xffffffff) return false; // a chunk without lines: not a layout we can restore
    chunkFile.push(store.file.data[first[c]!]!);
    chunkLen.push(store.chunks[c]!.length);
  }
  const parts: ArrayBufferView[] = [];
  const columns: TableMeta['columns'] = [];
  for (const name of COLUMNS) {
    const data = column(store, name).data;
    columns.push({ name, type: data.constructor.name });
    parts.push(data.subarray(0, store.count));
  }
  // the view order goes after the 4-byte columns (keeps its alignment)
  if (store.order) parts.splice(5, 0, store.order);
  const meta: TableMeta = {
    version: TABLE_VERSION,
    count: store.count,
    columns,
    chunkFile,
    chunkLen,
    diskPaths: store.files.map((f) => resolve(diskPaths[f.id]!)),
    files: store.files,
    streams: store.streams,
    names: store.names.values,
    nodes: store.nodes.values,
    warnings: session.warnings,
    platforms: session.platforms,
    hasOrder: store.order !== null,
  };
  try {
    await cachePut(id, KIND, meta, parts);
    return true;
  } catch (e) {
    warn?.(`line table cache: cannot write (${(e as Error).message}); the bundle still opens`);
    return false;
  }
}

export type TableMiss = 'absent' | 'stale' | 'corrupt';

/**
 * Fills an empty store from the cache and reads the chunks back from the files. Returns null on a
 * hit, else why it missed (the store is then untouched). `onChunk` is called for every chunk, as
 * the ingest would.
 */
export async function restoreTables(
  session: TableSession,
  id: SourceIdentity | null,
  opts: { onChunk?: ChunkSink; onBytes?: (n: number) => void; signal?: AbortSignal } = {},
): Promise<TableMiss | null> {
  const store = session.store;
  if (!id) return 'absent';
  if (store.count !== 0 || store.chunks.length !== 0 || !layoutKnown(store)) return 'stale';
  const got = await cacheGet(id, KIND);
  if ('miss' in got) return got.miss;
  const m = got.meta as TableMeta;
  if (m?.version !== TABLE_VERSION || !Array.isArray(m.columns) || m.columns.length !== COLUMNS.length || !Array.isArray(m.platforms)) return 'stale';
  const payload = got.payload;
  // columns: views into the payload where aligned (the cache writes it so), else copies
  const cols = new Map<ColumnName, Uint8Array | Uint16Array | Uint32Array | Float64Array>();
  const r = new PayloadReader(payload);
  type Ctor = { new (b: ArrayBuffer, at?: number, n?: number): Uint8Array | Uint16Array | Uint32Array | Float64Array; BYTES_PER_ELEMENT: number };
  const take = (ctor: Ctor) => r.take(ctor, m.count);
  let order: Uint32Array | null = null;
  for (let k = 0; k < COLUMNS.length; k++) {
    const name = COLUMNS[k]!;
    const want = column(store, name).data;
    if (m.columns[k]!.name !== name || m.columns[k]!.type !== want.constructor.name) return 'stale';
    const data = take(want.constructor as Ctor);
    if (!data) return 'corrupt';
    cols.set(name, data);
    if (k === 4 && m.hasOrder) {
      order = take(Uint32Array) as Uint32Array | null;
      if (!order) return 'corrupt';
    }
  }
  if (!r.atEnd || m.chunkFile.length !== m.chunkLen.length || m.diskPaths.length !== m.files.length) return 'corrupt';
  if (m.count === 0 || m.names[0] !== '' || m.nodes[0] !== '' || new Set(m.names).size !== m.names.length || new Set(m.nodes).size !== m.nodes.length) return 'corrupt';
  // the bytes: each file's chunks are consecutive ranges of it, read straight into shared buffers,
  // a few reads in flight (copies out of the page cache run on the thread pool, side by side)
  const chunks: Buffer[] = [];
  const jobs: Array<{ c: number; f: number; at: number; len: number }> = [];
  const fileOff = new Array<number>(m.files.length).fill(0);
  for (let c = 0; c < m.chunkLen.length; c++) {
    const f = m.chunkFile[c]!;
    if (!(f >= 0 && f < m.files.length)) return 'corrupt';
    jobs.push({ c, f, at: fileOff[f]!, len: m.chunkLen[c]! });
    fileOff[f]! += m.chunkLen[c]!;
  }
  // every file read to its recorded length
  for (const f of m.files) if (fileOff[f.id] !== f.bytes) return 'corrupt';
  const handles = new Map<number, Promise<Awaited<ReturnType<typeof open>>>>();
  // the chunks carved as the ingest carves them (one mapping, large pages)
  const pool = new ChunkPool();
  let failed = false;
  try {
    let next = 0;
    const worker = async () => {
      while (next < jobs.length && !failed) {
        if (opts.signal?.aborted) throw new Error('cancelled');
        const { c, f, at, len } = jobs[next++]!;
        let fh = handles.get(f);
        if (!fh) handles.set(f, (fh = open(m.diskPaths[f]!, 'r')));
        const h = await fh;
        const buf = pool.fresh(len);
        let got = 0;
        while (got < len) {
          const r = await h.read(buf, got, len - got, at + got);
          if (!r.bytesRead) {
            failed = true; // the file is shorter than when it was cached
            return;
          }
          got += r.bytesRead;
        }
        opts.onBytes?.(len);
        chunks[c] = buf;
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return 'stale';
  } finally {
    for (const fh of handles.values()) await fh.then((h) => h.close()).catch(() => undefined);
  }
  if (failed) return 'stale';
  // all checks passed: fill the store
  for (const ch of chunks) store.chunks.push(ch);
  for (const name of COLUMNS) column(store, name).data = cols.get(name)!;
  store.count = m.count;
  for (let k = 1; k < m.names.length; k++) store.names.id(m.names[k]!);
  for (let k = 1; k < m.nodes.length; k++) store.nodes.id(m.nodes[k]!);
  store.files.push(...m.files);
  store.streams.push(...m.streams);
  store.order = order;
  session.warnings.push(...m.warnings);
  session.platforms.push(...m.platforms);
  if (opts.onChunk) {
    let line = 0;
    for (let c = 0; c < chunks.length; c++) {
      const first = line;
      const col = store.chunk.data;
      while (line < store.count && col[line] === c) line++;
      opts.onChunk(chunks[c]!, c, first, line - first, store);
    }
  }
  return null;
}
