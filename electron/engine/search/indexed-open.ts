/**
 * Opening a bundle together with its line index: from the cache when the sources are unchanged,
 * else built by worker threads while the bundle loads, then saved for next time.
 */
import { openBundle } from '../session.js';
import type { OpenBundleOptions, Session } from '../session.js';
import { IndexBuilder, LineIndex } from './line-index.js';
import type { SegmentData } from './segment.js';
import { cacheGet, cachePut, PayloadReader, sourceIdentity } from './cache.js';
import type { CacheMiss } from './cache.js';

/** Bumped whenever the segment layout or the tokenizer changes: old entries become stale. */
export const INDEX_VERSION = 'lineindex-7';

export type IndexSource = 'cache' | `built (${CacheMiss})` | 'built (no cache)';

interface SegMeta {
  lines: number;
  blocks: number;
  words: number;
  /** Frequent tokens, their bytes, their postings (32-bit words). */
  top: number;
  topBytes: number;
  post: number;
}

export function serializeIndex(index: LineIndex): { meta: unknown; parts: ArrayBufferView[] } {
  const segs: SegMeta[] = [];
  const parts: ArrayBufferView[] = [];
  for (const s of index.segments) {
    segs.push({ lines: s.lines, blocks: s.blockLine.length - 1, words: s.bloom.length, top: s.topKeys.length, topBytes: s.topBytes.length, post: s.postings.length });
    parts.push(s.blockLine, s.blockByte, s.blockWord, s.bloom, s.topKeys, s.topOff, s.postOff, s.postings, s.nonAscii, s.postKind, s.topBytes);
    const pad = (4 - ((s.nonAscii.length + s.postKind.length + s.topBytes.length) & 3)) & 3;
    if (pad) parts.push(new Uint8Array(pad));
  }
  return { meta: { version: INDEX_VERSION, segments: segs, chunkBytes: [...index.chunkBytes] }, parts };
}

export function deserializeIndex(meta: unknown, payload: Buffer): LineIndex | null {
  const m = meta as { version?: string; segments?: SegMeta[]; chunkBytes?: number[] };
  if (m?.version !== INDEX_VERSION || !Array.isArray(m.segments) || !Array.isArray(m.chunkBytes)) return null;
  const r = new PayloadReader(payload);
  const take = <T>(ctor: { new (b: ArrayBuffer, at?: number, n?: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
    const v = r.take(ctor, n);
    if (v === null) throw new Error('short');
    return v;
  };
  try {
    const segments: SegmentData[] = m.segments.map((s) => {
      const blockLine = take(Uint32Array, s.blocks + 1);
      const blockByte = take(Uint32Array, s.blocks + 1);
      const blockWord = take(Uint32Array, s.blocks + 1);
      const bloom = take(Int32Array, s.words);
      const topKeys = take(Int32Array, s.top);
      const topOff = take(Uint32Array, s.top + 1);
      const postOff = take(Uint32Array, s.top + 1);
      const postings = take(Uint32Array, s.post);
      const naLen = (s.lines + 8) >>> 3;
      const nonAscii = take(Uint8Array, naLen);
      const postKind = take(Uint8Array, s.top);
      const topBytes = take(Uint8Array, s.topBytes);
      r.skip((4 - ((naLen + s.top + s.topBytes) & 3)) & 3);
      if (blockWord[s.blocks] !== s.words || blockLine[s.blocks] !== s.lines) throw new Error('inconsistent');
      if (topOff[s.top] !== s.topBytes || postOff[s.top] !== s.post) throw new Error('inconsistent');
      return { lines: s.lines, blockLine, blockByte, blockWord, bloom, nonAscii, topKeys, topOff, topBytes, postKind, postOff, postings };
    });
    if (!r.atEnd) return null;
    return new LineIndex(segments, Uint32Array.from(m.chunkBytes));
  } catch {
    return null;
  }
}

export interface IndexedSession {
  session: Session;
  index: LineIndex;
  source: IndexSource;
}

type OpenIndexedOptions = OpenBundleOptions & { cache?: boolean; workers?: number };

/** Opens the bundle and its index; `cache: false` neither reads nor writes the cache. */
export async function openIndexed(paths: string[], opts: OpenIndexedOptions = {}): Promise<IndexedSession> {
  const o = await openIndexing(paths, opts, 'always');
  return { session: o.session, index: o.index ?? (await o.indexing!), source: o.source };
}

export interface QuerySession {
  session: Session;
  /** The cached index, or null: searches scan. */
  index: LineIndex | null;
  /** The index being built beside, settled once it is saved to the cache (null: nothing to wait for). */
  indexing: Promise<unknown> | null;
}

/**
 * For one query (the CLI): the session as soon as it is loaded. A cached index that fits comes
 * with it; else the query scans, which for one query is sooner than waiting for the build
 * (docs/benchmarks.md), while the index builds beside for the next open and is saved when
 * `indexing` settles. Without the cache no index is built at all.
 */
export async function openForQuery(paths: string[], opts: OpenIndexedOptions = {}): Promise<QuerySession> {
  const o = await openIndexing(paths, opts, 'to save');
  return { session: o.session, index: o.index, indexing: o.indexing };
}

/**
 * The session as soon as it is loaded, with the cached index when one fits, else with the index
 * started (`indexing`, which saves it to the cache too): always, or only when it can be saved.
 * Stale entries are rebuilt from the loaded store. openIndexed and openForQuery are this.
 */
export async function openIndexing(paths: string[], opts: OpenIndexedOptions, when: 'always' | 'to save'): Promise<{ session: Session; index: LineIndex | null; indexing: Promise<LineIndex> | null; source: IndexSource }> {
  const useCache = opts.cache !== false;
  // the line tables are cached too (lines/table-cache.ts) unless the caller says otherwise
  if (useCache && opts.tableCache === undefined) opts = { ...opts, tableCache: true };
  // no identity (a pipe, a path that is not there): nothing cached; the load says what is wrong
  const id = useCache ? await sourceIdentity(paths, INDEX_VERSION).catch(() => null) : null;
  const build = when === 'always' || id !== null;
  const saved = (session: Session) => async (index: LineIndex) => {
    if (id && !session.encrypted) await save(id, index, opts.warn);
    await session.tablesSaved;
    return index;
  };
  let miss: CacheMiss | null = null;
  if (id) {
    const got = await cacheGet(id, 'lineindex');
    if ('payload' in got) {
      const index = deserializeIndex(got.meta, got.payload);
      const session = await openBundle(paths, opts);
      if (index && index.fits(session.store)) {
        await session.tablesSaved;
        return { session, index, indexing: null, source: 'cache' };
      }
      // unreadable or built from a different split of the same bytes: rebuild from the loaded store
      const indexing = LineIndex.build(session, { workers: opts.workers }).then(saved(session));
      return { session, index: null, indexing, source: 'built (stale)' };
    }
    miss = got.miss;
  }
  const source: IndexSource = miss ? `built (${miss})` : 'built (no cache)';
  if (!build) return { session: await openBundle(paths, opts), index: null, indexing: null, source };
  const builder = new IndexBuilder({ workers: opts.workers });
  try {
    const session = await openBundle(paths, {
      ...opts,
      onChunk: (chunk, c, first, n, store) => {
        builder.onChunk(chunk, c, first, n, store);
        opts.onChunk?.(chunk, c, first, n, store);
      },
    });
    const indexing = builder
      .finish(session.store)
      .then(saved(session))
      .finally(() => builder.close());
    return { session, index: null, indexing, source };
  } catch (e) {
    builder.close();
    throw e;
  }
}

async function save(id: Awaited<ReturnType<typeof sourceIdentity>>, index: LineIndex, warn?: (m: string) => void): Promise<void> {
  const { meta, parts } = serializeIndex(index);
  try {
    await cachePut(id, 'lineindex', meta, parts);
  } catch (e) {
    warn?.(`index cache: cannot write (${(e as Error).message}); searches still work`);
  }
}

/**
 * The line index of a session loaded with `builder` subscribed to its chunks (the app's engine
 * host): from the cache when an entry fits the store (the builder is then dropped), else the
 * builder's, saved for next time. Cache errors never fail it.
 */
export async function indexForSession(session: Session, builder: IndexBuilder, warn?: (m: string) => void): Promise<LineIndex> {
  const id = await sourceIdentity(session.paths, INDEX_VERSION).catch(() => null);
  if (id) {
    const got = await cacheGet(id, 'lineindex').catch(() => ({ miss: 'absent' as const }));
    if ('payload' in got) {
      const index = deserializeIndex(got.meta, got.payload);
      if (index && index.fits(session.store)) {
        builder.close();
        return index;
      }
    }
  }
  const index = await builder.finish(session.store);
  // an encrypted snapshot's index holds its frequent words in plain text: not kept on disk
  if (id && !session.encrypted) await save(id, index, warn);
  return index;
}
