/**
 * exportTo for the UI: picks lines or call reports like `pexlens export` does, writes through the
 * export module (electron/engine/export) to a temporary file next to the target and renames it
 * when complete, and never overwrites an input.
 */
import { createWriteStream, existsSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import type { ExportRequest } from '../../api.js';
import type { Session } from '../session.js';
import type { CallIndex } from '../correlate/index.js';
import type { ExportResult } from '../export/index.js';
import { RpcError, UserError } from './rpc.js';

const FORMATS = ['raw', 'text', 'html', 'json'];

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    try {
      return resolve(realpathSync(dirname(p)), basename(p));
    } catch {
      return resolve(p);
    }
  }
}

/** The input the output would replace (that very file, or a file inside an input folder). */
function clashWithInput(output: string, inputs: string[]): string | null {
  const out = real(resolve(output));
  for (const p of inputs) {
    const inp = real(resolve(p));
    if (inp === out) return p;
    if (existsSync(inp) && statSync(inp).isDirectory() && out.startsWith(inp + sep)) return p;
  }
  return null;
}

export async function writeExport(
  session: Session,
  req: ExportRequest,
  path: string,
  opts: {
    /** Lines for a line export (store indexes); null: every line. Ignored when calls are given. */
    storeIndexes: Uint32Array | null;
    callIndex: () => CallIndex;
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
  const clash = clashWithInput(path, session.paths);
  if (clash) throw new UserError(`export: ${path} would overwrite the input ${clash}; choose another file`);

  let traces = null;
  let selection: Uint32Array;
  if (calls.length) {
    const index = opts.callIndex();
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
  const target = resolve(path);
  const tmp = `${target}.partial-${process.pid}-${Date.now()}`;
  const out = createWriteStream(tmp);
  try {
    await new Promise<void>((res, rej) => {
      out.once('open', () => res());
      out.once('error', (e) => rej(new UserError(`export: cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
    });
    const exportOpts = { format: req.format, redact: !!req.redact, onProgress: opts.onProgress, signal: opts.signal };
    const result = traces ? await exportCalls(session, traces, out, exportOpts) : await exportLines(session, selection, out, exportOpts);
    await new Promise<void>((res, rej) => {
      out.once('error', rej);
      out.end(() => res());
    });
    renameSync(tmp, target);
    return result;
  } catch (e) {
    out.destroy();
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    if (opts.signal?.aborted) throw new RpcError({ message: 'export cancelled', user: true, cancelled: true });
    throw e;
  }
}
