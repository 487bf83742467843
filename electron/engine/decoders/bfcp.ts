/**
 * BFCP (`support.bfcp`): either a `Detail` like
 * `FloorRequest(CommonHeader(..., primitive=FloorRequest, ..., trans_id=12, user_id=2), FloorId(floor_id=2))`
 * or separate `Primitive` / `Transaction-Id` / `Floor-Request-Id` / `Floor-Status` fields.
 * Its `Call-Id` is the SIP Call-ID of the call.
 */
import { field } from '../lines/fields.js';
import type { LineFields } from '../lines/fields.js';
import { direction, endpoints, keysOf, pairLines } from './common.js';
import type { Decoded } from './types.js';

const attr = (text: string, name: string) => new RegExp(`\\b${name}=([^,()\\s]+(?:\\(\\d+\\))?)`).exec(text)?.[1];

/** Splits `A(B(x=1), C(y=2))` into readable lines, one element per line, indented by nesting. */
function detailLines(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  const push = () => {
    const t = cur.trim();
    if (t) out.push('  '.repeat(depth) + t);
    cur = '';
  };
  for (const ch of text) {
    if (ch === '(' && /[A-Za-z]$/.test(cur.trim()) && /^[A-Z]/.test(cur.trim().split(/[ ,]/).pop() ?? '')) {
      push();
      depth++;
    } else if (ch === ')' && depth > 0 && !/\(\d*$/.test(cur)) {
      push();
      depth--;
    } else if (ch === ',' && depth > 0) {
      cur += ch;
    } else cur += ch;
  }
  push();
  return out;
}

export function decodeBfcp(f: LineFields): Decoded {
  const detail = field(f, 'Detail');
  let primitive = field(f, 'Primitive');
  let trans = field(f, 'Transaction-Id');
  let floorReq = field(f, 'Floor-Request-Id');
  let status = field(f, 'Floor-Status') ?? field(f, 'Request-Status');
  let floor = field(f, 'Floor-Id');
  let lines: string[];
  if (detail && /\(/.test(detail)) {
    primitive ??= attr(detail, 'primitive') ?? /^([A-Za-z]+)\(/.exec(detail)?.[1];
    trans ??= attr(detail, 'trans_id');
    floorReq ??= attr(detail, 'floor_request_id');
    status ??= attr(detail, 'request_status');
    floor ??= attr(detail, 'floor_id');
    lines = detailLines(detail);
  } else lines = pairLines(f, ['Src-Address', 'Src-Port', 'Dst-Address', 'Dst-Port', 'Call-Id']);
  const info: Record<string, string> = {};
  const parts = [primitive ?? f.message ?? 'BFCP'];
  if (primitive) info.primitive = primitive;
  if (trans) (info.transactionId = trans), parts.push(`trans ${trans}`);
  if (floor) (info.floorId = floor), parts.push(`floor ${floor}`);
  if (floorReq) (info.floorRequestId = floorReq), parts.push(`request ${floorReq}`);
  if (status) (info.status = status), parts.push(status);
  const { src, dst } = endpoints(f);
  return { protocol: 'bfcp', direction: direction(f), src, dst, summary: parts.join(' '), lines, keys: keysOf(f), info };
}
