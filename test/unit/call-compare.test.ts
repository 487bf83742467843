/**
 * Two calls side by side (shared/call-compare.ts, `pexlens compare`): a call against itself is
 * alike everywhere; against itself with messages taken out, exactly those stand alone; a call
 * that worked against one refused, the refusal stands where the answer stood, with its lines; what
 * each call has of its own (ids, tags, addresses, ports) is not a difference.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { compareCalls, lineDifferences, stepKey } from '../../electron/shared/call-compare.ts';
import type { CallTrace } from '../../electron/api.ts';
import { Rng } from '../generator/prng.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-compare-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test("a message's lines compared: what each call has of its own aside, a header one has and a stream the other refused stand out", () => {
  const a = ['INVITE sip:alice@example.com SIP/2.0', 'Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK11', 'From: "Alice" <sip:alice@example.com>;tag=abc', 'Call-ID: 1f2e3d4c5b6a@10.0.0.1', 'Supported: timer', 'User-Agent: Poly/6.4', 'o=- 123456 123456 IN IP4 10.0.0.1', 'm=audio 40000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000'];
  const b = ['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/TLS 10.9.9.9:5061;branch=z9hG4bK22', 'From: "Bob" <sip:bob@example.com>;tag=xyz', 'Call-ID: 99aa88bb77cc@10.9.9.9', 'User-Agent: Poly/6.4', 'o=- 987654 987654 IN IP4 10.9.9.9', 'm=audio 0 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000'];
  assert.deepEqual(lineDifferences(a, b), { onlyA: ['Supported: timer', 'm=audio 40000 RTP/AVP 8'], onlyB: ['m=audio 0 RTP/AVP 8'] });
  // keys each call draws anew are not differences; another crypto suite is
  assert.deepEqual(lineDifferences(['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:bogEGKLnjbfeMYhv|2^31', 'a=ice-pwd:x1y2'], ['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:tte/M4O8RLPeBZc|2^31', 'a=ice-pwd:q9']), { onlyA: [], onlyB: [] });
  assert.deepEqual(lineDifferences(['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc'], ['a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:abc']).onlyB, ['a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:abc']);
  // counted: a line twice in one and once in the other is once a difference
  assert.deepEqual(lineDifferences(['a=sendrecv', 'a=sendrecv'], ['a=sendrecv']), { onlyA: ['a=sendrecv'], onlyB: [] });
});

async function traced(seed: number, calls: number, dialOuts = false): Promise<{ api: EngineApi; file: string; trace: (id: string) => Promise<CallTrace>; truth: ReturnType<typeof generateLog>['truth'] }> {
  const { text, truth } = generateLog({ seed, calls, dialOuts });
  const file = join(tmp, `compare-${seed}.log`);
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  return { api, file, truth, trace: async (id) => (await api.callTrace({ id }))! };
}

test('a call against itself is alike in every row and step; against itself less some messages, exactly those stand alone', async () => {
  const { truth, trace } = await traced(31, 60);
  const rng = new Rng(7);
  for (const c of truth.calls.filter((x) => !x.failed).slice(0, 12)) {
    const t = await trace(c.id);
    const same = compareCalls(t, t);
    assert.equal(same.differing, 0, c.id);
    assert.ok(same.rows.every((r) => !r.differs) && same.steps.every((s, k) => s.a === k && s.b === k), c.id);
    // some messages dropped from a copy: each step pairs like messages, and the dropped ones (and only as many) stand alone
    const keep = t.messages.map(() => rng.chance(0.7));
    const fewer: CallTrace = { ...t, messages: t.messages.filter((_, k) => keep[k]) };
    const dropped = keep.filter((k) => !k).length;
    const cmp = compareCalls(t, fewer);
    assert.equal(cmp.steps.length, t.messages.length, c.id);
    assert.equal(cmp.steps.filter((s) => s.b === null).length, dropped, c.id);
    assert.equal(cmp.steps.filter((s) => s.a === null).length, 0, c.id);
    for (const s of cmp.steps.filter((x) => x.a !== null && x.b !== null)) {
      assert.equal(stepKey(t.messages[s.a!]!), stepKey(fewer.messages[s.b!]!), c.id);
      assert.deepEqual([s.onlyA, s.onlyB], [[], []]);
    }
    // both calls' order kept
    const as = cmp.steps.flatMap((s) => (s.a === null ? [] : [s.a]));
    assert.deepEqual(as, [...as].sort((x, y) => x - y));
  }
});

test('a SIP call that connected against one the node refused: the refusal where the answer was, its lines; the rows that differ; the CLI says the same', async () => {
  const { truth, trace, file } = await traced(31, 120);
  const ok = truth.calls.find((c) => c.protocol === 'SIP' && !c.failed && c.sipSequence.includes('180 Ringing') && c.sipSequence.includes('BYE'))!;
  const refused = truth.calls.find((c) => c.protocol === 'SIP' && c.failed && c.sipSequence.some((x) => /^4\d\d /.test(x)))!;
  assert.ok(ok && refused, 'a connected and a refused SIP call');
  const [a, b] = [await trace(ok.id), await trace(refused.id)];
  const cmp = compareCalls(a, b);
  const final = b.messages.findIndex((m) => (m.sip?.status ?? 0) >= 300);
  const step = cmp.steps.find((s) => s.b === final)!;
  assert.ok(step, 'the refusal is in a step');
  assert.equal(a.messages[step.a!]?.sip?.status, 200, 'it stands where the 200 stood');
  assert.ok(step.onlyB.includes(b.messages[final]!.lines[0]!), step.onlyB.join('\n'));
  assert.ok(step.onlyA.includes('SIP/2.0 200 OK'));
  // the INVITEs are one step; the 180 and the BYE of the call that connected stand alone
  assert.ok(cmp.steps.some((s) => s.a === 0 && s.b === 0), 'the INVITEs');
  for (const k of a.messages.flatMap((m, i) => (m.sip?.method === 'BYE' || m.sip?.status === 180 ? [i] : []))) assert.equal(cmp.steps.find((s) => s.a === k)!.b, null, a.messages[k]!.summary);
  const row = (label: string) => cmp.rows.find((r) => r.label === label)!;
  assert.equal(row('Result').differs, true);
  assert.deepEqual([row('Start').own, row('Start').differs], [true, false]);
  assert.equal(row('Protocol').differs, false);
  assert.equal(cmp.differing, cmp.steps.filter((s) => s.a === null || s.b === null || s.onlyA.length || s.onlyB.length).length);
  // the CLI: the same comparison (with what the bundle says of each call around it)
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const json = JSON.parse(run('compare', file, '--call', ok.id, '--call', refused.id, '--json')) as ReturnType<typeof compareCalls> & { a: { id: string } };
  assert.equal(json.a.id, a.call.id);
  assert.deepEqual(json.steps, cmp.steps);
  const text = run('compare', file, '--call', ok.id, refused.id);
  assert.ok(text.includes(`\nFlow: ${cmp.steps.length} steps, ${cmp.differing} differ\n`), text);
  assert.match(text, /\n≠ Result\n {4}A {2}ended: .*\n {4}B {2}FAILED: /);
  assert.ok(text.includes(`      B only: ${b.messages[final]!.lines[0]}\n`));
  assert.throws(() => run('compare', file, '--call', ok.id), (e: { stderr: Buffer }) => /--call: give two calls to compare, not 1/.test(e.stderr.toString()));
  assert.throws(() => run('compare', file, '--call', ok.id, 'no-such-call'), (e: { stderr: Buffer }) => /no call with id no-such-call/.test(e.stderr.toString()));
});
