/** Zip entries as streams (yauzl needs random access: a path or a Buffer). */
import yauzl from 'yauzl';
import type { ByteStream } from './byte-stream.js';
import type { ArchiveEntry } from './archive-tar.js';

function openZip(from: string | Buffer): Promise<yauzl.ZipFile> {
  // decodeStrings off: names are checked by our own rule, so one bad entry does not abort the rest
  const opts = { lazyEntries: true, decodeStrings: false, autoClose: true } as const;
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zip?: yauzl.ZipFile) => (err || !zip ? reject(err ?? new Error('zip: no file')) : resolve(zip));
    if (typeof from === 'string') yauzl.open(from, opts, cb);
    else yauzl.fromBuffer(from, opts, cb);
  });
}

export async function* zipEntries(from: string | Buffer): AsyncGenerator<ArchiveEntry> {
  const zip = await openZip(from);
  const queue: Array<yauzl.Entry | null | Error> = [];
  let wake: (() => void) | null = null;
  const push = (v: yauzl.Entry | null | Error) => {
    queue.push(v);
    wake?.();
  };
  zip.on('entry', (e: yauzl.Entry) => push(e));
  zip.on('end', () => push(null));
  zip.on('error', (e: Error) => push(e));
  zip.readEntry();
  for (;;) {
    if (!queue.length) await new Promise<void>((r) => (wake = r));
    wake = null;
    const next = queue.shift()!;
    if (next === null) return;
    if (next instanceof Error) throw next;
    const raw = next.fileName as unknown as Buffer;
    const name = (next.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
    // a folder, or a symbolic link (zip -y, macOS's Archive Utility: its bytes are the target's
    // name, not a log; the target is an entry of its own)
    if (!name.endsWith('/') && !isSymlink(next)) {
      const entry = next;
      const data = async function* (): ByteStream {
        const rs = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(entry, (err, s) => (err || !s ? rej(err) : res(s))));
        for await (const piece of rs) yield piece as Buffer;
      };
      yield { name, data: data() };
    }
    zip.readEntry();
  }
}

/** Made on Unix (high byte of "version made by" 3) with a file mode of S_IFLNK. */
function isSymlink(e: yauzl.Entry): boolean {
  return e.versionMadeBy >>> 8 === 3 && ((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}
