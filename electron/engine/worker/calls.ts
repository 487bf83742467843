/**
 * The call index of the open bundle (electron/engine/correlate) and the entity index of its
 * calls (the ranked "find a call" search, the same as `pexlens calls --query`), and the call
 * queries EngineApi answers from them. Both are built once the bundle has loaded (the call index
 * needs the final view order), in the background on this thread: sliced (../steps.ts), so the
 * requests that arrive meanwhile are answered between slices; a call request waits for the build.
 */
import type { CallSummary, CallTrace, ConferenceSummary } from '../../api.js';
import type { Session } from '../session.js';
import { callIndexSteps } from '../correlate/index.js';
import type { CallIndex } from '../correlate/index.js';
import { entityIndexSteps } from '../search/entity-index.js';
import type { EntityIndex } from '../search/entity-index.js';
import { runSliced } from '../steps.js';
import { RpcError, UserError } from './rpc.js';

interface Build {
  abort: AbortController;
  calls: Promise<CallIndex>;
  entities: Promise<EntityIndex>;
}

export class Calls {
  private build: Build | null = null;
  /** The call index once built. */
  built: CallIndex | null = null;

  /** Forgets the bundle's indexes; a build under way stops at its next slice. */
  reset(): void {
    this.build?.abort.abort();
    this.build = null;
    this.built = null;
  }

  /**
   * Starts both builds, once per bundle (the entity index after the call index); `indexed` is
   * called when the call index is in (the `indexed` event).
   */
  start(session: Session, indexed: () => void): Build {
    if (this.build) return this.build;
    if (!session.loaded) throw new UserError('calls are available once the bundle has finished loading');
    const abort = new AbortController();
    const calls = runSliced(callIndexSteps(session.store, abort.signal), abort.signal).then((index) => {
      if (abort.signal.aborted) throw new Error('cancelled');
      this.built = index;
      indexed();
      return index;
    });
    const entities = calls.then((index) => runSliced(entityIndexSteps(index.calls), abort.signal));
    // nobody may be waiting yet: a cancelled build must not be an unhandled rejection
    calls.catch(() => undefined);
    entities.catch(() => undefined);
    this.build = { abort, calls, entities };
    return this.build;
  }

  /** The call index, waiting for its build (started if need be). */
  async index(session: Session, indexed: () => void): Promise<CallIndex> {
    return this.settled(this.start(session, indexed).calls);
  }

  /** Every call in view order; with a query, the matching calls, best match first. */
  async calls(session: Session, query: string | undefined, indexed: () => void): Promise<CallSummary[]> {
    const build = this.start(session, indexed);
    if (!query) return (await this.settled(build.calls)).calls;
    return (await this.settled(build.entities)).search(query);
  }

  async callTrace(session: Session, id: string, indexed: () => void): Promise<CallTrace | null> {
    return (await this.index(session, indexed)).trace(id) ?? null;
  }

  async conferences(session: Session, indexed: () => void): Promise<ConferenceSummary[]> {
    return (await this.index(session, indexed)).conferences;
  }

  /** A build stopped because another bundle was opened answers as a cancelled request. */
  private async settled<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if ((e as Error).message === 'cancelled') throw new RpcError({ message: 'replaced by another open', cancelled: true });
      throw e;
    }
  }
}
