/**
 * The ladder (sequence) diagram of a call as inline SVG for the HTML report. The layout (lanes
 * per party, time order, notes, collapsed idle gaps, protocol colours) and the drawing live in
 * `electron/shared/ladder-layout.ts`, shared with the app's call view (issue #6), so the report
 * shows the same picture as the screen. Plain shapes only (no markers, no url(#..) references),
 * so the file stands alone anywhere.
 */
import type { CallTrace } from '../../api.js';
import { PROTOCOL_COLORS, hostOf, laneRoles, layoutLadder, ladderSvg as drawLadder } from '../../shared/ladder-layout.js';

export { hostOf };

/** One colour per protocol (the same as the app's ladder). */
export const PROTOCOL_COLOURS = PROTOCOL_COLORS;

/** Lanes of a call's ladder: address and role ("Remote endpoint · vendor", "Signaling node"...). */
export function lanesOf(trace: CallTrace): Array<{ host: string; role: string }> {
  return laneRoles(trace.messages, trace.call).lanes.map((l) => ({ host: l.address, role: [l.title, ...l.names].join(' · ') }));
}

/** The SVG element of one call's ladder, messages numbered as the report lists them. */
export function ladderSvg(trace: CallTrace): string {
  const layout = layoutLadder(trace.messages, trace.call, { laneWidth: 230, timeColumn: 165 });
  const svg = drawLadder(layout, { numbered: true, label: `ladder diagram of call ${trace.call.id}` });
  // inline in HTML the SVG needs no namespace; and the report holds no address of anything outside
  return svg.replace(/ xmlns="[^"]*"/g, '').replace(/([A-Za-z][A-Za-z0-9+.-]*):\/\//g, '$1&#58;//');
}
