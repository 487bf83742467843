/**
 * A call's quality over time (shared/call-quality.ts): the support.participant "Stable call
 * quality changed" lines name no call (`Call-Id="None"`), only the participant. So a line is a
 * call's when it names the call's party (its caller, or the party a placed call dialled, or its
 * display name, as a WebRTC participant is named) and its node is the call's media or signaling
 * node, while the call was up.
 */
import type { CallLoad, CallQuality, CallSummary, CallTrace, QualityChange } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';
import { nodeAddresses, senderByAddress } from './node-addresses.js';
import { nodeAddressOf } from '../../shared/node-names.js';
import { aliasKey } from '../../shared/registration-words.js';
import { POOR_QUALITY, QUALITY_WORDS } from '../../shared/call-quality.js';
import { stretches } from '../../shared/call-load.js';

const FIELDS = picker(['message', 'participant', 'quality']);
const slots: Array<string | undefined> = [];
/** A rating just after the call's last line (its node says it as the call ends) is still the call's. */
const END_SLACK_MS = 2_000;

interface Rated extends QualityChange {
  /** Its participant as aliasKey reads it (a display name stays itself, lowercased). */
  who: string;
}

/** A `Quality` value as a rating: `3`, or as the Management API words it, `3_bad` or `bad`; -1 when neither. */
export function ratingOf(v: string | undefined): number {
  if (v === undefined) return -1;
  const n = /^\d+/.exec(v);
  return n ? Number(n[0]) : (QUALITY_WORDS as readonly string[]).indexOf(v.trim().toLowerCase());
}

/** The bundle's ratings by participant (aliasKey), each in view order: read once per store (and again once it holds more lines). */
interface Ratings {
  count: number;
  byWho: Map<string, Rated[]>;
  addressOf: (name: string) => string;
}
const known = new WeakMap<LineStore, Ratings>();

function ratingsOf(store: LineStore): Ratings {
  let k = known.get(store);
  if (k?.count === store.count) return k;
  const byWho = new Map<string, Rated[]>();
  const module = store.names.values.indexOf('support.participant');
  const sender = senderByAddress(store);
  for (const p of module < 0 ? [] : store.modulePositions(module)) {
    const i = store.at(p);
    const [message = '', participant = '', quality] = pickInto(store, i, FIELDS, slots);
    const q = ratingOf(quality);
    if (!/^Stable call quality changed/i.test(message) || !participant || q < 0) continue;
    const who = aliasKey(participant);
    const r: Rated = { time: formatTime(store.time.data[i]!), quality: q, node: sender(i), line: p, who };
    const same = byWho.get(who);
    if (same) same.push(r);
    else byWho.set(who, [r]);
  }
  known.set(store, (k = { count: store.count, byWho, addressOf: nodeAddressOf(nodeAddresses(store)) }));
  return k;
}

/** A call's ratings: those naming its party, from its media or signaling node, while it was up. */
function qualityIn(c: CallSummary, k: Ratings): QualityChange[] {
  if (!c.start || c.failed) return [];
  const who = new Set([c.direction === 'out' ? c.to : c.from, c.displayName].filter((x): x is string => !!x).map(aliasKey));
  const nodes = new Set([c.mediaNode, c.signalingNode].filter((n): n is string => !!n).map(k.addressOf));
  const from = c.start;
  const to = new Date(Date.parse(c.end ?? c.start) + END_SLACK_MS).toISOString();
  // its party's ratings, by either of its names, back in time order
  const mine = [...who].flatMap((w) => k.byWho.get(w) ?? []).filter((r) => r.time >= from && r.time <= to && nodes.has(r.node));
  return mine.sort((a, b) => a.line - b.line).map(({ who: _, ...r }) => r);
}

/** The trace with its quality changes, if its node rated it while it was up. */
export function withQuality(t: CallTrace, store: LineStore): CallTrace {
  const quality = qualityIn(t.call, ratingsOf(store));
  return quality.length ? { ...t, quality } : t;
}

/** The ratings of calls (a conference's), each call's that has any, in the calls' order. */
export function qualityOfCalls(calls: readonly CallSummary[], store: LineStore): CallQuality[] {
  const k = ratingsOf(store);
  return calls.flatMap((c) => {
    const quality = qualityIn(c, k);
    return quality.length ? [{ call: c.id, quality }] : [];
  });
}

/** Per stretch of a load's axis (CallLoad's), the calls rated bad or worse in it: each call once a stretch. */
export function poorQualityLoad(calls: readonly CallSummary[], store: LineStore, load: Pick<CallLoad, 'from' | 'to' | 'up'>): number[] {
  const seen = load.up.map(() => new Set<string>());
  if (!seen.length) return [];
  const { at } = stretches(load.from, load.to, seen.length);
  for (const r of qualityOfCalls(calls, store)) for (const q of r.quality) if (q.quality >= POOR_QUALITY) seen[at(Date.parse(q.time))]!.add(r.call);
  return seen.map((s) => s.size);
}

/** Each rating's call by the view position of its line, per store and calls: the explorer's detail of a rating asks. */
const callByRating = new WeakMap<LineStore, { count: number; calls: readonly CallSummary[]; byLine: Map<number, string> }>();

/** The call a rating (a "Stable call quality changed" line, by its view position) is tied to, if any: the line names none. */
export function callOfRating(store: LineStore, line: number, calls: readonly CallSummary[]): string | null {
  let k = callByRating.get(store);
  if (k?.count !== store.count || k.calls !== calls) {
    const byLine = new Map<number, string>();
    for (const r of qualityOfCalls(calls, store)) for (const q of r.quality) byLine.set(q.line, r.call);
    callByRating.set(store, (k = { count: store.count, calls, byLine }));
  }
  return k.byLine.get(line) ?? null;
}
