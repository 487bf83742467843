/**
 * One pass over the store that pulls out, from the raw bytes, only what correlation needs:
 * per line its kind (by module), its correlation keys (interned to small ints), SIP start-line
 * facts and fragment numbers. Nothing is parsed into objects; results live in typed arrays.
 * Lines of modules that carry no call (kernel, dns, registration...) are skipped by module id.
 */
import { runSteps } from '../steps.js';
import type { Steps } from '../steps.js';
import type { LineStore } from '../lines/line-store.js';
import { Keys } from './keys.js';
import { closingQuote, levelAt, startsWithBytes } from '../lines/fields.js';

export { Keys } from './keys.js';

export const K_NONE = 0;
export const K_SIP = 1;
export const K_BFCP = 2;
export const K_Q931 = 3;
export const K_RAS = 4;
export const K_H245 = 5;
export const K_REST = 6;
export const K_ADMIN = 7;
/** Other support.* modules (participant, media, ice, conference...): log events of a call. */
export const K_LOG = 8;

/**
 * SIP start line, per line: a request by its method (SIP_METHODS[code − 1], the methods Infinity
 * uses), another request, or a response (its status in `sipStatus`).
 */
export const SIP_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH'] as const;
export const SIP_NONE = 0;
export const SIP_INVITE = 1;
export const SIP_OTHER_REQ = SIP_METHODS.length + 1;
export const SIP_RESPONSE = SIP_METHODS.length + 2;

/** Line flag bits (the `info` column). */
export const I_PAYLOAD = 1; // has a `^M` payload (a real message, not a connection event)
export const I_SETUP = 2; // Q.931 setup
export const I_ATTEMPT = 4; // admin: Participant attempting to join
export const I_JOINED = 8; // admin: Participant has joined
export const I_FAILED = 16; // admin: Participant failed to join
export const I_DISCONNECTED = 32; // admin: Participant has disconnected
export const I_CONF = 64; // admin: Conference has been created / stopped
export const I_FRAG = 128; // a piece of a fragmented SIP message
export const I_LIFECYCLE = I_ATTEMPT | I_JOINED | I_FAILED | I_DISCONNECTED;

const NO = -1;

/** Module name → kind. Exact names, then prefixes; the set of modules is open. */
export function kindOfModule(name: string): number {
  switch (name) {
    case 'support.sip':
      return K_SIP;
    case 'support.bfcp':
      return K_BFCP;
    case 'support.h323.q931':
      return K_Q931;
    case 'support.h323.ras':
      return K_RAS;
    case 'support.h323.h245':
      return K_H245;
    case 'support.rest':
      return K_REST;
  }
  if (name.startsWith('administrator.')) return K_ADMIN;
  // modules that never carry call keys: not worth a look
  if (name === 'support.dns' || name === 'support.events' || name === 'support.pulse' || name === 'support.jinja2') return K_NONE;
  if (name.startsWith('support.')) return K_LOG;
  return K_NONE;
}

export interface Scan {
  count: number;
  kind: Uint8Array;
  info: Uint8Array;
  /** SIP start line code (SIP_*) of a SIP line / fragment group's first piece. */
  sipStart: Uint8Array;
  /** SIP response status (0 for requests). */
  sipStatus: Uint16Array;
  /** Call-Id / SIP Call-ID key (−1 none). */
  callKey: Int32Array;
  uuidKey: Int32Array;
  partKey: Int32Array;
  convKey: Int32Array;
  /** Conference-ID key of conference created/stopped lines (few: kept sparse). */
  confKey: Map<number, number>;
  /** Fragment group of each fragment line (lines with I_FRAG; few: kept sparse). */
  fragOf: Map<number, number>;
  fragments: FragmentGroup[];
  keys: Keys;
  /** Admin `Protocol` (P_*), 0 when absent. */
  proto: Uint8Array;
  /** Per module id: kind. */
  kindByName: Uint8Array;
}

/** The pieces of one fragmented SIP message, in the order they were seen. */
export interface FragmentGroup {
  key: string;
  lines: number[];
  /** Fragment-Number of each piece (parallel to `lines`). */
  numbers: number[];
  /** Largest Fragment-Total stated. */
  total: number;
}

/** Fragment group of line i, or −1. */
export function groupOf(s: Scan, i: number): number {
  return s.info[i]! & I_FRAG ? (s.fragOf.get(i) ?? NO) : NO;
}

/** A group's pieces' positions in `lines`, by fragment number (then log order). */
function pieceOrder(g: FragmentGroup): number[] {
  return g.lines.map((_, k) => k).sort((a, b) => g.numbers[a]! - g.numbers[b]! || g.lines[a]! - g.lines[b]!);
}

/** A group's pieces sorted by fragment number (then log order). */
export function orderedPieces(g: FragmentGroup): number[] {
  return pieceOrder(g).map((k) => g.lines[k]!);
}

/**
 * The pieces a message's start and headers can be read from: in number order from the first, up
 * to the first one missing (after a gap, the text joined would run a header cut short into what
 * follows the missing piece), and whether they are all of them.
 */
export function leadingPieces(g: FragmentGroup): { lines: number[]; whole: boolean } {
  const lines: number[] = [];
  let next = 1;
  for (const k of pieceOrder(g)) {
    const n = g.numbers[k]!;
    if (n > next) break;
    lines.push(g.lines[k]!);
    if (n === next) next++;
  }
  return { lines, whole: next > g.total };
}

/** Fragment numbers present (sorted, distinct) and missing (1..total). */
export function fragmentGaps(g: FragmentGroup): { total: number; present: number[]; missing: number[] } {
  const present = [...new Set(g.numbers)].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let k = 1; k <= g.total; k++) if (!present.includes(k)) missing.push(k);
  return { total: g.total, present, missing };
}

/** Admin `Protocol` values. */
export const PROTOCOLS = ['', 'SIP', 'H323', 'WebRTC', 'API', 'RTMP', 'MSSIP', 'TEAMS', 'GMS', 'BACKPLANE', 'Other'] as const;
export const P_BACKPLANE = 9;
const PROTO_BYTES = PROTOCOLS.map((p) => Buffer.from(p.toLowerCase()));

function protoCode(b: Buffer, s: number, e: number): number {
  for (let k = 1; k < PROTO_BYTES.length - 1; k++) {
    const t = PROTO_BYTES[k]!;
    if (t.length === e - s && eqLower(b, s, t)) return k;
  }
  return PROTOCOLS.length - 1;
}

// keys we look for, lowercase
const KEY_CALL_ID = bytes('call-id');
const KEY_UUID = bytes('uuid');
const KEY_PARTICIPANT_ID = bytes('participant-id');
const KEY_CONVERSATION_ID = bytes('conversation-id');
const KEY_CONFERENCE_ID = bytes('conference-id');
const KEY_FRAGMENT_ID = bytes('fragment-id');
const KEY_FRAGMENT_NUMBER = bytes('fragment-number');
const KEY_FRAGMENT_TOTAL = bytes('fragment-total');
const KEY_MESSAGE = bytes('message');
const KEY_PROTOCOL = bytes('protocol');

const MSG_ATTEMPT = Buffer.from('Participant attempting to join');
const MSG_JOINED = Buffer.from('Participant has joined');
const MSG_FAILED = Buffer.from('Participant failed to join');
const MSG_DISCONNECTED = Buffer.from('Participant has disconnected');
const MSG_CONF_CREATED = Buffer.from('Conference has been created');
const MSG_CONF_STOPPED = Buffer.from('Conference has been stopped');
const SETUP = bytes('h323_message_body: setup');
const CARET_M = Buffer.from('^M');

function bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** Case-insensitive compare of b[s..s+t.length) with lowercase ASCII t. */
function eqLower(b: Uint8Array, s: number, t: Uint8Array): boolean {
  for (let k = 0; k < t.length; k++) if ((b[s + k]! | 0x20) !== t[k]) return false;
  return true;
}

function smallInt(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let k = s; k < e && k < s + 6; k++) {
    const d = b[k]! - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return v;
}

function sameBytes(b: Uint8Array, as: number, ae: number, bs: number, be: number): boolean {
  if (as < 0 || ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (b[as + k] !== b[bs + k]) return false;
  return true;
}

/** A value that names no call: empty or `None`. */
function isNone(b: Buffer, s: number, e: number): boolean {
  const n = e - s;
  return n === 0 || (n === 4 && (b[s]! | 0x20) === 110 && (b[s + 1]! | 0x20) === 111 && (b[s + 2]! | 0x20) === 110 && (b[s + 3]! | 0x20) === 101);
}

/**
 * Where the `Call-ID:` / `i:` header (any case) value sits in a SIP payload b[s..e) that starts
 * at its `^M` marker: returns the value's start and sets `valueEnd`, or −1. A plain byte loop
 * over the header block (no allocation, stops at the blank line).
 */
export const found = { valueEnd: 0 };
export function findCallId(b: Uint8Array, s: number, e: number): number {
  let k = s;
  // skip the marker and the start line
  while (k + 1 < e && b[k] === 94 && b[k + 1] === 77) k += 2;
  for (;;) {
    // next ^M
    while (k + 1 < e && !(b[k] === 94 && b[k + 1] === 77)) k++;
    if (k + 1 >= e) return -1;
    const h = k + 2;
    if (h + 1 < e && b[h] === 94 && b[h + 1] === 77) return -1; // blank line: end of headers
    const c0 = b[h]! | 0x20;
    let q = -1;
    if (c0 === 105 /* i */) q = h + 1;
    else if (c0 === 99 /* c */ && h + 7 <= e && eqLower(b, h, KEY_CALL_ID)) q = h + 7;
    if (q > 0) {
      while (q < e && (b[q] === 32 || b[q] === 9)) q++;
      if (b[q] === 58 /* : */) {
        let vs = q + 1;
        while (vs < e && (b[vs] === 32 || b[vs] === 9)) vs++;
        let ve = vs;
        while (ve < e && !(b[ve] === 94 && b[ve + 1] === 77)) ve++;
        while (ve > vs && (b[ve - 1] === 32 || b[ve - 1] === 9 || b[ve - 1] === 13)) ve--;
        found.valueEnd = ve;
        return vs;
      }
    }
    k = h;
  }
}

const METHODS: Array<[Uint8Array, number]> = SIP_METHODS.map((m, k) => [bytes(`${m} `), k + 1]);
const SIP20 = bytes('SIP/2.0 ');


/** Classifies the SIP start line in b[s..e): method code, and status for responses (in `startStatus`). */
export const startStatus = { status: 0 };
export function sipStartOf(b: Uint8Array, s: number, e: number): number {
  let k = s;
  while (k + 1 < e && b[k] === 94 && b[k + 1] === 77) k += 2; // leading ^M marker(s)
  startStatus.status = 0;
  if (startsWithBytes(b, k, e, SIP20)) {
    startStatus.status = smallInt(b, k + 8, Math.min(e, k + 11));
    return SIP_RESPONSE;
  }
  for (const [m, code] of METHODS) if (startsWithBytes(b, k, e, m)) return code;
  // another request: an upper-case token followed by a space
  let t = k;
  while (t < e && b[t]! >= 65 && b[t]! <= 90) t++;
  if (t > k && b[t] === 32) return SIP_OTHER_REQ;
  return SIP_NONE;
}

export function scanStore(store: LineStore, signal?: AbortSignal): Scan {
  return runSteps(scanSteps(store, signal));
}

/** Lines scanned between two steps of scanSteps (a few milliseconds of work). */
const SCAN_SLICE = 16384;

/** scanStore in steps (../steps.ts): the engine worker answers requests between slices of lines. */
export function* scanSteps(store: LineStore, signal?: AbortSignal): Steps<Scan> {
  const s = newScan(store, store.count);
  for (let from = 0; from < store.count; from += SCAN_SLICE) {
    scanLines(store, s, from, Math.min(store.count, from + SCAN_SLICE), signal);
    yield;
  }
  return finishScan(store, s);
}

/**
 * The scan fed chunk by chunk while a bundle loads (`add` from the load's onChunk), for callers
 * that want the calls without keeping every byte (see calls-only.ts). Columns grow with the store.
 */
export class ChunkScan {
  private readonly s: Scan;
  constructor(private readonly store: LineStore) {
    this.s = newScan(store, Math.max(store.chunk.data.length, 1024));
  }

  get scan(): Scan {
    return this.s;
  }

  /** Scans store lines [from, to), which must follow the lines scanned before. */
  add(from: number, to: number): void {
    const s = this.s;
    if (to > s.kind.length) growScan(s, Math.max(to, this.store.chunk.data.length));
    if (this.store.names.values.length > s.kindByName.length) s.kindByName = kindsByName(this.store);
    scanLines(this.store, s, from, to);
    s.count = to;
  }

  finish(): Scan {
    const s = this.s;
    const n = this.store.count;
    if (s.count !== n) throw new Error(`internal: scanned ${s.count} of ${n} lines`);
    // views, not copies: the slack is small next to a copy's transient peak
    mapLineColumns(s, (a) => a.subarray(0, n));
    return finishScan(this.store, s);
  }
}

function kindsByName(store: LineStore): Uint8Array {
  const kindByName = new Uint8Array(store.names.values.length);
  for (let id = 0; id < kindByName.length; id++) kindByName[id] = kindOfModule(store.names.values[id]!);
  return kindByName;
}

/** The per-line columns of a scan, with what a line holds before it is scanned (NO: no key). */
const LINE_COLUMNS = [
  ['kind', 0],
  ['info', 0],
  ['sipStart', 0],
  ['sipStatus', 0],
  ['callKey', NO],
  ['uuidKey', NO],
  ['partKey', NO],
  ['convKey', NO],
  ['proto', 0],
] as const;
type LineColumn = (typeof LINE_COLUMNS)[number][0];
type ColumnArray = Uint8Array | Uint16Array | Int32Array;

/** Replaces every per-line column by what `f` makes of it (an array of the same type). */
function mapLineColumns(s: Scan, f: (a: ColumnArray, unscanned: number) => ColumnArray): void {
  const cols = s as unknown as Record<LineColumn, ColumnArray>;
  for (const [name, unscanned] of LINE_COLUMNS) cols[name] = f(cols[name], unscanned);
}

/** Empty scan columns with room for `room` lines. */
function newScan(store: LineStore, room: number): Scan {
  const s: Scan = {
    count: 0,
    kind: new Uint8Array(0),
    info: new Uint8Array(0),
    sipStart: new Uint8Array(0),
    sipStatus: new Uint16Array(0),
    callKey: new Int32Array(0),
    uuidKey: new Int32Array(0),
    partKey: new Int32Array(0),
    convKey: new Int32Array(0),
    confKey: new Map(),
    fragOf: new Map(),
    fragments: [],
    keys: new Keys(store.chunks),
    proto: new Uint8Array(0),
    kindByName: kindsByName(store),
  };
  growScan(s, room);
  return s;
}

/** Room for `room` lines in every per-line column, the new lines unscanned. */
function growScan(s: Scan, room: number): void {
  mapLineColumns(s, (a, unscanned) => {
    const b = new (a.constructor as { new (n: number): ColumnArray })(room);
    if (unscanned !== 0) b.fill(unscanned, a.length);
    b.set(a);
    return b;
  });
}

/** Fragment groups by Fragment-Id while scanning. */
const fragIndex = new WeakMap<Scan, Map<string, number>>();

/** Scans store lines [from, to) into s. */
function scanLines(store: LineStore, s: Scan, from: number, to: number, signal?: AbortSignal): void {
  const keys = s.keys;
  const kindByName = s.kindByName;
  const nameCol = store.name.data;
  const chunkCol = store.chunk.data;
  const startCol = store.start.data;
  const endCol = store.end.data;
  const chunks = store.chunks;
  const kindCol = s.kind;
  const callCol = s.callKey;

  for (let i = from; i < to; i++) {
    const kind = kindByName[nameCol[i]!]!;
    if (kind === K_NONE) continue;
    if ((i & 0xffff) === 0 && signal?.aborted) throw new Error('cancelled');
    kindCol[i] = kind;
    const c = chunkCol[i]!;
    const b = chunks[c]!;
    const ls = startCol[i]!;
    const e = endCol[i]!;
    let p = levelAt(b, ls, e);
    if (p < 0) continue;
    p += 1;
    let info = 0;
    let cs = -1; // where this line's Call-Id value sits
    let ce = -1;
    let fs = -1; // Fragment-Id value
    let fe = -1;
    let fragNumber = 0;
    let fragTotal = 0;
    // walk Key="value" pairs on bytes
    while (p < e) {
      while (p < e && b[p] === 32) p++;
      const ks = p;
      let q = ks;
      // key: up to `="`; a key has no spaces and is short
      while (q < e && q - ks < 48 && b[q] !== 61 && b[q] !== 32) q++;
      if (q >= e - 1 || b[q] !== 61 || b[q + 1] !== 34) break;
      const klen = q - ks;
      const vs = q + 2;
      if (b[vs] === 94 && b[vs + 1] === 77) {
        // `^M` payload: always the last pair, runs to the closing quote at the end of the line
        info |= I_PAYLOAD;
        const ve = b[e - 1] === 34 && e - 1 >= vs ? e - 1 : e;
        if (kind === K_SIP) {
          s.sipStart[i] = sipStartOf(b, vs, ve);
          s.sipStatus[i] = startStatus.status;
          if (fs < 0) {
            const at = findCallId(b, vs, ve);
            if (at >= 0) callCol[i] = keys.idAt(c, b, at, found.valueEnd);
          }
        } else if (kind === K_Q931) {
          // bounded: indexOf would run on through the chunk when the line has no match
          const lim = Math.min(ve, vs + 64) - SETUP.length;
          for (let k = vs; k <= lim; k++) {
            if (b[k] === 104 /* h */ && b[k + 4] === 95 /* _ */ && startsWithBytes(b, k, ve, SETUP)) {
              info |= I_SETUP;
              break;
            }
          }
        }
        break;
      }
      const ve = closingQuote(b, vs, e).end;
      if (ve >= e) break;
      switch (klen) {
        case 4:
          if (eqLower(b, ks, KEY_UUID) && !isNone(b, vs, ve)) s.uuidKey[i] = keys.idAt(c, b, vs, ve);
          break;
        case 7:
          if (eqLower(b, ks, KEY_CALL_ID)) {
            if (!isNone(b, vs, ve)) {
              callCol[i] = keys.idAt(c, b, vs, ve);
              cs = vs;
              ce = ve;
            }
          } else if (kind === K_ADMIN && eqLower(b, ks, KEY_MESSAGE)) {
            if (startsWithBytes(b, vs, ve, MSG_JOINED)) info |= I_JOINED;
            else if (startsWithBytes(b, vs, ve, MSG_DISCONNECTED)) info |= I_DISCONNECTED;
            else if (startsWithBytes(b, vs, ve, MSG_ATTEMPT)) info |= I_ATTEMPT;
            else if (startsWithBytes(b, vs, ve, MSG_FAILED)) info |= I_FAILED;
            else if (startsWithBytes(b, vs, ve, MSG_CONF_CREATED) || startsWithBytes(b, vs, ve, MSG_CONF_STOPPED)) info |= I_CONF;
          }
          break;
        case 8:
          if (kind === K_ADMIN && eqLower(b, ks, KEY_PROTOCOL)) s.proto[i] = protoCode(b, vs, ve);
          break;
        case 11:
          if (eqLower(b, ks, KEY_FRAGMENT_ID) && !isNone(b, vs, ve)) (fs = vs), (fe = ve);
          break;
        case 13:
          // only conference lifecycle lines need it (calls take theirs from the admin lines' fields)
          if (info & I_CONF && eqLower(b, ks, KEY_CONFERENCE_ID) && !isNone(b, vs, ve)) s.confKey.set(i, keys.idAt(c, b, vs, ve));
          break;
        case 14:
          if (eqLower(b, ks, KEY_PARTICIPANT_ID)) {
            if (!isNone(b, vs, ve)) s.partKey[i] = sameBytes(b, cs, ce, vs, ve) ? callCol[i]! : keys.idAt(c, b, vs, ve);
          } else if (eqLower(b, ks, KEY_FRAGMENT_TOTAL)) fragTotal = smallInt(b, vs, ve);
          break;
        case 15:
          if (eqLower(b, ks, KEY_CONVERSATION_ID)) {
            // usually the Call-Id itself: no new key then
            if (!isNone(b, vs, ve)) s.convKey[i] = sameBytes(b, cs, ce, vs, ve) ? callCol[i]! : keys.idAt(c, b, vs, ve);
          } else if (eqLower(b, ks, KEY_FRAGMENT_NUMBER)) fragNumber = smallInt(b, vs, ve);
          break;
      }
      p = ve + 1;
    }
    if (fs >= 0) {
      info |= I_FRAG;
      addFragment(s, b.toString('latin1', fs, fe), i, fragNumber, fragTotal);
    }
    s.info[i] = info;
  }
}

function addFragment(s: Scan, key: string, i: number, number: number, total: number): void {
  let byKey = fragIndex.get(s);
  if (!byKey) fragIndex.set(s, (byKey = new Map()));
  let g = byKey.get(key);
  if (g === undefined) {
    g = s.fragments.length;
    s.fragments.push({ key, lines: [], numbers: [], total: 0 });
    byKey.set(key, g);
  }
  const group = s.fragments[g]!;
  group.lines.push(i);
  group.numbers.push(number);
  if (total > group.total) group.total = total;
  s.fragOf.set(i, g);
}

/** After the last line: fragments resolved, growth slack dropped. */
function finishScan(store: LineStore, s: Scan): Scan {
  s.count = store.count;
  resolveFragments(store, s);
  fragIndex.delete(s);
  s.keys.trim();
  return s;
}

/**
 * Once calls are built (build.ts), the per-line key columns have served: summaries and traces
 * read kinds, flags, SIP codes and fragments only. Dropping them early lowers the peak memory
 * of a large index (16 bytes a line).
 */
export function releaseKeyColumns(s: Scan): void {
  s.callKey = s.uuidKey = s.partKey = s.convKey = new Int32Array(0);
  s.proto = new Uint8Array(0);
}

/**
 * A fragmented SIP message: its Call-ID and start line are read from the pieces joined in
 * number order (the header may straddle two pieces). All pieces get the message's key.
 */
function resolveFragments(store: LineStore, s: Scan): void {
  for (const g of s.fragments) {
    const joined = joinFragments(store, orderedPieces(g));
    const code = sipStartOf(joined, 0, joined.length);
    const status = startStatus.status;
    const at = findCallId(joined, 0, joined.length);
    const key = at >= 0 ? s.keys.idOf(joined, at, found.valueEnd) : NO;
    for (const i of g.lines) {
      s.callKey[i] = key;
      s.sipStart[i] = code;
      s.sipStatus[i] = status;
    }
  }
}

const DETAIL_OPEN = Buffer.from('="^M');

/** The payloads of fragment lines concatenated (each piece's leading `^M` marker removed), with one leading `^M`. */
export function joinFragments(store: LineStore, ordered: number[]): Buffer {
  const parts: Buffer[] = [CARET_M];
  for (const i of ordered) {
    const c = store.content(i);
    const at = c.indexOf(DETAIL_OPEN);
    if (at < 0) continue;
    const end = c[c.length - 1] === 34 ? c.length - 1 : c.length;
    parts.push(c.subarray(at + 4, end));
  }
  return Buffer.concat(parts);
}
