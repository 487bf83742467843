/**
 * Two calls side by side, for "this call fails and that one works: what is different?". Their
 * summary rows (as the reports word them) with the rows that differ marked, and their messages
 * aligned step by step (a sequence alignment of what each message is: `INVITE` in, `100` to the
 * INVITE out…), each pair of aligned messages with the lines one has and the other has not. What
 * every call has of its own (ids, tags, branches, addresses, names, times, ports) is masked
 * before lines are compared, so what is left is what the two calls did differently: a header one
 * sent and the other did not, another codec, a stream refused, a reason. Pure: the app compares two
 * traces it has, `pexlens compare` two it traced.
 */
import type { CallTrace, TraceMessage } from '../api.js';
import { arrow, traceRows } from './call-text.js';
import { short } from './text-columns.js';

export interface CompareRow {
  label: string;
  /** Each call's value (several rows of one label, such as SDP, one per line); '-' when it has none. */
  a: string;
  b: string;
  /** Said of each call alone (its id, times, parties): shown, never marked as a difference. */
  own: boolean;
  differs: boolean;
}

export interface CompareStep {
  /** Indexes into each trace's messages; null where that call has no message in this step. */
  a: number | null;
  b: number | null;
  /** Of two aligned messages, the lines of each with no like line in the other (as the message has them). */
  onlyA: string[];
  onlyB: string[];
}

export interface CallComparison {
  rows: CompareRow[];
  steps: CompareStep[];
  /** Steps where the calls differ: a message of one alone, or lines that differ. */
  differing: number;
  /** The calls had more messages than are aligned: the rest of each is listed after, unaligned. */
  truncated: boolean;
}

/** Rows said of each call alone: never a difference. */
const OWN = new Set(['Call', 'Ids', 'Start', 'End', 'Duration', 'From', 'Display name', 'To', 'Remote']);

/**
 * Header-like keys whose values are each call's own (SIP's dialog and routing headers, also in
 * compact form, and the administrator lines' ids and parties): compared by presence alone.
 */
const IDENTITY = new Set([
  'via', 'v', 'from', 'f', 'to', 't', 'call-id', 'i', 'contact', 'm', 'cseq', 'route', 'record-route', 'p-asserted-identity',
  'p-preferred-identity', 'remote-party-id', 'content-length', 'l', 'max-forwards', 'date', 'timestamp', 'participant',
  'displayname', 'conversation-id', 'participant-id', 'remote-address', 'conference-id', 'conferencealias', 'duration', 'uuid',
  'src-address', 'dst-address', 'src-port', 'dst-port', 'call-tag', 'x-pexip-call-id',
]);

/** The most cells the alignment's table may have (two calls of 2 000 messages each); past it, the heads are aligned. */
const MAX_CELLS = 4_000_000;
/** The most lines kept per side of a step's differences. */
const MAX_LINES = 60;

/** A value with what is each call's own masked: display names, URI users, addresses, ids, long numbers. */
export function maskOwn(v: string): string {
  return v
    .replace(/"[^"]*"/g, '"‹name›"')
    .replace(/\b(sips?|h323|tel):[^@\s;>,"]+@/gi, '$1:‹user›@')
    .replace(/\b(tag|branch|epid|gr)=[^;>\s,]+/gi, '$1=‹id›')
    // keys and credentials each call draws anew: SRTP keys, ICE credentials, DTLS fingerprints, RTCP names
    .replace(/\binline:[^\s|]+/g, 'inline:‹key›')
    .replace(/\b(ice-ufrag|ice-pwd|cname):\S+/gi, '$1:‹id›')
    .replace(/\b(fingerprint:\S+) [0-9A-F:]+/gi, '$1 ‹id›')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '‹ip›')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '‹id›')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '‹id›')
    .replace(/\b\d{4,}\b/g, '‹n›');
}

/** A message line as compared: a header of the call's own by its name alone, the rest masked. */
export function lineShape(line: string): string {
  const h = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
  if (h) {
    const name = h[1]!.toLowerCase();
    return IDENTITY.has(name) ? `${name}:` : `${name}: ${maskOwn(h[2]!)}`;
  }
  if (line.startsWith('o=')) return 'o=';
  return maskOwn(line);
}

/** The SIP method a response answers (`101 INVITE` → `INVITE`). */
const cseqMethod = (m: TraceMessage) => /\s(\S+)\s*$/.exec(m.sip?.cseq ?? '')?.[1]?.toUpperCase() ?? '';

/** What a message is, for aligning: `sip in INVITE`, `sip out 200 INVITE`, `admin - Participant has joined.` */
export function stepKey(m: TraceMessage): string {
  const dir = m.direction ?? '-';
  if (m.sip?.method) return `sip ${dir} ${m.sip.method}`;
  if (m.sip?.status !== undefined) return `sip ${dir} ${m.sip.status} ${cseqMethod(m)}`;
  return `${m.protocol} ${dir} ${maskOwn(m.summary.replace(/\s*\(.*\)\s*$/, '').replace(/\b(sips?|h323|tel):\S+/gi, '$1:…'))}`;
}

/** Messages alike enough to stand in one step when neither has its exact match: the same request, a response of the same kind to the same method, the same protocol's. */
function kindKey(m: TraceMessage): string {
  const dir = m.direction ?? '-';
  if (m.sip?.method) return `sip ${dir} ${m.sip.method}`;
  if (m.sip?.status !== undefined) return `sip ${dir} ${m.sip.status >= 200 ? 'final' : 'provisional'} ${cseqMethod(m)}`;
  return `${m.protocol} ${dir}`;
}

/** The lines of each message that the other has not (shapes counted, so a line twice in one and once in the other counts once). */
export function lineDifferences(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const only = (mine: readonly string[], theirs: readonly string[]) => {
    const left = new Map<string, number>();
    for (const l of theirs) {
      const s = lineShape(l);
      left.set(s, (left.get(s) ?? 0) + 1);
    }
    const out: string[] = [];
    for (const l of mine) {
      const s = lineShape(l);
      const n = left.get(s) ?? 0;
      if (n > 0) left.set(s, n - 1);
      else if (l.trim() && out.length < MAX_LINES) out.push(l);
    }
    return out;
  };
  return { onlyA: only(a, b), onlyB: only(b, a) };
}

/**
 * The two flows aligned: the alignment with the most score, a step of the same message 3, of a
 * message alike 1 (a 486 where the other had its 200), one call's message alone 0.
 */
function align(a: readonly TraceMessage[], b: readonly TraceMessage[]): { pairs: Array<[number | null, number | null]>; truncated: boolean } {
  let n = a.length;
  let m = b.length;
  let truncated = false;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    truncated = true;
    const side = Math.floor(Math.sqrt(MAX_CELLS)) - 1;
    n = Math.min(n, side);
    m = Math.min(m, Math.floor(MAX_CELLS / (n + 1)) - 1);
  }
  const ka = a.slice(0, n).map(stepKey);
  const kb = b.slice(0, m).map(stepKey);
  const sa = a.slice(0, n).map(kindKey);
  const sb = b.slice(0, m).map(kindKey);
  const W = m + 1;
  const score = new Int32Array((n + 1) * W);
  const pair = (i: number, j: number) => (ka[i] === kb[j] ? 3 : sa[i] === sb[j] ? 1 : 0);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) {
      const p = pair(i, j);
      score[i * W + j] = Math.max(p ? p + score[(i + 1) * W + j + 1]! : 0, score[(i + 1) * W + j]!, score[i * W + j + 1]!);
    }
  // when either call's message may stand alone, the one sooner after its call's start goes first
  const pairs: Array<[number | null, number | null]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const p = pair(i, j);
    const here = score[i * W + j]!;
    const down = score[(i + 1) * W + j]!;
    const right = score[i * W + j + 1]!;
    if (p && here === p + score[(i + 1) * W + j + 1]!) pairs.push([i++, j++]);
    else if (down === here && (right !== here || msIntoCall(a, i) <= msIntoCall(b, j))) pairs.push([i++, null]);
    else pairs.push([null, j++]);
  }
  while (i < a.length) pairs.push([i++, null]);
  while (j < b.length) pairs.push([null, j++]);
  return { pairs, truncated };
}

/** How long after its call's first message a message came, ms (the steps' order, and their times as shown). */
export const msIntoCall = (messages: readonly TraceMessage[], k: number): number => Date.parse(messages[k]!.time) - Date.parse(messages[0]!.time);

/** A row's text as compared: times of day and durations masked (two calls never share them). */
const rowShape = (v: string) =>
  v
    .replace(/\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?Z?/g, '‹time›')
    .replace(/\b\d\d:\d\d:\d\d(?:[.,]\d+)?/g, '‹time›')
    .replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|min|h)\b/g, '‹d›')
    .replace(/\([^()]*:\d+\)/g, '(‹line›)');

/** The summary rows of both, label by label in the order they come. */
function compareRows(a: CallTrace, b: CallTrace): CompareRow[] {
  const rowsOf = (t: CallTrace) => {
    const m = new Map<string, string[]>();
    for (const [label, value] of traceRows(t)) m.set(label, [...(m.get(label) ?? []), value]);
    if (t.call.warnings.length) m.set('Warnings', t.call.warnings);
    return m;
  };
  const ra = rowsOf(a);
  const rb = rowsOf(b);
  const labels = [...new Set([...ra.keys(), ...rb.keys()])];
  return labels.map((label) => {
    const va = ra.get(label) ?? [];
    const vb = rb.get(label) ?? [];
    const own = OWN.has(label);
    const same = va.length === vb.length && va.every((v, k) => rowShape(v) === rowShape(vb[k]!));
    return { label, a: va.join('\n') || '-', b: vb.join('\n') || '-', own, differs: !own && !same };
  });
}

/** Whether the calls differ in a step: a message of one alone, or lines that differ. */
export const stepDiffers = (s: CompareStep): boolean => s.a === null || s.b === null || s.onlyA.length > 0 || s.onlyB.length > 0;

export function compareCalls(a: CallTrace, b: CallTrace): CallComparison {
  const { pairs, truncated } = align(a.messages, b.messages);
  const steps = pairs.map(([i, j]): CompareStep => {
    if (i === null || j === null) return { a: i, b: j, onlyA: [], onlyB: [] };
    return { a: i, b: j, ...lineDifferences(a.messages[i]!.lines, b.messages[j]!.lines) };
  });
  const differing = steps.filter(stepDiffers).length;
  return { rows: compareRows(a, b), steps, differing, truncated };
}

/** A message's place in a step: its time after its call's first message, its direction and what it is. */
function cell(t: CallTrace, i: number | null, width: number): string {
  if (i === null) return '·'.padEnd(width);
  const m: TraceMessage = t.messages[i]!;
  return short(`+${(msIntoCall(t.messages, i) / 1000).toFixed(3).padStart(8)} ${arrow(m)} ${m.protocol.toUpperCase()} ${m.summary}`, width).padEnd(width);
}

/** The comparison as text, for a case note and `pexlens compare`: the rows (those that differ, or all), then the flows step by step with the lines that differ. */
export function comparisonText(a: CallTrace, b: CallTrace, c: CallComparison, all: boolean): string {
  const out: string[] = [`A: call ${a.call.id} (${a.call.protocol}, ${a.messages.length} messages)`, `B: call ${b.call.id} (${b.call.protocol}, ${b.messages.length} messages)`, ''];
  const rows = all ? c.rows : c.rows.filter((r) => r.differs);
  out.push(all ? 'Summary:' : `Summary rows that differ (${rows.length} of ${c.rows.length}):`);
  for (const r of rows) {
    out.push(`${r.differs ? '≠' : ' '} ${r.label}`);
    for (const [side, v] of [['A', r.a], ['B', r.b]] as const) for (const [k, line] of v.split('\n').entries()) out.push(`    ${k ? ' ' : side}  ${line}`);
  }
  out.push('', `Flow: ${c.steps.length} steps, ${c.differing} differ${c.truncated ? ' (too long to align whole: the tails are listed unaligned)' : ''}`);
  const W = 58;
  for (const s of c.steps) {
    const mark = s.a === null || s.b === null ? '≠' : s.onlyA.length || s.onlyB.length ? '~' : ' ';
    if (!all && mark === ' ') continue;
    out.push(`${mark} ${cell(a, s.a, W)} | ${cell(b, s.b, W).trimEnd()}`);
    for (const l of s.onlyA) out.push(`      A only: ${l}`);
    for (const l of s.onlyB) out.push(`      B only: ${l}`);
  }
  if (!all && c.differing < c.steps.length) out.push(`(${c.steps.length - c.differing} steps alike are not shown)`);
  return out.join('\n') + '\n';
}
