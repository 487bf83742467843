/**
 * One call's summary: counts from the scan's typed arrays, facts from the few lines that state
 * them (admin lifecycle lines, the first INVITE or setup), warnings from responses, fragments,
 * ICE and PIN events. Only those few lines are parsed.
 */
import type { CallSummary } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { parseFields, field } from '../lines/fields.js';
import { MEDIA_MESSAGE, worstMediaOfText } from '../../shared/media-stats.js';
import { formatTime, timeOrNull } from '../lines/time.js';
import { decodeQ931, decodeRas } from '../decoders/h323.js';
import { decodeSip } from '../decoders/sip.js';
import { decodeBfcp } from '../decoders/bfcp.js';
import { picker, pickInto, sipHeaderBytes, uriOf } from './pick.js';
import {
  I_ATTEMPT, I_DISCONNECTED, I_FAILED, I_JOINED, I_PAYLOAD, K_ADMIN, K_BFCP, K_H245, K_LOG, K_Q931, K_RAS, K_REST, K_SIP,
  SIP_INVITE, SIP_METHODS, SIP_RESPONSE,
} from './scan.js';
import { fragmentGaps, groupOf, joinFragments, leadingPieces } from './scan.js';
import type { Scan } from './scan.js';
import { rotationGaps } from '../lines/streams.js';
import type { CallRec } from './build.js';

/** The first INVITE's headers a summary reads its parties and vendor from. */
const INVITE_HEADERS = ['from', 'to', 'user-agent'];

const LIFECYCLE = picker(['direction', 'participant', 'conferencealias', 'conference', 'conference-id', 'displayname', 'remote-address', 'vendor', 'signaling-node', 'media-node', 'reason', 'detail', 'duration', 'service-type', 'licenses', 'license-type', 'location', 'signaling-location', 'proxy-node', 'proxy-location', 'service-tag']);
// positions in LIFECYCLE
const L_DIRECTION = 0, L_PARTICIPANT = 1, L_ALIAS = 2, L_CONFERENCE = 3, L_CONFERENCE_ID = 4, L_DISPLAYNAME = 5, L_REMOTE = 6;
const L_VENDOR = 7, L_SIGNALING = 8, L_MEDIA = 9, L_REASON = 10, L_DETAIL = 11, L_DURATION = 12, L_SERVICE = 13;
const L_LICENSES = 14, L_LICENSE_TYPE = 15, L_LOCATION = 16, L_SIGNALING_LOCATION = 17;
const L_PROXY_NODE = 18, L_PROXY_LOCATION = 19, L_SERVICE_TAG = 20;
const INVITE = picker(['message', 'src-address', 'dst-address']);
const DETAIL = picker(['detail']);
const LOCATION = picker(['location']);
/** Reused value slots of pickInto (summaries run one at a time). */
const slots: Array<string | undefined> = [];
const PAYLOAD_OPEN = Buffer.from('="^M');
const CONNECT = Buffer.from('h323_message_body: connect');
/** Marks of the warning lines a summary reads (calls-only.ts keeps those lines' text). */
export const FAIL = Buffer.from('fail');
const PIN = Buffer.from('PIN');
/** A guest whose host never joined is cut: the admission's warning. */
const HOST_TIMEOUT = Buffer.from('Conference host timeout');
/** A floor request refused: BFCP's request status, H.239's token response (its reject is parameter 127). */
const DENIED = Buffer.from('Denied');
const TOKEN_RESPONSE = Buffer.from('presentationTokenResponse');
const TOKEN_REJECT = Buffer.from('standard: 127');
/** Whether a line's text may make a warning of its call (calls-only.ts keeps the text of such lines). */
export const adminWarns = (c: Buffer): boolean => c.includes(PIN) || c.includes(HOST_TIMEOUT);
export const bfcpWarns = (c: Buffer): boolean => c.includes(DENIED);
export const h245Warns = (c: Buffer): boolean => c.includes(TOKEN_RESPONSE) && c.includes(TOKEN_REJECT);
export const MEDIA = Buffer.from(`Message="${MEDIA_MESSAGE}"`);

/**
 * How far before a call's first line its disconnect's Duration must reach for its setup to count
 * as not in the log. Duration runs from the join, which follows the call's first line; the slack
 * covers a node's clock against the time the line was received (~1 s seen).
 */
const BEFORE_LOG_SLACK_MS = 5000;

/** Where a gap in the log (a missing rotation) ends, the last one's, per store (−Infinity: none). */
const gapEnds = new WeakMap<LineStore, number>();
function lastGapEnd(store: LineStore): number {
  let t = gapEnds.get(store);
  if (t === undefined) gapEnds.set(store, (t = Math.max(-Infinity, ...rotationGaps(store).map((g) => (Number.isNaN(g.to) ? Infinity : g.to)))));
  return t;
}

/** Module ids by name in a store (−1 when absent), looked up once per store. */
const moduleIds = new WeakMap<LineStore, Map<string, number>>();
function moduleId(store: LineStore, name: string): number {
  let ids = moduleIds.get(store);
  if (!ids) moduleIds.set(store, (ids = new Map()));
  let id = ids.get(name);
  if (id === undefined) ids.set(name, (id = store.names.values.indexOf(name)));
  return id;
}
const iceName = (store: LineStore) => moduleId(store, 'support.ice');

/**
 * One call's summary. `pool` (optional) shares equal strings between summaries: names, nodes,
 * vendors, reasons repeat across thousands of calls.
 */
export function summarize(store: LineStore, s: Scan, rec: CallRec, pool?: Map<string, string>): CallSummary {
  const counts = { sip: 0, bfcp: 0, q931: 0, ras: 0, h245: 0, rest: 0, admin: 0 };
  const sipMethods: string[] = [];
  const sipCodes: number[] = [];
  const warnings: string[] = [];
  const groups = new Set<number>();
  let start = Infinity;
  let end = -Infinity;
  let firstInvite = -1;
  let setupLine = -1;
  let has2xx = false;
  let finalFail = -1;
  let connected = false;
  let q931Last = -1;
  let rasFirst = -1;
  let rasLast = -1;
  let rasReject: string | null = null;
  const lifecycle: number[] = [];
  const warnLines: number[] = [];
  // signaling lines per node, nodes in order of first appearance (few per call)
  const nodeIds: number[] = [];
  const nodeLines: number[] = [];
  const time = store.time.data;
  const nodeCol = store.node.data;
  const kindCol = s.kind;
  const infoCol = s.info;
  const bump = (node: number) => {
    const k = nodeIds.indexOf(node);
    if (k >= 0) nodeLines[k]!++;
    else nodeIds.push(node), nodeLines.push(1);
  };
  const ice = iceName(store);
  const participant = moduleId(store, 'support.participant');
  const mediaLines: number[] = [];
  for (const i of rec.lines) {
    const t = time[i]!;
    if (t < start) start = t;
    if (t > end) end = t;
    const info = infoCol[i]!;
    switch (kindCol[i]) {
      case K_SIP: {
        const g = groupOf(s, i);
        if (g >= 0) {
          if (groups.has(g)) break;
          groups.add(g);
        } else if (!(info & I_PAYLOAD)) break;
        counts.sip++;
        bump(nodeCol[i]!);
        const startLine = s.sipStart[i]!;
        if (startLine === SIP_INVITE && firstInvite < 0) firstInvite = i;
        const method = SIP_METHODS[startLine - 1];
        if (method && !sipMethods.includes(method)) sipMethods.push(method);
        if (startLine === SIP_RESPONSE) {
          const st = s.sipStatus[i]!;
          if (st > 0 && !sipCodes.includes(st)) sipCodes.push(st);
          if (st >= 200 && st < 300) has2xx = true;
          if (st >= 400) {
            warnLines.push(i);
            if (finalFail < 0) finalFail = i;
          }
        }
        break;
      }
      case K_BFCP:
        counts.bfcp++;
        if (bfcpWarns(store.content(i))) warnLines.push(i);
        break;
      case K_Q931:
        if (info & I_PAYLOAD) {
          counts.q931++;
          q931Last = i;
          if (info & 2 && setupLine < 0) setupLine = i;
          const c = store.content(i);
          const at = c.indexOf(CONNECT);
          if (at >= 0 && at < 400) connected = true;
          bump(nodeCol[i]!);
        }
        break;
      case K_RAS:
        counts.ras++;
        bump(nodeCol[i]!);
        if (rasFirst < 0) rasFirst = i;
        rasLast = i;
        break;
      case K_H245:
        if (info & I_PAYLOAD) {
          counts.h245++;
          if (h245Warns(store.content(i))) warnLines.push(i);
        }
        break;
      case K_REST:
        counts.rest++;
        bump(nodeCol[i]!);
        break;
      case K_ADMIN:
        counts.admin++;
        if (info & (I_ATTEMPT | I_JOINED | I_FAILED | I_DISCONNECTED)) lifecycle.push(i);
        else if (adminWarns(store.content(i))) warnLines.push(i);
        break;
      case K_LOG:
        if (store.name.data[i] === ice && store.content(i).includes(FAIL)) warnLines.push(i);
        else if (store.name.data[i] === participant && store.content(i).includes(MEDIA)) mediaLines.push(i);
        break;
    }
  }
  for (const g of groups) {
    const lines = s.fragments[g]!.lines;
    const { total, missing } = fragmentGaps(s.fragments[g]!);
    if (missing.length) warnings.push(`SIP message with missing fragment${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${total} (${store.fileOf(lines[0]!).display}:${store.lineNumber(lines[0]!)})`);
  }

  const sum: CallSummary = {
    id: s.keys.value(rec.key),
    ids: [...rec.aliases].map((k) => s.keys.value(k)),
    protocol: rec.protocol,
    start: timeOrNull(start),
    end: timeOrNull(end),
    durationMs: Number.isFinite(start) && Number.isFinite(end) ? end - start : null,
    startInferred: false,
    ongoing: false,
    noOutcome: false,
    conference: null,
    conferenceId: null,
    from: null,
    to: null,
    displayName: null,
    remote: null,
    vendor: null,
    signalingNode: null,
    mediaNode: null,
    signalingLocation: null,
    mediaLocation: null,
    proxyNode: null,
    proxyLocation: null,
    serviceTag: null,
    direction: null,
    service: null,
    licenses: null,
    licenseType: null,
    failed: false,
    failReason: null,
    disconnectReason: null,
    counts,
    sipMethods,
    sipCodes: sipCodes.sort((a, b) => a - b),
    warnings,
    media: null,
  };
  // end-of-call media statistics: the worst loss and jitter of its streams
  for (const i of mediaLines) {
    const [detail] = pickInto(store, i, DETAIL, slots);
    if (detail) sum.media = worstMediaOfText(detail, sum.media ?? undefined);
  }

  // signaling facts: the first INVITE (its headers read from bytes), or the setup
  if (firstInvite >= 0) {
    const f = pickInto(store, firstInvite, INVITE, slots);
    const inbound = /^Receiv/i.test(f[0] ?? '');
    sum.remote = (inbound ? f[1] : f[2]) ?? null;
    // a fragmented INVITE: headers from the pieces joined in number order, up to a missing one
    const g = groupOf(s, firstInvite);
    let payload: Buffer;
    if (g < 0) {
      const c = store.content(firstInvite);
      const at = c.indexOf(PAYLOAD_OPEN);
      payload = at < 0 ? Buffer.alloc(0) : c.subarray(at + 2, c[c.length - 1] === 34 ? c.length - 1 : c.length);
    } else {
      const { lines, whole } = leadingPieces(s.fragments[g]!);
      payload = joinFragments(store, lines);
      // a piece missing after them: their last line may be a header cut short (`User-Agent: Cisco-S`)
      if (!whole) payload = payload.subarray(0, Math.max(0, payload.lastIndexOf('^M')));
    }
    const h = sipHeaderBytes(payload, INVITE_HEADERS);
    sum.from = uriOf(h.from);
    sum.to = uriOf(h.to);
    if (inbound && h['user-agent']) sum.vendor = h['user-agent'];
    // who set the call up: an INVITE with a To tag is within a dialog (its setup is not in the log)
    if (h.to !== undefined && !/;\s*tag=/i.test(h.to)) sum.direction = inbound ? 'in' : 'out';
  }
  if (setupLine >= 0) {
    const f = parseFields(store.text(setupLine));
    const d = decodeQ931(f);
    sum.from = d.info?.from ?? null;
    sum.to = d.info?.to ?? null;
    sum.remote = (d.direction === 'in' ? field(f, 'Src-Address') : field(f, 'Dst-Address')) ?? null;
    if (d.info?.vendor) sum.vendor = d.info.vendor;
    if (d.direction) sum.direction = d.direction;
  }
  if (rec.protocol === 'H323' && setupLine < 0 && rasFirst >= 0) {
    // rejected before any setup (LRQ/ARQ answered with a reject): what the RAS exchange says
    for (const i of [rasFirst, rasLast]) {
      const f = parseFields(store.text(i));
      const d = decodeRas(f);
      sum.to ??= d.info?.to ?? null;
      sum.from ??= d.info?.from ?? null;
      if (d.info?.reason && /Reject$/.test(d.info.type ?? '')) rasReject = d.info.reason;
      // a gatekeeper asking the node where an alias is: a call coming to it
      if (d.info?.type === 'locationRequest' && sum.direction === null) sum.direction = d.direction;
      sum.remote ??= (d.direction === 'in' ? field(f, 'Src-Address') : field(f, 'Dst-Address')) ?? null;
    }
  }
  let top = -1;
  let topN = 0;
  for (let k = 0; k < nodeIds.length; k++) if (nodeLines[k]! > topN) (top = nodeIds[k]!), (topN = nodeLines[k]!);
  if (top >= 0) sum.signalingNode = store.nodes.values[top]!;

  // administrator lifecycle: what the conference saw
  let joined = false;
  for (const i of lifecycle) if (s.info[i]! & I_JOINED) joined = true;
  let failedAdmin = false;
  let disconnected = false;
  // joined / disconnected / failed lines say all an attempt line says: read those alone when present
  const telling = lifecycle.filter((i) => !(s.info[i]! & I_ATTEMPT));
  for (const i of telling.length ? telling : lifecycle) {
    const f = pickInto(store, i, LIFECYCLE, slots);
    const info = s.info[i]!;
    const dir = f[L_DIRECTION];
    const participant = f[L_PARTICIPANT];
    const alias = f[L_ALIAS];
    // the service name is known once the call reached a conference; a failed call has only the alias dialed (in `to`)
    sum.conference = f[L_CONFERENCE] ?? sum.conference;
    sum.conferenceId = f[L_CONFERENCE_ID] ?? sum.conferenceId;
    sum.displayName = f[L_DISPLAYNAME] ?? sum.displayName;
    sum.remote = sum.remote ?? f[L_REMOTE] ?? null;
    sum.vendor = sum.vendor ?? f[L_VENDOR] ?? null;
    sum.signalingNode = f[L_SIGNALING] ?? sum.signalingNode;
    sum.mediaNode = f[L_MEDIA] ?? sum.mediaNode;
    sum.signalingLocation = f[L_SIGNALING_LOCATION] ?? sum.signalingLocation;
    // an attempt's Location is where it arrived, before media had a node
    if (info & I_ATTEMPT) sum.signalingLocation = sum.signalingLocation ?? f[L_LOCATION] ?? null;
    else sum.mediaLocation = f[L_LOCATION] ?? sum.mediaLocation;
    sum.proxyNode = f[L_PROXY_NODE] ?? sum.proxyNode;
    sum.proxyLocation = f[L_PROXY_LOCATION] ?? sum.proxyLocation;
    sum.service = f[L_SERVICE] ?? sum.service;
    // (most services are untagged: an empty tag says nothing)
    sum.serviceTag = f[L_SERVICE_TAG] || sum.serviceTag;
    const held = f[L_LICENSES];
    if (held !== undefined && /^\d{1,6}$/.test(held)) sum.licenses = Number(held);
    sum.licenseType = f[L_LICENSE_TYPE] ?? sum.licenseType;
    // the conference's word for the direction over the signaling's
    if (dir === 'in' || dir === 'out') sum.direction = dir;
    if (sum.from === null && sum.to === null && participant) {
      if (dir === 'out') (sum.from = alias ?? null), (sum.to = participant);
      else (sum.from = participant), (sum.to = alias ?? null);
    }
    if (info & I_JOINED) joined = true;
    if (info & I_FAILED) {
      failedAdmin = true;
      sum.failReason = f[L_REASON] ?? sum.failReason;
    }
    if (info & I_DISCONNECTED) {
      disconnected = true;
      sum.disconnectReason = f[L_DETAIL] ?? f[L_REASON] ?? sum.disconnectReason;
      const dur = Number(f[L_DURATION]);
      if (Number.isFinite(dur) && dur > 0) {
        sum.durationMs = Math.round(dur * 1000);
        // in the conference longer than its lines go back: its setup is not in the log (a rotated-away
        // head, or a missing rotation)
        const joinedAt = time[i]! - sum.durationMs;
        if (joinedAt < start - BEFORE_LOG_SLACK_MS) (sum.start = formatTime(joinedAt)), (sum.startInferred = true);
      }
    }
  }
  // a call whose telling lines name no signaling location (one that failed, a WebRTC call's join): where its attempt arrived
  if (sum.signalingLocation === null && telling.length) {
    for (const i of lifecycle) if (s.info[i]! & I_ATTEMPT) sum.signalingLocation = pickInto(store, i, LOCATION, slots)[0] ?? sum.signalingLocation;
  }

  const answered = joined || has2xx || connected;
  const byeOrCancel = sipMethods.includes('BYE') || sipMethods.includes('CANCEL');
  // the last Q.931 message is a release: decoded only when asked (most calls' end is said otherwise)
  let releasedSeen: boolean | undefined;
  const released = () => (releasedSeen ??= q931Last >= 0 && decodeQ931(parseFields(store.text(q931Last))).info?.type === 'releaseComplete');
  // failed: the conference said so; else the signaling: refused or ended without an answer. With
  // neither (attempt lines at most: the log ends or lacks a file while it is set up), no outcome
  if (telling.length) sum.failed = failedAdmin && !joined;
  else if (answered) sum.failed = false;
  else if (finalFail >= 0 || rasReject !== null || byeOrCancel || released()) sum.failed = true;
  else sum.noOutcome = true;
  // connected, and nothing of its end in the bundle: still up when the log ends (its newer files not sent)
  if (!sum.failed && !disconnected && answered && !byeOrCancel && !released()) {
    const logEnd = store.timeSpan().to;
    // a call whose last line comes before a gap in the log may have ended in it: its end is not known
    if (logEnd >= end && Number.isFinite(start) && end > lastGapEnd(store)) {
      sum.ongoing = true;
      sum.end = formatTime(logEnd);
      sum.durationMs = logEnd - start;
    }
  }
  if (sum.failed && !sum.failReason) {
    if (finalFail >= 0) sum.failReason = decodeSip(parseFields(store.text(finalFail))).summary.replace(/ \(.*$/, '');
    else if (q931Last >= 0) sum.failReason = decodeQ931(parseFields(store.text(q931Last))).info?.reason ?? null;
    else sum.failReason = rasReject;
  }

  for (const i of warnLines) {
    const f = parseFields(store.text(i));
    const at = `${store.fileOf(i).display}:${store.lineNumber(i)}`;
    if (s.kind[i] === K_SIP) warnings.push(`SIP ${decodeSip(f).summary} (${at})`);
    else if (s.kind[i] === K_LOG) warnings.push(`ICE: ${f.message ?? ''} (${at})`);
    else if (s.kind[i] === K_BFCP) warnings.push(`Presentation: ${decodeBfcp(f).summary} (${at})`);
    else if (s.kind[i] === K_H245) warnings.push(`Presentation: H.239 presentationTokenResponse reject (${at})`);
    else if (/host timeout/i.test(f.message ?? '')) warnings.push(`Admission: ${f.message ?? ''} (${at})`);
    else if (/incorrect|exceeded|timed out|fail/i.test(f.message ?? '')) warnings.push(`PIN: ${f.message ?? ''} (${at})`);
  }
  if (pool) {
    const share = (v: string | null) => {
      if (v === null) return v;
      const have = pool.get(v);
      if (have !== undefined) return have;
      pool.set(v, v);
      return v;
    };
    sum.conference = share(sum.conference);
    sum.conferenceId = share(sum.conferenceId);
    sum.from = share(sum.from);
    sum.to = share(sum.to);
    sum.displayName = share(sum.displayName);
    sum.remote = share(sum.remote);
    sum.vendor = share(sum.vendor);
    sum.signalingNode = share(sum.signalingNode);
    sum.mediaNode = share(sum.mediaNode);
    sum.signalingLocation = share(sum.signalingLocation);
    sum.mediaLocation = share(sum.mediaLocation);
    sum.proxyNode = share(sum.proxyNode);
    sum.proxyLocation = share(sum.proxyLocation);
    sum.serviceTag = share(sum.serviceTag);
    sum.service = share(sum.service);
    sum.licenseType = share(sum.licenseType);
    sum.failReason = share(sum.failReason);
    sum.disconnectReason = share(sum.disconnectReason);
  }
  return sum;
}
