/**
 * A call's quality over time (shared/call-quality.ts): the support.participant "Stable call
 * quality changed" lines name no call (`Call-Id="None"`), only the participant. So a line is a
 * call's when it names the call's party (its caller, or the party a placed call dialled, or its
 * display name, as a WebRTC participant is named) and its node is the call's media or signaling
 * node, while the call was up; of several such calls, one (assignment, below).
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
import { perStore, perStoreAndCalls } from './memo.js';

const FIELDS = picker(['message', 'participant', 'quality']);
const slots: Array<string | undefined> = [];
/** A rating just after the call's last line (its node says it as the call ends) is still the call's. */
const END_SLACK_MS = 2_000;

/** A `Quality` value as a rating: `3`, or as the Management API words it, `3_bad` or `bad`; -1 when neither. */
export function ratingOf(v: string | undefined): number {
  if (v === undefined) return -1;
  const n = /^\d+/.exec(v);
  return n ? Number(n[0]) : (QUALITY_WORDS as readonly string[]).indexOf(v.trim().toLowerCase());
}

/** The line's message: a rating names no call, only its participant. */
export const RATING = /^Stable call quality changed/i;

/** The bundle's ratings by participant (aliasKey: a display name stays itself, lowercased), each in view order: read once per store (and again once it holds more lines). */
interface Ratings {
  byWho: Map<string, QualityChange[]>;
  addressOf: (name: string) => string;
}
const ratingsOf = perStore((store): Ratings => {
  const byWho = new Map<string, QualityChange[]>();
  const sender = senderByAddress(store);
  for (const p of store.modulePositions(store.names.values.indexOf('support.participant'))) {
    const i = store.at(p);
    const [message = '', participant = '', quality] = pickInto(store, i, FIELDS, slots);
    const q = ratingOf(quality);
    if (!RATING.test(message) || !participant || q < 0) continue;
    const who = aliasKey(participant);
    const r: QualityChange = { time: formatTime(store.time.data[i]!), quality: q, node: sender(i), line: p };
    const same = byWho.get(who);
    if (same) same.push(r);
    else byWho.set(who, [r]);
  }
  return { byWho, addressOf: nodeAddressOf(nodeAddresses(store)) };
});

/** A call's party by its URI: its caller, or the party a placed call dialled. */
const partyOf = (c: CallSummary): string | null => (c.direction === 'out' ? c.to : c.from);

/** A call's party as the ratings name it: by its URI, or its display name. */
function partiesOf(c: CallSummary): string[] {
  return [...new Set([partyOf(c), c.displayName].filter((x): x is string => !!x).map(aliasKey))];
}

/**
 * Each rating given to one call: of the calls of its party up then on its node (media or
 * signaling), the one whose media node said it, then the one its URI names (not only its
 * display name), then the latest set up. A person in two calls at once (a room system and a
 * laptop) has each rating once. Per store and list of calls, made once.
 */
const assignment = perStoreAndCalls((store, calls): { byCall: Map<string, QualityChange[]>; byLine: Map<number, string> } => {
  const k = ratingsOf(store);
  // the calls each party was in, with what a rating is matched against
  type Up = { c: CallSummary; from: string; to: string; nodes: Set<string>; media: string | null; uri: string | null };
  const byWho = new Map<string, Up[]>();
  for (const c of calls) {
    if (!c.start || c.failed) continue;
    const up: Up = {
      c,
      from: c.start,
      to: new Date(Date.parse(c.end ?? c.start) + END_SLACK_MS).toISOString(),
      nodes: new Set([c.mediaNode, c.signalingNode].filter((n): n is string => !!n).map(k.addressOf)),
      media: c.mediaNode ? k.addressOf(c.mediaNode) : null,
      uri: partyOf(c) ? aliasKey(partyOf(c)!) : null,
    };
    for (const w of partiesOf(c)) if (k.byWho.has(w)) (byWho.get(w) ?? byWho.set(w, []).get(w)!).push(up);
  }
  const byCall = new Map<string, QualityChange[]>();
  const byLine = new Map<number, string>();
  for (const [who, ratings] of k.byWho) {
    const ups = byWho.get(who);
    if (!ups) continue;
    for (const r of ratings) {
      let best: Up | null = null;
      let score = -1;
      for (const u of ups) {
        if (r.time < u.from || r.time > u.to || !u.nodes.has(r.node)) continue;
        const s = (u.media === r.node ? 2 : 0) + (u.uri === who ? 1 : 0);
        if (s > score || (s === score && u.from > best!.from)) [best, score] = [u, s];
      }
      if (!best) continue;
      (byCall.get(best.c.id) ?? byCall.set(best.c.id, []).get(best.c.id)!).push(r);
      byLine.set(r.line, best.c.id);
    }
  }
  // a call named two ways (URI and display name) has ratings from both lists: back in time order
  for (const list of byCall.values()) list.sort((x, y) => x.line - y.line);
  return { byCall, byLine };
});

/** The trace with its quality changes (`calls`: every call of the bundle, among which each rating is given to one). */
export function withQuality(t: CallTrace, store: LineStore, calls: readonly CallSummary[]): CallTrace {
  const quality = assignment(store, calls).byCall.get(t.call.id);
  return quality?.length ? { ...t, quality } : t;
}

/** The ratings of some calls (a conference's, `of`), each call's that has any, in their order; `calls`: every call of the bundle. */
export function qualityOfCalls(of: readonly CallSummary[], store: LineStore, calls: readonly CallSummary[]): CallQuality[] {
  const { byCall } = assignment(store, calls);
  return of.flatMap((c) => {
    const quality = byCall.get(c.id);
    return quality?.length ? [{ call: c.id, quality }] : [];
  });
}

/** Per stretch of a load's axis (CallLoad's), the calls rated bad or worse in it: each call once a stretch. */
export function poorQualityLoad(calls: readonly CallSummary[], store: LineStore, load: Pick<CallLoad, 'from' | 'to' | 'up'>): number[] {
  const seen = load.up.map(() => new Set<string>());
  if (!seen.length) return [];
  const { at } = stretches(load.from, load.to, seen.length);
  for (const r of qualityOfCalls(calls, store, calls)) for (const q of r.quality) if (q.quality >= POOR_QUALITY) seen[at(Date.parse(q.time))]!.add(r.call);
  return seen.map((s) => s.size);
}

/** The call a rating (a "Stable call quality changed" line, by its view position) is given to, if any: the line names none. */
export function callOfRating(store: LineStore, line: number, calls: readonly CallSummary[]): string | null {
  return assignment(store, calls).byLine.get(line) ?? null;
}
