// The call and entity indexes built in slices (the engine worker's way, electron/engine/steps.ts)
// against the same built at once (the CLI's way), on a generated log.
import { test } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex, callIndexSteps } from '../../electron/engine/correlate/index.ts';
import { buildEntityIndex, entityIndexSteps } from '../../electron/engine/search/entity-index.ts';
import { runSliced } from '../../electron/engine/steps.ts';
import { writeLog } from '../generator/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-steps-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('built in slices, the calls and the call search are those built at once, and the thread runs other work in between', async () => {
  const log = join(tmp, 'support.log');
  const truth = await writeLog(log, { seed: 5, calls: 600 });
  const session = await openBundle([log]);
  const whole = buildCallIndex(session);
  // other work queued on the thread (as the engine worker's requests are) runs between slices
  let ticks = 0;
  let ticking = true;
  const tick = () => {
    ticks++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const sliced = await runSliced(callIndexSteps(session.store), undefined, 0);
  const ticksDuringCalls = ticks;
  const entities = await runSliced(entityIndexSteps(sliced.calls), undefined, 0);
  ticking = false;
  // at least once per slice of lines scanned (16 384) and of calls summarized (256) or tokenized (512)
  const slices = Math.ceil(session.store.count / 16384) + Math.floor(sliced.calls.length / 256);
  assert.ok(ticksDuringCalls >= slices, `the call index gave the thread back ${ticksDuringCalls} times, ${slices} at least`);
  assert.ok(ticks - ticksDuringCalls >= Math.floor(sliced.calls.length / 512), 'so does the entity index');
  assert.equal(sliced.calls.length, truth.calls.length);
  assert.deepEqual(sliced.calls, whole.calls);
  assert.deepEqual(sliced.conferences, whole.conferences);
  const once = buildEntityIndex(whole.calls);
  const c = truth.calls[7]!;
  for (const q of [c.id, c.from.replace(/^sips?:/, '').split('@')[0]!, 'meet', 'bye 200']) {
    assert.deepEqual(entities.search(q).map((x) => x.id), once.search(q).map((x) => x.id), q);
  }
});

test('a sliced build stops at its next slice once its signal is aborted', async () => {
  const log = join(tmp, 'small.log');
  await writeLog(log, { seed: 6, calls: 40 });
  const session = await openBundle([log]);
  const abort = new AbortController();
  const steps = callIndexSteps(session.store, abort.signal);
  abort.abort();
  await assert.rejects(runSliced(steps, abort.signal, 0), /cancelled/);
});
