/**
 * WebRTC / client API (`support.rest`): requests and responses with `Request` (a path under
 * `/api/client/v2/conferences/<alias>/...`), `Status-Code`, and `Uuid` = the participant's id.
 */
import { field } from '../lines/fields.js';
import type { LineFields } from '../lines/fields.js';
import { direction, endpoints, keysOf, pairLines } from './common.js';
import type { Decoded } from './types.js';

export function decodeRest(f: LineFields): Decoded {
  const path = field(f, 'Request') ?? field(f, 'Path') ?? field(f, 'Url') ?? '';
  const method = field(f, 'Method');
  const status = field(f, 'Status-Code') ?? field(f, 'Status');
  const dir = direction(f);
  const info: Record<string, string> = {};
  if (path) info.path = path;
  const conf = /\/conferences\/([^/]+)/.exec(path);
  if (conf) info.conference = decodeURIComponent(conf[1]!);
  const part = /\/participants\/([^/]+)/.exec(path);
  if (part) info.participant = part[1]!;
  const tail = conf ? path.slice(path.indexOf(conf[0]) + conf[0].length) || '/' : path;
  let summary: string;
  if (/response/i.test(f.message ?? '') || (status && dir === 'out')) summary = `${status ?? '?'} ${tail}`.trim();
  else summary = `${method ? method + ' ' : ''}${tail}`.trim() || (f.message ?? 'REST');
  if (status) info.status = status;
  const { src, dst } = endpoints(f);
  return { protocol: 'rest', direction: dir, src, dst, summary, lines: pairLines(f, ['Src-Address', 'Src-Port', 'Dst-Address', 'Dst-Port']), keys: keysOf(f), info };
}
