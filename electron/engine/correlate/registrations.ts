/**
 * The bundle's registrations, a row per alias: for "bob cannot be called — was he registered?".
 * Two sources say it. The registrar's SIP: each REGISTER a node received and its answer (200,
 * 401/407 challenges, refusals such as 403), with the device's address, its User-Agent and the
 * Expires asked. And administrator.registration: "Registration added / refreshed / deleted" with
 * a reason, for every protocol. A REGISTER a node sent (Infinity registering upstream) is not
 * a registration to it and is left out.
 */
import type { CallTrace, RegistrationEvent, RegistrationMoment, RegistrationRow, RegistrationSpan, RegistrationState } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { formatTime } from '../lines/time.js';
import { runSteps } from '../steps.js';
import type { Steps } from '../steps.js';
import { picker, pickInto, sipHeaderBytes, uriOf } from './pick.js';
import { header, parseSipMessage } from '../../shared/sip-message.js';
import { aliasKey, callParties } from '../../shared/registration-words.js';

const SIP = 'support.sip';
const ADMIN = 'administrator.registration';
const REGISTER = Buffer.from('REGISTER');
const DETAIL = Buffer.from(' Detail="^M');
const RECEIVED = Buffer.from(' Message="Received');
const SIP_FIELDS = picker(['src-address']);
const ADMIN_FIELDS = picker(['message', 'alias', 'protocol', 'reason']);
const HEADERS = ['to', 'cseq', 'call-id', 'contact', 'expires', 'user-agent'] as const;
/** Lines read between the yields of a sliced run. */
const SLICE = 2048;
const slots: Array<string | undefined> = [];

export interface Registrations {
  rows: RegistrationRow[];
  /** An alias's (aliasKey) lines in view order; undefined for one the bundle does not register. */
  eventsOf(alias: string): RegistrationEvent[] | undefined;
  /** An alias's states over time, from its first deciding line to the log's end. */
  spansOf(alias: string): RegistrationSpan[] | undefined;
  /** What an alias's lines up to a time say of it then; null for one the bundle does not register. */
  stateAt(alias: string, ms: number): RegistrationMoment | null;
}

export { aliasKey };

/** Lines of support.sip that hold REGISTER, in store order: one indexOf per chunk hit, not per line. */
function registerLines(store: LineStore, module: number): number[] {
  const out: number[] = [];
  const names = store.name.data;
  let chunk = -1;
  let hit = -1;
  for (let i = 0; i < store.count; i++) {
    if (names[i] !== module) continue;
    const c = store.chunk.data[i]!;
    const s = store.start.data[i]!;
    const e = store.end.data[i]!;
    const b = store.chunks[c]!;
    // the next REGISTER at or after this line in its chunk: lines before it have none
    if (c !== chunk || (hit >= 0 && hit < s)) {
      chunk = c;
      hit = b.indexOf(REGISTER, s);
    }
    if (hit >= 0 && hit < e) out.push(i);
  }
  return out;
}

/**
 * The SIP message of a support.sip line, read from its bytes (a string of each whole payload
 * took most of the time): whether a node received it, its start line, the headers wanted.
 */
function sipOf(line: Buffer): { received: boolean; start: string; h: Record<string, string> } | null {
  const at = line.indexOf(DETAIL);
  if (at < 0) return null;
  const body = at + DETAIL.length;
  // the payload ends before the value's closing quote
  const end = line[line.length - 1] === 34 ? line.length - 1 : line.length;
  let cut = body;
  while (cut < end && !(line[cut] === 94 && line[cut + 1] === 77)) cut++;
  const received = line.subarray(0, at).indexOf(RECEIVED) >= 0;
  return { received, start: line.toString('utf8', body, cut).trim(), h: sipHeaderBytes(line.subarray(body - 2, end), HEADERS) };
}

/** Seconds a REGISTER (or its answer) asks for: the Contact's expires, else Expires; null if neither. */
function expiresOf(h: Record<string, string>): number | null {
  const m = /;\s*expires\s*=\s*(\d+)/i.exec(h.contact ?? '');
  const v = m ? m[1]! : h.expires;
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : null;
}

/** What a line decides of its alias's registration: its state, why, and its expiry (`keep`: as it was). */
interface Decision {
  state: 'registered' | 'unregistered' | 'refused';
  reason: string | null;
  expires: number | 'keep';
}

/** An event as the scan finds it: its time and node kept as numbers until a page asks for it. */
interface Found {
  ms: number;
  line: number;
  node: number;
  kind: RegistrationEvent['kind'];
  what: string;
  detail: string | null;
  sets: Decision | null;
}

interface Building {
  row: RegistrationRow;
  first: number;
  last: number;
  found: Found[];
  nodes: Set<number>;
  addresses: Set<string>;
  agents: Set<string>;
  protocols: Set<string>;
}

const iso = (ms: number): string | null => (Number.isFinite(ms) ? formatTime(ms) : null);

/**
 * A registration's expiry after a deciding line: its own, or the one before when it keeps it (a
 * registration line of a SIP registration) and that has not run out by then (else none known).
 */
function expiryAfter(sets: Decision, ms: number, before: number): number {
  if (sets.expires !== 'keep') return sets.expires;
  return before >= ms ? before : NaN;
}

/**
 * The state the lines up to `at` leave: the last deciding one's, expired when the time its
 * registration was granted for ran out before `at` with no line since (the registrar's own rule).
 */
function replay(found: readonly Found[], at: number): { state: RegistrationState; ms: number; reason: string | null; expires: number; line: number } {
  const out = { state: 'unknown' as RegistrationState, ms: NaN, reason: null as string | null, expires: NaN, line: -1 };
  for (const f of found) {
    if (f.ms > at) continue;
    if (!f.sets) continue;
    out.state = f.sets.state;
    out.ms = f.ms;
    out.reason = f.sets.reason;
    out.line = f.line;
    out.expires = expiryAfter(f.sets, f.ms, out.expires);
  }
  if (out.state !== 'registered') out.expires = NaN;
  else if (out.expires < at) Object.assign(out, { state: 'expired', ms: out.expires, reason: 'not refreshed in the log' });
  return out;
}

/**
 * The states the lines leave over time, to `end`: a state lasts from its deciding line to the
 * next that changes it (a refresh continues it), a registration with a granted time until then,
 * expired from there.
 */
function spans(found: readonly Found[], end: number): Array<{ state: RegistrationState; from: number; to: number }> {
  const out: Array<{ state: RegistrationState; from: number; to: number }> = [];
  let cur: { state: Decision['state']; from: number; expires: number } | null = null;
  const close = (at: number) => {
    if (!cur) return;
    if (cur.state === 'registered' && cur.expires < at) out.push({ state: 'registered', from: cur.from, to: cur.expires }, { state: 'expired', from: cur.expires, to: at });
    else out.push({ state: cur.state, from: cur.from, to: at });
  };
  for (const f of found) {
    if (!f.sets) continue;
    const expires = expiryAfter(f.sets, f.ms, cur?.expires ?? NaN);
    if (cur && cur.state === f.sets.state && !(cur.state === 'registered' && cur.expires < f.ms)) {
      cur.expires = expires;
      continue;
    }
    close(f.ms);
    cur = { state: f.sets.state, from: f.ms, expires };
  }
  close(end);
  return out;
}

/**
 * `sipLines`: the view positions of the support.sip lines that may hold a REGISTER, when a
 * search index has them (the app's `REGISTER name:support.sip`); else the bytes are scanned.
 */
export function registrations(store: LineStore, sipLines?: ArrayLike<number>, only?: ReadonlySet<string>): Registrations {
  return runSteps(registrationSteps(store, sipLines, only));
}

/**
 * The same in slices (engine/steps.ts): the engine worker answers other requests meanwhile.
 * `only`: these aliases (aliasKey) alone, for one call's parties; a SIP line that does not
 * name one of them is not read.
 */
export function* registrationSteps(store: LineStore, sipLines?: ArrayLike<number>, only?: ReadonlySet<string>): Steps<Registrations> {
  const named = only ? [...only] : null;
  const sip = store.names.values.indexOf(SIP);
  const admin = store.names.values.indexOf(ADMIN);
  const positions: number[] = [];
  if (sipLines) for (let k = 0; k < sipLines.length; k++) positions.push(sipLines[k]!);
  else if (sip >= 0) for (const i of registerLines(store, sip)) positions.push(store.viewPosition(i));
  yield;
  if (admin >= 0) for (const p of store.modulePositions(admin)) positions.push(p);
  positions.sort((a, b) => a - b);
  yield;

  const byAlias = new Map<string, Building>();
  const entry = (alias: string, ms: number, line: number): Building => {
    let b = byAlias.get(alias);
    if (!b) {
      const row: RegistrationRow = {
        alias, protocols: [], state: 'unknown', stateTime: null, reason: null, requests: 0, accepted: 0, challenged: 0, refused: 0,
        added: 0, refreshed: 0, deleted: 0, nodes: [], addresses: [], agents: [], first: '', last: '', firstLine: line, lastLine: line, expires: null,
      };
      b = { row, first: ms, last: ms, found: [], nodes: new Set(), addresses: new Set(), agents: new Set(), protocols: new Set() };
      byAlias.set(alias, b);
    }
    b.last = ms;
    b.row.lastLine = line;
    return b;
  };
  /** What each REGISTER asked (by Call-ID and CSeq), for its answer: seconds, or null. */
  const asked = new Map<string, number | null>();
  const times = store.time.data;
  const nodeIds = store.node.data;

  for (let k = 0; k < positions.length; k++) {
    if (k % SLICE === SLICE - 1) yield;
    const p = positions[k]!;
    const i = store.at(p);
    const ms = times[i]!;
    const node = nodeIds[i]!;
    const module = store.name.data[i];
    if (module === admin) {
      const [message = '', alias, protocol, reason] = pickInto(store, i, ADMIN_FIELDS, slots);
      const what = /^Registration (added|refreshed|deleted)/i.exec(message)?.[1]?.toLowerCase() as 'added' | 'refreshed' | 'deleted' | undefined;
      if (!what || !alias) continue;
      const key = aliasKey(alias);
      if (only && !only.has(key)) continue;
      const b = entry(key, ms, p);
      b.row[what]++;
      if (protocol) b.protocols.add(protocol);
      b.nodes.add(node);
      // the same registration as a SIP REGISTER's keeps its expiry; another protocol's has none here
      const sets: Decision =
        what === 'deleted'
          ? { state: 'unregistered', reason: reason ?? null, expires: NaN }
          : { state: 'registered', reason: null, expires: (protocol ?? '').toUpperCase() === 'SIP' ? 'keep' : NaN };
      b.found.push({ ms, line: p, node, kind: what, what: message, detail: reason ?? null, sets });
      continue;
    }
    if (module !== sip) continue;
    const content = store.content(i);
    if (named) {
      const text = content.toString('latin1').toLowerCase();
      if (!named.some((a) => text.includes(a))) continue;
    }
    const msg = sipOf(content);
    if (!msg) continue;
    const { received, start, h } = msg;
    const method = /^\S+\s+(\S+)$/.exec(h.cseq ?? '')?.[1]?.toUpperCase();
    const to = uriOf(h.to);
    if (method !== 'REGISTER' || !to || (only && !only.has(aliasKey(to)))) continue;
    const txn = `${h['call-id'] ?? ''}\0${h.cseq}`;
    const status = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(start);
    if (!status) {
      // a request: only one a node received is a registration to Infinity
      if (!/^REGISTER\s/i.test(start) || !received) continue;
      const b = entry(aliasKey(to), ms, p);
      const secs = expiresOf(h);
      asked.set(txn, secs);
      b.row.requests++;
      b.protocols.add('SIP');
      b.nodes.add(node);
      const [src] = pickInto(store, i, SIP_FIELDS, slots);
      if (src) b.addresses.add(src);
      if (h['user-agent']) b.agents.add(h['user-agent']);
      b.found.push({ ms, line: p, node, kind: 'request', what: secs === 0 ? 'REGISTER (to unregister)' : 'REGISTER', detail: secs === null || secs === 0 ? null : `expires ${secs} s`, sets: null });
      continue;
    }
    if (received) continue; // an answer to a REGISTER a node sent
    const code = Number(status[1]);
    if (code < 200) continue;
    const b = entry(aliasKey(to), ms, p);
    const phrase = `${code} ${status[2]!.trim()}`.trim();
    b.nodes.add(node);
    if (code < 300) {
      b.row.accepted++;
      const secs = expiresOf(h) ?? asked.get(txn) ?? null;
      const sets: Decision = secs === 0 ? { state: 'unregistered', reason: 'unregistered by the device', expires: NaN } : { state: 'registered', reason: null, expires: secs === null ? NaN : ms + secs * 1000 };
      b.found.push({ ms, line: p, node, kind: 'accepted', what: phrase, detail: secs === null ? null : secs === 0 ? 'unregistered' : `for ${secs} s`, sets });
    } else if (code === 401 || code === 407) {
      b.row.challenged++;
      b.found.push({ ms, line: p, node, kind: 'challenged', what: phrase, detail: 'asks the device to authenticate', sets: null });
    } else {
      b.row.refused++;
      b.found.push({ ms, line: p, node, kind: 'refused', what: phrase, detail: null, sets: { state: 'refused', reason: phrase, expires: NaN } });
    }
  }

  const logEnd = store.timeSpan().to;
  const nodeName = (n: number) => store.nodes.values[n]!;
  const rows: RegistrationRow[] = [];
  for (const b of byAlias.values()) {
    const r = b.row;
    const end = replay(b.found, logEnd);
    r.state = end.state;
    r.stateTime = iso(end.ms);
    r.reason = end.reason;
    r.expires = iso(end.expires);
    r.protocols = [...b.protocols].sort();
    r.nodes = [...b.nodes].map(nodeName).sort();
    r.addresses = [...b.addresses];
    r.agents = [...b.agents];
    r.first = formatTime(b.first);
    r.last = formatTime(b.last);
    rows.push(r);
  }
  rows.sort((a, b) => a.alias.localeCompare(b.alias));
  return {
    rows,
    eventsOf: (alias) => byAlias.get(alias)?.found.map((f) => ({ time: formatTime(f.ms), line: f.line, node: nodeName(f.node), kind: f.kind, what: f.what, detail: f.detail })),
    spansOf: (alias) => {
      const b = byAlias.get(alias);
      return b && spans(b.found, logEnd).map((x) => ({ state: x.state, from: formatTime(x.from), to: formatTime(x.to) }));
    },
    stateAt: (alias, ms) => {
      const b = byAlias.get(alias);
      if (!b) return null;
      const then = replay(b.found, ms);
      return { alias, state: then.state, since: iso(then.ms), reason: then.reason, expires: iso(then.expires), line: then.line < 0 ? null : then.line };
    },
  };
}

/** The aliases (aliasKey) of a call's parties that may be registered (callParties). */
export function partyAliases(t: CallTrace): Set<string> {
  return new Set(callParties(t.call).map(aliasKey));
}

/**
 * A trace with its parties' registrations when it started (the aliases the bundle registers);
 * the same trace when none. `known`: every registration, or those of its parties (`only`).
 */
export function withRegistrations(t: CallTrace, known: Registrations): CallTrace {
  const start = t.call.start ? Date.parse(t.call.start) : NaN;
  if (!Number.isFinite(start)) return t;
  const moments = [...partyAliases(t)].map((a) => known.stateAt(a, start)).filter((m): m is RegistrationMoment => m !== null);
  return moments.length ? { ...t, registrations: moments } : t;
}

/**
 * The alias whose registration a line is part of, as the registrations read it: a registration
 * line's Alias, or the To of a REGISTER a node received or of its answer a node sent; null for
 * any other line. For the explorer's link from a line to its registration.
 */
export function registrationAliasOf(module: string, fields: ReadonlyArray<{ key: string; value: string }>, payload: readonly string[] | null): string | null {
  const field = (k: string) => fields.find((f) => f.key.toLowerCase() === k)?.value;
  if (module === ADMIN) {
    const alias = field('alias');
    return alias && /^Registration (added|refreshed|deleted)/i.test(field('message') ?? '') ? aliasKey(alias) : null;
  }
  if (module !== SIP || !payload?.length) return null;
  const msg = parseSipMessage([...payload]);
  const to = uriOf(header(msg, 'To'));
  if (!to || !/^\d+\s+REGISTER$/i.test((header(msg, 'CSeq') ?? '').trim())) return null;
  const received = /^Received/i.test(field('message') ?? '');
  const request = msg.method === 'REGISTER';
  return request === received ? aliasKey(to) : null;
}

