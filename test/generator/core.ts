// The generator engine: plans meetings/calls/noise, renders lines, and emits them in
// received (syslog time) order through a min-heap, recording ground truth as lines are emitted.
import { Rng } from './prng.js';
import {
  NODE_DEFS, EDGE_DEFS, serviceTagOf, GATEKEEPER_IP, VCS_IP, ADMIN_WS_IP, makePeople, makeServices, BROWSERS,
  DISCONNECT_REMOTE, DISCONNECT_LOCAL, DISCONNECT_BY_ADMIN, DISCONNECT_SESSION_EXPIRED, DISCONNECT_WEBRTC, SIP_FAILURES, dec8,
  type Person, type Service,
} from './pools.js';
import type { GenOptions, MaintenanceTruth, ProvisioningTruth, Truth, TruthCall } from './types.js';

// ---------------------------------------------------------------------------------------------
// time formatting

const P3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const P2: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const OUT_SIZE = 4 << 20;
const DAY = 86_400_000;

/** Fast timestamp formatting: the date part is cached per day, the rest is table lookups. */
class TsCache {
  private day = NaN;
  private pre = '';
  private sec = NaN;
  private secPre = '';
  constructor(private readonly iso: boolean) {}
  fmt(ms: number): string {
    const sec = Math.floor(ms / 1000);
    if (sec === this.sec) {
      return this.iso ? this.secPre + P3[ms - sec * 1000] + '+00:00' : this.secPre + P3[ms - sec * 1000];
    }
    this.sec = sec;
    const d = Math.floor(ms / DAY);
    if (d !== this.day) {
      this.day = d;
      this.pre = new Date(d * DAY).toISOString().slice(0, 10) + (this.iso ? 'T' : ' ');
    }
    let r = ms - d * DAY;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    const s = Math.floor(r / 1000);
    r -= s * 1000;
    this.secPre = this.pre + P2[h] + ':' + P2[m] + ':' + P2[s] + (this.iso ? '.' : ',');
    flatten(this.secPre);
    return this.iso ? this.secPre + P3[r] + '+00:00' : this.secPre + P3[r];
  }
}

interface RNode {
  host: string;
  ip: string;
  /** ' host ' and ' ip ' */
  sysHost: string;
  sysIp: string;
  location: string;
  mgmt: boolean;
  skew: number;
  delay: number;
  iso: TsCache;
  orig: TsCache;
}

// count kinds
/** What the policy server made of a request (GenOptions.policy). */
type PolicyOutcome = 'continue' | 'reject' | 'no policy' | 'timeout' | 'error';
const K_SIP = 1, K_BFCP = 2, K_Q931 = 3, K_RAS = 4, K_H245 = 5, K_REST = 6, K_ADMIN = 7;

interface Ent {
  k: number; // syslog (received) time, ms
  q: number; // insertion sequence (tie-break)
  s: string; // byte string incl. line ending
  c: number; // call index or -1
  kind: number;
  lab: string | null;
  dmg: string | null;
  more: string[] | null; // extra damaged lines following this one (traceback)
}

function less(a: Ent, b: Ent): boolean {
  return a.k < b.k || (a.k === b.k && a.q < b.q);
}

/** Flatten a V8 cons-string while its pieces are still cache-warm (ToNumber forces a flat copy). */
const flatten = (s: string): void => {
  FLAT_SINK ^= (s as unknown as number) | 0;
};
let FLAT_SINK = 0;

/**
 * The registrar's answer to every REGISTER of a few users (1 in 16: a wrong password, 1 in 32:
 * an alias the registrar does not allow), null for the rest: a hash of the name, so each
 * seed's people get the same rule.
 */
function refusalOf(user: string): string | null {
  let h = 0x811c9dc5;
  for (let k = 0; k < user.length; k++) h = Math.imul(h ^ user.charCodeAt(k), 0x01000193);
  h >>>= 0;
  return h % 32 === 0 ? '404 Not Found' : h % 16 === 1 ? '403 Forbidden' : null;
}
const esc = (v: string): string => (v.indexOf('"') >= 0 ? v.replace(/"/g, '\\"') : v);
const sipQuote = (v: string): string => (v.indexOf('"') >= 0 || v.indexOf('\\') >= 0 ? v.replace(/(["\\])/g, '\\$1') : v);
export const hexIp = (ip: string): string =>
  ip.split('.').map((n) => (+n).toString(16).padStart(2, '0')).join(' ');

/** Content-Length of an encoded body (ASCII, one char per byte): every ^M is a 2-byte CRLF, plus the final CRLF. */
const bodyLen = (enc: string): number => enc.length + 2;

/** A SIP message's Detail text with header names H: without a body (`bare`), or with one, its Content-Length exact. */
function sipText(H: HN) {
  return {
    bare: (start: string, hs: string[]) => start + '^M' + hs.join('^M') + '^M',
    withBody: (start: string, hs: string[], ctype: string, body: string) =>
      start + '^M' + hs.join('^M') + `^M${H.ctype}: ${ctype}^M${H.clen}: ${bodyLen(body)}^M^M` + body,
  };
}

/** SIP header names (long / compact / odd-case long). */
interface HN { via: string; cid: string; from: string; to: string; contact: string; ctype: string; clen: string }
const HN_LONG: HN = { via: 'Via', cid: 'Call-ID', from: 'From', to: 'To', contact: 'Contact', ctype: 'Content-Type', clen: 'Content-Length' };
const HN_ODD: HN = { ...HN_LONG, cid: 'Call-Id' };
const HN_COMPACT: HN = { via: 'v', cid: 'i', from: 'f', to: 't', contact: 'm', ctype: 'c', clen: 'l' };

const ALLOW = 'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,INFO,OPTIONS,REFER,NOTIFY';
/** The session interval SIP endpoints ask for (their INVITE's Session-Expires), seconds. */
const SESSION_S = 1800;
const SERVER = 'Server: Pexip Infinity Conferencing Platform/34 (34.0.0)';
/** The external policy server the nodes ask (GenOptions.policy). */
const POLICY_URL = 'https://policy.example.com';
const AUDIO_SDP =
  'a=rtpmap:108 MP4A-LATM/90000^Ma=fmtp:108 profile-level-id=24;object=23;bitrate=64000^Ma=rtpmap:9 G722/8000^M' +
  'a=rtpmap:8 PCMA/8000^Ma=rtpmap:0 PCMU/8000^Ma=rtpmap:101 telephone-event/8000^Ma=fmtp:101 0-15^Ma=sendrecv';
const VIDEO_SDP =
  'b=TIAS:1920000^Ma=rtpmap:97 H264/90000^Ma=fmtp:97 profile-level-id=42e016;max-mbps=245760;max-fs=8192;packetization-mode=0^M' +
  'a=rtpmap:126 H264/90000^Ma=fmtp:126 profile-level-id=42e016;packetization-mode=1^Ma=rtpmap:98 VP8/90000^M' +
  'a=rtcp-fb:* nack pli^Ma=rtcp-fb:* ccm fir';
const SLIDES_SDP =
  'b=TIAS:1920000^Ma=rtpmap:97 H264/90000^Ma=fmtp:97 profile-level-id=42e016;max-mbps=245760;max-fs=8192;packetization-mode=0^M' +
  'a=rtpmap:126 H264/90000^Ma=fmtp:126 profile-level-id=42e016;packetization-mode=1^Ma=content:slides^Ma=label:12^Ma=sendrecv';
/**
 * The end-of-call statistics; an audio-only call's video stream is left out (its draws are made all
 * the same), and so is what a call that received nothing (`blocked`) would have received.
 */
const MEDIA_STATS = (r: Rng, shape: OfferShape = FULL_OFFER, blocked = false): string => {
  const audio = shape.audio === 'g711' ? 'PCMA' : 'MP4A-LATM';
  const rx = `rate 64kbps, loss ${(r.next() * 3).toFixed(2)}%, jitter ${r.range(1, 40)}ms`;
  const s = `^MStream 0 (audio)^M  RX: ${blocked ? 'rate 0kbps, loss 0.00%, jitter 0ms' : rx}, codec ${audio}^M` +
    `  TX: rate 64kbps, loss ${(r.next()).toFixed(2)}%, jitter ${r.range(1, 12)}ms, codec ${audio}`;
  const rxRate = r.range(300, 1900);
  const video = `^MStream 1 (video)^M  RX: rate ${blocked ? 0 : rxRate}kbps, resolution 1280x720, fps 30, codec H264^M` +
    `  TX: rate ${r.range(300, 1900)}kbps, resolution 1280x720, fps 30, codec H264`;
  return shape.video ? s + video : s;
};

/**
 * What a SIP endpoint offers, drawn from a stream of its own (`media`): most offer SRTP, AAC-LD
 * first and video; some offer plain RTP, G.711 only, or no video. Infinity answers with one codec
 * per stream, the first of the offer it takes.
 */
export interface OfferShape { srtp: boolean; video: boolean; audio: 'full' | 'g711' }
const FULL_OFFER: OfferShape = { srtp: true, video: true, audio: 'full' };
const G711_SDP = 'a=rtpmap:8 PCMA/8000^Ma=rtpmap:0 PCMU/8000^Ma=rtpmap:101 telephone-event/8000^Ma=fmtp:101 0-15^Ma=sendrecv';

export const DAMAGE_KINDS = ['kernel', 'blank', 'traceback', 'truncated', 'invalid-utf8', 'syslog', 'long'] as const;

interface MeetCtx {
  svc: Service;
  media: RNode;
  confId: string;
  /** The Infinity Gateway's call: its rule's name is the conference's (Service-Type gateway). */
  gateway?: boolean;
}

/** How the far end of a dial-out refuses it, and the admin Reason logged with it (our wording: the vendor's documentation shows none). */
const DIAL_FAILURES: readonly (readonly [number, string, string])[] = [
  [486, 'Busy Here', 'Busy'],
  [480, 'Temporarily Unavailable', 'Remote party unavailable'],
  [603, 'Decline', 'Call declined'],
  [404, 'Not Found', 'Remote party not found'],
];
/** The names of the Call Routing Rules the gateway calls match. */
const GATEWAY_RULES = ['Route to London', 'Route calls to Teams', 'Outbound SIP trunk'] as const;

interface CallResult {
  join: number; // time of "Participant has joined." (or -1 if failed)
  leave: number; // time of "Participant has disconnected." (or end of failure)
}

export type Sink = (chunk: Buffer) => void;

export class Generator {
  private rng: Rng;
  /**
   * Draws for what came later than the main stream (registration outcomes): kept apart so the
   * logs of a seed stay the same elsewhere, and the tests' cut points with them.
   */
  private readonly side: Rng;
  /**
   * Draws for the administrator's audit trail (failed logins, break-in prevention, an
   * administrator's disconnects): a stream of its own, so that every other line stays as it was.
   */
  private readonly audit: Rng;
  /** When the next break-in episode begins (a VoIP scanner, a PIN attack). */
  private nextBreakIn: number;
  private breakIns = 0;
  /** Draws for nodes' application restarts: a stream of its own, as the audit's. */
  private readonly restarts: Rng;
  /** Fifth stream: what SIP endpoints offer, and their holds. */
  private readonly media: Rng;
  /** Draws the waiting room's guests, apart so the other streams' calls stay as they were. */
  private readonly lobby: Rng;
  /** Draws which floor requests the node refuses (BFCP Denied, H.239 reject), apart as the lobby's. */
  private readonly floor: Rng;
  /** Draws the SIP calls whose media reached the node from one side only. */
  private readonly path: Rng;
  /** Draws the calls the nodes place (dial-outs, the gateway's calls), when asked for (GenOptions.dialOuts). */
  private readonly dial: Rng;
  private readonly dialOn: boolean;
  /** Draws the calls' quality ratings, when asked for (GenOptions.quality). */
  private readonly qual: Rng;
  private readonly qualOn: boolean;
  /** Draws what the external policy server answers, when asked for (GenOptions.policy). */
  private readonly pol: Rng;
  private readonly polOn: boolean;
  /** Draws the local policy script's debug lines (GenOptions.policy), apart so the policy server's answers stay as they were. */
  private readonly jinja: Rng;
  /** Draws Azure's scheduled maintenance of the nodes, when asked for (GenOptions.maintenance). */
  private readonly maint: Rng;
  private readonly maintOn: boolean;
  private nextMaint = 0;
  private readonly maintenance: MaintenanceTruth[] = [];
  /** Draws the provisioning lines, when asked for (GenOptions.provisioning). */
  private readonly prov: Rng;
  private readonly provOn: boolean;
  /** Draws the transfers the nodes ask of SIP endpoints (REFER), when asked for (GenOptions.transfers). */
  private readonly xfer: Rng;
  private readonly xferOn: boolean;
  /** Draws the calls through a Proxying Edge Node, when asked for (GenOptions.edges); the Edge of each such call by its id. */
  private readonly edge: Rng;
  private readonly edgesOn: boolean;
  private readonly edgeOf = new Map<string, readonly [string, string, string]>();
  /** Whether services carry their tenant's Service-Tag (GenOptions.serviceTags). */
  private readonly tagsOn: boolean;
  private nextProv = 0;
  private readonly provisioned: ProvisioningTruth[] = [];
  /** When a node's application next starts again (a restart in the middle of the log). */
  private nextRestart: number;
  private readonly nodes: RNode[];
  private readonly conf: RNode[];
  private readonly mgmt: RNode;
  private readonly people: Person[];
  private readonly services: Service[];
  private readonly busy = new Map<string, number>();
  private heap: Ent[] = [];
  private q = 0;
  private readonly eol: string;
  private readonly damagedOn: boolean;
  private readonly maxCalls: number;
  private readonly target: number;
  private readonly t0: number;

  private approx = 0;
  private out = Buffer.allocUnsafe(OUT_SIZE);
  private pos = 0;
  private bytes = 0;
  private lineNo = 0;
  private lastKey = 0;
  private sinceLong = 0;
  private gkSeq = 1000;
  private syntheticSvc = 0;
  private fragSpread = 0;
  private readonly lnCache = new Map<string, { level: string; s: string }>();

  readonly calls: TruthCall[] = [];
  private readonly personal = new Set<string>();
  private readonly hexIps = new Set<string>();
  private readonly levels: Record<string, number> = {};
  private readonly modules: Record<string, number> = {};
  private readonly damagedLines: number[] = [];
  private readonly damagedKinds: Record<string, number[]> = {};

  /** sink: receives output chunks; with reuse=true a chunk is only valid during the call (it must be consumed synchronously). */
  constructor(opts: GenOptions, private readonly sink: Sink, private readonly reuse = false) {
    this.rng = new Rng(opts.seed ?? 1);
    this.side = new Rng(((opts.seed ?? 1) ^ 0x5eed5) >>> 0);
    this.audit = new Rng(((opts.seed ?? 1) ^ 0xa0d17) >>> 0);
    this.restarts = new Rng(((opts.seed ?? 1) ^ 0x57a27) >>> 0);
    this.media = new Rng(((opts.seed ?? 1) ^ 0x3ed1a) >>> 0);
    this.lobby = new Rng(((opts.seed ?? 1) ^ 0x10bb7) >>> 0);
    this.floor = new Rng(((opts.seed ?? 1) ^ 0xf1002) >>> 0);
    this.path = new Rng(((opts.seed ?? 1) ^ 0x9a7b1) >>> 0);
    this.dial = new Rng(((opts.seed ?? 1) ^ 0xd1a10) >>> 0);
    this.dialOn = opts.dialOuts ?? false;
    this.qual = new Rng(((opts.seed ?? 1) ^ 0x9a11e) >>> 0);
    this.qualOn = opts.quality ?? false;
    this.pol = new Rng(((opts.seed ?? 1) ^ 0x901c1) >>> 0);
    this.polOn = opts.policy ?? false;
    this.jinja = new Rng(((opts.seed ?? 1) ^ 0x71a2a) >>> 0);
    this.maint = new Rng(((opts.seed ?? 1) ^ 0x3a1e7) >>> 0);
    this.maintOn = opts.maintenance ?? false;
    this.prov = new Rng(((opts.seed ?? 1) ^ 0x9b0f1) >>> 0);
    this.provOn = opts.provisioning ?? false;
    this.xfer = new Rng(((opts.seed ?? 1) ^ 0x7e4f3) >>> 0);
    this.xferOn = opts.transfers ?? false;
    this.edge = new Rng(((opts.seed ?? 1) ^ 0xed6e5) >>> 0);
    this.edgesOn = opts.edges ?? false;
    this.tagsOn = opts.serviceTags ?? false;
    this.eol = opts.crlf ? '\r\n' : '\n';
    this.damagedOn = opts.damaged ?? true;
    this.target = opts.targetBytes ?? Infinity;
    this.maxCalls = opts.calls ?? (opts.targetBytes ? Infinity : 30);
    this.t0 = Math.round(Date.parse(opts.startTime ?? '2026-05-14T08:00:00.000Z'));
    if (!Number.isFinite(this.t0)) throw new Error('bad startTime');
    // the first within minutes, so that a small log has one
    this.nextBreakIn = this.t0 + this.audit.range(60_000, 150_000);
    this.nextRestart = this.t0 + this.restarts.range(90_000, 210_000);
    const r = this.rng;
    const off = opts.clockOff;
    this.nodes = NODE_DEFS.map(([host, ip, location, mgmt]) => ({
      host, ip, location, mgmt, sysHost: ` ${host} `, sysIp: ` ${ip} `,
      // (the draw is made either way: the rest of the output stays as without clockOff)
      skew: ((s) => (off?.node === host ? -off.behindMs : s))(mgmt ? r.range(-20, 20) : r.range(-1500, 1500)),
      delay: r.range(1, 9),
      iso: new TsCache(true), orig: new TsCache(false),
    }));
    this.mgmt = this.nodes[0]!;
    this.conf = this.nodes.filter((n) => !n.mgmt);
    this.people = makePeople(r, 150);
    this.services = makeServices(r, this.people);
  }

  // ------------------------------------------------------------------------------------------
  // heap

  private hpush(e: Ent): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private hpop(): Ent {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(h[r]!, h[l]!) ? r : l;
        if (!less(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  // ------------------------------------------------------------------------------------------
  // line rendering

  private sys(n: RNode): string {
    const s = this.rng.next() < 0.5 ? n.host : n.ip;
    return s;
  }

  /** Render and queue one layout line. Returns the received time. */
  private push(n: RNode, t: number, level: string, name: string, rest: string, call = -1, kind = 0, lab: string | null = null, extra = 0): number {
    const k = t + n.delay + (this.rng.u32() % 3) + extra;
    let ln = this.lnCache.get(name);
    if (ln === undefined || ln.level !== level) {
      ln = { level, s: ' Level="' + level + '" Name="' + name + '" ' };
      flatten(ln.s);
      this.lnCache.set(name, ln);
    }
    const line = n.iso.fmt(k) + (this.rng.next() < 0.5 ? n.sysHost : n.sysIp) + n.orig.fmt(t + n.skew) + ln.s + rest + this.eol;
    flatten(line);
    this.hpush({ k, q: this.q++, s: line, c: call, kind, lab, dmg: null, more: null });
    this.levels[level] = (this.levels[level] ?? 0) + 1;
    this.modules[name] = (this.modules[name] ?? 0) + 1;
    this.approx += line.length;
    return k;
  }

  /** Takes the draws push() takes, queueing nothing. */
  private skipPush(): void {
    this.rng.u32();
    this.rng.next();
  }

  /** Runs f with `rng` drawing from another stream (push and sipLine draw from `rng`). */
  private withRng(other: Rng, f: () => void): void {
    const main = this.rng;
    this.rng = other;
    try {
      f();
    } finally {
      this.rng = main;
    }
  }

  private pushRaw(k: number, s: string, dmg: string | null, more: string[] | null = null, level?: string, name?: string): void {
    s += this.eol;
    if (more) more = more.map((m) => m + this.eol);
    this.hpush({ k, q: this.q++, s, c: -1, kind: 0, lab: null, dmg, more });
    if (level && name) {
      this.levels[level] = (this.levels[level] ?? 0) + 1;
      this.modules[name] = (this.modules[name] ?? 0) + 1;
    }
    this.approx += s.length;
    if (more) for (const m of more) this.approx += m.length;
  }

  private write(s: string): void {
    const max = s.length;
    if (this.pos + max > OUT_SIZE) {
      this.flushBuf();
      if (max > OUT_SIZE) {
        const b = Buffer.from(s, 'latin1');
        this.bytes += b.length;
        this.sink(b);
        return;
      }
    }
    this.pos += (this.out as unknown as { latin1Write(s: string, off: number): number }).latin1Write(s, this.pos);
  }

  private flushBuf(): void {
    if (this.pos === 0) return;
    const b = this.out.subarray(0, this.pos);
    this.bytes += b.length;
    this.sink(b);
    if (!this.reuse) this.out = Buffer.allocUnsafe(OUT_SIZE);
    this.pos = 0;
  }

  private markDamaged(kind: string): void {
    this.damagedLines.push(this.lineNo);
    (this.damagedKinds[kind] ??= []).push(this.lineNo);
  }

  private emit(e: Ent): void {
    this.lineNo++;
    this.lastKey = e.k;
    if (e.dmg) this.markDamaged(e.dmg);
    if (e.c >= 0) {
      const tc = this.calls[e.c]!;
      tc.lineNumbers.push(this.lineNo);
      switch (e.kind) {
        case K_SIP: tc.counts.sip++; if (e.lab) tc.sipSequence.push(e.lab); break;
        case K_BFCP: tc.counts.bfcp++; if (e.lab) tc.bfcpSequence.push(e.lab); break;
        case K_Q931: tc.counts.q931++; if (e.lab) tc.h323Sequence.push(e.lab); break;
        case K_RAS: tc.counts.ras++; if (e.lab) tc.h323Sequence.push(e.lab); break;
        case K_H245: tc.counts.h245++; if (e.lab) tc.h323Sequence.push(e.lab); break;
        case K_REST: tc.counts.rest++; break;
        case K_ADMIN: tc.counts.admin++; break;
      }
    }
    this.write(e.s);
    if (e.more) {
      for (const m of e.more) {
        this.lineNo++;
        this.markDamaged(e.dmg ?? 'traceback');
        this.write(m);
      }
    }
  }

  private flushUntil(t: number): void {
    while (this.heap.length > 0 && this.heap[0]!.k < t) this.emit(this.hpop());
  }

  // ------------------------------------------------------------------------------------------
  // truth helpers

  /**
   * Record the personal strings of p that the caller writes: display name (escaped form `\"` as in
   * key="value" pairs and SIP quoted-strings; raw=true when it also appears unescaped, as in H.323
   * bodies), SIP identity (uri/email/user), an IP.
   */
  private use(p: Person, ip: string | null, sip: boolean, display: boolean, raw = false): void {
    const s = this.personal;
    if (display) {
      s.add(dec8(esc(p.display)));
      if (raw) s.add(dec8(p.display));
    }
    if (sip) {
      s.add(p.uri);
      s.add(p.email);
      s.add(p.user);
    }
    if (ip) s.add(ip);
  }

  /** Personal parts of a personal VMR: the owner's name (in Conference="Meet ...") and user part (in the alias meet.<user>). */
  private useSvc(svc: Service, name: boolean, alias: boolean): void {
    if (svc.owner) {
      if (name) this.personal.add(dec8(`${svc.owner.first} ${svc.owner.last}`));
      if (alias) this.personal.add(svc.owner.user);
    }
  }

  private newCall(c: Omit<TruthCall, 'counts' | 'sipSequence' | 'h323Sequence' | 'bfcpSequence' | 'lineNumbers' | 'fragmented' | 'missingFragments' | 'compactHeaders'>): number {
    this.calls.push({
      id: c.id, ids: c.ids, protocol: c.protocol,
      conferenceId: c.conferenceId, conference: c.conference === null ? null : dec8(c.conference),
      from: dec8(c.from), to: dec8(c.to), failed: c.failed, reason: c.reason,
      signalingNode: c.signalingNode, mediaNode: c.mediaNode,
      counts: { sip: 0, bfcp: 0, q931: 0, ras: 0, h245: 0, rest: 0, admin: 0 },
      sipSequence: [], h323Sequence: [], bfcpSequence: [], lineNumbers: [],
      fragmented: false, missingFragments: 0, compactHeaders: false,
    });
    if (this.edgesOn && this.edge.chance(0.25)) {
      const e = this.edge.pick(EDGE_DEFS);
      this.edgeOf.set(c.id, e);
      if (!c.failed) this.calls.at(-1)!.proxy = { node: e[1], location: e[2] };
    }
    return this.calls.length - 1;
  }

  private person(): Person {
    return this.rng.pick(this.people);
  }

  private confNode(): RNode {
    return this.rng.pick(this.conf);
  }

  private sigNode(media: RNode): RNode {
    return this.rng.chance(0.7) ? media : this.confNode();
  }

  private duration(): number {
    const r = this.rng;
    return r.weighted([
      [30, () => r.range(20_000, 120_000)],
      [45, () => r.range(120_000, 900_000)],
      [25, () => r.range(900_000, 3_600_000)],
    ] as const)();
  }

  // ------------------------------------------------------------------------------------------
  // administrator lines

  private admin(n: RNode, t: number, call: number, rest: string, level = 'INFO'): void {
    this.push(n, t, level, 'administrator.conference', rest, call, call >= 0 ? K_ADMIN : 0);
  }

  private attempting(S: RNode, t: number, call: number, alias: string, participant: string, proto: string, remote: string, pid: string, dir = 'in'): void {
    this.admin(S, t, call,
      `Message="Participant attempting to join conference." ConferenceAlias="${esc(alias)}" Participant="${esc(participant)}" Protocol="${proto}" Direction="${dir}" Remote-Address="${remote}" Participant-Id="${pid}" Registered="${this.rng.chance(0.3) ? 'True' : 'False'}" Location="${S.location}"`);
  }

  private failedLine(S: RNode, t: number, call: number, alias: string, participant: string, proto: string, remote: string, pid: string, reason: string, dir = 'in'): void {
    this.admin(S, t, call,
      `Message="Participant failed to join conference." ConferenceAlias="${esc(alias)}" Participant="${esc(participant)}" Protocol="${proto}" Direction="${dir}" Remote-Address="${remote}" Participant-Id="${pid}" Reason="${esc(reason)}"`);
  }

  /** A service's Service-Tag: its tenant's (serviceTagOf) when asked for, else empty as by default. */
  private tagOf(svc: Service): string {
    return this.tagsOn ? serviceTagOf(dec8(svc.name)) : '';
  }

  private partFields(m: MeetCtx, S: RNode, alias: string, participant: string, display: string | null, proto: string, vendor: string | null,
    callId: string, pid: string, remote: string, disconnect: boolean, dir = 'in'): string {
    let s = `Conference="${esc(m.svc.name)}" Service-Tag="${this.tagOf(m.svc)}" Service-Type="${m.gateway ? 'gateway' : 'conference'}" ConferenceAlias="${esc(alias)}" Participant="${esc(participant)}"`;
    if (display !== null) s += ` DisplayName="${esc(display)}"`;
    s += ` Protocol="${proto}" Direction="${dir}"`;
    if (vendor !== null) s += ` Vendor="${esc(vendor)}"`;
    s += ` Call-Id="${callId}" Conversation-Id="${callId}" Participant-Id="${pid}" Remote-Address="${remote}" Location="${m.media.location}" Licenses="1"`;
    if (disconnect) s += ' License-Type="port"';
    if (proto !== 'WebRTC') s += ` Signaling-Node="${S.ip}" Signaling-Location="${S.location}"`;
    s += ` Media-Node="${m.media.ip}" Conference-ID="${m.confId}"`;
    const edge = this.edgeOf.get(callId);
    if (edge) s += ` Proxy-Node="${edge[1]}" Proxy-Location="${edge[2]}"`;
    return s;
  }

  private presenting(m: MeetCtx, t: number, call: number, participant: string, callId: string, start: boolean): void {
    this.admin(m.media, t, call,
      `Message="${start ? 'Participant is presenting.' : 'Participant has stopped presenting.'}" Conference="${esc(m.svc.name)}" Service-Tag="${this.tagOf(m.svc)}" Participant="${esc(participant)}" Call-Id="${callId}" Conversation-Id="${callId}"`);
  }

  private pinFailure(S: RNode, t: number, call: number, participant: string, alias: string, callId: string): number {
    this.admin(S, t, call,
      `Message="Participant entered incorrect conference PIN" RetriesRemaining="2" Participant="${esc(participant)}" ConferenceAlias="${esc(alias)}" Call-Id="${callId}"`, 'WARNING');
    const t2 = t + this.rng.range(2500, 6000);
    this.admin(S, t2, call,
      `Message="PIN entry correct." Participant="${esc(participant)}" ConferenceAlias="${esc(alias)}" Call-Id="${callId}" Role="guest" Detail="Participant entered correct conference PIN and will be placed into the conference."`);
    return t2;
  }

  /** A guest held in the waiting room until a host joins, `ms` after `t` (the vendor's messages). */
  private waitingRoom(S: RNode, t: number, call: number, participant: string, alias: string, callId: string, ms: number): void {
    const who = `Participant="${esc(participant)}" ConferenceAlias="${esc(alias)}" Call-Id="${callId}" Role="guest"`;
    this.admin(S, t, call, `Message="Guest participant waiting." ${who} Detail="Waiting until participant is allowed to join the conference."`);
    this.admin(S, t + ms - this.rng.range(20, 200), call, `Message="Guest participant joining." ${who} Detail="Participant will be automatically placed into the conference."`);
  }

  /**
   * A break-in episode (audit draws): a VoIP scanner that Break-in prevention quarantines, or a
   * PIN attack on a service that it blocks, and the attempts each keeps making while blocked.
   * The first episode has both.
   */
  private breakIn(t: number): void {
    const n = this.confNode();
    const first = this.breakIns++ === 0;
    const scanner = first || this.rng.chance(0.5);
    if (scanner) this.scanner(n, t);
    if (first || !scanner) this.pinAttack(n, t + this.rng.range(20_000, 60_000));
  }

  private scanner(n: RNode, t: number): void {
    const a = this.rng;
    const ip = `198.51.100.${a.range(2, 250)}`;
    this.personal.add(ip);
    const block = 600;
    this.push(n, t, 'WARNING', 'administrator.conference',
      `Message="Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts." Participant="sip:${a.range(100, 999)}@${n.ip}" Protocol="SIP" Direction="in" Remote-address="${ip}" Reason="Too many attempts to join non-existent aliases" remaining_block_duration_seconds="${block}"`);
    // its next attempts come after (a line's own jitter must not put one before the quarantine)
    this.blockedAttempts(n, t, t + a.range(500, 5000), block, (left) =>
      `Message="Break-in prevention policy rejecting call attempt from quarantined caller." Protocol="SIP" Direction="in" Local-alias="[u'${a.range(100, 99999)}']" Remote-address="${ip}" Reason="Suspicious join attempt rejected" remaining_block_duration_seconds="${left}"`);
  }

  private pinAttack(n: RNode, t: number): void {
    const a = this.rng;
    const svc = a.pick(this.services);
    this.useSvc(svc, true, true);
    const alias = `${svc.short}@example.com`;
    const ip = `203.0.113.${a.range(2, 250)}`;
    this.personal.add(ip);
    const who = 'Crooky McCrookface';
    let at = t;
    for (let left = 2; left >= 0; left--) {
      at += a.range(4000, 9000);
      this.push(n, at, 'WARNING', 'administrator.conference',
        `Message="Participant entered incorrect conference PIN" RetriesRemaining="${left}" Participant="${who}" ConferenceAlias="${esc(alias)}" Call-Id="${a.uuid()}"`);
    }
    at += a.range(200, 900);
    this.push(n, at, 'WARNING', 'administrator.conference',
      `Message="Participant exceeded PIN entry retries. Call will be disconnected." Participant="${who}" ConferenceAlias="${esc(alias)}" Call-Id="${a.uuid()}"`);
    const block = 900;
    this.blockedAttempts(n, at, at + a.range(20, 300), block, (left) =>
      `Message="Break-in prevention policy blocking all attempts to join this service." ConferenceAlias="${esc(alias)}" Service="${esc(svc.name)}" Participant="${who}" Protocol="API" Direction="in" Remote-address="${ip}" Reason="Service appears to be under PIN break-in attack" remaining_block_duration_seconds="${left}"`);
  }

  /**
   * One provisioning event on the management node (GenOptions.provisioning), in the vendor's
   * messages (administrator.ldap.sync, .scheduling, .otj, .apps.cloudbursting): a VMR sync begun
   * and completed (one in ten failing, some with warnings), an alias clash, a scheduled meeting
   * added, deleted or dropped, a One-Touch Join meeting, an on-prem location overloaded and its
   * overflow node stopped when idle.
   */
  private provision(t: number): void {
    const a = this.rng;
    const n = this.mgmt;
    const said = (at: number, level: string, module: string, message: string, rest: string, about: string, alert: boolean) => {
      const k = this.push(n, at, level, module, `Message="${message}"${rest ? ` ${rest}` : ''}`);
      this.provisioned.push({ time: new Date(k).toISOString(), module, message, about, alert });
    };
    const svc = () => a.pick(this.services);
    switch (a.weighted([[25, 'sync'], [10, 'clash'], [25, 'scheduling'], [20, 'otj'], [20, 'cloud']] as const)) {
      case 'sync': {
        const template = a.pick(['All employees', 'Europe', 'Sales VMRs']);
        const [creating, deleting, modifying] = [a.range(0, 40), a.range(0, 12), a.range(0, 20)];
        said(t, 'INFO', 'administrator.ldap.sync', 'Beginning VMR Sync', `Template="${template}" Creating="${creating}" Deleting="${deleting}" Modifying="${modifying}" Unchanged="${a.range(20, 300)}"`, template, false);
        const ok = a.chance(0.9);
        const warnings = a.chance(0.3) ? a.range(1, 5) : 0;
        const last = warnings ? ' Last_warning="Conference clash: not overwriting manually created conference"' : '';
        said(t + a.range(5_000, 40_000), ok ? 'INFO' : 'WARNING', 'administrator.ldap.sync', 'Completed VMR Sync',
          `Template="${template}" Status="${ok ? 'sync_succeeded' : 'sync_failed'}" Created="${ok ? creating : 0}" Deleted="${ok ? deleting : 0}" Updated="${ok ? modifying : 0}" Unchanged="${a.range(20, 300)}" Warnings="${warnings}"${last}`, template, !ok);
        break;
      }
      case 'clash': {
        const [held, fresh] = [svc(), svc()];
        const alias = `meet.${a.pick(['sales', 'support', 'board', 'team'])}${a.range(1, 99)}@example.com`;
        said(t, 'WARNING', 'administrator.ldap.sync', 'Sync detected alias clash: alias held by an existing conference has not been assigned to the newly synced conference.',
          `NewConference="${esc(fresh.name)}" ExistingConference="${esc(held.name)}" Alias="${alias}"`, alias, true);
        break;
      }
      case 'scheduling': {
        const vms = String(a.range(30000, 39999));
        const ids = `ExchangeConnectorID="${a.range(1, 3)}" CorrelationID="${a.uuid()}"`;
        const kind = a.weighted([[4, 'added'], [3, 'deleted'], [1, 'dropped']] as const);
        if (kind === 'added') said(t, 'INFO', 'administrator.scheduling', 'Scheduled Conference added', `VmsID="${vms}" Name="Weekly sync (${a.pick(['Toby', 'Ana', 'Lee'])})" ScheduledConferenceID="${a.range(5000, 5999)}" ScheduledAliasID="${a.range(4000, 4999)}" ${ids}`, vms, false);
        else if (kind === 'deleted') said(t, 'INFO', 'administrator.scheduling', 'Conference deleted', `VmsID="${vms}" ${ids}`, vms, false);
        else said(t, 'WARNING', 'administrator.scheduling', 'Recurring Conference deleted because it can no longer be processed', `VmsID="${vms}" RecurringConferenceID="${a.range(10, 99)}" ${ids}`, vms, true);
        break;
      }
      case 'otj': {
        const room = `${a.pick(['oslo-huddle', 'board-room', 'lab-2'])}@resource.example.com`;
        const what = a.pick(['Created', 'Changed', 'Deleted']);
        const start = new Date(t + a.range(1, 48) * 3600_000).toISOString();
        said(t, 'INFO', 'administrator.otj', `OTJ Meeting ${what}`,
          `OTJProfileName="Calendar integration" OTJProfileID="1" Room="${room}" Subject="Project review" OrganizerEmail="organizer${a.range(1, 9)}@example.com" StartTime="${start}" EndTime="${start}" Alias="${a.range(100000, 999999)}@example.com" OTJRuleName="Teams meetings"`, room, false);
        break;
      }
      case 'cloud': {
        const location = a.pick(['Oslo', 'London']);
        const instance = `i-${a.hex(17)}`;
        said(t, 'WARNING', 'administrator.apps.cloudbursting', `On-prem location '${location}' is overloaded! Starting instance ${instance} (stopped) in location 'AWS eu-west-1'`, '', `location ${location}`, true);
        const up = a.range(30, 55);
        said(t + up * 60_000, 'INFO', 'administrator.apps.cloudbursting', `Shutting down idle worker ${instance} (running) (uptime: ${up} minutes)`, '', instance, false);
        break;
      }
    }
  }

  /** Attempts at intervals while a block begun at t lasts, the first at `first`: each line says how long the block has left. */
  private blockedAttempts(n: RNode, t: number, first: number, block: number, line: (left: number) => string): void {
    const a = this.rng;
    let at = first;
    for (let k = a.range(3, 12); k > 0; k--) {
      const left = block - Math.floor((at - t) / 1000);
      if (left <= 0) break;
      this.push(n, at, 'WARNING', 'administrator.conference', line(left));
      at += 1000 + Math.round(a.exp(45_000));
    }
  }

  /** What an administrator's disconnect of a participant leaves before it (audit draws): the administrator.web line. */
  private adminDisconnect(end: number, call: number, participant: string, pid: string): void {
    this.withRng(this.audit, () => this.push(this.mgmt, end - this.rng.range(300, 1500), 'INFO', 'administrator.web',
      `Message="Initiated disconnect command." User="admin" Participant-alias="${esc(participant)}" Participant-Id="${pid}"`, call, K_ADMIN));
  }

  /**
   * A node's application starting again (restart draws): what administrator.system logs as the
   * node comes back. Its other lines go on (the generator does not silence a node).
   */
  private restart(t: number): void {
    const n = this.confNode();
    this.push(n, t, 'INFO', 'administrator.system', `Message="Starting Infinity application." Pid="${this.rng.range(2000, 30000)}" Version="34 (78612.0.0)"`);
  }

  /**
   * Azure's scheduled maintenance of a conferencing node (GenOptions.maintenance): the node logs the
   * event Azure announced (support.pulse, the vendor's example), then, a little later, that it is
   * placed into maintenance mode, and once the event is over (a few minutes after its NotBefore)
   * that maintenance mode is unset (support.scheduled_maintenance_events, the vendor's wording).
   */
  private scheduledMaintenance(t: number): void {
    const r = this.rng;
    const n = this.confNode();
    const type = r.pick(['Reboot', 'Redeploy', 'Freeze']);
    const notBefore = t + r.range(8, 15) * 60_000;
    const from = t + r.range(20_000, 120_000);
    const to = notBefore + r.range(2, 5) * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    this.push(n, t, 'INFO', 'support.pulse', `Message="New scheduled maintenance event: {'Description': 'The system will ${type}', 'EventId': '${r.uuid()}', 'EventSource': 'Platform', 'EventStatus': 'Scheduled', 'EventType': '${type}', 'NotBefore': '${iso(notBefore)}', 'ResourceType': 'VirtualMachine', 'Resources': ['azure-${n.host}']}"`);
    this.push(n, from, 'WARNING', 'support.scheduled_maintenance_events', 'Message="Scheduled maintenance event affecting MCU node has been detected. System will be placed into maintenance mode."');
    this.push(n, to, 'INFO', 'support.scheduled_maintenance_events', 'Message="Maintenance event completed. Maintenance mode will be unset."');
    this.maintenance.push({ node: n.ip, type, notBefore: iso(notBefore), from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  }

  /** Failed logins to the Administrator interface (audit draws): someone guessing, from one address. */
  private failedLogins(t: number): void {
    const a = this.rng;
    const ip = `203.0.113.${a.range(2, 250)}`;
    this.personal.add(ip);
    const user = a.pick(['admin', 'admins', 'root', 'administrator']);
    let at = t;
    for (let k = a.range(1, 6); k > 0; k--) {
      at += a.range(1500, 8000);
      this.push(this.mgmt, at, 'INFO', 'administrator.configuration',
        `Message="User login failed" User="${user}" Remote-Address="${ip}" Remote-Port="${a.range(30000, 60000)}"`);
    }
  }

  private mediaDestroyed(m: MeetCtx, join: number, t: number, call: number, participant: string, callId: string, shape?: OfferShape, blocked = false): void {
    if (this.qualOn) this.withRng(this.qual, () => this.qualityRatings(m, join, t, call, participant));
    this.push(m.media, t, 'INFO', 'support.participant',
      `Message="Media Stream destroyed" Participant="${esc(participant)}" Call-Id="${callId}" Conversation-Id="${callId}" Detail="${MEDIA_STATS(this.rng, shape, blocked)}"`, call);
  }

  /**
   * The signaling node asks the external policy server which service the alias dialled reaches
   * (GenOptions.policy), then, for a call that goes on, where its media goes; the call waits on
   * each answer. A call refused by policy is the server's `reject`; one to an alias nothing has,
   * its "no policy" (404, status fail). One request in 25 times out (5 s) and one in 33 is an
   * HTTP 500: the node goes on with its own configuration. Returns when the call goes on.
   */
  private policyAsked(S: RNode, T: number, ci: number, p: Person, alias: string, ep: string, port: number, fail: readonly [number, string, string] | null, service: string): number {
    let t = T;
    // the local policy script's debug lines for one call in four: what it was asked (naming the call's parties), and a line that names none
    this.withRng(this.jinja, () => {
      if (!this.rng.chance(0.25)) return;
      const said = `Service policy ,${p.uri}, dialled ,${alias}, from ,${ep}`;
      this.push(S, T + 2, 'INFO', 'support.jinja2', `Message="pex_debug_log" Detail="${esc(said)}"`);
      this.push(S, T + 2, 'INFO', 'support.jinja2', `Message="pex_debug_log" Detail="Media location policy ,${S.location}, protocol ,sip"`);
      (this.calls[ci]!.localPolicy ??= []).push(said);
    });
    this.withRng(this.pol, () => {
      const r = this.rng;
      const outcome: PolicyOutcome = fail?.[2] === 'Call rejected by policy' ? 'reject' : fail?.[0] === 404 ? 'no policy' : r.chance(0.04) ? 'timeout' : r.chance(0.03) ? 'error' : 'continue';
      const q = new URLSearchParams({
        protocol: 'sip', node_ip: S.ip, registered: 'False', remote_address: ep, remote_port: String(port), remote_alias: p.uri, remote_display_name: p.display,
        local_alias: alias, call_direction: 'dial_in', location: S.location, trigger: 'invite', vendor: p.sipVendor, version_id: '36',
      });
      t = this.policyRequest(S, t + 3, ci, 'service configuration', `/policy/v1/service/configuration?${q}`, outcome, `{"service_type": "conference", "name": "${service}", "service_tag": ""}`);
      if (!fail) t = this.policyRequest(S, t + 2, ci, 'media location', `/policy/v1/participant/location?${q}`, r.chance(0.02) ? 'timeout' : 'continue', `{"location": "${S.location}"}`);
    });
    return t;
  }

  /** One request to the policy server and its answer (or failure); returns when it came. Draws from `rng` (policyAsked's stream). */
  private policyRequest(S: RNode, t: number, ci: number, kind: string, path: string, outcome: PolicyOutcome, result: string): number {
    const r = this.rng;
    const ms = outcome === 'timeout' ? r.range(5000, 5030) : r.chance(0.08) ? r.range(1200, 3000) : r.range(15, 250);
    const id = r.uuid();
    const took = `Duration="${(ms / 1000).toFixed(3)}"`;
    const said = (level: string, message: string, rest: string) => this.push(S, t + ms, level, 'support.externalpolicy', `Message="${message}" Request-Id="${id}" ${rest}`);
    this.push(S, t, 'INFO', 'support.externalpolicy', `Message="External policy request" Request-Id="${id}" Method="GET" Url="${POLICY_URL}${path}"`);
    if (outcome === 'timeout') said('WARNING', 'External policy request failed', `Reason="Timed out" ${took}`);
    else if (outcome === 'error') said('WARNING', 'External policy response', `Status="500" ${took} Detail="Internal Server Error"`);
    else if (outcome === 'no policy') said('INFO', 'External policy response', `Status="404" ${took} Detail="${esc('{"status": "fail", "action": "continue", "result": {}}')}"`);
    else said('INFO', 'External policy response', `Status="200" ${took} Detail="${esc(`{"status": "success", "action": "${outcome}", "result": ${outcome === 'reject' ? '{}' : result}}`)}"`);
    (this.calls[ci]!.policy ??= []).push({ kind, outcome, ms });
    return t + ms;
  }

  /** How the media node rated a call while it was up (GenOptions.quality): good, then maybe bad, then maybe back. Its lines name no call (Call-Id="None"), so they are not among the call's in the truth. */
  private qualityRatings(m: MeetCtx, join: number, end: number, call: number, participant: string): void {
    const r = this.rng;
    if (end - join < 60_000 || !r.chance(0.35)) return;
    const rate = (at: number, q: number) => {
      this.push(m.media, at, 'INFO', 'support.participant', `Message="Stable call quality changed" Participant="${esc(participant)}" Call-Id="None" Quality="${q}"`);
      (this.calls[call]!.quality ??= []).push(q);
    };
    rate(join + r.range(3000, 10_000), 1);
    if (!r.chance(0.6)) return;
    const bad = join + 15_000 + r.int(Math.max(1, end - join - 40_000));
    rate(bad, r.chance(0.25) ? 4 : 3);
    const back = bad + r.range(10_000, 120_000);
    if (r.chance(0.6) && back < end - 2000) rate(back, r.pick([1, 2]));
  }

  // ------------------------------------------------------------------------------------------
  // SIP

  /**
   * An endpoint's offer, shaped by `shape`, or (answer) Infinity's answer to it: one codec per
   * stream, the first of the offer. Both make the same draws whatever the shape. `direction`
   * replaces sendrecv (a hold).
   */
  private sdp(ip: string, port: number, slides: boolean, bfcpPort: number, ice: number, shape = FULL_OFFER, answer = false, direction = 'sendrecv'): string {
    const r = this.rng;
    const sess = r.digits(10);
    const proto = shape.srtp ? 'RTP/SAVP' : 'RTP/AVP';
    const crypto = `^Ma=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${r.b64(40)}`;
    const audio = answer
      ? (shape.audio === 'g711' ? `8 101^Ma=rtpmap:8 PCMA/8000` : `108 101^M${AUDIO_SDP.split('^Ma=rtpmap:9 ')[0]}`) + '^Ma=rtpmap:101 telephone-event/8000^Ma=fmtp:101 0-15^Ma=sendrecv'
      : shape.audio === 'g711' ? `8 0 101^M${G711_SDP}` : `108 9 8 0 101^M${AUDIO_SDP}`;
    let s = `v=0^Mo=- ${sess} ${sess} IN IP4 ${ip}^Ms=-^Mc=IN IP4 ${ip}^Mb=AS:2048^Mt=0 0^Mm=audio ${port} ${proto} ${audio}` +
      (shape.srtp ? crypto : '');
    if (ice > 0) {
      s += `^Ma=ice-ufrag:${r.hex(8)}^Ma=ice-pwd:${r.b64(24)}`;
      for (let i = 1; i <= ice; i++) s += `^Ma=candidate:${i} 1 UDP ${2130706431 - i * 256} ${ip} ${port + i * 10} typ host`;
    }
    // Infinity answers H.264 in packetization mode 0, the offer's first video format
    const h264 = (sdp: string) => sdp.split('^Ma=rtpmap:126 ')[0]!;
    if (shape.video) {
      s += answer ? `^Mm=video ${port + 2} ${proto} 97^M${h264(VIDEO_SDP)}^Ma=rtcp-fb:* nack pli` : `^Mm=video ${port + 2} ${proto} 97 126 98^M` + VIDEO_SDP;
      s += '^Ma=content:main^Ma=label:11^Ma=sendrecv';
      if (ice > 0) for (let i = 1; i <= ice; i++) s += `^Ma=candidate:${i} 1 UDP ${2130706431 - i * 256} ${ip} ${port + 2 + i * 10} typ host`;
    }
    if (slides && shape.video) {
      s += answer ? `^Mm=video ${port + 4} ${proto} 97^M${h264(SLIDES_SDP)}^Ma=content:slides^Ma=label:12^Ma=sendrecv` : `^Mm=video ${port + 4} ${proto} 97 126^M` + SLIDES_SDP;
      s += `^Mm=application ${bfcpPort} TCP/BFCP *^Ma=floorctrl:${answer ? 's-only' : 'c-only'}^Ma=confid:1^Ma=userid:2^Ma=floorid:2 mstrm:12^Ma=setup:${answer ? 'passive' : 'active'}^Ma=connection:new`;
    }
    return direction === 'sendrecv' ? s : s.replaceAll('a=sendrecv', `a=${direction}`);
  }

  private sipRest(recv: boolean, src: string, sport: number, dst: string, dport: number, tr: string): string {
    return `Message="${recv ? 'Received SIP message' : 'Sending SIP message'}" Src-Address="${src}" Src-Port="${sport}" Dst-Address="${dst}" Dst-Port="${dport}" Transport="${tr}"`;
  }

  /** A call's SIP lines on node S with endpoint ep: received from it, and sent to it. */
  private sipSides(S: RNode, ci: number, ep: string, port: number, tr: string) {
    return {
      recv: (t: number, msg: string, lab: string) => this.sipLine(S, t, ci, true, ep, port, S.ip, port, tr, msg, lab),
      send: (t: number, msg: string, lab: string) => this.sipLine(S, t, ci, false, S.ip, port, ep, port, tr, msg, lab),
    };
  }

  private sipLine(n: RNode, t: number, call: number, recv: boolean, src: string, sport: number, dst: string, dport: number, tr: string, msg: string, lab: string): void {
    this.push(n, t, 'INFO', 'support.sip', this.sipRest(recv, src, sport, dst, dport, tr) + ` Detail="^M${msg}"`, call, call >= 0 ? K_SIP : 0, lab);
  }

  /** Emit msg as fragments. minFirst: fragment 1 must contain at least this many chars. Returns missing count. */
  private sipFragments(n: RNode, t: number, call: number, recv: boolean, src: string, sport: number, dst: string, dport: number, tr: string,
    msg: string, lab: string, minFirst: number, missing: boolean, outOfOrder: boolean): number {
    const r = this.rng;
    const total = Math.max(2, Math.min(8, Math.ceil(msg.length / r.range(350, 650))));
    const cuts: number[] = [0];
    const step = msg.length / total;
    for (let i = 1; i < total; i++) {
      let c = Math.round(step * i + (r.next() - 0.5) * step * 0.3);
      if (i === 1 && c < minFirst) c = minFirst + r.range(5, 40);
      if (c <= cuts[cuts.length - 1]! + 10) c = cuts[cuts.length - 1]! + 11;
      if (c >= msg.length - 5) break;
      if (msg.charCodeAt(c - 1) === 94 /* ^ */ && msg.charCodeAt(c) === 77 /* M */) c++;
      cuts.push(c);
    }
    cuts.push(msg.length);
    const nf = cuts.length - 1;
    const fid = r.uuid();
    const base = this.sipRest(recv, src, sport, dst, dport, tr);
    const order = Array.from({ length: nf }, (_, i) => i);
    if (outOfOrder) {
      r.shuffle(order);
      if (order[0] === 0) order.push(order.shift()!);
    }
    const skip = missing ? r.range(1, nf - 1) : -1; // never fragment 1 (index 0)
    let extra = 0;
    for (const i of order) {
      extra += 3;
      if (i === skip) continue;
      const chunk = msg.slice(cuts[i], cuts[i + 1]);
      this.push(n, t, 'INFO', 'support.sip',
        base + ` Fragment-Id="${fid}" Fragment-Number="${i + 1}" Fragment-Total="${nf}" Detail="^M${chunk}"`,
        call, i === 0 ? K_SIP : 0, i === 0 ? lab : null, extra);
    }
    this.fragSpread = extra + 3;
    return missing ? 1 : 0;
  }

  private sipCall(m: MeetCtx | null, T: number, dur: number, fail: readonly [number, string, string] | null, failSvc: Service | null): CallResult {
    const r = this.rng;
    const p = this.person();
    const media = m ? m.media : this.confNode();
    const S = this.sigNode(media);
    const tr = r.weighted([[3, 'TLS'], [3, 'TCP'], [2, 'UDP']] as const);
    const port = tr === 'TLS' ? 5061 : 5060;
    const ep = p.ip;
    const compact = r.chance(0.2);
    const H = compact ? HN_COMPACT : r.chance(0.06) ? HN_ODD : HN_LONG;
    const form = r.int(3);
    const callId = form === 0 ? r.hex(24) + '@' + ep : form === 1 ? r.uuid() : r.hex(16) + '-' + r.hex(8) + '@' + ep;
    const pid = r.uuid();
    const svc = m ? m.svc : failSvc;
    const aliasUser = svc ? svc.short : r.chance(0.5) ? String(r.range(8000, 8999)) : `meet.${r.hex(6)}`;
    const alias = `sip:${aliasUser}@example.com`;
    this.use(p, ep, true, true);
    const failed = fail !== null;
    if (svc) this.useSvc(svc, !failed, true);
    const ci = this.newCall({
      id: callId, ids: [callId, pid], protocol: 'SIP',
      conferenceId: failed || !m ? null : m.confId, conference: failed || !m ? null : m.svc.name,
      from: p.uri, to: alias, failed, reason: fail ? fail[2] : null,
      signalingNode: S.ip, mediaNode: media.ip,
    });
    const tc = this.calls[ci]!;
    tc.compactHeaders = compact;
    const tpl = tr.toLowerCase();
    const ftag = r.hex(10), ttag = r.hex(10), branch = 'z9hG4bK' + r.hex(12);
    const via = `${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=${branch};rport`;
    const cidH = `${H.cid}: ${callId}`;
    const fromH = `${H.from}: "${sipQuote(p.display)}" <${p.uri}>;tag=${ftag}`;
    const toH = `${H.to}: <${alias}>`;
    const toHT = `${toH};tag=${ttag}`;
    const { recv, send } = this.sipSides(S, ci, ep, port, tr);
    const { bare, withBody } = sipText(H);

    // INVITE
    const bfcp = !failed && r.chance(0.35);
    const fragmented = r.chance(0.25);
    const ice = fragmented ? r.range(2, 6) : 0;
    const epBfcp = r.range(5070, 5099);
    const mr = this.media;
    const shape: OfferShape = { srtp: mr.chance(0.93), audio: mr.chance(0.15) ? 'g711' : 'full', video: bfcp || !mr.chance(0.08) };
    tc.offer = { ...shape, hold: false };
    const epPort = r.range(2000, 60000) & ~1;
    const offer = this.sdp(ep, epPort, bfcp, epBfcp, ice, shape);
    const invite = withBody(`INVITE ${alias} SIP/2.0`, [via, cidH, fromH, toH, 'CSeq: 101 INVITE', 'Max-Forwards: 70',
      `${H.contact}: <sip:${p.user}@${ep}:${port};transport=${tpl}>`, `User-Agent: ${p.sipVendor}`, ALLOW,
      'Supported: replaces,timer', 'Session-Expires: 1800'], 'application/sdp', offer);
    let t = T;
    if (fragmented) {
      tc.fragmented = true;
      const minFirst = invite.indexOf(cidH) + cidH.length + 2;
      tc.missingFragments += this.sipFragments(S, t, ci, true, ep, port, S.ip, port, tr, invite, 'INVITE', minFirst, r.chance(0.12), r.chance(0.35));
      t += this.fragSpread;
    } else {
      recv(t, invite, 'INVITE');
    }
    if (this.polOn) t = this.policyAsked(S, t, ci, p, alias, ep, port, fail, svc ? svc.name : aliasUser);
    this.attempting(S, t + 2, ci, alias, p.uri, 'SIP', ep, pid);
    t += r.range(6, 20);
    const hsResp = [via, cidH, fromH, toH, 'CSeq: 101 INVITE'];
    send(t, bare('SIP/2.0 100 Trying', [...hsResp, `${H.clen}: 0`]), '100 Trying');
    if (fail) {
      t += r.range(40, 400);
      send(t, bare(`SIP/2.0 ${fail[0]} ${fail[1]}`, [via, cidH, fromH, toHT, 'CSeq: 101 INVITE', `${H.clen}: 0`]), `${fail[0]} ${fail[1]}`);
      t += r.range(15, 60);
      recv(t, bare(`ACK ${alias} SIP/2.0`, [via, cidH, fromH, toHT, 'CSeq: 101 ACK', `${H.clen}: 0`]), 'ACK');
      t += r.range(5, 15);
      this.failedLine(S, t, ci, alias, p.uri, 'SIP', ep, pid, fail[2]);
      return { join: -1, leave: t };
    }
    const m2 = m!;
    const contactPx = `${H.contact}: <sip:${aliasUser}@${S.ip}:${port};transport=${tpl}>`;
    if (r.chance(0.4)) {
      t += r.range(20, 80);
      send(t, bare('SIP/2.0 180 Ringing', [via, cidH, fromH, toHT, 'CSeq: 101 INVITE', contactPx, `${H.clen}: 0`]), '180 Ringing');
    }
    t += r.range(250, 1500);
    const pxBfcp = r.range(40000, 49999);
    const pxPort = r.range(30000, 39999) & ~1;
    const answer = this.sdp(media.ip, pxPort, bfcp, pxBfcp, 0, shape, true);
    // the session timer (RFC 4028): the endpoint asked for 1800 s, the answer takes it, the endpoint refreshes
    const ok = withBody('SIP/2.0 200 OK', [via, cidH, fromH, toHT, 'CSeq: 101 INVITE', contactPx, SERVER, 'Require: timer', `Session-Expires: ${SESSION_S};refresher=uac`], 'application/sdp', answer);
    const sessionAt = t;
    if (fragmented && r.chance(0.5)) {
      const minFirst = ok.indexOf(cidH) + cidH.length + 2;
      tc.missingFragments += this.sipFragments(S, t, ci, false, S.ip, port, ep, port, tr, ok, '200 OK', minFirst, false, r.chance(0.3));
      t += this.fragSpread;
    } else {
      send(t, ok, '200 OK');
    }
    t += r.range(20, 90);
    const ackStart = `ACK sip:${aliasUser}@${S.ip}:${port};transport=${tpl} SIP/2.0`;
    recv(t, bare(ackStart, [`${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=z9hG4bK${r.hex(12)};rport`, cidH, fromH, toHT, 'CSeq: 101 ACK', `${H.clen}: 0`]), 'ACK');
    t += r.range(10, 60);
    if (r.chance(0.06)) t = this.pinFailure(S, t + r.range(3000, 8000), ci, p.uri, alias, callId) + r.range(30, 200);
    // a guest who waits for a host (its own stream's draws), within the time the call was to last
    const admitted = t;
    const lr = this.lobby;
    const waits = lr.chance(0.05) && dur > 150_000 ? lr.range(8_000, 90_000) : 0;
    if (waits) {
      tc.waitedMs = waits;
      this.withRng(lr, () => this.waitingRoom(S, admitted, ci, p.uri, alias, callId, waits));
    }
    const join = admitted + waits;
    this.admin(S, join, ci, 'Message="Participant has joined." ' +
      this.partFields(m2, S, alias, p.uri, p.display, 'SIP', p.sipVendor, callId, pid, ep, false));
    // an endpoint that never refreshes its session is cut when the interval runs out (the node's BYE
    // goes out 32 s before it); its other lines keep to that shorter time
    const lapses = mr.chance(0.2) && dur > (SESSION_S + 120) * 1000;
    tc.timer = { refreshes: 0, lapsed: lapses };
    const end = lapses ? sessionAt + (SESSION_S - 32) * 1000 : admitted + dur;
    const upFor = end - join;
    let epSeq = 102, pxSeq = 1;
    const inDialog = (method: string, fromEp: boolean, at: number, body: string | null, ctype = '', answer = '200 OK') => {
      const v = fromEp ? `${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=z9hG4bK${r.hex(12)};rport`
        : `${H.via}: SIP/2.0/${tr} ${S.ip}:${port};branch=z9hG4bK${r.hex(12)}`;
      const f = fromEp ? fromH : `${H.from}: <${alias}>;tag=${ttag}`;
      const to = fromEp ? toHT : `${H.to}: "${sipQuote(p.display)}" <${p.uri}>;tag=${ftag}`;
      const cs = `CSeq: ${fromEp ? epSeq++ : pxSeq++} ${method}`;
      const ruri = fromEp ? `sip:${aliasUser}@${S.ip}:${port}` : `sip:${p.user}@${ep}:${port}`;
      const req = body === null ? bare(`${method} ${ruri} SIP/2.0`, [v, cidH, f, to, cs, `${H.clen}: 0`])
        : withBody(`${method} ${ruri} SIP/2.0`, [v, cidH, f, to, cs], ctype, body);
      const resp = bare(`SIP/2.0 ${answer}`, [v, cidH, f, to, cs, `${H.clen}: 0`]);
      if (fromEp) {
        recv(at, req, method);
        send(at + r.range(8, 30), resp, answer);
      } else {
        send(at, req, method);
        recv(at + r.range(15, 80), resp, answer);
      }
    };
    if (r.chance(0.35) && upFor > 5000) {
      const xml = '<?xml version="1.0" encoding="utf-8" ?>^M<media_control>^M  <vc_primitive>^M    <to_encoder>^M      <picture_fast_update/>^M    </to_encoder>^M  </vc_primitive>^M</media_control>';
      inDialog('INFO', true, join + r.range(500, 3000), xml, 'application/media_control+xml');
    }
    if (bfcp) {
      const bf = r.chance(0.6);
      let tid = r.range(1, 20);
      const frid = r.range(1, 9);
      const bt0 = join + r.range(150, 600);
      const bline = (at: number, fromEp: boolean, prim: string, extra: string, fields: string) => {
        const src = fromEp ? ep : media.ip, dst = fromEp ? media.ip : ep;
        const sp = fromEp ? epBfcp : pxBfcp, dp = fromEp ? pxBfcp : epBfcp;
        const tag = `Message="${fromEp ? 'Received BFCP message' : 'Sending BFCP message'}" Src-Address="${src}" Src-Port="${sp}" Dst-Address="${dst}" Dst-Port="${dp}" Call-Id="${callId}"`;
        const id = tid++;
        const rest = bf
          ? `${tag} Detail="${prim}(CommonHeader(version=1, R=0, F=0, primitive=${prim}, payload_length=8, conference_id=1, trans_id=${id}, user_id=2)${extra})"`
          : `${tag} Primitive="${prim}" Transaction-Id="${id}"${fields}`;
        this.push(media, at, 'INFO', 'support.bfcp', rest, ci, K_BFCP, prim);
      };
      bline(bt0, true, 'Hello', '', '');
      bline(bt0 + 10, false, 'HelloAck', '', '');
      if (r.chance(0.75) && upFor > 8000) {
        const tp = bt0 + 200 + r.int(Math.max(1, Math.floor(upFor * 0.4)));
        bline(tp, true, 'FloorRequest', ', FloorId(floor_id=2)', '');
        bline(tp + 10, false, 'FloorRequestStatus', `, FloorRequestInformation(floor_request_id=${frid}, request_status=Pending(2))`, ` Floor-Request-Id="${frid}" Floor-Status="Pending"`);
        // a refused request (its own stream's draw) ends there: the lines it lacks take their draws
        const denied = this.floor.chance(0.1);
        const [status, code] = denied ? ['Denied', 4] : ['Granted', 3];
        bline(tp + 25, false, 'FloorRequestStatus', `, FloorRequestInformation(floor_request_id=${frid}, request_status=${status}(${code}))`, ` Floor-Request-Id="${frid}" Floor-Status="${status}"`);
        bline(tp + 40, true, 'FloorRequestStatusAck', '', '');
        tc.presentation = { spells: denied ? 0 : 1, refused: denied ? 1 : 0 };
        if (denied) this.skipPush();
        else this.presenting(m2, tp + 60, ci, p.uri, callId, true);
        const tr2 = tp + 1000 + r.int(Math.max(1, end - tp - 3000));
        if (denied) for (let k = 0; k < 3; k++) this.skipPush();
        else {
          bline(tr2, true, 'FloorRelease', `, FloorRequestId(floor_request_id=${frid})`, ` Floor-Request-Id="${frid}"`);
          bline(tr2 + 10, false, 'FloorRequestStatus', `, FloorRequestInformation(floor_request_id=${frid}, request_status=Released(5))`, ` Floor-Request-Id="${frid}" Floor-Status="Released"`);
          this.presenting(m2, tr2 + 50, ci, p.uri, callId, false);
        }
      }
    }
    // the endpoint's own requests in the dialog (the media stream's), in time order for their CSeqs
    const epRequests: Array<[number, () => void]> = [];
    const epHeaders = (method: string) =>
      [`${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=z9hG4bK${mr.hex(12)};rport`, cidH, fromH, toHT, `CSeq: ${epSeq++} ${method}`];
    if (mr.chance(0.06) && upFor > 60000 && !lapses) {
      // it puts the call on hold and takes it back: re-INVITEs sendonly, then sendrecv (each refreshes
      // the session too: one that lets its session lapse does not)
      tc.offer.hold = true;
      const held = join + mr.range(6000, Math.floor(upFor / 2));
      const back = held + mr.range(5000, Math.floor(upFor / 3));
      for (const [at, dir, answered] of [[held, 'sendonly', 'recvonly'], [back, 'sendrecv', 'sendrecv']] as const) {
        epRequests.push([at, () => {
          const hs = epHeaders('INVITE');
          recv(at, withBody(`INVITE sip:${aliasUser}@${S.ip}:${port} SIP/2.0`, hs, 'application/sdp', this.sdp(ep, epPort, bfcp, epBfcp, 0, shape, false, dir)), 'INVITE');
          send(at + mr.range(20, 120), withBody('SIP/2.0 200 OK', [...hs, contactPx], 'application/sdp', this.sdp(media.ip, pxPort, bfcp, pxBfcp, 0, shape, true, answered)), '200 OK');
          recv(at + mr.range(150, 300), bare(`ACK sip:${aliasUser}@${S.ip}:${port} SIP/2.0`, [hs[0]!, cidH, fromH, toHT, `CSeq: ${epSeq - 1} ACK`, `${H.clen}: 0`]), 'ACK');
        }]);
      }
      tc.timer.refreshes += 2;
    }
    // it refreshes the session every half interval, as the refresher (RFC 4028 §10), unless it lapses
    for (let at = sessionAt + (SESSION_S / 2) * 1000 + mr.range(0, 3000); !lapses && at < end - 5000; at += (SESSION_S / 2) * 1000 + mr.range(0, 3000)) {
      const when = at;
      epRequests.push([when, () => {
        const hs = epHeaders('UPDATE');
        recv(when, bare(`UPDATE sip:${aliasUser}@${S.ip}:${port} SIP/2.0`, [...hs, `Session-Expires: ${SESSION_S};refresher=uac`, `${H.clen}: 0`]), 'UPDATE');
        send(when + mr.range(8, 30), bare('SIP/2.0 200 OK', [...hs, 'Require: timer', `Session-Expires: ${SESSION_S};refresher=uac`, `${H.clen}: 0`]), '200 OK');
      }]);
      tc.timer.refreshes++;
    }
    this.withRng(mr, () => {
      for (const [, emit] of epRequests.sort((a, b) => a[0] - b[0])) emit();
    });
    if (r.chance(0.25) && upFor > 60000) {
      // the node's UPDATE; an endpoint that lets its session lapse refuses it (a refresh it does not take part in)
      inDialog('UPDATE', false, join + r.range(30000, Math.max(30001, upFor - 10000)), null, '', lapses ? '501 Not Implemented' : '200 OK');
      if (!lapses) tc.timer.refreshes++;
    }
    // a transfer the node asks of the endpoint (RFC 3515; its own stream's draws), after the
    // dialog's last refresh: the REFER, its answer, and the endpoint's NOTIFYs of the new call
    let transferred = false;
    if (this.xferOn && !lapses && upFor > 60_000 && this.xfer.chance(0.2)) {
      const x = this.xfer;
      const to = `sip:${x.pick(this.services.filter((sv) => sv.owner === null)).short}@example.com`;
      const answer = x.chance(0.15) ? x.pick(['403 Forbidden', '405 Method Not Allowed', '501 Not Implemented']) : '202 Accepted';
      const outcome = answer === '202 Accepted' ? (x.chance(0.7) ? '200 OK' : x.pick(['486 Busy Here', '404 Not Found', '603 Decline'])) : null;
      tc.transfer = { to, answer, outcome };
      const at = end - x.range(4000, 4900);
      this.withRng(x, () => {
        const hs = [`${H.via}: SIP/2.0/${tr} ${S.ip}:${port};branch=z9hG4bK${x.hex(12)}`, cidH, `${H.from}: <${alias}>;tag=${ttag}`, `${H.to}: "${sipQuote(p.display)}" <${p.uri}>;tag=${ftag}`, `CSeq: ${pxSeq++} REFER`];
        send(at, bare(`REFER sip:${p.user}@${ep}:${port} SIP/2.0`, [...hs, `Refer-To: <${to}>`, `Referred-By: <${alias}>`, contactPx, `${H.clen}: 0`]), 'REFER');
        recv(at + x.range(15, 80), bare(`SIP/2.0 ${answer}`, [...hs, `${H.clen}: 0`]), answer);
        if (outcome === null) return;
        let t = at + x.range(100, 300);
        for (const [frag, state] of [['100 Trying', 'active;expires=60'], [outcome, 'terminated;reason=noresource']] as const) {
          const ns = [`${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=z9hG4bK${x.hex(12)};rport`, cidH, fromH, toHT, `CSeq: ${epSeq++} NOTIFY`];
          recv(t, withBody(`NOTIFY sip:${aliasUser}@${S.ip}:${port} SIP/2.0`, [...ns, 'Event: refer', `Subscription-State: ${state}`], 'message/sipfrag', `SIP/2.0 ${frag}`), 'NOTIFY');
          send(t + x.range(8, 30), bare('SIP/2.0 200 OK', [...ns, `${H.clen}: 0`]), '200 OK');
          t += x.range(1500, 3000);
        }
      });
      // transferred: the endpoint leaves the node's call for the new one
      transferred = outcome === '200 OK';
    }
    // teardown (a lapsed session: the node hangs up, whoever the draw would have had do it)
    const drawnByEp = r.chance(0.75);
    const byEp = (drawnByEp && !lapses) || transferred;
    inDialog('BYE', byEp, end, null);
    // a media path blocked one way (its own stream's draw): the node received nothing from it
    const blocked = this.path.chance(0.04) && upFor > 30_000;
    if (blocked) tc.noMediaReceived = true;
    this.mediaDestroyed(m2, join, end + r.range(5, 20), ci, p.uri, callId, shape, blocked);
    const dl = end + r.range(30, 90);
    const drawn = drawnByEp ? DISCONNECT_REMOTE : r.pick(DISCONNECT_LOCAL); // (drawn as for any call)
    const reason = lapses ? DISCONNECT_SESSION_EXPIRED : transferred ? DISCONNECT_REMOTE : drawn;
    tc.reason = reason;
    if (reason === DISCONNECT_BY_ADMIN) this.adminDisconnect(end, ci, p.uri, pid);
    this.admin(S, dl, ci, 'Message="Participant has disconnected." ' +
      this.partFields(m2, S, alias, p.uri, p.display, 'SIP', null, callId, pid, ep, true) +
      ` Duration="${((dl - join) / 1000).toFixed(3)}" Detail="${reason}"`);
    return { join, leave: dl };
  }

  // ------------------------------------------------------------------------------------------
  // H.323

  private h323Call(m: MeetCtx | null, T: number, dur: number, failMode: 'lrj' | 'q931' | null, failSvc: Service | null): CallResult {
    const r = this.rng;
    const p = this.person();
    const media = m ? m.media : this.confNode();
    const S = this.sigNode(media);
    const ep = p.ip;
    const uuid = r.uuid();
    const pid = r.uuid();
    const svc = m ? m.svc : failSvc;
    const alias = svc ? (r.chance(0.5) ? svc.numeric : svc.short) : String(r.range(8000, 8999));
    const dialed = /^\d+$/.test(alias) ? `dialedDigits: ^M        ${alias}` : `h323_ID: ^M        ${alias}`;
    const failed = failMode !== null;
    // an LRQ rejected by us never reaches the endpoint: only the dialed alias and the caller's name appear
    this.use(p, failMode === 'lrj' ? null : ep, false, true, true);
    if (failMode !== 'lrj') this.hexIps.add(hexIp(ep));
    if (svc) this.useSvc(svc, !failed, alias === svc.short);
    const reasonText = failMode === 'lrj' ? 'requestDenied' : failMode === 'q931' ? 'Neither conference nor gateway found' : null;
    const ci = this.newCall({
      id: uuid, ids: [uuid, pid], protocol: 'H323',
      conferenceId: failed || !m ? null : m.confId, conference: failed || !m ? null : m.svc.name,
      from: p.display, to: alias, failed, reason: reasonText,
      signalingNode: S.ip, mediaNode: media.ip,
    });
    const ras = failMode === 'lrj' ? 'lrq' : r.weighted([[5, 'lrq'], [3, 'arq'], [2, 'none']] as const);
    const sHex = hexIp(S.ip), eHex = hexIp(ep), gkHex = hexIp(GATEKEEPER_IP);
    const rasLine = (at: number, fromGk: boolean, body: string, lab: string) => {
      const rest = `Message="${fromGk ? 'Received RAS message' : 'Sending RAS message'}" Src-Address="${fromGk ? GATEKEEPER_IP : S.ip}" Src-Port="1719" Dst-Address="${fromGk ? S.ip : GATEKEEPER_IP}" Dst-Port="1719" Uuid="${uuid}" Detail="^M${body}"`;
      this.push(S, at, 'INFO', 'support.h323.ras', rest, ci, K_RAS, lab);
    };
    const eport = r.range(11000, 12999);
    const q931 = (at: number, fromEp: boolean, lab: string, body: string) => {
      const rest = `Message="${fromEp ? 'Received H.225 message' : 'Sending H.225 message'}" Src-Address="${fromEp ? ep : S.ip}" Src-Port="${fromEp ? eport : 1720}" Dst-Address="${fromEp ? S.ip : ep}" Dst-Port="${fromEp ? 1720 : eport}" Uuid="${uuid}" Detail="^Mh323_uu_pdu: h323_message_body: ${lab}: ^M    protocolIdentifier: 0.0.8.2250.0.5${body}"`;
      this.push(S, at, 'INFO', 'support.h323.q931', rest, ci, K_Q931, lab);
    };
    let t = T;
    let seq = this.gkSeq++;
    if (ras === 'lrq') {
      rasLine(t, true, `locationRequest: ^M    requestSeqNum: ${seq}^M    destinationInfo: ^M      ${dialed}^M    replyAddress: ^M      ipAddress: ^M        ip: ${gkHex}^M        port: 1719^M    sourceInfo: ^M      h323_ID: ^M        ${p.display}`, 'locationRequest');
      t += r.range(8, 20);
      if (failMode === 'lrj') {
        rasLine(t, false, `locationReject: ^M    requestSeqNum: ${seq}^M    rejectReason: requestDenied: NULL`, 'locationReject');
        return { join: -1, leave: t };
      }
      rasLine(t, false, `locationConfirm: ^M    requestSeqNum: ${seq}^M    callSignalAddress: ^M      ipAddress: ^M        ip: ${sHex}^M        port: 1720`, 'locationConfirm');
      t += r.range(60, 250);
    }
    this.push(S, t, 'INFO', 'support.h323.q931',
      `Message="TCP Connection established" Local-Address="${S.ip}" Local-Port="1720" Remote-Address="${ep}" Remote-Port="${eport}" Uuid="${uuid}"`, ci);
    t += r.range(8, 15);
    const confGuid = r.uuid();
    q931(t, true, 'setup', `^M    sourceAddress: ^M      h323_ID: ^M        ${p.display}^M    sourceInfo: ^M      vendor: ^M        vendor: ${p.h323Vendor}^M    destinationAddress: ^M      ${dialed}^M    destCallSignalAddress: ^M      ipAddress: ^M        ip: ${sHex}^M        port: 1720^M    sourceCallSignalAddress: ^M      ipAddress: ^M        ip: ${eHex}^M        port: ${eport}^M    callIdentifier: ^M      guid: ${uuid}^M    conferenceID: ${confGuid}^M    conferenceGoal: create: NULL`);
    this.attempting(S, t + 3, ci, alias, p.display, 'H323', ep, pid);
    t += r.range(10, 20);
    if (ras === 'arq') {
      seq = this.gkSeq++;
      rasLine(t, false, `admissionRequest: ^M    requestSeqNum: ${seq}^M    callType: pointToPoint: NULL^M    endpointIdentifier: ${r.hex(16).toUpperCase()}^M    srcInfo: ^M      h323_ID: ^M        ${p.display}^M    destinationInfo: ^M      ${dialed}^M    bandWidth: 7680^M    callReferenceValue: ${r.range(1, 32000)}^M    conferenceID: ${confGuid}^M    activeMC: False^M    answerCall: True^M    callIdentifier: ^M      guid: ${uuid}`, 'admissionRequest');
      t += r.range(10, 25);
      rasLine(t, true, `admissionConfirm: ^M    requestSeqNum: ${seq}^M    bandWidth: 7680^M    callModel: direct: NULL^M    destCallSignalAddress: ^M      ipAddress: ^M        ip: ${sHex}^M        port: 1720`, 'admissionConfirm');
      t += r.range(5, 15);
    }
    const p245 = r.range(34000, 34999);
    q931(t, false, 'callProceeding', `^M    h245Address: ^M      ipAddress: ^M        ip: ${sHex}^M        port: ${p245}`);
    const disengage = (at: number) => {
      if (ras === 'none') return at;
      const s2 = this.gkSeq++;
      rasLine(at, false, `disengageRequest: ^M    requestSeqNum: ${s2}^M    callIdentifier: ^M      guid: ${uuid}^M    disengageReason: normalDrop: NULL`, 'disengageRequest');
      at += r.range(10, 25);
      rasLine(at, true, `disengageConfirm: ^M    requestSeqNum: ${s2}`, 'disengageConfirm');
      return at;
    };
    if (failMode === 'q931') {
      t += r.range(30, 120);
      q931(t, false, 'releaseComplete', '^M    reason: calledPartyNotRegistered: NULL');
      t += r.range(5, 15);
      this.failedLine(S, t, ci, alias, p.display, 'H323', ep, pid, reasonText!);
      t = disengage(t + r.range(20, 60));
      return { join: -1, leave: t };
    }
    const m2 = m!;
    if (r.chance(0.4)) {
      t += r.range(30, 150);
      q931(t, false, 'alerting', '^M    destinationInfo: ^M      mc: False');
    }
    t += r.range(300, 1500);
    q931(t, false, 'connect', `^M    h245Address: ^M      ipAddress: ^M        ip: ${sHex}^M        port: ${p245}^M    conferenceID: ${confGuid}`);
    t += r.range(80, 250);
    const e245 = r.range(12000, 12999);
    this.push(S, t, 'INFO', 'support.h323.h245',
      `Message="TCP Connection established" Local-Address="${S.ip}" Local-Port="${p245}" Remote-Address="${ep}" Remote-Port="${e245}" Uuid="${uuid}"`, ci);
    const h245 = (at: number, fromEp: boolean, kind: string, lab: string, body: string) => {
      const rest = `Message="${fromEp ? 'Received H.245 message' : 'Sending H.245 message'}" Src-Address="${fromEp ? ep : S.ip}" Src-Port="${fromEp ? e245 : p245}" Dst-Address="${fromEp ? S.ip : ep}" Dst-Port="${fromEp ? p245 : e245}" Uuid="${uuid}" Detail="^Mh245: ^M  ${kind}: ${lab}: ${body}"`;
      this.push(S, at, 'INFO', 'support.h323.h245', rest, ci, K_H245, lab);
    };
    const tcsBody = '^M    sequenceNumber: 1^M    protocolIdentifier: 0.0.8.245.0.13^M    multiplexCapability: h2250Capability: ^M      maximumAudioDelayJitter: 60^M    capabilityTable: ^M      capabilityTableEntryNumber: 1^M      capability: receiveAudioCapability: g722_64k: 60^M      capabilityTableEntryNumber: 2^M      capability: receiveVideoCapability: h264: profile 64 level 71^M      capabilityTableEntryNumber: 3^M      capability: genericControlCapability: capabilityIdentifier: standard: 0.0.8.239.1.1';
    t += 10; h245(t, false, 'request', 'terminalCapabilitySet', tcsBody);
    t += 10; h245(t, true, 'request', 'terminalCapabilitySet', tcsBody);
    t += 10; h245(t, false, 'response', 'terminalCapabilitySetAck', '^M    sequenceNumber: 1');
    t += 10; h245(t, true, 'response', 'terminalCapabilitySetAck', '^M    sequenceNumber: 1');
    t += 10; h245(t, false, 'request', 'masterSlaveDetermination', `^M    terminalType: 190^M    statusDeterminationNumber: ${r.range(1, 16777215)}`);
    t += 10; h245(t, true, 'response', 'masterSlaveDeterminationAck', '^M    decision: master: NULL');
    t += 10; h245(t, false, 'response', 'masterSlaveDeterminationAck', '^M    decision: slave: NULL');
    const olc = (at: number, fromEp: boolean, ch: number, audio: boolean) => {
      const ipx = fromEp ? eHex : hexIp(media.ip);
      h245(at, fromEp, 'request', 'openLogicalChannel',
        `^M    forwardLogicalChannelNumber: ${ch}^M    forwardLogicalChannelParameters: dataType: ${audio ? 'audioData: g722_64k: 60' : 'videoData: h264'}^M    multiplexParameters: h2250LogicalChannelParameters: ^M      sessionID: ${audio ? 1 : 2}^M      mediaControlChannel: ^M        unicastAddress: ^M          network: ${ipx}^M          tsapIdentifier: ${r.range(2000, 40000) | 1}`);
    };
    const olcAck = (at: number, fromEp: boolean, ch: number) => {
      const ipx = fromEp ? eHex : hexIp(media.ip);
      h245(at, fromEp, 'response', 'openLogicalChannelAck',
        `^M    forwardLogicalChannelNumber: ${ch}^M    mediaChannel: ^M      unicastAddress: ^M        network: ${ipx}^M        tsapIdentifier: ${r.range(2000, 40000) & ~1}`);
    };
    t += 20; olc(t, false, 1, true);
    t += 10; olc(t, false, 2, false);
    t += 15; olc(t, true, 101, true);
    t += 10; olc(t, true, 102, false);
    t += 20; olcAck(t, true, 1);
    t += 10; olcAck(t, true, 2);
    t += 10; olcAck(t, false, 101);
    t += 10; olcAck(t, false, 102);
    t += r.range(30, 120);
    if (r.chance(0.05)) t = this.pinFailure(S, t + r.range(3000, 8000), ci, p.display, alias, uuid) + r.range(30, 200);
    const join = t;
    this.admin(S, t, ci, 'Message="Participant has joined." ' +
      this.partFields(m2, S, alias, p.display, p.display, 'H323', p.h323Vendor, uuid, pid, ep, false));
    const end = join + dur;
    if (r.chance(0.3)) {
      q931(join + r.range(200, 2000), false, 'facility', `^M    callIdentifier: ^M      guid: ${uuid}^M    reason: transportedInformation: NULL`);
    }
    if (r.chance(0.5)) {
      h245(join + r.range(2000, 5000), true, 'command', 'miscellaneousCommand', '^M    logicalChannelNumber: 2^M    type: videoFastUpdatePicture: NULL');
    }
    if (r.chance(0.35) && dur > 20000) {
      const tp = join + 6000 + r.int(Math.max(1, Math.floor(dur * 0.4)));
      h245(tp, true, 'request', 'genericRequest', '^M    messageIdentifier: standard: 0.0.8.239.2^M    subMessageIdentifier: 5^M    h239: presentationTokenRequest^M    messageContent: ^M      parameterIdentifier: standard: 44^M      parameterValue: unsignedMin: 1');
      // H.239's acknowledge is parameter 126, its reject 127 (a reject: no presenting, its lines' draws taken)
      const rejected = this.floor.chance(0.1);
      h245(tp + 15, false, 'response', 'genericResponse', `^M    messageIdentifier: standard: 0.0.8.239.2^M    subMessageIdentifier: 6^M    h239: presentationTokenResponse^M    messageContent: ^M      parameterIdentifier: standard: ${rejected ? 127 : 126}^M      parameterValue: logical: NULL`);
      this.calls[ci]!.presentation = { spells: rejected ? 0 : 1, refused: rejected ? 1 : 0 };
      if (rejected) this.skipPush();
      else this.presenting(m2, tp + 40, ci, p.display, uuid, true);
      const tr2 = tp + 1000 + r.int(Math.max(1, end - tp - 3000));
      if (rejected) for (let k = 0; k < 2; k++) this.skipPush();
      else {
        h245(tr2, true, 'indication', 'genericIndication', '^M    messageIdentifier: standard: 0.0.8.239.2^M    subMessageIdentifier: 7^M    h239: presentationTokenRelease');
        this.presenting(m2, tr2 + 40, ci, p.display, uuid, false);
      }
    }
    // teardown
    const byEp = r.chance(0.7);
    h245(end, byEp, 'command', 'endSessionCommand', '^M    disconnect: NULL');
    h245(end + 10, !byEp, 'command', 'endSessionCommand', '^M    disconnect: NULL');
    q931(end + r.range(30, 60), byEp, 'releaseComplete', `^M    reason: ${byEp ? 'undefinedReason' : 'destinationRejection'}: NULL`);
    const te = disengage(end + r.range(80, 120));
    this.mediaDestroyed(m2, join, te + 5, ci, p.display, uuid);
    const dl = te + r.range(30, 60);
    const reason = byEp ? DISCONNECT_REMOTE : r.pick(DISCONNECT_LOCAL);
    this.calls[ci]!.reason = reason;
    if (reason === DISCONNECT_BY_ADMIN) this.adminDisconnect(end, ci, p.display, pid);
    this.admin(S, dl, ci, 'Message="Participant has disconnected." ' +
      this.partFields(m2, S, alias, p.display, null, 'H323', null, uuid, pid, ep, true) +
      ` Duration="${((dl - join) / 1000).toFixed(3)}" Detail="${reason}"`);
    return { join, leave: dl };
  }

  // ------------------------------------------------------------------------------------------
  // calls the nodes place

  /**
   * A call the node places (GenOptions.dialOuts): a host dialling a participant out of its
   * conference, or the Infinity Gateway's outbound leg of an incoming call (`gateway`: the alias
   * that call dialled, whose owner it calls, and its caller, whom the INVITE presents). "Placing
   * outbound call" (administrator.participantdialer: no Call-Id, only the conference's alias, the
   * alias called and the role), then the node's INVITE to the far end, which answers or refuses
   * it; `until`: when it ends at the latest.
   */
  private sipDialOut(m: MeetCtx, T: number, until: number, gateway: { alias: string; callee: Person; caller: { uri: string; display: string } } | null): CallResult {
    const r = this.rng;
    const p = gateway ? gateway.callee : this.person();
    const S = m.media;
    const tr = 'TCP', port = 5060, tpl = 'tcp';
    const ep = p.ip;
    const H = HN_LONG;
    const callId = `${r.uuid()}@${S.ip}`;
    const pid = r.uuid();
    const confAlias = gateway ? gateway.alias : `${m.svc.short}@example.com`;
    const role = gateway ? 'guest' : r.weighted([[3, 'guest'], [1, 'host']] as const);
    const fail = r.chance(0.25) ? r.pick(DIAL_FAILURES) : null;
    this.use(p, ep, true, true);
    this.useSvc(m.svc, true, true);
    const ci = this.newCall({
      id: callId, ids: [callId, pid], protocol: 'SIP',
      conferenceId: fail ? null : m.confId, conference: fail ? null : m.svc.name,
      from: gateway ? gateway.caller.uri : `sip:${confAlias}`, to: p.uri, failed: fail !== null, reason: fail ? fail[2] : null,
      signalingNode: S.ip, mediaNode: S.ip,
    });
    const tc = this.calls[ci]!;
    tc.dialOut = { conferenceAlias: confAlias, conferenceId: m.confId, role, gateway: gateway ? m.svc.name : null };
    const dialed = gateway
      ? `Message="Placing outbound call" Conference="${esc(m.svc.name)}:${m.confId}" ConferenceAlias="${esc(confAlias)}" DisplayName="${esc(gateway.caller.display)}" Participant-alias="${p.uri}" Protocol="SIP" Role="${role}"`
      : `Message="Placing outbound call" ConferenceAlias="${esc(confAlias)}" DisplayName="${esc(m.svc.short)}" Participant-alias="${p.uri}" Protocol="SIP" Role="${role}"`;
    this.push(S, T, 'INFO', 'administrator.participantdialer', dialed);
    // the node looks up the domain dialled and waits for it: one lookup in five is slow, and the call rings late
    const domain = p.uri.replace(/^[^@]*@/, '').replace(/[;>].*$/, '');
    const ms = r.chance(0.2) ? r.range(1500, 3500) : r.range(5, 150);
    tc.dns = { type: 'SRV', target: `_sip._tcp.${domain}`, result: ep, ms };
    this.push(S, T + 5, 'INFO', 'support.dns', `Message="DNS record lookup succeeded" Type="SRV" Target="_sip._tcp.${domain}" Result="${ep}" Duration="${(ms / 1000).toFixed(3)}"`);
    const ftag = r.hex(10), ttag = r.hex(10);
    const via = `${H.via}: SIP/2.0/${tr} ${S.ip}:${port};branch=z9hG4bK${r.hex(12)}`;
    const cidH = `${H.cid}: ${callId}`;
    // the gateway presents the caller; a conference, itself
    const [fromName, fromUri] = gateway ? [gateway.caller.display, gateway.caller.uri] : [m.svc.name, `sip:${confAlias}`];
    const fromH = `${H.from}: "${sipQuote(fromName)}" <${fromUri}>;tag=${ftag}`;
    const toH = `${H.to}: <${p.uri}>`;
    const toHT = `${toH};tag=${ttag}`;
    const { recv, send } = this.sipSides(S, ci, ep, port, tr);
    const { bare, withBody } = sipText(H);
    const shape: OfferShape = { srtp: true, audio: 'full', video: true };
    const pxPort = r.range(30000, 39999) & ~1;
    let t = T + 5 + ms + r.range(20, 60);
    send(t, withBody(`INVITE ${p.uri} SIP/2.0`, [via, cidH, fromH, toH, 'CSeq: 1 INVITE', 'Max-Forwards: 70',
      `${H.contact}: <sip:${confAlias.replace(/@.*/, '')}@${S.ip}:${port};transport=${tpl}>`, SERVER, ALLOW, 'Supported: timer'], 'application/sdp', this.sdp(S.ip, pxPort, false, 0, 0, shape)), 'INVITE');
    this.attempting(S, t + 2, ci, confAlias, p.uri, 'SIP', ep, pid, 'out');
    const resp = (code: string, more: string[] = []) => bare(`SIP/2.0 ${code}`, [via, cidH, fromH, code.startsWith('100') ? toH : toHT, 'CSeq: 1 INVITE', ...more, `${H.clen}: 0`]);
    t += r.range(15, 60);
    recv(t, resp('100 Trying'), '100 Trying');
    t += r.range(40, 200);
    recv(t, resp('180 Ringing'), '180 Ringing');
    t += r.range(2000, 12000);
    if (fail) {
      recv(t, resp(`${fail[0]} ${fail[1]}`), `${fail[0]} ${fail[1]}`);
      send(t + r.range(5, 20), bare(`ACK ${p.uri} SIP/2.0`, [via, cidH, fromH, toHT, 'CSeq: 1 ACK', `${H.clen}: 0`]), 'ACK');
      t += r.range(20, 60);
      this.failedLine(S, t, ci, confAlias, p.uri, 'SIP', ep, pid, fail[2], 'out');
      return { join: -1, leave: t };
    }
    const contactEp = `${H.contact}: <sip:${p.user}@${ep}:${port};transport=${tpl}>`;
    recv(t, withBody('SIP/2.0 200 OK', [via, cidH, fromH, toHT, 'CSeq: 1 INVITE', contactEp, `User-Agent: ${p.sipVendor}`], 'application/sdp', this.sdp(ep, r.range(2000, 60000) & ~1, false, 0, 0, shape, true)), '200 OK');
    t += r.range(10, 40);
    send(t, bare(`ACK sip:${p.user}@${ep}:${port};transport=${tpl} SIP/2.0`, [`${H.via}: SIP/2.0/${tr} ${S.ip}:${port};branch=z9hG4bK${r.hex(12)}`, cidH, fromH, toHT, 'CSeq: 1 ACK', `${H.clen}: 0`]), 'ACK');
    const join = t + r.range(10, 60);
    this.admin(S, join, ci, 'Message="Participant has joined." ' +
      this.partFields(m, S, confAlias, p.uri, p.display, 'SIP', p.sipVendor, callId, pid, ep, false, 'out'));
    const end = Math.max(join + 5000, Math.min(until, join + this.duration()));
    const byEp = r.chance(0.6);
    const byeVia = byEp ? `${H.via}: SIP/2.0/${tr} ${ep}:${port};branch=z9hG4bK${r.hex(12)};rport` : `${H.via}: SIP/2.0/${tr} ${S.ip}:${port};branch=z9hG4bK${r.hex(12)}`;
    const bf = byEp ? `${H.from}: <${p.uri}>;tag=${ttag}` : fromH;
    const bt = byEp ? `${H.to}: "${sipQuote(fromName)}" <${fromUri}>;tag=${ftag}` : toHT;
    const bye = bare(`BYE ${byEp ? `sip:${confAlias.replace(/@.*/, '')}@${S.ip}:${port}` : `sip:${p.user}@${ep}:${port}`} SIP/2.0`, [byeVia, cidH, bf, bt, `CSeq: ${byEp ? 1 : 2} BYE`, `${H.clen}: 0`]);
    const ok = bare('SIP/2.0 200 OK', [byeVia, cidH, bf, bt, `CSeq: ${byEp ? 1 : 2} BYE`, `${H.clen}: 0`]);
    if (byEp) (recv(end, bye, 'BYE'), send(end + r.range(8, 30), ok, '200 OK'));
    else (send(end, bye, 'BYE'), recv(end + r.range(15, 80), ok, '200 OK'));
    this.mediaDestroyed(m, join, end + r.range(5, 20), ci, p.uri, callId, shape);
    const dl = end + r.range(30, 90);
    const reason = byEp ? DISCONNECT_REMOTE : gateway ? 'Gateway call ended' : r.pick(DISCONNECT_LOCAL);
    tc.reason = reason;
    this.admin(S, dl, ci, 'Message="Participant has disconnected." ' +
      this.partFields(m, S, confAlias, p.uri, p.display, 'SIP', null, callId, pid, ep, true, 'out') +
      ` Duration="${((dl - join) / 1000).toFixed(3)}" Detail="${reason}"`);
    return { join, leave: dl };
  }

  /**
   * A call through the Infinity Gateway: an incoming SIP call to an alias a Call Routing Rule
   * matches (not a conference's), and the node's outbound leg to that alias's owner, both in the
   * gateway's "conference" (the rule). Each leg's truth names the other.
   */
  private gatewayCall(T: number): void {
    const r = this.rng;
    const rule = r.pick(GATEWAY_RULES);
    const callee = this.person();
    const media = this.confNode();
    const svc: Service = { name: rule, short: callee.user, numeric: '', owner: null };
    const m: MeetCtx = { svc, media, confId: r.uuid(), gateway: true };
    const before = this.calls.length;
    const inbound = this.sipCall(m, T, this.duration(), null, null);
    const inCall = this.calls[before]!;
    this.push(media, T + 3, 'DEBUG', 'support.conference', `Message="Alias matched gateway rule" Rule="${esc(rule)}" Description="" Service-Tag="" Unparsed-alias="${callee.user}@example.com" Parsed-alias="${callee.user}@example.com" Matched-alias-Type="Parsed-alias"`);
    const out = this.calls.length;
    const caller = this.people.find((x) => x.uri === inCall.from)!;
    this.sipDialOut(m, T + r.range(10, 40), inbound.leave - r.range(200, 2000), { alias: `${callee.user}@example.com`, callee, caller: { uri: caller.uri, display: caller.display } });
    inCall.gatewayLeg = this.calls[out]!.id;
    this.calls[out]!.gatewayLeg = inCall.id;
  }

  // ------------------------------------------------------------------------------------------
  // WebRTC

  private webrtcCall(m: MeetCtx, T: number, dur: number): CallResult {
    const r = this.rng;
    const p = this.person();
    const media = m.media;
    const S = this.sigNode(media);
    const cip = p.webIp;
    const uuid = r.uuid();
    const alias = m.svc.short;
    const display = p.display;
    const browser = r.pick(BROWSERS);
    this.use(p, cip, false, true);
    this.useSvc(m.svc, true, true);
    const ci = this.newCall({
      id: uuid, ids: [uuid], protocol: 'WebRTC', conferenceId: m.confId, conference: m.svc.name,
      from: display, to: alias, failed: false, reason: null, signalingNode: S.ip, mediaNode: media.ip,
    });
    const base = `/api/client/v2/conferences/${alias}`;
    const rest = (at: number, path: string, code = 200) => {
      const port = r.range(40000, 65000);
      this.push(S, at, 'INFO', 'support.rest',
        `Message="Received REST API request" Src-Address="${cip}" Src-Port="${port}" Dst-Address="${S.ip}" Dst-Port="443" Request="${path}" Uuid="${uuid}"`, ci, K_REST);
      const t2 = at + r.range(8, 40);
      this.push(S, t2, 'INFO', 'support.rest',
        `Message="Sending REST API response" Src-Address="${S.ip}" Src-Port="443" Dst-Address="${cip}" Dst-Port="${port}" Request="${path}" Status-Code="${code}" Uuid="${uuid}"`, ci, K_REST);
      return t2;
    };
    let t = T;
    if (r.chance(0.08)) {
      t = rest(t, base + '/request_token', 403);
      t = this.pinFailure(S, t + r.range(3000, 8000), ci, display, alias, uuid);
      t += r.range(20, 100);
    }
    t = rest(t, base + '/request_token');
    this.attempting(S, t + 5, ci, alias, display, 'WebRTC', cip, uuid);
    t += r.range(200, 600);
    t = rest(t, `${base}/participants/${uuid}/calls`);
    t += r.range(200, 900);
    const join = t;
    this.admin(S, t, ci, 'Message="Participant has joined." ' +
      this.partFields(m, S, alias, display, display, 'WebRTC', browser, uuid, uuid, cip, false));
    const end = join + dur;
    for (let rt = join + 60000 + r.int(60000); rt < end - 5000 && rt < join + 600000; rt += 90000 + r.int(60000)) {
      rest(rt, base + '/refresh_token');
    }
    if (r.chance(0.3) && dur > 15000) {
      const tp = join + 3000 + r.int(Math.max(1, Math.floor(dur * 0.4)));
      const tpp = rest(tp, `${base}/participants/${uuid}/take_floor`);
      this.presenting(m, tpp + 20, ci, display, uuid, true);
      this.calls[ci]!.presentation = { spells: 1, refused: 0 };
      const tr2 = tpp + 1000 + r.int(Math.max(1, end - tpp - 3000));
      const trr = rest(tr2, `${base}/participants/${uuid}/release_floor`);
      this.presenting(m, trr + 20, ci, display, uuid, false);
    }
    const byClient = r.chance(0.8);
    let te = end;
    if (byClient) te = rest(end, `${base}/participants/${uuid}/disconnect`);
    this.mediaDestroyed(m, join, te + 10, ci, display, uuid);
    const dl = te + r.range(30, 80);
    const reason = byClient ? 'Participant disconnected' : r.pick([...DISCONNECT_WEBRTC.slice(2), DISCONNECT_BY_ADMIN]);
    this.calls[ci]!.reason = reason;
    if (reason === DISCONNECT_BY_ADMIN) this.adminDisconnect(te, ci, display, uuid);
    this.admin(S, dl, ci, 'Message="Participant has disconnected." ' +
      this.partFields(m, S, alias, display, null, 'WebRTC', null, uuid, uuid, cip, true) +
      ` Duration="${((dl - join) / 1000).toFixed(3)}" Detail="${reason}"`);
    if (byClient && r.chance(0.5)) rest(dl + r.range(10, 50), base + '/release_token');
    return { join, leave: dl };
  }

  // ------------------------------------------------------------------------------------------
  // meetings

  private pickService(T: number): { svc: Service; media: RNode } {
    const r = this.rng;
    for (let i = 0; i < 12; i++) {
      const svc = r.pick(this.services);
      const media = this.confNode();
      if ((this.busy.get(svc.name + '|' + media.ip) ?? 0) < T) return { svc, media };
    }
    const n = ++this.syntheticSvc;
    const svc: Service = { name: `vmr-${n}`, short: `vmr-${n}`, numeric: String(9000 + n), owner: null };
    this.services.push(svc);
    return { svc, media: this.confNode() };
  }

  private meeting(T: number): void {
    if (this.dialOn && this.dial.chance(0.1)) return this.withRng(this.dial, () => this.gatewayCall(T));
    const r = this.rng;
    const remaining = this.maxCalls - this.calls.length;
    if (r.chance(0.12)) {
      // a single failing call
      const svc = r.pick(this.services);
      const proto = r.weighted([[6, 'SIP'], [2, 'H323']] as const);
      if (proto === 'SIP') {
        const f = r.weighted(SIP_FAILURES.map((x, i) => [i === 0 ? 4 : 1, x] as const));
        this.sipCall(null, T, 0, f, f[0] === 404 ? null : svc);
      } else {
        const lrj = r.chance(0.4);
        this.h323Call(null, T, 0, lrj ? 'lrj' : 'q931', null);
      }
      return;
    }
    let n: number = r.weighted([[35, 1], [25, 2], [20, 3], [10, 4], [6, 5], [4, 7]] as const);
    if (n > remaining) n = Math.max(1, remaining);
    const { svc, media } = this.pickService(T);
    const m: MeetCtx = { svc, media, confId: r.uuid() };
    let first = Infinity, last = -Infinity;
    for (let i = 0; i < n; i++) {
      const start = i === 0 ? T : T + r.range(1000, 240_000);
      const dur = this.duration();
      const proto = r.weighted([[55, 'SIP'], [20, 'H323'], [25, 'WebRTC']] as const);
      const res = proto === 'SIP' ? this.sipCall(m, start, dur, null, null)
        : proto === 'H323' ? this.h323Call(m, start, dur, null, null) : this.webrtcCall(m, start, dur);
      if (res.join >= 0) {
        first = Math.min(first, res.join);
        last = Math.max(last, res.leave);
      }
    }
    // a host dials someone out of its conference while it runs
    if (this.dialOn && first < Infinity && last - first > 20_000 && this.dial.chance(0.3)) {
      const at = first + this.dial.range(3000, Math.min(60_000, last - first - 10_000));
      const res = { join: -1, leave: -1 };
      this.withRng(this.dial, () => Object.assign(res, this.sipDialOut(m, at, last, null)));
      last = Math.max(last, res.leave);
    }
    if (first < Infinity) {
      const c0 = first - 40;
      this.push(media, c0, 'INFO', 'administrator.conference',
        `Message="Conference has been created." Conference="${esc(svc.name)}" Service-Tag="${this.tagOf(svc)}" Service-Type="conference" Conference-ID="${m.confId}"`);
      const c1 = last + r.range(300, 800);
      this.push(media, c1, 'INFO', 'administrator.conference',
        `Message="Conference has been stopped." Conference="${esc(svc.name)}" Service-Tag="${this.tagOf(svc)}" Service-Type="conference" Duration="${((c1 - c0) / 1000).toFixed(3)}" Conference-ID="${m.confId}"`);
      this.busy.set(svc.name + '|' + media.ip, c1 + 1000);
    }
  }

  // ------------------------------------------------------------------------------------------
  // noise

  private noise(t: number): void {
    const r = this.rng;
    const n = this.confNode();
    const kind = r.weighted([
      [26, 0], [5, 1], [8, 2], [6, 3], [6, 4], [3, 5], [3, 6], [2, 7], [3, 8], [9, 9], [1, 10], [2, 11], [1, 12],
    ] as const);
    switch (kind) {
      case 0: { // OPTIONS keep-alive from VCS
        const cid = r.hex(16) + '@' + VCS_IP;
        const br = 'z9hG4bK' + r.hex(10);
        const compact = r.chance(0.2);
        const H = compact ? HN_COMPACT : HN_LONG;
        const sport = 25060;
        const req = `OPTIONS sip:${n.ip}:5060 SIP/2.0^M${H.via}: SIP/2.0/TCP ${VCS_IP}:5060;branch=${br}^M${H.cid}: ${cid}^M${H.from}: <sip:${VCS_IP}>;tag=${r.hex(8)}^M${H.to}: <sip:${n.ip}>^MCSeq: 1 OPTIONS^MMax-Forwards: 70^MUser-Agent: TANDBERG/4352 (X14.3.2)^M${H.clen}: 0^M`;
        this.sipLine(n, t, -1, true, VCS_IP, sport, n.ip, 5060, 'TCP', req, '');
        const resp = `SIP/2.0 200 OK^M${H.via}: SIP/2.0/TCP ${VCS_IP}:5060;branch=${br}^M${H.cid}: ${cid}^M${H.from}: <sip:${VCS_IP}>;tag=1^M${H.to}: <sip:${n.ip}>;tag=${r.hex(8)}^MCSeq: 1 OPTIONS^M${ALLOW}^M${H.clen}: 0^M`;
        this.sipLine(n, t + r.range(2, 6), -1, false, n.ip, 5060, VCS_IP, sport, 'TCP', resp, '');
        break;
      }
      case 1: { // OPTIONS from node to VCS
        const cid = r.uuid();
        const br = 'z9hG4bK' + r.hex(12);
        const req = `OPTIONS sip:${VCS_IP}:5061;transport=tls SIP/2.0^MVia: SIP/2.0/TLS ${n.ip}:5061;branch=${br}^MCall-ID: ${cid}^MFrom: <sip:${n.ip}>;tag=${r.hex(10)}^MTo: <sip:${VCS_IP}>^MCSeq: 1 OPTIONS^MMax-Forwards: 70^MContent-Length: 0^M`;
        this.sipLine(n, t, -1, false, n.ip, 5061, VCS_IP, 5061, 'TLS', req, '');
        const resp = `SIP/2.0 200 OK^MVia: SIP/2.0/TLS ${n.ip}:5061;branch=${br}^MCall-ID: ${cid}^MFrom: <sip:${n.ip}>;tag=${r.hex(10)}^MTo: <sip:${VCS_IP}>;tag=${r.hex(8)}^MCSeq: 1 OPTIONS^MContent-Length: 0^M`;
        this.sipLine(n, t + r.range(3, 15), -1, true, VCS_IP, 5061, n.ip, 5061, 'TLS', resp, '');
        break;
      }
      case 2: { // REGISTER
        const p = this.person();
        this.use(p, p.ip, true, true);
        const cid = r.hex(20) + '@' + p.ip;
        const br = 'z9hG4bK' + r.hex(12);
        const tag = r.hex(10);
        const hs = `^MVia: SIP/2.0/TCP ${p.ip}:5060;branch=${br};rport^MCall-ID: ${cid}^MFrom: "${sipQuote(p.display)}" <${p.uri}>;tag=${tag}^MTo: <${p.uri}>`;
        // what this REGISTER meets (side draws): a few aliases are refused every time (a wrong
        // password, an alias not allowed), some are challenged first, some unregister
        const refusal = refusalOf(p.user);
        const s = this.side;
        const challenged = !refusal && s.chance(0.15);
        const leaving = !refusal && !challenged && s.chance(0.05);
        const cseq = r.range(1, 900);
        const expires = leaving ? 0 : 600;
        const contact = `Contact: <sip:${p.user}@${p.ip}:5060;transport=tcp>;expires=${expires}`;
        if (challenged) {
          // an unauthenticated REGISTER and its 401 first, with the side stream's draws
          this.withRng(s, () => {
            const bh = `^MVia: SIP/2.0/TCP ${p.ip}:5060;branch=z9hG4bK${s.hex(12)};rport^MCall-ID: ${cid}^MFrom: "${sipQuote(p.display)}" <${p.uri}>;tag=${tag}^MTo: <${p.uri}>`;
            this.sipLine(n, t - 60, -1, true, p.ip, 5060, n.ip, 5060, 'TCP', `REGISTER sip:${p.domain} SIP/2.0${bh}^MCSeq: ${cseq - 1} REGISTER^M${contact}^MUser-Agent: ${p.sipVendor}^MExpires: ${expires}^MContent-Length: 0^M`, '');
            this.sipLine(n, t - 55, -1, false, n.ip, 5060, p.ip, 5060, 'TCP', `SIP/2.0 401 Unauthorized${bh};tag=${s.hex(10)}^MCSeq: ${cseq - 1} REGISTER^MWWW-Authenticate: Digest realm="${p.domain}", nonce="${s.hex(16)}", algorithm=MD5^MContent-Length: 0^M`, '');
          });
        }
        const auth = challenged ? `^MAuthorization: Digest username="${p.user}", realm="${p.domain}", uri="sip:${p.domain}"` : '';
        const req = `REGISTER sip:${p.domain} SIP/2.0${hs}^MCSeq: ${cseq} REGISTER^M${contact}${auth}^MUser-Agent: ${p.sipVendor}^MExpires: ${expires}^MContent-Length: 0^M`;
        this.sipLine(n, t, -1, true, p.ip, 5060, n.ip, 5060, 'TCP', req, '');
        const status = refusal ?? '200 OK';
        const resp = `SIP/2.0 ${status}${hs};tag=${r.hex(10)}^MCSeq: ${cseq} REGISTER^M${refusal ? '' : contact + '^M'}Content-Length: 0^M`;
        this.sipLine(n, t + r.range(5, 20), -1, false, n.ip, 5060, p.ip, 5060, 'TCP', resp, '');
        const added = r.chance(0.3);
        const line = `Message="${leaving ? 'Registration deleted' : added ? 'Registration added' : 'Registration refreshed'}" Alias="${p.email}" Protocol="SIP" Registration-Id="${r.uuid()}"${leaving ? ' Location="' + n.location + '" Reason="Unregistered"' : ' Natted="False" Location="' + n.location + '"'}`;
        // a refused alias has no registration: the line's draws are still taken, so that the
        // main stream (and every later line) stays as it was
        if (refusal) this.skipPush();
        else this.push(n, t + 25, 'INFO', 'administrator.registration', line);
        break;
      }
      case 3: { // Call-Id="None"
        const p = this.person();
        this.use(p, null, true, false);
        this.push(n, t, 'INFO', 'support.participant', `Message="Stable call quality changed" Participant="${p.uri}" Call-Id="None" Quality="${r.range(1, 3)}"`);
        break;
      }
      case 4: { // DNS
        const ty = r.pick(['A', 'SRV', 'NAPTR', 'AAAA']);
        const tg = r.pick(['example.com', '_sips._tcp.example.com', 'teams.example.net', 'vcs.example.com']);
        const result = `10.48.${r.range(1, 250)}.${r.range(1, 99)}`;
        const took = (r.next() * 0.2).toFixed(3);
        // the Teams domain has no IPv6 address: its AAAA lookups fail (drawn as the others, so the stream stays)
        if (ty === 'AAAA' && tg === 'teams.example.net') this.push(n, t, 'INFO', 'support.dns', `Message="DNS record lookup failed" Type="${ty}" Target="${tg}" Reason="No answer" Duration="${took}"`);
        else this.push(n, t, 'INFO', 'support.dns', `Message="DNS record lookup succeeded" Type="${ty}" Target="${tg}" Result="${result}" Duration="${took}"`);
        break;
      }
      case 5:
        this.push(n, t, 'INFO', 'support.events', 'Message="Event sink connection failed" Url="https://events.example.com/sink" Detail="Connection refused"');
        break;
      case 6: { // connectivity
        const o = this.rng.pick(this.nodes.filter((x) => x !== n));
        if (r.chance(0.6)) this.push(n, t, 'WARNING', 'administrator.system.connectivity', `Message="Unable to contact node." Src-Node="${n.ip}" Node="${o.ip}"`);
        else this.push(n, t, 'INFO', 'administrator.system.connectivity', `Message="Connectivity re-established." Src-Node="${n.ip}" Node="${o.ip}" Path="Direct" Last-Reported="${new Date(t - 60000).toUTCString()}"`);
        break;
      }
      case 7: { // alarms
        const al = r.pick(['connectivity_lost', 'license_usage_warning', 'capacity_exhausted']);
        if (r.chance(0.5)) this.push(this.mgmt, t, 'WARNING', 'administrator.alarm', `Message="Alarm raised" Node="${n.ip}" Alarm="${al}" Instance="Source=${n.ip}, Destination=${this.mgmt.ip}"`);
        else this.push(this.mgmt, t, 'INFO', 'administrator.alarm', `Message="Alarm lowered" Node="${n.ip}" Alarm="${al}" Instance="Source=${n.ip}, Destination=${this.mgmt.ip}"`);
        break;
      }
      case 8: { // configuration (with escaped quotes sometimes)
        this.personal.add(ADMIN_WS_IP);
        const svc = r.pick(this.services);
        this.useSvc(svc, true, false);
        const msg = r.pick(['User logged in', 'Configuration changed', 'User logged out']);
        const fields = r.chance(0.3) ? ' Fields="Description, \\"Show names of participants\\", PIN"' : '';
        this.push(this.mgmt, t, 'INFO', 'administrator.configuration',
          `Message="${msg}" User="admin" Type="Virtual Meeting Room" ID="${esc(svc.name)}"${fields} Remote-Address="${ADMIN_WS_IP}" Remote-Port="${r.range(30000, 60000)}"`);
        if (this.audit.chance(0.015)) this.withRng(this.audit, () => this.failedLogins(t));
        break;
      }
      case 9: { // DEBUG
        const d = r.int(3);
        if (d === 0) this.push(n, t, 'DEBUG', 'support.media', `Message="Media thread load" Load="${(r.next() * 80).toFixed(1)}" Threads="${r.range(4, 16)}"`);
        else if (d === 1) this.push(n, t, 'DEBUG', 'support.ice', `Message="ICE keepalive" Call-Id="None" Remote="10.48.${r.range(1, 250)}.${r.range(1, 99)}:${r.range(20000, 60000)}"`);
        else this.push(n, t, 'DEBUG', 'support.conference', `Message="Alias matched gateway rule" Rule="Route calls from London" Description="" Service-Tag="" Unparsed-alias="sip:${r.range(8000, 8999)}@example.com" Matched-alias-Type="Parsed-alias"`);
        break;
      }
      case 10:
        this.push(n, t, 'ERROR', 'support.sip', `Message="SIP Transport Failure" Transport="TLS" Dst-Address="10.48.${r.range(1, 250)}.${r.range(1, 99)}" Dst-Port="5061" Detail="TLS handshake failed: certificate verify failed"`);
        break;
      case 11:
        this.push(this.mgmt, t, 'INFO', 'administrator.system.configuration', `Message="Conferencing node configuration updated." Node="${n.host}"`);
        break;
      case 12:
        this.push(n, t, 'INFO', 'support.conference', `Message="Conference node load" Media-Load="${r.range(0, 100)}" Signaling-Load="${r.range(0, 100)}"`);
        break;
    }
  }

  // ------------------------------------------------------------------------------------------
  // damaged lines

  private damage(kind: string, t: number): void {
    const r = this.rng;
    const n = this.confNode();
    const k = t + n.delay;
    const iso = n.iso.fmt(k);
    switch (kind) {
      case 'kernel':
        this.pushRaw(k, `${iso} ${this.sys(n)} kernel: [${String(r.range(1000, 99999)).padStart(6, ' ')}.${r.digits(6)}] e1000: eth0 NIC Link is Up 1000 Mbps Full Duplex`, 'kernel');
        break;
      case 'syslog':
        this.pushRaw(k, `${iso} ${this.sys(n)} ${r.pick(['systemd[1]: Started Daily apt upgrade and clean activities.', 'rsyslogd: imuxsock: Begin to drop messages due to rate-limiting', `CRON[${r.range(1000, 30000)}]: (root) CMD (/usr/bin/pexip-housekeeping)`])}`, 'syslog');
        break;
      case 'blank':
        this.pushRaw(k, '', 'blank');
        break;
      case 'traceback': {
        const head = iso + ' ' + this.sys(n) + ' ' + n.orig.fmt(t + n.skew) + ' Level="ERROR" Name="support.web" Message="Unhandled exception in request handler" Path="/admin/platform/diagnostic/"';
        const more = [
          'Traceback (most recent call last):',
          '  File "/usr/lib/python3/dist-packages/si/web/handlers.py", line 412, in dispatch',
          '    return self.handle(request, *args, **kwargs)',
          '  File "/usr/lib/python3/dist-packages/si/web/diag.py", line 88, in handle',
          '    raise ValueError("unexpected \\"state\\" value: None")',
          'ValueError: unexpected "state" value: None',
        ];
        this.pushRaw(k, head, null, more, 'ERROR', 'support.web');
        break;
      }
      case 'truncated': {
        const cid = r.hex(16) + '@' + VCS_IP;
        const line = iso + ' ' + this.sys(n) + ' ' + n.orig.fmt(t + n.skew) + ` Level="INFO" Name="support.sip" Message="Received SIP message" Src-Address="${VCS_IP}" Src-Port="25060" Dst-Address="${n.ip}" Dst-Port="5060" Transport="TCP" Detail="^MOPTIONS sip:${n.ip}:5060 SIP/2.0^MVia: SIP/2.0/TCP ${VCS_IP}:5060;branch=z9hG4bK${r.hex(10)}^MCall-ID: ${cid}^MFrom: <sip:${VCS_IP}>;tag=${r.hex(8)}^MTo: <sip:${n.ip}>^MCSeq: 1 OPTIONS^MMax-Forwards: 70^MContent-Length: 0^M"`;
        const at = line.indexOf('Detail="^M') + 12;
        const cut = at + r.int(line.length - at - 20);
        this.pushRaw(k, line.slice(0, cut), 'truncated', null, 'INFO', 'support.sip');
        break;
      }
      case 'invalid-utf8': {
        const p = this.person();
        const pre = iso + ' ' + this.sys(n) + ' ' + n.orig.fmt(t + n.skew) + ` Level="INFO" Name="support.participant" Message="Participant display name changed" Participant="${p.uri}" Call-Id="None" DisplayName="${p.first}`;
        this.use(p, null, true, false);
        this.personal.add(dec8(esc(p.display)));
        // byte string: \xff\xfe are written as the raw (invalid UTF-8) bytes 0xff 0xfe
        const b = pre + '\xff\xfe' + ` ${p.last}" Old-DisplayName="${esc(p.display)}"`;
        this.pushRaw(k, b, 'invalid-utf8', null, 'INFO', 'support.participant');
        break;
      }
      case 'long': {
        // A very long (~300 KB) out-of-dialog SIP OPTIONS with a huge SDP body.
        const cid = r.uuid();
        const lines: string[] = [];
        const size = r.range(250_000, 400_000);
        let len = 0;
        for (let i = 1; len < size; i++) {
          const l = `a=candidate:${i} 1 UDP ${2130706431 - i} 10.48.${i % 250}.${(i * 7) % 250} ${20000 + (i % 40000)} typ host generation 0 network-id ${i % 16}`;
          lines.push(l);
          len += l.length + 2;
        }
        const body = 'v=0^Mo=- 1 1 IN IP4 ' + VCS_IP + '^Ms=-^Mt=0 0^M' + lines.join('^M');
        const msg = `OPTIONS sip:${n.ip}:5060 SIP/2.0^MVia: SIP/2.0/TCP ${VCS_IP}:5060;branch=z9hG4bK${r.hex(10)}^MCall-ID: ${cid}^MFrom: <sip:${VCS_IP}>;tag=${r.hex(8)}^MTo: <sip:${n.ip}>^MCSeq: 1 OPTIONS^MContent-Type: application/sdp^MContent-Length: ${bodyLen(body)}^M^M${body}`;
        const line = iso + ' ' + this.sys(n) + ' ' + n.orig.fmt(t + n.skew) + ` Level="INFO" Name="support.sip" Message="Received SIP message" Src-Address="${VCS_IP}" Src-Port="25060" Dst-Address="${n.ip}" Dst-Port="5060" Transport="TCP" Detail="^M${msg}"`;
        this.pushRaw(k, line, 'long', null, 'INFO', 'support.sip');
        this.sinceLong = 0;
        break;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // main loop

  private done(): boolean {
    return this.calls.length >= this.maxCalls || this.approx >= this.target;
  }

  run(): Truth {
    const r = this.rng;
    let t = this.t0;
    let noiseClock = this.t0;
    const pendingDamage: string[] = this.damagedOn ? [...DAMAGE_KINDS] : [];
    let lastApprox = 0;
    while (!this.done()) {
      t += 500 + Math.round(r.exp(11_000));
      // noise up to t
      while (noiseClock < t) {
        if (this.damagedOn && r.chance(0.004)) {
          let kind = r.weighted([[30, 'kernel'], [20, 'syslog'], [15, 'traceback'], [15, 'blank'], [10, 'truncated'], [7, 'invalid-utf8'], [3, 'long']] as const) as string;
          if (kind === 'long' && this.sinceLong < 64 * 1024 * 1024) kind = 'kernel';
          this.damage(kind, noiseClock);
        } else {
          this.noise(noiseClock);
        }
        noiseClock += 1 + Math.round(r.exp(600));
        if (noiseClock >= this.nextBreakIn) {
          this.withRng(this.audit, () => this.breakIn(this.nextBreakIn));
          this.nextBreakIn += 600_000 + Math.round(this.audit.exp(90 * 60_000));
        }
        if (this.provOn && noiseClock >= this.nextProv) {
          if (this.nextProv > 0) this.withRng(this.prov, () => this.provision(this.nextProv));
          // the first within minutes, so that a small log has some
          this.nextProv = this.nextProv ? this.nextProv + 30_000 + Math.round(this.prov.exp(3 * 60_000)) : this.t0 + this.prov.range(30_000, 120_000);
        }
        if (this.maintOn && noiseClock >= this.nextMaint) {
          if (this.nextMaint > 0) this.withRng(this.maint, () => this.scheduledMaintenance(this.nextMaint));
          // the first within minutes, so that a small log has one
          this.nextMaint = this.nextMaint ? this.nextMaint + 3600_000 + Math.round(this.maint.exp(3 * 3600_000)) : this.t0 + this.maint.range(60_000, 240_000);
        }
        if (noiseClock >= this.nextRestart) {
          this.withRng(this.restarts, () => this.restart(this.nextRestart));
          this.nextRestart += 1_800_000 + Math.round(this.restarts.exp(6 * 3600_000));
        }
      }
      this.flushUntil(t);
      this.meeting(t);
      if (pendingDamage.length > 0) this.damage(pendingDamage.shift()!, t + 1);
      this.sinceLong += this.approx - lastApprox;
      lastApprox = this.approx;
    }
    this.flushUntil(Infinity);
    let tail = Math.max(this.lastKey, this.t0);
    for (const k of pendingDamage) this.damage(k, (tail += 7));
    this.flushUntil(Infinity);
    this.flushBuf();
    const nodes: string[] = [];
    const nodeForms: Record<string, string> = {};
    for (const n of this.nodes) {
      nodes.push(n.host, n.ip);
      nodeForms[n.host] = n.host;
      nodeForms[n.ip] = n.host;
    }
    return {
      calls: this.calls,
      lines: this.lineNo,
      damagedLines: this.damagedLines,
      personal: [...this.personal].sort(),
      levels: this.levels,
      modules: this.modules,
      nodes,
      damagedKinds: this.damagedKinds,
      nodeForms,
      personalHexIps: [...this.hexIps].sort(),
      bytes: this.bytes,
      provisioning: this.provisioned.sort((a, b) => a.time.localeCompare(b.time)),
      maintenance: this.maintenance,
    };
  }
}
