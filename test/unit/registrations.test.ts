/**
 * Registrations (correlate/registrations.ts, `pexlens registrations`, the API's registrations and
 * registrationDetail, registrationAt) against a plain reading of a generated log's REGISTERs and
 * administrator.registration lines, line by line: whole, cut in the middle of a registration,
 * and rotated into gzipped files.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { registrations } from '../../electron/engine/correlate/registrations.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { writeLog } from '../generator/index.ts';
import { cutAfter, rotate } from '../generator/bundle.ts';
import type { RegistrationRow } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-registrations-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: 'pipe' }).toString();

type Ref = Pick<RegistrationRow, 'alias' | 'state' | 'reason' | 'requests' | 'accepted' | 'challenged' | 'refused' | 'added' | 'refreshed' | 'deleted' | 'expires'> & { lines: number };

/**
 * Each alias's figures and last state, read from the text with plain patterns, line by line; a
 * SIP registration whose granted seconds ran out before the log's last time is expired.
 */
function reference(text: string): Map<string, Ref> {
  const out = new Map<string, Ref>();
  let end = -Infinity;
  const row = (alias: string) => {
    const key = alias.replace(/^sips?:/i, '').split(';')[0]!.toLowerCase();
    let r = out.get(key);
    if (!r) out.set(key, (r = { alias: key, state: 'unknown', reason: null, requests: 0, accepted: 0, challenged: 0, refused: 0, added: 0, refreshed: 0, deleted: 0, expires: null, lines: 0 }));
    r.lines++;
    return r;
  };
  for (const l of text.split('\n')) {
    const at = Date.parse(/^(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d) /.exec(l)?.[1] ?? '');
    if (at > end) end = at;
    if (l.includes(' Name="administrator.registration" ')) {
      const what = / Message="Registration (added|refreshed|deleted)"/.exec(l)?.[1] as 'added' | 'refreshed' | 'deleted' | undefined;
      const alias = / Alias="([^"]*)"/.exec(l)?.[1];
      if (!what || !alias) continue;
      const r = row(alias);
      r[what]++;
      [r.state, r.reason] = what === 'deleted' ? ['unregistered', / Reason="([^"]*)"/.exec(l)?.[1] ?? null] : ['registered', null];
      if (what === 'deleted' || !l.includes(' Protocol="SIP" ') || (r.expires && Date.parse(r.expires) < at)) r.expires = null;
      continue;
    }
    if (!l.includes(' Name="support.sip" ')) continue;
    const detail = / Detail="\^M(.*?)"?$/.exec(l)?.[1];
    if (!detail) continue;
    const parts = detail.split('^M');
    const cseq = parts.find((h) => /^CSeq:/i.test(h));
    const to = parts.find((h) => /^(To|t):/i.test(h));
    if (!cseq || !/ REGISTER$/.test(cseq.trim()) || !to) continue;
    const uri = /<([^>]*)>/.exec(to)?.[1] ?? to.replace(/^(To|t):\s*/i, '').split(';')[0]!;
    const received = l.includes(' Message="Received SIP message" ');
    const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(parts[0]!);
    if (!status) {
      if (received && parts[0]!.startsWith('REGISTER ')) row(uri).requests++;
      continue;
    }
    if (received || Number(status[1]) < 200) continue;
    const r = row(uri);
    const code = Number(status[1]);
    if (code < 300) {
      r.accepted++;
      const unregistering = parts.some((h) => /^(Contact|m):.*;expires=0\b/i.test(h));
      [r.state, r.reason] = unregistering ? ['unregistered', 'unregistered by the device'] : ['registered', null];
      const granted = parts.map((h) => /^(Contact|m):.*;expires=(\d+)/i.exec(h)?.[2]).find(Boolean);
      r.expires = unregistering || !granted ? null : new Date(at + Number(granted) * 1000).toISOString();
    } else if (code === 401 || code === 407) r.challenged++;
    else {
      r.refused++;
      [r.state, r.reason] = ['refused', `${code} ${status[2]}`.trim()];
    }
  }
  for (const r of out.values()) {
    if (r.state !== 'registered') r.expires = null;
    else if (r.expires && Date.parse(r.expires) < end) [r.state, r.reason] = ['expired', 'not refreshed in the log'];
  }
  return out;
}

function assertAgrees(rows: RegistrationRow[], ref: Map<string, Ref>, label: string): void {
  assert.deepEqual(rows.map((r) => r.alias).sort(), [...ref.keys()].sort(), `${label}: the aliases`);
  for (const r of rows) {
    const { lines: _lines, ...want } = ref.get(r.alias)!;
    const got = { alias: r.alias, state: r.state, reason: r.reason, requests: r.requests, accepted: r.accepted, challenged: r.challenged, refused: r.refused, added: r.added, refreshed: r.refreshed, deleted: r.deleted, expires: r.expires };
    assert.deepEqual(got, want, `${label}: ${r.alias}`);
  }
}

test('registrations: every alias, its REGISTERs and their answers, its registration lines and its state at the end, as the lines say', async () => {
  const file = join(tmp, 'unified_support.log');
  await writeLog(file, { seed: 23, targetBytes: 3_000_000 });
  const text = readFileSync(file);
  const ref = reference(text.toString('utf8'));
  assert.ok([...ref.values()].some((r) => r.challenged > 0 && r.accepted > 0), 'an alias challenged, then accepted');
  const session = await openBundle([file]);
  const { rows, eventsOf, spansOf, stateAt } = registrations(session.store);
  const end = session.store.timeSpan().to;
  assertAgrees(rows, ref, 'whole');
  for (const r of rows) {
    assert.equal(eventsOf(r.alias)!.length, ref.get(r.alias)!.lines, `${r.alias}: a line each`);
    if (r.state === 'expired') assert.equal(r.stateTime, r.expires, `${r.alias}: expired when its time ran out`);
    // its states over time: one after another to the log's end, the last its state at the end,
    // and each what the lines up to its middle say
    const s = spansOf(r.alias)!;
    if (r.state === 'unknown') {
      assert.deepEqual(s, [], `${r.alias}: no state, no span`);
      continue;
    }
    s.forEach((x, k) => k > 0 && assert.equal(x.from, s[k - 1]!.to, `${r.alias}: span ${k} follows the one before`));
    assert.equal(s.at(-1)!.to, new Date(end).toISOString(), `${r.alias}: to the log's end`);
    assert.equal(s.at(-1)!.state, r.state, `${r.alias}: the last span's state is its state at the end`);
    for (const x of s) {
      const mid = (Date.parse(x.from) + Date.parse(x.to)) / 2;
      if (Date.parse(x.to) - Date.parse(x.from) > 2) assert.equal(stateAt(r.alias, mid)!.state, x.state, `${r.alias}: at ${new Date(mid).toISOString()}`);
    }
  }

  assert.ok(rows.some((r) => spansOf(r.alias)!.some((x, k, all) => x.state === 'expired' && all[k + 1]?.state === 'registered')), 'a registration that ran out and was made again');
  // read for a few aliases alone (one call's parties), each is as when all are read
  const few = new Set(rows.filter((_, k) => k % 7 === 0).map((r) => r.alias));
  const some = registrations(session.store, undefined, few);
  assert.deepEqual(some.rows, rows.filter((r) => few.has(r.alias)));
  for (const a of few) assert.deepEqual([some.eventsOf(a), some.spansOf(a)], [eventsOf(a), spansOf(a)], a);

  // cut right after a REGISTER a node received: its alias may be left with no answer
  const cut = cutAfter(text, /Message="Received SIP message".*Detail="\^MREGISTER /, 0.6);
  const cutFile = join(tmp, 'cut.log');
  writeFileSync(cutFile, cut.text);
  const cutRows = registrations((await openBundle([cutFile])).store).rows;
  assertAgrees(cutRows, reference(cut.text.toString('utf8')), 'cut');
  const last = /To: <([^>]*)>/.exec(cut.line)![1]!.replace(/^sip:/, '').toLowerCase();
  assert.ok(cutRows.some((r) => r.alias === last), 'the last REGISTER\'s alias is listed');
  // between them, the two logs hold each state but an unknown one
  const states = [...rows, ...cutRows].map((r) => r.state);
  for (const s of ['registered', 'expired', 'unregistered', 'refused'] as const) assert.ok(states.includes(s), `an alias ${s}`);

  // rotated into gzipped files: the same rows
  const dir = join(tmp, 'rotated');
  const parts = rotate(text, 3);
  execFileSync('mkdir', ['-p', dir]);
  parts.forEach((p, k) => writeFileSync(join(dir, `unified_support.log${k === parts.length - 1 ? '' : `.${parts.length - 1 - k}.gz`}`), k === parts.length - 1 ? p : gzipSync(p)));
  assert.deepEqual(registrations((await openBundle([dir])).store).rows.map(({ firstLine: _f, lastLine: _l, ...r }) => r), rows.map(({ firstLine: _f, lastLine: _l, ...r }) => r), 'rotated: the same registrations');

  // the CLI: the rows as JSON, --state, one alias's lines with their places, and errors that say what is wrong
  const listed = JSON.parse(run('registrations', file, '--no-cache', '--json')) as RegistrationRow[];
  assert.deepEqual(listed, rows);
  const refused = JSON.parse(run('registrations', file, '--no-cache', '--json', '--state', 'refused')) as RegistrationRow[];
  assert.deepEqual(refused.map((r) => r.alias), rows.filter((r) => r.state === 'refused').map((r) => r.alias));
  const one = refused[0]!;
  const printed = run('registrations', file, '--no-cache', '--state', 'refused');
  assert.match(printed, new RegExp(`\\n${one.alias.replace(/\./g, '\\.')} +refused \\d\\d:\\d\\d:\\d\\d \\(${one.reason}\\) +${one.requests} REGISTERs?: ${one.refused} refused`));
  const own = JSON.parse(run('registrations', file, '--no-cache', '--json', '--alias', `sip:${one.alias.toUpperCase()}`)) as { row: RegistrationRow; lines: Array<{ what: string; place: string }> };
  assert.deepEqual(own.row, one);
  assert.equal(own.lines.length, ref.get(one.alias)!.lines);
  const lines = text.toString('utf8').split('\n');
  for (const e of own.lines) {
    const n = Number(e.place.split(':').pop());
    assert.ok(lines[n - 1]!.includes(e.what.split(' ')[0]!) && lines[n - 1]!.toLowerCase().includes(one.alias), `${e.place}: a line of ${one.alias} saying ${e.what}`);
  }
  const bad = spawnSync(process.execPath, [cli, 'registrations', file, '--no-cache', '--state', 'gone'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--state 'gone': one of registered, expired, unregistered, refused, unknown/);
  const nobody = spawnSync(process.execPath, [cli, 'registrations', file, '--no-cache', '--alias', 'nobody@example.com'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
  assert.match(nobody.stderr, /no registration of nobody@example\.com in the bundle\n/);
  // a part of an alias names those that hold it
  const user = one.alias.split('@')[0]!;
  const part = spawnSync(process.execPath, [cli, 'registrations', file, '--no-cache', '--alias', user], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
  assert.notEqual(part.status, 0);
  assert.match(part.stderr, new RegExp(`aliases with '${user.replace(/\./g, '\\.')}' in them: .*${one.alias.replace(/\./g, '\\.')}`), part.stderr);

  // a call's trace and reports say its parties' registrations when it started (what stateAt says)
  const calls = JSON.parse(run('calls', file, '--no-cache', '--json')) as Array<{ id: string; from: string | null; start: string | null }>;
  const decided = calls
    .filter((c) => c.from?.includes('@') && c.start)
    .map((c) => ({ c, m: stateAt(c.from!.replace(/^sip:/, '').toLowerCase(), Date.parse(c.start!)) }))
    .filter((x) => x.m && x.m.state !== 'unknown');
  const byState = new Map(decided.map((x) => [x.m!.state, x]));
  assert.ok(byState.has('refused') && (byState.has('registered') || byState.has('expired')), `calls from refused and from registered aliases (${[...byState.keys()]})`);
  for (const { c, m } of byState.values()) {
    const traced = JSON.parse(run('trace', file, '--no-cache', '--call', c.id, '--json')) as { registrations?: unknown[] };
    assert.deepEqual(traced.registrations?.find((r) => (r as { alias: string }).alias === m!.alias), m, `${c.id}: the trace's registration of ${m!.alias}`);
    const text = run('trace', file, '--no-cache', '--call', c.id);
    assert.ok(text.includes(`\n  registration: ${m!.alias}: ${m!.state}`), text.slice(0, 800));
    const report = run('export', file, '--no-cache', '--call', c.id, '--format', 'text', '-o', '-');
    assert.match(report, new RegExp(`Registration \\.+ ${m!.alias.replace(/\./g, '\\.')}: ${m!.state}[^\\n]* when the call started\\n`));
    const redacted = run('export', file, '--no-cache', '--call', c.id, '--format', 'text', '--redact', '-o', '-');
    assert.match(redacted, /Registration \.+ \S+: \w+[^\n]* when the call started\n/);
    assert.ok(!redacted.includes(m!.alias), `the redacted report hides ${m!.alias}`);
  }

  // the API the app asks: the same rows, and an alias's lines in time order
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  for (let k = 0; k < 100 && !(await api.info())?.loaded; k++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await api.registrations(), rows);
  const detail = await api.registrationDetail({ alias: one.alias });
  assert.deepEqual(detail.events, eventsOf(one.alias));
  assert.ok(detail.events.every((e, k) => k === 0 || e.line > detail.events[k - 1]!.line), 'in view order');
  assert.deepEqual(await api.registrationDetail({ alias: 'nobody@example.com' }), { events: [], spans: [] });
  // a line's detail names the registration it is part of: each of the alias's lines, and across
  // the log (every 13th line) what a plain reading of the line's text says
  for (const e of detail.events) assert.equal((await api.lineDetail({ index: e.line })).registration, one.alias, `line ${e.line}`);
  const plain = (t: string): string | null => {
    if (t.includes(' Name="administrator.registration" ') && / Message="Registration (added|refreshed|deleted)"/.test(t)) return / Alias="([^"]+)"/.exec(t)?.[1]?.toLowerCase() ?? null;
    if (!t.includes(' Name="support.sip" ') || !/\^MCSeq: \d+ REGISTER\^M/.test(t)) return null;
    const received = t.includes(' Message="Received SIP message" ');
    if (received !== / Detail="\^MREGISTER /.test(t)) return null;
    return /\^MTo: <sip:([^>]+)>/.exec(t)?.[1]?.toLowerCase() ?? null;
  };
  let named = 0;
  for (let k = 0; k < session.store.count; k += 13) {
    const d = await api.lineDetail({ index: k });
    assert.equal(d.registration, plain(d.text), `line ${k}: ${d.text.slice(0, 160)}`);
    if (d.registration) named++;
  }
  assert.ok(named > 10, `lines of registrations among those read (${named})`);
});

test('registrations: a REGISTER a node sends upstream is not a registration to it; 407 is a challenge; a deletion says its reason', async () => {
  const sip = (ss: string, recv: boolean, msg: string) =>
    `2026-05-14T08:00:${ss}.000+00:00 pxnode-osl-01 2026-05-14 08:00:${ss},000 Level="INFO" Name="support.sip" Message="${recv ? 'Received' : 'Sending'} SIP message" Src-Address="10.47.0.9" Src-Port="5060" Dst-Address="10.46.10.7" Dst-Port="5060" Transport="TCP" Detail="^M${msg}"`;
  const h = (to: string, cseq: number) => `^MCall-ID: c${cseq}@x^MFrom: <${to}>;tag=1^MTo: <${to}>^MCSeq: ${cseq} REGISTER^MContact: <sip:dev@10.47.0.9>;expires=300^MUser-Agent: Dev/1^MContent-Length: 0^M`;
  const text = [
    sip('01', false, `REGISTER sip:upstream.example.com SIP/2.0${h('sip:infinity@upstream.example.com', 1)}`),
    sip('02', true, `SIP/2.0 200 OK${h('sip:infinity@upstream.example.com', 1)}`),
    sip('03', true, `REGISTER sip:example.com SIP/2.0${h('sip:Dana@Example.com;transport=tcp', 2)}`),
    sip('04', false, `SIP/2.0 407 Proxy Authentication Required${h('sip:Dana@Example.com', 2)}`),
    sip('05', true, `REGISTER sip:example.com SIP/2.0${h('sip:dana@example.com', 3)}`),
    sip('06', false, `SIP/2.0 200 OK${h('sip:dana@example.com', 3)}`),
    '2026-05-14T08:00:07.000+00:00 pxmgr01 2026-05-14 08:00:07,000 Level="INFO" Name="administrator.registration" Message="Registration deleted" Alias="dana@example.com" Protocol="SIP" Registration-Id="r1" Location="Oslo" Reason="Registration expired"',
    '2026-05-14T08:00:08.000+00:00 pxmgr01 2026-05-14 08:00:08,000 Level="INFO" Name="administrator.registration" Message="Registration added" Alias="eve@example.com" Protocol="WebRTC" Registration-Id="r2" Natted="True" Location="Oslo"',
  ].join('\n') + '\n';
  const file = join(tmp, 'hand.log');
  writeFileSync(file, text);
  const { rows, eventsOf, spansOf, stateAt } = registrations((await openBundle([file])).store);
  assert.deepEqual(rows.map((r) => [r.alias, r.state, r.reason, r.requests, r.accepted, r.challenged, r.protocols, r.addresses, r.agents]), [
    ['dana@example.com', 'unregistered', 'Registration expired', 2, 1, 1, ['SIP'], ['10.47.0.9'], ['Dev/1']],
    ['eve@example.com', 'registered', null, 0, 0, 0, ['WebRTC'], [], []],
  ]);
  assert.deepEqual(eventsOf('dana@example.com')!.map((e) => [e.kind, e.what, e.detail]), [
    ['request', 'REGISTER', 'expires 300 s'],
    ['challenged', '407 Proxy Authentication Required', 'asks the device to authenticate'],
    ['request', 'REGISTER', 'expires 300 s'],
    ['accepted', '200 OK', 'for 300 s'],
    ['deleted', 'Registration deleted', 'Registration expired'],
  ]);
  // what the lines say at a time: nothing yet, registered (for its 300 s), then deleted
  const at = (ss: string) => Date.parse(`2026-05-14T08:00:${ss}Z`);
  assert.deepEqual(stateAt('dana@example.com', at('03.5')), { alias: 'dana@example.com', state: 'unknown', since: null, reason: null, expires: null, line: null });
  assert.deepEqual(stateAt('dana@example.com', at('06.5')), { alias: 'dana@example.com', state: 'registered', since: '2026-05-14T08:00:06.000Z', reason: null, expires: '2026-05-14T08:05:06.000Z', line: 5 });
  assert.deepEqual(stateAt('dana@example.com', at('07.5')), { alias: 'dana@example.com', state: 'unregistered', since: '2026-05-14T08:00:07.000Z', reason: 'Registration expired', expires: null, line: 6 });
  assert.equal(stateAt('nobody@example.com', at('07')), null);
  const iso = (ss: string) => `2026-05-14T08:00:${ss}.000Z`;
  assert.deepEqual(spansOf('dana@example.com'), [
    { state: 'registered', from: iso('06'), to: iso('07') },
    { state: 'unregistered', from: iso('07'), to: iso('08') },
  ]);
  assert.deepEqual(spansOf('eve@example.com'), [{ state: 'registered', from: iso('08'), to: iso('08') }]);
  // the API the call view asks, any form of the alias
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  for (let k = 0; k < 100 && !(await api.info())?.loaded; k++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await api.registrationAt({ aliases: ['sip:Dana@example.com', 'nobody@example.com'], time: '2026-05-14T08:00:06.500Z' }), [stateAt('dana@example.com', at('06.5')), null]);
});

test('registrations: a registration line after a SIP registration ran out registers it again, with no expiry known', async () => {
  const line = (ss: string, rest: string) => `2026-05-14T08:00:${ss}.000+00:00 pxnode-osl-01 2026-05-14 08:00:${ss},000 Level="INFO" ${rest}`;
  const h = `^MCall-ID: c1@x^MFrom: <sip:fay@example.com>;tag=1^MTo: <sip:fay@example.com>^MCSeq: 1 REGISTER^MContact: <sip:fay@10.47.0.9>;expires=2^MContent-Length: 0^M`;
  const text = [
    line('05', `Name="support.sip" Message="Received SIP message" Src-Address="10.47.0.9" Detail="^MREGISTER sip:example.com SIP/2.0${h}"`),
    line('06', `Name="support.sip" Message="Sending SIP message" Dst-Address="10.47.0.9" Detail="^MSIP/2.0 200 OK${h}"`),
    line('20', 'Name="administrator.registration" Message="Registration refreshed" Alias="fay@example.com" Protocol="SIP" Registration-Id="r1"'),
    line('30', 'Name="support.dns" Message="DNS record lookup succeeded"'),
  ].join('\n') + '\n';
  const file = join(tmp, 'lapsed.log');
  writeFileSync(file, text);
  const { rows, spansOf, stateAt } = registrations((await openBundle([file])).store);
  const iso = (ss: string) => `2026-05-14T08:00:${ss}.000Z`;
  assert.deepEqual(spansOf('fay@example.com'), [
    { state: 'registered', from: iso('06'), to: iso('08') },
    { state: 'expired', from: iso('08'), to: iso('20') },
    { state: 'registered', from: iso('20'), to: iso('30') },
  ]);
  assert.equal(stateAt('fay@example.com', Date.parse(iso('10')))!.state, 'expired');
  assert.deepEqual([rows[0]!.state, rows[0]!.expires], ['registered', null]);
});

