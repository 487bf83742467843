/**
 * Administrator events (`administrator.*`) and other support events (`support.participant`,
 * `support.media`, ...; also any unknown module): the message as summary, the pairs as lines,
 * the `^M` payload (e.g. media statistics) decoded after them.
 */
import { field } from '../lines/fields.js';
import type { LineFields } from '../lines/fields.js';
import { direction, endpoints, keysOf, pairLines, payloadOf } from './common.js';
import type { Decoded } from './types.js';

function event(f: LineFields, protocol: 'admin' | 'log'): Decoded {
  const lines = [...pairLines(f), ...payloadOf(f)];
  let summary = f.message ?? (f.damaged ? f.rest.slice(0, 160) : '');
  const extra = field(f, 'Reason') ?? (/disconnect/i.test(summary) ? field(f, 'Detail') : undefined);
  if (extra && !extra.startsWith('^M')) summary += ` (${extra})`;
  // admin events name a Remote-Address but are not messages between endpoints
  const { src, dst } = protocol === 'admin' ? { src: null, dst: null } : endpoints(f);
  return { protocol, direction: protocol === 'admin' ? null : direction(f), src, dst, summary, lines, keys: keysOf(f) };
}

export const decodeAdmin = (f: LineFields): Decoded => event(f, 'admin');
export const decodeLog = (f: LineFields): Decoded => event(f, 'log');
