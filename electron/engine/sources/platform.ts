/**
 * A diagnostic snapshot's platform status file (`opt/pexip/share/status/platform.json`): not a
 * log, but it says which software version the snapshot was taken on, the first thing a case asks.
 * Read and kept beside the logs rather than skipped with a warning.
 */
import type { PlatformInfo } from '../../api.js';

/** Where a snapshot keeps it (inside an archive, or in an unpacked snapshot's folders). */
const PLATFORM_FILE = /(^|[\\/!])status[\\/]platform\.json$/i;

/** More than a status file holds: a larger file of that name is not read. */
export const MAX_PLATFORM_BYTES = 1 << 20;

/** How many of its plain values are kept. */
const MAX_FIELDS = 32;

export function isPlatformFile(display: string): boolean {
  return PLATFORM_FILE.test(display);
}

/** The file's version and plain values; throws an Error naming the file when it is not a JSON object. */
export function readPlatform(file: string, bytes: Buffer): PlatformInfo {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new Error(`${file}: a platform status file that is not JSON (${(e as Error).message}); skipped`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: a platform status file that is not a JSON object; skipped`);
  const fields: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(doc)) {
    if (fields.length === MAX_FIELDS) break;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields.push([k, String(v)]);
  }
  const version = (doc as Record<string, unknown>).version;
  return { file, version: typeof version === 'string' || typeof version === 'number' ? String(version) : null, fields };
}
