/**
 * The "find a call" search, in the app's call list and `pexlens calls --query`: lunr over one
 * small record per call (ids, aliases, display names, addresses, vendor, conference, reasons, SIP
 * methods and response codes seen), ranked. Calls are few (thousands), so lunr's cost (~19 k
 * docs/s, a few KB per doc, measured here) is fine; lines use the line index instead.
 * Values are pre-split the log's way: whole (an IP, a SIP URI, a UUID, host:port) and in parts.
 */
import lunr from 'lunr';
import type { CallSummary } from '../../api.js';

const FIELDS = ['ids', 'conference', 'party', 'address', 'vendor', 'reason', 'protocol', 'signaling'] as const;
const BOOST: Record<(typeof FIELDS)[number], number> = { ids: 10, conference: 5, party: 5, address: 3, vendor: 1, reason: 1, protocol: 1, signaling: 1 };
/** Weight of a query word matching a whole token rather than a token's start (above any field boost). */
const EXACT_BOOST = 100;

/** Tokens of a value: split on spaces, quotes, `=`, brackets, `;` and `,`; each kept whole and split further on `. : @ / -`. */
export function entityTokens(value: string | null | undefined): string[] {
  if (!value) return [];
  const out = new Set<string>();
  for (const whole of value.toLowerCase().split(/[\s"'=<>()[\]{},;]+/)) {
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
}

export function buildEntityIndex(calls: CallSummary[]): EntityIndex {
  const docs = calls.map((c) => ({
    id: c.id,
    ids: [c.id, ...c.ids],
    conference: [c.conference, c.conferenceId],
    party: [c.from, c.to, c.displayName],
    address: [c.remote, c.signalingNode, c.mediaNode],
    vendor: [c.vendor],
    reason: [c.failReason, c.disconnectReason],
    protocol: [c.protocol],
    signaling: [...c.sipMethods, ...c.sipCodes.map(String)],
  }));
  const idx = lunr(function () {
    this.ref('id');
    for (const f of FIELDS) this.field(f, { boost: BOOST[f] });
    // ids and addresses are not English: no stemming, no stop words
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.tokenizer = ((obj: unknown) => {
      const values = Array.isArray(obj) ? obj : [obj];
      return values.flatMap((v) => entityTokens(v == null ? '' : String(v))).map((t) => new lunr.Token(t, {}));
    }) as unknown as typeof lunr.tokenizer;
    for (const d of docs) this.add(d);
  });
  const byId = new Map(calls.map((c) => [c.id, c]));
  return {
    size: docs.length,
    search(q: string): CallSummary[] {
      const words = q
        .toLowerCase()
        .split(/[\s"'=<>()[\]{},;]+/)
        .filter(Boolean)
        .map((w) => w.replace(/^(sips?|h323|tel):/, ''))
        .filter(Boolean);
      if (words.length === 0) return calls.slice();
      const results = idx.query((query) => {
        for (const w of words) {
          // term() takes the text as is (lunr's query-string syntax does not apply). Each word must
          // match, as a prefix at least; a whole-token match counts far more (`488` the response
          // code before a UUID part `4880…`)
          query.term(w, { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
          query.term(w, { presence: lunr.Query.presence.OPTIONAL, boost: EXACT_BOOST });
        }
      });
      return results.map((r) => byId.get(r.ref)!);
    },
  };
}
