/**
 * What the nodes asked the external policy server (support.externalpolicy: "requests sent to an
 * external policy server and the associated response"): the service an alias reaches, where a
 * call's media goes, whether a participant is let in. "Calls are refused", "calls land in the
 * wrong room" and "every call takes seconds to connect" start here: a server that answers
 * `reject`, gives no policy, or is slow or down (Infinity then uses its own configuration).
 *
 * A request is a line with a `Url` (or `Uri`); its response, a line with a `Status` (or a
 * failure) and the same `Request-Id`, else the node's oldest request not yet answered.
 */
import type { CallSummary, CallTrace, PolicyRequest, PolicyTarget } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';
import { POLICY_SLOW_MS, noPolicy, tally } from '../../shared/service-words.js';
import { aliasKey } from '../../shared/registration-words.js';
import { nodeAddressOf } from '../../shared/node-names.js';
import { nodeAddresses, senderByAddress } from './node-addresses.js';
import { FAILED, failureWords, median, timedGroups } from './external-services.js';
import { perStore, perStoreAndCalls } from './memo.js';

/** The fields read, with the other names a version may give them (the status, the body, the time taken). */
const FIELDS = picker(['message', 'request-id', 'url', 'uri', 'status', 'status-code', 'duration', 'elapsed', 'detail', 'response', 'reason', 'error']);
const slots: Array<string | undefined> = [];

/** The policy API's paths (docs.pexip.com, external policy), by what they ask. */
const KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/service\/configuration\/?$/i, 'service configuration'],
  [/\/participant\/location\/?$/i, 'media location'],
  [/\/participant\/properties\/?$/i, 'participant properties'],
  [/\/participant\/avatar(?:\/|$)/i, 'participant avatar'],
  [/\/registrations\/[^/]+\/?$/i, 'registration'],
  [/\/registrations\/?$/i, 'directory'],
];

/** A URL's parts: the server, what it asks and the parameters that tie it to a call. */
function requestOf(url: string): Pick<PolicyRequest, 'server' | 'kind' | 'localAlias' | 'remoteAlias' | 'remoteAddress' | 'direction'> {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    /* not a URL: said as it was */
  }
  if (!u) return { server: url, kind: url, localAlias: null, remoteAlias: null, remoteAddress: null, direction: null };
  const q = u.searchParams;
  return {
    server: u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin,
    kind: KINDS.find(([re]) => re.test(u.pathname))?.[1] ?? u.pathname,
    localAlias: q.get('local_alias') || null,
    remoteAlias: q.get('remote_alias') || null,
    remoteAddress: q.get('remote_address') || null,
    direction: q.get('call_direction') || null,
  };
}

/** A response's JSON members (`"action": "reject"`), read as text: a response cut short is still read. */
const ACTION = /"action"\s*:\s*"([^"]*)"/;
const RESULT = /"status"\s*:\s*"([^"]*)"/;

/**
 * Every policy request in the bundle, in view order of the requests: read once per store (and
 * again once it holds more lines), as the Overview, the timeline and each call's view ask.
 */
export const policyRequests = perStore((store): readonly PolicyRequest[] => {
  const out: PolicyRequest[] = [];
  const byId = new Map<string, PolicyRequest>();
  const open = new Map<string, PolicyRequest[]>();
  const sender = senderByAddress(store);
  for (const p of store.modulePositions(store.names.values.indexOf('support.externalpolicy'))) {
    const i = store.at(p);
    const [message = '', id, urlField, uri, statusField, statusCode, durationField, elapsed, detailField, response, reason, error] = pickInto(store, i, FIELDS, slots);
    const url = urlField ?? uri;
    const status = statusField ?? statusCode;
    const duration = durationField ?? elapsed;
    const detail = detailField ?? response;
    const node = sender(i);
    const failedLine = !status && FAILED.test(message);
    // a line with a URL is a request, unless it names one still waiting (a failure may repeat the URL)
    let r: PolicyRequest | undefined = id ? byId.get(id) : undefined;
    if (url && (!r || r.answered)) {
      r = { time: formatTime(store.time.data[i]!), node, ...requestOf(url), status: null, action: null, result: null, ms: null, failure: null, answered: false, line: p, responseLine: null };
      out.push(r);
      if (id) byId.set(id, r);
      else (open.get(node) ?? open.set(node, []).get(node)!).push(r);
      if (!status && !failedLine) continue;
    }
    // a response, or a failure: to its request by id, else the node's oldest open one
    if (!r && !id) {
      const waiting = open.get(node);
      while (waiting?.length && waiting[0]!.answered) waiting.shift();
      r = waiting?.[0];
    }
    if (!r || r.answered || (!status && !failedLine)) continue;
    r.answered = true;
    r.responseLine = p;
    const seconds = duration === undefined ? NaN : Number(duration);
    if (Number.isFinite(seconds)) r.ms = Math.round(seconds * 1000);
    const code = status ? Number.parseInt(status, 10) : NaN;
    r.status = Number.isFinite(code) ? code : null;
    r.action = ACTION.exec(detail ?? '')?.[1] ?? null;
    r.result = RESULT.exec(detail ?? '')?.[1] ?? null;
    if (failedLine) r.failure = failureWords(message, reason ?? error);
    else if (r.status !== null && (r.status < 200 || r.status > 299) && r.status !== 404) r.failure = `HTTP ${r.status}${reason ? ` ${reason}` : ''}`;
  }
  return out;
});

/** The requests per server and kind: those with failures first, then rejects, then slow ones, then the most asked. */
export function policyTargets(requests: readonly PolicyRequest[]): PolicyTarget[] {
  const out: PolicyTarget[] = [];
  for (const { g, times, failed, slowest } of timedGroups(requests, (r) => `${r.server}\0${r.kind}`)) {
    const rejected = g.filter((r) => r.action === 'reject');
    out.push({
      server: g[0]!.server,
      kind: g[0]!.kind,
      requests: g.length,
      rejected: rejected.length,
      failed: failed.length,
      local: g.filter((r) => r.failure === null && noPolicy(r)).length,
      slow: times.filter((ms) => ms >= POLICY_SLOW_MS).length,
      slowestMs: times.length ? times[times.length - 1]! : null,
      medianMs: median(times),
      failures: tally(failed.map((r) => r.failure!)),
      nodes: [...new Set(g.map((r) => r.node))],
      first: g[0]!.time,
      last: g[g.length - 1]!.time,
      line: (failed[0] ?? rejected[0] ?? (slowest && slowest.ms! >= POLICY_SLOW_MS ? slowest : g[0]!)).line,
    });
  }
  return out.sort((a, b) => b.failed - a.failed || b.rejected - a.rejected || b.slow - a.slow || b.requests - a.requests || (a.server + a.kind < b.server + b.kind ? -1 : 1));
}

/** A request is asked while its call is being set up, or up: from a little before its first line to a little after its last. */
const SLACK_MS = 2_000;

interface Assignment {
  byCall: Map<string, PolicyRequest[]>;
  /** The call of a request's line and of its answer's, by view position. */
  byLine: Map<number, string>;
}

/**
 * Each request given to one call: of the calls on its node (signaling or media) whose parties its
 * parameters name (the caller by alias or address, the alias dialled; a placed call's by the party
 * dialled) and which went its way (`call_direction`), up then, the one set up last (a caller who
 * tries again seconds later has a call for each try). Per store and list of calls, made once.
 */
const assignment = perStoreAndCalls((store, calls): Assignment => {
  const byCall = new Map<string, PolicyRequest[]>();
  const byLine = new Map<number, string>();
  const requests = policyRequests(store).filter((r) => r.remoteAlias || r.remoteAddress || r.localAlias);
  if (requests.length) {
    const addressOf = nodeAddressOf(nodeAddresses(store));
    // the calls by their remote party's alias and address: what a request names first
    type Up = { c: CallSummary; from: number; to: number; nodes: Set<string>; local: string | null; out: boolean };
    const byParty = new Map<string, Up[]>();
    for (const c of calls) {
      if (!c.start) continue;
      const start = Date.parse(c.start);
      const up: Up = {
        c,
        from: start - SLACK_MS,
        to: Date.parse(c.end ?? c.start) + SLACK_MS,
        nodes: new Set([c.signalingNode, c.mediaNode].filter((n): n is string => !!n).map(addressOf)),
        local: c.direction === 'out' ? null : c.to ? aliasKey(c.to) : null,
        out: c.direction === 'out',
      };
      const party = c.direction === 'out' ? c.to : c.from;
      for (const key of new Set([party && aliasKey(party), c.remote].filter((x): x is string => !!x))) (byParty.get(key) ?? byParty.set(key, []).get(key)!).push(up);
    }
    for (const r of requests) {
      const at = Date.parse(r.time);
      const local = r.localAlias && r.direction !== 'dial_out' ? aliasKey(r.localAlias) : null;
      // `call_direction`: dial_in, dial_out, or non_dial (neither: a registration, a directory)
      const out = r.direction === 'dial_out' ? true : r.direction === 'dial_in' ? false : null;
      let best: Up | null = null;
      for (const key of new Set([r.remoteAlias && aliasKey(r.remoteAlias), r.remoteAddress].filter((x): x is string => !!x))) {
        for (const u of byParty.get(key) ?? []) {
          if (at < u.from || at > u.to || !u.nodes.has(r.node) || (out !== null && out !== u.out) || (local && u.local && local !== u.local)) continue;
          if (!best || u.from > best.from) best = u;
        }
      }
      if (!best) continue;
      (byCall.get(best.c.id) ?? byCall.set(best.c.id, []).get(best.c.id)!).push(r);
      byLine.set(r.line, best.c.id);
      if (r.responseLine !== null) byLine.set(r.responseLine, best.c.id);
    }
  }
  return { byCall, byLine };
});

/** The trace with what its node asked the policy server for it (`calls`: every call of the bundle, among which each request is given to one). */
export function withPolicy(t: CallTrace, store: LineStore, calls: readonly CallSummary[]): CallTrace {
  const policy = assignment(store, calls).byCall.get(t.call.id);
  return policy?.length ? { ...t, policy } : t;
}

/** The call a policy request or its answer (a support.externalpolicy line, by its view position) is given to, if any: the line names none. */
export function callOfPolicyLine(store: LineStore, line: number, calls: readonly CallSummary[]): string | null {
  return assignment(store, calls).byLine.get(line) ?? null;
}

/** The view positions of the policy lines given to a call (its requests and their answers), in view order: `call:` holds them too. */
export function policyLinesOfCall(store: LineStore, id: string, calls: readonly CallSummary[]): number[] {
  return (assignment(store, calls).byCall.get(id) ?? []).flatMap((r) => (r.responseLine === null ? [r.line] : [r.line, r.responseLine])).sort((a, b) => a - b);
}
