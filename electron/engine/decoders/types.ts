/**
 * What a protocol decoder makes of one log line (or of one reassembled SIP message): the
 * direction and endpoints, a one-line summary, the decoded `^M` lines and the correlation keys.
 * Decoders are pure functions over `LineFields`; only `trace` of one call runs them.
 */
import type { TraceProtocol } from '../../api.js';
import type { LineFields } from '../lines/fields.js';
import type { SdpMedia } from '../../shared/sdp.js';

export interface DecodedKeys {
  /** SIP Call-ID, BFCP/admin `Call-Id` (never "None"). */
  callId?: string;
  /** H.323 and REST `Uuid`. */
  uuid?: string;
  participantId?: string;
  conversationId?: string;
  conferenceId?: string;
  fragmentId?: string;
}

export interface SipInfo {
  method?: string;
  status?: number;
  reason?: string;
  cseq?: string;
  callId?: string;
  from?: string;
  to?: string;
  fromTag?: string;
  toTag?: string;
  userAgent?: string;
  /** SIP `Reason` header (e.g. `Q.850;cause=16`). */
  reasonHeader?: string;
  /** A `message/sipfrag` body's status line (a NOTIFY of a transfer: what the new call became), `486 Busy Here`. */
  sipfrag?: string;
  /** The `m=` lines of an SDP body (shared/sdp.ts). */
  media?: SdpMedia[];
  sdp?: boolean;
}

export interface Decoded {
  protocol: TraceProtocol;
  direction: 'in' | 'out' | null;
  src: string | null;
  dst: string | null;
  summary: string;
  lines: string[];
  sip?: SipInfo;
  keys: DecodedKeys;
  /** Protocol facts worth showing (message type, release reason, floor status...). */
  info?: Record<string, string>;
}

export type Decoder = (f: LineFields) => Decoded;
