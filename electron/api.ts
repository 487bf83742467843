/**
 * The one contract between the engine and the UI. Served by IPC (preload + contextBridge) in
 * Electron and by HTTP/WebSocket on 127.0.0.1 in browser mode. The renderer imports only types
 * from here. JSON shapes of the CLI (`calls --json`, `trace --json`, `search --json`) are these.
 */

export type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL' | 'NONE';

export interface SourceRef {
  file: string;
  /** 1-based line number within that file. */
  line: number;
}

/** One row of the log explorer. `index` is the view position (0-based, merged order). */
export interface LineRow {
  index: number;
  file: string;
  line: number;
  time: string;
  node: string;
  level: Level;
  name: string;
  message: string;
  /**
   * A few correlation fields worth a column (Call-Id, Uuid, Conference, Participant...); for a line
   * with none of them, its other non-empty fields (up to 6, in line order: `Src-Node`, `Detail`…).
   */
  keys: Record<string, string>;
  damaged: boolean;
  nonUtf8: boolean;
  /** The whole line as text (non-UTF-8 bytes shown as U+FFFD). */
  text: string;
  /**
   * Set when `text` was cut for the table (lines longer than 4096 characters, which can be
   * hundreds of KB); `lineDetail` always returns the whole line (and never sets this).
   */
  truncated?: boolean;
  /** Whether the line matches the `mark` query of the `lines` request that returned it (absent without one). */
  match?: boolean;
}

export interface LineDetail extends LineRow {
  fields: Array<{ key: string; value: string }>;
  syslogTime: string | null;
  originTime: string | null;
  /** The `^M` payload decoded into lines, with the key it came from. */
  payload: { key: string; lines: string[] } | null;
  /** The call this line belongs to, if any (any of its ids works with `call:`). */
  callId: string | null;
  /** The alias whose registration this line is part of (a REGISTER, its answer, a registration line), if any. */
  registration: string | null;
  /** The audit subject this line is counted in (a login, a block, a failed PIN…), if any. */
  audit: { category: AuditCategory; subject: string } | null;
  rest: string;
  /**
   * Set when the line is one piece of a message split over several lines (a SIP message with
   * Fragment-Id, Fragment-Number and Fragment-Total): the whole message, its pieces' payloads
   * joined in number order as the call view shows it; which piece this line is, of how many, and
   * the numbers missing from the bundle; and where each piece present is in the view. Known once
   * the call index is built (BundleInfo.indexed.calls).
   */
  reassembled?: { lines: string[]; number: number; total: number; missing: number[]; pieces: Array<{ number: number; index: number }> };
}

/** `pexlens info` and the app's overview: one log (a file and its rotations) of a source. */
export interface StreamSummary {
  stream: string;
  /** Where its files sit (a folder, or a folder inside an archive): two snapshots' logs of one name differ here. */
  folder: string;
  /** Oldest first; `from`/`to`: the file's first and last syslog times (null for a file without lines). */
  files: Array<{ file: string; bytes: number; lines: number; damaged: number; warnings: string[]; from: string | null; to: string | null }>;
  bytes: number;
  lines: number;
  damaged: number;
  from: string | null;
  to: string | null;
  nodes: string[];
  levels: Record<string, number>;
  modules: Record<string, number>;
}

/** One path the bundle was opened from, and its logs. */
export interface SourceSummary {
  source: string;
  streams: StreamSummary[];
}

/** An alarm (administrator.alarm) from its raise to its lowering, as the log holds them. */
export interface AlarmSpan {
  /** The node the alarm is about (its `Node` field). */
  node: string;
  alarm: string;
  instance: string | null;
  /** When it was raised; null: raised before the log began (only its lowering is in it). */
  raised: string | null;
  /** When it was lowered; null: still raised when the log ends. */
  lowered: string | null;
  /** How often the log raises it in this span: 1, more when raised again before its lowering, 0 when raised before the log. */
  raises: number;
}

/**
 * A call a node placed: its "Placing outbound call" line (administrator.participantdialer: a host
 * dialling out of a conference, or the Infinity Gateway calling on), with the call it became and,
 * for a gateway's, the incoming call it was placed for.
 */
export interface DialOut {
  time: string;
  node: string;
  /** The alias called (`Participant-alias`). */
  alias: string;
  /** The conference's alias it was placed from; a gateway's: the alias its incoming call dialled. */
  conferenceAlias: string | null;
  /** A gateway's call: its Call Routing Rule (`Conference="<rule>:<id>"`); null for a conference's dial-out. */
  gateway: string | null;
  displayName: string | null;
  protocol: string | null;
  role: string | null;
  /** View position of its line. */
  line: number;
  /** The call it became (its id): the first call to `alias` set up just after it; null when the bundle has none. */
  call: string | null;
  /** A gateway's incoming call (its id): the call that dialled `conferenceAlias` and was being set up or up as it was placed. */
  incoming: string | null;
}

/** An alarm on a call's signaling or media node while the call was up, with the view position of its first line. */
export interface CallAlarm extends AlarmSpan {
  line: number;
}

/** What a conference's text says of it: electron/shared/conference-text.ts. */
export type { ConferenceParts } from './shared/conference-text.js';
import type { ConferenceParts } from './shared/conference-text.js';

/**
 * A node unable to reach another (administrator.system.connectivity): from its first "Unable to
 * contact node." to the "Connectivity re-established." of the same pair.
 */
export interface ContactLoss {
  /** The node that reported it (`Src-Node`). */
  from: string;
  /** The node it could not reach (`Node`). */
  to: string;
  /** Its first report; null: lost before the log began (only its re-establishing is in it). */
  lost: string | null;
  /** When contact came back; null: still lost when the log ends. */
  back: string | null;
  /** How often the log reports it in this span (the node keeps trying); 0 when lost before the log. */
  reports: number;
  /** The path contact came back by (`Path`: `Direct`, or the nodes between); null while lost. */
  path: string | null;
}

/** A call's quality as its node rated it from then on: 1 good, 2 ok, 3 bad, 4 terrible (0 unknown), as the Management API's `call_quality` names them. */
export interface QualityChange {
  time: string;
  quality: number;
  /** The node that said it (by address where the bundle pairs its names). */
  node: string;
  /** View position of its line. */
  line: number;
}

/** One call's ratings (a conference's calls'): its id and its QualityChanges in time order. */
export interface CallQuality {
  call: string;
  quality: QualityChange[];
}

/** A value and how often it came: a lookup's addresses, a sink's errors. */
export interface Tally {
  value: string;
  count: number;
}

/**
 * One DNS lookup a node made (support.dns: "DNS lookups associated with SIP signaling"): the
 * domain of an alias it calls, a gateway's next hop.
 */
export interface DnsLookup {
  time: string;
  /** The node that looked it up (the line's sender, by its address where the bundle pairs its two names). */
  node: string;
  /** The record type (`Type`: SRV, NAPTR, A, AAAA). */
  type: string;
  target: string;
  /** What it resolved to (`Result`); null when it failed or the line does not say. */
  result: string | null;
  /** How long it took (`Duration`, seconds in the log); null when the line does not say. */
  ms: number | null;
  /** Why it failed: its message, with its `Reason` or `Error` when given; null when it did not fail. */
  failure: string | null;
  /** View position of its line. */
  line: number;
}

/** The lookups of one name and record type, for "calls to that domain fail, go elsewhere, or are slow to start". */
export interface DnsTarget {
  target: string;
  type: string;
  lookups: number;
  failed: number;
  /** Lookups that took DNS_SLOW_MS or more (shared/service-words.ts). */
  slow: number;
  slowestMs: number | null;
  medianMs: number | null;
  /** What it resolved to, the most frequent first. */
  results: Tally[];
  /** Why its lookups failed, the most frequent first. */
  failures: Tally[];
  /** The nodes that looked it up (as DnsLookup.node names them), in the order first seen. */
  nodes: string[];
  first: string;
  last: string;
  /** View position of its first failed lookup, else its slowest, else its first: where it opens. */
  line: number;
}

/**
 * An event sink the nodes send their events to (support.events logs its errors): "our
 * monitoring gets nothing" is a sink the nodes cannot reach.
 */
export interface EventSink {
  url: string;
  /** Its lines, and of them those that say it failed. */
  lines: number;
  failures: number;
  /** The first and last failure; null when none failed. */
  firstFailure: string | null;
  lastFailure: string | null;
  /** The nodes that reported it (by address where the bundle pairs a node's names), in the order first seen. */
  nodes: string[];
  /** What the failures said (`Detail`, else the message), the most frequent first. */
  details: Tally[];
  /** View position of its first failure, else its first line. */
  line: number;
}

/**
 * One request a node sent to the external policy server (support.externalpolicy) and what came
 * of it: which service a call reaches, where its media goes, whether it is let in.
 */
export interface PolicyRequest {
  time: string;
  /** The node that asked (the line's sender, by its address where the bundle pairs its two names). */
  node: string;
  /** What it asked, by its path: `service configuration`, `media location`, `participant properties`, `participant avatar`, `registration`, `directory`; the path itself when none of those. */
  kind: string;
  /** The server asked: the URL's scheme, host and port. */
  server: string;
  /** The parameters that tie it to a call, decoded (null when the URL has none): the alias dialled, the caller's alias and address, `call_direction`. */
  localAlias: string | null;
  remoteAlias: string | null;
  remoteAddress: string | null;
  direction: string | null;
  /** Its response's HTTP status; null when none came (it failed, or the log ends). */
  status: number | null;
  /** The response's `action` (`continue`, `reject`, `redirect`) and `status` (`success`, `fail`); null where it does not say. */
  action: string | null;
  result: string | null;
  /** How long the server took (`Duration`, seconds in the log); null when not said. */
  ms: number | null;
  /**
   * Why the server gave no policy: the request failed (timed out, refused), or an HTTP error other
   * than 404; Infinity then goes on with its own configuration. Null when it answered (a `fail`
   * status or a 404 is an answer: "no policy for this"), or no answer is in the log (`answered` false).
   */
  failure: string | null;
  /** Whether its response or failure is in the log. */
  answered: boolean;
  /** View positions of its request line and of its response (or failure) line, null when none. */
  line: number;
  responseLine: number | null;
}

/** A line a local policy script wrote (support.jinja2: `pex_debug_log` in a Jinja2 policy) about a call. */
export interface LocalPolicyLine {
  time: string;
  /** The node that ran the script (by address where the bundle pairs its names). */
  node: string;
  /** What it wrote (`Detail`, else the message). */
  text: string;
  /** View position of its line. */
  line: number;
}

/** The requests of one kind to one policy server, for "every call waits on it" and "calls are refused". */
export interface PolicyTarget {
  server: string;
  kind: string;
  requests: number;
  /** Requests the server answered `reject`. */
  rejected: number;
  /** Requests that failed (PolicyRequest.failure): the server down, slow past its timeout, or in error. */
  failed: number;
  /** Requests it answered with no policy (status `fail`, or 404): Infinity used its own configuration. */
  local: number;
  /** Requests that took POLICY_SLOW_MS or more (shared/service-words.ts). */
  slow: number;
  slowestMs: number | null;
  medianMs: number | null;
  /** What the failures said, the most frequent first. */
  failures: Tally[];
  nodes: string[];
  first: string;
  last: string;
  /** View position of its first failed request, else its first rejected, else its slowest, else its first. */
  line: number;
}

/** A loss of contact with the view position of its first line. */
export interface CallContactLoss extends ContactLoss {
  line: number;
}

/** Each node's lines over the bundle's span in equal stretches, and its longest silence (lines/node-activity.ts). */
export interface NodeActivity {
  /** The span, ms since the epoch, and each stretch's length. */
  from: number;
  to: number;
  bucketMs: number;
  /** Nodes with lines (by the name that sent them), in the order first seen. */
  nodes: Array<{
    node: string;
    /** Its lines per stretch. */
    lines: number[];
    /** The longest time with no line of it, between the log's first line and its last. */
    silence: { from: string; to: string; ms: number };
  }>;
}

/** What the app's overview shows of a loaded bundle, beside its `info` (warnings, clocks). */
export interface BundleOverview {
  sources: SourceSummary[];
  /** Stretches of a log no file holds: rotations missing between two the bundle has. */
  gaps: Array<{ stream: string; missing: string[]; from: string | null; to: string | null }>;
  /** Level, module and node counts over every line. */
  facets: Facets;
  /** Per node (as `facets.node` names them): its ERROR (and CRITICAL) and WARNING lines. */
  nodeLevels: Record<string, { errors: number; warnings: number }>;
  /** The bundle's alarms, raised before the log first, then in the order they were raised. */
  alarms: AlarmSpan[];
  /** Per alarm (same order): the view position of its first line, its raise (or lowering, when raised before the log). */
  alarmLines: number[];
  /** The nodes that could not reach each other, lost before the log first, then as they began. */
  contactLosses: ContactLoss[];
  /** Per loss (same order): the view position of its first line. */
  contactLossLines: number[];
  /** What the nodes looked up (support.dns), per name and record type: failed first, then slow, then the most looked up. */
  dns: DnsTarget[];
  /** The event sinks the nodes reported on (support.events), the most failures first. */
  eventSinks: EventSink[];
  /** What the nodes asked the external policy server (support.externalpolicy), per server and kind: failed first, then rejected, then slow, then the most asked. */
  policy: PolicyTarget[];
  /** Each node's lines over the span, and its longest silence. */
  activity: NodeActivity;
  /** Each time a node's application started (a restart, in the middle of a log), in view order. */
  starts: NodeStart[];
  /** The address of each node that sends under a host name, where its SIP lines say it (correlate/node-addresses.ts). */
  addresses: NodeAddress[];
}

/** A node's host name and the address its SIP lines give it: one node, which the syslog host hears under both. */
export interface NodeAddress {
  node: string;
  address: string;
  /** Its SIP lines read that name that address as its own. */
  lines: number;
}

/** A node's Infinity application starting (administrator.system "Starting Infinity application."). */
export interface NodeStart {
  /** The node as the line's sender names it (host or address, as the other figures per node). */
  node: string;
  time: string;
  /** As written: `34 (78612.0.0)`; null when the line has none. */
  version: string | null;
  pid: string | null;
  /** View position: where the explorer opens it. */
  line: number;
}

export interface LoadProgress {
  /** Bytes read from disk (compressed where the source is). */
  diskBytes: number;
  diskTotal: number;
  /** Uncompressed bytes turned into lines. */
  bytes: number;
  lines: number;
  file: string | null;
  done: boolean;
}

/**
 * A diagnostic snapshot's platform status file (`opt/pexip/share/status/platform.json`): the
 * software version the snapshot was taken on, and the file's other plain values.
 */
export interface PlatformInfo {
  /** Where it was read (`snapshot.tgz!opt/pexip/share/status/platform.json`). */
  file: string;
  /** Its `version`, as written (`34.0.0`); null when it has none. */
  version: string | null;
  /** Its top-level plain values (strings, numbers, booleans) in the file's order, `version` among them. */
  fields: Array<[string, string]>;
}

export interface BundleInfo {
  id: string;
  paths: string[];
  lines: number;
  bytes: number;
  loaded: boolean;
  from: string | null;
  to: string | null;
  streams: Array<{ name: string; root: string; files: string[]; lines: number }>;
  warnings: string[];
  /**
   * Each node's clock against the syslog host's, once loaded: the median of (received − stamped),
   * ms, > 0 when the node's clock is behind; one entry per node name with stamped lines.
   */
  clocks: Array<{ node: string; offsetMs: number }>;
  /** The snapshots' platform files (their software version), in the order read; empty for plain logs. */
  platforms: PlatformInfo[];
  /**
   * Once loaded, the nodes heard under a host name with the address their SIP lines give them
   * (correlate/node-addresses.ts): the app names such a node by its address wherever a line gave
   * it either name, so that one node reads as one in the lists.
   */
  addresses: NodeAddress[];
  /**
   * Built (or read from the cache) once the bundle is loaded: the line index (until then searches
   * scan every line) and the call index (calls, `call:` and `conference:`). Each comes with an
   * `indexed` event.
   */
  indexed: { lines: boolean; calls: boolean };
}

/** Call protocol: SIP, H.323, WebRTC, or another participant type named by the administrator log. */
export type Protocol = 'SIP' | 'H323' | 'WebRTC' | 'API' | 'RTMP' | 'MSSIP' | 'TEAMS' | 'GMS' | 'Other';

/** `pexlens calls --json`: one entry per call. */
/** A call's worst end-of-call media figures over its streams, both directions (shared/media-stats.ts). */
export interface CallMedia {
  lossPct: number | null;
  jitterMs: number | null;
  /**
   * Its streams that carried media one way only (`audio RX`: nothing received on the audio stream
   * while it sent; shared/media-stats.ts oneWayStreams): a firewall or NAT in the media path.
   */
  noMedia: string[];
}

export interface CallSummary {
  id: string;
  ids: string[];
  protocol: Protocol;
  start: string | null;
  end: string | null;
  durationMs: number | null;
  /**
   * The call's setup is in no file of the bundle (it was up when the log began, or was set up in a
   * rotated file the bundle lacks): `start` is then
   * when it joined its conference, read back from its disconnect's Duration, and is earlier than
   * any line of it. Otherwise `start` is the time of its first line.
   */
  startInferred: boolean;
  /**
   * The call had not ended when the log ends (its end is in no file of the bundle): it connected,
   * and no disconnect, BYE, CANCEL or release of it is there. `end` is then the log's last line
   * and `durationMs` how long it had lasted by then, the least it lasted.
   */
  ongoing: boolean;
  /**
   * Neither the call's answer nor its failure or end is in the bundle: it connected nowhere in the
   * log, and no failure response, reject, release, CANCEL, BYE or failed/disconnected line of it
   * is there (the log ends, or lacks a file, while it is being set up). Neither failed nor
   * connected; `end` is its last line.
   */
  noOutcome: boolean;
  conference: string | null;
  conferenceId: string | null;
  from: string | null;
  to: string | null;
  displayName: string | null;
  remote: string | null;
  vendor: string | null;
  signalingNode: string | null;
  mediaNode: string | null;
  /**
   * The system locations of its nodes, as its conference lines name them: `Signaling-Location`
   * (else the `Location` of its attempt to join, which the node it reached logs, so a call that
   * failed has one too), and the media node's `Location`. A call none of whose lines says is given
   * the one the bundle's other calls name for its node in that role, when they name one only
   * (correlate/locations.ts): a location is a node's configuration. Null where nothing says.
   */
  signalingLocation: string | null;
  mediaLocation: string | null;
  /**
   * The Proxying Edge Node the call came through, as its conference lines name it (`Proxy-Node`,
   * `Proxy-Location`); null for a call that reached its node directly, or whose lines say nothing
   * of it (a failed call's do not).
   */
  proxyNode: string | null;
  proxyLocation: string | null;
  /** Its conference's `Service-Tag` (what a service provider tags a tenant's services with); null when empty or not said. */
  serviceTag: string | null;
  /**
   * Which way the call went: `in`, dialled into a node; `out`, placed by a node (a host dialling
   * out of a conference, the Infinity Gateway's outbound leg). From its conference lines'
   * `Direction`, else its signaling (who sent the first INVITE without a To tag, the Setup).
   */
  direction: CallDirection | null;
  /**
   * The service it reached, as its conference lines' `Service-Type` says: `conference`,
   * `lecture`, `gateway` (an Infinity Gateway call: its "conference" is the rule's name),
   * `two_stage_dialing`, `test_call`…; null when the log does not say.
   */
  service: string | null;
  /**
   * The licences the call held, as its conference lines say (`Licenses`, and on its disconnect
   * `License-Type`: `port`, `audio` or `None`); null when no line says. A call up when the log
   * ends has its count but no type.
   */
  licenses: number | null;
  licenseType: string | null;
  failed: boolean;
  failReason: string | null;
  disconnectReason: string | null;
  counts: { sip: number; bfcp: number; q931: number; ras: number; h245: number; rest: number; admin: number };
  /** SIP request methods seen in the call, in order of first appearance (INVITE, ACK, BYE, INFO…). */
  sipMethods: string[];
  /** SIP response codes seen in the call, ascending. */
  sipCodes: number[];
  warnings: string[];
  /** Its end-of-call media statistics' worst loss and jitter; null when the log has none of it. */
  media: CallMedia | null;
}

/** A column of the call list to sort by. */
export type CallSortKey =
  | 'start'
  | 'duration'
  | 'protocol'
  | 'from'
  | 'to'
  | 'conference'
  | 'vendor'
  | 'signalingNode'
  | 'mediaNode'
  | 'result'
  | 'disconnectReason'
  | 'warnings'
  /** The worst packet loss of its media statistics (then its worst jitter); calls without any last. */
  | 'media';

/**
 * A call list's result filter: failed, connected, failed or with a warning, setup not in the log
 * (`startInferred`), still up when it ends (`ongoing`), no outcome in the log (`noOutcome`), poor
 * media (its end-of-call statistics: shared/media-stats.ts poorMedia).
 */
/** Which way a call went: dialled into a node, or placed by one. */
export type CallDirection = 'in' | 'out';

export type CallResult = 'failed' | 'connected' | 'warnings' | 'setup-not-in-log' | 'up-at-log-end' | 'no-outcome' | 'poor-media';

/**
 * Which calls the call list shows, in what order, and which of them now. The engine keeps the
 * last few views sorted, so paging through one costs a slice.
 */
export interface CallListRequest {
  /** Entity search ("find a call"); its calls come best match first unless `sort` is given. */
  query?: string;
  /** Quick filter: words that must all appear (case-insensitive) in the summary's fields. */
  filter?: string;
  protocol?: string;
  result?: CallResult;
  /** Only the calls dialled into a node (`in`) or placed by one (`out`). */
  direction?: CallDirection;
  /** Only the calls to this service (`gateway`, `lecture`…: CallSummary.service). */
  service?: string;
  /**
   * Only the calls on these nodes: whose signaling or media node is one of these names (a node the
   * syslog host hears under its host name and its address is given by both: `pxnode-lon-01,10.44.99.2`;
   * the app's engine adds the other name of a node the bundle pairs, so one name will do there).
   */
  node?: string;
  /** A column; none: list order (by start), or best match first for a query. */
  sort?: CallSortKey;
  desc?: boolean;
  /** Only the calls of this conference (its Conference-ID or name), as the conference view shows. */
  conference?: string;
  /**
   * A time window (ISO times, either may be left out): only the calls up at some time in it, from
   * their start to their end (a failed call while it was set up), for "the calls of the incident".
   */
  from?: string;
  to?: string;
  /**
   * Break the view down by a trait (shared/call-groups.ts): the page has its `groups`, counted
   * over the calls the other filters keep.
   */
  groupBy?: CallGroupKey;
  /** With groupBy: only the calls of this group (CallGroup.value). */
  group?: string;
  offset?: number;
  /** How many calls to return from `offset`; none: all of them. */
  limit?: number;
}

/** The call list's summary strip: figures over the calls the search found (before the filters). */
export interface CallStats {
  total: number;
  failed: number;
  withWarnings: number;
  perProtocol: Array<[string, number]>;
  /** Most frequent disconnect reasons (and failure reasons), most frequent first. */
  topReasons: Array<[string, number]>;
  /** The failed calls' most frequent failure reasons, most frequent first. */
  failReasons: Array<[string, number]>;
  /**
   * Calls whose setup is not in the log (`startInferred`), still up when it ends (`ongoing`), and
   * with no outcome in it (`noOutcome`): the log is cut.
   */
  setupNotInLog: number;
  upAtLogEnd: number;
  noOutcome: number;
  /** Calls whose media statistics were poor (poorMedia). */
  poorMedia: number;
  /** Calls placed by a node (direction `out`). */
  placed: number;
  /** Calls per service (CallSummary.service), most first; calls with none are not counted. */
  perService: Array<[string, number]>;
}

/** The call load over the log's span in equal stretches (shared/call-load.ts), for the overview. */
export interface CallLoad {
  /** The span, ms since the epoch, and each stretch's length. */
  from: number;
  to: number;
  bucketMs: number;
  /** Per stretch: the most calls up at once (failed calls, and calls with no outcome in the log, are never up). */
  up: number[];
  /** Per stretch: the calls that started in it, and of those the ones that failed, and those with poor media (shared/media-stats.ts poorMedia). */
  started: number[];
  failed: number[];
  poorMedia: number[];
  /** Per stretch: the calls their node rated bad or worse in it (correlate/call-quality.ts; the engine's, not the CLI's). */
  poorQuality?: number[];
  /** When the most calls were up at once (the first such time; null when none ever was), and how many. */
  peak: { at: string | null; calls: number };
  /**
   * Per licence type (CallSummary.licenseType; null: calls whose type no line says, those up
   * when the log ends), the most licences in use at once and when (the first such time): did the
   * licences run out? Most first; types never in use are left out.
   */
  licenses: Array<{ type: string | null; peak: number; at: string }>;
}

/** One page of a call list view. */
export interface CallListPage {
  /** Calls in the view (after the filters). */
  total: number;
  offset: number;
  rows: CallSummary[];
  /** The calls the search (or the whole bundle, or the conference) holds, before the filters. */
  stats: CallStats;
  /** With groupBy: the groups of the calls the filters keep (before `group` narrows them), most calls first. */
  groups?: CallGroup[];
}

/**
 * A trait the call list can be broken down by: the vendor (without versions), the remote
 * address's network (/24), the signaling or media node, the conference, protocol, direction,
 * service, result, failure or disconnect reason, licence type.
 */
export type CallGroupKey =
  | 'vendor' | 'remoteNetwork' | 'signalingNode' | 'mediaNode' | 'signalingLocation' | 'mediaLocation' | 'proxyNode' | 'conference' | 'serviceTag' | 'protocol'
  | 'direction' | 'service' | 'result' | 'failReason' | 'disconnectReason' | 'licenseType';

/** The calls sharing one value of a trait. */
export interface CallGroup {
  /**
   * The value, or (`known` false) `(not in the log)` for the calls the log says nothing of it for,
   * `(did not fail)` and `(failed)` for the calls a failure or disconnect reason does not apply to.
   */
  value: string;
  known: boolean;
  calls: number;
  failed: number;
  /** Of them, those with poor media (shared/media-stats.ts poorMedia). */
  poorMedia: number;
}

export type TraceProtocol = 'sip' | 'bfcp' | 'q931' | 'ras' | 'h245' | 'rest' | 'admin' | 'tcp' | 'log';

/** `pexlens trace --json`: one signaling message, admin event or log line of a call. */
export interface TraceMessage {
  time: string;
  /** Originating time on the node, when the line has one. */
  originTime: string | null;
  node: string;
  protocol: TraceProtocol;
  direction: 'in' | 'out' | null;
  src: string | null;
  dst: string | null;
  summary: string;
  /** `sipfrag`: a `message/sipfrag` body's status line (a transfer's NOTIFY: what the new call became), `486 Busy Here`. */
  sip?: { method?: string; status?: number; reason?: string; cseq?: string; sipfrag?: string };
  lines: string[];
  source: SourceRef;
  /** All source lines of this message (fragments: one per piece). */
  sources: SourceRef[];
  /** View indexes of the lines of this message, for jumping to the explorer. */
  indexes: number[];
  fragments?: { total: number; present: number[]; missing: number[] };
}

export interface CallTrace {
  call: CallSummary;
  messages: TraceMessage[];
  /**
   * Its parties' registrations when it started, those the bundle registers (registrationAt):
   * set by `pexlens trace`, the call reports and the call view's Copy summary.
   */
  registrations?: RegistrationMoment[];
  /**
   * The audit lines that name it (an administrator's disconnect, a PIN that failed): set where
   * the registrations are.
   */
  audit?: AuditEvent[];
  /** Its signaling or media node's application starting while it was up (a restart that cut it): set where the registrations are, and by the app's callTrace. */
  restarts?: NodeStart[];
  /** The alarms raised on its signaling or media node at any time while it was up (set where the restarts are). */
  alarms?: CallAlarm[];
  /** Two of its nodes (signaling, media, Edge) unable to reach each other at any time while it was up (set where the restarts are). */
  contactLosses?: CallContactLoss[];
  /**
   * A call a node placed: the DNS lookups its signaling node made of the domain it dialled just
   * before it (and as its first INVITE went), for "the dial-out went nowhere, or took seconds to ring".
   */
  dnsLookups?: DnsLookup[];
  /**
   * What its node asked the external policy server for it (the service it dialled, its media
   * location, its properties), tied by its parties and node (the lines name no call), in time order.
   */
  policy?: PolicyRequest[];
  /**
   * What a local policy script wrote while the node decided on it (support.jinja2 `pex_debug_log`),
   * the lines on its signaling node while it was up that name one of its parties, in time order.
   */
  localPolicy?: LocalPolicyLine[];
  /**
   * How its media node rated the call while it was up, each time that changed (support.participant
   * "Stable call quality changed", tied by its party and node: the line names no call), in time order.
   */
  quality?: QualityChange[];
  /**
   * The node's dial-outs it is part of (set where the restarts are): the one that placed it (its
   * `call`), or, an incoming call through the Infinity Gateway, those placed for it (its `incoming`).
   */
  dialOuts?: DialOut[];
  /** Set by `pexlens export --redact`: personal data replaced by consistent pseudonyms. */
  redacted?: boolean;
}

export interface ConferenceSummary {
  id: string;
  name: string | null;
  start: string | null;
  end: string | null;
  calls: string[];
}

/** A row of the conference list: every instance of one name (shared/conference-list.ts). */
export interface ConferenceRow {
  /** The conference's name, or its Conference-ID when the log names it by no name (`named` false). */
  name: string;
  named: boolean;
  /** The service its calls reached (CallSummary.service, the most said: `gateway` for a gateway rule), null when none says. */
  service: string | null;
  /** Its calls' Service-Tag (CallSummary.serviceTag, the most said), null when none says one. */
  serviceTag: string | null;
  /** Its instances (Conference-IDs): one per node it ran on, and per time it was held. */
  instances: number;
  /** Its calls, those of them that failed, those with poor media, and the most that were up at once. */
  calls: number;
  failed: number;
  poorMedia: number;
  peak: number;
  /** Its first call's start and last call's end. */
  start: string | null;
  end: string | null;
}

/** What the log last says of an alias's registration (correlate/registrations.ts). */
export type RegistrationState = 'registered' | 'expired' | 'unregistered' | 'refused' | 'unknown';

/** A row of the registrations page and `pexlens registrations`: one alias, all it registered. */
export interface RegistrationRow {
  /** The address of record, without scheme or parameters, lowercase (`alice@example.com`). */
  alias: string;
  protocols: string[];
  /**
   * By the last line that says: registered (a 2xx to its REGISTER, "Registration added" or
   * "refreshed"), expired (registered by SIP for a time that ran out before the log's last
   * line, with no REGISTER after), unregistered ("Registration deleted", or a REGISTER with
   * expires 0 accepted), refused (a final answer of 300 or more other than a 401/407
   * challenge), or unknown (only requests or challenges in the log).
   */
  state: RegistrationState;
  stateTime: string | null;
  /** The refusal (`403 Forbidden`) or the deletion's Reason. */
  reason: string | null;
  /** REGISTERs the nodes received, and their answers: accepted (2xx), challenged (401/407), refused. */
  requests: number;
  accepted: number;
  challenged: number;
  refused: number;
  /** administrator.registration lines. */
  added: number;
  refreshed: number;
  deleted: number;
  nodes: string[];
  /** The addresses its REGISTERs came from, and their User-Agents. */
  addresses: string[];
  agents: string[];
  first: string;
  last: string;
  /** View positions of its first and last line. */
  firstLine: number;
  lastLine: number;
  /** Registered or expired by SIP: when its last accepted REGISTER runs out (by the Expires granted). */
  expires: string | null;
}

/** A stretch of time an alias's registration was in one state (from the deciding line to the next, or to its expiry). */
export interface RegistrationSpan {
  state: RegistrationState;
  from: string;
  to: string;
}

/** One alias's registration: its lines, and its states from its first deciding line to the log's end. */
export interface RegistrationDetail {
  events: RegistrationEvent[];
  spans: RegistrationSpan[];
}

/** What an alias's registration lines up to a time say of it then (a call's view asks at its start). */
export interface RegistrationMoment {
  alias: string;
  /** `unknown`: none of its lines before then decides (or it has only requests and challenges). */
  state: RegistrationState;
  /** The deciding line's time (for expired: when its time ran out), its view position, and why. */
  since: string | null;
  line: number | null;
  reason: string | null;
  /** While registered by SIP: when the registration runs out. */
  expires: string | null;
}

/** One line of an alias's registration, as the registrations page lists it. */
export interface RegistrationEvent {
  time: string;
  /** View position. */
  line: number;
  node: string;
  kind: 'request' | 'accepted' | 'challenged' | 'refused' | 'added' | 'refreshed' | 'deleted';
  /** `REGISTER`, `401 Unauthorized`, `Registration deleted`… */
  what: string;
  detail: string | null;
}

/**
 * What a line of the administrator's audit trail is about (correlate/audit.ts): a login to the
 * Administrator interface, a configuration change, a participant or conference controlled (by
 * an administrator, the client API or DTMF), Break-in prevention blocking an address or a
 * service, a PIN entry that failed.
 */
/** provisioning: what the platform did to the services on its own: LDAP sync, scheduling, One-Touch Join, cloud bursting. */
export type AuditCategory = 'login' | 'configuration' | 'control' | 'break-in' | 'pin' | 'provisioning';

/** One line of the audit trail. */
export interface AuditEvent {
  /** View position: where the explorer opens it. */
  line: number;
  time: string;
  category: AuditCategory;
  /** Its Message, as the log writes it. */
  message: string;
  /** What a case looks for first: a failed login, a break-in prevention block, a PIN that failed. */
  alert: boolean;
  /** The administrator (User), the participant, the requester. */
  who: string | null;
  /** The address it came from (Remote-Address). */
  address: string | null;
  /** What it acted on: a configuration's type and ID, a service or alias, a participant. */
  target: string | null;
  /** What else says why: the fields changed, the Reason, the retries or block time left. */
  detail: string | null;
  node: string;
  /**
   * The call it names (its Call-Id or Participant-Id), if any. The app's auditEvents gives the
   * call's id in the call list instead, and null for an id no call of the bundle has.
   */
  callId: string | null;
  /** The conference it names (Conference, or the alias dialled), if any. */
  conference: string | null;
  /** The row it is counted in (AuditRow.subject). */
  subject: string;
  /** Texts the line holds that name its subject: a search for them finds the subject's lines. */
  words: string[];
  /** Break-in prevention: the block time left, in seconds (remaining_block_duration_seconds). */
  blockLeft: number | null;
}

/** The audit lines over the bundle's span in equal stretches, per category present (the Overview's strip). */
export interface AuditLoad {
  from: number;
  to: number;
  bucketMs: number;
  categories: Array<{ category: AuditCategory; lines: number[]; alerts: number[] }>;
}

/** What a timeline entry is: a node's application started, an alarm, an audit subject, calls failing for a reason, calls rated bad, a node gone quiet, a missing rotation, an external service (an event sink, a DNS name) failing. */
export type TimelineKind = 'start' | 'alarm' | 'contact' | 'audit' | 'failure' | 'quality' | 'silence' | 'gap' | 'service';

/**
 * One entry of the bundle's timeline (shared/timeline.ts): the notable things in time order, for
 * "what happened, and in which order" and a case note.
 */
export interface TimelineEvent {
  time: string;
  kind: TimelineKind;
  /** What happened, in words (its times apart: `time`, `until`). */
  text: string;
  /** Until when it lasted, where that is known: a silence's end, a block's, a missing rotation's. */
  until: string | null;
  /** The node it is about, if one. */
  node: string | null;
  /** How many it stands for: an alarm's raises, an audit subject's lines, the calls that failed so. */
  count: number;
  /** Where it opens: its first line (view position), its first call, its audit subject (or category, subject null). */
  line: number | null;
  call: string | null;
  audit: { category: AuditCategory; subject: string | null } | null;
}

/** A row of the audit page and `pexlens audit`: one subject of a category (a user, an address, a service, an item). */
export interface AuditRow {
  category: AuditCategory;
  subject: string;
  /** Texts each of its lines holds (AuditEvent.words). */
  words: string[];
  events: number;
  alerts: number;
  /** Its lines' messages, the most frequent first. */
  messages: Array<{ message: string; count: number }>;
  who: string[];
  addresses: string[];
  first: string;
  last: string;
  /** Break-in prevention: when its block ends, by the last line's time and the block time it says is left. */
  blockedUntil: string | null;
}

export interface Facets {
  level: Record<string, number>;
  name: Record<string, number>;
  node: Record<string, number>;
}

/** `pexlens search --json`. */
export interface SearchResult {
  total: number;
  hits: Array<{ index: number; file: string; line: number; time: string; level: Level; name: string; text: string }>;
  facets: Facets;
  tookMs: number;
}

/** `messages`: the most frequent `Message` values of a result. */
export interface MessageCounts {
  /** Lines counted (the result's). */
  lines: number;
  /** Of them, lines without a Message pair (damaged lines, other layouts). */
  without: number;
  /** Distinct messages among them. */
  distinct: number;
  /** The most frequent, most first: [message, lines]. */
  top: Array<[string, number]>;
  /**
   * For each of `top` (same order): its first and last line's syslog time, null for lines with
   * none. A message that began in the middle of the log is what changed there.
   */
  spans: Array<{ first: string | null; last: string | null }>;
}

export interface Histogram {
  from: number;
  to: number;
  bucketMs: number;
  lines: number[];
  /** ERROR and CRITICAL lines per bucket. */
  errors: number[];
  /** WARNING lines per bucket (not counted in `errors`). */
  warnings?: number[];
  /** Stretches no file of the bundle holds (rotations missing between two it has), and which files. */
  gaps?: Array<{ from: number; to: number; missing: string[] }>;
}

/** `svg`: one call's ladder as a picture (a heading over the ladder), for a case note or a ticket. */
export type ExportFormat = 'raw' | 'text' | 'html' | 'json' | 'csv' | 'svg';

export interface ExportRequest {
  format: ExportFormat;
  query?: string;
  calls?: string[];
  /**
   * The calls of a call list view (CallListRequest without its page), in its order: as CSV (a row
   * per call), as reports (1 000 calls at most), or their raw lines.
   */
  callList?: Omit<CallListRequest, 'offset' | 'limit'>;
  indexes?: number[];
  redact?: boolean;
}

/** One page of the (optionally filtered) line list: `total` rows match, `rows` start at `offset`. */
export interface LinePage {
  total: number;
  offset: number;
  rows: LineRow[];
  /**
   * Answered early (a `first` request): the rows are the list's, exactly, but the query was only
   * evaluated over the head of the view, so `total` is a lower bound (the rows found there). Ask
   * again without `first` (or call `search`) for the whole list.
   */
  partial?: boolean;
}

export interface OpenRequest {
  paths: string[];
  password?: string;
}

/** Events pushed from the engine to the UI (IPC channel `pexlens:event`, or the WebSocket `/events`). */
export type ApiEvent =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'loaded'; info: BundleInfo }
  | { type: 'indexed'; what: 'calls' | 'lines' }
  /**
   * Opening failed or was cancelled. `needsPassword`: an encrypted snapshot without (or with a
   * wrong) password — ask for one and call `open({ paths, password })` again with these `paths`.
   * `cancelled`: the user cancelled the load; the lines read so far stay browsable (info().loaded
   * is false). `paths`: what was being opened.
   */
  | { type: 'error'; message: string; needsPassword?: boolean; cancelled?: boolean; paths?: string[] }
  | { type: 'exportProgress'; done: number; total: number };

/**
 * The methods the UI calls. Transport: Electron → `window.pexlens.call(method, arg)` (preload,
 * ipcRenderer.invoke('pexlens:call', method, arg)); browser mode → `POST /api/<method>` with the
 * JSON arg as body and the session token in the `X-Pexlens-Token` header, result as JSON
 * (errors: HTTP 4xx/5xx with `{ error }`).
 *
 * Transport details (engine host side, electron/server and electron/main):
 * - Browser mode: the page is opened as `http://127.0.0.1:PORT/?token=TOKEN#/lines`; read the token
 *   from `location.search` once. Every `POST /api/<method>` needs `X-Pexlens-Token: TOKEN` (401
 *   without). A `null` result comes back as the JSON `null`. Errors: 400 `{ error, needsPassword?,
 *   cancelled? }` for requests the user can fix (bad query, wrong password, cancelled load), 500 for
 *   engine faults, 401 bad token, 404 unknown method. Events: WebSocket `ws://127.0.0.1:PORT/events?token=TOKEN`,
 *   one JSON `ApiEvent` per message. Static files (index.html, assets) need no token.
 * - Electron: the page is `pexlens://app/index.html#/lines` (the app's own scheme serving
 *   dist/renderer; relative asset paths work; CSP connect-src is 'self' only, no network at all).
 *   `window.pexlens = { call(method, arg), onEvent(cb) → unsubscribe, platform }`; a
 *   failed call rejects with an Error whose message is the engine's message (Electron prefixes
 *   "Error invoking remote method 'pexlens:call': "; strip it for display).
 * - The host opens the bundle it was started with (command line, `pexlens serve <path>`, the
 *   sample) before the UI asks: on start call `info()`; when it is null and no `error` event
 *   arrived, show an "open a file" state. On connect the host replays the latest state event
 *   (`progress`, `loaded` or `error`), so a UI that connects late still sees it.
 * - While loading, `lines`/`search`/`histogram` work on the lines read so far (in file order);
 *   when `loaded` arrives the view order is final (merged by time across streams): refetch.
 * - `exportTo` without `path`: Electron shows a save dialog (result `{ path: null }` when the user
 *   cancels it); browser mode writes a temporary file and returns `url` = `/api/export/<id>`, which
 *   downloads with `?token=TOKEN` appended (GET, Content-Disposition: attachment).
 * - `open` in browser mode takes paths on the server's machine; the UI only calls it again to
 *   retry with a password (`error.needsPassword`).
 */
/**
 * What a call that evaluates a line query may carry besides the query: `epoch`, the UI's stamp
 * of one state of its search box (rising, the same on every call made for that state), and `tab`,
 * which UI it is (browser tabs share one host). When a call with a higher epoch than its tab's
 * last reaches the host, the engine stops evaluating that tab's queries of lower epochs, which
 * fail as `cancelled`: a slow regex over a big bundle does not hold up the next search, nor the
 * rest of the UI, and one tab's search does not stop another's. Calls without an epoch are never
 * stopped.
 */
export interface QueryCall {
  query?: string;
  epoch?: number;
  tab?: string;
}

export interface PexlensApi {
  open(req: OpenRequest): Promise<BundleInfo>;
  cancelLoad(): Promise<void>;
  info(): Promise<BundleInfo | null>;
  /**
   * A page of the lines matching `query` (all lines without one). `first`: this is the first page
   * the UI shows of a new query, so answer it as soon as the head of the view holds it, before
   * the query's whole list is known (`partial` in the answer). `firstRows`: the rows such an early
   * answer must hold at least (the rows on screen; default the whole page): it may then hold fewer
   * than `limit`, the rest of the page coming with the whole list. `mark`: a query whose matching
   * rows say so (`match`), for the explorer's "All lines", which shows every line around the
   * matches of its search (`call:…`, `node:…` mark no text, so the rows themselves must).
   */
  lines(req: QueryCall & { offset: number; limit: number; first?: boolean; firstRows?: number; mark?: string }): Promise<LinePage>;
  /** Position of the first line at or after a time, in the (filtered) list. */
  seekTime(req: QueryCall & { time: string }): Promise<number>;
  /**
   * Position, in the (filtered) list, of the first line whose view index is `index` or more (more
   * than `index` when `after`); the list's length when none is. What keeps a line in view across
   * searches, and steps from match to match in "All lines", in one request.
   */
  seekLine(req: QueryCall & { index: number; after?: boolean }): Promise<number>;
  search(req: QueryCall & { query: string; offset?: number; limit?: number }): Promise<SearchResult>;
  /**
   * The view index of the line a `file:line` reference names (`unified_support.log.2.gz:271`: the
   * file by its name or a tail of its path, with or without `.gz`), for "jump to" a quoted line.
   */
  seekFileLine(req: { ref: string }): Promise<number>;
  lineDetail(req: { index: number }): Promise<LineDetail>;
  /**
   * The whole text of lines by view index, in the order given, for the clipboard (Ctrl+C on the
   * explorer's picked lines): the first 10,000 at most, each ending in `\n`; `lines` says how
   * many the text holds (fewer than asked: the rest is for an export).
   */
  copyLines(req: { indexes: number[] }): Promise<{ text: string; lines: number }>;
  histogram(req: QueryCall & { buckets: number }): Promise<Histogram>;
  /** The loaded bundle's logs, files (with their time spans), gaps and counts, for the overview. */
  overview(): Promise<BundleOverview>;
  /** The most frequent `Message` values of the lines matching `query` (all lines without one), `limit` of them (default 12). */
  messages(req: QueryCall & { limit?: number }): Promise<MessageCounts>;
  calls(req: CallListRequest): Promise<CallListPage>;
  /** The calls' load over the bundle's span in `buckets` stretches (once the calls are known). */
  callLoad(req: { buckets: number }): Promise<CallLoad>;
  /**
   * Per node (each its names, comma-separated, as CallListRequest.node takes them): its calls (those
   * whose signaling or media node is one of its names) and of them the failed ones, and its system
   * location as they name it (null when none does), in one pass over the calls: the Overview's
   * nodes table.
   */
  nodeCalls(req: { nodes: string[] }): Promise<Array<{ calls: number; failed: number; location: string | null }>>;
  callTrace(req: { id: string }): Promise<CallTrace | null>;
  /**
   * The view indexes of a call's lines that match a query (the explorer's language: words,
   * `"quoted"`, `/regex/`, fields, `-`, `OR`): what the call view's "Find in this call" marks,
   * a message matching when any of its lines does. As `call:<id> (<query>)` searches.
   */
  callFind(req: { id: string; query: string }): Promise<{ indexes: number[] }>;
  /**
   * The nodes' dial-outs, each tied to the call it became (once the calls are known): all, or a
   * conference's (`conference`: its Conference-ID or name, as `calls` takes it), refused ones and
   * those with no call in the log among them; with the summaries of the calls they became.
   */
  dialOuts(req: { conference?: string }): Promise<{ dialOuts: DialOut[]; calls: CallSummary[] }>;
  /** The alarms raised on a conference's calls' nodes (signaling and media) while those calls were up (`conference`: as `calls` takes it). */
  conferenceAlarms(req: { conference: string }): Promise<CallAlarm[]>;
  /** The losses of contact between two nodes of a conference's calls while calls on both were up together (`conference`: as `calls` takes it). */
  conferenceContactLosses(req: { conference: string }): Promise<CallContactLoss[]>;
  /** How the nodes rated a conference's calls while they were up, each call's that has ratings (`conference`: as `calls` takes it). */
  conferenceQuality(req: { conference: string }): Promise<CallQuality[]>;
  /**
   * What the conference's text says of it (shared/conference-text.ts: its row, calls, alarms,
   * nodes out of contact, the nodes' names), for the conference view's Copy summary; null when no
   * call was in it.
   */
  conferenceSummary(req: { conference: string }): Promise<ConferenceParts | null>;
  conferences(): Promise<ConferenceSummary[]>;
  /**
   * A row per conference name with its instances, calls and when (once the calls are known), by
   * start. With a window (ISO times, either end open): the conferences of the calls up at some
   * time in it, counted over those calls (shared/conference-list.ts conferenceRowsOfCalls).
   */
  conferenceList(req?: { from?: string | null; to?: string | null }): Promise<ConferenceRow[]>;
  /** A row per registered alias (SIP REGISTERs and administrator.registration lines), by alias. */
  registrations(): Promise<RegistrationRow[]>;
  /** One alias's registration lines in time order, and its states over the log (empty for an alias the bundle does not register). */
  registrationDetail(req: { alias: string }): Promise<RegistrationDetail>;
  /** What each alias's registration was at a time (null for an alias the bundle does not register). */
  registrationAt(req: { aliases: string[]; time: string }): Promise<Array<RegistrationMoment | null>>;
  /** A row per subject of the administrator's audit trail (logins, configuration, control, break-in prevention, PIN entry), by first line. */
  audit(): Promise<AuditRow[]>;
  /** The audit lines in view order: of one subject (category and subject), of the calls named (callIds), or all. */
  auditEvents(req: { category?: AuditCategory; subject?: string; callIds?: string[] }): Promise<AuditEvent[]>;
  /** The audit lines per category in `buckets` stretches of the bundle's span. */
  auditLoad(req: { buckets: number }): Promise<AuditLoad>;
  /**
   * The bundle's notable events in time order (once the calls are known); with `from`/`to` (ISO,
   * either end open), those of a window: what happened then (correlate/bundle-timeline.ts).
   */
  timeline(req?: { from?: string | null; to?: string | null }): Promise<TimelineEvent[]>;
  exportTo(req: ExportRequest & { path?: string }): Promise<{ path: string | null; url: string | null; bytes: number }>;
  /**
   * Stops the export in progress (if any): its `exportTo` then answers `{ path: null, url: null }`
   * (as when the save dialog is dismissed) and no file is left behind.
   */
  cancelExport(): Promise<void>;
}

export type ApiMethod = keyof PexlensApi;
