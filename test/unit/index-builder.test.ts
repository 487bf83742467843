/**
 * The index worker threads run below the load's priority (Linux: per-thread nice), so a load
 * with the index on is not slowed by it. Checked on the live threads of this process. And what
 * the workers build is what the segment builder makes on the thread that asks, though it comes
 * carved out of shared buffers (slab.ts).
 */
import { test, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { openBundle } from '../../electron/engine/session.js';
import { IndexBuilder, LineIndex, chunkFirstLines } from '../../electron/engine/search/line-index.js';
import { buildSegment } from '../../electron/engine/search/segment.js';
import { INDEX_NICE } from '../../electron/engine/search/thread-priority.js';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-builder-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

test('index workers run at a lower priority than the thread that loads', { skip: process.platform !== 'linux' && 'per-thread priority is Linux only' }, async () => {
  const b = await writeBundle(join(tmp, 'a'), { form: 'plain', seed: 3, calls: 4 });
  const session = await openBundle([b.path]);
  const first = chunkFirstLines(session.store);
  const before = niceByThread();
  const builder = new IndexBuilder({ workers: 2 });
  try {
    // jobs until every worker has started and taken one (a worker sets its priority as it starts)
    const lowered = () => [...niceByThread()].filter(([tid, nice]) => !before.has(tid) && nice === INDEX_NICE);
    const until = Date.now() + 20_000;
    while (lowered().length < 2 && Date.now() < until) {
      builder.onChunk(session.store.chunks[0]!, 0, first[0]!, first[1]! - first[0]!, session.store);
      await new Promise((r) => setTimeout(r, 20));
    }
    const added = [...niceByThread()].filter(([tid]) => !before.has(tid));
    assert.equal(lowered().length, 2, `new threads and their nice values: ${JSON.stringify(added)}`);
    assert.equal(niceByThread().get(process.pid), before.get(process.pid), 'the loading thread keeps its priority');
  } finally {
    builder.close();
  }
});

test('segments built by the workers equal those built inline, carved out of a few shared buffers', async () => {
  const b = await writeBundle(join(tmp, 'b'), { form: 'folder', seed: 5, calls: 30, rotations: 6 });
  const session = await openBundle([b.path]);
  const store = session.store;
  assert.ok(store.chunks.length >= 6, `one chunk per file at least (${store.chunks.length})`);
  const index = await LineIndex.build(session, { workers: 2 });
  const first = chunkFirstLines(store);
  index.segments.forEach((seg, c) => {
    const buffers = new Set<ArrayBufferLike>();
    const starts = Uint32Array.from([...store.start.data.subarray(first[c]!, first[c + 1]!), store.chunks[c]!.length]);
    const inline = buildSegment(store.chunks[c]!, starts);
    for (const [k, v] of Object.entries(seg)) {
      if (typeof v === 'number') assert.equal(v, inline[k as keyof typeof inline], `chunk ${c}: ${k}`);
      else {
        assert.ok(v.buffer instanceof SharedArrayBuffer, `chunk ${c}: ${k} on a shared buffer`);
        buffers.add(v.buffer);
        assert.deepEqual(v, inline[k as keyof typeof inline], `chunk ${c}: ${k}`);
      }
    }
    // (a message makes a new SharedArrayBuffer object for each buffer it holds, over the same memory)
    assert.deepEqual([...buffers].map((x) => x.byteLength), [32 << 20], `chunk ${c}: its arrays share one buffer of the worker's`);
  });
});
