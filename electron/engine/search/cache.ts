/**
 * Persistent cache of derived data (the line index; other engines may add their own entries),
 * in the user's cache folder, keyed by the identity of the sources: path, size, mtime and a hash
 * of each file's head and tail. Entries carry a checksum; a stale or corrupt entry is deleted and
 * reported as a miss, so the caller rebuilds. The folder has a size cap (oldest used go first).
 */
import { promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { folderFiles } from '../sources/folder-files.js';

const MAGIC = Buffer.from('PXLC');
const FORMAT = 1;
/** Bytes hashed at each end of every source file. */
const EDGE_BYTES = 64 << 10;
export const DEFAULT_CAP_BYTES = 2 * 1024 ** 3;

export function cacheDir(): string {
  if (process.env.PEXLENS_CACHE_DIR) return resolve(process.env.PEXLENS_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'pexlens');
}

export function cacheCap(): number {
  const v = Number(process.env.PEXLENS_CACHE_MAX_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_CAP_BYTES;
}

export interface SourceIdentity {
  key: string;
  files: Array<{ path: string; size: number; mtimeMs: number; edges: string }>;
}

async function listFiles(p: string, out: string[]): Promise<void> {
  if ((await fsp.stat(p)).isDirectory()) for (const f of await folderFiles(p)) out.push(resolve(f));
  else out.push(resolve(p));
}

async function edgeHash(path: string, size: number): Promise<string> {
  const h = createHash('sha256');
  const fh = await fsp.open(path, 'r');
  try {
    const head = Buffer.allocUnsafe(Math.min(EDGE_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    h.update(head);
    if (size > EDGE_BYTES) {
      const tail = Buffer.allocUnsafe(Math.min(EDGE_BYTES, size - EDGE_BYTES));
      await fh.read(tail, 0, tail.length, size - tail.length);
      h.update(tail);
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * Edge hashes already taken in this process, by path, with what the file's inode said then. An
 * open asks for the sources' identity once per kind of entry (line tables, line index, calls), so
 * each file's ends are read once, not three times (a folder of 2 000 files: ~1.2 s each time).
 * Any write to the file changes its ctime, which the kernel sets and no one can set back: a file
 * whose inode, size, mtime and ctime are those seen is the file that was hashed.
 */
const edgesSeen = new Map<string, { ino: number; size: number; mtimeMs: number; ctimeMs: number; edges: string }>();
const EDGES_KEPT = 100_000;
/** Files stat'ed and hashed at once: their reads overlap instead of waiting on each other. */
const CONCURRENCY = 16;

async function fileIdentity(path: string): Promise<SourceIdentity['files'][number]> {
  const st = await fsp.stat(path);
  // a pipe (`pexlens info <(zcat …)`) has no identity, and reading its head here would take
  // those bytes from the load
  if (!st.isFile()) throw new Error(`${path}: not a regular file, nothing cached`);
  const seen = edgesSeen.get(path);
  let edges: string;
  if (seen && seen.ino === st.ino && seen.size === st.size && seen.mtimeMs === st.mtimeMs && seen.ctimeMs === st.ctimeMs) edges = seen.edges;
  else {
    edges = await edgeHash(path, st.size);
    if (edgesSeen.size >= EDGES_KEPT) edgesSeen.clear();
    edgesSeen.set(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, edges });
  }
  return { path, size: st.size, mtimeMs: Math.floor(st.mtimeMs), edges };
}

/** Identity of the sources the user gave (folders walked), as a cache key. */
export async function sourceIdentity(paths: string[], salt = ''): Promise<SourceIdentity> {
  const all: string[] = [];
  for (const p of paths) await listFiles(p, all);
  const files: SourceIdentity['files'] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const k = next++;
      files[k] = await fileIdentity(all[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, all.length) }, worker));
  const key = createHash('sha256').update(JSON.stringify({ salt, files })).digest('hex').slice(0, 40);
  return { key, files };
}

function entryPath(key: string, kind: string): string {
  return join(cacheDir(), `${key}.${kind}.pxc`);
}

export type CacheMiss = 'absent' | 'corrupt' | 'stale';

/** Reads an entry; a corrupt or stale one is removed. */
export async function cacheGet(id: SourceIdentity, kind: string): Promise<{ meta: unknown; payload: Buffer } | { miss: CacheMiss }> {
  const path = entryPath(id.key, kind);
  let data: Buffer;
  try {
    data = await fsp.readFile(path);
  } catch {
    return { miss: 'absent' };
  }
  const bad = async (miss: CacheMiss) => {
    await fsp.rm(path, { force: true });
    return { miss };
  };
  if (data.length < 16 || !data.subarray(0, 4).equals(MAGIC)) return bad('corrupt');
  if (data.readUInt32LE(4) !== FORMAT) return bad('stale');
  const headerLen = data.readUInt32LE(8);
  if (12 + headerLen + 4 > data.length) return bad('corrupt');
  if ((await crcOf([data.subarray(0, data.length - 4)])) !== data.readUInt32LE(data.length - 4)) return bad('corrupt');
  let header: { files: SourceIdentity['files']; kind: string; meta: unknown };
  try {
    header = JSON.parse(data.toString('utf8', 12, 12 + headerLen));
  } catch {
    return bad('corrupt');
  }
  if (header.kind !== kind || JSON.stringify(header.files) !== JSON.stringify(id.files)) return bad('stale');
  const now = new Date();
  await fsp.utimes(path, now, now).catch(() => {});
  return { meta: header.meta, payload: data.subarray(12 + headerLen, data.length - 4) };
}

/** Writes an entry atomically, then trims the folder to its size cap. */
export async function cachePut(id: SourceIdentity, kind: string, meta: unknown, parts: ArrayBufferView[]): Promise<void> {
  const dir = cacheDir();
  await fsp.mkdir(dir, { recursive: true });
  let header = Buffer.from(JSON.stringify({ files: id.files, kind, meta }), 'utf8');
  // spaces after the JSON put the payload at a multiple of 8 bytes: readers can view typed arrays in place
  const pad = (8 - ((12 + header.length) & 7)) & 7;
  if (pad) header = Buffer.concat([header, Buffer.alloc(pad, 0x20)]);
  const head = Buffer.alloc(12);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(FORMAT, 4);
  head.writeUInt32LE(header.length, 8);
  // written piece by piece (no copy of the whole entry) and checksummed in slices with a yield
  // between them, so an engine thread that saves a large entry keeps answering requests
  const pieces = [head, header, ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))];
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(await crcOf(pieces), 0);
  const path = entryPath(id.key, kind);
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  const fh = await fsp.open(tmp, 'w');
  try {
    for (const piece of [...pieces, crc]) {
      for (let at = 0; at < piece.length; ) {
        const { bytesWritten } = await fh.write(piece, at, Math.min(SLICE, piece.length - at));
        at += bytesWritten;
      }
    }
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await fsp.rename(tmp, path);
  await trimCache(cacheCap(), path);
}

/**
 * Reads a payload's typed arrays in the order they were put: views into it where aligned (cachePut
 * places the payload at a multiple of 8 bytes), else copies.
 */
export class PayloadReader {
  private off = 0;
  constructor(private readonly payload: Buffer) {}

  /** n elements at the current place, or null when the payload is shorter. */
  take<T>(ctor: { new (b: ArrayBuffer, at?: number, n?: number): T; BYTES_PER_ELEMENT: number }, n: number): T | null {
    const bytes = n * ctor.BYTES_PER_ELEMENT;
    if (this.off + bytes > this.payload.length) return null;
    const at = this.payload.byteOffset + this.off;
    this.off += bytes;
    if (at % ctor.BYTES_PER_ELEMENT === 0) return new ctor(this.payload.buffer as ArrayBuffer, at, n);
    return new ctor(this.payload.buffer.slice(at, at + bytes) as ArrayBuffer);
  }

  /** Steps over padding. */
  skip(bytes: number): void {
    this.off += bytes;
  }

  /** True when every byte was read. */
  get atEnd(): boolean {
    return this.off === this.payload.length;
  }
}

/** Bytes checksummed (or written) between two yields to the event loop. */
const SLICE = 16 << 20;

/** CRC-32 of the concatenated pieces, computed in slices with a yield between them. */
async function crcOf(pieces: Uint8Array[]): Promise<number> {
  let crc = 0;
  for (const p of pieces) {
    for (let at = 0; at < p.length; at += SLICE) {
      crc = crc32(p.subarray(at, Math.min(p.length, at + SLICE)), crc);
      if (p.length > SLICE) await new Promise((r) => setImmediate(r));
    }
  }
  return crc >>> 0;
}

export interface CacheEntryInfo {
  file: string;
  bytes: number;
  used: string;
}

export async function cacheInfo(): Promise<{ dir: string; capBytes: number; bytes: number; entries: CacheEntryInfo[] }> {
  const dir = cacheDir();
  const entries: CacheEntryInfo[] = [];
  for (const n of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!n.endsWith('.pxc')) continue;
    const st = await fsp.stat(join(dir, n)).catch(() => null);
    if (st) entries.push({ file: n, bytes: st.size, used: st.mtime.toISOString() });
  }
  entries.sort((a, b) => b.used.localeCompare(a.used));
  return { dir, capBytes: cacheCap(), bytes: entries.reduce((s, e) => s + e.bytes, 0), entries };
}

/** Removes every entry (only our own files: `*.pxc` and leftovers `*.tmp`). */
export async function cacheClear(): Promise<{ removed: number; bytes: number }> {
  const dir = cacheDir();
  let removed = 0, bytes = 0;
  for (const n of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!n.endsWith('.pxc') && !n.endsWith('.tmp')) continue;
    const st = await fsp.stat(join(dir, n)).catch(() => null);
    await fsp.rm(join(dir, n), { force: true });
    removed++;
    bytes += st?.size ?? 0;
  }
  return { removed, bytes };
}

/** Deletes least recently used entries until the folder fits the cap (keeping `keep`). */
async function trimCache(cap: number, keep: string): Promise<void> {
  const info = await cacheInfo();
  let total = info.bytes;
  for (const e of [...info.entries].reverse()) {
    if (total <= cap) break;
    const p = join(info.dir, e.file);
    if (p === keep) continue;
    await fsp.rm(p, { force: true });
    total -= e.bytes;
  }
}
