/**
 * Every export format in one table: the file it makes (its extension, what a save dialog calls
 * it, its media type for a download), and what it is made of. The CLI, the engine's export, the
 * browser mode's downloads and the Electron save dialog all read it.
 */
import type { ExportFormat } from '../api.js';

export const EXPORT_FORMATS: Record<ExportFormat, { ext: string; name: string; mime: string }> = {
  raw: { ext: 'log', name: 'Log', mime: 'application/octet-stream' },
  text: { ext: 'txt', name: 'Text', mime: 'text/plain; charset=utf-8' },
  html: { ext: 'html', name: 'HTML report', mime: 'text/html; charset=utf-8' },
  json: { ext: 'json', name: 'JSON', mime: 'application/json' },
  csv: { ext: 'csv', name: 'CSV', mime: 'text/csv; charset=utf-8' },
  svg: { ext: 'svg', name: 'SVG picture', mime: 'image/svg+xml' },
};

export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormat[];

export const isExportFormat = (f: unknown): f is ExportFormat => typeof f === 'string' && Object.hasOwn(EXPORT_FORMATS, f);

/** Whether an export of `calls` named calls in this format is made of their reports (html, json, svg; text when calls are named) rather than lines. */
export const isCallReport = (f: ExportFormat, calls: number): boolean => f === 'html' || f === 'json' || f === 'svg' || (f === 'text' && calls > 0);
