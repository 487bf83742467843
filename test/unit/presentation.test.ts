/**
 * A call's content sharing (shared/presentation.ts): against a generated log's calls (the floor
 * requests the generator had the node refuse, the presenting lines its text holds), and against
 * that log with lines changed to what the generator does not make (a floor taken by another
 * presenter, a request never answered, a take_floor refused, a presentation the log ends in).
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { callIndexOf } from '../../electron/engine/correlate/call-cache.ts';
import { presentation, presentationTrouble, presentationWords } from '../../electron/shared/presentation.ts';
import type { Presentation } from '../../electron/shared/presentation.ts';
import { flowLines } from '../../electron/shared/call-text.ts';
import type { CallTrace } from '../../electron/api.ts';
import { writeLog } from '../generator/index.ts';
import { badgesOf } from '../../renderer/src/calls/call-table.ts';
import type { Truth, TruthCall } from '../generator/index.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-presentation-'));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache') };
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const file = join(tmp, 'unified_support.log');
let made: Promise<Truth> | null = null;
const truthOf = () => (made ??= writeLog(file, { seed: 31, calls: 400 }));
const traceIn = async (path: string, id: string) => (await callIndexOf(await openBundle([path]), { cache: false })).trace(id)!;
const VIA = { SIP: 'BFCP', H323: 'H.239', WebRTC: 'REST' } as const;
const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));

test("each call's presenting and floor requests: the spells its lines hold, the requests the generator had refused", async () => {
  const truth = await truthOf();
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = await callIndexOf(await openBundle([file]), { cache: false });
  const seen = { presented: 0, refused: 0, none: 0 };
  for (const c of truth.calls.filter((x) => !x.failed && x.missingFragments === 0)) {
    const trace = index.trace(c.id)!;
    const p = presentation(trace.messages);
    if (!c.presentation) {
      assert.equal(p, null, `${c.id}: asked for no floor`);
      seen.none++;
      continue;
    }
    assert.ok(p, `${c.id}: its floor request`);
    assert.deepEqual(p.requests.map((r) => [r.via, r.outcome]), [[VIA[c.protocol], c.presentation.refused ? 'denied' : 'granted']], c.id);
    assert.equal(presentationTrouble(p), c.presentation.refused > 0);
    // a refusal is among the call's warnings (the list's "floor" badge, --result warnings); nothing else is
    const refusals = trace.call.warnings.filter((w) => w.startsWith('Presentation: '));
    assert.equal(refusals.length, c.presentation.refused, `${c.id}: its warnings`);
    assert.equal(badgesOf(trace.call).some((b) => b.kind === 'floor'), c.presentation.refused > 0);
    if (refusals.length) assert.ok(refusals[0]!.endsWith(`(${file}:${trace.messages[p.requests[0]!.answer!]!.source.line})`), `where: ${refusals[0]}`);
    // the spells from the text: each presenting line to the stopped line after it
    const own = c.lineNumbers.map((n) => lines[n - 1]!);
    const starts = own.filter((l) => l.includes('Message="Participant is presenting."'));
    const stops = own.filter((l) => l.includes('Message="Participant has stopped presenting."'));
    assert.equal(p.spells.length, c.presentation.spells);
    assert.deepEqual(p.spells.map((s) => s.ms), starts.map((l, k) => timeOf(stops[k]!) - timeOf(l)), `${c.id}: how long`);
    const words = presentationWords(p, trace.messages);
    if (c.presentation.refused) {
      assert.match(words, new RegExp(`^never presented \\(${VIA[c.protocol].replace('.', '\\.')}\\); 1 floor request refused \\((Denied(\\(4\\))?|reject)\\)$`));
      seen.refused++;
    } else {
      assert.match(words, new RegExp(`^presented once \\(${VIA[c.protocol].replace('.', '\\.')}\\): .+ from ${trace.messages[p.spells[0]!.start]!.time.slice(11, 19)}$`));
      seen.presented++;
    }
    assert.ok(flowLines(trace).some((l) => l.startsWith('Presentation ') && l.endsWith(words)), `${c.id}: its row`);
  }
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `the log has calls ${k}`);
});

test('pexlens trace says it (presented: line, presentation in --json), in the zone asked for', async () => {
  const truth = await truthOf();
  const refused = truth.calls.find((c) => c.presentation?.refused && c.protocol === 'SIP')!;
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'trace', file, '--call', refused.id, '--json'], { env }).toString()) as CallTrace & { presentation: Presentation };
  assert.deepEqual(json.presentation, presentation(json.messages));
  assert.equal(json.messages[json.presentation.requests[0]!.answer!]!.summary.endsWith('Denied') || json.messages[json.presentation.requests[0]!.answer!]!.summary.endsWith('Denied(4)'), true);
  const shown = truth.calls.find((c) => c.presentation?.spells && c.protocol === 'H323')!;
  const text = execFileSync(process.execPath, [cli, 'trace', file, '--call', shown.id, '--tz', 'Asia/Kolkata'], { env }).toString();
  const t = await traceIn(file, shown.id);
  const p = presentation(t.messages)!;
  // 5 h 30 min ahead of the log's UTC
  const kolkata = (iso: string) => new Date(Date.parse(iso) + 5.5 * 3_600_000).toISOString().slice(11, 19);
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('  presented:')), [`  presented:  ${presentationWords(p, t.messages, kolkata)}`]);
});

/** The generated log with a call's lines changed by `edit` (the text of the call's lines only), written to `name`. */
function edited(name: string, c: TruthCall, edit: (line: string) => string | null): string {
  const own = new Set(c.lineNumbers);
  const out = readFileSync(file, 'utf8').split('\n').flatMap((l, k) => (own.has(k + 1) ? (edit(l) ?? []) : [l]));
  const path = join(tmp, name);
  writeFileSync(path, out.join('\n'));
  return path;
}

test("a floor taken by another presenter, a request with no answer, a take_floor refused, a presentation the log ends in", async () => {
  const truth = await truthOf();
  const bfcp = truth.calls.filter((c) => c.protocol === 'SIP' && c.presentation?.spells && c.missingFragments === 0);
  // the node revokes the floor (another participant presents) instead of answering its release
  const revoked = edited('revoked.log', bfcp[0]!, (l) => (/Floor-Status="Released"|request_status=Released/.test(l) ? l.replace(/Released(\(5\))?/g, (_, n) => (n ? 'Revoked(6)' : 'Revoked')) : l));
  const r = presentation((await traceIn(revoked, bfcp[0]!.id)).messages)!;
  assert.deepEqual([r.spells.length, r.spells[0]!.revoked, presentationTrouble(r)], [1, true, false]);
  assert.match(presentationWords(r, (await traceIn(revoked, bfcp[0]!.id)).messages), /from \d\d:\d\d:\d\d \(taken by another presenter\)$/);
  // its Pending and Granted answers lost: presented, its request not answered in the log
  const lost = edited('unanswered.log', bfcp[1]!, (l) => (/Name="support.bfcp".*(Pending|Granted)/.test(l) ? null : l));
  const u = presentation((await traceIn(lost, bfcp[1]!.id)).messages)!;
  assert.deepEqual([u.requests[0]!.outcome, u.spells.length, presentationTrouble(u)], ['unanswered', 1, true]);
  assert.match(presentationWords(u, (await traceIn(lost, bfcp[1]!.id)).messages), /; 1 floor request not answered in the log$/);
  // a WebRTC client's take_floor refused (403), and no presenting after it
  const webrtc = truth.calls.find((c) => c.protocol === 'WebRTC' && c.presentation?.spells)!;
  const forbidden = edited('forbidden.log', webrtc, (l) =>
    l.includes('Message="Participant is presenting."') || l.includes('stopped presenting') || l.includes('/release_floor') ? null : l.includes('/take_floor" Status-Code="200"') ? l.replace('Status-Code="200"', 'Status-Code="403"') : l);
  const f = presentation((await traceIn(forbidden, webrtc.id)).messages)!;
  assert.equal(presentationWords(f, (await traceIn(forbidden, webrtc.id)).messages), 'never presented (REST); 1 floor request refused (403)');
  // granted, then the log ends while it presents (its stop and the rest of the call cut off)
  const ending = bfcp[2]!;
  const startAt = ending.lineNumbers.find((n) => readFileSync(file, 'utf8').split('\n')[n - 1]!.includes('Participant is presenting.'))!;
  const cut = join(tmp, 'cut.log');
  writeFileSync(cut, readFileSync(file, 'utf8').split('\n').slice(0, startAt).join('\n') + '\n');
  const e = presentation((await traceIn(cut, ending.id)).messages)!;
  assert.deepEqual([e.spells[0]!.stop, e.spells[0]!.ms, e.requests[0]!.neverPresented], [null, null, false]);
  assert.match(presentationWords(e, (await traceIn(cut, ending.id)).messages), /^presented once \(BFCP\): from \d\d:\d\d:\d\d until the log ends$/);
  // and a grant with nothing after it: its presenting line lost
  const idle = edited('idle.log', bfcp[3]!, (l) => (l.includes('presenting.') ? null : l));
  const i = presentation((await traceIn(idle, bfcp[3]!.id)).messages)!;
  assert.deepEqual([i.requests[0]!.neverPresented, presentationTrouble(i)], [true, true]);
  assert.equal(presentationWords(i, (await traceIn(idle, bfcp[3]!.id)).messages), 'never presented (BFCP); 1 floor granted with no presentation after it');
});
