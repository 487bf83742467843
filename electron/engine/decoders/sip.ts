/**
 * SIP (`support.sip`): the whole message sits in `Detail="^M..."`. Start line, headers (long and
 * compact forms, folded and repeated), body (SDP, XML, multipart). Fragmented messages are
 * decoded from their reassembled text (correlate/fragments.ts), never piece by piece.
 */
import { field } from '../lines/fields.js';
import type { LineFields } from '../lines/fields.js';
import { direction, endpoints, keysOf, payloadOf } from './common.js';
import type { Decoded, SipInfo } from './types.js';
import { parseSdpBody } from '../../shared/sdp.js';
import { header, parseSipMessage } from '../../shared/sip-message.js';
import type { SipMessage } from '../../shared/sip-message.js';
import { reasonWords } from '../../shared/q850.js';

const tagOf = (v: string | undefined) => (v ? /;\s*tag=([^;>\s]+)/i.exec(v)?.[1] : undefined);
const uriOf = (v: string | undefined) => {
  if (!v) return undefined;
  const m = /<([^>]*)>/.exec(v);
  return (m ? m[1]! : v.split(';')[0]!).trim();
};

export function sipInfo(msg: SipMessage): SipInfo {
  const info: SipInfo = {};
  if (msg.method) info.method = msg.method;
  if (msg.status !== undefined) {
    info.status = msg.status;
    info.reason = msg.reason;
  }
  const cseq = header(msg, 'CSeq');
  if (cseq) info.cseq = cseq.replace(/\s+/g, ' ').trim();
  const callId = header(msg, 'Call-ID');
  if (callId) info.callId = callId.trim();
  const from = header(msg, 'From');
  const to = header(msg, 'To');
  if (from) info.from = uriOf(from);
  if (to) info.to = uriOf(to);
  const ft = tagOf(from);
  const tt = tagOf(to);
  if (ft) info.fromTag = ft;
  if (tt) info.toTag = tt;
  const ua = header(msg, 'User-Agent') ?? header(msg, 'Server');
  if (ua) info.userAgent = ua;
  const reason = header(msg, 'Reason');
  if (reason) info.reasonHeader = reason;
  const ctype = (header(msg, 'Content-Type') ?? '').toLowerCase();
  const hasSdp = ctype.includes('application/sdp') || (msg.body.length > 0 && msg.body.some((l) => l.startsWith('v=0')) && (ctype === '' || ctype.startsWith('multipart')));
  if (ctype.includes('message/sipfrag')) {
    const frag = msg.body.map((l) => /^SIP\/2\.0\s+(\d{3}.*)$/.exec(l.trim())).find(Boolean);
    if (frag) info.sipfrag = frag[1]!.trim();
  }
  if (hasSdp) {
    info.sdp = true;
    info.media = parseSdpBody(msg.body) ?? [];
  }
  return info;
}

export function sipSummary(msg: SipMessage, info: SipInfo): string {
  let s: string;
  // a transfer's NOTIFY says what the new call became before its URI (a long label is cut at its end)
  if (msg.method) s = `${msg.method}${info.sipfrag ? ` (${info.sipfrag})` : ''} ${msg.uri ?? ''}`.trim();
  else if (msg.status !== undefined) s = `${msg.status} ${msg.reason ?? ''}`.trim() + (info.cseq ? ` (${info.cseq})` : '');
  else s = msg.startLine.slice(0, 120) || '(empty SIP message)';
  if (info.sdp) {
    s += ' +SDP';
    // a hold (sendonly, inactive) or its answer, seen in the ladder without opening the message
    // (before the streams: a long label is cut at its end)
    const held = [...new Set((info.media ?? []).map((m) => m.direction).filter((d) => d !== 'sendrecv'))];
    if (held.length) s += ` ${held.join(' ')}`;
    const kinds = (info.media ?? []).map((m) => (m.proto.toUpperCase().includes('BFCP') ? 'bfcp' : m.content !== null && m.content !== 'main' ? `${m.kind}:${m.content}` : m.kind));
    if (kinds.length) s += ` [${kinds.join(' ')}]`;
  }
  if (info.reasonHeader) s += ` Reason: ${reasonWords(info.reasonHeader)}`;
  return s;
}

/** Decodes a SIP message given its payload lines (from one line or reassembled fragments). */
export function decodeSipPayload(f: LineFields, lines: string[]): Decoded {
  const msg = parseSipMessage(lines);
  const info = sipInfo(msg);
  const keys = keysOf(f);
  if (info.callId) keys.callId = info.callId;
  const { src, dst } = endpoints(f);
  const transport = field(f, 'Transport');
  const extra: Record<string, string> = {};
  if (transport) extra.transport = transport;
  return { protocol: 'sip', direction: direction(f), src, dst, summary: sipSummary(msg, info), lines, sip: info, keys, info: extra };
}

export function decodeSip(f: LineFields): Decoded {
  const lines = payloadOf(f);
  if (!lines.length) {
    // a support.sip line without a message (e.g. transport errors): a plain event
    const { src, dst } = endpoints(f);
    return { protocol: 'sip', direction: direction(f), src, dst, summary: f.message ?? '', lines: [], keys: keysOf(f) };
  }
  return decodeSipPayload(f, lines);
}
