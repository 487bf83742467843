/**
 * A SIP call's transfers (RFC 3515), for "transferring the call does not work": each REFER in
 * the call (blind, or attended when its Refer-To carries a Replaces), who sent it, where to, the
 * REFER's answer (202 Accepted, or a refusal such as 403 or 501), and what the transfer became as
 * the transferee reports it: the NOTIFYs with `Event: refer` carry a `message/sipfrag` body, the
 * status line of the new call (`SIP/2.0 100 Trying` … `SIP/2.0 200 OK`, or a failure). A NOTIFY
 * belongs to the REFER its event's `id` names (the REFER's CSeq number), else to the last REFER
 * before it. Pure: the call view, `pexlens trace` and the reports say the same.
 */
import type { TraceMessage } from '../api.js';
import { headerIn } from './sip-message.js';
import { senderOf } from './call-ending.js';

export interface CallTransfer {
  /** The REFER's index in the trace's messages, and who sent it. */
  at: number;
  by: 'far end' | 'node' | null;
  /** Where to: the Refer-To URI (its parameters and headers aside). */
  to: string | null;
  /** Attended (consultative): the Refer-To names a call to replace. */
  attended: boolean;
  /** The REFER's answer (202 Accepted, or a refusal); null when the log has none. */
  answer: { status: number; reason: string; at: number } | null;
  /** The new call's last status as the NOTIFYs report it; `final` once it is 200 or more. Null when no NOTIFY says. */
  result: { status: number; reason: string; at: number; final: boolean } | null;
}

const cseqOf = (m: TraceMessage) => /^\s*(\d+)\s+(\S+)/.exec(m.sip?.cseq ?? '');

/** The URI a Refer-To names: `<sip:bob@example.com?Replaces=…>` → `sip:bob@example.com`. */
function referTarget(value: string): { to: string; attended: boolean } {
  const inner = /<([^>]*)>/.exec(value)?.[1] ?? value.split(';')[0]!.trim();
  const attended = /[?&]Replaces=/i.test(inner);
  return { to: inner.split('?')[0]!.split(';')[0]!.trim(), attended };
}

export function callTransfers(messages: readonly TraceMessage[]): CallTransfer[] {
  const out: Array<CallTransfer & { cseq: string }> = [];
  messages.forEach((m, k) => {
    if (m.protocol !== 'sip' || !m.sip) return;
    if (m.sip.method === 'REFER') {
      const refer = headerIn(m.lines, 'Refer-To');
      const { to, attended } = refer ? referTarget(refer) : { to: null, attended: false };
      out.push({ at: k, by: senderOf(m), to, attended, answer: null, result: null, cseq: cseqOf(m)?.[1] ?? '' });
      return;
    }
    const cseq = cseqOf(m);
    // the REFER's answer: the first final response to its CSeq
    if (m.sip.status !== undefined && m.sip.status >= 200 && cseq?.[2]?.toUpperCase() === 'REFER') {
      const t = out.find((x) => x.cseq === cseq[1] && x.answer === null);
      if (t) t.answer = { status: m.sip.status, reason: m.sip.reason ?? '', at: k };
      return;
    }
    if (m.sip.method !== 'NOTIFY') return;
    const event = headerIn(m.lines, 'Event') ?? '';
    if (!/^refer\b/i.test(event)) return;
    const id = /;\s*id\s*=\s*(\d+)/i.exec(event)?.[1];
    const t = (id !== undefined ? out.find((x) => x.cseq === id) : undefined) ?? out.at(-1);
    const frag = /^(\d{3})\s*(.*)$/.exec(m.sip.sipfrag ?? '');
    if (!t || !frag) return;
    const status = Number(frag[1]);
    // a final status stays: a late provisional NOTIFY does not undo it
    if (t.result?.final) return;
    t.result = { status, reason: frag[2]!.trim(), at: k, final: status >= 200 };
  });
  return out.map(({ cseq: _cseq, ...t }) => t);
}

/** Whether a transfer went wrong: refused, failed, or with no answer or no final result in the log. */
export const transferTrouble = (t: CallTransfer): boolean =>
  !t.answer || t.answer.status >= 300 || !t.result?.final || t.result.status >= 300;

/**
 * In words: `the far end transferred it to sip:bob@example.com: accepted (202 Accepted), the new
 * call answered 200 OK`; `the node transferred it (attended) to …: refused (403 Forbidden)`.
 */
export function transferWords(t: CallTransfer): string {
  const who = t.by === null ? 'transferred' : `the ${t.by} transferred it`;
  const head = `${who}${t.attended ? ' (attended)' : ''} to ${t.to ?? 'an address the log does not give'}`;
  if (!t.answer) return `${head}: no answer to the REFER in the log${t.result ? `; the new call ${resultWords(t.result)}` : ''}`;
  const answer = `${t.answer.status} ${t.answer.reason}`.trim();
  if (t.answer.status >= 300) return `${head}: refused (${answer})`;
  return `${head}: accepted (${answer}), ${t.result ? `the new call ${resultWords(t.result)}` : 'no NOTIFY says what the new call became'}`;
}

function resultWords(r: NonNullable<CallTransfer['result']>): string {
  const status = `${r.status} ${r.reason}`.trim();
  if (!r.final) return `got no further than ${status} in the log`;
  return r.status < 300 ? `answered ${status}` : `failed: ${status}`;
}
