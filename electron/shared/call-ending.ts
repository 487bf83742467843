/**
 * How a call ended, read from its signaling, for "my call was dropped": which side ended it (the
 * far end, or the node), with what (a BYE, a CANCEL, a failure response, H.245's
 * endSessionCommand or a Q.931 releaseComplete, a gatekeeper's reject, a WebRTC client's
 * disconnect request), the cause it gave (a SIP Reason header, a Q.931 or RAS reason), how long
 * after it joined or was set up, and the reason the conference logged. Pure: the call view, the
 * call's texts and `pexlens trace` share it.
 */
import { reasonWords } from './q850.js';
import type { CallTrace, TraceMessage } from '../api.js';
import { secondOf, spanText } from './ladder-layout.js';
import { headerIn } from './sip-message.js';
import { LAST_HOST_LEFT, REMOVED } from './audit-words.js';

export interface CallEnding {
  /** The message that ended it (index in the trace's messages), null when only the conference's line says it ended. */
  at: number | null;
  /** Who sent it: the far end (received by the node) or the node; null when not known. */
  by: 'far end' | 'node' | null;
  /** What ended it: `BYE`, `CANCEL`, `404 Not Found`, `endSessionCommand`, `releaseComplete`, `locationReject`, `disconnect request`. */
  what: string | null;
  /** The cause it gave: a SIP Reason header, a Q.931 or RAS reason. */
  cause: string | null;
  /** From its join (connected) or its first message (not connected) to that message, ms. */
  afterMs: number | null;
  /** Whether it had joined its conference. */
  joined: boolean;
  /** The conference's reason (its disconnect's Detail, or why it failed). */
  reason: string | null;
  /**
   * Its conference was ended under it (its audit lines, CallTrace.audit: its participant removed
   * for the conference's termination): when, and when the last host left, if that is why.
   */
  conferenceEnded: { at: string; lastHostLeft: string | null } | null;
}

const JOINED = 'Participant has joined.';
const ENDED = /^Participant (has disconnected|failed to join conference)\./;
const SIP_ENDS = new Set(['BYE', 'CANCEL']);

/** Who sent a message of a call: the far end (received), the node (sent); null when the line does not say. */
export const senderOf = (m: TraceMessage): 'far end' | 'node' | null => (m.direction === 'in' ? 'far end' : m.direction === 'out' ? 'node' : null);

/** What a message says of the call's end, as [what, cause], or null when it does not end it. */
function endOf(m: TraceMessage, joined: boolean): [string, string | null] | null {
  switch (m.protocol) {
    case 'sip': {
      const s = m.sip;
      if (!s) return null;
      const given = headerIn(m.lines, 'Reason')?.trim();
      const reason = given ? reasonWords(given) : null;
      if (s.method && SIP_ENDS.has(s.method)) return [s.method, reason];
      // a final failure to the INVITE that set it up (not to a re-INVITE of a call up)
      if (!joined && s.status && s.status >= 300 && /\bINVITE$/.test(s.cseq ?? '')) return [`${s.status} ${s.reason ?? ''}`.trim(), reason];
      return null;
    }
    case 'h245':
      return /\bendSessionCommand\b/.test(m.summary) ? ['endSessionCommand', null] : null;
    case 'q931':
      return /^releaseComplete\b/.test(m.summary) ? ['releaseComplete', /\breason (\S+)/.exec(m.summary)?.[1] ?? null] : null;
    case 'ras': {
      const reject = /^(admissionReject|locationReject)\b/.exec(m.summary);
      return reject ? [reject[1]!, /\breason (\S+)/.exec(m.summary)?.[1] ?? null] : null;
    }
    case 'rest':
      return m.direction === 'in' && /\/disconnect\b/.test(m.summary) ? ['disconnect request', null] : null;
    default:
      return null;
  }
}

/** How it ended, or null when its end is not in the log (up when the log ends, or no outcome). */
export function callEnding(t: CallTrace): CallEnding | null {
  const c = t.call;
  if (c.ongoing || c.noOutcome || !t.messages.length) return null;
  const joinedAt = t.messages.findIndex((m) => m.protocol === 'admin' && m.summary.startsWith(JOINED));
  const joined = joinedAt >= 0 || (!c.failed && c.startInferred);
  let at = -1;
  let said: [string, string | null] | null = null;
  // the first message that ends it, after its join when it joined (a CANCEL of a forked leg, a
  // refused re-INVITE, come before)
  for (let k = Math.max(0, joinedAt); k < t.messages.length && !said; k++) {
    said = endOf(t.messages[k]!, joined);
    if (said) at = k;
  }
  const from = joinedAt >= 0 ? joinedAt : 0;
  const end = said ? at : t.messages.findIndex((m) => m.protocol === 'admin' && ENDED.test(m.summary));
  const fromStart = !(joinedAt < 0 && c.startInferred); // a call up when the log began has no start in it
  const m = end >= 0 ? t.messages[end]! : null;
  return {
    at: said ? at : null,
    by: said && m ? senderOf(m) : null,
    what: said?.[0] ?? null,
    cause: said?.[1] ?? null,
    afterMs: m && fromStart ? Date.parse(m.time) - Date.parse(t.messages[from]!.time) : null,
    joined,
    reason: (c.failed ? c.failReason : c.disconnectReason) ?? null,
    conferenceEnded: conferenceEnded(t),
  };
}

function conferenceEnded(t: CallTrace): CallEnding['conferenceEnded'] {
  const removed = t.audit?.find((e) => REMOVED.test(e.message));
  if (!removed) return null;
  return { at: removed.time, lastHostLeft: t.audit!.find((e) => LAST_HOST_LEFT.test(e.message))?.time ?? null };
}

/**
 * In words: `the far end hung up (BYE) 14 min 02 s after it joined: Remote disconnect`, `the node
 * refused it (404 Not Found) 210 ms after its setup: Neither conference nor gateway found`; a
 * conference ended under it is said after (`; its conference was ended: the last host left at
 * 10:22:03`), times of day written by `clock` (the log's UTC by default).
 */
export function endingWords(e: CallEnding, clock: (iso: string) => string = secondOf): string {
  const what = e.what ? ` (${e.what}${e.cause ? `, ${e.cause}` : ''})` : '';
  let verb: string;
  if (e.by === null) verb = e.joined ? 'ended' : 'not connected';
  else if (e.joined || e.what === 'BYE' || e.what === 'endSessionCommand') verb = `the ${e.by} hung up`;
  else if (e.what === 'CANCEL') verb = e.by === 'far end' ? 'the caller gave up' : 'the node gave up';
  else verb = `the ${e.by} refused it`;
  const after = e.afterMs === null ? '' : ` ${spanText(e.afterMs)} after ${e.joined ? 'it joined' : 'its setup'}`;
  // (a failure's reason is often the response itself: said once)
  const ended = e.conferenceEnded && `; its conference was ended${e.conferenceEnded.lastHostLeft ? `: the last host left at ${clock(e.conferenceEnded.lastHostLeft)}` : ''}`;
  return `${verb}${what}${after}${e.reason && e.reason !== e.what ? `: ${e.reason}` : ''}${ended || ''}`;
}
