/**
 * The conference list (shared/conference-list.ts) on a generated log: a row per conference name,
 * its calls those the generator placed in it (and the conference view of that name shows), its
 * failed calls, its instances (the Conference-IDs the log gives that name) and the most calls up at
 * once, counted call by call.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { conferenceRows, conferenceRowsOfCalls } from '../../electron/shared/conference-list.ts';
import { callsOfConference, filterCalls } from '../../electron/shared/call-list.ts';
import { writeLog } from '../generator/index.ts';
import { parseCsv } from '../read-csv.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-conflist-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('conference list: a row per name with its instances, calls, failed calls, the most up at once, and its span', async () => {
  const file = join(tmp, 'conf.log');
  const truth = await writeLog(file, { seed: 29, calls: 200 });
  const index = buildCallIndex(await openBundle([file]));
  const rows = conferenceRows(index.conferences, index.calls);
  const lines = readFileSync(file, 'utf8').split('\n');
  const names = new Set(truth.calls.map((c) => c.conference).filter((n): n is string => n !== null));
  assert.ok(names.size > 5, `conferences in the sample (${names.size})`);
  for (const name of names) {
    const row = rows.find((r) => r.name === name);
    assert.ok(row, `${name}: a row`);
    assert.equal(row.named, true);
    const placed = truth.calls.filter((c) => c.conference === name);
    assert.equal(row.calls, placed.length, `${name}: calls`);
    assert.equal(row.failed, placed.filter((c) => c.failed).length, `${name}: failed calls`);
    // its calls are the conference view's of that name
    const shown = callsOfConference(index.calls, index.conferences, name);
    assert.deepEqual(new Set(shown.map((c) => c.id)), new Set(placed.map((c) => c.id)));
    assert.equal(row.poorMedia, shown.filter((c) => (c.media?.lossPct ?? 0) >= 1 || (c.media?.jitterMs ?? 0) >= 30 || (c.media?.noMedia.length ?? 0) > 0).length, `${name}: poor media`);
    const ids = new Set(lines.filter((l) => / Conference="([^"]*)"/.exec(l)?.[1] === name).flatMap((l) => / Conference-ID="([^"]+)"/.exec(l)?.[1] ?? []));
    assert.equal(row.instances, ids.size, `${name}: instances`);
    const spans = shown.filter((c) => !c.failed && !c.noOutcome).map((c) => [Date.parse(c.start!), Date.parse(c.end!)] as const);
    const peak = Math.max(0, ...spans.map(([t]) => spans.filter(([a, b]) => a <= t && t < b).length));
    assert.equal(row.peak, peak, `${name}: the most up at once`);
    assert.equal(row.start, new Date(Math.min(...shown.map((c) => Date.parse(c.start!)))).toISOString());
    assert.equal(row.end, new Date(Math.max(...shown.map((c) => Date.parse(c.end!)))).toISOString());
  }
  assert.ok(rows.some((r) => r.instances > 1), 'a conference held on more than one node or twice');
  assert.deepEqual(rows.map((r) => r.start), [...rows.map((r) => r.start)].sort(), 'in start order');
  // pexlens calls --conferences: the same rows, as JSON and as a table
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'calls', file, '--no-cache', '--conferences', ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  assert.deepEqual(JSON.parse(run('--json')), rows);
  const table = run().split('\n');
  assert.equal(table[0], `${rows.length} conference(s)`);
  const first = rows[0]!;
  assert.match(table[3]!, new RegExp(`^${first.name.replace(/[.]/g, '\\.')} +${first.instances} +${first.calls} +${first.failed} +${first.poorMedia} +${first.peak} +${first.start!.slice(0, 10)} ${first.start!.slice(11, 23)} `));
  // --csv: a row each, as the rows say
  const [head, ...csv] = parseCsv(run('--csv'));
  assert.deepEqual(head!.slice(0, 3), ['Conference', 'Named', 'Service']);
  assert.deepEqual(csv.map((r) => [r[0], Number(r[4]), Number(r[5]), Number(r[6]), Number(r[8]), r[9]]), rows.map((r) => [r.name, r.instances, r.calls, r.failed, r.peak, r.start]));
  assert.throws(() => run('--redact', '--json'), /--conferences lists the conferences by their first call: not with --redact/);
  assert.throws(() => run('--sort', 'duration'), /not with .*--sort/);

  // a window: the conferences of the calls up at some time in it, each counted over those calls
  const starts = index.calls.map((c) => c.start!).sort();
  const from = starts[Math.floor(starts.length / 2)]!;
  const to = new Date(Date.parse(from) + 60_000).toISOString();
  const up = index.calls.filter((c) => Date.parse(c.start!) <= Date.parse(to) && Date.parse(c.end!) >= Date.parse(from));
  const upByName = new Map<string, number>();
  for (const c of up) {
    const name = truth.calls.find((t) => t.id === c.id)!.conference;
    if (name !== null) upByName.set(name, (upByName.get(name) ?? 0) + 1);
  }
  assert.ok(upByName.size > 1 && up.length < index.calls.length / 2, `a window holding some conferences (${upByName.size}, ${up.length} calls)`);
  const windowed = conferenceRowsOfCalls(index.conferences, filterCalls(index.calls, { from, to }));
  assert.deepEqual(new Map(windowed.filter((r) => r.named).map((r) => [r.name, r.calls])), upByName);
  for (const r of windowed) {
    const whole = rows.find((x) => x.name === r.name)!;
    assert.ok(r.instances <= whole.instances && r.peak <= whole.peak && r.start! >= whole.start! && r.end! <= whole.end!, `${r.name}: within its whole row`);
    assert.ok(r.start! <= to && r.end! >= from, `${r.name}: up in the window`);
    // the most at once is the most up together at some time in the window
    const spans = callsOfConference(up, index.conferences, r.name).filter((c) => !c.failed && !c.noOutcome).map((c) => [Date.parse(c.start!), Date.parse(c.end!)] as const);
    const times = [Date.parse(from), ...spans.map(([a]) => a).filter((a) => a >= Date.parse(from) && a <= Date.parse(to))];
    assert.equal(r.peak, Math.max(0, ...times.map((t) => spans.filter(([a, b]) => a <= t && t < b).length)), `${r.name}: the most at once in the window`);
  }
  assert.deepEqual(JSON.parse(run('--from', from, '--to', to, '--json')), windowed);
  assert.match(run('--from', from, '--to', to).split('\n')[0]!, new RegExp(`^${windowed.length} conference\\(s\\) of the calls up from \\S+ until \\S+ \\(counted over those calls\\)$`));
});

test("conference list: a conference with more calls than a function call's arguments hold (a gateway rule over weeks) still has its span", async () => {
  const file = join(tmp, 'many.log');
  await writeLog(file, { seed: 5, calls: 40 });
  const index = buildCallIndex(await openBundle([file]));
  const one = index.calls.find((c) => c.conference !== null && !c.failed && c.end !== null)!;
  // the log's call, again and again a minute apart, in its conference: 250 000 of them
  const n = 250_000;
  const t0 = Date.parse(one.start!);
  const calls = Array.from({ length: n }, (_, k) => ({ ...one, id: `${one.id}-${k}`, ids: [`${one.id}-${k}`], start: new Date(t0 + k * 60_000).toISOString(), end: new Date(t0 + k * 60_000 + 30_000).toISOString() }));
  const [row] = conferenceRows([], calls);
  assert.equal(row!.calls, n);
  assert.equal(row!.start, calls[0]!.start);
  assert.equal(row!.end, calls[n - 1]!.end);
  assert.equal(row!.peak, 1, 'a minute apart, each up half a minute: one at a time');
});
