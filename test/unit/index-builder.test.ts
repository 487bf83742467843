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
