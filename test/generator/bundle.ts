// Bundles: rotation, openssl-compatible encryption, tgz / zip / folder writers.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import yazl from 'yazl';

/**
 * The log cut right after a line: the `share`-th (0..1) of the lines matching `pattern`, that line
 * kept. What a customer sends when the log ends in the middle of things (a call being set up).
 */
export function cutAfter(text: Buffer, pattern: RegExp, share: number): { text: Buffer; line: string } {
  const lines = text.toString('latin1').split('\n');
  const hits = lines.flatMap((l, k) => (pattern.test(l) ? [k] : []));
  const k = hits[Math.floor(hits.length * share)];
  if (k === undefined) throw new Error(`cutAfter: no line matches ${pattern}`);
  return { text: Buffer.from(lines.slice(0, k + 1).join('\n') + '\n', 'latin1'), line: lines[k]! };
}

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
// tar (tar-stream) and zip (yazl)

export interface FileEntry { name: string; data: Buffer; mtime: Date }

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

export async function makeTgz(files: FileEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack as unknown as AsyncIterable<Uint8Array>);
  for (const f of files) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: f.name, size: f.data.length, mtime: f.mtime, mode: 0o644 }, f.data, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  return zlib.gzipSync(await done, { level: 6 });
}

export async function makeZip(files: FileEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.data, f.name, { mtime: f.mtime, mode: 0o100644 });
  zip.end();
  return collect(zip.outputStream as unknown as AsyncIterable<Uint8Array>);
}

export function writeFileSyncMkdir(p: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}

