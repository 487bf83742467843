/**
 * The full decode of one call: every line decoded by its module's decoder, SIP fragments
 * reassembled into one message (at the time of the earliest piece in the log, missing pieces
 * flagged), and the messages ordered on the common clock (clock.ts).
 */
import type { TraceMessage } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { parseFields, payloadLines } from '../lines/fields.js';
import { formatTime } from '../lines/time.js';
import { decodeLine } from '../decoders/registry.js';
import { decodeSipPayload } from '../decoders/sip.js';
import type { Decoded } from '../decoders/types.js';
import { fragmentGaps, groupOf, joinFragments, orderedPieces } from './scan.js';
import type { Scan } from './scan.js';
import { commonTime } from './clock.js';

export interface TraceItem {
  msg: TraceMessage;
  decoded: Decoded;
  /** Store index of the line that places the message (first fragment in the log). */
  line: number;
  at: number;
  view: number;
}

export function formatOrigin(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',') : null;
}

export function buildTrace(store: LineStore, scan: Scan, offsets: Float64Array, viewPos: (i: number) => number, lines: Uint32Array): TraceItem[] {
  const items: TraceItem[] = [];
  const seenGroup = new Set<number>();
  for (const i of lines) {
    const g = groupOf(scan, i);
    if (g >= 0) {
      if (seenGroup.has(g)) continue;
      seenGroup.add(g);
      items.push(fragmentMessage(store, scan, offsets, viewPos, g, i));
      continue;
    }
    const f = parseFields(store.text(i));
    const d = decodeLine(f);
    items.push(item(store, offsets, viewPos, i, d, [i]));
  }
  items.sort((a, b) => a.at - b.at || a.view - b.view);
  return items;
}

function item(store: LineStore, offsets: Float64Array, viewPos: (i: number) => number, i: number, d: Decoded, pieces: number[]): TraceItem {
  const src = { file: store.fileOf(i).display, line: store.lineNumber(i) };
  const msg: TraceMessage = {
    time: formatTime(store.time.data[i]!),
    originTime: formatOrigin(store.origin.data[i]!),
    node: store.nodeOf(i),
    protocol: d.protocol,
    direction: d.direction,
    src: d.src,
    dst: d.dst,
    summary: d.summary,
    lines: d.lines,
    source: src,
    sources: pieces.map((k) => ({ file: store.fileOf(k).display, line: store.lineNumber(k) })),
    indexes: pieces.map(viewPos),
  };
  if (d.sip) {
    const s: NonNullable<TraceMessage['sip']> = {};
    if (d.sip.method) s.method = d.sip.method;
    if (d.sip.status !== undefined) {
      s.status = d.sip.status;
      s.reason = d.sip.reason;
    }
    if (d.sip.cseq) s.cseq = d.sip.cseq;
    if (d.sip.sipfrag) s.sipfrag = d.sip.sipfrag;
    msg.sip = s;
  }
  return { msg, decoded: d, line: i, at: commonTime(store, offsets, i), view: viewPos(i) };
}

/** One SIP message from its fragments: pieces in number order, missing numbers listed. */
function fragmentMessage(store: LineStore, scan: Scan, offsets: Float64Array, viewPos: (i: number) => number, g: number, firstSeen: number): TraceItem {
  const group = scan.fragments[g]!;
  const ordered = orderedPieces(group);
  const { total, present, missing } = fragmentGaps(group);
  const joined = joinFragments(store, ordered).toString('utf8');
  const f = parseFields(store.text(ordered[0]!));
  const d = decodeSipPayload(f, payloadLines(joined));
  if (missing.length) {
    d.summary += ` [missing fragment${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${total}]`;
  }
  const it = item(store, offsets, viewPos, firstSeen, d, ordered.slice().sort((a, b) => viewPos(a) - viewPos(b)));
  it.msg.fragments = { total, present, missing };
  return it;
}
