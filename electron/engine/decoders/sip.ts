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

/** RFC 3261 §7.3.3 and later RFCs: compact header names. */
export const COMPACT: Record<string, string> = {
  i: 'Call-ID', f: 'From', t: 'To', v: 'Via', m: 'Contact', c: 'Content-Type', l: 'Content-Length', e: 'Content-Encoding',
  k: 'Supported', s: 'Subject', o: 'Event', r: 'Refer-To', b: 'Referred-By', x: 'Session-Expires', u: 'Allow-Events',
  a: 'Accept-Contact', j: 'Reject-Contact', d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info',
};

export interface SipMessage {
  startLine: string;
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  /** Headers in order, names in their long canonical form (folded lines joined). */
  headers: Array<{ name: string; value: string }>;
  body: string[];
}

/** Canonical long name of a header (`i` → `Call-ID`, `call-id` → `Call-ID`). */
export function headerName(raw: string): string {
  const n = raw.trim();
  if (n.length === 1) return COMPACT[n.toLowerCase()] ?? n;
  const lower = n.toLowerCase();
  for (const long of Object.values(COMPACT)) if (long.toLowerCase() === lower) return long;
  if (lower === 'cseq') return 'CSeq';
  return n;
}

export function parseSipMessage(lines: string[]): SipMessage {
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  const startLine = lines[k] ?? '';
  const msg: SipMessage = { startLine, headers: [], body: [] };
  const resp = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(startLine);
  if (resp) {
    msg.status = Number(resp[1]);
    msg.reason = resp[2]!.trim();
  } else {
    const req = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0/.exec(startLine);
    if (req) {
      msg.method = req[1]!.toUpperCase();
      msg.uri = req[2]!;
    }
  }
  for (k++; k < lines.length; k++) {
    const line = lines[k]!;
    if (line === '' || line === '\r') {
      k++;
      break;
    }
    if ((line[0] === ' ' || line[0] === '\t') && msg.headers.length) {
      // folded header: continues the previous one
      msg.headers[msg.headers.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      msg.headers.push({ name: '', value: line });
      continue;
    }
    msg.headers.push({ name: headerName(line.slice(0, colon)), value: line.slice(colon + 1).trim() });
  }
  msg.body = lines.slice(k);
  while (msg.body.length && msg.body[msg.body.length - 1] === '') msg.body.pop();
  return msg;
}

/** First value of a header (case-insensitive, compact forms already canonical). */
export function header(msg: SipMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const h of msg.headers) if (h.name.toLowerCase() === n) return h.value;
  return undefined;
}

/** All values of a header, repeated lines and comma lists kept as they were. */
export function headers(msg: SipMessage, name: string): string[] {
  const n = name.toLowerCase();
  return msg.headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
}

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
  if (hasSdp) {
    info.sdp = true;
    info.media = parseSdpBody(msg.body) ?? [];
  }
  return info;
}

export function sipSummary(msg: SipMessage, info: SipInfo): string {
  let s: string;
  if (msg.method) s = `${msg.method} ${msg.uri ?? ''}`.trim();
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
  if (info.reasonHeader) s += ` Reason: ${info.reasonHeader}`;
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
