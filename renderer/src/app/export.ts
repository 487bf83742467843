/**
 * What the export dialog offers and how an export reaches the user: in Electron the main process
 * asks where to save (a save dialog) and writes there; in browser mode the server writes a
 * temporary file and the page downloads it through a link carrying the session token.
 */
import type { ExportFormat, ExportRequest } from '../../../electron/api.js';
import { call, downloadHref } from '../lib/api.js';

/** One "what to export" choice: the current filter, the selected lines, this call. */
export interface ExportScope {
  id: string;
  label: string;
  /** How many lines (or messages) it holds, when known. */
  count: number | null;
  unit: string;
  disabled?: boolean;
  req: Omit<ExportRequest, 'format' | 'redact'>;
}

export interface ExportFormatChoice {
  id: ExportFormat;
  label: string;
  hint: string;
}

export const LINE_FORMATS: ExportFormatChoice[] = [
  { id: 'raw', label: 'Raw', hint: 'The lines byte for byte as in the input, in input order: the file opens again in pexlens or any tool.' },
  { id: 'text', label: 'Text', hint: 'Readable: one block per line, ^M payloads expanded into indented lines.' },
];

export const CALL_FORMATS: ExportFormatChoice[] = [
  { id: 'html', label: 'HTML report', hint: 'One self-contained file: the summary, the ladder diagram and every message decoded.' },
  { id: 'json', label: 'JSON', hint: 'The call and its messages, as `pexlens trace --json` prints them.' },
  { id: 'text', label: 'Text report', hint: 'Summary, message flow and decoded messages as plain text.' },
  { id: 'raw', label: 'Raw lines', hint: 'All log lines of the call (fragments included) byte for byte, in input order.' },
  { id: 'svg', label: 'Ladder picture (SVG)', hint: "The call's ladder diagram as a picture, with a heading (its parties, start, result): for a case note or a ticket; opens in any browser." },
];

/** A call list: a row per call, or the calls' reports or lines. */
export const CALL_LIST_FORMATS: ExportFormatChoice[] = [
  { id: 'csv', label: 'CSV', hint: 'A row per call, in the list\'s order, with its columns and ids: opens in a spreadsheet.' },
  ...CALL_FORMATS.filter((f) => f.id !== 'svg').map((f) => (f.id === 'raw' ? { ...f, hint: 'All log lines of these calls (fragments included) byte for byte, in input order.' } : { ...f, hint: `${f.hint} One report for all the calls (1,000 at most).` })),
];

export type ExportOutcome = { kind: 'saved'; path: string; bytes: number } | { kind: 'downloaded'; bytes: number } | { kind: 'dismissed' };

export async function runExport(req: ExportRequest): Promise<ExportOutcome> {
  const r = await call('exportTo', req);
  if (r.url) {
    // browser mode: the server holds the file; an attachment link makes the browser save it
    const a = document.createElement('a');
    a.href = downloadHref(r.url);
    a.download = '';
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    return { kind: 'downloaded', bytes: r.bytes };
  }
  if (r.path) return { kind: 'saved', path: r.path, bytes: r.bytes };
  return { kind: 'dismissed' }; // the save dialog was cancelled
}
