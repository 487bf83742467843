/**
 * H.323 (`support.h323.q931`, `.ras`, `.h245`): the decoded ASN.1 message is in `Detail`, one
 * element per `^M` line with indentation for nesting. We name the message, decode the hex IP
 * addresses in place and pick out aliases, release reasons, channel numbers and H.239 tokens.
 * `TCP Connection established` lines on these modules are connection events (protocol `tcp`).
 */
import type { LineFields } from '../lines/fields.js';
import { direction, endpoints, hexIp, keysOf, payloadOf, pairLines } from './common.js';
import type { Decoded } from './types.js';

/** Decodes `ip: 0a 2e 0a 07` / `network: ...` lines in place, keeping the original octets. */
function withAddresses(lines: string[]): { lines: string[]; addresses: string[] } {
  const out: string[] = [];
  const addresses: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const m = /^(\s*)(ip|network|ip6|ipv6):\s*([0-9a-fA-F ]+)$/.exec(line);
    const ip = m ? hexIp(m[3]!) : null;
    if (m && ip) {
      const port = /^\s*(port|tsapIdentifier):\s*(\d+)/.exec(lines[k + 1] ?? '');
      addresses.push(port ? `${ip}:${port[2]}` : ip);
      out.push(`${line} (${ip})`);
    } else out.push(line);
  }
  return { lines: out, addresses };
}

/** Value nested under `name:` — either on the same line or the next more-indented line. */
function nested(lines: string[], name: string): string | undefined {
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const idx = line.indexOf(`${name}:`);
    if (idx < 0 || (idx > 0 && /[A-Za-z_]/.test(line[idx - 1]!))) continue;
    const after = line.slice(idx + name.length + 1).trim();
    if (after) return after;
    // nested block: collect leaf lines deeper than this one
    const depth = line.length - line.trimStart().length;
    const leaves: string[] = [];
    for (let j = k + 1; j < lines.length; j++) {
      const l = lines[j]!;
      const d = l.length - l.trimStart().length;
      if (d <= depth) break;
      const t = l.trim();
      if (!t.endsWith(':')) leaves.push(t);
    }
    if (leaves.length) return leaves.join(' ');
  }
  return undefined;
}

function connectionEvent(f: LineFields, what: string): Decoded {
  const { src, dst } = endpoints(f);
  return { protocol: 'tcp', direction: null, src, dst, summary: `${what}: ${f.message ?? ''}`.trim(), lines: pairLines(f), keys: keysOf(f) };
}

function plain(f: LineFields, protocol: Decoded['protocol']): Decoded {
  const { src, dst } = endpoints(f);
  return { protocol, direction: direction(f), src, dst, summary: f.message ?? '', lines: pairLines(f), keys: keysOf(f) };
}

const stripColon = (s: string) => s.trim().replace(/:\s*$/, '').replace(/:\s*NULL$/, '');

export function decodeQ931(f: LineFields): Decoded {
  const raw = payloadOf(f);
  if (!raw.length) return /connection|tcp/i.test(f.message ?? '') ? connectionEvent(f, 'H.225') : plain(f, 'q931');
  const { lines, addresses } = withAddresses(raw);
  const head = raw[0]!.trim();
  const body = /h323_message_body:\s*([A-Za-z]+)/.exec(head);
  const type = body ? body[1]! : stripColon(head.split(':').pop() || head) || head;
  const info: Record<string, string> = { type };
  const parts: string[] = [type];
  const source = nested(raw, 'h323_ID') ?? nested(raw, 'sourceAddress');
  const dest = nested(raw, 'destinationAddress');
  if (type === 'setup') {
    if (source) (info.from = source), parts.push(`from ${source}`);
    if (dest) (info.to = dest), parts.push(`to ${dest}`);
    const vendor = nested(raw, 'vendor');
    if (vendor) info.vendor = vendor.replace(/^vendor:\s*/, '');
  }
  const reason = nested(raw, 'reason') ?? nested(raw, 'releaseCompleteReason');
  if (reason) {
    info.reason = stripColon(reason);
    parts.push(`reason ${info.reason}`);
  }
  const cause = nested(raw, 'cause');
  if (cause) info.cause = cause;
  if (addresses.length) {
    info.addresses = addresses.join(', ');
    if (type !== 'setup') parts.push(addresses.join(', '));
  }
  const { src, dst } = endpoints(f);
  return { protocol: 'q931', direction: direction(f), src, dst, summary: parts.join(' '), lines, keys: keysOf(f), info };
}

export function decodeRas(f: LineFields): Decoded {
  const raw = payloadOf(f);
  if (!raw.length) return plain(f, 'ras');
  const { lines, addresses } = withAddresses(raw);
  const type = stripColon(raw[0]!.split(':')[0]!);
  const info: Record<string, string> = { type };
  const parts: string[] = [type];
  const seq = nested(raw, 'requestSeqNum');
  if (seq) info.seq = seq;
  const dest = nested(raw, 'destinationInfo');
  if (dest) (info.to = dest), parts.push(`for ${dest}`);
  // LRQ/ARQ name the caller (sourceInfo / srcInfo aliases)
  const source = nested(raw, 'sourceInfo') ?? nested(raw, 'srcInfo');
  if (source) (info.from = source), parts.push(`from ${source}`);
  const reason = nested(raw, 'rejectReason') ?? nested(raw, 'disengageReason');
  if (reason) (info.reason = stripColon(reason)), parts.push(`reason ${info.reason}`);
  if (addresses.length) (info.addresses = addresses.join(', ')), parts.push(addresses.join(', '));
  const { src, dst } = endpoints(f);
  return { protocol: 'ras', direction: direction(f), src, dst, summary: parts.join(' '), lines, keys: keysOf(f), info };
}

export function decodeH245(f: LineFields): Decoded {
  const raw = payloadOf(f);
  if (!raw.length) return /connection|tcp/i.test(f.message ?? '') ? connectionEvent(f, 'H.245') : plain(f, 'h245');
  const { lines, addresses } = withAddresses(raw);
  // `h245: ` then `  request: terminalCapabilitySet: ` (kind: message)
  const k = raw[0]!.trim().startsWith('h245') ? 1 : 0;
  const m = /^\s*(request|response|command|indication):\s*([A-Za-z0-9_]+)/.exec(raw[k] ?? '');
  const type = m ? `${m[1]}: ${m[2]}` : stripColon(raw[k] ?? raw[0]!);
  const info: Record<string, string> = { type };
  const parts = [type];
  const lcn = nested(raw, 'forwardLogicalChannelNumber') ?? nested(raw, 'logicalChannelNumber');
  if (lcn) (info.channel = lcn), parts.push(`LCN ${lcn}`);
  const dataType = nested(raw, 'dataType');
  if (dataType) parts.push(stripColon(dataType));
  if (m && /^generic/.test(m[2]!)) {
    // H.239 token messages ride in generic request/response/command/indication
    const sub = nested(raw, 'subMessageIdentifier') ?? nested(raw, 'messageIdentifier');
    if (sub) (info.h239 = stripColon(sub)), parts.push(`H.239 ${info.h239}`);
  }
  if (addresses.length) (info.addresses = addresses.join(', ')), parts.push(addresses.join(', '));
  const { src, dst } = endpoints(f);
  return { protocol: 'h245', direction: direction(f), src, dst, summary: parts.join(' '), lines, keys: keysOf(f), info };
}

