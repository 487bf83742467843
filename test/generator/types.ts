export interface GenOptions {
  seed?: number;
  /** Number of calls (TruthCall entries) to generate. Default 30 when targetBytes is not given. */
  calls?: number;
  /** Approximate output size in bytes; generation stops starting new calls once reached. */
  targetBytes?: number;
  /** Use \r\n line endings. */
  crlf?: boolean;
  /** Inject damaged lines (kernel/syslog lines, tracebacks, blank, truncated, invalid UTF-8, very long). Default true. */
  damaged?: boolean;
  /** ISO time of the first line. Default 2026-05-14T08:00:00.000Z */
  startTime?: string;
  /** A node (host name) whose clock is `behindMs` behind (ahead if < 0): its lines stamped that much earlier. */
  clockOff?: { node: string; behindMs: number };
  /**
   * Calls the nodes place: hosts dialling participants out of 3 in 10 meetings, and 1 in 10
   * meetings a call through the Infinity Gateway (an incoming leg and the node's outbound leg).
   * Off by default (a stream of its own: with it off, a seed's log is as it was).
   */
  dialOuts?: boolean;
  /**
   * What provisions the services on its own, now and then on the management node: LDAP VMR syncs
   * (one in ten failing, some with warnings) and alias clashes, the scheduling service's meetings,
   * One-Touch Join meetings, cloud bursting starting and stopping overflow nodes. Off by default (a
   * stream of its own: with it off, a seed's log is as it was).
   */
  provisioning?: boolean;
  /**
   * Call quality ratings: in 35 % of the connected calls up for a minute or more, the media node
   * logs support.participant "Stable call quality changed" for its participant: good a few
   * seconds after it joins, then in 60 % of those bad (a quarter terrible) later on, back to good
   * or ok in 60 % of those. Off by default (a stream of its own: with it off, a seed's log is as it was).
   */
  quality?: boolean;
  /**
   * The external policy server: the signaling node of each SIP call dialled in asks it for the
   * service (support.externalpolicy, our wording: "External policy request" with the `Url`, then
   * "External policy response" with `Status`, `Duration` and the JSON in `Detail`, or "External
   * policy request failed"; a `Request-Id` ties them), then, for a call that goes on, for its
   * media location; the call waits on each answer. For one call in four the local policy script
   * also writes two support.jinja2 `pex_debug_log` lines, one naming the call's parties and one
   * naming none (a stream of their own). Off by default (a stream of its own: with it
   * off, a seed's log is as it was).
   */
  policy?: boolean;
  /**
   * Azure's scheduled maintenance: a few minutes into the log, then every few hours, a conferencing
   * node logs the event Azure announced (support.pulse), is placed into maintenance mode a minute
   * or two later and has it unset a few minutes after the event's NotBefore
   * (support.scheduled_maintenance_events). Off by default (a stream of its own: with it off, a
   * seed's log is as it was).
   */
  maintenance?: boolean;
  /**
   * Transfers (RFC 3515): in 1 in 5 connected SIP calls up for over a minute (not those whose
   * session lapses), the node sends the endpoint a REFER to a service's alias a few seconds before
   * the call ends; 15 % are refused, the others are followed by the endpoint's NOTIFYs (100 Trying,
   * then 200 OK, or 486, 404 or 603), and a call whose transfer succeeded is hung up by the
   * endpoint. Off by default (a stream of its own: with it off, a seed's log is as it was).
   */
  transfers?: boolean;
  /**
   * Proxying Edge Nodes: 1 in 4 calls reach their node through one of two Edge Nodes (EDGE_DEFS),
   * whose address and location their conference lines name (Proxy-Node, Proxy-Location). Off by
   * default (a stream of its own: with it off, a seed's log is as it was).
   */
  edges?: boolean;
  /**
   * Service tags: each service's conference lines carry its tenant's `Service-Tag`
   * (pools.ts serviceTagOf: a quarter untagged, the rest one of three tenants) instead of an empty
   * one. Off by default (no PRNG draws: with it off, a seed's log is as it was).
   */
  serviceTags?: boolean;
}

/** One node's scheduled maintenance (GenOptions.maintenance): its address, what Azure announced, and its maintenance mode (ISO, as planned: the lines' times add the node's delay). */
export interface MaintenanceTruth {
  node: string;
  type: string;
  notBefore: string;
  from: string;
  to: string;
}

/** One provisioning line the generator wrote (GenOptions.provisioning). */
export interface ProvisioningTruth {
  /** The line's syslog time (ISO) and module. */
  time: string;
  module: string;
  message: string;
  /** What it is about: the sync template, the alias clashed, the room, the cloud location or worker, the VMR's database id. */
  about: string;
  /** What a case looks for first: an alias clash, a sync that failed, a meeting the scheduler dropped, a location overloaded. */
  alert: boolean;
}

export interface TruthCall {
  id: string;
  ids: string[];
  protocol: 'SIP' | 'H323' | 'WebRTC';
  conferenceId: string | null;
  conference: string | null;
  from: string;
  to: string;
  failed: boolean;
  reason: string | null;
  counts: { sip: number; bfcp: number; q931: number; ras: number; h245: number; rest: number; admin: number };
  sipSequence: string[];
  h323Sequence: string[];
  bfcpSequence: string[];
  lineNumbers: number[];
  fragmented: boolean;
  missingFragments: number;
  compactHeaders: boolean;
  /** extra: signaling / media node IPs, start line number (first line of the call) */
  signalingNode: string;
  mediaNode: string;
  /** extra, SIP calls: what the endpoint offered (OfferShape) and whether it put the call on hold and back. */
  offer?: { srtp: boolean; video: boolean; audio: 'full' | 'g711'; hold: boolean };
  /** extra, connected SIP calls: the session refreshes (re-INVITEs and UPDATEs answered 2xx), and whether it lapsed (the node hung up as the interval ran out). */
  timer?: { refreshes: number; lapsed: boolean };
  /** extra, SIP calls: how long it waited for a host in the waiting room before it joined, ms. */
  waitedMs?: number;
  /** extra: the times it presented, and its floor requests the node refused (BFCP Denied, H.239 reject); absent when it asked for none. */
  presentation?: { spells: number; refused: number };
  /** extra, connected SIP calls: its end-of-call statistics say nothing was received on audio and video (a blocked media path). */
  noMediaReceived?: boolean;
  /** extra, a call the node placed (GenOptions.dialOuts): the conference alias it was placed from and that conference's id (a refused call's too), the role, and the gateway rule for a gateway's outbound leg. */
  dialOut?: { conferenceAlias: string; conferenceId: string; role: string; gateway: string | null };
  /** A call a node placed: the DNS lookup its node made of the domain it dialled before its INVITE. */
  dns?: { type: string; target: string; result: string; ms: number };
  /** extra (GenOptions.policy): what the local policy script wrote naming its parties (support.jinja2 `pex_debug_log`), in order. */
  localPolicy?: string[];
  /** extra (GenOptions.policy): what its signaling node asked the policy server, in order, what came of it and how long it took. */
  policy?: Array<{ kind: string; outcome: 'continue' | 'reject' | 'no policy' | 'timeout' | 'error'; ms: number }>;
  /** extra (GenOptions.quality): the ratings its media node logged for it, in order (1 good, 2 ok, 3 bad, 4 terrible). */
  quality?: number[];
  /** extra, a SIP call the node asked to transfer (GenOptions.transfers): where to, the REFER's answer, and the final sipfrag its NOTIFYs reported (null when refused). */
  transfer?: { to: string; answer: string; outcome: string | null };
  /** extra, a call through a Proxying Edge Node (GenOptions.edges): the Edge Node's address and location, as its conference lines name them (a failed call's lines do not). */
  proxy?: { node: string; location: string };
  /** extra, either leg of a gateway call: the other leg's id. */
  gatewayLeg?: string;
}

export interface Truth {
  calls: TruthCall[];
  lines: number;
  damagedLines: number[];
  personal: string[];
  levels: Record<string, number>;
  modules: Record<string, number>;
  nodes: string[];
  /** extra: damaged line numbers by kind (kernel, syslog, traceback, blank, truncated, invalid-utf8, long) */
  damagedKinds: Record<string, number[]>;
  /** extra: every `system` form -> node host name */
  nodeForms: Record<string, string>;
  /** extra: personal IPs in the H.323 hex form (`0a 2f 03 a7`) that appear in H.323 bodies */
  personalHexIps: string[];
  /** extra: total bytes written */
  bytes: number;
  /** extra: the provisioning lines, in the order written (GenOptions.provisioning; empty without it) */
  provisioning: ProvisioningTruth[];
  /** extra: the nodes' scheduled maintenance, in the order written (GenOptions.maintenance; empty without it) */
  maintenance: MaintenanceTruth[];
}
