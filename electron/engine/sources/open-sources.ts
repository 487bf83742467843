/**
 * Turns the paths a user gives into log files, detected by content: plain text, gzip,
 * tar, zip and encrypted snapshots, nested in any order, read as streams.
 */
import { promises as fsp } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ByteStream } from './byte-stream.js';
import { collect, peek, through } from './byte-stream.js';
import { decryptStream, PasswordError } from './decrypt.js';
import { sniff, looksLikeLogText, foreignFormat, SNIFF_BYTES } from './sniff.js';
import { tarEntries, unsafeEntryName } from './archive-tar.js';
import { zipEntries } from './archive-zip.js';
import { streamOf, looksLikeLogName } from './names.js';
import { folderFiles } from './folder-files.js';
import { isPlatformFile, MAX_PLATFORM_BYTES, readPlatform } from './platform.js';
import type { PlatformInfo } from '../../api.js';

export interface LogFile {
  /** Where the file came from, e.g. `snap.tgz!var/log/unified_support.log.2.gz`. */
  display: string;
  /** The user-given path this file came from: streams of different roots never mix. */
  root: string;
  stream: string;
  rotation: number;
  data: ByteStream;
  /** Set when the file is plain text on disk: readers read it from there (no copy); `data` is then closed, empty. */
  diskPath?: string;
  /** Set when the file came out of an encrypted snapshot: nothing derived from it is cached. */
  encrypted?: boolean;
}

export interface OpenOptions {
  password?: string;
  signal?: AbortSignal;
  /** Bytes read from disk so far (compressed), for progress. */
  onDiskBytes?: (n: number) => void;
  warn: (message: string) => void;
  /** A snapshot's platform status file, read (sources/platform.ts). */
  onPlatform?: (p: PlatformInfo) => void;
}

export class SourceError extends Error {}

export async function diskSize(paths: string[]): Promise<number> {
  let total = 0;
  for (const p of paths) {
    const st = await fsp.stat(p).catch(() => null);
    if (!st) continue;
    if (!st.isDirectory()) total += st.size;
    else for (const f of await folderFiles(p)) total += (await fsp.stat(f).catch(() => null))?.size ?? 0;
  }
  return total;
}

/** The first read of a file: enough to sniff it (sniff.ts reads 4 KB at most). */
const FIRST_READ = 64 << 10;
const READ = 1 << 20;

/**
 * A file's bytes, a small first piece then 1 MB pieces. A plain text file is read again directly
 * once sniffed (LogFile.diskPath), so what it costs here is that first piece: a folder of
 * hundreds of files read no more than that of each (a full 1 MB piece each weighed on memory).
 */
async function* readDisk(path: string, opts: OpenOptions): ByteStream {
  const fh = await fsp.open(path, 'r');
  try {
    for (let size = FIRST_READ; ; size = READ) {
      if (opts.signal?.aborted) throw new Error('cancelled');
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (!bytesRead) return;
      opts.onDiskBytes?.(bytesRead);
      yield bytesRead < size ? buf.subarray(0, bytesRead) : buf;
    }
  } finally {
    await fh.close();
  }
}

/** Gunzip that keeps what was readable of a truncated file and says so. */
async function* gunzip(display: string, stream: ByteStream, opts: OpenOptions): ByteStream {
  try {
    yield* through(stream, createGunzip());
  } catch (e) {
    opts.warn(`${display}: compressed data is damaged or cut short (${(e as Error).message}); the readable part is loaded`);
  }
}

interface Candidate {
  display: string;
  root: string;
  name: string;
  data: ByteStream;
  /** Given by the user explicitly: loaded whatever its name or content. */
  explicit: boolean;
  diskPath?: string;
  encrypted?: boolean;
}

/**
 * An archive that cannot be read on: a warning naming it, and the entries read so far stay. A
 * password that is needed (an encrypted snapshot inside) or a cancelled load still ends the load.
 */
function damagedArchive(display: string, e: unknown, opts: OpenOptions): void {
  if (e instanceof PasswordError || opts.signal?.aborted) throw e;
  opts.warn(`${display}: archive is damaged or cut short (${(e as Error).message}); the readable part is loaded`);
}

async function* classify(c: Candidate, opts: OpenOptions): AsyncGenerator<LogFile> {
  const { head, stream } = await peek(c.data, SNIFF_BYTES);
  const kind = sniff(head);
  // a plain text or zip file on disk is read from there, by its path (or skipped): its sniffing
  // reader is closed now, so no file stays open meanwhile, and draining it reads nothing more
  if (c.diskPath && (kind === 'text' || kind === 'zip')) await stream[Symbol.asyncIterator]().return?.();
  switch (kind) {
    case 'encrypted': {
      let plain: ByteStream;
      try {
        plain = await decryptStream(c.display, stream, opts.password);
      } catch (e) {
        // no password, or a wrong one: the file is closed now, not when its reader is collected
        await stream[Symbol.asyncIterator]().return?.();
        throw e;
      }
      yield* classify({ ...c, data: plain, name: c.name.replace(/\.(enc|bin)$/i, ''), encrypted: true, diskPath: undefined }, opts);
      return;
    }
    case 'gzip':
      yield* classify({ ...c, data: gunzip(c.display, stream, opts), name: c.name.replace(/\.(gz|tgz)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')), diskPath: undefined }, opts);
      return;
    case 'tar':
      try {
        const hardLink = (name: string, target: string) => opts.warn(`${c.display}!${name}: the same file as ${target} in the archive (a hard link); read once, as ${target}`);
        for await (const entry of tarEntries(stream, hardLink)) {
          yield* entryFiles(c, entry.name, entry.data, opts);
        }
      } catch (e) {
        damagedArchive(c.display, e, opts);
      }
      return;
    case 'zip': {
      const from = c.diskPath ?? (await collect(stream));
      try {
        for await (const entry of zipEntries(from)) yield* entryFiles(c, entry.name, entry.data, opts);
      } catch (e) {
        damagedArchive(c.display, e, opts);
      }
      return;
    }
    case 'text': {
      if (isPlatformFile(c.display)) {
        await platformFile(c, stream, opts);
        return;
      }
      const foreign = foreignFormat(head);
      const skip = foreign
        ? `${foreign.name}, which pexlens does not read; skipped (${foreign.open} it first)`
        : !c.explicit && !looksLikeLogName(c.name) && !looksLikeLogText(head)
          ? 'not a log file; skipped'
          : null;
      if (skip) {
        opts.warn(`${c.display}: ${skip}`);
        for await (const _ of stream); // drain so archives move on
        return;
      }
      const { stream: s, rotation } = streamOf(c.name);
      yield { display: c.display, root: c.root, stream: s, rotation, data: stream, diskPath: c.diskPath, encrypted: c.encrypted };
    }
  }
}

/** Reads a platform status file (its reader is closed already when it is on disk) and hands it on, or warns. */
async function platformFile(c: Candidate, stream: ByteStream, opts: OpenOptions): Promise<void> {
  const tooLarge = (n: number) => opts.warn(`${c.display}: a platform status file of ${n} bytes, larger than such a file is; skipped`);
  let bytes: Buffer;
  if (c.diskPath) {
    const { size } = await fsp.stat(c.diskPath);
    if (size > MAX_PLATFORM_BYTES) return tooLarge(size);
    bytes = await fsp.readFile(c.diskPath);
  } else {
    // drained whole either way, so an archive moves on
    const parts: Buffer[] = [];
    let n = 0;
    for await (const p of stream) if ((n += p.length) <= MAX_PLATFORM_BYTES) parts.push(p);
    if (n > MAX_PLATFORM_BYTES) return tooLarge(n);
    bytes = Buffer.concat(parts);
  }
  try {
    opts.onPlatform?.(readPlatform(c.display, bytes));
  } catch (e) {
    opts.warn((e as Error).message);
  }
}

async function* entryFiles(parent: Candidate, name: string, data: ByteStream, opts: OpenOptions): AsyncGenerator<LogFile> {
  const display = `${parent.display}!${name}`;
  if (unsafeEntryName(name)) {
    opts.warn(`${display}: refused archive entry with an absolute path or '..'`);
    for await (const _ of data);
    return;
  }
  yield* classify({ display, root: parent.root, name, data, explicit: false, encrypted: parent.encrypted }, opts);
}

async function* walk(dir: string, root: string, opts: OpenOptions): AsyncGenerator<LogFile> {
  const files = await folderFiles(dir, opts.warn);
  if (!files.length) opts.warn(`${dir}: no files in this folder`);
  for (const p of files) {
    yield* classify({ display: p, root, name: basename(p), data: readDisk(p, opts), explicit: false, diskPath: p }, opts);
  }
}

export async function* openSources(paths: string[], opts: OpenOptions): AsyncGenerator<LogFile> {
  for (const p of paths) {
    const st = await fsp.stat(p).catch((e: NodeJS.ErrnoException) => {
      throw new SourceError(`${p}: cannot read (${e.code ?? e.message})`);
    });
    const root = resolve(p);
    if (st.isDirectory()) yield* walk(p, root, opts);
    else {
      await fsp.access(p).catch((e: NodeJS.ErrnoException) => {
        throw new SourceError(`${p}: cannot read (${e.code ?? e.message})`);
      });
      // only a regular file is read again from disk once sniffed: a pipe (`<(zcat …)`) streams
      // through once, or its first bytes would be lost
      yield* classify({ display: p, root, name: basename(p), data: readDisk(p, opts), explicit: true, diskPath: st.isFile() ? p : undefined }, opts);
    }
  }
}
