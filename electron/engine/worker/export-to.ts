/**
 * exportTo for the UI: picks lines or call reports like `pexlens export` does, writes through the
 * export module (electron/engine/export) to a temporary file next to the target and renames it
 * when complete, and never overwrites an input.
 */
import type { ExportRequest } from '../../api.js';
import type { Session } from '../session.js';
import type { CallIndex } from '../correlate/index.js';
import type { ExportResult } from '../export/index.js';
import { overwritesInput, writeToFile } from '../export/output-file.js';
import { RpcError, UserError } from './rpc.js';

const FORMATS = ['raw', 'text', 'html', 'json'];

export async function writeExport(
  session: Session,
  req: ExportRequest,
  path: string,
  opts: {
    /** Lines for a line export (store indexes); null: every line. Ignored when calls are given. */
    storeIndexes: Uint32Array | null;
    callIndex: () => Promise<CallIndex>;
    onProgress: (done: number, total: number) => void;
    /** cancelExport: stops writing, removes the partial file, rejects with a `cancelled` error. */
    signal?: AbortSignal;
  },
): Promise<ExportResult> {
  if (!FORMATS.includes(req.format)) throw new UserError(`export: unknown format '${req.format}' (raw, text, html, json)`);
  const calls = req.calls ?? [];
  // html and json are call reports; text with calls is the per-call text report (as in the CLI)
  const report = req.format === 'html' || req.format === 'json' || (req.format === 'text' && calls.length > 0);
  if (report && !calls.length) throw new UserError(`export: ${req.format} is a call report; choose the call(s) to export`);
  const clash = overwritesInput(path, session.paths);
  if (clash) throw new UserError(`export: ${path} would overwrite the input ${clash}; choose another file`);

  let traces = null;
  let selection: Uint32Array;
  if (calls.length) {
    const index = await opts.callIndex();
    const ids: string[] = [];
    for (const id of calls) {
      const c = index.find(id);
      if (!c) throw new UserError(`export: no call with id '${id}'`);
      if (!ids.includes(c.id)) ids.push(c.id);
    }
    if (report) traces = ids.map((id) => index.trace(id)!);
    const lines = new Set<number>();
    if (!report) for (const id of ids) for (const i of index.linesOf(id)) lines.add(i);
    selection = Uint32Array.from(lines).sort();
  } else if (opts.storeIndexes) selection = opts.storeIndexes;
  else {
    selection = new Uint32Array(session.store.count);
    for (let i = 0; i < selection.length; i++) selection[i] = i;
  }

  // loaded on first export: the report writers are not needed to browse
  const { exportCalls, exportLines } = await import('../export/index.js');
  const exportOpts = { format: req.format, redact: !!req.redact, onProgress: opts.onProgress, signal: opts.signal };
  try {
    return await writeToFile(
      path,
      (out) => (traces ? exportCalls(session, traces, out, exportOpts) : exportLines(session, selection, out, exportOpts)),
      (why) => new UserError(`export: cannot write ${path} (${why})`),
    );
  } catch (e) {
    if (opts.signal?.aborted) throw new RpcError({ message: 'export cancelled', user: true, cancelled: true });
    throw e;
  }
}
