/**
 * Calls and trace speed (issue #3): `pexlens calls` end to end on the 200 MB log (target
 * ≥ 100 MB/s, peak RSS ≤ 1.5× input), the index alone once loaded, and `trace` of one call
 * once loaded (target ≤ 50 ms); `calls` again, answered from the call cache; the registrations
 * and audit pages' readings, against the call index; the nodes out of contact, against the alarms
 * (the whole bundle's, and the largest conference's). The "find a call" entity index (issue #4):
 * build and queries, against lunr over the same records in the same process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { buildEntityIndex } from '../../electron/engine/search/entity-index.ts';
import { registrations } from '../../electron/engine/correlate/registrations.ts';
import { auditEvents } from '../../electron/engine/correlate/audit.ts';
import { alarmSpansAt } from '../../electron/engine/correlate/alarms.ts';
import { contactLossesAt } from '../../electron/engine/correlate/connectivity.ts';
import { dnsLookups, dnsTargets, eventSinks } from '../../electron/engine/correlate/external-services.ts';
import { qualityOfCalls } from '../../electron/engine/correlate/call-quality.ts';
import { policyRequests, policyTargets, withPolicy } from '../../electron/engine/correlate/external-policy.ts';
import { localPolicyLines, withLocalPolicy } from '../../electron/engine/correlate/local-policy.ts';
import { writeLog } from '../generator/index.ts';
import { alarmsOfCalls, contactLossesOfCalls } from '../../electron/engine/correlate/node-events.ts';
import { filterCalls } from '../../electron/shared/call-list.ts';
import { callGroups } from '../../electron/shared/call-groups.ts';
import { conferenceRows, conferenceRowsOfCalls } from '../../electron/shared/conference-list.ts';
import type { BenchContext } from './run.ts';
import { lunrEntityIndex } from './entity-lunr.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function bench(ctx: BenchContext): Promise<void> {
  const bytes = statSync(ctx.log200).size;
  const mb = bytes / 1e6;

  // the CLI as a user runs it: process start, load, index, JSON out (to /dev/null), the calls
  // saved to a cache of its own (empty: the first run builds them); then again, from that cache
  const cache = mkdtempSync(join(tmpdir(), 'pexlens-bench-calls-'));
  const cliRun = () => {
    const t0 = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/pexlens.js', 'calls', '--json', ctx.log200], {
      cwd: root,
      env: { ...process.env, PEXLENS_CACHE_DIR: cache }, // the built CLI, as users run it (the runner builds first)
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(`pexlens calls failed: ${run.stderr.toString().slice(0, 400)}`);
    return { run, ms: performance.now() - t0 };
  };
  const { run, ms: cliMs } = cliRun();
  const { ms: cachedMs } = cliRun();
  rmSync(cache, { recursive: true, force: true });
  ctx.report('calls CLI end to end (200 MB)', mb / (cliMs / 1000), 'MB/s', 100);
  ctx.report('calls CLI end to end, again (from the call cache)', cachedMs, 'ms', cliMs);
  const rssKb = Number(/(\d+)\s*$/.exec(run.stderr.toString())?.[1]);
  if (Number.isFinite(rssKb)) ctx.report('calls CLI peak RSS / input', (rssKb * 1024) / bytes, 'x', 1.5);
  // the same process loading only (`info`): what the call index itself adds on top of the load
  const info = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/pexlens.js', 'info', ctx.log200], {
    cwd: root,
    env: process.env, // the built CLI, as users run it (the runner builds first)
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 20,
  });
  const infoKb = Number(/(\d+)\s*$/.exec(info.stderr.toString())?.[1]);
  if (info.status === 0 && Number.isFinite(rssKb) && Number.isFinite(infoKb)) ctx.report('calls CLI peak RSS minus `info`\'s (negative: calls keeps less)', (rssKb - infoKb) / 1024, 'MB');

  // in process: load, then the index alone, then traces
  const l0 = performance.now();
  const session = await openBundle([ctx.log200]);
  const l1 = performance.now();
  const index = buildCallIndex(session);
  const l2 = performance.now();
  ctx.report('load (200 MB)', mb / ((l1 - l0) / 1000), 'MB/s');
  ctx.report('call index once loaded (200 MB)', l2 - l1, 'ms');
  ctx.report('calls found', index.calls.length, 'calls');
  // the registrations page's reading (every REGISTER and registration line), against the call index
  const r0 = performance.now();
  const regs = registrations(session.store);
  ctx.report(`registrations once loaded (${regs.rows.length} aliases), against the call index`, performance.now() - r0, 'ms', l2 - l1);
  // the audit page's reading (three administrator modules' lines), against the call index
  const a0 = performance.now();
  const audit = auditEvents(session.store);
  ctx.report(`audit trail once loaded (${audit.length} lines), against the call index`, performance.now() - a0, 'ms', l2 - l1);
  // the overview's nodes out of contact (the connectivity lines), against its alarms' reading: one module's lines each
  const al0 = performance.now();
  const alarmsRead = alarmSpansAt(session.store);
  const alarmsMs = performance.now() - al0;
  const lo0 = performance.now();
  const lost = contactLossesAt(session.store);
  ctx.report(`nodes out of contact once loaded (${lost.length} losses), against the alarms' (${alarmsRead.length})`, performance.now() - lo0, 'ms', alarmsMs);
  // the overview's external services (the DNS and event sink lines: two modules' lines, by field), against the alarms' reading
  const es0 = performance.now();
  const names = dnsTargets(dnsLookups(session.store));
  const sinks = eventSinks(session.store);
  ctx.report(`external services once loaded (${names.length} DNS names, ${sinks.length} event sinks), against the alarms'`, performance.now() - es0, 'ms', alarmsMs);
  // a conference's timeline lanes, over every call of the log as one (a gateway rule's over weeks):
  // its losses of contact (calls on both nodes up together), against its alarms
  alarmsOfCalls(index.calls.slice(0, 1), session.store); // the bundle's node events, read once for both
  const ca0 = performance.now();
  alarmsOfCalls(index.calls, session.store);
  const confAlarmsMs = performance.now() - ca0;
  const cl0 = performance.now();
  const confLost = contactLossesOfCalls(index.calls, session.store);
  ctx.report(`a conference of all ${index.calls.length} calls: its losses of contact (${confLost.length}), against its alarms`, performance.now() - cl0, 'ms', confAlarmsMs);
  // the calls' quality ratings (support.participant, tied by party, node and time, each given to one call): read and given once for all
  const qr0 = performance.now();
  const rated = qualityOfCalls(index.calls, session.store, index.calls);
  ctx.report(`calls' quality ratings read and given to their calls once loaded (${rated.length} calls rated), against the alarms' reading`, performance.now() - qr0, 'ms', alarmsMs);
  // then a conference's, a lookup: all of them, against its alarms
  const qc0 = performance.now();
  qualityOfCalls(index.calls, session.store, index.calls);
  ctx.report(`a conference of all ${index.calls.length} calls: its calls' ratings, once given, against its alarms`, performance.now() - qc0, 'ms', confAlarmsMs);
  // the call list broken down (its By… selector): a trait over every call, against the list's
  // quick filter over them (what a view of the list costs already)
  const f0 = performance.now();
  filterCalls(index.calls, { text: 'example' });
  const filterMs = performance.now() - f0;
  for (const key of ['vendor', 'remoteNetwork', 'mediaNode', 'signalingLocation'] as const) {
    const g0 = performance.now();
    const groups = callGroups(index.calls, key);
    ctx.report(`call list by ${key} (${groups.length} groups of ${index.calls.length} calls), against its quick filter`, performance.now() - g0, 'ms', filterMs);
  }
  // the conference list, whole and held in a window (a tenth of the log's span, from its middle):
  // the window's against the whole list's
  const w = performance.now();
  const whole = conferenceRows(index.conferences, index.calls);
  const wholeMs = performance.now() - w;
  ctx.report(`conference list (${whole.length} names)`, wholeMs, 'ms');
  const starts = index.calls.map((c) => c.start).filter((s): s is string => s !== null).sort();
  const [t0, t1] = [Date.parse(starts[0]!), Date.parse(starts.at(-1)!)];
  const from = new Date((t0 + t1) / 2).toISOString(), to = new Date((t0 + t1) / 2 + (t1 - t0) / 10).toISOString();
  const w0 = performance.now();
  const held = conferenceRowsOfCalls(index.conferences, filterCalls(index.calls, { from, to }));
  ctx.report(`conference list held in a window (${held.length} names), against the whole list`, performance.now() - w0, 'ms', wholeMs);

  // trace: the calls with the most messages are the slowest ones; take a spread of sizes
  const calls = index.calls.slice().sort((a, b) => Object.values(b.counts).reduce((x, y) => x + y, 0) - Object.values(a.counts).reduce((x, y) => x + y, 0));
  const sample = [...calls.slice(0, 10), ...calls.filter((_, k) => k % Math.max(1, Math.floor(calls.length / 20)) === 0)];
  let worst = 0;
  let total = 0;
  for (const c of sample) {
    const t = performance.now();
    index.trace(c.id);
    const ms = performance.now() - t;
    worst = Math.max(worst, ms);
    total += ms;
  }
  ctx.report('trace of one call (mean)', total / sample.length, 'ms', 50);
  ctx.report('trace of one call (worst)', worst, 'ms', 50);

  // find a call: ids, a name, a node, a conference shared by many calls, a response code
  const c0 = index.calls[Math.floor(index.calls.length / 2)]!;
  const queries = [c0.id, c0.ids[c0.ids.length - 1]!, 'alice', 'meet', c0.signalingNode ?? 'sip', '404', 'meet alice', c0.conference ?? 'bob'];
  const time = (f: () => unknown) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const p50 = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  let ours!: ReturnType<typeof buildEntityIndex>;
  let theirs!: ReturnType<typeof lunrEntityIndex>;
  const buildOurs = time(() => (ours = buildEntityIndex(index.calls)));
  const buildLunr = time(() => (theirs = lunrEntityIndex(index.calls)));
  ctx.report(`entity index build (${index.calls.length} calls)`, buildOurs, 'ms', buildLunr);
  const qOurs = queries.map((q) => time(() => ours.search(q)));
  const qLunr = queries.map((q) => time(() => theirs(q)));
  ctx.report('entity query p50 (8 queries)', p50(qOurs), 'ms', p50(qLunr));
  ctx.report('entity query worst', Math.max(...qOurs), 'ms', Math.max(...qLunr));

  // the external policy server (a log of its own with it: the 200 MB one has no policy lines):
  // its requests read and grouped as the Overview does, then given to their calls as the first
  // call view does (later ones are a lookup), and the local policy script's lines; each against
  // that log's alarms' reading
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-bench-policy-'));
  try {
    const policyLog = join(dir, 'unified_support.log');
    await writeLog(policyLog, { seed: 20260514, targetBytes: 50e6, damaged: true, policy: true });
    const ps = await openBundle([policyLog]);
    const pIndex = buildCallIndex(ps);
    const pa0 = performance.now();
    alarmSpansAt(ps.store);
    const pAlarmsMs = performance.now() - pa0;
    const pr0 = performance.now();
    const kinds = policyTargets(policyRequests(ps.store));
    const requests = kinds.reduce((n, k) => n + k.requests, 0);
    ctx.report(`policy requests read and grouped (50 MB: ${requests} requests), against its alarms'`, performance.now() - pr0, 'ms', pAlarmsMs);
    const pg0 = performance.now();
    const first = pIndex.calls.find((c) => c.protocol === 'SIP')!;
    withPolicy(pIndex.trace(first.id)!, ps.store, pIndex.calls);
    ctx.report(`policy requests given to their calls (${pIndex.calls.length} calls), with a trace`, performance.now() - pg0, 'ms', pAlarmsMs);
    // the local policy script's lines (a call in four writes two), read and given to the calls they name
    const pl0 = performance.now();
    const scripted = localPolicyLines(ps.store);
    withLocalPolicy(pIndex.trace(first.id)!, ps.store, pIndex.calls);
    ctx.report(`local policy lines read and given to their calls (${scripted.length} lines), with a trace`, performance.now() - pl0, 'ms', pAlarmsMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
