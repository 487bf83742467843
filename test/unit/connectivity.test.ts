/**
 * Nodes out of contact (correlate/connectivity.ts): on a small hand-written log, each "Unable to
 * contact node." paired with the "Connectivity re-established." of the same pair; on a generated
 * log, the losses under a call (between its own nodes) and under a conference (between nodes its
 * calls were up on together), in the trace, the report and the app.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { contactLosses, contactLossesAt } from '../../electron/engine/correlate/connectivity.ts';
import { contactLanes } from '../../renderer/src/overview/alarm-lanes.ts';
import type { CallContactLoss, ContactLoss } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-contact-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();

/** One administrator.system.connectivity line at 08:MM:SS, as a node sends it. */
const line = (mmss: string, message: string, from: string, to: string, extra = '') =>
  `2026-05-14T08:${mmss}.000+00:00 ${from} 2026-05-14 08:${mmss},000 Level="${message.startsWith('Unable') ? 'WARNING' : 'INFO'}" Name="administrator.system.connectivity" Message="${message}" Src-Node="${from}" Node="${to}"${extra}`;
const at = (mmss: string) => `2026-05-14T08:${mmss}.000Z`;
const LOST = 'Unable to contact node.';
const BACK = 'Connectivity re-established.';

test('nodes out of contact: a node\'s reports paired with contact coming back, per pair and way; what the log holds of each loss\'s start and end', async () => {
  const text = [
    line('00:05', BACK, '10.44.99.2', '10.46.10.7', ' Path="Direct" Last-Reported="Thu May 14 07:59:00 2026"'), // lost before the log
    line('00:06', 'Connectivity established.', '10.44.99.3', '10.46.10.7', ' Path="10.47.3.4, 10.47.3.7"'), // a node joining: no loss
    line('00:10', LOST, '10.44.99.2', '10.46.10.7'),
    '2026-05-14T08:00:11.000+00:00 10.44.99.3 2026-05-14 08:00:11,000 Level="INFO" Name="support.sip" Message="Sending SIP message" Detail="^MOPTIONS sip:x SIP/2.0^M"',
    line('00:15', LOST, '10.46.10.7', '10.44.99.2'), // the other way: its own loss
    line('00:20', LOST, '10.44.99.2', '10.46.10.7'), // reported again while lost
    line('00:30', LOST, '10.44.99.2', '10.46.10.7'),
    line('00:40', BACK, '10.44.99.2', '10.46.10.7', ' Path="10.47.3.4, 10.47.3.7" Last-Reported="Thu May 14 08:00:09 2026"'),
    line('00:45', BACK, '10.44.99.2', '10.46.10.7', ' Path="Direct"'), // back again with nothing lost: nothing new
    line('01:00', LOST, '10.52.8.21', '10.44.99.3'), // never back
    line('01:10', LOST, '10.44.99.2', '10.46.10.7'), // lost again after coming back: a new loss
    line('01:20', BACK, '10.44.99.2', '10.46.10.7', ' Path="Direct"'),
  ].join('\n') + '\n';
  const file = join(tmp, 'unified_support.log');
  writeFileSync(file, text);
  const store = (await openBundle([file])).store;
  const expected: ContactLoss[] = [
    { from: '10.44.99.2', to: '10.46.10.7', lost: null, back: at('00:05'), reports: 0, path: 'Direct' },
    { from: '10.44.99.2', to: '10.46.10.7', lost: at('00:10'), back: at('00:40'), reports: 3, path: '10.47.3.4, 10.47.3.7' },
    { from: '10.46.10.7', to: '10.44.99.2', lost: at('00:15'), back: null, reports: 1, path: null },
    { from: '10.52.8.21', to: '10.44.99.3', lost: at('01:00'), back: null, reports: 1, path: null },
    { from: '10.44.99.2', to: '10.46.10.7', lost: at('01:10'), back: at('01:20'), reports: 1, path: 'Direct' },
  ];
  assert.deepEqual(contactLosses(store), expected);
  // each opens its first line: its first report, or contact back when lost before the log
  for (const { loss, line: p } of contactLossesAt(store)) {
    const first = store.text(store.at(p));
    assert.ok(first.includes(`Message="${loss.lost ? LOST : BACK}" Src-Node="${loss.from}" Node="${loss.to}"`), first);
    assert.ok(first.startsWith((loss.lost ?? loss.back)!.replace('Z', '+00:00')), first);
  }
  // pexlens info: the same in --json, a line each in its text
  assert.deepEqual((JSON.parse(run('info', file, '--json')) as { contactLosses: unknown }).contactLosses, expected);
  const printed = run('info', file);
  assert.ok(printed.includes('\nnodes out of contact (administrator.system.connectivity):\n'), printed);
  assert.ok(printed.includes('  10.44.99.2 could not reach 10.46.10.7 since before the log began, back at 2026-05-14 08:00:05.000\n'), printed);
  assert.ok(printed.includes('  10.44.99.2 could not reach 10.46.10.7 from 2026-05-14 08:00:10.000 (3 reports), back at 2026-05-14 08:00:40.000 via 10.47.3.4, 10.47.3.7\n'), printed);
  assert.ok(printed.includes('  10.52.8.21 could not reach 10.44.99.3 from 2026-05-14 08:01:00.000, still lost when the log ends\n'), printed);

  // the overview's lanes: one per pair, either way, how long one could not reach the other (overlaps once)
  const found = contactLossesAt(store);
  const lanes = contactLanes(found.map((x) => x.loss), found.map((x) => x.line), at('00:00'), at('01:40'));
  assert.deepEqual(
    lanes.map((l) => ({ pair: `${l.a} ${l.b}`, bars: l.bars.map((b) => `${b.span.from}>${b.span.to}`), lostMs: l.lostMs, stillLost: l.stillLost })),
    [
      // 08:00:00–00:05, 00:10 to the end (00:15–end the other way overlaps 00:10–00:40 and 01:10–01:20)
      { pair: '10.44.99.2 10.46.10.7', bars: ['10.44.99.2>10.46.10.7', '10.44.99.2>10.46.10.7', '10.46.10.7>10.44.99.2', '10.44.99.2>10.46.10.7'], lostMs: 95_000, stillLost: true },
      { pair: '10.44.99.3 10.52.8.21', bars: ['10.52.8.21>10.44.99.3'], lostMs: 40_000, stillLost: true },
    ],
  );
});

test('nodes out of contact: none in a log without connectivity lines', async () => {
  const file = join(tmp, 'quiet.log');
  writeFileSync(file, '2026-05-14T08:00:11.000+00:00 10.44.99.3 2026-05-14 08:00:11,000 Level="INFO" Name="support.sip" Message="Sending SIP message"\n');
  assert.deepEqual(contactLosses((await openBundle([file])).store), []);
});

test("a call whose nodes could not reach each other while it was up says so (its trace, its report, the app's); a conference's, where its calls on both were up together", async () => {
  const { generateLog } = await import('../generator/index.ts');
  const { EngineApi } = await import('../../electron/engine/api-impl.ts');
  const { text, truth } = generateLog({ seed: 29, targetBytes: 3_000_000, edges: true });
  const file = join(tmp, 'calls.log');
  writeFileSync(file, text);
  const losses = (JSON.parse(run('info', file, '--json')) as { contactLosses: ContactLoss[] }).contactLosses;
  assert.ok(losses.some((l) => l.lost === null) && losses.some((l) => l.back === null) && losses.length > 10);
  type Call = { id: string; start: string | null; end: string | null; signalingNode: string | null; mediaNode: string | null; proxyNode: string | null; conferenceId: string | null };
  const calls = JSON.parse(run('calls', file, '--json')) as Call[];
  // the generator's record of each name's node (the Edge is its own)
  const node = (n: string) => truth.nodeForms[n] ?? n;
  const nodesOf = (c: Call) => [c.signalingNode, c.mediaNode, c.proxyNode].filter((n): n is string => n !== null).map(node);
  /** The part of a call's time up within a loss, or null. */
  const within = (c: Call, l: ContactLoss): [string, string] | null => {
    if (!c.start) return null;
    const from = [c.start, l.lost ?? ''].sort()[1]!;
    const to = [c.end ?? c.start, l.back ?? '\uffff'].sort()[0]!;
    return from <= to ? [from, to] : null;
  };
  /** A reference, straight from the words: calls on each end up together while the two could not reach each other. */
  const under = (mine: Call[]) =>
    losses.filter((l) => {
      if (node(l.from) === node(l.to)) return false;
      const on = (n: string) => mine.flatMap((c) => (nodesOf(c).includes(node(n)) ? [within(c, l)] : [])).filter((x): x is [string, string] => x !== null);
      return on(l.from).some(([f, t]) => on(l.to).some(([g, u]) => f <= u && g <= t));
    });
  const hit = calls.filter((c) => under([c]).length > 0);
  const missed = calls.filter((c) => c.start && c.signalingNode && c.mediaNode && node(c.signalingNode) !== node(c.mediaNode) && under([c]).length === 0);
  assert.ok(hit.length > 0 && missed.length > 0, `calls on two nodes with (${hit.length}) and without (${missed.length}) a loss between them`);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  let drawnContact = 0;
  const key = (l: ContactLoss): ContactLoss => ({ from: l.from, to: l.to, lost: l.lost, back: l.back, reports: l.reports, path: l.path });
  for (const c of [...hit.slice(0, 4), ...missed.slice(0, 2)]) {
    const want = under([c]);
    const traced = JSON.parse(run('trace', file, '--call', c.id, '--json')) as { contactLosses?: CallContactLoss[] };
    assert.deepEqual((traced.contactLosses ?? []).map(key), want, `${c.id}: its trace`);
    const app = (await api.callTrace({ id: c.id }))!.contactLosses ?? [];
    assert.deepEqual(app.map(key), want, `${c.id}: the app's trace`);
    for (const l of app) {
      const first = await api.lineDetail({ index: l.line });
      assert.ok(first.text.includes(` Src-Node="${l.from}" Node="${l.to}"`), `${c.id}: ${first.text}`);
    }
    const words = run('trace', file, '--call', c.id).split('\n').filter((l) => l.startsWith('  contact:'));
    assert.equal(words.length, want.length, `${c.id}: a contact: line each`);
    for (const [i, l] of want.entries()) {
      assert.ok(words[i]!.startsWith(`  contact:    ${l.from} could not reach ${l.to} ${l.lost === null ? 'since before the log began' : `from ${l.lost}`}`), words[i]);
      assert.ok(words[i]!.endsWith(`${l.back === null ? 'still lost when the log ends' : `back at ${l.back}${l.path && l.path !== 'Direct' ? ` via ${l.path}` : ''}`}, while the call was up`), words[i]);
    }
    // its ladder picture: a mark row for each restart, alarm and contact change between its messages
    const full = JSON.parse(run('trace', file, '--call', c.id, '--json')) as import('../../electron/api.ts').CallTrace;
    const times = full.messages.map((m) => Date.parse(m.time));
    const { ladderMarks } = await import('../../electron/shared/ladder-marks.ts');
    const between = ladderMarks(full).filter((m) => m.t >= Math.min(...times) && m.t <= Math.max(...times));
    const picture = run('export', file, '--call', c.id, '--format', 'svg', '-o', '-');
    assert.equal(picture.match(/<g class="mark">/g)?.length ?? 0, between.length, `${c.id}: its ladder's marks`);
    for (const m of between.filter((x) => x.kind === 'contact')) assert.ok(picture.includes(m.text), `${c.id}: ${m.text}`);
    drawnContact += between.filter((x) => x.kind === 'contact').length;
    const report = run('export', file, '--call', c.id, '--format', 'text', '-o', '-');
    assert.equal(report.match(/^ {2}Contact lost \.+ \S+ could not reach \S+ [^\n]+, while the call was up$/gm)?.length ?? 0, want.length, `${c.id}: its report`);
  }
  assert.ok(drawnContact > 0, 'contact lost or back between the messages of a call checked');
  // a conference's: nodes two of its calls were up on together, or one call on both
  const byConference = new Map<string, Call[]>();
  for (const c of calls) if (c.start && c.conferenceId) byConference.set(c.conferenceId, [...(byConference.get(c.conferenceId) ?? []), c]);
  let some = 0;
  let across = 0;
  for (const [conf, mine] of byConference) {
    const want = under(mine);
    assert.deepEqual((await api.conferenceContactLosses({ conference: conf })).map(key), want, conf);
    if (want.length) some++;
    // a loss between two calls' nodes that no one call of it had both of
    if (want.some((l) => !mine.some((c) => under([c]).some((x) => x.from === l.from && x.to === l.to && x.lost === l.lost)))) across++;
  }
  assert.ok(some > 0, 'conferences with two of their nodes out of contact');
  // together, not merely both within the loss: on a real call's summary, moved in time and node
  const { contactLossesAmong } = await import('../../electron/shared/node-names.ts');
  const base = (await api.calls({ offset: 0, limit: 1 })).rows[0]!;
  const t = (mm: string) => `2026-05-14T08:${mm}:00.000Z`;
  const on = (n: string, from: string, to: string, proxy: string | null = null) => ({ ...base, signalingNode: n, mediaNode: n, proxyNode: proxy, start: t(from), end: t(to) });
  const loss = [{ loss: { from: '10.44.99.2', to: '10.46.10.7', lost: t('10'), back: t('20'), reports: 1, path: 'Direct' }, line: 7 }];
  const among = (...cs: Array<ReturnType<typeof on>>) => contactLossesAmong(cs, loss, []).length;
  assert.equal(among(on('10.44.99.2', '05', '12'), on('10.46.10.7', '15', '25')), 0, 'each up in the loss, not together');
  assert.equal(among(on('10.44.99.2', '05', '12'), on('10.46.10.7', '11', '13')), 1, 'up together in the loss');
  assert.equal(among(on('10.44.99.2', '05', '09'), on('10.46.10.7', '05', '09')), 0, 'together before the loss');
  assert.equal(among(on('10.44.99.2', '12', '14', '10.46.10.7')), 1, 'one call through an Edge that could not reach its node');
  assert.equal(among(on('10.44.99.2', '12', '14')), 0, 'one call on one node');
  assert.equal(among(on('10.44.99.2', '05', '09'), on('10.44.99.2', '15', '25'), on('10.46.10.7', '11', '13')), 0, 'between two calls on the other node');
  assert.equal(among(on('10.44.99.2', '05', '09'), on('10.44.99.2', '15', '25'), on('10.46.10.7', '08', '11'), on('10.46.10.7', '14', '16')), 1, 'the second of each');
  assert.equal(among(on('10.44.99.2', '05', '25'), on('10.46.10.7', '21', '30')), 0, 'together after contact came back');
  assert.ok(across > 0, 'a loss between nodes of two of its calls, no call on both');
});
