/**
 * The external policy server (correlate/external-policy.ts): on a small hand-written log, each
 * request with its answer (by Request-Id, else the node's oldest open one), per server and kind,
 * in `pexlens info` and the timeline; on a generated log, each call dialled in with what its node
 * asked for it, in its trace, its text and its redacted report.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { policyRequests, policyTargets } from '../../electron/engine/correlate/external-policy.ts';
import type { CallTrace, PolicyRequest, PolicyTarget, TimelineEvent } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-policy-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();

const line = (mmss: string, node: string, rest: string) => `2026-05-14T08:${mmss}.000+00:00 ${node} 2026-05-14 08:${mmss},000 Level="INFO" Name="support.externalpolicy" ${rest}`;
const at = (mmss: string) => `2026-05-14T08:${mmss}.000Z`;
const SERVER = 'https://policy.example.com:8443';
const url = (path: string, q = 'remote_alias=sip%3Aalice%40example.com&local_alias=meet%40example.com&remote_address=10.47.2.5&call_direction=dial_in') => `Url="${SERVER}/policy/v1/${path}?${q}"`;
const answer = (status: number, ms: string, json: string) => `Status="${status}" Duration="${ms}" Detail="${json.replace(/"/g, '\\"')}"`;

test('policy requests with their answers: by Request-Id, else the oldest open one of the node; per server and kind (failed, then rejected, then slow); in pexlens info and the timeline', async () => {
  const text = [
    line('00:01', '10.44.99.2', `Message="External policy request" Request-Id="a1" ${url('service/configuration')}`),
    line('00:02', '10.44.99.3', `Message="External policy request" ${url('participant/location')}`), // no id: paired by order
    line('00:02', '10.44.99.2', `Message="External policy response" Request-Id="a1" ${answer(200, '0.080', '{"status": "success", "action": "continue", "result": {"service_type": "conference"}}')}`),
    line('00:03', '10.44.99.3', `Message="External policy response" ${answer(200, '1.500', '{"status": "success", "action": "continue", "result": {"location": "Oslo"}}')}`),
    line('00:04', '10.44.99.2', `Message="External policy request" Request-Id="c1" ${url('service/configuration')}`),
    line('00:04', '10.44.99.2', 'Message="External policy request failed" Request-Id="c1" Reason="Connection refused" Duration="0.010"'),
    line('00:05', '10.44.99.2', `Message="External policy request" Request-Id="d1" ${url('service/configuration')}`),
    line('00:05', '10.44.99.2', `Message="External policy response" Request-Id="d1" ${answer(404, '0.030', '{"status": "fail", "action": "continue", "result": {}}')}`),
    line('00:06', '10.44.99.2', `Message="External policy request" Request-Id="e1" ${url('participant/properties')}`),
    line('00:06', '10.44.99.2', `Message="External policy response" Request-Id="e1" ${answer(200, '0.040', '{"status": "success", "action": "reject"}')}`),
    line('00:07', '10.44.99.2', `Message="External policy request" Request-Id="f1" ${url('service/configuration')}`), // no answer in the log
    line('00:08', '10.44.99.2', `Message="External policy request" Request-Id="h1" ${url('service/configuration')}`),
    line('00:09', '10.44.99.2', 'Message="External policy response" Request-Id="h1" Status="503" Duration="0.002" Detail="Service Unavailable"'),
    line('00:10', '10.44.99.2', 'Message="External policy request" Request-Id="g1" Url="policy server"'), // not a URL: said as written
    line('00:11', '10.44.99.2', 'Message="External policy response" Request-Id="zz" Status="200"'), // an answer to nothing in the log
    line('00:12', '10.44.99.3', `Message="External policy request" Request-Id="k1" ${url('service/configuration').replace('Url=', 'Uri=')}`),
    line('00:12', '10.44.99.3', `Message="External policy response" Request-Id="k1" Status-Code="200" Elapsed="0.050" Response="${'{"status": "success", "action": "continue"}'.replace(/"/g, '\\"')}"`), // other names of its fields
  ].join('\n') + '\n';
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const store = (await openBundle([file])).store;
  const requests = policyRequests(store);
  const parties = { localAlias: 'meet@example.com', remoteAlias: 'sip:alice@example.com', remoteAddress: '10.47.2.5', direction: 'dial_in' };
  const expected: Array<Omit<PolicyRequest, 'line' | 'responseLine'>> = [
    { time: at('00:01'), node: '10.44.99.2', kind: 'service configuration', server: SERVER, ...parties, status: 200, action: 'continue', result: 'success', ms: 80, failure: null, answered: true },
    { time: at('00:02'), node: '10.44.99.3', kind: 'media location', server: SERVER, ...parties, status: 200, action: 'continue', result: 'success', ms: 1500, failure: null, answered: true },
    { time: at('00:04'), node: '10.44.99.2', kind: 'service configuration', server: SERVER, ...parties, status: null, action: null, result: null, ms: 10, failure: 'External policy request failed: Connection refused', answered: true },
    { time: at('00:05'), node: '10.44.99.2', kind: 'service configuration', server: SERVER, ...parties, status: 404, action: 'continue', result: 'fail', ms: 30, failure: null, answered: true },
    { time: at('00:06'), node: '10.44.99.2', kind: 'participant properties', server: SERVER, ...parties, status: 200, action: 'reject', result: 'success', ms: 40, failure: null, answered: true },
    { time: at('00:07'), node: '10.44.99.2', kind: 'service configuration', server: SERVER, ...parties, status: null, action: null, result: null, ms: null, failure: null, answered: false },
    { time: at('00:08'), node: '10.44.99.2', kind: 'service configuration', server: SERVER, ...parties, status: 503, action: null, result: null, ms: 2, failure: 'HTTP 503', answered: true },
    { time: at('00:10'), node: '10.44.99.2', kind: 'policy server', server: 'policy server', localAlias: null, remoteAlias: null, remoteAddress: null, direction: null, status: null, action: null, result: null, ms: null, failure: null, answered: false },
    { time: at('00:12'), node: '10.44.99.3', kind: 'service configuration', server: SERVER, ...parties, status: 200, action: 'continue', result: 'success', ms: 50, failure: null, answered: true },
  ];
  assert.deepEqual(requests.map(({ line: _l, responseLine: _r, ...r }) => r), expected);
  // each opens its request, and its answer its own line
  const lineOf = (p: number) => store.text(store.at(p));
  for (const r of requests) assert.ok(lineOf(r.line).includes('Message="External policy request"') && lineOf(r.line).startsWith(r.time.replace('Z', '+00:00')), lineOf(r.line));
  assert.ok(lineOf(requests[1]!.responseLine!).includes('Duration="1.500"'), 'the answer without an id is the node\'s open request\'s');
  assert.equal(requests[5]!.responseLine, null);

  const targets = policyTargets(requests);
  const target = (t: Omit<PolicyTarget, 'line' | 'failures' | 'nodes'> & Partial<PolicyTarget>) => t;
  assert.deepEqual(targets.map(({ line: _l, ...t }) => t), [
    target({ server: SERVER, kind: 'service configuration', requests: 6, rejected: 0, failed: 2, local: 1, slow: 0, slowestMs: 80, medianMs: 30, failures: [{ value: 'External policy request failed: Connection refused', count: 1 }, { value: 'HTTP 503', count: 1 }], nodes: ['10.44.99.2', '10.44.99.3'], first: at('00:01'), last: at('00:12') }),
    target({ server: SERVER, kind: 'participant properties', requests: 1, rejected: 1, failed: 0, local: 0, slow: 0, slowestMs: 40, medianMs: 40, failures: [], nodes: ['10.44.99.2'], first: at('00:06'), last: at('00:06') }),
    target({ server: SERVER, kind: 'media location', requests: 1, rejected: 0, failed: 0, local: 0, slow: 1, slowestMs: 1500, medianMs: 1500, failures: [], nodes: ['10.44.99.3'], first: at('00:02'), last: at('00:02') }),
    target({ server: 'policy server', kind: 'policy server', requests: 1, rejected: 0, failed: 0, local: 0, slow: 0, slowestMs: null, medianMs: null, failures: [], nodes: ['10.44.99.2'], first: at('00:10'), last: at('00:10') }),
  ]);
  // a server's row opens its first failure, a rejecting one its reject, a slow one its slowest
  assert.deepEqual(targets.slice(0, 3).map((t) => t.line), [requests[2]!.line, requests[4]!.line, requests[1]!.line]);

  const info = JSON.parse(run('info', file, '--json')) as { policy: PolicyTarget[] };
  assert.deepEqual(info.policy, targets);
  const printed = run('info', file);
  assert.ok(printed.includes(`external policy (support.externalpolicy), failed and rejected first:\n  service configuration, ${SERVER}: 6 requests from 2 nodes, 2 failed (External policy request failed: Connection refused, HTTP 503), 1 with no policy, the slowest 80 ms, median 30 ms\n`), printed);
  const timeline = JSON.parse(run('timeline', file, '--json')) as TimelineEvent[];
  const said = timeline.filter((e) => e.kind === 'service').map((e) => [e.time, e.text, e.until, e.count]);
  assert.deepEqual(said, [
    [at('00:02'), `policy server ${SERVER} (media location) slow to answer: 1.5 s`, null, 1],
    [at('00:04'), `policy server ${SERVER} (service configuration) failing: External policy request failed: Connection refused, HTTP 503; 2 times in the log`, at('00:08'), 2],
  ]);
});

test('each call dialled in with what its node asked the policy server for it: in its trace (a reject, a time-out, no policy), its admission (the wait), its text, and redacted; what its local policy wrote naming it', async () => {
  const { generateLog } = await import('../generator/index.ts');
  const { text, truth } = generateLog({ seed: 5, calls: 120, policy: true, dialOuts: true });
  const file = join(tmp, 'policy.log');
  writeFileSync(file, text);
  const asked = truth.calls.filter((c) => c.policy);
  const outcomes = new Set(asked.flatMap((c) => c.policy!.map((p) => p.outcome)));
  assert.deepEqual([...outcomes].sort(), ['continue', 'error', 'no policy', 'reject', 'timeout'], 'every outcome in the log');
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const trace = async (id: string) => (await api.callTrace({ id }))!;
  // as the generator wrote it: a reject refused, a time-out or an HTTP error failed, a 404 gave no policy
  const outcomeOf = (r: PolicyRequest) => (r.failure !== null ? (r.status === null ? 'timeout' : 'error') : r.status === 404 && r.result === 'fail' ? 'no policy' : r.action);
  for (const c of truth.calls) {
    const got = ((await trace(c.id)).policy ?? []).map((r) => ({ kind: r.kind, outcome: outcomeOf(r), ms: r.ms }));
    assert.deepEqual(got, c.policy ?? [], c.id);
  }
  // what the local policy script wrote: a call's the line naming its parties, no call's the line naming none
  const scripted = truth.calls.filter((c) => c.localPolicy);
  assert.ok(scripted.length > 5, `${scripted.length} calls with local policy lines`);
  for (const c of truth.calls) assert.deepEqual(((await trace(c.id)).localPolicy ?? []).map((l) => l.text), c.localPolicy ?? [], c.id);
  const s0 = scripted[0]!;
  const l0 = (await trace(s0.id)).localPolicy![0]!;
  assert.equal((await api.lineDetail({ index: l0.line })).callId, s0.id, 'its detail opens its call');
  assert.ok(run('trace', file, '--call', s0.id).includes(`\n  local policy: ${l0.time} ${s0.localPolicy![0]}\n`));
  assert.ok(run('search', file, `call:${s0.id}`, '--raw').includes(`Detail="${s0.localPolicy![0]!.replace(/"/g, '\\"')}"`), 'in its lines');
  const { localPolicyLines } = await import('../../electron/engine/correlate/local-policy.ts');
  const unnamed = localPolicyLines((await openBundle([file])).store).filter((l) => l.text.startsWith('Media location policy'));
  assert.equal(unnamed.length, scripted.length);
  assert.equal((await api.lineDetail({ index: unnamed[0]!.line })).callId, null, 'a line naming no party is no call\'s');
  const refused = asked.find((c) => c.policy!.some((p) => p.outcome === 'reject'))!;
  assert.equal(refused.reason, 'Call rejected by policy');
  const r = (await trace(refused.id)).policy![0]!;
  // the CLI's trace holds the same, and says it
  assert.deepEqual((JSON.parse(run('trace', file, '--call', refused.id, '--json')) as CallTrace).policy, [r]);
  const printed = run('trace', file, '--call', refused.id);
  assert.ok(printed.includes(`\n  policy:     ${r.time} service configuration → reject (HTTP 200) in ${r.ms} ms\n`), printed);
  const timedOut = asked.find((c) => c.policy![0]!.outcome === 'timeout')!;
  assert.ok(run('trace', file, '--call', timedOut.id).includes(' service configuration failed: External policy request failed: Timed out in 5.0 s (slow); its own configuration used\n'));
  // the call waited on the answers before it joined: its admission says so, a second or more of it
  const { admission, admissionWords } = await import('../../electron/shared/admission.ts');
  const { spanText } = await import('../../electron/shared/ladder-layout.ts');
  const joinedOnes = asked.filter((c) => !c.failed);
  assert.ok(joinedOnes.some((c) => c.policy!.reduce((n, p) => n + p.ms, 0) < 1000), 'a call the server answered fast');
  for (const c of joinedOnes) {
    const t = await trace(c.id);
    const a = admission(t)!;
    const waited = c.policy!.reduce((n, p) => n + p.ms, 0);
    assert.equal(a.policyMs, waited, c.id);
    assert.equal(admissionWords(a, t.messages).includes(`waited ${spanText(waited)} on the policy server`), waited >= 1000, admissionWords(a, t.messages));
  }
  // its lines (`call:`, the excerpt a case takes) hold its requests and their answers, in their place
  const excerpt = run('search', file, `call:${refused.id}`, '--raw').split('\n').filter(Boolean);
  const policyLines = excerpt.filter((l) => l.includes('Name="support.externalpolicy"'));
  assert.equal(policyLines.length, 2 * refused.policy!.length);
  assert.equal(excerpt.length, refused.lineNumbers.length + policyLines.length);
  assert.ok(excerpt.indexOf(policyLines[0]!) > 0 && excerpt.indexOf(policyLines[1]!) < excerpt.findIndex((l) => l.includes('SIP/2.0 403')), 'after its INVITE, before the refusal');
  // a redacted report says it with the call's parties replaced; the lines' URLs too, decoded or not
  const redacted = run('export', file, '--call', refused.id, '--format', 'text', '--redact', '-o', '-');
  assert.ok(/\n  Policy \.+ \S+ \S+ service configuration → reject \(HTTP 200\) in \d+ ms\n/.test(redacted), redacted.split('\n').slice(0, 30).join('\n'));
  const raw = run('export', file, '--query', 'name:support.externalpolicy OR name:support.jinja2', '--format', 'raw', '--redact', '-o', '-');
  const scriptReport = run('export', file, '--call', s0.id, '--format', 'text', '--redact', '-o', '-');
  assert.ok(/\n  Local policy \.+ \S+ \S+ Service policy ,sip:\S+, dialled ,sip:\S+, from ,192\.0\.2\.\d+\n/.test(scriptReport), scriptReport.split('\n').slice(0, 30).join('\n'));
  assert.ok(raw.split('\n').filter(Boolean).length === asked.reduce((n, c) => n + 2 * c.policy!.length, 0) + 2 * scripted.length, 'every request and answer, every script line');
  const forms = (p: string) => [p, encodeURIComponent(p), new URLSearchParams({ v: p }).toString().slice(2)];
  for (const out of [redacted, raw, scriptReport]) {
    const leaked = truth.personal.flatMap(forms).filter((p) => out.includes(p));
    assert.deepEqual(leaked, [], 'no personal value, as written or URL-encoded');
  }
});
