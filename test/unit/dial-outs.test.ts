/**
 * The nodes' dial-outs ("Placing outbound call", shared/dial-outs.ts): on generated logs with
 * hosts dialling out and calls through the Infinity Gateway, each tied to the call it became, a
 * gateway's to its incoming call too, as the generator made them; in the trace, the CLI and the
 * reports. And the ties where the log is less kind: a dial-out with no call, two to one alias.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import type { CallSummary, CallTrace, DialOut } from '../../electron/api.ts';
import { conferenceDialOuts, tieDialOuts } from '../../electron/shared/dial-outs.ts';
import { aliasKey } from '../../electron/shared/registration-words.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-dial-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

for (const seed of [31, 8]) {
  test(`dial-outs (seed ${seed}): each placed call says what placed it, a gateway's two legs name each other, other calls say nothing`, async () => {
    const { text, truth } = generateLog({ seed, calls: 150, dialOuts: true });
    const file = join(tmp, `dial-${seed}.log`);
    writeFileSync(file, text);
    const placed = truth.calls.filter((c) => c.dialOut);
    const incoming = truth.calls.filter((c) => c.gatewayLeg && !c.dialOut);
    assert.ok(placed.some((c) => c.dialOut!.gateway === null && c.failed) && placed.some((c) => c.dialOut!.gateway === null && !c.failed), 'dial-outs answered and refused');
    assert.ok(incoming.length >= 2, 'gateway calls');
    const api = new EngineApi(() => {});
    await api.open({ paths: [file] });
    const lines = text.toString('latin1').split('\n');
    for (const c of truth.calls) {
      const t = (await api.callTrace({ id: c.id }))!;
      const ds = t.dialOuts ?? [];
      if (c.dialOut) {
        // the one that placed it: its line says the alias called and where from
        assert.equal(ds.length, 1, `${c.id}: ${JSON.stringify(ds)}`);
        const d = ds[0]!;
        assert.equal(d.call, t.call.id);
        assert.deepEqual([d.conferenceAlias, d.role, d.gateway], [c.dialOut.conferenceAlias, c.dialOut.role, c.dialOut.gateway], c.id);
        assert.equal(d.incoming, c.gatewayLeg ?? null, `${c.id}: its incoming leg`);
        const line = lines[(await api.lineDetail({ index: d.line })).line - 1]!;
        assert.ok(line.includes(' Message="Placing outbound call" ') && line.includes(` Participant-alias="${c.to}" `), line);
        assert.equal(aliasKey(d.alias), aliasKey(c.to));
      } else if (c.gatewayLeg) {
        // an incoming gateway call: what the gateway placed for it
        assert.equal(ds.length, 1, c.id);
        assert.deepEqual([ds[0]!.incoming, ds[0]!.call], [t.call.id, c.gatewayLeg], c.id);
      } else assert.equal(ds.length, 0, `${c.id}: ${JSON.stringify(ds)}`);
    }
    // a conference's dial-outs: each it placed, refused ones too (which joined nothing), with the calls they became
    const confs = new Set(placed.map((c) => c.dialOut!.conferenceId));
    for (const conf of confs) {
      const r = await api.dialOuts({ conference: conf });
      const want = placed.filter((c) => c.dialOut!.conferenceId === conf).map((c) => c.id).sort();
      const got = r.dialOuts.map((d) => d.call!);
      for (const id of want) assert.ok(got.includes(id), `${conf}: ${id}`);
      // (another instance's dial-out from the same alias at the same time is listed too: a refused one names no instance)
      for (const id of got.filter((x) => !want.includes(x))) assert.equal(truth.calls.find((c) => c.id === id)!.dialOut!.conferenceAlias, placed.find((c) => c.id === want[0])!.dialOut!.conferenceAlias, `${conf}: ${id}`);
      assert.deepEqual(r.calls.map((c) => c.id).sort(), [...got].sort());
      const failed = r.calls.filter((c) => c.failed);
      for (const c of failed) assert.equal(c.failReason, truth.calls.find((x) => x.id === c.id)!.reason);
    }
    assert.equal((await api.dialOuts({})).dialOuts.length, placed.length);
    // the CLI: --json as the app's, a dial-out: line, a Dial-out row in the report
    const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
    const gw = placed.find((c) => c.gatewayLeg)!;
    const json = JSON.parse(run('trace', file, '--call', gw.id, '--json')) as CallTrace;
    assert.deepEqual(json.dialOuts, (await api.callTrace({ id: gw.id }))!.dialOuts);
    const d = json.dialOuts![0]!;
    assert.ok(run('trace', file, '--call', gw.id).includes(`\n  dial-out:   the gateway's outbound leg (rule "${gw.dialOut!.gateway}") for a call to ${gw.dialOut!.conferenceAlias}, placed at ${d.time}: call ${gw.gatewayLeg}\n`));
    assert.ok(run('trace', file, '--call', gw.gatewayLeg!).includes(`\n  dial-out:   the gateway (rule "${gw.dialOut!.gateway}") called ${d.alias} at ${d.time}: call ${gw.id}\n`));
    const own = placed.find((c) => c.dialOut!.gateway === null)!;
    const report = run('export', file, '--call', own.id, '--format', 'text', '-o', '-');
    assert.match(report, new RegExp(`\\n {2}Dial-out \\.+ placed by ${own.dialOut!.conferenceAlias.replace(/[.]/g, '\\.')} \\(role ${own.dialOut!.role}\\) at [\\d-]+ [\\d:.]+\\n`));
  });
}

test('dial-outs tied by alias and time: the call set up just after, not one before; one call to one dial-out; a gateway\'s incoming call up at the time; none found, none said', () => {
  const call = (id: string, to: string, start: string, end: string | null): CallSummary => ({ id, to, start, end } as CallSummary);
  const dial = (time: string, alias: string, conferenceAlias: string, gateway: string | null): DialOut =>
    ({ time, node: 'n', alias, conferenceAlias, gateway, displayName: null, protocol: 'SIP', role: 'guest', line: 0, call: null, incoming: null });
  const calls = [
    call('in1', 'sip:bob@example.com', '2026-05-14T08:00:00.000Z', '2026-05-14T08:10:00.000Z'), // a gateway's incoming call, to the alias it then calls
    call('out1', '<SIP:Bob@Example.com;transport=tls>', '2026-05-14T08:00:00.300Z', '2026-05-14T08:09:59.000Z'),
    call('early', 'sip:carol@example.com', '2026-05-14T07:59:00.000Z', '2026-05-14T07:59:30.000Z'),
    call('late', 'sip:carol@example.com', '2026-05-14T08:03:00.000Z', null), // too late for the 08:01 dial-out
    call('d1', 'sip:dave@example.com', '2026-05-14T08:05:00.100Z', null),
  ];
  const tied = tieDialOuts([
    dial('2026-05-14T08:05:00.000Z', 'sip:dave@example.com', 'meet@example.com', null),
    dial('2026-05-14T08:05:00.050Z', 'sip:dave@example.com', 'meet@example.com', null), // dialled twice: the call is the first's
    dial('2026-05-14T08:00:00.100Z', 'sip:bob@example.com', 'bob@example.com', 'Route to London'),
    dial('2026-05-14T08:01:00.000Z', 'sip:carol@example.com', 'meet@example.com', null),
  ], calls);
  assert.deepEqual(tied.map((d) => [d.time.slice(11, 23), d.call, d.incoming]), [
    ['08:00:00.100', 'out1', 'in1'],
    ['08:01:00.000', null, null],
    ['08:05:00.000', 'd1', null],
    ['08:05:00.050', null, null],
  ]);
  // a conference's: those placed from the alias its calls dialled while it ran (by its name alone, as a WebRTC call dials it), with or without a call
  const meeting = [call('w1', 'meet', '2026-05-14T07:58:00.000Z', '2026-05-14T08:04:00.000Z'), call('s1', 'sip:meet@example.com', '2026-05-14T07:59:00.000Z', '2026-05-14T08:00:30.000Z')];
  assert.deepEqual(conferenceDialOuts(meeting.slice(0, 1), tied).map((d) => d.time.slice(11, 19)), ['08:01:00']);
  assert.deepEqual(conferenceDialOuts(meeting.slice(1), tied).map((d) => d.time.slice(11, 19)), [], 'the 08:01 dial-out came after its calls');
  assert.deepEqual(conferenceDialOuts([call('x', 'sip:other@example.com', '2026-05-14T07:00:00.000Z', '2026-05-14T09:00:00.000Z')], tied), []);
});
