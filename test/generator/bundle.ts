// Bundles: rotation, openssl-compatible encryption, tgz / zip / folder writers.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Split at line boundaries into `parts` pieces of roughly equal size, [oldest..newest]. */
export function rotate(text: Buffer, parts: number): Buffer[] {
  parts = Math.max(1, Math.floor(parts));
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 1; i < parts; i++) {
    const want = Math.floor((text.length * i) / parts);
    if (want <= start) continue;
    const nl = text.indexOf(0x0a, want);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.subarray(start, end));
    start = end;
  }
  out.push(text.subarray(start));
  while (out.length < parts) out.unshift(Buffer.alloc(0));
  return out;
}

function evpBytesToKeyMd5(password: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const chunks: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let len = 0;
  while (len < 48) {
    prev = crypto.createHash('md5').update(Buffer.concat([prev, password, salt])).digest();
    chunks.push(prev);
    len += prev.length;
  }
  const all = Buffer.concat(chunks);
  return { key: all.subarray(0, 32), iv: all.subarray(32, 48) };
}

function deriveKey(password: string, salt: Buffer, mode: 'pbkdf2-sha256' | 'md5'): { key: Buffer; iv: Buffer } {
  const pw = Buffer.from(password, 'utf8');
  if (mode === 'md5') return evpBytesToKeyMd5(pw, salt);
  const kiv = crypto.pbkdf2Sync(pw, salt, 10000, 48, 'sha256');
  return { key: kiv.subarray(0, 32), iv: kiv.subarray(32, 48) };
}

/**
 * Byte-compatible with `openssl enc -aes-256-cbc -salt -pbkdf2 -md sha256` (iter 10000) or
 * `openssl enc -aes-256-cbc -salt -md md5`: 'Salted__' + 8-byte salt + ciphertext.
 * The salt is derived from the input (deterministic) unless given.
 */
export function encryptSnapshot(plain: Buffer, password: string, mode: 'pbkdf2-sha256' | 'md5', salt?: Buffer): Buffer {
  const s = salt ?? crypto.createHash('sha256').update(plain).update(password).digest().subarray(0, 8);
  const { key, iv } = deriveKey(password, s, mode);
  const c = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([Buffer.from('Salted__', 'latin1'), s, c.update(plain), c.final()]);
}

/** Inverse of encryptSnapshot (handy for tests). */
export function decryptSnapshot(enc: Buffer, password: string, mode: 'pbkdf2-sha256' | 'md5'): Buffer {
  if (enc.subarray(0, 8).toString('latin1') !== 'Salted__') throw new Error('not an openssl salted file');
  const salt = enc.subarray(8, 16);
  const { key, iv } = deriveKey(password, salt, mode);
  const d = crypto.createDecipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([d.update(enc.subarray(16)), d.final()]);
}

// ---------------------------------------------------------------------------------------------
// tar (tar-stream) and zip

interface TarPack {
  entry(header: { name: string; size: number; mtime: Date; mode?: number; type?: string }, buffer: Buffer, cb?: (err?: Error | null) => void): unknown;
  finalize(): void;
  on(ev: string, cb: (...a: unknown[]) => void): unknown;
  [Symbol.asyncIterator](): AsyncIterator<Buffer>;
}
interface TarStream { pack(): TarPack }

export interface FileEntry { name: string; data: Buffer; mtime: Date }

export async function makeTgz(files: FileEntry[]): Promise<Buffer> {
  const tar = require('tar-stream') as TarStream;
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  })();
  for (const f of files) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: f.name, size: f.data.length, mtime: f.mtime, mode: 0o644 }, f.data, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return zlib.gzipSync(Buffer.concat(chunks), { level: 6 });
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Minimal zip writer (deflate, no zip64). */
export function makeZip(files: FileEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const comp = zlib.deflateRawSync(f.data, { level: 6 });
    const crc = zlib.crc32(f.data) >>> 0;
    const { time, date } = dosTime(f.mtime);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(f.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    parts.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(0x031e, 4); // made by unix, 3.0
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(time, 12);
    ch.writeUInt16LE(date, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(f.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(0, 30);
    ch.writeUInt16LE(0, 32);
    ch.writeUInt16LE(0, 34);
    ch.writeUInt16LE(0, 36);
    ch.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += lh.length + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, eocd]);
}

export function writeFileSyncMkdir(p: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}

