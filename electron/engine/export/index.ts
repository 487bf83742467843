/**
 * Exports: the excerpt a case needs, written to any writable stream, for the CLI and the UI.
 *
 *   exportLines(session, storeIndexes, out, { format: 'raw' | 'text', redact, onProgress, signal })
 *     raw  – the selected lines byte for byte as in the input (damaged and non-UTF-8 lines too),
 *            in input order: stream by stream, files oldest first. With `redact` each line is
 *            redacted and still written as one line with its own line break (the bytes of a
 *            line that is not UTF-8 are then decoded, invalid bytes become U+FFFD).
 *     text – readable: each line as text, its `^M` payload expanded into indented lines, in the
 *            order given (the view order); a `#` header says what it is and whether redacted.
 *   exportCalls(session, traces, out, { format: 'html' | 'json' | 'text', ... })
 *     html – one self-contained report: summary, inline SVG ladder, every message decoded.
 *     json – as `pexlens trace --json` (one CallTrace, or an array for several calls).
 *     text – per-call summary, flow and decoded messages.
 *     svg  – one call's ladder as a picture: a heading (the call, its result) over the ladder.
 *   exportCallList(calls, out, { format: 'csv', ... })
 *     csv  – the call list: a row per call, in the order given (call-csv.ts).
 *
 * Progress: `onProgress(done, total)` at most every 100 ms and once at the end (lines, or
 * messages for reports; a redacted line export counts its learning pass too, total = 2×lines).
 * Cancel with `signal`: the promise rejects with an `AbortError` (`ExportAborted`); what was
 * written so far stays in `out` — the CLI writes to a temporary file and removes it.
 * Redaction learns from the whole selection first and only then writes, so every occurrence of
 * a personal value — before or after the line that revealed it — gets the same stand-in. Pass
 * your own `redactor` to keep pseudonyms consistent across several exports.
 */
import { basename } from 'node:path';
import type { CallSummary, CallTrace, ExportFormat, PlatformInfo } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { Redactor } from './redact.js';
import { Sink, ExportAborted } from './sink.js';
import { inputOrder, learnLines, toIndexArray, writeRaw, writeText, yieldNow } from './lines.js';
import { writeHtml, writeJson, writeTextReport } from './reports.js';
import { ladderPicture } from './ladder.js';
import type { ReportContext } from './reports.js';
import { version } from '../../cli/version.js';
import { CALL_CSV_HEADER, callCsvLine } from './call-csv.js';
import { platformWords } from '../../shared/platform-words.js';

export { Redactor } from './redact.js';
export { ExportAborted } from './sink.js';
export { REDACTION_NOTE } from './reports.js';

export interface ExportOptions {
  format: ExportFormat;
  redact?: boolean;
  /** Reuse pseudonyms across exports (implies redact). */
  redactor?: Redactor;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface ExportResult {
  /** Lines written (line exports) or messages written (call reports). */
  lines: number;
  bytes: number;
  /** For call reports: the number of calls. */
  calls?: number;
}

/** What an export needs of a session (a Session works; tests may pass a bare store). */
export interface ExportSource {
  store: LineStore;
  /** A snapshot's platform status files: the reports name its software version. */
  platforms?: PlatformInfo[];
}

function redactorOf(opts: ExportOptions): Redactor | null {
  return opts.redactor ?? (opts.redact ? new Redactor() : null);
}

async function finish(sink: Sink, done: number, total: number): Promise<void> {
  await sink.flush();
  sink.report(done, total, true);
}

export async function exportLines(session: ExportSource, storeIndexes: Iterable<number> | Uint32Array, out: NodeJS.WritableStream, opts: ExportOptions): Promise<ExportResult> {
  if (opts.format !== 'raw' && opts.format !== 'text') throw new Error(`line export supports raw and text, not ${opts.format} (reports need calls)`);
  const store = session.store;
  const sink = new Sink(out, opts.signal, opts.onProgress);
  sink.check();
  let sel = toIndexArray(storeIndexes);
  for (const i of sel) if (i >= store.count) throw new RangeError(`line ${i} is not in the store (${store.count} lines)`);
  if (opts.format === 'raw') sel = inputOrder(store, sel);
  const redactor = redactorOf(opts);
  const total = redactor ? 2 * sel.length : sel.length;
  let base = 0;
  if (redactor) {
    await learnLines(store, sel, redactor, sink, total);
    redactor.learned();
    base = sel.length;
  }
  if (opts.format === 'raw') await writeRaw(store, sel, sink, redactor, base, total);
  else {
    const files = [...new Set(Array.from(sel.slice(0, 100000), (i) => store.fileOf(i).display))].map((f) => (redactor ? redactor.redactText(basename(f)) : f));
    let head = `# pexlens ${version} text export: ${sel.length} line(s) from ${files.join(', ') || '-'}\n`;
    if (redactor) head += `# REDACTED: personal data replaced by consistent pseudonyms; correlation ids kept\n`;
    await sink.write(head + '\n');
    await writeText(store, sel, sink, redactor, base, total);
  }
  await finish(sink, total, total);
  return { lines: sel.length, bytes: sink.bytes };
}

export async function exportCalls(session: ExportSource | null, traces: CallTrace[], out: NodeJS.WritableStream, opts: ExportOptions): Promise<ExportResult> {
  if (opts.format === 'raw') throw new Error('a raw export is made of lines: use exportLines with the lines of the call');
  const sink = new Sink(out, opts.signal, opts.onProgress);
  sink.check();
  const redactor = redactorOf(opts);
  let list = traces;
  const total = traces.reduce((n, t) => n + t.messages.length, 0);
  if (redactor) {
    // learn from everything first (the source lines too, when the session is at hand)
    for (const t of traces) {
      redactor.learnTrace(t);
      if (session) for (const m of t.messages) for (const p of m.indexes) if (p < session.store.count) redactor.learnLine(session.store.text(session.store.at(p)));
      await yieldNow();
      sink.check();
    }
    redactor.learned();
    list = traces.map((t) => redactor.redactTrace(t));
  }
  const sources = new Set<string>();
  for (const t of traces) for (const m of t.messages) for (const s of m.sources) sources.add(s.file);
  const ctx: ReportContext = {
    // a redacted report names files only (a local path can name a person or a customer)
    sources: [...sources].map((s) => (redactor ? redactor.redactText(basename(s)) : s)),
    generated: new Date().toISOString(),
    version,
    platform: session?.platforms?.map(platformWords).join(', ') || null,
    redacted: !!redactor,
  };
  let done = 0;
  const onMessage = () => {
    done++;
    if ((done & 255) === 0) sink.check();
    sink.report(done, total);
  };
  if (opts.format === 'html') await writeHtml(list, ctx, sink, onMessage);
  else if (opts.format === 'json') await writeJson(list, ctx, sink, onMessage);
  else if (opts.format === 'text') await writeTextReport(list, ctx, sink, onMessage);
  else if (opts.format === 'svg') {
    if (list.length !== 1) throw new Error(`an SVG picture is one call's ladder, not ${list.length} calls`);
    await sink.write(ladderPicture(list[0]!, ctx));
    list[0]!.messages.forEach(() => onMessage());
  }
  else throw new Error(`unknown report format ${String(opts.format)}`);
  await finish(sink, total, total);
  return { lines: total, bytes: sink.bytes, calls: traces.length };
}

/** The call list as CSV (call-csv.ts); with `redact`, its personal values replaced as in a call report. */
export async function exportCallList(calls: CallSummary[], out: NodeJS.WritableStream, opts: ExportOptions): Promise<ExportResult> {
  if (opts.format !== 'csv') throw new Error(`a call list is exported as csv, not ${opts.format}`);
  const sink = new Sink(out, opts.signal, opts.onProgress);
  sink.check();
  const redactor = redactorOf(opts);
  const list = redactor ? redactSummaries(calls, redactor) : calls;
  await sink.write(CALL_CSV_HEADER);
  for (let k = 0; k < list.length; k++) {
    await sink.write(callCsvLine(list[k]!));
    sink.report(k + 1, list.length);
  }
  await finish(sink, list.length, list.length);
  return { lines: list.length, bytes: sink.bytes, calls: list.length };
}

/**
 * Call summaries with their personal values replaced (as in a redacted call report): every
 * call's values are learned first, so that a value has one stand-in throughout, in a reason of
 * another call too.
 */
export function redactSummaries(calls: CallSummary[], redactor = new Redactor()): CallSummary[] {
  for (const call of calls) redactor.learnTrace({ call, messages: [] });
  redactor.learned();
  return calls.map((call) => redactor.redactTrace({ call, messages: [] }).call);
}

export function isAbort(e: unknown): boolean {
  return e instanceof ExportAborted || (e as Error)?.name === 'AbortError';
}
