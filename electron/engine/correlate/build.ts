/**
 * Turns the byte scan into calls: which keys start a call (a SIP dialog with an INVITE, an H.323
 * call with a setup, a WebRTC/API participant, any participant the conference saw join or leave
 * whose signaling is not in the bundle), which aliases (admin Call-Id, Participant-Id,
 * Conversation-Id) lead to it, and which call every line belongs to (a typed array).
 */
import type { LineStore } from '../lines/line-store.js';
import { parseFields, field } from '../lines/fields.js';
import {
  I_ATTEMPT, I_FAILED, I_LIFECYCLE, K_ADMIN, K_H245, K_Q931, K_RAS, K_REST, K_SIP, P_BACKPLANE, PROTOCOLS, SIP_INVITE,
} from './scan.js';
import type { Scan } from './scan.js';
import type { Steps } from '../steps.js';

import type { Protocol } from '../../api.js';

export type CallProtocol = Protocol;

export interface CallRec {
  n: number;
  /** The key that made it a call (SIP Call-ID, H.323 Uuid, participant uuid). */
  key: number;
  protocol: CallProtocol;
  /** Every key that leads to this call. */
  aliases: Set<number>;
  /** Store indexes of its lines, in view order (filled by `collectLines`). */
  lines: Uint32Array;
}

export interface Built {
  calls: CallRec[];
  /** key → call number (−1 none, −2 ambiguous: shared by several calls). */
  callByKey: Int32Array;
  /** store line → call number (−1 none). */
  lineCall: Int32Array;
}

const NONE = -1;
const AMBIGUOUS = -2;
/** How far apart (ms) an orphan admin line and its call's first message may be. */
const WINDOW_MS = 10_000;

/** In steps (../steps.ts): each pass over the lines is one. */
export function* buildCalls(store: LineStore, s: Scan): Steps<Built> {
  const n = s.count;
  const callByKey = new Int32Array(s.keys.size).fill(NONE);
  const calls: CallRec[] = [];
  const anchor = (key: number, protocol: CallProtocol) => {
    if (key < 0 || callByKey[key] !== NONE) return;
    callByKey[key] = calls.length;
    calls.push({ n: calls.length, key, protocol, aliases: new Set([key]), lines: new Uint32Array(0) });
  };

  // 1. anchors, in order of appearance
  const admins: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = s.kind[i]!;
    if (k === K_SIP) {
      if (s.sipStart[i] === SIP_INVITE) anchor(s.callKey[i]!, 'SIP');
    } else if (k === K_Q931 || k === K_RAS || k === K_H245) {
      // an H.323 call: its Uuid ties RAS, Q.931 and H.245 (a call rejected at LRQ has only RAS)
      anchor(s.uuidKey[i]!, 'H323');
    } else if (k === K_ADMIN && s.info[i]! & I_LIFECYCLE) admins.push(i);
  }
  yield;
  // REST participants (Uuid = participant id), then admin lifecycle lines of other protocols
  for (let i = 0; i < n; i++) {
    if (s.kind[i] !== K_REST) continue;
    const u = s.uuidKey[i]!;
    if (u >= 0 && callByKey[u] === NONE) anchor(u, 'WebRTC');
  }
  for (const i of admins) {
    const p = s.proto[i]!;
    if (p === P_BACKPLANE) continue;
    const key = s.callKey[i]! >= 0 ? s.callKey[i]! : NONE;
    if (key < 0 || callByKey[key] !== NONE) continue;
    // a participant seen on REST under its participant id is the same call
    const pk = s.partKey[i]!;
    if (pk >= 0 && callByKey[pk] >= 0) continue;
    // SIP and H.323 calls are made by their signaling, which names the same key; one with none of
    // it in the bundle (its INVITE or setup rotated away, its end not signalled) is a call still
    anchor(key, (PROTOCOLS[p] || 'Other') as CallProtocol);
  }
  yield;

  // 2. aliases: keys on lines that reach a call through another key
  const link = (key: number, c: number) => {
    if (key < 0) return;
    const cur = callByKey[key]!;
    if (cur === NONE) {
      callByKey[key] = c;
      calls[c]!.aliases.add(key);
    } else if (cur !== c && cur !== AMBIGUOUS && calls[cur]!.key !== key) {
      // an alias (participant, conversation) shared by two calls names neither
      calls[cur]!.aliases.delete(key);
      callByKey[key] = AMBIGUOUS;
    }
  };
  const direct = (i: number): number => {
    let c = s.callKey[i]! >= 0 ? callByKey[s.callKey[i]!]! : NONE;
    if (c < 0 && s.uuidKey[i]! >= 0) c = callByKey[s.uuidKey[i]!]!;
    if (c < 0 && s.partKey[i]! >= 0) c = callByKey[s.partKey[i]!]!;
    return c;
  };
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      if (s.kind[i] === 0 || s.kind[i] === K_SIP) continue;
      const c = direct(i);
      if (c < 0) continue;
      link(s.callKey[i]!, c);
      link(s.uuidKey[i]!, c);
      link(s.partKey[i]!, c);
      link(s.convKey[i]!, c);
    }
    yield;
  }

  // 3. lines → calls
  const lineCall = new Int32Array(n).fill(NONE);
  for (let i = 0; i < n; i++) {
    if (s.kind[i] === 0) continue;
    let c = direct(i);
    if (c < 0 && s.convKey[i]! >= 0 && s.callKey[i]! < 0 && s.partKey[i]! < 0) c = callByKey[s.convKey[i]!]!;
    if (c >= 0) lineCall[i] = c;
  }
  yield;
  attachOrphans(store, s, calls, callByKey, lineCall);
  yield;
  collectLines(store, calls, lineCall);
  return { calls, callByKey, lineCall };
}

/**
 * Admin lines of a failed SIP/H.323 join carry only a Participant-Id (no Call-Id). They go to
 * the call whose first message came from the same Remote-Address within a few seconds, for the
 * same participant URI when the INVITE names one; the nearest in time wins.
 */
function attachOrphans(store: LineStore, s: Scan, calls: CallRec[], callByKey: Int32Array, lineCall: Int32Array): void {
  const orphans = new Map<number, number[]>(); // participant key → lines
  for (let i = 0; i < s.count; i++) {
    if (s.kind[i] !== K_ADMIN || lineCall[i]! >= 0 || s.callKey[i]! >= 0) continue;
    const pk = s.partKey[i]!;
    if (pk < 0 || callByKey[pk] !== NONE) continue;
    let list = orphans.get(pk);
    if (!list) orphans.set(pk, (list = []));
    list.push(i);
  }
  if (!orphans.size) return;
  // first INVITE or Q.931 line and remote address of each SIP/H.323 call, by time
  const first = new Float64Array(calls.length).fill(NaN);
  const firstLine = new Int32Array(calls.length).fill(-1);
  for (let i = 0; i < s.count; i++) {
    const c = lineCall[i]!;
    if (c >= 0 && firstLine[c] === -1 && ((s.kind[i] === K_SIP && s.sipStart[i] === SIP_INVITE) || s.kind[i] === K_Q931)) {
      firstLine[c] = i;
      first[c] = store.time.data[i]!;
    }
  }
  const byStart = Array.from({ length: calls.length }, (_, c) => c).filter((c) => firstLine[c]! >= 0).sort((a, b) => first[a]! - first[b]!);
  const remoteCache = new Map<number, { remote: string; who: string }>();
  const remoteOf = (c: number) => {
    let r = remoteCache.get(c);
    if (!r) {
      const f = parseFields(store.text(firstLine[c]!));
      const inbound = /^Receiv/i.test(f.message ?? '');
      const remote = (inbound ? field(f, 'Src-Address') : field(f, 'Dst-Address')) ?? field(f, 'Remote-Address') ?? '';
      const payload = field(f, 'Detail') ?? '';
      const hdr = new RegExp(`\\^M(?:${inbound ? 'From|f' : 'To|t'})\\s*:[^^]*?<?(sips?:[^>;^\\s]+)`, 'i').exec(payload);
      r = { remote, who: hdr ? hdr[1]!.toLowerCase() : '' };
      remoteCache.set(c, r);
    }
    return r;
  };
  const taken = new Set<number>();
  for (const [pk, lines] of orphans) {
    const i0 = lines.find((i) => s.info[i]! & (I_ATTEMPT | I_FAILED)) ?? lines[0]!;
    const f = parseFields(store.text(i0));
    const remote = field(f, 'Remote-Address');
    const who = (field(f, 'Participant') ?? '').toLowerCase();
    const t = store.time.data[i0]!;
    if (!remote) continue;
    let best = -1;
    let bestDt = WINDOW_MS;
    // candidates: calls that started within the window (binary search on start times)
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first[byStart[mid]!]! < t - WINDOW_MS) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < byStart.length && first[byStart[k]!]! <= t + WINDOW_MS; k++) {
      const c = byStart[k]!;
      if (taken.has(c)) continue;
      const dt = Math.abs(first[c]! - t);
      if (!(dt < bestDt)) continue;
      const r = remoteOf(c);
      if (r.remote !== remote) continue;
      if (r.who && who && !who.includes(r.who.replace(/^sips?:/, '')) && !r.who.includes(who.replace(/^sips?:/, ''))) continue;
      best = c;
      bestDt = dt;
    }
    if (best < 0) continue;
    taken.add(best);
    callByKey[pk] = best;
    calls[best]!.aliases.add(pk);
    for (const i of lines) lineCall[i] = best;
  }
}

/** Each call's store lines in view order (one pass over the view, counts then fill). */
function collectLines(store: LineStore, calls: CallRec[], lineCall: Int32Array): void {
  const counts = new Uint32Array(calls.length);
  for (let i = 0; i < lineCall.length; i++) if (lineCall[i]! >= 0) counts[lineCall[i]!]!++;
  for (const c of calls) c.lines = new Uint32Array(counts[c.n]!);
  const fill = new Uint32Array(calls.length);
  for (let p = 0; p < store.count; p++) {
    const i = store.at(p);
    const c = lineCall[i]!;
    if (c >= 0) calls[c]!.lines[fill[c]!++] = i;
  }
}
