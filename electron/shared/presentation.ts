/**
 * A call's content sharing, for "I cannot share my screen" and "the slides stopped": each time it
 * presented (administrator.conference `Participant is presenting.` to `Participant has stopped
 * presenting.`), and each request for the floor it made and what the node answered: a BFCP
 * FloorRequest and its FloorRequestStatus (Granted, Denied, Revoked), an H.239
 * presentationTokenRequest and its presentationTokenResponse (acknowledge, reject), a WebRTC
 * client's take_floor and its HTTP status. Pure: the call view, the call's texts and
 * `pexlens trace` share it.
 */
import type { TraceMessage } from '../api.js';
import { secondOf, spanText } from './ladder-layout.js';

/** How it asked: SIP's BFCP, H.323's H.239 token, a WebRTC client's REST `take_floor`. */
export type FloorVia = 'BFCP' | 'H.239' | 'REST';
export type FloorOutcome = 'granted' | 'denied' | 'unanswered';

export interface FloorRequest {
  via: FloorVia;
  /** Indexes in the trace's messages: the request, and the answer that decided it (null: none in the log). */
  at: number;
  answer: number | null;
  outcome: FloorOutcome;
  /** The answer's words: `Denied(4)`, `reject`, `403`. */
  answerWords: string | null;
  /** Granted, and no "Participant is presenting." followed before its next request or the call's end. */
  neverPresented: boolean;
}

export interface PresentSpell {
  /** Indexes of "Participant is presenting." and "…has stopped presenting." (null: not in the log). */
  start: number;
  stop: number | null;
  /** How long, ms (null: its stop is not in the log). */
  ms: number | null;
  /** How its floor went when the node took it away (BFCP Revoked): another participant presenting. */
  revoked: boolean;
}

export interface Presentation {
  requests: FloorRequest[];
  spells: PresentSpell[];
}

const STARTED = 'Participant is presenting.';
const STOPPED = 'Participant has stopped presenting.';
const admin = (m: TraceMessage, what: string) => m.protocol === 'admin' && m.summary.startsWith(what);
const h239 = (m: TraceMessage, what: string) => m.protocol === 'h245' && m.lines.some((l) => l.includes(what));
/** A BFCP FloorRequestStatus's request_status that decides a request (Pending and Accepted do not). */
const BFCP_STATUS = /\b(Granted|Denied|Revoked|Released|Cancelled)(\(\d+\))?$/;

/** What kind of floor request a message is, or null. Requests come from the far end. */
function requestOf(m: TraceMessage): FloorVia | null {
  if (m.direction !== 'in') return null;
  if (m.protocol === 'bfcp' && /^FloorRequest\b(?!Status)/.test(m.summary)) return 'BFCP';
  if (h239(m, 'presentationTokenRequest')) return 'H.239';
  if (m.protocol === 'rest' && /\/take_floor\b/.test(m.summary)) return 'REST';
  return null;
}

/** The node's answer to a request `via`, as [outcome, its words], or null for a message that is not one. */
function answerOf(via: FloorVia, m: TraceMessage): [FloorOutcome | 'revoked' | 'released', string] | null {
  if (m.direction !== 'out') return null;
  if (via === 'BFCP' && m.protocol === 'bfcp' && m.summary.startsWith('FloorRequestStatus')) {
    const s = BFCP_STATUS.exec(m.summary);
    if (!s) return null; // Pending, Accepted: not yet decided
    const word = s[1]!;
    return [word === 'Granted' ? 'granted' : word === 'Revoked' ? 'revoked' : word === 'Released' ? 'released' : 'denied', s[0]];
  }
  if (via === 'H.239' && h239(m, 'presentationTokenResponse')) {
    // H.239's acknowledge is parameter 126, its reject 127
    const rejected = m.lines.some((l) => /parameterIdentifier: standard: 127\b|\breject\b/i.test(l));
    return rejected ? ['denied', 'reject'] : ['granted', 'acknowledge'];
  }
  if (via === 'REST' && m.protocol === 'rest' && /\/take_floor\b/.test(m.summary)) {
    const code = /^(\d{3})\b/.exec(m.summary)?.[1];
    if (!code) return null;
    return [Number(code) < 300 ? 'granted' : 'denied', code];
  }
  return null;
}

/** A call's presentations and floor requests, or null when it has neither. */
export function presentation(messages: readonly TraceMessage[]): Presentation | null {
  const requests: FloorRequest[] = [];
  const spells: PresentSpell[] = [];
  let open: FloorRequest | null = null;
  let presenting: PresentSpell | null = null;
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]!;
    const via = requestOf(m);
    if (via) {
      open = { via, at: k, answer: null, outcome: 'unanswered', answerWords: null, neverPresented: false };
      requests.push(open);
      continue;
    }
    if (admin(m, STARTED)) {
      presenting = { start: k, stop: null, ms: null, revoked: false };
      spells.push(presenting);
      continue;
    }
    if (admin(m, STOPPED) && presenting) {
      presenting.stop = k;
      presenting.ms = Date.parse(m.time) - Date.parse(messages[presenting.start]!.time);
      presenting = null;
      continue;
    }
    const last = requests.at(-1);
    const a = last && answerOf(last.via, m);
    if (!a || !last) continue;
    if (a[0] === 'revoked' || a[0] === 'released') {
      if (a[0] === 'revoked' && presenting) presenting.revoked = true;
      continue;
    }
    if (open) {
      open.answer = k;
      open.outcome = a[0];
      open.answerWords = a[1];
      open = null;
    }
  }
  // a grant that no presenting followed before the next request (or the end)
  requests.forEach((r, i) => {
    if (r.outcome !== 'granted') return;
    const until = requests[i + 1]?.at ?? messages.length;
    r.neverPresented = !spells.some((s) => s.start > r.at && s.start < until);
  });
  return requests.length || spells.length ? { requests, spells } : null;
}

const times = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * In words: `presented 2 times (BFCP): 14 min 23 s from 08:12:29, 45 s from 08:30:01; 1 floor
 * request refused (Denied(4))`, times of day written by `clock` (the log's UTC by default).
 */
export function presentationWords(p: Presentation, messages: readonly TraceMessage[], clock: (iso: string) => string = secondOf): string {
  const vias = [...new Set(p.requests.map((r) => r.via))];
  const parts: string[] = [];
  if (p.spells.length) {
    const each = p.spells.map((s) => {
      const from = clock(messages[s.start]!.time);
      return `${s.ms === null ? `from ${from} until the log ends` : `${spanText(s.ms)} from ${from}`}${s.revoked ? ' (taken by another presenter)' : ''}`;
    });
    parts.push(`presented ${p.spells.length === 1 ? 'once' : `${p.spells.length} times`}${vias.length ? ` (${vias.join(', ')})` : ''}: ${each.join(', ')}`);
  } else parts.push(`never presented${vias.length ? ` (${vias.join(', ')})` : ''}`);
  const denied = p.requests.filter((r) => r.outcome === 'denied');
  if (denied.length) parts.push(`${times(denied.length, 'floor request')} refused (${[...new Set(denied.map((r) => r.answerWords))].join(', ')})`);
  const unanswered = p.requests.filter((r) => r.outcome === 'unanswered').length;
  if (unanswered) parts.push(`${times(unanswered, 'floor request')} not answered in the log`);
  const idle = p.requests.filter((r) => r.neverPresented).length;
  if (idle) parts.push(`${times(idle, 'floor')} granted with no presentation after ${idle === 1 ? 'it' : 'them'}`);
  return parts.join('; ');
}

/** Whether a call's presenting went wrong: a request refused or not answered, a grant that led nowhere. */
export const presentationTrouble = (p: Presentation): boolean => p.requests.some((r) => r.outcome !== 'granted' || r.neverPresented);
