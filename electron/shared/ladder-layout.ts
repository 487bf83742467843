/**
 * The ladder (sequence) diagram of one call, as geometry: one lane per party (remote endpoints,
 * gatekeeper, proxy node, signaling node, media node), one row per message in time order, admin
 * events as notes on the lane of the node that logged them, long idle gaps collapsed into a row
 * that shows their duration, and what happened to the call's nodes meanwhile (a restart, an
 * alarm, contact lost) as a row across the lanes at its time. Pure and dependency-free (types
 * only), so the renderer's Svelte ladder and the export's HTML report draw the same picture.
 * `ladderSvg` renders a whole layout as one SVG string for the report; the renderer draws only the
 * visible rows itself.
 */
import { UTC, wallIso } from './zone-time.js';
import type { CallSummary, TraceMessage, TraceProtocol } from '../api.js';
import type { LadderMark } from './ladder-marks.js';

export type LaneRole = 'remote' | 'gatekeeper' | 'proxy' | 'signaling' | 'media' | 'node';

export interface Lane {
  index: number;
  role: LaneRole;
  /** "Remote endpoint", "Gatekeeper", "Signaling node"... */
  title: string;
  /** The address (host without port) the lane stands for, or the node name when no address is known. */
  address: string;
  /** Node names that logged from this address, or the remote's name (display name, vendor). */
  names: string[];
  /** Centre of the lane. */
  x: number;
}

interface RowBase {
  /** Position of the row in `rows`. */
  row: number;
  y: number;
  h: number;
}

export interface MessageRow extends RowBase {
  kind: 'message' | 'note';
  /** Index of the message in the `messages` given to `layoutLadder`. */
  msg: number;
  protocol: TraceProtocol;
  label: string;
  /** Epoch ms (syslog time of the message), NaN when the line has no time. */
  t: number;
  /** Milliseconds since the first message of the layout. */
  rel: number;
  /** Lane the arrow starts at (for notes: the lane it sits on). */
  from: number;
  /** Lane the arrow points to (= `from` for a loop or a note). */
  to: number;
  /** `arrow`: directed message; `link`: a connection event without direction; `note`: admin event or log line. */
  style: 'arrow' | 'link' | 'note';
  /** Good news (joined, connected), bad news (failed, disconnected, 4xx–6xx) or nothing in particular. */
  tone: 'good' | 'bad' | null;
  /** A fragmented message with missing pieces. */
  incomplete: boolean;
}

export interface GapRow extends RowBase {
  kind: 'gap';
  durationMs: number;
  fromT: number;
  toT: number;
}

/** Something that happened to the call's nodes meanwhile (LadderOptions.marks), across the lanes at its time. */
export interface MarkRow extends RowBase {
  kind: 'mark';
  /** Index of the mark in `LadderOptions.marks`. */
  mark: number;
  t: number;
}

export type LadderRow = MessageRow | GapRow | MarkRow;

export interface LadderOptions {
  /** Protocols to show (default: all). Lanes stay the same whatever is shown. */
  protocols?: Iterable<TraceProtocol>;
  /** Pixel height of a message row (default 26). */
  rowHeight?: number;
  /** Pixel height of a collapsed gap (default 22). */
  gapHeight?: number;
  /** Idle time above which the silence is collapsed into a gap row (default 5000 ms). */
  gapMs?: number;
  /**
   * Zoom: extra pixels per second of time between consecutive rows (default 0 = rows evenly
   * spaced). The extra space per step is capped at `maxStretch` pixels (default 240).
   */
  pxPerSecond?: number;
  maxStretch?: number;
  /** Width of the time column left of the lanes (default 168). */
  timeColumn?: number;
  /** Width of one lane (default 200). */
  laneWidth?: number;
  /** Top padding above the first row (default 8). */
  top?: number;
  /**
   * What happened to the call's nodes (ladder-marks.ts), sorted by time: a row each among the
   * messages at its time, within the messages' span (one outside it is not drawn).
   */
  marks?: ReadonlyArray<{ t: number }>;
  /** Pixel height of a mark's row (default 18). */
  markHeight?: number;
}

export interface LadderLayout {
  lanes: Lane[];
  rows: LadderRow[];
  width: number;
  height: number;
  /** Epoch ms of the first message (NaN when none has a time). */
  start: number;
  end: number;
  timeColumn: number;
  laneWidth: number;
  /** Protocols present in the messages with their counts (before filtering), for the filter chips. */
  protocolCounts: Partial<Record<TraceProtocol, number>>;
}

/** One colour per protocol; mid-tone so they read on light and dark backgrounds alike. */
export const PROTOCOL_COLORS: Record<TraceProtocol, string> = {
  sip: '#2f7fd8',
  bfcp: '#9b59d0',
  q931: '#17a2a2',
  ras: '#e08a1e',
  h245: '#3fa34d',
  rest: '#d8508c',
  admin: '#7a8594',
  tcp: '#8e9aab',
  log: '#8e9aab',
};

export const PROTOCOL_NAMES: Record<TraceProtocol, string> = {
  sip: 'SIP',
  bfcp: 'BFCP',
  q931: 'H.225 Q.931',
  ras: 'H.225 RAS',
  h245: 'H.245',
  rest: 'REST',
  admin: 'Admin',
  tcp: 'TCP',
  log: 'Log',
};

/** Display order of the protocols (filter chips, legends). */
export const PROTOCOL_ORDER: TraceProtocol[] = ['sip', 'bfcp', 'ras', 'q931', 'h245', 'rest', 'tcp', 'admin', 'log'];

// The call flows between the remote (left) and the nodes; the gatekeeper, which only the node
// talks to (RAS), sits right of the nodes so its arrows do not cross the remote ↔ node ones.
const ROLE_ORDER: LaneRole[] = ['remote', 'proxy', 'signaling', 'media', 'node', 'gatekeeper'];
const ROLE_TITLES: Record<LaneRole, string> = {
  remote: 'Remote endpoint',
  gatekeeper: 'Gatekeeper',
  proxy: 'Proxy node',
  signaling: 'Signaling node',
  media: 'Media node',
  node: 'Node',
};

/** `10.0.0.1:5060` → `10.0.0.1`, `[fe80::1]:5061` → `fe80::1`; bare addresses and names unchanged. */
export function hostOf(addr: string): string {
  return hostOfAddress(addr);
}

function hostOfAddress(addr: string): string {
  const a = addr.trim();
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end > 0 ? a.slice(1, end) : a;
  }
  const colon = a.indexOf(':');
  // one colon: host:port; several: a bare IPv6 address
  if (colon >= 0 && a.indexOf(':', colon + 1) < 0) return a.slice(0, colon);
  return a;
}

const looksLikeAddress = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(s);

function toneOf(m: TraceMessage): 'good' | 'bad' | null {
  if (m.sip?.status !== undefined) return m.sip.status >= 400 ? 'bad' : null;
  const s = m.summary;
  if (/\b(fail|failed|failure|error|reject|denied|timeout|timed out)\b/i.test(s)) return 'bad';
  if (/disconnect|releaseComplete|\bBYE\b/i.test(s)) return m.protocol === 'admin' ? 'bad' : null;
  if (/\b(has joined|joined|connected)\b/i.test(s)) return 'good';
  return null;
}

/** The party lanes of a call, in display order: remote endpoints, proxy, signaling and media nodes, gatekeeper. */
export function laneRoles(messages: readonly TraceMessage[], call?: Pick<CallSummary, 'signalingNode' | 'mediaNode' | 'displayName' | 'vendor' | 'remote'> | null): {
  lanes: Omit<Lane, 'x' | 'index'>[];
  laneOf: (what: string) => number;
} {
  // which addresses are the nodes': the sender of what a node sends, the receiver of what it receives
  const local = new Map<string, Set<string>>(); // address → node names that logged there
  const nodeAddress = new Map<string, string>(); // node name → its address
  const remoteUse = new Map<string, Set<TraceProtocol>>(); // remote address → protocols seen with it
  const order = new Map<string, number>(); // first appearance
  // addresses repeat on every message: parse each once
  const hosts = new Map<string, string>();
  const hostOf = (a: string): string => {
    let h = hosts.get(a);
    if (h === undefined) hosts.set(a, (h = hostOfAddress(a)));
    return h;
  };
  const seen = (a: string) => {
    if (!order.has(a)) order.set(a, order.size);
  };
  for (const m of messages) {
    if (!m.direction) continue;
    const mine = m.direction === 'out' ? m.src : m.dst;
    if (!mine) continue;
    const h = hostOf(mine);
    let names = local.get(h);
    if (!names) local.set(h, (names = new Set()));
    if (m.node && m.node !== h) names.add(m.node);
    if (m.node && !nodeAddress.has(m.node)) nodeAddress.set(m.node, h);
  }
  for (const m of messages) {
    for (const end of [m.src, m.dst]) {
      if (!end) continue;
      const h = hostOf(end);
      seen(h);
      if (local.has(h)) continue;
      let p = remoteUse.get(h);
      if (!p) remoteUse.set(h, (p = new Set()));
      p.add(m.protocol);
    }
    if (m.node) seen(nodeAddress.get(m.node) ?? m.node);
  }
  const resolve = (node: string | null | undefined): string | null => {
    if (!node) return null;
    if (local.has(node)) return node;
    const a = nodeAddress.get(node);
    if (a) return a;
    const h = hostOf(node);
    return local.has(h) ? h : node;
  };
  // a summary's node we cannot place among the addresses (a host name never seen on signaling)
  // must not push the real signaling address aside as a "proxy"
  const named = resolve(call?.signalingNode);
  const signaling = named && (local.has(named) || local.size === 0) ? named : busiestLocal(messages, local, hostOf) ?? named;
  const media = resolve(call?.mediaNode);

  const lanes: Omit<Lane, 'x' | 'index'>[] = [];
  const add = (role: LaneRole, address: string, names: Iterable<string>) => {
    lanes.push({ role, title: ROLE_TITLES[role], address, names: [...new Set(names)] });
  };
  const byAppearance = (xs: Iterable<string>) => [...xs].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));

  let firstRemote = true;
  for (const h of byAppearance(remoteUse.keys())) {
    const protos = remoteUse.get(h)!;
    const onlyRas = [...protos].every((p) => p === 'ras');
    if (onlyRas) continue;
    const names: string[] = [];
    if (firstRemote) {
      if (call?.displayName) names.push(call.displayName);
      if (call?.vendor) names.push(call.vendor);
      firstRemote = false;
    }
    add('remote', h, names);
  }
  for (const h of byAppearance(remoteUse.keys())) if ([...remoteUse.get(h)!].every((p) => p === 'ras')) add('gatekeeper', h, []);
  const nodeNames = (h: string) => local.get(h) ?? new Set<string>();
  for (const h of byAppearance(local.keys())) if (h !== signaling && h !== media) add('proxy', h, nodeNames(h));
  if (signaling) add('signaling', signaling, nodeNames(signaling));
  if (media && media !== signaling) add('media', media, nodeNames(media));

  // nodes that logged only notes (admin lines under a host name with no address we know)
  const index = new Map<string, number>();
  lanes.forEach((l, i) => {
    index.set(l.address, i);
    for (const n of l.names) if (!index.has(n)) index.set(n, i);
  });
  for (const [name, addr] of nodeAddress) if (!index.has(name) && index.has(addr)) index.set(name, index.get(addr)!);
  for (const m of messages) {
    if (!m.node || index.has(m.node)) continue;
    const h = hostOf(m.node);
    if (index.has(h)) {
      index.set(m.node, index.get(h)!);
      continue;
    }
    // a node name that logged notes only (admin lines under a host name): with a single node
    // lane that has no name yet, it is most likely that node; otherwise it gets a lane of its own
    const nodeLanes = lanes.filter((l) => l.role === 'signaling' || l.role === 'media' || l.role === 'proxy');
    const only = nodeLanes.length === 1 ? nodeLanes[0]! : null;
    if (only && only.names.length === 0 && !looksLikeAddress(m.node)) {
      only.names.push(m.node);
      index.set(m.node, lanes.indexOf(only));
      continue;
    }
    add(lanes.some((l) => l.role === 'signaling') ? 'node' : 'signaling', m.node, []);
    index.set(m.node, lanes.length - 1);
  }
  // display order, stable within a role
  const sorted = lanes
    .map((l, i) => ({ l, i }))
    .sort((a, b) => ROLE_ORDER.indexOf(a.l.role) - ROLE_ORDER.indexOf(b.l.role) || a.i - b.i);
  const newIndex = new Map<number, number>();
  sorted.forEach((s, k) => newIndex.set(s.i, k));
  const finalIndex = new Map<string, number>();
  for (const [k, v] of index) finalIndex.set(k, newIndex.get(v)!);
  const memo = new Map<string, number>();
  return {
    lanes: sorted.map((s) => s.l),
    laneOf: (what: string) => {
      let k = memo.get(what);
      if (k === undefined) memo.set(what, (k = finalIndex.get(what) ?? finalIndex.get(hostOf(what)) ?? -1));
      return k;
    },
  };
}

function busiestLocal(messages: readonly TraceMessage[], local: Map<string, Set<string>>, hostOf: (a: string) => string): string | null {
  // the node that takes part in the most messages is the call's signaling node
  const n = new Map<string, number>();
  for (const m of messages) {
    for (const end of [m.src, m.dst]) {
      if (!end) continue;
      const h = hostOf(end);
      if (local.has(h)) n.set(h, (n.get(h) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  let most = -1;
  for (const [h, c] of n) if (c > most) (best = h), (most = c);
  return best;
}

const timeOf = (m: TraceMessage) => Date.parse(m.time);

/** Lays out the ladder of a call's messages (any order; shown in time order, stable). */
export function layoutLadder(
  messages: readonly TraceMessage[],
  call?: Pick<CallSummary, 'signalingNode' | 'mediaNode' | 'displayName' | 'vendor' | 'remote'> | null,
  opts: LadderOptions = {},
): LadderLayout {
  const rowHeight = opts.rowHeight ?? 26;
  const gapHeight = opts.gapHeight ?? 22;
  const gapMs = opts.gapMs ?? 5000;
  const pxPerSecond = opts.pxPerSecond ?? 0;
  const maxStretch = opts.maxStretch ?? 240;
  const timeColumn = opts.timeColumn ?? 168;
  const laneWidth = opts.laneWidth ?? 200;
  const top = opts.top ?? 8;
  const show = opts.protocols ? new Set(opts.protocols) : null;

  const { lanes: roles, laneOf } = laneRoles(messages, call);
  const lanes: Lane[] = roles.map((l, i) => ({ ...l, index: i, x: timeColumn + laneWidth * (i + 0.5) }));

  const protocolCounts: Partial<Record<TraceProtocol, number>> = {};
  for (const m of messages) protocolCounts[m.protocol] = (protocolCounts[m.protocol] ?? 0) + 1;

  // time order, stable; a line without a time keeps the time of the one before it
  const times: number[] = [];
  let last = NaN;
  for (const m of messages) {
    const t = timeOf(m);
    times.push(Number.isFinite(t) ? (last = t) : last);
  }
  const order = messages.map((_, i) => i);
  let sorted = true;
  for (let k = 1; k < times.length && sorted; k++) if (times[k]! < times[k - 1]!) sorted = false;
  if (!sorted) order.sort((a, b) => times[a]! - times[b]! || a - b);
  const start = order.length ? times[order[0]!]! : NaN;
  const end = order.length ? times[order[order.length - 1]!]! : NaN;

  const rows: LadderRow[] = [];
  let y = top;
  let prevT = NaN;
  /** The space before a row at time t: an idle gap, or a stretch of the time scale. */
  const spaceBefore = (t: number) => {
    if (!rows.length || !Number.isFinite(prevT) || !Number.isFinite(t)) return;
    const dt = t - prevT;
    if (dt > gapMs) {
      rows.push({ kind: 'gap', row: rows.length, y, h: gapHeight, durationMs: dt, fromT: prevT, toT: t });
      y += gapHeight;
    } else if (pxPerSecond > 0 && dt > 0) y += Math.min(maxStretch, (dt / 1000) * pxPerSecond);
  };
  // the marks within the messages' span, each before the first message after it
  const marks = opts.marks ?? [];
  const markHeight = opts.markHeight ?? 18;
  let nextMark = 0;
  while (nextMark < marks.length && !(marks[nextMark]!.t >= start)) nextMark++;
  const marksUntil = (t: number) => {
    for (; nextMark < marks.length && marks[nextMark]!.t < t && marks[nextMark]!.t <= end; nextMark++) {
      const mt = marks[nextMark]!.t;
      spaceBefore(mt);
      rows.push({ kind: 'mark', row: rows.length, y, h: markHeight, mark: nextMark, t: mt });
      y += markHeight;
      prevT = mt;
    }
  };
  for (const i of order) {
    const m = messages[i]!;
    if (show && !show.has(m.protocol)) continue;
    const t = times[i]!;
    marksUntil(t);
    spaceBefore(t);
    const nodeLane = m.node ? laneOf(m.node) : -1;
    let from = m.src ? laneOf(m.src) : -1;
    let to = m.dst ? laneOf(m.dst) : -1;
    const isNote = m.protocol === 'admin' || m.protocol === 'log' || (from < 0 && to < 0);
    if (!isNote) {
      // one end unknown: it is the node that logged the line
      if (from < 0) from = nodeLane;
      if (to < 0) to = nodeLane;
    }
    const fragments = m.fragments;
    rows.push({
      kind: isNote ? 'note' : 'message',
      row: rows.length,
      y,
      h: rowHeight,
      msg: i,
      protocol: m.protocol,
      label: m.summary,
      t,
      rel: t - start,
      from: isNote ? Math.max(nodeLane, 0) : Math.max(from, 0),
      to: isNote ? Math.max(nodeLane, 0) : Math.max(to, 0),
      style: isNote ? 'note' : m.direction ? 'arrow' : 'link',
      tone: toneOf(m),
      incomplete: !!fragments && fragments.missing.length > 0,
    });
    y += rowHeight;
    prevT = t;
  }
  marksUntil(Infinity);
  return {
    lanes,
    rows,
    width: timeColumn + laneWidth * Math.max(lanes.length, 1) + 24,
    height: y + top,
    start,
    end,
    timeColumn,
    laneWidth,
    protocolCounts,
  };
}

/** Index of the first row whose bottom is below `y` (binary search; rows are sorted by y). */
export function rowAt(rows: readonly LadderRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r.y + r.h <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows that intersect [top, bottom), for drawing only what is on screen. */
export function visibleRows(layout: LadderLayout, top: number, bottom: number): LadderRow[] {
  const first = rowAt(layout.rows, top);
  const out: LadderRow[] = [];
  for (let k = first; k < layout.rows.length; k++) {
    const r = layout.rows[k]!;
    if (r.y >= bottom) break;
    out.push(r);
  }
  return out;
}

/** `08:04:44.192`: UTC as in the log (reports, copies), or the wall clock of the zone the app shows. */
export function clockTime(ms: number, zone = UTC): string {
  if (!Number.isFinite(ms)) return '';
  return wallIso(ms, zone).slice(11, 23);
}

/** `08:04:44`: a message's time of day to the second, UTC as in the log, or in the zone shown. */
export function secondOf(iso: string, zone = UTC): string {
  return clockTime(Date.parse(iso), zone).slice(0, 8);
}

/** `+0.000`, `+12.345`, `+3:02.345`, `+1:03:02.345`: time since the call's first message. */
export function relTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '−' : '+';
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3600_000);
  rest -= h * 3600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = (rest / 1000).toFixed(3);
  if (h) return `${sign}${h}:${String(m).padStart(2, '0')}:${s.padStart(6, '0')}`;
  if (m) return `${sign}${m}:${s.padStart(6, '0')}`;
  return `${sign}${s}`;
}

/** `850 ms`, `12.4 s`, `3 min 20 s`, `2 h 05 min`: the length of a collapsed gap or a call. */
export function spanText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, '0')} s`;
  const totalM = Math.round(totalS / 60);
  return `${Math.floor(totalM / 60)} h ${String(totalM % 60).padStart(2, '0')} min`;
}

/** Cuts a label to about `px` pixels of 11px sans text (≈6.2 px a character), with an ellipsis. */
export function fitLabel(label: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.2));
  return label.length <= max ? label : label.slice(0, max - 1) + '…';
}

/**
 * Where an arrow's label goes and how much of it fits: centred over the arrow, allowed to run past
 * a short arrow (each row holds one message, so the space beside it is free) but kept inside the
 * lanes' area, right of the time column.
 */
export function arrowLabel(layout: Pick<LadderLayout, 'timeColumn' | 'width' | 'laneWidth'>, x1: number, x2: number, label: string): { x: number; text: string } {
  const span = Math.abs(x2 - x1);
  const room = layout.width - layout.timeColumn - 12;
  const max = Math.min(room, Math.max(span - 12, layout.laneWidth * 1.8));
  const text = fitLabel(label, max);
  const w = text.length * 6.2;
  const x = Math.max(layout.timeColumn + w / 2 + 6, Math.min(layout.width - w / 2 - 6, (x1 + x2) / 2));
  return { x, text };
}

/** Centre of a note box of width `w` on the lane at `x`, kept inside the lanes' area. */
export function noteCentre(layout: Pick<LadderLayout, 'timeColumn' | 'width'>, x: number, w: number): number {
  return Math.max(layout.timeColumn + w / 2 + 4, Math.min(layout.width - w / 2 - 4, x));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface LadderSvgOptions {
  /** Height of the lane headers above the rows (default 52). */
  header?: number;
  /** `aria-label` of the SVG. */
  label?: string;
  /** Prefix labels with the message number (`3. 200 OK ...`), as the report lists messages by number. */
  numbered?: boolean;
  /** Colours of plain text and muted text (the report's CSS may override them through the classes). */
  fg?: string;
  muted?: string;
  grid?: string;
  /** Background, drawn as a halo around labels so lifelines do not cut through them. */
  bg?: string;
  /** The marks the layout was given (LadderOptions.marks), with their words. */
  marks?: readonly LadderMark[];
}

/** A mark's colour: a start or a loss red, an alarm or quality gone bad orange, an end (lowered, back) muted. */
function markColor(m: Pick<LadderMark, 'kind' | 'ends'>, muted: string): string {
  return m.ends ? muted : m.kind === 'alarm' || m.kind === 'quality' ? '#e08a1e' : '#c0392b';
}

/** A mark's words on the ladder: `⚠ 08:08:23.316 10.46.10.7 could not reach 10.44.99.3`; `zone` as the ladder's clock. */
export function markLabel(m: LadderMark, zone = UTC): string {
  return `${m.ends ? '✓' : '⚠'} ${clockTime(m.t, zone)} ${m.text}`;
}

/**
 * The whole ladder as one self-contained SVG for the HTML call report: plain shapes only (arrow
 * heads are polygons, no markers or `url(#…)` references, no scripts), colours inline, and the
 * classes `ladder`, `lanehead`, `lanehost`, `lanerole`, `lifeline`, `time`, `delta`, `label`,
 * `msg`, `event`, `gap` for a stylesheet to refine.
 */
export function ladderSvg(layout: LadderLayout, opts: LadderSvgOptions = {}): string {
  const header = opts.header ?? 52;
  const fg = opts.fg ?? '#1d232b';
  const muted = opts.muted ?? '#5d6875';
  const grid = opts.grid ?? '#b8c3d0';
  const halo = ` paint-order="stroke" stroke="${opts.bg ?? '#fcfdfe'}" stroke-width="3" stroke-linejoin="round"`;
  const W = layout.width;
  const H = layout.height + header;
  const lw = layout.laneWidth;
  const out: string[] = [];
  out.push(
    `<svg class="ladder" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"${opts.label ? ` aria-label="${esc(opts.label)}"` : ''} font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
  );
  for (const l of layout.lanes) {
    out.push(`<rect x="${l.x - lw / 2 + 8}" y="4" width="${lw - 16}" height="40" rx="6" class="lanehead" fill="#eef2f7" stroke="${grid}"/>`);
    out.push(`<text x="${l.x}" y="20" class="lanehost" text-anchor="middle" font-weight="600" fill="${fg}">${esc(fitLabel(`${l.title} ${l.address}`, lw - 24))}</text>`);
    const sub = l.names.join(' · ');
    if (sub) out.push(`<text x="${l.x}" y="36" class="lanerole" text-anchor="middle" fill="${muted}">${esc(fitLabel(sub, lw - 24))}</text>`);
    out.push(`<line x1="${l.x}" y1="44" x2="${l.x}" y2="${H - 4}" class="lifeline" stroke="${grid}" stroke-dasharray="4 4"/>`);
  }
  if (!layout.lanes.length) out.push(`<text x="${layout.timeColumn}" y="28" class="lanerole" fill="${muted}">no signaling endpoints: events only</text>`);
  let n = 0;
  for (const r of layout.rows) {
    const y = r.y + header;
    if (r.kind === 'gap') {
      out.push(
        `<g class="gap"><rect x="0" y="${y + 3}" width="${W}" height="${r.h - 6}" fill="${grid}" fill-opacity="0.18"/>` +
          `<text x="8" y="${y + r.h / 2 + 4}" fill="${muted}" font-style="italic">… ${esc(spanText(r.durationMs))} idle</text></g>`,
      );
      continue;
    }
    if (r.kind === 'mark') {
      const m = opts.marks?.[r.mark];
      if (!m) continue;
      const c = markColor(m, muted);
      out.push(
        `<g class="mark"><line x1="${layout.timeColumn}" y1="${y + r.h / 2}" x2="${W - 8}" y2="${y + r.h / 2}" stroke="${c}" stroke-width="1.2" stroke-dasharray="6 3"/>` +
          `<text x="${layout.timeColumn + 8}" y="${y + r.h / 2 + 4}" fill="${c}" font-weight="600"${halo}>${esc(markLabel(m))}</text></g>`,
      );
      continue;
    }
    n++;
    const color = PROTOCOL_COLORS[r.protocol];
    const mid = y + r.h - 8;
    const label = opts.numbered ? `${n}. ${r.label}` : r.label;
    const labelColor = r.tone === 'bad' ? '#c0392b' : color;
    const title = `<title>${esc(`${opts.numbered ? `#${n} ` : ''}${clockTime(r.t)} ${PROTOCOL_NAMES[r.protocol]} ${r.label}`)}</title>`;
    out.push(`<text x="6" y="${mid + 3}" class="time" fill="${fg}" font-family="ui-monospace, monospace">${esc(clockTime(r.t))}</text>`);
    out.push(`<text x="${layout.timeColumn - 8}" y="${mid + 3}" class="delta" text-anchor="end" fill="${muted}" font-family="ui-monospace, monospace" font-size="10">${esc(relTime(r.rel))}</text>`);
    const a = layout.lanes[r.from];
    const b = layout.lanes[r.to];
    if (!a || !b) continue;
    if (r.style === 'note') {
      const w = Math.min(lw * 1.6, 16 + label.length * 6.2);
      const cx = noteCentre(layout, a.x, w);
      const fill = r.tone === 'bad' ? '#c0392b' : r.tone === 'good' ? '#3fa34d' : muted;
      out.push(
        `<g class="event">${title}<rect x="${cx - w / 2}" y="${y + 3}" width="${w}" height="${r.h - 6}" rx="8" fill="${fill}" fill-opacity="0.12" stroke="${fill}" stroke-opacity="0.6"/>` +
          `<text x="${cx}" y="${y + r.h / 2 + 4}" text-anchor="middle" class="label" fill="${fg}">${esc(fitLabel(label, w - 10))}</text></g>`,
      );
      continue;
    }
    const dash = r.style === 'link' || r.incomplete ? ' stroke-dasharray="5 3"' : '';
    if (r.from === r.to) {
      const head = r.style === 'arrow' ? `<polygon points="${a.x},${mid + 2} ${a.x + 8},${mid - 2} ${a.x + 8},${mid + 6}" fill="${color}"/>` : '';
      out.push(
        `<g class="msg">${title}<path d="M${a.x} ${mid - 8} h24 v10 h-18" fill="none" stroke="${color}" stroke-width="1.6"${dash}/>${head}` +
          `<text x="${a.x + 30}" y="${mid}" class="label" fill="${labelColor}"${halo}>${esc(fitLabel(label, lw - 40))}</text></g>`,
      );
      continue;
    }
    const dir = b.x > a.x ? 1 : -1;
    const lab = arrowLabel(layout, a.x, b.x, label + (r.incomplete ? ' ⚠' : ''));
    const end = r.style === 'arrow' ? b.x - dir * 8 : b.x;
    const head = r.style === 'arrow' ? `<polygon points="${b.x},${mid} ${b.x - dir * 9},${mid - 4.5} ${b.x - dir * 9},${mid + 4.5}" fill="${color}"/>` : '';
    out.push(
      `<g class="msg">${title}<line x1="${a.x}" y1="${mid}" x2="${end}" y2="${mid}" stroke="${color}" stroke-width="1.6"${dash}/>${head}` +
        `<text x="${lab.x}" y="${mid - 4}" text-anchor="middle" class="label" fill="${labelColor}"${halo}>${esc(lab.text)}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
