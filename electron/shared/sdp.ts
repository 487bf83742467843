/**
 * A call's media negotiation, read from the SDP bodies of its SIP messages: what each side offered,
 * what was agreed (the codec, the direction, encryption), what was rejected. For "no video",
 * "one-way audio", "presentation does not work", "was the call encrypted?" and a 488.
 *
 * Offers and answers pair as RFC 3264 pairs them in SIP: a request's SDP (INVITE, re-INVITE,
 * UPDATE, PRACK) is answered by the first response with SDP to the same transaction (Call-ID and
 * CSeq); an INVITE without SDP is a delayed offer, made by its first response with SDP and answered
 * by the ACK. A final response of 300 or more refuses the offer. Pure: the call view, the call's
 * texts and `pexlens trace` share it.
 */
import type { TraceMessage } from '../api.js';
import { bodyIn, headerIn } from './sip-message.js';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One `m=` line of an SDP body. */
export interface SdpMedia {
  /** audio, video, application… */
  kind: string;
  /** `a=content:` (main, slides), or null. */
  content: string | null;
  port: number;
  proto: string;
  /** Its formats in the order offered: `G722/8000` from `a=rtpmap` or a static payload type, `BFCP` for BFCP, else the format as written. */
  codecs: string[];
  direction: SdpDirection;
  /** The connection address that applies to it (its own `c=`, else the session's). */
  address: string | null;
  /** SRTP (`RTP/SAVP`, `a=crypto`) or DTLS (`UDP/TLS/…`, `a=fingerprint`). */
  encrypted: boolean;
  /** ICE candidates offered. */
  candidates: number;
}

/** One m-line's outcome: the offer's line beside the answer's. */
export interface MediaAgreement {
  /** `audio`, `video`, `slides` (video with `a=content:slides`), `BFCP`. */
  name: string;
  offer: SdpMedia;
  answer: SdpMedia | null;
  /** agreed; rejected (port 0 in the answer); unanswered (no answer in the log, or the offer refused). */
  state: 'agreed' | 'rejected' | 'unanswered';
  /** The first codec of the answer that sends media (not telephone-event, comfort noise, RED, FEC, RTX). */
  codec: string | null;
}

/** One offer and its answer. */
export interface Negotiation {
  /** Index in the trace's messages of the offer, and of the answer (null when none is in the log). */
  offer: number;
  answer: number | null;
  /** A final response of 300 or more that refused the offer (`488 Not Acceptable Here`), or null. */
  refused: string | null;
  media: MediaAgreement[];
  /** What a case looks at first: media rejected, on hold, unencrypted, refused, unanswered. */
  issues: string[];
}

/** Static RTP payload types (RFC 3551) an offer may use without `a=rtpmap`. */
const STATIC_PT: Record<string, string> = {
  '0': 'PCMU/8000', '3': 'GSM/8000', '4': 'G723/8000', '8': 'PCMA/8000', '9': 'G722/8000', '13': 'CN/8000',
  '15': 'G728/8000', '18': 'G729/8000', '26': 'JPEG/90000', '31': 'H261/90000', '34': 'H263/90000',
};

/** Formats that carry no media of their own: they ride beside the codec agreed. */
const AUXILIARY = /^(telephone-event|cn|red|ulpfec|flexfec|rtx)\//i;

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** The SDP of a message body's lines (the SDP part of a multipart body), or null. */
function sdpLines(lines: readonly string[]): string[] | null {
  let k = 0;
  while (k < lines.length && lines[k]!.trim() !== 'v=0') k++;
  if (k >= lines.length) return null;
  const out: string[] = [];
  for (; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (l.startsWith('--')) break; // the next part of a multipart body
    if (l) out.push(l);
  }
  return out;
}

/** The media of an SDP body (a SIP message's body lines), or null when it holds none. */
export function parseSdpBody(lines: readonly string[]): SdpMedia[] | null {
  const body = sdpLines(lines);
  if (!body) return null;
  const media: SdpMedia[] = [];
  const maps: Array<Map<string, string>> = [];
  let sessionAddress: string | null = null;
  let sessionDirection: SdpDirection = 'sendrecv';
  let sessionEncrypted = false;
  for (const l of body) {
    const cur = media[media.length - 1];
    const m = /^m=(\S+)\s+(\d+)(?:\/\d+)?\s+(\S+)\s*(.*)$/.exec(l);
    if (m) {
      const proto = m[3]!;
      media.push({
        kind: m[1]!, content: null, port: Number(m[2]), proto,
        codecs: m[4]!.split(/\s+/).filter(Boolean),
        direction: sessionDirection, address: sessionAddress,
        encrypted: sessionEncrypted || /SAVP|UDP\/TLS|^TLS|DTLS/i.test(proto), candidates: 0,
      });
      maps.push(new Map());
      continue;
    }
    const c = /^c=IN\s+IP[46]\s+([^\s/]+)/.exec(l);
    if (c) {
      if (cur) cur.address = c[1]!;
      else sessionAddress = c[1]!;
      continue;
    }
    if (!l.startsWith('a=')) continue;
    const attr = l.slice(2);
    const colon = attr.indexOf(':');
    const name = (colon < 0 ? attr : attr.slice(0, colon)).toLowerCase();
    const value = colon < 0 ? '' : attr.slice(colon + 1);
    if (DIRECTIONS.has(name)) {
      if (cur) cur.direction = name as SdpDirection;
      else sessionDirection = name as SdpDirection;
    } else if (name === 'crypto' || name === 'fingerprint') {
      if (cur) cur.encrypted = true;
      else sessionEncrypted = true;
    } else if (!cur) continue;
    else if (name === 'rtpmap') {
      const r = /^(\S+)\s+(\S+)/.exec(value);
      if (r) maps[maps.length - 1]!.set(r[1]!, r[2]!);
    } else if (name === 'content') cur.content = value.trim();
    else if (name === 'candidate') cur.candidates++;
  }
  for (const [i, md] of media.entries()) {
    const map = maps[i]!;
    md.codecs = /BFCP/i.test(md.proto) ? ['BFCP'] : md.codecs.map((f) => map.get(f) ?? (/RTP/i.test(md.proto) ? STATIC_PT[f] : undefined) ?? f);
  }
  return media;
}

/** How a line is named in texts: `audio`, `video`, `slides`, `BFCP`. */
function mediaName(m: SdpMedia): string {
  if (/BFCP/i.test(m.proto)) return 'BFCP';
  return m.content && m.content !== 'main' ? m.content : m.kind;
}

function agreement(offer: SdpMedia, answer: SdpMedia | undefined, answered: boolean): MediaAgreement {
  const name = mediaName(offer);
  if (!answered) return { name, offer, answer: null, state: 'unanswered', codec: null };
  if (!answer || answer.port === 0) return { name, offer, answer: answer ?? null, state: 'rejected', codec: null };
  return { name, offer, answer, state: 'agreed', codec: mediaCodecs(answer)[0] ?? null };
}

/** Addresses that do not cross the internet: RFC 1918, carrier-grade NAT, IPv6 unique local. */
const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|f[cd][0-9a-f]{2}:)/i;
const hostOf = (ends: string | null): string | null => (ends ? ends.replace(/^\[([^\]]+)\].*$/, '$1').replace(/^([^:]+):\d+$/, '$1') : null);

/**
 * A side whose SDP names a private address while its signaling came from a public one: the far
 * end is behind NAT and says an address media cannot reach (one-way or no audio).
 */
function natIssue(msg: TraceMessage | undefined, sdp: Array<SdpMedia | null>, names: string[]): string | null {
  const from = msg?.direction === 'in' ? hostOf(msg.src) : null;
  if (!from || PRIVATE.test(from) || /^(127\.|::1$)/.test(from)) return null;
  const hit = sdp.map((m, k) => (m && m.port !== 0 && m.address && PRIVATE.test(m.address) ? k : -1)).filter((k) => k >= 0);
  if (!hit.length) return null;
  return `${hit.map((k) => names[k]).join(', ')} to ${sdp[hit[0]!]!.address}, a private address, though the ${messageName(msg)} came from ${from} (behind NAT?)`;
}

/** What an exchange's media say that a case looks for: rejected streams, hold, no encryption, NAT. */
function issuesOf(n: Omit<Negotiation, 'issues'>, messages: readonly TraceMessage[]): string[] {
  const out: string[] = [];
  if (n.refused) out.push(`offer refused: ${n.refused}`);
  else if (n.answer === null) out.push('no answer in the log');
  const agreed = n.media.filter((a) => a.state === 'agreed');
  const rejected = n.media.filter((a) => a.state === 'rejected');
  if (n.answer !== null && !agreed.length) out.push('no media agreed');
  else if (rejected.length) out.push(`${rejected.map((a) => a.name).join(', ')} rejected`);
  // one entry per direction other than sendrecv: a hold puts every stream the same way
  const held = new Map<string, string[]>();
  for (const a of agreed) {
    const dir = [a.offer.direction, a.answer!.direction].find((d) => d !== 'sendrecv');
    if (!dir) continue;
    const hold = a.offer.direction === 'sendonly' || a.offer.direction === 'inactive' ? ' (on hold)' : '';
    held.set(`${dir}${hold}`, [...(held.get(`${dir}${hold}`) ?? []), a.name]);
  }
  for (const [dir, names] of held) out.push(`${names.join(', ')} ${dir}`);
  // the older way to hold: the connection address 0.0.0.0 (RFC 2543)
  const zero = agreed.filter((a) => a.name !== 'BFCP' && (a.offer.address === '0.0.0.0' || a.answer!.address === '0.0.0.0'));
  if (zero.length) out.push(`${zero.map((a) => a.name).join(', ')} on hold (c=0.0.0.0)`);
  const plain = agreed.filter((a) => a.name !== 'BFCP' && !encryptedBoth(a));
  if (plain.length) out.push(`${plain.map((a) => a.name).join(', ')} not encrypted`);
  const names = n.media.map((a) => a.name);
  for (const [k, side] of [[n.offer, n.media.map((a) => a.offer)], [n.answer, n.media.map((a) => a.answer)]] as const) {
    const nat = k === null ? null : natIssue(messages[k], side, names);
    if (nat) out.push(nat);
  }
  return out;
}

/**
 * Every offer and answer of a call's SIP messages, in the order offered. A retransmitted offer (the
 * same transaction with SDP again before its answer) is not a new one.
 */
export function negotiations(messages: readonly TraceMessage[]): Negotiation[] {
  const out: Array<Omit<Negotiation, 'issues'> & { sdp: SdpMedia[] }> = [];
  /** Open offers by transaction: Call-ID, CSeq number and the method it was made in (`INVITE`). */
  const open = new Map<string, number>();
  /** INVITEs without SDP by transaction: their first response with SDP is the offer. */
  const delayed = new Set<string>();
  /** Offers made in a response, by transaction: the ACK answers them. */
  const byAck = new Map<string, number>();
  /** Requests seen, by transaction: the same again is a retransmission. */
  const requests = new Set<string>();
  const close = (k: number, answer: number | null, refused: string | null, sdp: SdpMedia[] | null) => {
    const n = out[k]!;
    n.answer = answer;
    n.refused = refused;
    n.media = n.sdp.map((o, i) => agreement(o, sdp?.[i], sdp !== null));
  };
  for (const [i, msg] of messages.entries()) {
    if (msg.protocol !== 'sip' || !msg.sip?.cseq) continue;
    const [num, method] = msg.sip.cseq.split(' ');
    const callId = headerIn(msg.lines, 'Call-ID') ?? '';
    const tx = `${callId} ${num} ${(method ?? '').toUpperCase()}`;
    const ackOf = `${callId} ${num} INVITE`;
    const sdp = parseSdpBody(bodyIn(msg.lines));
    const status = msg.sip.status;
    if (status === undefined) {
      const req = (msg.sip.method ?? '').toUpperCase();
      if (req === 'ACK') {
        const k = byAck.get(ackOf);
        if (k !== undefined && sdp) close(k, i, null, sdp);
        byAck.delete(ackOf);
        continue;
      }
      if (requests.has(tx)) continue; // a retransmission
      requests.add(tx);
      if (sdp) {
        open.set(tx, out.length);
        out.push({ offer: i, answer: null, refused: null, media: [], sdp });
      } else if (req === 'INVITE') delayed.add(tx);
      continue;
    }
    const k = open.get(tx);
    if (k !== undefined) {
      if (status >= 300) {
        close(k, null, `${status} ${msg.sip.reason ?? ''}`.trim(), null);
        open.delete(tx);
      } else if (sdp && status > 100) {
        close(k, i, null, sdp);
        open.delete(tx);
      }
    } else if (delayed.has(tx) && sdp && status > 100 && status < 300) {
      delayed.delete(tx); // (a retransmitted response is not a new offer)
      byAck.set(tx, out.length);
      out.push({ offer: i, answer: null, refused: null, media: [], sdp });
    }
  }
  return out.map(({ sdp, ...n }) => {
    if (n.answer === null && !n.media.length) n.media = sdp.map((o) => agreement(o, undefined, false));
    return { ...n, issues: issuesOf(n, messages) };
  });
}

/** A line's codecs that send media, in its order (no telephone-event, comfort noise, RED, FEC, RTX). */
export const mediaCodecs = (m: SdpMedia): string[] => m.codecs.filter((c) => !AUXILIARY.test(c));

/** Codecs as a list says them, a name offered twice (H.264 in two packetization modes) once: `H264/90000 ×2, VP8/90000`. */
export function codecList(codecs: readonly string[]): string {
  const seen = new Map<string, number>();
  for (const c of codecs) seen.set(c, (seen.get(c) ?? 0) + 1);
  return [...seen].map(([c, k]) => (k > 1 ? `${c} ×${k}` : c)).join(', ');
}

/** Whether an agreed line's media are encrypted both ways (BFCP, a control channel, does not count). */
export const encryptedBoth = (a: MediaAgreement): boolean => a.offer.encrypted && !!a.answer?.encrypted;

/** A media line's outcome in words: `audio MP4A-LATM/90000`, `video rejected`, `slides H264/90000 sendonly`. */
export function agreementWords(a: MediaAgreement): string {
  if (a.state === 'unanswered') {
    const sent = mediaCodecs(a.offer);
    return `${a.name} offered${sent.length ? ` ${sent[0]}${sent.length > 1 ? ` +${sent.length - 1}` : ''}` : ''}`;
  }
  if (a.state === 'rejected') return `${a.name} rejected`;
  const dir = a.answer!.direction !== 'sendrecv' ? ` ${a.answer!.direction}` : '';
  return a.name === 'BFCP' ? `BFCP${dir}` : `${a.name} ${a.codec ?? '(no codec)'}${dir}`;
}

/** A message's name in a negotiation's words: `INVITE`, `200 OK`. */
export const messageName = (m: TraceMessage | undefined): string =>
  !m ? '?' : m.sip?.method ?? (m.sip?.status !== undefined ? `${m.sip.status} ${m.sip.reason ?? ''}`.trim() : m.summary);

/**
 * One exchange in words, for the call's texts: `INVITE → 200 OK: audio MP4A-LATM/90000, video
 * H264/90000, encrypted`, then what is wrong with it.
 */
export function negotiationWords(n: Negotiation, messages: readonly TraceMessage[]): string {
  const offer = messages[n.offer];
  const head = `${messageName(offer)}${offer?.direction ? ` (${offer.direction === 'in' ? 'received' : 'sent'})` : ''} → ${n.answer !== null ? messageName(messages[n.answer]) : n.refused ?? 'no answer'}`;
  return `${head}: ${outcomeWords(n)}${n.issues.length ? ` [${n.issues.join('; ')}]` : ''}`;
}

/** What an exchange agreed, stream by stream: `audio MP4A-LATM/90000, video H264/90000, encrypted`. */
export function outcomeWords(n: Negotiation): string {
  const agreed = n.media.filter((a) => a.state === 'agreed');
  const crypt = agreed.length && agreed.every((a) => a.name === 'BFCP' || encryptedBoth(a)) ? ', encrypted' : '';
  return n.media.map(agreementWords).join(', ') + crypt;
}
