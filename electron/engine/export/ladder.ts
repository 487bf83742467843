/**
 * The ladder (sequence) diagram of a call as inline SVG for the HTML report. The layout (lanes
 * per party, time order, notes, collapsed idle gaps, protocol colours) and the drawing live in
 * `electron/shared/ladder-layout.ts`, shared with the app's call view (issue #6), so the report
 * shows the same picture as the screen. Plain shapes only (no markers, no url(#..) references),
 * so the file stands alone anywhere.
 */
import type { CallTrace } from '../../api.js';
import { PROTOCOL_COLORS, hostOf, laneRoles, layoutLadder, ladderSvg as drawLadder } from '../../shared/ladder-layout.js';
import { summaryRows } from '../../shared/call-text.js';
import { ladderMarks } from '../../shared/ladder-marks.js';
import { esc } from './html-escape.js';
import type { ReportContext } from './reports.js';

export { hostOf };

/** One colour per protocol (the same as the app's ladder). */
export const PROTOCOL_COLOURS = PROTOCOL_COLORS;

/** Lanes of a call's ladder: address and role ("Remote endpoint · vendor", "Signaling node"...). */
export function lanesOf(trace: CallTrace): Array<{ host: string; role: string }> {
  return laneRoles(trace.messages, trace.call).lanes.map((l) => ({ host: l.address, role: [l.title, ...l.names].join(' · ') }));
}

/** The ladder as drawn for the reports: messages numbered as the report lists them; its width and height. */
function drawn(trace: CallTrace): { svg: string; width: number; height: number } {
  // its nodes' restarts, alarms and losses of contact among the messages, as on the screen
  const marks = ladderMarks(trace);
  const layout = layoutLadder(trace.messages, trace.call, { laneWidth: 230, timeColumn: 165, marks });
  const svg = drawLadder(layout, { numbered: true, label: `ladder diagram of call ${trace.call.id}`, marks });
  const size = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg);
  return { svg, width: Number(size?.[1] ?? layout.width), height: Number(size?.[2] ?? layout.height) };
}

/** No address of anything outside in what we write (`scheme://` quoted from the log is broken up). */
const noLinks = (s: string) => s.replace(/([A-Za-z][A-Za-z0-9+.-]*):\/\//g, '$1&#58;//');

/** The SVG element of one call's ladder, messages numbered as the report lists them. */
export function ladderSvg(trace: CallTrace): string {
  // inline in HTML the SVG needs no namespace
  return noLinks(drawn(trace).svg.replace(/ xmlns="[^"]*"/g, ''));
}

/** Height of the picture's heading: three lines and the protocols' legend. */
const HEADING = 92;

/**
 * One call's ladder as a picture file of its own (SVG, `--format svg`): a heading (the call's
 * parties, start, duration and result; its id, where it came from, whether redacted) and a legend
 * of the protocols above the ladder, on white, for a case note or a ticket. It references nothing
 * outside itself.
 */
export function ladderPicture(trace: CallTrace, ctx: ReportContext): string {
  const { svg, width, height } = drawn(trace);
  const c = trace.call;
  const row = new Map(summaryRows(c));
  const W = Math.max(width, 720);
  const H = HEADING + height;
  const used = [...new Set(trace.messages.map((m) => m.protocol))];
  const text = (y: number, s: string, attrs: string) => `<text x="12" y="${y}" ${attrs}>${esc(s)}</text>`;
  const legend = used.map((p, k) => `<g transform="translate(${12 + k * 84} 76)"><rect width="18" height="4" y="-4" fill="${PROTOCOL_COLORS[p]}"/><text x="24" y="0" font-size="11" fill="#1d232b">${esc(p.toUpperCase())}</text></g>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">\n` +
    `<title>${esc(`${c.protocol} call ${c.from ?? '?'} → ${c.to ?? '?'}`)}</title>\n` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>\n` +
    text(22, `${c.protocol} call ${c.from ?? '?'} → ${c.to ?? '?'}`, 'font-size="15" font-weight="600" fill="#1d232b"') +
    text(42, `${row.get('Start')!.replace('T', ' ').replace(/Z\b/, '')} UTC · ${row.get('Duration')} · ${row.get('Result')}`, `font-size="12" fill="${c.failed ? '#b3261e' : '#1d232b'}"`) +
    text(58, `Call ${c.id} · ${ctx.sources.join(', ') || '-'} · pexlens ${ctx.version}, ${ctx.generated}${ctx.redacted ? ' · REDACTED: personal data replaced by pseudonyms' : ''}`, 'font-size="10.5" fill="#5d6875"') +
    `\n${legend}\n` +
    noLinks(svg.replace('<svg class="ladder" xmlns="http://www.w3.org/2000/svg" ', `<svg class="ladder" x="0" y="${HEADING}" `)) +
    `\n</svg>\n`
  );
}
