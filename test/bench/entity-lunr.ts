/**
 * The baseline of the entity index bench: the same call records in lunr, as the design first
 * had it (field boosts, no stemming, words required, a trailing wildcard, an exact-token boost).
 * Kept only to measure against; the product uses electron/engine/search/entity-index.ts.
 */
import lunr from 'lunr';
import type { CallSummary } from '../../electron/api.ts';
import { entityTokens } from '../../electron/engine/search/entity-index.ts';

export function lunrEntityIndex(calls: CallSummary[]): (q: string) => string[] {
  const fields: Record<string, [number, (c: CallSummary) => Array<string | null>]> = {
    ids: [10, (c) => [c.id, ...c.ids]],
    conference: [5, (c) => [c.conference, c.conferenceId]],
    party: [5, (c) => [c.from, c.to, c.displayName]],
    address: [3, (c) => [c.remote, c.signalingNode, c.mediaNode]],
    other: [1, (c) => [c.vendor, c.failReason, c.disconnectReason, c.protocol, ...c.sipMethods, ...c.sipCodes.map(String)]],
  };
  const idx = lunr(function () {
    this.ref('id');
    for (const [name, [boost]] of Object.entries(fields)) this.field(name, { boost });
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.tokenizer = ((obj: unknown) => (Array.isArray(obj) ? obj : [obj]).flatMap((v) => entityTokens(v == null ? '' : String(v))).map((t) => new lunr.Token(t, {}))) as unknown as typeof lunr.tokenizer;
    for (const c of calls) this.add(Object.fromEntries([['id', c.id], ...Object.entries(fields).map(([name, [, values]]) => [name, values(c)])]));
  });
  return (q) =>
    idx
      .query((query) => {
        for (const w of q.toLowerCase().split(/\s+/).filter(Boolean)) {
          query.term(w, { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
          query.term(w, { presence: lunr.Query.presence.OPTIONAL, boost: 100 });
        }
      })
      .map((r) => r.ref);
}
