/**
 * End-of-call media statistics (shared/media-stats.ts): each call's worst loss and jitter and its
 * streams with media one way only in its summary, and the poor ones in the list, the CSV,
 * --result, the trace and the report, against a reading of the generated log's "Media Stream
 * destroyed" lines.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { oneWayStreams, parseMediaStats, POOR_JITTER_MS, POOR_LOSS_PCT, worstMediaOfText } from '../../electron/shared/media-stats.ts';
import { writeLog } from '../generator/index.ts';
import { csvRecords } from '../read-csv.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-media-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('media statistics: a stream per "Stream n (kind)", its RX and TX rate, loss, jitter, codec and picture', () => {
  const streams = parseMediaStats([
    'Participant: sip:alice@example.com',
    'Stream 0 (audio)',
    '  RX: rate 64kbps, loss 2.61%, jitter 37ms, codec MP4A-LATM',
    '  TX: rate 64kbps, loss 0.07%, jitter 10ms, codec MP4A-LATM',
    'Stream 1 (video)',
    '  RX: rate 542kbps, resolution 1280x720, fps 30, codec H264',
    'Stream 2 (presentation)',
    '  something else',
  ]);
  assert.deepEqual(streams, [
    { index: 0, kind: 'audio', rx: { rateKbps: 64, lossPct: 2.61, jitterMs: 37, codec: 'MP4A-LATM', resolution: null, fps: null }, tx: { rateKbps: 64, lossPct: 0.07, jitterMs: 10, codec: 'MP4A-LATM', resolution: null, fps: null } },
    { index: 1, kind: 'video', rx: { rateKbps: 542, lossPct: null, jitterMs: null, codec: 'H264', resolution: '1280x720', fps: 30 }, tx: null },
    { index: 2, kind: 'presentation', rx: null, tx: null },
  ]);
});

test('a stream is one way when one direction carried nothing and the other carried media; a presentation stream, or one not used, is not', () => {
  const streams = parseMediaStats([
    'Stream 0 (audio)', '  RX: rate 0kbps, loss 0.00%, jitter 0ms, codec PCMA', '  TX: rate 64kbps, loss 0.10%, jitter 2ms, codec PCMA',
    'Stream 1 (video)', '  RX: rate 512kbps, codec H264', '  TX: rate 0.0 kbps, codec H264',
    'Stream 2 (presentation)', '  RX: rate 0kbps', '  TX: rate 900kbps',
    'Stream 3 (video)', '  RX: rate 0kbps', '  TX: rate 0kbps',
  ]);
  assert.deepEqual(oneWayStreams(streams), ['audio RX', 'video TX']);
  assert.deepEqual(worstMediaOfText('^MStream 0 (audio)^M  RX: rate 0kbps, loss 0.00%, jitter 0ms^M  TX: rate 64kbps, loss 0.10%, jitter 2ms').noMedia, ['audio RX']);
  assert.deepEqual(worstMediaOfText('^MStream 0 (audio)^M  RX: rate 10kbps, loss 0.00%^M  TX: rate 64kbps').noMedia, [], 'a rate of 10 is not 0');
});

test("a call's worst loss and jitter and its one-way streams come from its media lines; poor ones are listed by --result poor-media, in the CSV, the trace and the report", async () => {
  const file = join(tmp, 'media.log');
  const truth = await writeLog(file, { seed: 19, calls: 150 });
  const index = buildCallIndex(await openBundle([file]));
  // the reference: each media line's figures, by its Call-Id, read with plain patterns
  const worst = new Map<string, { loss: number; jitter: number; none: string[] }>();
  for (const l of readFileSync(file, 'latin1').split('\n')) {
    if (!l.includes('Message="Media Stream destroyed"')) continue;
    const id = / Call-Id="([^"]+)"/.exec(l)![1]!;
    const w = worst.get(id) ?? { loss: -1, jitter: -1, none: [] };
    for (const m of l.matchAll(/loss (\d+(?:\.\d+)?)%/g)) w.loss = Math.max(w.loss, Number(m[1]));
    for (const m of l.matchAll(/jitter (\d+(?:\.\d+)?)ms/g)) w.jitter = Math.max(w.jitter, Number(m[1]));
    // (the generator's one-way streams receive nothing and send)
    for (const m of l.matchAll(/Stream \d+ \((\w+)\)\^M {2}RX: rate 0kbps/g)) w.none.push(`${m[1]} RX`);
    worst.set(id, w);
  }
  assert.ok(worst.size > 20, `media lines in the sample (${worst.size})`);
  // the summaries' quick reading gives the largest figures the full one reads, line by line
  for (const l of readFileSync(file, 'latin1').split('\n')) {
    if (!l.includes('Message="Media Stream destroyed"')) continue;
    const detail = / Detail="([^"]*)"/.exec(l)![1]!;
    const streams = parseMediaStats(detail.split('^M'));
    const all = (k: 'lossPct' | 'jitterMs') => streams.flatMap((s) => [s.rx?.[k], s.tx?.[k]]).filter((v): v is number => typeof v === 'number');
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
    assert.deepEqual(worstMediaOfText(detail), { lossPct: max(all('lossPct')), jitterMs: max(all('jitterMs')), noMedia: oneWayStreams(streams) });
  }
  const poor: string[] = [];
  for (const [id, w] of worst) {
    const c = index.find(id);
    assert.ok(c, `${id}: a call`);
    assert.deepEqual(c.media, { lossPct: w.loss < 0 ? null : w.loss, jitterMs: w.jitter < 0 ? null : w.jitter, noMedia: w.none }, `${id}: its worst figures`);
    if (w.loss >= POOR_LOSS_PCT || w.jitter >= POOR_JITTER_MS || w.none.length) poor.push(c.id);
  }
  // the calls the generator blocked: nothing received on audio, nor on video where it had some
  const blocked = truth.calls.filter((c) => c.noMediaReceived);
  assert.ok(blocked.length > 0, 'the log has calls that received nothing');
  for (const c of blocked) assert.deepEqual(index.find(c.id)!.media!.noMedia, c.offer!.video ? ['audio RX', 'video RX'] : ['audio RX'], c.id);
  for (const c of index.calls) if (c.media?.noMedia.length) assert.ok(blocked.some((b) => b.id === c.id || c.ids.includes(b.id)), `${c.id}: one way only where the generator made it`);
  assert.ok(poor.length > 3 && poor.length < worst.size, `some calls poor, not all (${poor.length} of ${worst.size})`);
  for (const c of index.calls) if (!worst.has(c.id) && !c.ids.some((x) => worst.has(x))) assert.equal(c.media, null, `${c.id}: no media line`);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const listed = (JSON.parse(run('calls', file, '--no-cache', '--json', '--result', 'poor-media')) as Array<{ id: string }>).map((c) => c.id);
  assert.deepEqual(new Set(listed), new Set(poor));
  // worst first: those with a stream one way, then by loss, then jitter
  const worstFirst = (JSON.parse(run('calls', file, '--no-cache', '--json', '--result', 'poor-media', '--sort', 'media', '--desc')) as Array<{ media: { lossPct: number | null; jitterMs: number | null; noMedia: string[] } }>).map((c) => [c.media.noMedia.length, c.media.lossPct ?? 0, c.media.jitterMs ?? 0] as const);
  assert.equal(worstFirst.length, poor.length);
  for (let k = 1; k < worstFirst.length; k++) {
    const [a, b] = [worstFirst[k - 1]!, worstFirst[k]!];
    assert.ok(a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2]))), `${a} before ${b}`);
  }
  const records = csvRecords(run('calls', file, '--no-cache', '--csv'));
  for (const r of records) {
    const m = index.find(r['Call id']!)!.media;
    assert.equal(r['Worst loss (%)'], m?.lossPct == null ? '' : String(m.lossPct));
    assert.equal(r['Worst jitter (ms)'], m?.jitterMs == null ? '' : String(m.jitterMs));
    assert.equal(r['No media'], m?.noMedia.join('; ') ?? '');
  }
  const none = index.find(blocked[0]!.id)!;
  const said = none.media!.noMedia.map((s) => `no ${s.split(' ')[0]} received`).join(', ');
  assert.match(run('trace', file, '--call', none.id), new RegExp(`\\n {2}media: +${said}; worst loss ${none.media!.lossPct}%, jitter ${none.media!.jitterMs} ms \\(poor\\)\\n`));
  const one = index.find(poor[0]!)!;
  assert.match(run('trace', file, '--call', one.id), new RegExp(`\\n {2}media: +worst loss ${one.media!.lossPct}%, jitter ${one.media!.jitterMs} ms \\(poor\\)\\n`));
  assert.match(run('export', file, '--call', one.id, '--format', 'text', '-o', '-'), new RegExp(`Media \\.+ worst loss ${one.media!.lossPct}%, jitter ${one.media!.jitterMs} ms \\(poor\\)\\n`));
});
