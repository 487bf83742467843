/**
 * "Find in this call" (api callFind, shared/call-find.ts): the messages of a call
 * whose lines match a query, against the search tests' line-by-line reference over each message's
 * own lines, for each form of the query language; and F3's order through them.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { openBundle } from '../../electron/engine/session.ts';
import { parseQuery } from '../../electron/engine/search/index.ts';
import { messagesWith, stepFound } from '../../electron/shared/call-find.ts';
import { NO_CALLS, refMatcher } from './search-reference.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-find-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test("find in a call: the messages with a line matching each form of query, as a plain reading of the call's lines finds them", async () => {
  const { text, truth } = generateLog({ seed: 31, calls: 60 });
  const file = join(tmp, 'find.log');
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const session = await openBundle([file]);
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && c.bfcpSequence.length > 0 && c.missingFragments === 0)!;
  const h323 = truth.calls.find((c) => c.protocol === 'H323' && !c.failed)!;
  assert.ok(sip && h323, 'a SIP call with BFCP and a connected H.323 call');
  const queries = ['INVITE', 'bye OR cancel', '"m=video"', '/a=(sendonly|inactive)/', 'sip -ack', 'name:support.bfcp', 'level:INFO "200 OK"', 'terminalCapabilitySet', '"participant has"', 'nothing-like-this-anywhere'];
  let some = 0;
  for (const c of [sip, h323]) {
    const trace = (await api.callTrace({ id: c.id }))!;
    for (const q of queries) {
      const matches = refMatcher(session, parseQuery(q), NO_CALLS);
      const want = trace.messages.flatMap((m, i) => (m.indexes.some((p) => matches(session.store.at(p))) ? [i] : []));
      const { indexes } = await api.callFind({ id: c.id, query: q });
      assert.deepEqual([...messagesWith(trace.messages, indexes)].sort((a, b) => a - b), want, `${c.id}: ${q}`);
      // and only the call's own lines
      const own = new Set(trace.messages.flatMap((m) => m.indexes));
      const strangers = indexes.filter((p) => !own.has(p) && matches(session.store.at(p)));
      assert.ok(strangers.every((p) => session.store.content(session.store.at(p)).toString('latin1').includes(c.id)), `${c.id}: ${q}: lines of other calls`);
      if (want.length && want.length < trace.messages.length) some++;
    }
  }
  assert.ok(some >= 8, `queries that pick some messages and not all (${some})`);
  // pexlens trace --find: the same messages, in --json as `found` and in the text alone
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'trace', file, '--call', sip.id, '--no-cache', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const trace = (await api.callTrace({ id: sip.id }))!;
  const q = 'name:support.bfcp OR "m=video"';
  const want = [...messagesWith(trace.messages, (await api.callFind({ id: sip.id, query: q })).indexes)].sort((a, b) => a - b);
  assert.ok(want.length > 1 && want.length < trace.messages.length);
  assert.deepEqual((JSON.parse(run('--json', '--find', q)) as { found: number[] }).found, want);
  const printed = run('--find', q);
  assert.ok(printed.includes(`\n${want.length} of ${trace.messages.length} messages with a line matching ${q}\n`));
  const sources = [...printed.matchAll(/ {2}\[([^\]\n]+:\d+)\]$/gm)].map((m) => m[1]);
  assert.deepEqual(sources, want.map((i) => `${trace.messages[i]!.source.file}:${trace.messages[i]!.source.line}`));
  assert.throws(() => run('--find', 'a) (b'), (e: { stderr: Buffer }) => e.stderr.toString().includes("--find: ')' without '('"));
  // a query that does not read is refused with the grammar's reason; an empty one finds nothing
  await assert.rejects(api.callFind({ id: sip.id, query: 'a) OR (b' }), /query: /);
  assert.deepEqual(await api.callFind({ id: sip.id, query: '  ' }), { indexes: [] });
});

test('find in a call: F3 steps through the found messages in the ladder\'s order, round the ends, from the top when none is picked', () => {
  const order = [4, 0, 1, 7, 3];
  const found = new Set([1, 3, 9]); // 9: hidden (not in the ladder)
  assert.equal(stepFound(order, found, null, 1), 1);
  assert.equal(stepFound(order, found, null, -1), 3);
  assert.equal(stepFound(order, found, 1, 1), 3);
  assert.equal(stepFound(order, found, 3, 1), 1, 'round the end');
  assert.equal(stepFound(order, found, 1, -1), 3, 'round the top');
  assert.equal(stepFound(order, found, 7, -1), 1);
  assert.equal(stepFound(order, found, 9, 1), 1, 'from a message not shown: the top');
  assert.equal(stepFound(order, new Set([9]), 4, 1), null, 'none shown');
});
