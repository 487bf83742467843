/**
 * Links from one message of a trace to the others it belongs with: the request a SIP response
 * answers (same CSeq) and the responses to a request, the SIP dialog (INVITE) a BFCP message
 * rides on, the first message of each H.323 channel (RAS, Q.931, H.245) of the same Uuid, and
 * the BFCP transaction partner (same trans_id).
 */
import type { TraceMessage } from '../../../electron/api.js';

export interface Related {
  /** Why it is related ("answers", "response", "SIP dialog", "H.245 channel"...). */
  why: string;
  msg: number;
  label: string;
}

const H323: Array<[TraceMessage['protocol'], string]> = [
  ['ras', 'RAS channel'],
  ['q931', 'Q.931 channel'],
  ['h245', 'H.245 channel'],
];

function cseqOf(m: TraceMessage): { n: string; method: string } | null {
  const c = m.sip?.cseq ?? m.lines.map((l) => /^CSeq:\s*(\d+)\s+(\S+)/i.exec(l)).find(Boolean)?.slice(1).join(' ');
  const mm = c ? /^(\d+)\s+(\S+)/.exec(c.trim()) : null;
  return mm ? { n: mm[1]!, method: mm[2]!.toUpperCase() } : null;
}

function transId(m: TraceMessage): string | null {
  const t = /trans(?:action)?[_-]?id[=: ]+(\d+)/i.exec(m.lines.join('\n') + '\n' + m.summary);
  return t ? t[1]! : null;
}

export function relatedOf(messages: readonly TraceMessage[], i: number): Related[] {
  const m = messages[i];
  if (!m) return [];
  const out: Related[] = [];
  if (m.protocol === 'sip') {
    const c = cseqOf(m);
    if (c) {
      const isResponse = m.sip?.status !== undefined || /^SIP\/2\.0\s+\d/.test(m.lines[0] ?? '');
      if (isResponse) {
        // the request it answers: the nearest earlier request with the same CSeq
        for (let k = i - 1; k >= 0; k--) {
          const o = messages[k]!;
          if (o.protocol !== 'sip' || o.sip?.status !== undefined) continue;
          const oc = cseqOf(o);
          if (oc && oc.n === c.n && oc.method === c.method) {
            out.push({ why: 'answers', msg: k, label: o.summary });
            break;
          }
        }
      } else {
        messages.forEach((o, k) => {
          if (k === i || o.protocol !== 'sip' || o.sip?.status === undefined) return;
          const oc = cseqOf(o);
          if (oc && oc.n === c.n && oc.method === c.method) out.push({ why: 'response', msg: k, label: o.summary });
        });
      }
    }
    const firstBfcp = messages.findIndex((o) => o.protocol === 'bfcp');
    if (firstBfcp >= 0 && m.sip?.method === 'INVITE') out.push({ why: 'BFCP on this dialog', msg: firstBfcp, label: messages[firstBfcp]!.summary });
  }
  if (m.protocol === 'bfcp') {
    const invite = messages.findIndex((o) => o.protocol === 'sip' && o.sip?.method === 'INVITE');
    if (invite >= 0) out.push({ why: 'SIP dialog', msg: invite, label: messages[invite]!.summary });
    const t = transId(m);
    if (t) {
      messages.forEach((o, k) => {
        if (k !== i && o.protocol === 'bfcp' && transId(o) === t && Math.abs(k - i) < 50) out.push({ why: `transaction ${t}`, msg: k, label: o.summary });
      });
    }
  }
  if (m.protocol === 'ras' || m.protocol === 'q931' || m.protocol === 'h245') {
    for (const [p, why] of H323) {
      if (p === m.protocol) continue;
      const k = messages.findIndex((o) => o.protocol === p);
      if (k >= 0) out.push({ why, msg: k, label: messages[k]!.summary });
    }
  }
  return out;
}
