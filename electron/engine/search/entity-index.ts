/**
 * The "find a call" search, in the app's call list and `pexlens calls --query`: one small record
 * per call (ids, aliases, display names, addresses and nodes (its Edge's too), vendor, conference
 * and its service tag, its nodes' locations, reasons, `failed` for a
 * failed call, `outbound` for one a node placed, its service unless a plain conference (`gateway`),
 * SIP methods and response codes seen), every query word required, ranked.
 *
 * Our own inverted index rather than lunr: measured here on the 200 MB bench log (11 907 calls),
 * lunr took 6 s to build and 3.4 s to answer `meet` (a word in half of the calls: its result
 * sets are objects); this one builds in a fraction of a second and answers in milliseconds
 * (docs/benchmarks.md, `npm run bench -- --only=calls`).
 *
 * Values are split the log's way: whole (an IP, a SIP URI, a UUID, host:port) and in parts. A
 * query word matches a token it starts (`eri` finds `erin`); the score adds, per word, the best
 * of its matches: the field's weight × how rare the token is, ×100 when the word is the whole
 * token (`488` the response code before a UUID part `4880…`).
 */
import type { CallSummary } from '../../api.js';
import { runSteps } from '../steps.js';
import type { Steps } from '../steps.js';

/** Fields and their weights (an id match counts most). */
const FIELDS: Array<{ weight: number; values: (c: CallSummary) => Array<string | null> }> = [
  { weight: 10, values: (c) => [c.id, ...c.ids] },
  { weight: 5, values: (c) => [c.conference, c.conferenceId] },
  { weight: 1, values: (c) => [c.serviceTag] },
  { weight: 5, values: (c) => [c.from, c.to, c.displayName] },
  { weight: 3, values: (c) => [c.remote, c.signalingNode, c.mediaNode, c.proxyNode] },
  { weight: 1, values: (c) => [c.vendor, c.signalingLocation, c.mediaLocation, c.proxyLocation] },
  // `failed` finds the failed calls, as the list's strip and filter say it (not `connected` for the
  // others: as a prefix, `co…` would then match nearly every call)
  { weight: 1, values: (c) => [c.failReason, c.disconnectReason, c.failed ? 'failed' : null] },
  // `outbound` finds the calls a node placed; a service other than the usual conference by its name (`gateway`)
  { weight: 1, values: (c) => [c.protocol, c.direction === 'out' ? 'outbound' : null, c.service === 'conference' ? null : c.service] },
  { weight: 1, values: (c) => [...c.sipMethods, ...c.sipCodes.map(String)] },
];
/** How much more a query word counts when it is a whole token rather than a token's start. */
const EXACT = 100;
const SPLIT = /[\s"'=<>()[\]{},;]+/;

/** Tokens of a value: split on spaces, quotes, `=`, brackets, `;` and `,`; each kept whole and split further on `. : @ / -`. */
export function entityTokens(value: string | null | undefined): string[] {
  if (!value) return [];
  const out = new Set<string>();
  for (const whole of value.toLowerCase().split(SPLIT)) {
    if (!whole) continue;
    out.add(whole);
    const noScheme = whole.replace(/^(sips?|h323|tel):/, '');
    if (noScheme) out.add(noScheme);
    for (const part of whole.split(/[.:@/\\-]+/)) if (part) out.add(part);
  }
  return [...out];
}

export interface EntityIndex {
  /** The calls matching every query word (a word also matches as a prefix), best match first; all calls for an empty query. */
  search(q: string): CallSummary[];
  readonly size: number;
  /** Its tables, for the cache (correlate/call-cache.ts): entityIndexFrom(calls, tables) is this index again. */
  readonly tables: EntityTables;
}

/**
 * The index as arrays: the sorted tokens, and for token k the calls
 * postCall[postOff[k], postOff[k + 1]) (ascending), each with the weight of its best field.
 */
export interface EntityTables {
  tokens: string[];
  postOff: Uint32Array;
  postCall: Uint32Array;
  postWeight: Uint8Array;
}

export function buildEntityIndex(calls: CallSummary[]): EntityIndex {
  return runSteps(entityIndexSteps(calls));
}

/** Calls tokenized between two steps of entityIndexSteps. */
const CALL_SLICE = 512;

/** buildEntityIndex in steps (../steps.ts), for the engine worker to build between requests. */
export function* entityIndexSteps(calls: CallSummary[]): Steps<EntityIndex> {
  // token → [call, weight, call, weight, …], one entry per call (its best field), calls ascending
  const postings = new Map<string, number[]>();
  // names, nodes, vendors, reasons repeat across calls: each value is split once
  const split = new Map<string, string[]>();
  const tokensOf = (v: string | null) => {
    if (!v) return [];
    let ts = split.get(v);
    if (!ts) split.set(v, (ts = entityTokens(v)));
    return ts;
  };
  for (let n = 0; n < calls.length; n++) {
    for (const { weight, values } of FIELDS) {
      for (const v of values(calls[n]!)) {
        for (const t of tokensOf(v)) {
          let p = postings.get(t);
          if (!p) postings.set(t, (p = []));
          if (p.length && p[p.length - 2] === n) p[p.length - 1] = Math.max(p[p.length - 1]!, weight);
          else p.push(n, weight);
        }
      }
    }
    if (n % CALL_SLICE === CALL_SLICE - 1) yield;
  }
  const tokens = [...postings.keys()].sort();
  const postOff = new Uint32Array(tokens.length + 1);
  tokens.forEach((t, k) => (postOff[k + 1] = postOff[k]! + postings.get(t)!.length / 2));
  const postCall = new Uint32Array(postOff[tokens.length]!);
  const postWeight = new Uint8Array(postCall.length);
  tokens.forEach((t, k) => {
    const p = postings.get(t)!;
    for (let j = 0, at = postOff[k]!; j < p.length; j += 2, at++) {
      postCall[at] = p[j]!;
      postWeight[at] = p[j + 1]!;
    }
  });
  return entityIndexFrom(calls, { tokens, postOff, postCall, postWeight });
}

/** The index over these calls with these tables (built by entityIndexSteps, or read from the cache). */
export function entityIndexFrom(calls: CallSummary[], tables: EntityTables): EntityIndex {
  const { tokens, postOff, postCall, postWeight } = tables;
  const N = calls.length;
  const best = new Float64Array(N);
  return {
    size: N,
    tables,
    search(q: string): CallSummary[] {
      const words = q
        .toLowerCase()
        .split(SPLIT)
        .map((w) => w.replace(/^(sips?|h323|tel):/, ''))
        .filter(Boolean);
      if (words.length === 0) return calls.slice();
      // a call's score is the sum of its words' terms, added with compensation (Neumaier), so
      // it is the exact sum rounded once: two calls whose words score the same terms in another
      // order tie exactly and keep the list's order (added plainly, three words could differ in
      // the last bit and rank by rounding noise)
      const score = new Float64Array(N);
      const carry = new Float64Array(N);
      const matched = new Uint16Array(N);
      for (const w of words) {
        // the tokens starting with w are one run of the sorted list
        let lo = 0, hi = tokens.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (tokens[mid]! < w) lo = mid + 1;
          else hi = mid;
        }
        const touched: number[] = [];
        for (let k = lo; k < tokens.length && tokens[k]!.startsWith(w); k++) {
          const from = postOff[k]!, to = postOff[k + 1]!;
          const rarity = Math.log(1 + N / (to - from));
          const f = tokens[k] === w ? EXACT * rarity : rarity;
          for (let j = from; j < to; j++) {
            const n = postCall[j]!, s = postWeight[j]! * f;
            if (best[n] === 0) touched.push(n);
            if (s > best[n]!) best[n] = s;
          }
        }
        for (const n of touched) {
          const a = score[n]!, x = best[n]!, t = a + x;
          carry[n]! += Math.abs(a) >= Math.abs(x) ? a - t + x : x - t + a;
          score[n] = t;
          matched[n]!++;
          best[n] = 0;
        }
      }
      const hits: number[] = [];
      for (let n = 0; n < N; n++) {
        if (matched[n] !== words.length) continue;
        hits.push(n);
        score[n]! += carry[n]!;
      }
      // best first; equal scores in the list's order (start time)
      hits.sort((a, b) => score[b]! - score[a]! || a - b);
      return hits.map((n) => calls[n]!);
    },
  };
}
