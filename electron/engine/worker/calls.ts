/**
 * The call index of the open bundle (electron/engine/correlate), built on first use once the
 * bundle has loaded (it needs the final view order), and the call queries EngineApi answers
 * from it.
 */
import type { CallSummary, CallTrace, ConferenceSummary } from '../../api.js';
import type { Session } from '../session.js';
import { buildCallIndex } from '../correlate/index.js';
import type { CallIndex } from '../correlate/index.js';
import { UserError } from './rpc.js';

export class Calls {
  private callIndex: CallIndex | null = null;

  reset(): void {
    this.callIndex = null;
  }

  /** `indexed` is called once, when the index has just been built (the `indexed` event). */
  index(session: Session, indexed: () => void): CallIndex {
    if (this.callIndex) return this.callIndex;
    if (!session.loaded) throw new UserError('calls are available once the bundle has finished loading');
    this.callIndex = buildCallIndex(session);
    indexed();
    return this.callIndex;
  }

  /** Store indexes of a call's lines (for `call:` queries); undefined for an unknown id. */
  callLines(session: Session, id: string, indexed: () => void): number[] | undefined {
    const index = this.index(session, indexed);
    return index.find(id) ? index.linesOf(id) : undefined;
  }

  callOfLine(session: Session, storeIndex: number, indexed: () => void): string | null {
    if (!session.loaded) return null;
    return this.index(session, indexed).callOfLine(storeIndex);
  }

  calls(session: Session, query: string | undefined, indexed: () => void): CallSummary[] {
    const all = this.index(session, indexed).calls;
    if (!query) return all;
    // every word must appear in one of the call's fields (ids, parties, conference, result...)
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((c) => {
      const hay = [c.id, ...c.ids, c.protocol, c.conference, c.conferenceId, c.from, c.to, c.displayName, c.remote, c.vendor, c.signalingNode, c.mediaNode, c.failReason, c.disconnectReason]
        .filter((v): v is string => !!v)
        .join('\n')
        .toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }

  callTrace(session: Session, id: string, indexed: () => void): CallTrace | null {
    return this.index(session, indexed).trace(id) ?? null;
  }

  conferences(session: Session, indexed: () => void): ConferenceSummary[] {
    return this.index(session, indexed).conferences;
  }
}
