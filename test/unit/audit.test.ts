/**
 * The audit trail (correlate/audit.ts, `pexlens audit`, the API's audit and auditEvents) against
 * a plain reading of a generated log's administrator lines, line by line; the vendor's own
 * example lines, read part by part.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { auditEvents, auditRows } from '../../electron/engine/correlate/audit.ts';
import { EngineApi } from '../../electron/engine/api-impl.ts';
import { writeLog } from '../generator/index.ts';
import { rotate } from '../generator/bundle.ts';
import { AUDIT_CATEGORIES, CATEGORY_WORDS, auditLoad, auditSummary, categoryCounts } from '../../electron/shared/audit-words.ts';
import type { AuditCategory, AuditEvent, AuditRow } from '../../electron/api.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pexlens-audit-'));
const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_FROM_SOURCE: '1' };
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, stdio: 'pipe' }).toString();

interface Ref {
  line: number;
  category: AuditCategory;
  alert: boolean;
  message: string;
  user: string | null;
  address: string | null;
  /** When the block it tells of ends (its time and the block's seconds left), ms. */
  until: number | null;
  /** Its syslog time, ms. */
  at: number;
}

/** The audit lines as plain patterns read them: the module, then the message's words. */
function reference(text: string): Ref[] {
  const out: Ref[] = [];
  text.split('\n').forEach((l, k) => {
    if (!/ Name="administrator\.(configuration|web|conference)" /.test(l)) return;
    const message = / Message="([^"]*)"/.exec(l)?.[1];
    if (!message) return;
    let category: AuditCategory | null = null;
    let alert = false;
    if (message.startsWith('User login failed')) (category = 'login'), (alert = true);
    else if (message.startsWith('User logged ')) category = 'login';
    else if (message.startsWith('Configuration ')) category = 'configuration';
    else if (message.startsWith('Initiated ') || message.includes(' requested by ')) category = 'control';
    else if (message.includes('Break-in prevention')) (category = 'break-in'), (alert = true);
    else if (message.includes('incorrect conference PIN')) category = 'pin';
    else if (message.includes('exceeded PIN entry retries') || message.startsWith('PIN entry timed out')) (category = 'pin'), (alert = true);
    if (!category) return;
    const user = / User="([^"]*)"/.exec(l)?.[1] ?? null;
    const address = / Remote-Address="([^"]*)"/i.exec(l)?.[1] ?? null;
    const left = / remaining_block_duration_seconds="(\d+)"/.exec(l)?.[1];
    const until = left ? Date.parse(l.slice(0, l.indexOf(' '))) + Number(left) * 1000 : null;
    out.push({ line: k + 1, category, alert, message, user, address, until, at: Date.parse(l.slice(0, l.indexOf(' '))) });
  });
  return out;
}

function assertAgrees(events: AuditEvent[], ref: Ref[], lineOf: (e: AuditEvent) => number, label: string): void {
  assert.equal(events.length, ref.length, `${label}: one event per audit line`);
  events.forEach((e, k) => {
    const r = ref[k]!;
    assert.deepEqual(
      { line: lineOf(e), category: e.category, alert: e.alert, message: e.message, address: e.address },
      { line: r.line, category: r.category, alert: r.alert, message: r.message, address: r.address },
      `${label}: event ${k}`,
    );
    if (r.category === 'login' || r.category === 'configuration') assert.equal(e.who, r.user, `${label}: ${r.line}'s user`);
  });
}

test('audit: every login, change, control, break-in block and PIN failure of a generated log, as its lines say', async () => {
  const file = join(tmp, 'unified_support.log');
  const truth = await writeLog(file, { seed: 32, targetBytes: 3_000_000 });
  const text = readFileSync(file);
  const ref = reference(text.toString('utf8'));
  for (const c of ['login', 'configuration', 'control', 'break-in', 'pin'] as const) assert.ok(ref.some((r) => r.category === c), `the log has ${c} lines`);
  assert.ok(ref.some((r) => r.message === 'User login failed') && ref.some((r) => r.message.startsWith('User logged in')), 'failed and good logins');

  const session = await openBundle([file]);
  const store = session.store;
  const events = auditEvents(store);
  assertAgrees(events, ref, (e) => store.lineNumber(store.at(e.line)), 'whole');
  const textLines = text.toString('utf8').split('\n');
  for (const e of events) for (const w of e.words) assert.ok(textLines[store.lineNumber(store.at(e.line)) - 1]!.includes(w), `${e.message}: holds ${w}`);

  // rows: a subject's events counted once each; logins by user and address
  const rows = auditRows(events);
  assert.equal(rows.reduce((n, r) => n + r.events, 0), events.length);
  assert.equal(rows.reduce((n, r) => n + r.alerts, 0), ref.filter((r) => r.alert).length);
  const logins = new Map<string, number>();
  for (const r of ref) if (r.category === 'login') logins.set(`${r.user} from ${r.address}`, (logins.get(`${r.user} from ${r.address}`) ?? 0) + 1);
  assert.deepEqual(new Map(rows.filter((r) => r.category === 'login').map((r) => [r.subject, r.events])), logins);
  // a scanner's address quarantined, then its attempts rejected: one row, by the address
  const scanner = rows.find((r) => r.category === 'break-in' && r.messages.some((m) => /quarantined by Break-in/.test(m.message)))!;
  assert.ok(scanner, 'a quarantined address');
  const fromIt = ref.filter((r) => r.category === 'break-in' && r.address === scanner.subject);
  assert.equal(scanner.events, fromIt.length, 'its quarantine and rejections');
  assert.ok(scanner.messages.some((m) => /rejecting call attempt from quarantined caller/.test(m.message)), 'and rejected attempts');
  assert.equal(scanner.blockedUntil, new Date(Math.max(...fromIt.map((r) => r.until!))).toISOString(), 'blocked until the latest end its lines say');
  assert.ok(rows.filter((r) => r.category !== 'break-in').every((r) => r.blockedUntil === null));
  // the summary (the Overview's Copy summary): each category's subjects and alerts, then the subjects with alerts, most first
  const summary = auditSummary(rows);
  for (const c of AUDIT_CATEGORIES) {
    const of = rows.filter((r) => r.category === c);
    // (this log has no provisioning lines: a category with none is not said)
    if (!of.length) {
      assert.ok(!summary[0]!.includes(CATEGORY_WORDS[c]), `${summary[0]}: ${c}`);
      continue;
    }
    const alertsOf = of.reduce((n, r) => n + r.alerts, 0);
    assert.ok(summary[0]!.includes(`${of.length} subject${of.length === 1 ? '' : 's'} of ${CATEGORY_WORDS[c]}${alertsOf ? ` (${alertsOf} alert` : ''}`), `${summary[0]}: ${c}`);
  }
  const alerting = rows.filter((r) => r.alerts > 0);
  const named = [...summary[1]!.matchAll(/(?:alerts: |, )(.+?) \([^,]+, (\d+)\)/g)].map((m) => [m[1], Number(m[2])] as const);
  assert.equal(named.length, Math.min(10, alerting.length));
  assert.deepEqual(named.map(([, n]) => n), alerting.map((r) => r.alerts).sort((a, b) => b - a).slice(0, 10));
  for (const [s, n] of named) assert.ok(alerting.some((r) => r.subject === s && r.alerts === n), `${s} has ${n} alerts`);
  // over time (the Overview's strip): each category's lines and alerts per stretch of the span
  const span = store.timeSpan();
  const load = auditLoad(events, span.from, span.to, 50);
  assert.deepEqual(load.categories.map((c) => c.category), AUDIT_CATEGORIES.filter((c) => ref.some((r) => r.category === c)));
  for (const c of load.categories) {
    const lines = new Array<number>(50).fill(0);
    const alerts = new Array<number>(50).fill(0);
    for (const r of ref.filter((x) => x.category === c.category)) {
      const b = Math.min(49, Math.floor((r.at - span.from) / load.bucketMs));
      lines[b]!++;
      if (r.alert) alerts[b]!++;
    }
    assert.deepEqual([c.lines, c.alerts], [lines, alerts], c.category);
  }
  // the rows come by category, alerts first
  const order = rows.map((r) => ['break-in', 'pin', 'login', 'control', 'configuration'].indexOf(r.category));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));

  // an administrator's disconnect is a line of the call it cut (the API finds it by the call's ids)
  const api = new EngineApi(() => {});
  await api.open({ paths: [file] });
  assert.deepEqual(await api.audit(), rows);
  assert.deepEqual(await api.auditLoad({ buckets: 50 }), load);
  const cut = truth.calls.filter((c) => c.reason === 'Disconnected by an administrator');
  assert.ok(cut.length > 0, 'calls an administrator disconnected');
  for (const c of cut) {
    const own = await api.auditEvents({ callIds: c.ids });
    const control = own.filter((e) => e.category === 'control');
    assert.deepEqual(control.map((e) => e.message), ['Initiated disconnect command.'], `${c.id}: its administrator's disconnect`);
    // each (the disconnect, a wrong PIN) a line of the call
    for (const e of own) assert.ok(c.lineNumbers.includes(store.lineNumber(store.at(e.line))), `${c.id}: ${e.message} is the call's`);
  }
  // its trace and reports say it (the redacted report without the participant's name)
  const c = cut[0]!;
  const disconnect = (await api.auditEvents({ callIds: c.ids })).find((e) => e.category === 'control')!;
  assert.equal(disconnect.callId, c.id, 'the API names the call as its list does');
  const traced = JSON.parse(run('trace', file, '--no-cache', '--call', c.id, '--json')) as { audit?: AuditEvent[] };
  const tracedOne = traced.audit?.find((e) => e.category === 'control');
  assert.ok(tracedOne && c.ids.includes(tracedOne.callId!), 'the trace names it by the id its line holds');
  assert.deepEqual({ ...tracedOne, callId: c.id }, disconnect);
  // a line whose Call-Id is no call of the bundle (a PIN attack's) names none in the app
  const known = new Set(truth.calls.flatMap((x) => x.ids));
  const pins = events.filter((e) => e.category === 'pin');
  assert.ok(pins.some((e) => !known.has(e.callId!)) && pins.some((e) => known.has(e.callId!)), 'PIN lines of calls and of none');
  const resolved = await api.auditEvents({ category: 'pin' });
  resolved.forEach((e, k) => assert.equal(e.callId === null, !known.has(pins[k]!.callId!), `${e.message} ${pins[k]!.callId}`));
  assert.ok(run('trace', file, '--no-cache', '--call', c.id).includes(`\n  audit:      ${disconnect.time} Initiated disconnect command. by admin\n`));
  const report = run('export', file, '--no-cache', '--call', c.id, '--format', 'text', '-o', '-');
  assert.match(report, new RegExp(`\n  Audit \\.+ ${disconnect.time.replace('T', ' ').replace('Z', '').replace(/\./g, '\\.')} Initiated disconnect command\\. by admin\n`));
  const redacted = run('export', file, '--no-cache', '--call', c.id, '--format', 'text', '--redact', '-o', '-');
  assert.match(redacted, /\n  Audit \.+ [\d-]+ [\d:.]+ Initiated disconnect command\. by admin\n/);
  assert.ok(!redacted.includes(disconnect.target!), `the redacted report hides ${disconnect.target}`);

  // a line's detail names the subject it is counted in; a line of no audit subject names none
  const counted = new Map(events.map((e) => [e.line, { category: e.category, subject: e.subject }]));
  for (let p = 0; p < store.count; p += 31) assert.deepEqual((await api.lineDetail({ index: p })).audit, counted.get(p) ?? null, `line ${p}`);
  for (const e of events) assert.deepEqual((await api.lineDetail({ index: e.line })).audit, { category: e.category, subject: e.subject }, `line ${e.line}`);

  const one = rows.find((r) => r.category === 'login' && r.alerts > 0)!;
  assert.deepEqual(
    (await api.auditEvents({ category: 'login', subject: one.subject })).map((e) => e.line),
    events.filter((e) => e.category === 'login' && e.subject === one.subject).map((e) => e.line),
  );

  // rotated into gzipped files: the same events, each on its file's line
  const dir = join(tmp, 'rotated');
  const parts = rotate(text, 3);
  execFileSync('mkdir', ['-p', dir]);
  parts.forEach((p, k) => writeFileSync(join(dir, `unified_support.log${k === parts.length - 1 ? '' : `.${parts.length - 1 - k}.gz`}`), k === parts.length - 1 ? p : gzipSync(p)));
  const rotated = (await openBundle([dir])).store;
  const offsets = parts.map((_, k) => parts.slice(0, k).reduce((n, p) => n + p.toString('latin1').split('\n').length - 1, 0));
  const files = parts.map((_, k) => `unified_support.log${k === parts.length - 1 ? '' : `.${parts.length - 1 - k}.gz`}`);
  assertAgrees(auditEvents(rotated), ref, (e) => {
    const i = rotated.at(e.line);
    return offsets[files.indexOf(rotated.fileOf(i).display.split('/').pop()!)]! + rotated.lineNumber(i);
  }, 'rotated');

  // the CLI: the rows as JSON, a category, the alerts, one subject's lines with their places, errors
  assert.deepEqual(JSON.parse(run('audit', file, '--no-cache', '--json')) as AuditRow[], rows);
  const breakIns = JSON.parse(run('audit', file, '--no-cache', '--json', '--category', 'break-in')) as AuditRow[];
  assert.deepEqual(breakIns, rows.filter((r) => r.category === 'break-in'));
  const alerts = JSON.parse(run('audit', file, '--no-cache', '--json', '--alerts')) as AuditRow[];
  assert.deepEqual(alerts, rows.filter((r) => r.alerts > 0));
  const printed = run('audit', file, '--no-cache', '--alerts');
  assert.match(printed, new RegExp(`\\nbreak-in prevention +${scanner.subject.replace(/\./g, '\\.')} +${scanner.events} +${scanner.alerts} `));
  const own = JSON.parse(run('audit', file, '--no-cache', '--json', '--subject', scanner.subject)) as { rows: AuditRow[]; lines: Array<AuditEvent & { place: string }> };
  assert.deepEqual(own.rows, [scanner]);
  const lines = text.toString('utf8').split('\n');
  for (const e of own.lines) {
    const n = Number(e.place.split(':').pop());
    assert.ok(lines[n - 1]!.includes(e.message) && lines[n - 1]!.includes(scanner.subject), `${e.place}: a line of ${scanner.subject} saying ${e.message}`);
  }
  // info: each category's figures, and the subjects with alerts
  assert.deepEqual((JSON.parse(run('info', file, '--no-cache', '--json')) as { audit: unknown }).audit, categoryCounts(rows));
  assert.ok(run('info', file, '--no-cache').includes(`\n${summary[0]!.replace(/^Audit:/, 'audit (pexlens audit):')}\n${summary[1]}\n`));
  const bad = spawnSync(process.execPath, [cli, 'audit', file, '--no-cache', '--category', 'gossip'], { env, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--category 'gossip': one of break-in, pin, login, control, provisioning, configuration/);
  const part = spawnSync(process.execPath, [cli, 'audit', file, '--no-cache', '--subject', scanner.subject.split('.').slice(0, 3).join('.')], { env, encoding: 'utf8' });
  assert.notEqual(part.status, 0);
  assert.match(part.stderr, new RegExp(`no such subject .*subjects with '[^']*' in them: .*${scanner.subject.replace(/\./g, '\\.')}`), part.stderr);
});

test("audit: the vendor's example lines, each read for who, from where, on what and why", async () => {
  const at = (k: number) => `2026-05-14T08:00:${String(k).padStart(2, '0')}.000+00:00 pxmgr01 2026-05-14 08:00:${String(k).padStart(2, '0')},000`;
  const lines = [
    'Level="INFO" Name="administrator.configuration" Message="User login failed" User="admins" Remote-Address="192.0.2.0" Remote-Port="53991"',
    'Level="INFO" Name="administrator.configuration" Message="Configuration changed" User="admin" Type="Virtual Meeting Room" ID="Alice\'s VMR" Fields="Description, Show names of participants" Remote-Address="192.0.2.0" Remote-Port="53991"',
    'Level="INFO" Name="administrator.web" Message="Initiated transfer command." User="admin" Participant-alias="Alice" Participant-Id="25fca17e-374" Conference-alias="meet.alice2" Role="chair"',
    'Level="INFO" Name="administrator.conference" Message="Participant transfer requested by API." Conference="meet.alice" Service-Tag="" Requester="66eb0873-8ce" Participant="sip:bob@example.com" Call-Id="d583e3a1@10.44.26.36" Conversation-Id="2a8ea679-8a8" To-Conference="3259oknfaoi"',
    'Level="INFO" Name="administrator.conference" Message="Break-in prevention policy blocking all attempts to join this service." ConferenceAlias="alice" Service="Alice\'s VMR" Participant="Crooky McCrookface" Protocol="API" Direction="in" Remote-address="10.44.21.35" Reason="Service appears to be under PIN break-in attack" remaining_block_duration_seconds="525"',
    'Level="INFO" Name="administrator.conference" Message="Break-in prevention policy rejecting call attempt from quarantined caller." Protocol="API" Direction="in" Local-alias="[u\'alice\']" Remote-address="10.47.250.169" Reason="Suspicious join attempt rejected" remaining_block_duration_seconds="519"',
    'Level="INFO" Name="administrator.conference" Message="PIN entry timed out." Participant="sip:bob@example.com" ConferenceAlias="sip:meet@example.com" Call-Id="a15dc445-dfc" Detail="The correct PIN has not been received. Call will be disconnected."',
    'Level="INFO" Name="administrator.conference" Message="Participant entered incorrect conference PIN" RetriesRemaining="1" Participant="sip:bob@example.com" ConferenceAlias="sip:meet@example.com" Call-Id="27efdd36-6be"',
    'Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet Alice" Call-Id="fe7107ba-16c"',
    // a key before Message (not where the layout puts it): read all the same
    'Level="WARNING" Name="administrator.conference" Node="x" Message="Conference host timeout." Participant="sip:bob@example.com" ConferenceAlias="meet@example.com" Call-Id="4d3ad9a1-833"',
    'Level="INFO" Name="administrator.conference" Node="x" Message="Participant has disconnected." Conference="Meet Alice" Call-Id="fe7107ba-16c"',
    // a conference ended under its participants
    'Level="INFO" Name="administrator.conference" Message="Last host left the conference and has not re-joined; conference will be terminated." Conference="Meet Alice" Service-Tag=""',
    'Level="INFO" Name="administrator.conference" Message="Removing participant due to conference termination" Participant="sip:bob@example.com" Conference="Meet Alice" Service-Tag=""',
    'Level="INFO" Name="administrator.configuration" Message="User login failed" User="admins',
  ];
  const file = join(tmp, 'examples.log');
  writeFileSync(file, lines.map((l, k) => `${at(k)} ${l}\n`).join(''));
  const events = auditEvents((await openBundle([file])).store);
  const parts = events.map(({ category, alert, who, address, target, detail, subject, callId }) => ({ category, alert, who, address, target, detail, subject, callId }));
  // each line holds its words (a search for them finds it)
  events.forEach((e, k) => e.words.forEach((w) => assert.ok(lines[e.line]!.includes(w), `line ${k}: ${w}`)));
  assert.ok(events.every((e) => e.words.length > 0));
  assert.deepEqual(parts, [
    { category: 'login', alert: true, who: 'admins', address: '192.0.2.0', target: null, detail: null, subject: 'admins from 192.0.2.0', callId: null },
    {
      category: 'configuration', alert: false, who: 'admin', address: '192.0.2.0', target: "Virtual Meeting Room Alice's VMR",
      detail: 'Fields: Description, Show names of participants', subject: "Virtual Meeting Room Alice's VMR", callId: null,
    },
    { category: 'control', alert: false, who: 'admin', address: null, target: 'Alice', detail: 'to meet.alice2, role chair', subject: 'Alice', callId: '25fca17e-374' },
    {
      category: 'control', alert: false, who: '66eb0873-8ce', address: null, target: 'sip:bob@example.com', detail: 'in meet.alice, to 3259oknfaoi',
      subject: 'sip:bob@example.com', callId: 'd583e3a1@10.44.26.36',
    },
    {
      category: 'break-in', alert: true, who: 'Crooky McCrookface', address: '10.44.21.35', target: "Alice's VMR",
      detail: 'Service appears to be under PIN break-in attack, 525 s of the block left', subject: "Alice's VMR", callId: null,
    },
    {
      category: 'break-in', alert: true, who: null, address: '10.47.250.169', target: "[u'alice']", detail: 'Suspicious join attempt rejected, 519 s of the block left',
      subject: '10.47.250.169', callId: null,
    },
    {
      category: 'pin', alert: true, who: 'sip:bob@example.com', address: null, target: 'meet@example.com',
      detail: 'The correct PIN has not been received. Call will be disconnected.', subject: 'meet@example.com', callId: 'a15dc445-dfc',
    },
    { category: 'pin', alert: false, who: 'sip:bob@example.com', address: null, target: 'meet@example.com', detail: '1 retry left', subject: 'meet@example.com', callId: '27efdd36-6be' },
    // the joined line is not an audit line
    { category: 'pin', alert: true, who: 'sip:bob@example.com', address: null, target: 'meet@example.com', detail: null, subject: 'meet@example.com', callId: '4d3ad9a1-833' },
    // nor the disconnected line; the last host leaving is an alert (its guests are cut), each participant removed a line of its own
    { category: 'control', alert: true, who: null, address: null, target: 'Meet Alice', detail: null, subject: 'Meet Alice', callId: null },
    { category: 'control', alert: false, who: null, address: null, target: 'sip:bob@example.com', detail: 'in Meet Alice', subject: 'sip:bob@example.com', callId: null },
    // the login line cut short keeps what it has (its value runs to the line's end)
    { category: 'login', alert: true, who: 'admins', address: null, target: null, detail: null, subject: 'admins', callId: null },
  ]);
});

test("audit: what provisions the services on its own (LDAP sync, scheduling, One-Touch Join, cloud bursting), the vendor's example lines and a generated log's, each under its subject, alerts where they are", async () => {
  const at = (k: number) => `2026-05-14T09:00:${String(k).padStart(2, '0')}.000+00:00 pxmgr01 2026-05-14 09:00:${String(k).padStart(2, '0')},000`;
  const lines = [
    'Level="INFO" Name="administrator.ldap.sync" Message="Beginning VMR Sync" Template="All employees" Creating="219" Deleting="0" Modifying="0" Unchanged="0"',
    'Level="INFO" Name="administrator.ldap.sync" Message="Completed VMR Sync" Template="Europe" Status="sync_succeeded" Created="18" Deleted="10" Updated="5" Unchanged="34" Warnings="3" Last_warning="Conference clash: not overwriting manually created conference"',
    'Level="INFO" Name="administrator.ldap.sync" Message="Sync detected alias clash: alias held by an existing conference has not been assigned to the newly synced conference." NewConference="Alice\'s VMR" ExistingConference="Bob\'s VMR" Alias="meet@example.com"',
    'Level="INFO" Name="administrator.apps.cloudbursting" Message="On-prem location \'Oslo\' is overloaded! Starting instance i-0043088a9073b57e6 (stopped) in location \'AWS eu-west-1\'"',
    'Level="INFO" Name="administrator.apps.cloudbursting" Message="Shutting down idle worker i-597394d2 (running) (uptime: 50 minutes)"',
    'Level="INFO" Name="administrator.scheduling" Message="Scheduled Conference added" VmsID="35111" Name="Example new meeting (Toby)" ScheduledConferenceID="5001" ScheduledAliasID="4983" ExchangeConnectorID="2" CorrelationID="4d566414-a1d3"',
    'Level="INFO" Name="administrator.scheduling" Message="Recurring Conference deleted because it can no longer be processed" VmsID="13" RecurringConferenceID="13" ExchangeConnectorID="2" CorrelationID="e86b9fca-c0ba"',
    'Level="INFO" Name="administrator.otj" Message="OTJ Meeting Created" OTJProfileName="Test MJX integration0" OTJProfileID="1" Room="roomresource@resource.calendar.google.com" Subject="Test Meeting" OrganizerEmail="alice@example.com" Alias="123456@example.com"',
  ];
  const file = join(tmp, 'provisioning-examples.log');
  writeFileSync(file, lines.map((l, k) => `${at(k)} ${l}\n`).join(''));
  const events = auditEvents((await openBundle([file])).store);
  events.forEach((e, k) => e.words.forEach((w) => assert.ok(lines[e.line]!.includes(w), `line ${k}: ${w}`)));
  assert.deepEqual(events.map(({ category, alert, target, detail, subject }) => ({ category, alert, subject, target, detail })), [
    { category: 'provisioning', alert: false, subject: 'All employees sync', target: null, detail: null },
    { category: 'provisioning', alert: false, subject: 'Europe sync', target: null, detail: 'sync_succeeded, 3 warnings, last: Conference clash: not overwriting manually created conference' },
    { category: 'provisioning', alert: true, subject: 'alias meet@example.com', target: "Alice's VMR", detail: "held by Bob's VMR" },
    { category: 'provisioning', alert: true, subject: 'location Oslo', target: 'i-0043088a9073b57e6', detail: null },
    { category: 'provisioning', alert: false, subject: 'cloud bursting', target: 'i-597394d2', detail: null },
    { category: 'provisioning', alert: false, subject: 'VMR 35111', target: null, detail: null },
    { category: 'provisioning', alert: true, subject: 'VMR 13', target: null, detail: null },
    { category: 'provisioning', alert: false, subject: 'room roomresource@resource.calendar.google.com', target: '123456@example.com', detail: '"Test Meeting", by alice@example.com' },
  ]);

  // a generated log's: each provisioning line the generator wrote, in order, with its alert (a failed sync is one), and nothing else of provisioning
  const gen = join(tmp, 'provisioning.log');
  const truth = await writeLog(gen, { seed: 31, calls: 400, provisioning: true });
  const kinds = new Set(truth.provisioning.map((p) => p.module));
  assert.equal(kinds.size, 4, [...kinds].join(', '));
  assert.ok(truth.provisioning.some((p) => p.alert && p.message.startsWith('Completed')), 'a sync that failed');
  const got = auditEvents((await openBundle([gen])).store).filter((e) => e.category === 'provisioning');
  assert.deepEqual(got.map((e) => [e.time, e.message, e.alert]), truth.provisioning.map((p) => [p.time, p.message, p.alert]));
  got.forEach((e, k) => assert.ok(e.subject.includes(truth.provisioning[k]!.about) || e.target === truth.provisioning[k]!.about, `${e.subject} / ${truth.provisioning[k]!.about}`));
  // the CLI keeps the category; a row's alerts are its lines'
  const text = run('audit', gen, '--category', 'provisioning', '--no-cache');
  const rows = auditRows(got);
  assert.ok(text.startsWith(`${rows.length} subject(s) of provisioning,`), text.slice(0, 80));
  for (const r of rows) assert.equal(r.alerts, got.filter((e) => e.subject === r.subject && e.alert).length);
});
