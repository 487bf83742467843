/**
 * Encrypted diagnostic snapshots: the output of `openssl enc -aes-256-cbc -salt` with either
 * `-pbkdf2 -md sha256` (10000 iterations) or the older `-md md5` (EVP_BytesToKey).
 * Which one was used is not recorded in the file, so both are tried against the first block.
 */
import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { sniff } from './sniff.js';
import type { ByteStream } from './byte-stream.js';
import { peek, through } from './byte-stream.js';

export class PasswordError extends Error {}

type Kdf = 'pbkdf2-sha256' | 'md5';

export function deriveKeyIv(password: string, salt: Buffer, kdf: Kdf): { key: Buffer; iv: Buffer } {
  let material: Buffer;
  if (kdf === 'pbkdf2-sha256') {
    material = pbkdf2Sync(password, salt, 10000, 48, 'sha256');
  } else {
    const parts: Buffer[] = [];
    let prev = Buffer.alloc(0);
    while (Buffer.concat(parts).length < 48) {
      prev = createHash('md5').update(Buffer.concat([prev, Buffer.from(password, 'utf8'), salt])).digest();
      parts.push(prev);
    }
    material = Buffer.concat(parts);
  }
  return { key: material.subarray(0, 32), iv: material.subarray(32, 48) };
}

/** A plaintext that starts like something we can read (archive or compressed data). */
function plausible(plain: Buffer): boolean {
  const kind = sniff(plain);
  return kind === 'gzip' || kind === 'zip' || kind === 'tar';
}

export async function decryptStream(name: string, stream: ByteStream, password: string | undefined): Promise<ByteStream> {
  if (password === undefined || password === '') {
    throw new PasswordError(`${name}: encrypted snapshot; a password is needed (PEXLENS_PASSWORD or --password-file)`);
  }
  const { head, stream: all } = await peek(stream, 16 + 512);
  const salt = head.subarray(8, 16);
  const body = head.subarray(16);
  for (const kdf of ['pbkdf2-sha256', 'md5'] as const) {
    const { key, iv } = deriveKeyIv(password, salt, kdf);
    const probe = createDecipheriv('aes-256-cbc', key, iv);
    probe.setAutoPadding(false);
    const firstBlocks = probe.update(body.subarray(0, body.length - (body.length % 16)));
    if (!plausible(firstBlocks)) continue;
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    async function* ciphertext(): ByteStream {
      let skipped = 0;
      for await (const piece of all) {
        if (skipped < 16) {
          const cut = Math.min(16 - skipped, piece.length);
          skipped += cut;
          if (cut < piece.length) yield piece.subarray(cut);
        } else yield piece;
      }
    }
    return (async function* () {
      try {
        yield* through(ciphertext(), decipher);
      } catch (e) {
        throw new PasswordError(`${name}: decryption failed at the end of the file (${(e as Error).message}); the file is damaged or the password is wrong`);
      }
    })();
  }
  throw new PasswordError(`${name}: wrong password for encrypted snapshot`);
}
