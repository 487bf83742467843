/** Helpers shared by the decoders: endpoints, direction, correlation keys, payload lines. */
import { field, payloadLines } from '../lines/fields.js';
import type { LineFields } from '../lines/fields.js';
import type { DecodedKeys } from './types.js';

function hostPort(addr: string | undefined, port: string | undefined): string | null {
  if (!addr) return null;
  if (!port) return addr;
  return addr.includes(':') && !addr.startsWith('[') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Source and destination of a signaling line (connection lines: local and remote). */
export function endpoints(f: LineFields): { src: string | null; dst: string | null } {
  const src = hostPort(field(f, 'Src-Address'), field(f, 'Src-Port'));
  const dst = hostPort(field(f, 'Dst-Address'), field(f, 'Dst-Port'));
  if (src || dst) return { src, dst };
  return { src: hostPort(field(f, 'Local-Address'), field(f, 'Local-Port')), dst: hostPort(field(f, 'Remote-Address'), field(f, 'Remote-Port')) };
}

/** "Received ..." is inbound, "Sending ..." outbound; anything else has no direction. */
export function direction(f: LineFields): 'in' | 'out' | null {
  const m = f.message ?? '';
  if (/^(Received|Receiving|Incoming)\b/i.test(m)) return 'in';
  if (/^(Sending|Sent|Outgoing)\b/i.test(m)) return 'out';
  return null;
}

const real = (v: string | undefined) => (v && v !== 'None' && v !== 'none' && v !== '' ? v : undefined);

/** The log keys that carry correlation ids, and the decoded key each fills. */
const KEY_FIELDS: ReadonlyArray<[keyof DecodedKeys, string]> = [
  ['callId', 'Call-Id'],
  ['uuid', 'Uuid'],
  ['participantId', 'Participant-Id'],
  ['conversationId', 'Conversation-Id'],
  ['conferenceId', 'Conference-ID'],
  ['fragmentId', 'Fragment-Id'],
];

export function keysOf(f: LineFields): DecodedKeys {
  const k: DecodedKeys = {};
  for (const [key, name] of KEY_FIELDS) {
    const v = real(field(f, name));
    if (v) k[key] = v;
  }
  return k;
}

/** The decoded `^M` lines of the line's payload (usually `Detail`), or [] without one. */
export function payloadOf(f: LineFields): string[] {
  if (!f.payloadKey) return [];
  const v = field(f, f.payloadKey) ?? '';
  return payloadLines(v);
}

/** The line's pairs other than Level/Name/Message and the payload, as `Key: value` lines. */
export function pairLines(f: LineFields, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const skipLower = new Set(['level', 'name', 'message', ...skip.map((s) => s.toLowerCase())]);
  for (const p of f.pairs) {
    if (p.key === f.payloadKey || skipLower.has(p.key.toLowerCase())) continue;
    out.push(`${p.key}: ${p.value}`);
  }
  return out;
}

/** `0a 2e 0a 07` → `10.46.10.7` (H.225/H.245 addresses are logged as hex octets). */
export function hexIp(hex: string): string | null {
  const parts = hex.trim().split(/\s+/);
  if (parts.length === 4 && parts.every((p) => /^[0-9a-f]{2}$/i.test(p))) return parts.map((p) => parseInt(p, 16)).join('.');
  if (parts.length === 16 && parts.every((p) => /^[0-9a-f]{2}$/i.test(p))) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((parseInt(parts[i]!, 16) << 8) | parseInt(parts[i + 1]!, 16)).toString(16));
    return groups.join(':');
  }
  return null;
}
