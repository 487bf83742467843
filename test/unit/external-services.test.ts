/**
 * The nodes' external services (correlate/external-services.ts): on a small hand-written log, the
 * DNS lookups per name and record type and the event sinks with their failures, in `pexlens info`
 * and the timeline; on a generated log with dial-outs, each call a node placed with the lookup of
 * the domain it dialled, in its trace.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { dnsLookups, dnsTargets, eventSinks, uriDomain } from '../../electron/engine/correlate/external-services.ts';
import type { CallTrace, DnsTarget, EventSink, TimelineEvent } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-services-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();

/** A line at 08:MM:SS from a node. */
const line = (mmss: string, node: string, name: string, rest: string) => `2026-05-14T08:${mmss}.000+00:00 ${node} 2026-05-14 08:${mmss},000 Level="INFO" Name="${name}" ${rest}`;
const dns = (mmss: string, node: string, rest: string) => line(mmss, node, 'support.dns', rest);
const sink = (mmss: string, node: string, rest: string) => line(mmss, node, 'support.events', rest);
const at = (mmss: string) => `2026-05-14T08:${mmss}.000Z`;

test('DNS lookups per name and record type (failed, then slow, then the most looked up) and event sinks with their failures; in pexlens info and the timeline', async () => {
  const text = [
    dns('00:01', '10.44.99.2', 'Message="DNS record lookup succeeded" Type="SRV" Target="_sip._tcp.example.com" Result="10.48.1.1" Duration="0.040"'),
    dns('00:02', '10.44.99.3', 'Message="DNS record lookup succeeded" Type="SRV" Target="_sip._tcp.example.com" Result="10.48.1.1" Duration="0.060"'),
    dns('00:03', '10.44.99.2', 'Message="DNS record lookup succeeded" Type="SRV" Target="_SIP._tcp.example.com" Result="10.48.1.2" Duration="2.500"'), // slow; a name's case is no other name
    dns('00:04', '10.44.99.2', 'Message="DNS record lookup failed" Type="AAAA" Target="teams.example.net" Reason="No answer" Duration="0.100"'),
    dns('00:05', '10.44.99.3', 'Message="DNS record lookup failed" Type="AAAA" Target="teams.example.net" Reason="No answer" Duration="0.300"'),
    dns('00:06', '10.44.99.3', 'Message="DNS record lookup succeeded" Type="A" Target="vcs.example.com" Result="10.48.9.9"'), // no duration
    dns('00:07', '10.44.99.3', 'Message="DNS record lookup succeeded" Type="A" Target="vcs.example.com" Result="10.48.9.9" Duration="0.020"'),
    dns('00:08', '10.44.99.3', 'Message="DNS record lookup succeeded" Type="A" Target="vcs.example.com" Result="10.48.9.8" Duration="0.010"'),
    sink('00:10', '10.44.99.2', 'Message="Event sink connection failed" Url="https://events.example.com/sink" Detail="Connection refused"'),
    sink('00:11', '10.44.99.3', 'Message="Event sink connection failed" Url="https://events.example.com/sink" Detail="Connection refused"'),
    sink('00:20', '10.44.99.2', 'Message="Event sink connection failed" Url="https://events.example.com/sink" Detail="Timed out"'),
    sink('00:30', '10.44.99.2', 'Message="Event sink connection established" Url="https://events.example.com/sink"'),
    sink('00:40', '10.44.99.3', 'Message="Event sink connection established" Url="https://audit.example.com/events"'),
    sink('00:50', '10.44.99.3', 'Message="Event sink connection failed" Detail="Name or service not known"'), // no Url: still a sink's failure
  ].join('\n') + '\n';
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const store = (await openBundle([file])).store;
  const lookups = dnsLookups(store);
  assert.equal(lookups.length, 8);
  assert.deepEqual(lookups[3], { time: at('00:04'), node: '10.44.99.2', type: 'AAAA', target: 'teams.example.net', result: null, ms: 100, failure: 'DNS record lookup failed: No answer', line: lookups[3]!.line });
  assert.equal(lookups[5]!.ms, null);
  // each opens its own line
  for (const l of lookups) assert.ok(store.text(store.at(l.line)).includes(`Target="${l.target}"`) && store.text(store.at(l.line)).startsWith(l.time.replace('Z', '+00:00')));

  const targets = dnsTargets(lookups);
  const expected: Array<Omit<DnsTarget, 'line'>> = [
    { target: 'teams.example.net', type: 'AAAA', lookups: 2, failed: 2, slow: 0, slowestMs: 300, medianMs: 200, results: [], failures: [{ value: 'DNS record lookup failed: No answer', count: 2 }], nodes: ['10.44.99.2', '10.44.99.3'], first: at('00:04'), last: at('00:05') },
    { target: '_sip._tcp.example.com', type: 'SRV', lookups: 3, failed: 0, slow: 1, slowestMs: 2500, medianMs: 60, results: [{ value: '10.48.1.1', count: 2 }, { value: '10.48.1.2', count: 1 }], failures: [], nodes: ['10.44.99.2', '10.44.99.3'], first: at('00:01'), last: at('00:03') },
    { target: 'vcs.example.com', type: 'A', lookups: 3, failed: 0, slow: 0, slowestMs: 20, medianMs: 15, results: [{ value: '10.48.9.9', count: 2 }, { value: '10.48.9.8', count: 1 }], failures: [], nodes: ['10.44.99.3'], first: at('00:06'), last: at('00:08') },
  ];
  assert.deepEqual(targets.map(({ line: _, ...t }) => t), expected);
  // a name opens its first failure, else its slowest lookup when slow, else its first
  assert.deepEqual(targets.map((t) => t.line), [lookups[3]!.line, lookups[2]!.line, lookups[5]!.line]);

  const sinks = eventSinks(store);
  const sinkLines = store.modulePositions(store.names.values.indexOf('support.events'));
  const expectedSinks: EventSink[] = [
    { url: 'https://events.example.com/sink', lines: 4, failures: 3, firstFailure: at('00:10'), lastFailure: at('00:20'), nodes: ['10.44.99.2', '10.44.99.3'], details: [{ value: 'Connection refused', count: 2 }, { value: 'Timed out', count: 1 }], line: sinkLines[0]! },
    { url: '', lines: 1, failures: 1, firstFailure: at('00:50'), lastFailure: at('00:50'), nodes: ['10.44.99.3'], details: [{ value: 'Name or service not known', count: 1 }], line: sinkLines[5]! },
    { url: 'https://audit.example.com/events', lines: 1, failures: 0, firstFailure: null, lastFailure: null, nodes: ['10.44.99.3'], details: [], line: sinkLines[4]! },
  ];
  assert.deepEqual(sinks, expectedSinks);
  // over a window, its lines only
  assert.deepEqual(eventSinks(store, { from: at('00:15'), to: at('00:35') }).map((k) => [k.url, k.lines, k.failures, k.firstFailure]), [['https://events.example.com/sink', 2, 1, at('00:20')]]);

  // pexlens info: the same in --json, a line each in its text
  const json = JSON.parse(run('info', file, '--json')) as { eventSinks: EventSink[]; dns: DnsTarget[] };
  assert.deepEqual(json.eventSinks, expectedSinks);
  assert.deepEqual(json.dns, targets);
  const printed = run('info', file);
  assert.ok(printed.includes('\nevent sinks (support.events):\n  https://events.example.com/sink: 3 failures from 2026-05-14 08:00:10.000 to 2026-05-14 08:00:20.000, from 2 nodes: Connection refused ×2, Timed out\n  (no Url given): 1 failure at 2026-05-14 08:00:50.000, from 1 node: Name or service not known\n  https://audit.example.com/events: 1 line, no failure\n'), printed);
  assert.ok(printed.includes('\nDNS lookups (support.dns), failed and slow first:\n  AAAA teams.example.net: 2 lookups from 2 nodes, 2 failed (DNS record lookup failed: No answer ×2), the slowest 300 ms, median 200 ms\n'), printed);
  assert.ok(printed.includes('  SRV _sip._tcp.example.com: 3 lookups from 2 nodes, 1 slow (≥ 1.0 s), the slowest 2.5 s, median 60 ms; resolved to 10.48.1.1 ×2, 10.48.1.2\n'), printed);

  // the timeline: the sink failing from its first failure to its last, the name where it first failed, the slow one where it was slow
  const timeline = JSON.parse(run('timeline', file, '--json')) as TimelineEvent[];
  const services = timeline.filter((e) => e.kind === 'service').map((e) => [e.time, e.text, e.until, e.count, e.line]);
  assert.deepEqual(services, [
    [at('00:03'), '10.44.99.2: DNS SRV _SIP._tcp.example.com slow to resolve: 2.5 s', null, 1, lookups[2]!.line],
    [at('00:04'), '10.44.99.2: DNS AAAA teams.example.net did not resolve: DNS record lookup failed: No answer; 2 times in the log', null, 2, lookups[3]!.line],
    [at('00:10'), 'event sink https://events.example.com/sink failing: Connection refused (3 failures in the log, from 2 nodes)', at('00:20'), 3, sinkLines[0]!],
    [at('00:50'), 'event sink (no Url given) failing: Name or service not known (1 failure in the log, from 1 node)', null, 1, sinkLines[5]!],
  ]);
});

test('the domain a call dialled: its URI\'s host, not an address', () => {
  assert.equal(uriDomain('sip:bob@Example.com:5061;transport=tls'), 'example.com');
  assert.equal(uriDomain('"Bob" <sips:bob@partner.example.net>;tag=1'), 'partner.example.net');
  assert.equal(uriDomain('sip:meet.example.com'), 'meet.example.com');
  assert.equal(uriDomain('h323:alice@gk.example.org'), 'gk.example.org');
  assert.equal(uriDomain('sip:bob@10.47.1.2'), null);
  assert.equal(uriDomain('sip:bob@[2001:db8::1]:5060'), null);
  assert.equal(uriDomain(null), null);
});

test("a call a node placed: the lookup its node made of the domain it dialled, in its trace (slow ones said); a call dialled in has none", async () => {
  const { generateLog } = await import('../generator/index.ts');
  const { text, truth } = generateLog({ seed: 29, calls: 150, dialOuts: true });
  const file = join(tmp, 'dial-outs.log');
  writeFileSync(file, text);
  const placed = truth.calls.filter((c) => c.dns);
  const slow = placed.filter((c) => c.dns!.ms >= 1000);
  assert.ok(placed.length > 5 && slow.length > 0 && slow.length < placed.length, `${placed.length} dial-outs, ${slow.length} slow`);
  const inbound = truth.calls.filter((c) => !c.dialOut && c.protocol === 'SIP').slice(0, 5).map((c) => c.id);
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const trace = async (id: string) => (await api.callTrace({ id }))!;
  for (const c of placed) {
    const t = await trace(c.id);
    // the generator's lookup is among them (the background's random lookups of the same domain may be too, by the same node in the window)
    const mine = t.dnsLookups ?? [];
    assert.ok(mine.some((l) => l.type === c.dns!.type && l.target === c.dns!.target && l.result === c.dns!.result && l.ms === c.dns!.ms), `${c.id}: ${JSON.stringify(mine)}`);
    for (const l of mine) assert.ok(l.target === uriDomain(c.to) || l.target.endsWith(`.${uriDomain(c.to)}`), l.target);
  }
  for (const id of inbound) assert.equal((await trace(id)).dnsLookups, undefined, id);
  // the CLI's trace holds the same
  const s = slow[0]!;
  assert.deepEqual((JSON.parse(run('trace', file, '--call', s.id, '--json')) as CallTrace).dnsLookups, (await trace(s.id)).dnsLookups);
  // a redacted report says the lookup, the dialled domain and the address it found replaced as the rest of the call's
  const redacted = run('export', file, '--call', s.id, '--format', 'text', '--redact', '-o', '-');
  const domain = uriDomain(s.to)!;
  assert.ok(/\n  DNS \.+ \S+ \S+ SRV _sip\._tcp\.\S+ → 192\.0\.2\.\d+ in /.test(redacted), redacted.split('\n').slice(0, 40).join('\n'));
  for (const secret of [s.dns!.result, domain, s.to.replace(/^sip:/, '')]) assert.ok(!redacted.includes(secret), `${secret} in the redacted report`);
  assert.ok(/\n  Dial-out \.+ \S/.test(redacted));
  // the trace's text says it, and a slow one as slow
  const printed = run('trace', file, '--call', s.id);
  assert.ok(printed.includes(`\n  dns:        `) && printed.includes(` SRV ${s.dns!.target} → ${s.dns!.result} in ${(s.dns!.ms / 1000).toFixed(1)} s (slow)\n`), printed);
});
