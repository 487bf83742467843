/**
 * Opening a bundle together with its line index: from the cache when the sources are unchanged,
 * else built by worker threads while the bundle loads, then saved for next time.
 */
import { openBundle } from '../session.js';
import type { OpenBundleOptions, Session } from '../session.js';
import { IndexBuilder, LineIndex } from './line-index.js';
import type { SegmentData } from './segment.js';
import { cacheGet, cachePut, sourceIdentity } from './cache.js';
import type { CacheMiss } from './cache.js';

/** Bumped whenever the segment layout or the tokenizer changes: old entries become stale. */
export const INDEX_VERSION = 'lineindex-1';

export type IndexSource = 'cache' | `built (${CacheMiss})` | 'built (no cache)';

interface SegMeta {
  lines: number;
  blocks: number;
  words: number;
}

export function serializeIndex(index: LineIndex): { meta: unknown; parts: Uint8Array[] } {
  const segs: SegMeta[] = [];
  const parts: Uint8Array[] = [];
  for (const s of index.segments) {
    segs.push({ lines: s.lines, blocks: s.blockLine.length - 1, words: s.bloom.length });
    parts.push(u8(s.blockLine), u8(s.blockByte), u8(s.blockWord), u8(s.bloom), u8(s.nonAscii));
    const pad = (4 - (s.nonAscii.length & 3)) & 3;
    if (pad) parts.push(new Uint8Array(pad));
  }
  return { meta: { version: INDEX_VERSION, segments: segs, chunkBytes: [...index.chunkBytes] }, parts };
}

export function deserializeIndex(meta: unknown, payload: Buffer): LineIndex | null {
  const m = meta as { version?: string; segments?: SegMeta[]; chunkBytes?: number[] };
  if (m?.version !== INDEX_VERSION || !Array.isArray(m.segments) || !Array.isArray(m.chunkBytes)) return null;
  let off = 0;
  const take = (bytes: number): ArrayBuffer => {
    if (off + bytes > payload.length) throw new Error('short');
    const ab = payload.buffer.slice(payload.byteOffset + off, payload.byteOffset + off + bytes) as ArrayBuffer;
    off += bytes;
    return ab;
  };
  try {
    const segments: SegmentData[] = m.segments.map((s) => {
      const blockLine = new Uint32Array(take((s.blocks + 1) * 4));
      const blockByte = new Uint32Array(take((s.blocks + 1) * 4));
      const blockWord = new Uint32Array(take((s.blocks + 1) * 4));
      const bloom = new Int32Array(take(s.words * 4));
      const naLen = (s.lines + 8) >>> 3;
      const nonAscii = new Uint8Array(take(naLen));
      off += (4 - (naLen & 3)) & 3;
      if (blockWord[s.blocks] !== s.words || blockLine[s.blocks] !== s.lines) throw new Error('inconsistent');
      return { lines: s.lines, blockLine, blockByte, blockWord, bloom, nonAscii };
    });
    if (off !== payload.length) return null;
    return new LineIndex(segments, Uint32Array.from(m.chunkBytes));
  } catch {
    return null;
  }
}

function u8(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export interface IndexedSession {
  session: Session;
  index: LineIndex;
  source: IndexSource;
}

/** Opens the bundle and its index; `cache: false` neither reads nor writes the cache. */
export async function openIndexed(paths: string[], opts: OpenBundleOptions & { cache?: boolean; workers?: number } = {}): Promise<IndexedSession> {
  const useCache = opts.cache !== false;
  const id = useCache ? await sourceIdentity(paths, INDEX_VERSION) : null;
  let miss: CacheMiss | null = null;
  if (id) {
    const got = await cacheGet(id, 'lineindex');
    if ('payload' in got) {
      const index = deserializeIndex(got.meta, got.payload);
      const session = await openBundle(paths, opts);
      if (index && index.fits(session.store)) return { session, index, source: 'cache' };
      // unreadable or built from a different split of the same bytes: rebuild from the loaded store
      const rebuilt = await LineIndex.build(session, { workers: opts.workers });
      await save(id, rebuilt, opts.warn);
      return { session, index: rebuilt, source: 'built (stale)' };
    }
    miss = got.miss;
  }
  const builder = new IndexBuilder({ workers: opts.workers });
  try {
    const session = await openBundle(paths, {
      ...opts,
      onChunk: (chunk, c, first, n) => {
        builder.onChunk(chunk, c, first, n);
        opts.onChunk?.(chunk, c, first, n);
      },
    });
    const index = await builder.finish(session.store);
    if (id) await save(id, index, opts.warn);
    return { session, index, source: miss ? `built (${miss})` : 'built (no cache)' };
  } finally {
    builder.close();
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
