/**
 * A SIP call's session timer (RFC 4028), read from its trace: the interval the 2xx to its INVITE
 * agreed (`Session-Expires`), which side refreshes it (`refresher=uac|uas`), the re-INVITEs and
 * UPDATEs that refreshed it, and whether the call ended when the interval ran out with no refresh:
 * the "calls drop after exactly 30 minutes" case. Pure: the call view, the call's texts and
 * `pexlens trace` share it.
 */
import type { TraceMessage } from '../api.js';
import { headerIn } from './sip-message.js';

export interface SessionTimer {
  /** The interval the INVITE asked for, seconds (null: none). */
  asked: number | null;
  /** The interval the 2xx agreed, seconds (null: no session timer in use). */
  interval: number | null;
  /** Who refreshes: the side that sent the INVITE (uac) or answered it (uas), and which that is. */
  refresher: 'uac' | 'uas' | null;
  refresherSide: 'remote' | 'node' | null;
  /** Indexes in the trace's messages: the 2xx that started the session, each refresh's 2xx, the BYE. */
  started: number;
  refreshes: number[];
  bye: number | null;
  /** The longest time without a refresh (from the 2xx, a refresh or to the BYE), ms. */
  longestMs: number;
  /** The call ended as the interval ran out, no refresh in the log since the last. */
  lapsed: boolean;
  issues: string[];
}

const seconds = (v: string | undefined): number | null => {
  const m = v ? /^\s*(\d+)/.exec(v) : null;
  return m ? Number(m[1]) : null;
};

/** When a side that does not refresh sends its BYE: the interval less a third of it, at most 32 s (RFC 4028 §10). */
export const byeMarginS = (interval: number): number => Math.min(32, interval / 3);

/** The side that refreshes, in words. */
const sideWords = (t: SessionTimer): string => (t.refresherSide === 'remote' ? 'the far end' : t.refresherSide === 'node' ? 'Infinity' : 'either side');

/** A call's session timer, or null when its trace has no INVITE answered 2xx. */
export function sessionTimer(messages: readonly TraceMessage[]): SessionTimer | null {
  const sip = (k: number) => messages[k]!.protocol === 'sip' && !!messages[k]!.sip?.cseq;
  const header = (k: number, name: string) => headerIn(messages[k]!.lines, name);
  const callIdOf = (k: number) => header(k, 'Call-ID') ?? '';
  const invite = messages.findIndex((m, k) => sip(k) && m.sip?.method === 'INVITE');
  if (invite < 0) return null;
  const dialog = callIdOf(invite);
  const inDialog = (k: number) => sip(k) && callIdOf(k) === dialog;
  const cseq = messages[invite]!.sip!.cseq!;
  const ok = messages.findIndex((m, k) => k > invite && inDialog(k) && m.sip?.cseq === cseq && (m.sip.status ?? 0) >= 200 && m.sip.status! < 300);
  if (ok < 0) return null;
  const asked = seconds(header(invite, 'Session-Expires'));
  const agreed = header(ok, 'Session-Expires');
  let interval = seconds(agreed);
  const refresher = interval === null ? null : ((/;\s*refresher\s*=\s*(uac|uas)/i.exec(agreed ?? '')?.[1]?.toLowerCase() as 'uac' | 'uas' | undefined) ?? null);
  // the INVITE's sender is the uac: received by the node, that is the far end
  const uacRemote = messages[invite]!.direction !== 'out';
  const refresherSide = refresher === null ? null : (refresher === 'uac') === uacRemote ? 'remote' : 'node';

  // a re-INVITE or UPDATE answered 2xx refreshes the session (and may set a new interval)
  const refreshes: number[] = [];
  let bye: number | null = null;
  for (let k = ok + 1; k < messages.length; k++) {
    const m = messages[k]!;
    // (the method and status first: the Call-ID only of those that can count)
    if (m.sip?.method === 'BYE') {
      if (!inDialog(k)) continue;
      bye = k;
      break;
    }
    const [, method] = (m.sip?.cseq ?? '').split(' ');
    if ((method === 'INVITE' || method === 'UPDATE') && m.sip?.status !== undefined && m.sip.status >= 200 && m.sip.status < 300 && m.sip.cseq !== cseq && inDialog(k)) {
      refreshes.push(k);
      interval = seconds(header(k, 'Session-Expires')) ?? interval;
    }
  }
  const at = (k: number) => Date.parse(messages[k]!.time);
  const resets = [ok, ...refreshes];
  const ends = [...resets.slice(1).map(at), ...(bye !== null ? [at(bye)] : [])];
  let longestMs = 0;
  for (const [j, e] of ends.entries()) longestMs = Math.max(longestMs, e - at(resets[j]!));
  const last = resets[resets.length - 1]!;
  const sinceLast = bye !== null ? at(bye) - at(last) : null;
  // ended from when the side that does not refresh sends its BYE to the expiry itself, with 2 s of
  // slack (the log's times are the node's); later, the call went on past the expiry
  const lapsed = interval !== null && sinceLast !== null && sinceLast >= (interval - byeMarginS(interval) - 2) * 1000 && sinceLast <= (interval + 2) * 1000;
  const t: SessionTimer = { asked, interval, refresher, refresherSide, started: ok, refreshes, bye, longestMs, lapsed, issues: [] };
  if (lapsed) {
    t.issues.push(`the call ended ${Math.round(sinceLast! / 1000)} s after the session ${refreshes.length ? 'was last refreshed' : 'began'}: its interval of ${interval} s ran out, and the refresh owed by ${sideWords(t)} is not in the log`);
  } else if (interval !== null && longestMs > (interval + 2) * 1000) {
    t.issues.push(`not refreshed for ${Math.round(longestMs / 1000)} s, longer than its interval of ${interval} s: a refresh is not in the log`);
  }
  return t;
}

/** The session timer in words: `1800 s, the far end refreshes it (refresher=uac): 2 refreshes in the log`, then what is wrong. */
export function timerWords(t: SessionTimer): string {
  if (t.interval === null) return t.asked === null ? 'none' : `${t.asked} s asked for, not taken up by the answer (no session timer)`;
  const head = `${t.interval} s, ${sideWords(t)} refreshes it${t.refresher ? ` (refresher=${t.refresher})` : ''}: ${t.refreshes.length === 1 ? '1 refresh' : `${t.refreshes.length} refreshes`} in the log`;
  return t.issues.length ? `${head} [${t.issues.join('; ')}]` : head;
}
