/**
 * The index worker threads run below the load's priority (Linux: per-thread nice), so a load
 * with the index on is not slowed by it. Checked on the live threads of this process.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { openBundle } from '../../electron/engine/session.js';
import { IndexBuilder, chunkFirstLines } from '../../electron/engine/search/line-index.js';
import { INDEX_NICE } from '../../electron/engine/search/thread-priority.js';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-builder-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
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
    // one segment per worker at least: each worker has started and set its priority
    for (let k = 0; k < 4; k++) builder.onChunk(session.store.chunks[0]!, 0, first[0]!, first[1]! - first[0]!, session.store);
    await Promise.all((builder as unknown as { results: Array<Promise<unknown>> }).results);
    const now = niceByThread();
    const added = [...now].filter(([tid]) => !before.has(tid));
    assert.equal(added.filter(([, nice]) => nice === INDEX_NICE).length, 2, `new threads and their nice values: ${JSON.stringify(added)}`);
    assert.equal(now.get(process.pid), before.get(process.pid), 'the loading thread keeps its priority');
  } finally {
    builder.close();
  }
});
