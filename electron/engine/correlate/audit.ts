/**
 * The administrator's audit trail: who logged in or failed to, who changed the configuration or
 * disconnected a participant, and what Break-in prevention and PIN entry stopped. For "calls to
 * meet.alice fail since 14:00" (a service blocked as under PIN attack), "my call was dropped" (an
 * administrator's disconnect), "what changed before it broke" and "the VMR vanished overnight"
 * (an LDAP sync, the scheduling service). The lines are the vendor's administrator.configuration,
 * administrator.web and administrator.conference messages, and those of what provisions the
 * services on its own (administrator.ldap.sync, .scheduling, .otj, .apps.cloudbursting); each is
 * grouped under a subject (a user, an address, a service, a configuration item, a sync template, a
 * room).
 */
import type { AuditCategory, AuditEvent, AuditRow, CallSummary, CallTrace } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { formatTime } from '../lines/time.js';
import { picker, pickInto } from './pick.js';
import { startsWithBytes } from '../lines/fields.js';
import { messageRange } from '../lines/messages.js';
import { runSteps } from '../steps.js';
import type { Steps } from '../steps.js';
import { AUDIT_CATEGORIES, LAST_HOST_LEFT, REMOVED } from '../../shared/audit-words.js';

const MODULES = [
  'administrator.configuration', 'administrator.web', 'administrator.conference',
  'administrator.ldap.sync', 'administrator.scheduling', 'administrator.otj', 'administrator.apps.cloudbursting',
];

/** Which messages are audit lines, and which of them a case looks for first (alerts). */
const RULES: ReadonlyArray<{ test: RegExp; category: AuditCategory; alert: boolean }> = [
  { test: /^User login failed/i, category: 'login', alert: true },
  { test: /^User logged (in|out)/i, category: 'login', alert: false },
  { test: /^Configuration (added|changed|deleted)|^License |^Processed license/i, category: 'configuration', alert: false },
  { test: /^Initiated |requested by (API|participant)|^Outgoing call requested|^Sending DTMF/i, category: 'control', alert: false },
  // a conference ended under its participants: the last host left (every guest is cut), or a participant ended it
  { test: LAST_HOST_LEFT, category: 'control', alert: true },
  { test: REMOVED, category: 'control', alert: false },
  { test: /^Conference terminated by participant/i, category: 'control', alert: false },
  { test: /Break-in prevention/i, category: 'break-in', alert: true },
  // a wrong PIN once is a typo; a call cut for it is what a case looks for
  { test: /exceeded PIN entry retries|^PIN entry timed out|^Conference host timeout/i, category: 'pin', alert: true },
  { test: /incorrect conference PIN/i, category: 'pin', alert: false },
  // what provisions the services on its own: an alias a sync could not give (calls to it reach the
  // other VMR), a meeting the scheduler dropped, a location out of capacity
  { test: /^Sync detected alias clash/i, category: 'provisioning', alert: true },
  { test: /^(Beginning|Completed) \w+ Sync\b/i, category: 'provisioning', alert: false },
  { test: /can no longer be processed/i, category: 'provisioning', alert: true },
  { test: /Scheduled (Alias|Conference)|Recurring Conference|^Conference deleted$/i, category: 'provisioning', alert: false },
  { test: /^OTJ Meeting (Created|Changed|Deleted)/i, category: 'provisioning', alert: false },
  { test: /is overloaded!/i, category: 'provisioning', alert: true },
  { test: /^Shutting down idle worker/i, category: 'provisioning', alert: false },
];

/** A service blocked as under PIN attack is grouped by the service, the other break-in lines by the address. */
const SERVICE_BLOCKED = /blocking all attempts to join this service/i;

const MESSAGE = picker(['message']);
/** Lines read between the yields of a sliced run. */
const SLICE = 4096;
const FIELDS = picker([
  'user', 'remote-address', 'type', 'id', 'fields', 'participant', 'participant-alias', 'participant-id', 'conference',
  'conferencealias', 'conference-alias', 'service', 'local-alias', 'reason', 'detail', 'retriesremaining',
  'remaining_block_duration_seconds', 'call-id', 'requester', 'role', 'digits', 'to-conference',
  'template', 'status', 'warnings', 'last_warning', 'alias', 'newconference', 'existingconference', 'vmsid', 'scheduledaliasid',
  'room', 'subject', 'organizeremail', 'otjprofilename',
]);
type F = Partial<Record<(typeof FIELDS.names)[number], string>>;
const slots: Array<string | undefined> = [];

/** The line's category and alert, or null for a line that is not part of the audit trail. */
export function auditRule(message: string): { category: AuditCategory; alert: boolean } | null {
  for (const r of RULES) if (r.test.test(message)) return r;
  return null;
}

const present = (v: string | undefined): string | null => (v === undefined || v === '' || v === 'None' ? null : v);

/** The parts of an event its category reads from the line's fields. */
export function auditParts(category: AuditCategory, message: string, f: F): Pick<AuditEvent, 'who' | 'address' | 'target' | 'detail' | 'subject' | 'words' | 'callId'> {
  const address = present(f['remote-address']);
  const callId = present(f['call-id']) ?? present(f['participant-id']);
  const join = (parts: Array<string | null | undefined>) => parts.filter((p): p is string => !!p).join(', ') || null;
  switch (category) {
    case 'login': {
      // by user and address: one guessing passwords from afar stands apart from the usual workstation
      const who = present(f.user);
      const subject = who && address ? `${who} from ${address}` : (who ?? address ?? '(no user)');
      return { who, address, target: null, detail: null, subject, words: [who, address].filter((w): w is string => !!w), callId: null };
    }
    case 'configuration': {
      const target = [present(f.type), present(f.id)].filter(Boolean).join(' ') || null;
      const words = [present(f.id) ?? target ?? message];
      return { who: present(f.user), address, target, detail: present(f.fields) && `Fields: ${f.fields}`, subject: target ?? message, words, callId: null };
    }
    case 'control': {
      const participant = present(f['participant-alias']) ?? present(f.participant);
      const conference = present(f.conference) ?? present(f.conferencealias);
      const target = participant ?? conference ?? present(f['conference-alias']);
      const detail = join([
        participant && conference && `in ${conference}`,
        present(f['conference-alias']) && participant && `to ${f['conference-alias']}`,
        present(f['to-conference']) && `to ${f['to-conference']}`,
        present(f.role) && `role ${f.role}`,
        present(f.digits) && `digits ${f.digits}`,
      ]);
      return { who: present(f.user) ?? present(f.requester), address, target, detail, subject: target ?? message, words: [target ?? message], callId };
    }
    case 'break-in': {
      const service = present(f.service) ?? present(f.conferencealias);
      const target = service ?? present(f['local-alias']);
      const left = present(f.remaining_block_duration_seconds);
      const detail = join([present(f.reason), left && `${left} s of the block left`]);
      const subject = (SERVICE_BLOCKED.test(message) ? service : address) ?? address ?? target ?? message;
      return { who: present(f.participant), address, target, detail, subject, words: [subject], callId };
    }
    case 'provisioning':
      return provisioningParts(message, f);
    case 'pin': {
      const retries = present(f.retriesremaining);
      // the alias as dialled, without its scheme (sip:meet.alice@… and meet.alice@… are one)
      const target = (present(f.conferencealias) ?? present(f.conference))?.replace(/^(sips?|h323|tel):/i, '') ?? null;
      const detail = retries !== null ? `${retries} ${retries === '1' ? 'retry' : 'retries'} left` : present(f.detail);
      return { who: present(f.participant), address, target, detail, subject: target ?? message, words: [target ?? message], callId };
    }
  }
}

/** A sync that ended otherwise than succeeded: the services it was to make may be missing. */
export const syncFailed = (message: string, status: string | undefined): boolean => /^Completed \w+ Sync\b/i.test(message) && !!status && status !== 'sync_succeeded';

/** The parts of a provisioning line: a sync by its template, an alias clash by its alias, a scheduled VMR, a room, a cloud location. */
function provisioningParts(message: string, f: F): Pick<AuditEvent, 'who' | 'address' | 'target' | 'detail' | 'subject' | 'words' | 'callId'> {
  const parts = (subject: string, target: string | null, detail: Array<string | null | false>, words: string[] = [subject]) =>
    ({ who: null, address: null, target, detail: detail.filter((d): d is string => !!d).join(', ') || null, subject, words, callId: null });
  const warnings = Number(present(f.warnings) ?? 0);
  if (/alias clash/i.test(message)) {
    const alias = present(f.alias);
    return parts(`alias ${alias ?? '?'}`, present(f.newconference), [present(f.existingconference) && `held by ${f.existingconference}`], [alias ?? message]);
  }
  if (/ Sync\b/.test(message)) {
    const template = present(f.template);
    return parts(`${template ?? '?'} sync`, null, [present(f.status), warnings > 0 && `${warnings} warning${warnings === 1 ? '' : 's'}`, present(f.last_warning) && `last: ${f.last_warning}`], [template ?? message]);
  }
  if (/^OTJ /i.test(message)) {
    const room = present(f.room);
    return parts(`room ${room ?? '?'}`, present(f.alias), [present(f.subject) && `"${f.subject}"`, present(f.organizeremail) && `by ${f.organizeremail}`], [room ?? message]);
  }
  const location = /location '([^']+)'/i.exec(message)?.[1];
  if (location || /worker/i.test(message)) {
    const instance = /(?:instance|worker) (\S+)/i.exec(message)?.[1] ?? null;
    return parts(location ? `location ${location}` : 'cloud bursting', instance, [], [location ? `location '${location}'` : (instance ?? message)]);
  }
  // the scheduling service: by the VMR (its database id) or the scheduled alias
  const vmr = present(f.vmsid);
  const subject = vmr ? `VMR ${vmr}` : present(f.alias) ?? (present(f.scheduledaliasid) && `scheduled alias ${f.scheduledaliasid}`) ?? message;
  return parts(subject, present(f.alias), [], [vmr ?? subject]);
}

/** The category and subject a line is counted in, from its parsed fields (the explorer's detail links to it); null for no audit line. */
export function auditSubjectOf(module: string, fields: ReadonlyArray<{ key: string; value: string }>): { category: AuditCategory; subject: string } | null {
  if (!MODULES.includes(module)) return null;
  const f: F = {};
  let message: string | undefined;
  for (const { key, value } of fields) {
    const k = key.toLowerCase();
    if (k === 'message') message ??= value;
    else if ((FIELDS.names as readonly string[]).includes(k) && !(k in f)) f[k as keyof F] = value;
  }
  const rule = message ? auditRule(message) : null;
  return rule && { category: rule.category, subject: auditParts(rule.category, message!, f).subject };
}

/**
 * Messages of the modules read that are no audit line, by far the most of their lines (a call's
 * lifecycle): told from the bytes, before any string is made (that made the reading 3× slower).
 */
const NOT_AUDIT = [
  'Participant has joined', 'Participant has disconnected', 'Participant has stopped', 'Participant attempting', 'Participant failed to join',
  'Participant is presenting', 'Conference has been', 'PIN entry correct', 'Host participant', 'Guest participant',
].map((m) => Buffer.from(m));

/** Whether line i's Message is plainly one of NOT_AUDIT (told from its bytes: messageRange). */
function plainlyNotAudit(store: LineStore, i: number): boolean {
  const b = store.chunks[store.chunk.data[i]!]!;
  const e = store.end.data[i]!;
  const r = messageRange(b, store.start.data[i]!, e);
  if (!r) return false;
  for (const m of NOT_AUDIT) if (b[r[0]] === m[0] && startsWithBytes(b, r[0], e, m)) return true;
  return false;
}

/** Every audit line of the bundle, in view order. */
export function auditEvents(store: LineStore): AuditEvent[] {
  return runSteps(auditSteps(store));
}

/** The same in steps (../steps.ts), a yield every SLICE lines: the app reads them beside other requests. */
export function* auditSteps(store: LineStore): Steps<AuditEvent[]> {
  const positions = store.modulePositions(...MODULES.map((m) => store.names.values.indexOf(m)));
  yield;
  const out: AuditEvent[] = [];
  for (let k = 0; k < positions.length; k++) {
    if (k % SLICE === SLICE - 1) yield;
    const p = positions[k]!;
    const i = store.at(p);
    if (plainlyNotAudit(store, i)) continue;
    const message = pickInto(store, i, MESSAGE, slots)[0];
    if (!message) continue;
    const rule = auditRule(message);
    if (!rule) continue;
    const vals = pickInto(store, i, FIELDS, slots);
    const f: F = {};
    FIELDS.names.forEach((k, n) => vals[n] !== undefined && (f[k as keyof F] = vals[n]));
    const left = Number.parseInt(f.remaining_block_duration_seconds ?? '', 10);
    out.push({
      line: p,
      blockLeft: Number.isFinite(left) ? left : null,
      time: formatTime(store.time.data[i]!),
      category: rule.category,
      message,
      alert: rule.alert || syncFailed(message, f.status),
      node: store.nodeOf(i),
      conference: present(f.conference) ?? present(f.conferencealias) ?? present(f['conference-alias']),
      ...auditParts(rule.category, message, f),
    });
  }
  return out;
}

/** How long before a participant is removed its conference's last host may have left, ms (the vendor's host timeout is a minute or so). */
const HOST_LEFT_WITHIN_MS = 10 * 60_000;

/**
 * The lines that say its conference was ended under a call: its participant removed for the
 * conference's termination (no call id: told by its conference, its participant's alias or name,
 * and a time within the call), and the last host leaving before that.
 */
export function conferenceEndOf(c: CallSummary, events: readonly AuditEvent[]): AuditEvent[] {
  if (!c.conference || !c.start || !c.end) return [];
  const { removals, hostsLeft } = terminations(events);
  const names = new Set([c.from, c.to, c.displayName].filter((n): n is string => !!n));
  const [from, to] = [Date.parse(c.start), Date.parse(c.end) + 5_000];
  const removed = removals.find((e) => e.conference === c.conference && e.target !== null && names.has(e.target) && Date.parse(e.time) >= from && Date.parse(e.time) <= to);
  if (!removed) return [];
  const at = Date.parse(removed.time);
  const left = hostsLeft.filter((e) => e.conference === c.conference && Date.parse(e.time) <= at && at - Date.parse(e.time) <= HOST_LEFT_WITHIN_MS).at(-1);
  return left ? [left, removed] : [removed];
}

/** The terminations' lines of a bundle's audit events, picked once (a report of every call asks for each). */
const picked = new WeakMap<readonly AuditEvent[], { removals: AuditEvent[]; hostsLeft: AuditEvent[] }>();
function terminations(events: readonly AuditEvent[]): { removals: AuditEvent[]; hostsLeft: AuditEvent[] } {
  let p = picked.get(events);
  if (!p) {
    p = { removals: events.filter((e) => e.callId === null && REMOVED.test(e.message)), hostsLeft: events.filter((e) => LAST_HOST_LEFT.test(e.message)) };
    picked.set(events, p);
  }
  return p;
}

/** The trace with the audit lines that name its call (by any of its ids), or say its conference ended under it, if any. */
export function withAudit(t: CallTrace, events: readonly AuditEvent[]): CallTrace {
  const ids = new Set(t.call.ids);
  const own = [...events.filter((e) => e.callId !== null && ids.has(e.callId)), ...conferenceEndOf(t.call, events)].sort((a, b) => a.line - b.line);
  return own.length ? { ...t, audit: own } : t;
}

/** A row per category and subject: by category (AUDIT_CATEGORIES' order), then by first line. */
export function auditRows(events: readonly AuditEvent[]): AuditRow[] {
  const rows = new Map<string, AuditRow & { counts: Map<string, number>; whoSet: Set<string>; addressSet: Set<string> }>();
  for (const e of events) {
    const key = `${e.category}\0${e.subject}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        category: e.category, subject: e.subject, words: e.words, events: 0, alerts: 0, messages: [], who: [], addresses: [], first: e.time, last: e.time, blockedUntil: null,
        counts: new Map(), whoSet: new Set(), addressSet: new Set(),
      };
      rows.set(key, r);
    }
    r.events++;
    if (e.alert) r.alerts++;
    r.counts.set(e.message, (r.counts.get(e.message) ?? 0) + 1);
    if (e.who) r.whoSet.add(e.who);
    if (e.address) r.addressSet.add(e.address);
    if (e.time < r.first) r.first = e.time;
    if (e.time > r.last) r.last = e.time;
    if (e.blockLeft !== null && e.time) {
      const until = new Date(Date.parse(e.time) + e.blockLeft * 1000).toISOString();
      if (!r.blockedUntil || until > r.blockedUntil) r.blockedUntil = until;
    }
  }
  const rank = (c: AuditCategory) => AUDIT_CATEGORIES.indexOf(c);
  const sorted = [...rows.values()].sort((a, b) => rank(a.category) - rank(b.category));
  return sorted.map(({ counts, whoSet, addressSet, ...row }) => ({
    ...row,
    messages: [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count || a.message.localeCompare(b.message)),
    who: [...whoSet],
    addresses: [...addressSet],
  }));
}
