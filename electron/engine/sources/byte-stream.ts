/** Small helpers over async iterables of Buffers, the one currency of the source readers. */
import type { Readable } from 'node:stream';

export type ByteStream = AsyncIterable<Buffer>;

/** Reads at least n bytes (or all there is) and returns them with a stream that replays them first. */
export async function peek(stream: ByteStream, n: number): Promise<{ head: Buffer; stream: ByteStream }> {
  const it = stream[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    size += r.value.length;
  }
  const head = got.length === 1 ? got[0]! : Buffer.concat(got);
  // an iterator, not a generator: a reader that stops before reading (a plain file read from disk
  // instead, once sniffed) must close the source through return(), which a generator that never
  // started would not pass on (its file stayed open until garbage collection)
  let replayed = head.length === 0;
  const replay: AsyncIterableIterator<Buffer> = {
    [Symbol.asyncIterator]() {
      return replay;
    },
    async next(): Promise<IteratorResult<Buffer>> {
      if (!replayed) {
        replayed = true;
        return { done: false, value: head };
      }
      if (done) return { done: true, value: undefined };
      const r = await it.next();
      if (r.done) done = true;
      return r;
    },
    async return(): Promise<IteratorResult<Buffer>> {
      replayed = true;
      if (!done) {
        done = true;
        await it.return?.();
      }
      return { done: true, value: undefined };
    },
  };
  return { head, stream: replay };
}

/** Pipes a byte stream through a transform (gunzip, decipher), surfacing its errors to the reader. */
export async function* through(stream: ByteStream, transform: NodeJS.ReadWriteStream & Readable): ByteStream {
  const pump = (async () => {
    try {
      for await (const piece of stream) {
        if (!transform.write(piece)) await new Promise<void>((r) => transform.once('drain', r));
      }
      transform.end();
    } catch (e) {
      transform.destroy(e as Error);
    }
  })();
  for await (const out of transform) yield out as Buffer;
  await pump;
}

export async function collect(stream: ByteStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p);
  return Buffer.concat(parts);
}
