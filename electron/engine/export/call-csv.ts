/**
 * The call list as CSV, for a spreadsheet or a ticket: a header, then one row per call in the
 * list's order, with the list's columns and the ids and reasons its detail keeps. RFC 4180:
 * commas, CRLF line ends, a field holding a comma, a quote or a line break quoted (quotes
 * doubled). A field a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a
 * tab or a CR: display names and aliases come from the logs, so from anyone who places a call)
 * starts with a `'`, so opening the file never evaluates what a caller wrote (CSV injection):
 * `+4723000000` is written `'+4723000000`, which a spreadsheet shows as the text `+4723000000`.
 */
import type { CallGroup, CallSummary, ConferenceRow } from '../../api.js';
import { resultWord } from '../../shared/call-list.js';

/** A figure as written, or an empty cell when there is none. */
const numberCell = (v: number | null | undefined) => (v === null || v === undefined ? null : String(v));

const COLUMNS: Array<[header: string, cell: (c: CallSummary) => string | null]> = [
  ['Start (UTC)', (c) => c.start],
  // a start read back from the Duration, an end that is the log's: not times of the call's lines
  ['Setup not in the log', (c) => (c.startInferred ? 'yes' : null)],
  ['Up when the log ends', (c) => (c.ongoing ? 'yes' : null)],
  ['Duration (s)', (c) => (c.durationMs === null ? null : (c.durationMs / 1000).toFixed(3))],
  ['Protocol', (c) => c.protocol],
  ['Direction', (c) => c.direction],
  ['Service', (c) => c.service],
  ['Licences', (c) => numberCell(c.licenses)],
  ['Licence type', (c) => c.licenseType],
  ['From', (c) => c.from],
  ['Display name', (c) => c.displayName],
  ['To', (c) => c.to],
  ['Conference', (c) => c.conference],
  ['Conference-ID', (c) => c.conferenceId],
  ['Service tag', (c) => c.serviceTag],
  ['Remote', (c) => c.remote],
  ['Vendor', (c) => c.vendor],
  ['Signaling node', (c) => c.signalingNode],
  ['Media node', (c) => c.mediaNode],
  ['Signaling location', (c) => c.signalingLocation],
  ['Media location', (c) => c.mediaLocation],
  ['Edge node', (c) => c.proxyNode],
  ['Edge location', (c) => c.proxyLocation],
  ['Result', resultWord],
  ['Failure reason', (c) => c.failReason],
  ['Disconnect reason', (c) => c.disconnectReason],
  ['SIP seen', (c) => [...c.sipMethods, ...c.sipCodes].join(' ')],
  ['Warnings', (c) => c.warnings.join('; ')],
  // end-of-call media statistics: the worst of its streams, both directions
  ['Worst loss (%)', (c) => numberCell(c.media?.lossPct)],
  ['Worst jitter (ms)', (c) => numberCell(c.media?.jitterMs)],
  ['No media', (c) => c.media?.noMedia.join('; ') ?? ''],
  ['Call id', (c) => c.id],
  ['Other ids', (c) => c.ids.filter((x) => x !== c.id).join(' ')],
];

/** The header line, CRLF-terminated. */
export const CALL_CSV_HEADER = COLUMNS.map(([h]) => field(h)).join(',') + '\r\n';

/** One call's line, CRLF-terminated. */
export function callCsvLine(c: CallSummary): string {
  return COLUMNS.map(([, cell]) => field(cell(c) ?? '')).join(',') + '\r\n';
}

/** The call list's breakdown (`calls --group-by --csv`): a row per group, its value, calls, failed calls and calls with poor media. */
export function groupsCsv(groups: readonly CallGroup[], label: string): string {
  return csvText([[label, 'Calls', 'Failed', 'Poor media'], ...groups.map((g) => [g.value, String(g.calls), String(g.failed), String(g.poorMedia)])]);
}

/** The conference list (ConferenceRow) as CSV, a row per conference, times UTC: `pexlens calls --conferences --csv`. */
export function conferencesCsv(rows: readonly ConferenceRow[]): string {
  const head = ['Conference', 'Named', 'Service', 'Service tag', 'Instances', 'Calls', 'Failed', 'Poor media', 'Most at once', 'First call (UTC)', 'Last end (UTC)'];
  const cells = (r: ConferenceRow) => [r.name, r.named ? 'yes' : 'no', r.service ?? '', r.serviceTag ?? '', String(r.instances), String(r.calls), String(r.failed), String(r.poorMedia), String(r.peak), r.start ?? '', r.end ?? ''];
  return csvText([head, ...rows.map(cells)]);
}

/** Rows of cells as CSV records. */
const csvText = (rows: ReadonlyArray<readonly string[]>): string => rows.map((row) => row.map(field).join(',') + '\r\n').join('');

function field(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
