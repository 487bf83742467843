/**
 * exportTo for the UI: picks lines or call reports like `pexlens export` does, writes through the
 * export module (electron/engine/export) to a temporary file next to the target and renames it
 * when complete, and never overwrites an input.
 */
import type { AuditEvent, CallSummary, ExportRequest } from '../../api.js';
import type { Session } from '../session.js';
import type { CallIndex } from '../correlate/index.js';
import type { ExportResult } from '../export/index.js';
import { overwritesInput, writeToFile } from '../export/output-file.js';
import { RpcError, UserError } from './rpc.js';
import { inContext } from '../correlate/trace-context.js';
import { EXPORT_FORMAT_IDS, isCallReport, isExportFormat } from '../../shared/export-formats.js';
import type { Registrations } from '../correlate/registrations.js';


/** Calls in one report at most: each call's decoded messages are held while the report is written. */
export const MAX_REPORT_CALLS = 1000;

export async function writeExport(
  session: Session,
  req: ExportRequest,
  path: string,
  opts: {
    /** Lines for a line export (store indexes); null: every line. Ignored when calls are given. */
    storeIndexes: Uint32Array | null;
    callIndex: () => Promise<CallIndex>;
    /** The calls of a call list view, in its order (req.callList). */
    callList: (view: NonNullable<ExportRequest['callList']>) => Promise<CallSummary[]>;
    /** The bundle's registrations (read once per load): a report says each call's parties'. */
    registrations: () => Promise<Registrations>;
    /** The bundle's audit lines (read once per load): a report says those that name its call. */
    audit: () => Promise<AuditEvent[]>;
    onProgress: (done: number, total: number) => void;
    /** cancelExport: stops writing, removes the partial file, rejects with a `cancelled` error. */
    signal?: AbortSignal;
  },
): Promise<ExportResult> {
  if (!isExportFormat(req.format)) throw new UserError(`export: unknown format '${req.format}' (${EXPORT_FORMAT_IDS.join(', ')})`);
  const listed = req.callList ? await opts.callList(req.callList) : null;
  const calls = listed ? listed.map((c) => c.id) : (req.calls ?? []);
  if (req.format === 'csv' && !listed) throw new UserError('export: csv is a call list; export one from the call list (callList)');
  // html, json and svg are call reports; text with calls is the per-call text report (as in the CLI)
  const report = isCallReport(req.format, calls.length);
  if (report && !calls.length) throw new UserError(`export: ${req.format} is a call report; choose the call(s) to export`);
  if (req.format === 'svg' && calls.length !== 1) throw new UserError(`export: an SVG picture is one call's ladder, not ${calls.length} calls`);
  if (report && calls.length > MAX_REPORT_CALLS) {
    throw new UserError(`export: ${calls.length} calls are too many for one report (${MAX_REPORT_CALLS} at most): narrow the list, or export it as CSV or raw lines`);
  }
  const clash = overwritesInput(path, session.paths);
  if (clash) throw new UserError(`export: ${path} would overwrite the input ${clash}; choose another file`);

  let traces = null;
  let selection: Uint32Array = new Uint32Array(0);
  if (req.format === 'csv') {
    // a row per call: no lines
  } else if (calls.length) {
    const index = await opts.callIndex();
    // each call once (a list's calls may number tens of thousands: a set, not a scan)
    const ids = new Set<string>();
    for (const id of calls) {
      const c = index.find(id);
      if (!c) throw new UserError(`export: no call with id '${id}'`);
      ids.add(c.id);
    }
    if (report) {
      const known = await opts.registrations();
      const audit = await opts.audit();
      traces = [...ids].map((id) => inContext(index.trace(id)!, session.store, { registrations: known, audit, calls: index.calls }));
    }
    const lines = new Set<number>();
    if (!report) for (const id of ids) for (const i of index.linesOf(id)) lines.add(i);
    selection = Uint32Array.from(lines).sort();
  } else if (opts.storeIndexes) selection = opts.storeIndexes;
  else {
    selection = new Uint32Array(session.store.count);
    for (let i = 0; i < selection.length; i++) selection[i] = i;
  }

  // loaded on first export: the report writers are not needed to browse
  const { exportCallList, exportCalls, exportLines } = await import('../export/index.js');
  const exportOpts = { format: req.format, redact: !!req.redact, onProgress: opts.onProgress, signal: opts.signal };
  try {
    return await writeToFile(
      path,
      (out) => (listed && req.format === 'csv' ? exportCallList(listed, out, exportOpts) : traces ? exportCalls(session, traces, out, exportOpts) : exportLines(session, selection, out, exportOpts)),
      (why) => new UserError(`export: cannot write ${path} (${why})`),
    );
  } catch (e) {
    if (opts.signal?.aborted) throw new RpcError({ message: 'export cancelled', user: true, cancelled: true });
    throw e;
  }
}
