/**
 * Calls of an opened bundle: one byte-level pass finds the keys (scan.ts), calls are built and
 * every line is tied to its call (build.ts), each call summarized (summary.ts). A trace decodes
 * only the lines of one call (trace.ts).
 */
import type { CallSummary, CallTrace, ConferenceSummary } from '../../api.js';
import type { Session } from '../session.js';
import type { LineStore } from '../lines/line-store.js';
import { parseFields, field } from '../lines/fields.js';
import { formatTime } from '../lines/time.js';
import { scanSteps, releaseKeyColumns, I_CONF, K_ADMIN, groupOf, orderedPieces, fragmentGaps } from './scan.js';
import { runSteps } from '../steps.js';
import type { Steps } from '../steps.js';
import type { Scan } from './scan.js';
import { buildCalls } from './build.js';
import type { Built } from './build.js';
import { summarize } from './summary.js';
import { fillNodeLocations } from './locations.js';
import { nodeOffsets } from './clock.js';
import { buildTrace } from './trace.js';
import type { TraceItem } from './trace.js';
import { policyLinesOfCall } from './external-policy.js';
import { localPolicyLinesOfCall } from './local-policy.js';

export class CallIndex {
  /** Calls by start time. */
  readonly calls: CallSummary[];
  readonly conferences: ConferenceSummary[];
  private offsets: Float64Array | null = null;

  constructor(
    readonly store: LineStore,
    readonly scan: Scan,
    readonly built: Built,
    /** Summary of each call, by call number. */
    readonly byNumber: CallSummary[],
    /** The conferences when known (read back from the cache), else found in the store. */
    conferences?: ConferenceSummary[],
  ) {
    this.calls = inListOrder(byNumber);
    this.conferences = conferences ?? conferencesOf(store, scan, this.calls);
  }

  private number(anyId: string): number {
    const id = anyId.trim();
    let k = this.scan.keys.lookup(id);
    if (k === undefined) {
      // ids are compared exactly; fall back to a case-insensitive match for hand-typed ids
      const lower = id.toLowerCase();
      for (const c of this.byNumber) if (c.ids.some((x) => x.toLowerCase() === lower)) return this.byNumber.indexOf(c);
      return -1;
    }
    return this.built.callByKey[k]!;
  }

  find(anyId: string): CallSummary | undefined {
    const n = this.number(anyId);
    return n >= 0 ? this.byNumber[n] : undefined;
  }

  /** Store indexes of every line of the call (fragments, connection lines, its policy requests, answers and local policy lines included), in view order. */
  linesOf(anyId: string): number[] {
    return this.callLines(anyId) ?? [];
  }

  /**
   * linesOf, or null for an unknown id (what `call:` asks: search/searcher.ts Correlation). With
   * its own lines, its policy requests and answers and its local policy's lines (they name no
   * call: each is given to one), so that its excerpt holds what decided its fate. (Its quality ratings are not: they are tied by
   * the participant's name alone, looser than a request's parties and address, and say how it
   * went rather than what was decided.)
   */
  callLines(anyId: string): number[] | null {
    const n = this.number(anyId);
    if (n < 0) return null;
    const own = Array.from(this.built.calls[n]!.lines);
    const id = this.byNumber[n]!.id;
    const tied = [...policyLinesOfCall(this.store, id, this.calls), ...localPolicyLinesOfCall(this.store, id, this.calls)];
    if (!tied.length) return own;
    return [...own, ...tied.map((p) => this.store.at(p))].sort((a, b) => this.viewPosition(a) - this.viewPosition(b));
  }

  /** Store lines of every call whose conference name or id `accepts` (what `conference:` adds). */
  conferenceLines(accepts: (nameOrId: string) => boolean): number[] {
    const out: number[] = [];
    this.byNumber.forEach((c, n) => {
      if ((c.conference !== null && accepts(c.conference)) || (c.conferenceId !== null && accepts(c.conferenceId))) for (const i of this.built.calls[n]!.lines) out.push(i);
    });
    return out;
  }

  /** The id of the call a store line belongs to, or null. */
  callOfLine(storeIndex: number): string | null {
    const n = this.built.lineCall[storeIndex];
    return n !== undefined && n >= 0 ? this.byNumber[n]!.id : null;
  }

  /**
   * The message a store line is one piece of (SIP split over lines sharing a Fragment-Id): its
   * pieces' store lines with their numbers, in number order; this line's number, the total and
   * the numbers missing. Null for a line that is no piece.
   */
  fragmentOf(storeIndex: number): { pieces: Array<{ line: number; number: number }>; number: number; total: number; missing: number[] } | null {
    const g = groupOf(this.scan, storeIndex);
    if (g < 0) return null;
    const group = this.scan.fragments[g]!;
    const { total, missing } = fragmentGaps(group);
    const numberOf = (line: number) => group.numbers[group.lines.indexOf(line)]!;
    return { pieces: orderedPieces(group).map((line) => ({ line, number: numberOf(line) })), number: numberOf(storeIndex), total, missing };
  }

  /** View position of a store index. */
  viewPosition(i: number): number {
    return this.store.viewPosition(i);
  }

  /** Decoded items of a call (messages with their decoder output), ordered on the common clock. */
  traceItems(anyId: string): TraceItem[] | undefined {
    const n = this.number(anyId);
    if (n < 0) return undefined;
    this.offsets ??= nodeOffsets(this.store);
    return buildTrace(this.store, this.scan, this.offsets, (i) => this.viewPosition(i), this.built.calls[n]!.lines);
  }

  trace(anyId: string): CallTrace | undefined {
    const n = this.number(anyId);
    if (n < 0) return undefined;
    const items = this.traceItems(anyId)!;
    return { call: this.byNumber[n]!, messages: items.map((it) => it.msg) };
  }
}

/** Calls in the order they are listed: by start time, then id (a copy). */
export function inListOrder(calls: CallSummary[]): CallSummary[] {
  // ISO times sort as strings; plain comparison (localeCompare is slow on many calls)
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return calls.slice().sort((a, b) => cmp(a.start ?? '', b.start ?? '') || cmp(a.id, b.id));
}

/** Conference instances: calls grouped by Conference-ID, named and timed by the created/stopped lines. */
function conferencesOf(store: LineStore, s: Scan, calls: CallSummary[]): ConferenceSummary[] {
  const byId = new Map<string, ConferenceSummary>();
  const get = (id: string) => {
    let c = byId.get(id);
    if (!c) byId.set(id, (c = { id, name: null, start: null, end: null, calls: [] }));
    return c;
  };
  const lines = [...s.confKey.keys()].sort((a, b) => a - b);
  for (const i of lines) {
    if (s.kind[i] !== K_ADMIN || !(s.info[i]! & I_CONF)) continue;
    const f = parseFields(store.text(i));
    const c = get(s.keys.value(s.confKey.get(i)!));
    c.name ??= field(f, 'Conference') ?? null;
    const t = formatTime(store.time.data[i]!);
    if (/created/i.test(f.message ?? '')) c.start ??= t;
    else c.end = t;
  }
  for (const call of calls) {
    if (!call.conferenceId) continue;
    const c = get(call.conferenceId);
    c.name ??= call.conference;
    c.calls.push(call.id);
    if (!c.start || (call.start && call.start < c.start)) c.start = call.start ?? c.start;
    if (!c.end || (call.end && call.end > c.end)) c.end = call.end ?? c.end;
  }
  return [...byId.values()].sort((a, b) => ((a.start ?? '') < (b.start ?? '') ? -1 : (a.start ?? '') > (b.start ?? '') ? 1 : 0));
}

export function buildCallIndex(session: Session, opts: { signal?: AbortSignal } = {}): CallIndex {
  return runSteps(callIndexSteps(session.store, opts.signal));
}

/** buildCallIndex in steps (../steps.ts), for the engine worker to build between requests. */
export function* callIndexSteps(store: LineStore, signal?: AbortSignal): Steps<CallIndex> {
  return yield* indexSteps(store, yield* scanSteps(store, signal), signal);
}

/** Calls from a finished scan of every line of the store. */
export function indexFromScan(store: LineStore, scan: Scan, signal?: AbortSignal): CallIndex {
  return runSteps(indexSteps(store, scan, signal));
}

/** Calls summarized between two steps of indexSteps. */
const SUMMARY_SLICE = 256;

function* indexSteps(store: LineStore, scan: Scan, signal?: AbortSignal): Steps<CallIndex> {
  const built = yield* buildCalls(store, scan);
  releaseKeyColumns(scan);
  // names, nodes, vendors, reasons repeat across thousands of calls: one string each
  const pool = new Map<string, string>();
  const summaries: CallSummary[] = [];
  for (const rec of built.calls) {
    if (signal?.aborted) throw new Error('cancelled');
    summaries.push(summarize(store, scan, rec, pool));
    if (summaries.length % SUMMARY_SLICE === 0) yield;
  }
  fillNodeLocations(summaries);
  return new CallIndex(store, scan, built, summaries);
}

export type { TraceItem } from './trace.js';
