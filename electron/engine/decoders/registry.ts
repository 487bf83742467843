/**
 * One table: module name → decoder. Exact names first, then the longest matching prefix
 * (`administrator.` covers every administrator module); anything else is a plain log event.
 */
import type { LineFields } from '../lines/fields.js';
import { decodeAdmin, decodeLog } from './admin.js';
import { decodeBfcp } from './bfcp.js';
import { decodeH245, decodeQ931, decodeRas } from './h323.js';
import { decodeRest } from './rest.js';
import { decodeSip } from './sip.js';
import type { Decoded, Decoder } from './types.js';

export const DECODERS: ReadonlyArray<readonly [name: string, decoder: Decoder]> = [
  ['support.sip', decodeSip],
  ['support.bfcp', decodeBfcp],
  ['support.h323.q931', decodeQ931],
  ['support.h323.ras', decodeRas],
  ['support.h323.h245', decodeH245],
  ['support.rest', decodeRest],
  ['administrator.', decodeAdmin],
];

const exact = new Map<string, Decoder>(DECODERS.filter(([n]) => !n.endsWith('.')).map(([n, d]) => [n, d]));
const prefixes = DECODERS.filter(([n]) => n.endsWith('.'));

export function decoderFor(name: string | null): Decoder {
  if (!name) return decodeLog;
  const d = exact.get(name) ?? exact.get(name.toLowerCase());
  if (d) return d;
  for (const [p, dec] of prefixes) if (name.startsWith(p)) return dec;
  return decodeLog;
}

export function decodeLine(f: LineFields): Decoded {
  return decoderFor(f.name)(f);
}

export type { Decoded, Decoder } from './types.js';
