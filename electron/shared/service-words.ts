/**
 * The nodes' external services in words (a DNS name's lookups, an event sink, the policy server), the same in the
 * app's Overview and call view, its Copy summaries, `pexlens info` and `pexlens trace`.
 */
import type { DnsLookup, DnsTarget, EventSink, PolicyRequest, PolicyTarget, Tally } from '../api.js';
import { spanText } from './ladder-layout.js';

/** A lookup this slow holds up the call waiting on it: a user notices a second before it rings. */
export const DNS_SLOW_MS = 1000;
/** A call's setup waits on the policy server's answer: this long is a second the caller notices. */
export const POLICY_SLOW_MS = 1000;

/** How often each value comes, the most frequent first (ties in the order first seen). */
export function tally(values: Iterable<string>): Tally[] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

/** The first values of a tally, with the rest counted: `10.48.1.2 ×4, 10.48.7.9, 3 more`. */
export function tallyWords(t: readonly Tally[], shown = 3): string {
  const head = t.slice(0, shown).map((x) => (x.count > 1 ? `${x.value} ×${x.count}` : x.value));
  return t.length > shown ? `${head.join(', ')}, ${t.length - shown} more` : head.join(', ');
}

/**
 * One name's lookups: `SRV _sips._tcp.example.com: 12 lookups from 3 nodes, 2 failed (No answer
 * ×2), 1 slow (≥ 1 s), the slowest 2.4 s, median 80 ms; resolved to 10.48.1.2 ×4, …`.
 */
export function dnsTargetWords(d: DnsTarget): string {
  return `${d.type} ${d.target}: ${timedWords(d, d.lookups, 'lookup', DNS_SLOW_MS)}${d.results.length ? `; resolved to ${tallyWords(d.results)}` : ''}`;
}

/** What a name's lookups or a server's requests add up to, `more` said between the failed and the slow: `12 lookups from 3 nodes, 2 failed (No answer ×2), 1 slow (≥ 1 s), the slowest 2.4 s, median 80 ms`. */
function timedWords(t: Pick<DnsTarget, 'nodes' | 'failed' | 'failures' | 'slow' | 'slowestMs' | 'medianMs'>, n: number, noun: string, slowMs: number, more: string[] = []): string {
  const parts = [`${n} ${noun}${n === 1 ? '' : 's'} from ${t.nodes.length} node${t.nodes.length === 1 ? '' : 's'}`];
  if (t.failed) parts.push(`${t.failed} failed (${tallyWords(t.failures, 2)})`);
  parts.push(...more);
  if (t.slow) parts.push(`${t.slow} slow (≥ ${spanText(slowMs)})`);
  if (t.slowestMs !== null) parts.push(`the slowest ${spanText(t.slowestMs)}, median ${spanText(t.medianMs!)}`);
  return parts.join(', ');
}

/** One lookup, a call's: `SRV _sip._tcp.example.com → 10.48.3.9 in 152 ms`, or what failed. */
export function dnsLookupWords(l: DnsLookup): string {
  const took = l.ms === null ? '' : ` in ${spanText(l.ms)}${l.ms >= DNS_SLOW_MS ? ' (slow)' : ''}`;
  return `${l.type} ${l.target} ${l.failure === null ? `→ ${l.result ?? '(no result given)'}` : `failed: ${l.failure}`}${took}`;
}

/** A sink by its URL, or said to have none: a line without `Url` is still counted. */
export const sinkName = (k: Pick<EventSink, 'url'>): string => k.url || '(no Url given)';

/** An event sink: `https://events.example.com/sink: 99 failures from 08:02:26 to 09:58:01, from 5 nodes: Connection refused ×99`; `time` writes a log time. */
export function eventSinkWords(k: EventSink, time: (iso: string) => string): string {
  if (!k.firstFailure) return `${sinkName(k)}: ${k.lines} line${k.lines === 1 ? '' : 's'}, no failure`;
  const when = k.lastFailure && k.lastFailure !== k.firstFailure ? `from ${time(k.firstFailure)} to ${time(k.lastFailure)}` : `at ${time(k.firstFailure)}`;
  return `${sinkName(k)}: ${k.failures} failure${k.failures === 1 ? '' : 's'} ${when}, from ${k.nodes.length} node${k.nodes.length === 1 ? '' : 's'}: ${tallyWords(k.details)}`;
}

/** The documented answer "no policy for this" (status `fail`, or a 404): Infinity uses its own configuration. Not the server failing. */
export const noPolicy = (r: Pick<PolicyRequest, 'status' | 'result'>): boolean => r.result === 'fail' || r.status === 404;

/** One request, a call's: `service configuration → reject (HTTP 200) in 84 ms`, or what failed and what the node did then. */
export function policyRequestWords(r: PolicyRequest): string {
  if (!r.answered) return `${r.kind}: no answer in the log`;
  const took = r.ms === null ? '' : ` in ${spanText(r.ms)}${r.ms >= POLICY_SLOW_MS ? ' (slow)' : ''}`;
  const http = r.status === null ? '' : `HTTP ${r.status}`;
  if (r.failure !== null) return `${r.kind} failed: ${r.failure}${took}; its own configuration used`;
  if (noPolicy(r)) return `${r.kind} → no policy (${[http, r.result && `status ${r.result}`].filter(Boolean).join(', ')})${took}; its own configuration used`;
  return `${r.kind} → ${r.action ?? r.result ?? 'answered'}${http ? ` (${http})` : ''}${took}`;
}

/**
 * One server's requests of a kind: `service configuration, https://policy.example.com: 240
 * requests from 2 nodes, 3 failed (Timed out ×3), 5 rejected, 12 with no policy, 4 slow (≥ 1 s),
 * the slowest 5 s, median 90 ms`.
 */
export function policyTargetWords(t: PolicyTarget): string {
  const more = [...(t.rejected ? [`${t.rejected} rejected`] : []), ...(t.local ? [`${t.local} with no policy`] : [])];
  return `${t.kind}, ${t.server}: ${timedWords(t, t.requests, 'request', POLICY_SLOW_MS, more)}`;
}
