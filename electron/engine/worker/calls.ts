/**
 * The call index of the open bundle (electron/engine/correlate), built on first use once the
 * bundle has loaded (it needs the final view order), and the call queries EngineApi answers
 * from it. Searches go to the entity index (ranked, the same as `pexlens calls --query`),
 * built on the first search.
 */
import type { CallSummary, CallTrace, ConferenceSummary } from '../../api.js';
import type { Session } from '../session.js';
import { buildCallIndex } from '../correlate/index.js';
import type { CallIndex } from '../correlate/index.js';
import { buildEntityIndex } from '../search/entity-index.js';
import type { EntityIndex } from '../search/entity-index.js';
import type { Correlation } from '../search/searcher.js';
import { UserError } from './rpc.js';

export class Calls {
  private callIndex: CallIndex | null = null;
  private entities: EntityIndex | null = null;

  reset(): void {
    this.callIndex = null;
    this.entities = null;
  }

  /** `indexed` is called once, when the index has just been built (the `indexed` event). */
  index(session: Session, indexed: () => void): CallIndex {
    if (this.callIndex) return this.callIndex;
    if (!session.loaded) throw new UserError('calls are available once the bundle has finished loading');
    this.callIndex = buildCallIndex(session);
    indexed();
    return this.callIndex;
  }

  /** What `call:` and `conference:` queries ask, the call index built on the first such query. */
  correlation(session: Session, indexed: () => void): Correlation {
    return {
      callLines: (id) => this.index(session, indexed).callLines(id),
      conferenceLines: (accepts) => this.index(session, indexed).conferenceLines(accepts),
    };
  }

  callOfLine(session: Session, storeIndex: number, indexed: () => void): string | null {
    if (!session.loaded) return null;
    return this.index(session, indexed).callOfLine(storeIndex);
  }

  /** Every call in view order; with a query, the matching calls, best match first. */
  calls(session: Session, query: string | undefined, indexed: () => void): CallSummary[] {
    const all = this.index(session, indexed).calls;
    if (!query) return all;
    this.entities ??= buildEntityIndex(all);
    return this.entities.search(query);
  }

  callTrace(session: Session, id: string, indexed: () => void): CallTrace | null {
    return this.index(session, indexed).trace(id) ?? null;
  }

  conferences(session: Session, indexed: () => void): ConferenceSummary[] {
    return this.index(session, indexed).conferences;
  }
}
