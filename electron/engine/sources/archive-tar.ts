/** Tar entries as streams (tar-stream), never extracted to disk. */
import * as tar from 'tar-stream';
import type { ByteStream } from './byte-stream.js';

export interface ArchiveEntry {
  name: string;
  data: ByteStream;
}

/** Absolute paths and `..` segments are refused: an entry must stay inside its archive. */
export function unsafeEntryName(name: string): boolean {
  return name.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(name) || name.split(/[\\/]/).includes('..');
}

/**
 * The archive's files, in order. A link entry has no bytes of its own: a symbolic link's target
 * is an entry too (skipped quietly), a hard link's bytes came with the name it links to, once
 * (`onHardLink` says which name that was: the file is read under it).
 */
export async function* tarEntries(stream: ByteStream, onHardLink: (name: string, target: string) => void = () => {}): AsyncGenerator<ArchiveEntry> {
  const extract = tar.extract();
  const feed = (async () => {
    try {
      for await (const piece of stream) {
        if (!extract.write(piece)) await new Promise<void>((r) => extract.once('drain', r));
      }
      (extract as unknown as { end(): void }).end();
    } catch (e) {
      extract.destroy(e as Error);
    }
  })();
  for await (const entry of extract) {
    if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
      if (entry.header.type === 'link') onHardLink(entry.header.name, entry.header.linkname ?? '?');
      entry.resume();
      continue;
    }
    let drained = false;
    async function* data(): ByteStream {
      for await (const piece of entry) yield piece as Buffer;
      drained = true;
    }
    yield { name: entry.header.name, data: data() };
    // tar-stream moves on only once the entry is drained
    if (!drained) for await (const _ of entry);
  }
  await feed;
}
