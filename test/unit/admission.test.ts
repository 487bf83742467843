/**
 * How a call got into its conference (shared/admission.ts): against a generated log's calls (the
 * guests the generator held in the waiting room, the wrong PINs its lines hold) and a log written
 * here with what the generator does not make (a host who never joins, PIN retries exceeded, a PIN
 * entry timed out).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { callIndexOf } from '../../electron/engine/correlate/call-cache.ts';
import { admission, admissionTrouble, admissionWords } from '../../electron/shared/admission.ts';
import type { Admission } from '../../electron/shared/admission.ts';
import { flowLines } from '../../electron/shared/call-text.ts';
import type { CallTrace } from '../../electron/api.ts';
import { writeLog } from '../generator/index.ts';
import { badgesOf } from '../../renderer/src/calls/call-table.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-admission-'));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache') };
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test("each connected SIP call's admission: the waiting room the generator held it in, the wrong PIN its lines hold, the join", async () => {
  const file = join(tmp, 'unified_support.log');
  const truth = await writeLog(file, { seed: 31, calls: 400 });
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const seen = { waited: 0, pin: 0, plain: 0 };
  for (const c of truth.calls.filter((x) => x.protocol === 'SIP' && !x.failed)) {
    const trace = index.trace(c.id)!;
    const a = admission(trace);
    assert.ok(a && a.joined !== null, `${c.id}: joined`);
    assert.match(trace.messages[a.joined]!.summary, /^Participant has joined\./);
    const wrongPins = c.lineNumbers.filter((n) => lines[n - 1]!.includes('Message="Participant entered incorrect conference PIN"')).length;
    assert.equal(a.steps.filter((s) => s.step === 'pin-wrong').length, wrongPins, `${c.id}: wrong PINs`);
    assert.equal(a.steps.some((s) => s.step === 'pin-right'), wrongPins > 0);
    if (c.waitedMs) {
      // the generator's wait, less the joining line's own 20-200 ms and the lines' jitter
      assert.ok(a.waitedMs !== null && Math.abs(a.waitedMs - c.waitedMs) < 400, `${c.id}: waited ${a.waitedMs} ms, made ${c.waitedMs}`);
      assert.deepEqual(a.steps.filter((s) => s.step !== 'pin-wrong' && s.step !== 'pin-right').map((s) => s.step), ['waiting', 'guest-joining']);
      seen.waited++;
    } else assert.equal(a.waitedMs, null);
    if (wrongPins) seen.pin++;
    if (!wrongPins && !c.waitedMs) {
      assert.ok(!admissionTrouble(a));
      assert.match(admissionWords(a, trace.messages), /^joined [^:]+ after its setup$/, 'nothing on the way');
      seen.plain++;
    } else assert.ok(admissionTrouble(a));
    assert.ok(a.delayMs! >= (a.waitedMs ?? 0), `${c.id}: the delay holds the wait`);
    assert.ok(flowLines(trace).some((l) => l.startsWith('Admission ') && l.endsWith(admissionWords(a, trace.messages))));
  }
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `the log has ${k} admissions`);
  // pexlens trace: an admission: line, and admission in --json
  const waited = truth.calls.find((c) => c.waitedMs)!;
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', waited.id, '--json'], { env }).toString()) as CallTrace & { admission: Admission };
  assert.deepEqual(json.admission, admission(json));
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', waited.id], { env }).toString();
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('  admission:')), [`  admission:  ${admissionWords(json.admission, json.messages)}`]);
  assert.match(json.admission ? admissionWords(json.admission, json.messages) : '', /^joined .* after its setup: waited .* for a host$/);
});

/** A line of the log's layout from the signaling node: a SIP INVITE received, or an administrator.conference line. */
const at = (time: string) => `2026-05-14T${time}+00:00 10.44.99.2 2026-05-14 ${time.replace('.', ',')}`;
const invite = (time: string, cid: string) =>
  `${at(time)} Level="INFO" Name="support.sip" Message="Received SIP message" Src-Address="10.47.9.9" Src-Port="5060" Dst-Address="10.44.99.2" Dst-Port="5060" Transport="TCP" ` +
  `Detail="^MINVITE sip:meet@example.com SIP/2.0^MCall-ID: ${cid}^MFrom: <sip:bob@example.com>;tag=a^MTo: <sip:meet@example.com>^MCSeq: 1 INVITE^MContent-Length: 0^M"`;
const conf = (time: string, cid: string, message: string, extra = '', level = 'INFO') =>
  `${at(time)} Level="${level}" Name="administrator.conference" Message="${message}" Participant="sip:bob@example.com" ConferenceAlias="sip:meet@example.com" Call-Id="${cid}"${extra}`;

test("a guest whose host never joins, PIN retries exceeded and a PIN entry timed out: not joined, and why", async () => {
  const log = [
    invite('10:00:00.000', 'h1'),
    conf('10:00:00.010', 'h1', 'Participant attempting to join conference.'),
    conf('10:00:01.000', 'h1', 'Guest participant waiting.', ' Role="guest" Detail="Waiting until participant is allowed to join the conference."'),
    conf('10:10:01.000', 'h1', 'Conference host timeout.', ' Detail="The conference host has not joined. Call will be disconnected."'),
    invite('10:20:00.000', 'p2'),
    conf('10:20:05.000', 'p2', 'Participant entered incorrect conference PIN', ' RetriesRemaining="2"', 'WARNING'),
    conf('10:20:09.000', 'p2', 'Participant entered incorrect conference PIN', ' RetriesRemaining="1"', 'WARNING'),
    conf('10:20:14.000', 'p2', 'Participant entered incorrect conference PIN', ' RetriesRemaining="0"', 'WARNING'),
    conf('10:20:14.100', 'p2', 'Participant exceeded PIN entry retries. Call will be disconnected.'),
    invite('10:30:00.000', 't3'),
    conf('10:31:00.000', 't3', 'PIN entry timed out.', ' Detail="The correct PIN has not been received. Call will be disconnected."'),
    invite('10:40:00.000', 'j4'),
    conf('10:40:03.000', 'j4', 'Participant entered incorrect conference PIN', ' RetriesRemaining="2"', 'WARNING'),
    conf('10:40:07.500', 'j4', 'PIN entry correct.', ' Role="host"'),
    conf('10:40:07.600', 'j4', 'Participant has joined.'),
  ];
  const file = join(tmp, 'admission.log');
  writeFileSync(file, log.join('\n') + '\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const of = (id: string) => {
    const t = index.trace(id)!;
    const a = admission(t)!;
    return { a, words: admissionWords(a, t.messages) };
  };
  const h = of('h1');
  assert.deepEqual([h.a.joined, h.a.waitedMs, h.a.steps.map((s) => s.step)], [null, 600_000, ['waiting', 'host-timeout']]);
  assert.equal(h.words, 'not joined: waited 10 min 00 s for a host, who did not join (Conference host timeout)');
  assert.ok(admissionTrouble(h.a));
  // a host that never came is a warning of the call's (the list's "no host" badge); a wrong PIN is one too
  assert.deepEqual(index.find('h1')!.warnings, [`Admission: Conference host timeout. (${file}:4)`]);
  assert.deepEqual(index.find('j4')!.warnings, [`PIN: Participant entered incorrect conference PIN (${file}:13)`]);
  assert.deepEqual(badgesOf(index.find('h1')!).map((b) => [b.kind, b.text]), [['host', 'no host']]);
  assert.equal(of('p2').words, 'not joined: 3 wrong PINs; PIN retries exceeded');
  assert.equal(of('t3').words, 'not joined: PIN entry timed out');
  const j = of('j4');
  assert.deepEqual([j.a.delayMs, j.words], [7_600, 'joined 7.6 s after its setup: 1 wrong PIN, the right one 4.5 s after the first']);
});
