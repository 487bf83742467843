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

  // a conference's own dial-out to erin, up as the gateway calls erin: neither the gateway's incoming
  // call (a call placed is dialled into nothing) nor, for the conference, a dial-out from its alias
  const placed = { ...call('pe', 'sip:erin@example.com', '2026-05-14T08:06:00.200Z', '2026-05-14T08:20:00.000Z'), direction: 'out' } as CallSummary;
  const gateway = tieDialOuts([dial('2026-05-14T08:06:00.000Z', 'sip:erin@example.com', 'meet@example.com', null), dial('2026-05-14T08:07:00.000Z', 'sip:erin@example.com', 'erin@example.com', 'Route to London')], [placed]);
  assert.deepEqual(gateway.map((d) => [d.time.slice(11, 19), d.call, d.incoming]), [['08:06:00', 'pe', null], ['08:07:00', null, null]]);
  const inMeeting = { ...call('m1', 'sip:meet@example.com', '2026-05-14T08:05:00.000Z', '2026-05-14T08:30:00.000Z'), direction: 'in' } as CallSummary;
  assert.deepEqual(conferenceDialOuts([inMeeting, placed], gateway).map((d) => d.time.slice(11, 19)), ['08:06:00']);
});

test('direction and service: a call says it was placed by a node exactly when one placed it, a gateway call says gateway; the list, its strip, the entity search and the CLI filter by them', async () => {
  const { text, truth } = generateLog({ seed: 19, calls: 200, dialOuts: true });
  const file = join(tmp, 'route.log');
  writeFileSync(file, text);
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  const all = (await api.calls({})).rows;
  const byId = new Map(all.flatMap((c) => [c.id, ...c.ids].map((k) => [k, c] as const)));
  const placed = new Set<string>();
  for (const c of truth.calls) {
    const s = byId.get(c.id);
    assert.ok(s, c.id);
    assert.equal(s.direction, c.dialOut ? 'out' : 'in', `${c.id} (${c.protocol}${c.failed ? ', failed' : ''})`);
    if (c.dialOut) placed.add(s.id);
    // the service is said by the conference's lines: a call refused before it reached one has none
    if (c.gatewayLeg && !c.failed) assert.equal(s.service, 'gateway', c.id);
    else if (!c.gatewayLeg) assert.ok(s.service === null || s.service === 'conference', `${c.id}: ${s.service}`);
  }
  const gateway = all.filter((c) => c.service === 'gateway').map((c) => c.id).sort();
  assert.ok(placed.size >= 5 && gateway.length >= 4, `${placed.size} placed, ${gateway.length} gateway`);
  const out = await api.calls({ direction: 'out' });
  assert.deepEqual(out.rows.map((c) => c.id).sort(), [...placed].sort());
  assert.equal(out.stats.placed, placed.size, 'the strip counts the calls before the filter');
  assert.deepEqual(out.stats.perService.find(([sv]) => sv === 'gateway'), ['gateway', gateway.length]);
  assert.equal((await api.calls({ direction: 'in' })).total, all.length - placed.size);
  assert.deepEqual((await api.calls({ service: 'Gateway' })).rows.map((c) => c.id).sort(), gateway);
  // the entity search's word for them (and any call whose conference says it: a gateway rule "Outbound SIP trunk")
  const found = (await api.calls({ query: 'outbound' })).rows;
  for (const id of placed) assert.ok(found.some((c) => c.id === id), id);
  for (const c of found.filter((x) => !placed.has(x.id))) assert.match(c.conference ?? '', /\boutbound/i, c.id);
  // the conference list says a gateway rule's row is the gateway's, and no meeting's
  const rules = new Set(all.filter((c) => c.service === 'gateway').map((c) => c.conference));
  for (const r of await api.conferenceList()) assert.equal(r.service === 'gateway', rules.has(r.name), `${r.name}: ${r.service}`);
  // the CLI: the same filters, the same calls; the columns; a service the log has not is named
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();
  const ids = (json: string) => (JSON.parse(json) as CallSummary[]).map((c) => c.id).sort();
  assert.deepEqual(ids(run('calls', file, '--direction', 'OUT', '--json')), [...placed].sort());
  assert.deepEqual(ids(run('calls', file, '--service', 'gateway', '--direction', 'out', '--json')), gateway.filter((id) => placed.has(id)));
  const csv = run('calls', file, '--direction', 'out', '--csv').split('\r\n');
  assert.match(csv[0]!, /^Start \(UTC\),.*,Protocol,Direction,Service,Licences,Licence type,From,/);
  assert.equal(csv.filter((l) => /,SIP,out,/.test(l)).length, placed.size);
  const listing = run('calls', file, '--direction', 'out');
  assert.ok(listing.startsWith(`${placed.size} call(s) placed by a node,`), listing.slice(0, 80));
  assert.equal(listing.split('\n').filter((l) => /^ {4}\S+ {2}\(placed by a node, /.test(l)).length, all.filter((c) => placed.has(c.id) && c.service).length);
  const gw = all.find((c) => c.service === 'gateway' && c.direction === 'in')!;
  assert.ok(run('trace', file, '--call', gw.id).startsWith(`Call ${gw.id} (SIP, dialled in, gateway)\n`));
  assert.throws(() => run('calls', file, '--service', 'lecture'), (e: { stderr: Buffer }) => /--service 'lecture': the calls here reached (conference, gateway|gateway, conference)/.test(e.stderr.toString()));
  assert.throws(() => run('calls', file, '--direction', 'sideways'), (e: { stderr: Buffer }) => /--direction 'sideways': in or out/.test(e.stderr.toString()));
});
