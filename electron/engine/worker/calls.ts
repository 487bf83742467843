/**
 * The call index of the open bundle (electron/engine/correlate) and the entity index of its
 * calls (the ranked "find a call" search, the same as `pexlens calls --query`), and the call
 * queries EngineApi answers from them. Both are read from the cache when an entry fits
 * (correlate/call-cache.ts), else built once the bundle has loaded (the call index needs the
 * final view order) and saved for next time; in the background on this thread: sliced
 * (../steps.ts), so the requests that arrive meanwhile are answered between slices; a call
 * request waits for the build.
 */
import type { CallListPage, CallListRequest, CallTrace, ConferenceSummary } from '../../api.js';
import type { Session } from '../session.js';
import { callIndexSteps } from '../correlate/index.js';
import type { CallIndex } from '../correlate/index.js';
import { callCacheId, loadCallIndex, loadEntityIndex, saveCallIndex, saveEntityIndex } from '../correlate/call-cache.js';
import { entityIndexSteps } from '../search/entity-index.js';
import type { EntityIndex } from '../search/entity-index.js';
import { runSliced } from '../steps.js';
import { RpcError, UserError } from './rpc.js';
import { CallViews } from './call-views.js';
import { nodeAddresses } from '../correlate/node-addresses.js';
import { nodeNamer, withOtherNames } from '../../shared/node-names.js';
import { CALL_GROUP_KEYS, isCallGroupKey } from '../../shared/call-groups.js';

interface Build {
  abort: AbortController;
  calls: Promise<CallIndex>;
  entities: Promise<EntityIndex>;
  /** Lets a build that waits for `after` start now (a request needs it). */
  hurry: () => void;
}

/** A request's window (`from`, `to`: ISO times, either open) checked: a bad end is the caller's error. */
export function checkWindow(method: string, req: { from?: string | null; to?: string | null } | undefined): void {
  for (const t of [req?.from, req?.to]) if (t !== undefined && t !== null && Number.isNaN(Date.parse(t))) throw new UserError(`${method}: the window's time '${String(t)}' is not an ISO time`);
}

export class Calls {
  private build: Build | null = null;
  /** The call index once built. */
  built: CallIndex | null = null;
  /** Where the call index came from, once it is in. */
  from: 'cache' | 'built' | null = null;
  /** Settles when what was built is saved to the cache (or not: saves never fail). */
  saved: Promise<void> = Promise.resolve();
  /** The call list's views of this bundle's calls. */
  private views = new CallViews();

  /** Forgets the bundle's indexes; a build under way stops at its next slice. */
  reset(): void {
    this.build?.abort.abort();
    this.build = null;
    this.built = null;
    this.from = null;
    this.views.clear();
  }

  /**
   * Starts both, once per bundle (the entity index after the call index): read from the cache
   * at once; on a miss built, after `after` settles unless a request comes first, then saved.
   * `indexed` is called when the call index is in (the `indexed` event).
   */
  start(session: Session, indexed: () => void, after?: Promise<unknown>): Build {
    if (this.build) {
      if (!after) this.build.hurry();
      return this.build;
    }
    if (!session.loaded) throw new UserError('calls are available once the bundle has finished loading');
    const abort = new AbortController();
    const signal = abort.signal;
    let hurry = () => {};
    const go = new Promise<void>((resolve) => (hurry = resolve));
    if (!after) hurry();
    const id = session.encrypted ? Promise.resolve(null) : callCacheId(session.paths);
    const calls = (async () => {
      let index = await loadCallIndex(session, { sliced: true, signal, id: await id });
      const from = index ? 'cache' : 'built';
      if (!index) {
        await Promise.race([go, after?.catch(() => undefined)]);
        index = await runSliced(callIndexSteps(session.store, signal), signal);
        const built = index;
        if (!signal.aborted) this.saved = this.saved.then(async () => saveCallIndex(session, built, undefined, await id));
      }
      if (signal.aborted) throw new Error('cancelled');
      this.built = index;
      this.from = from;
      indexed();
      return index;
    })();
    const entities = calls.then(async (index) => {
      const cached = await loadEntityIndex(await id, index.calls);
      if (cached) return cached;
      const entity = await runSliced(entityIndexSteps(index.calls), signal);
      if (!signal.aborted) this.saved = this.saved.then(async () => saveEntityIndex(await id, entity));
      return entity;
    });
    // nobody may be waiting yet: a cancelled build must not be an unhandled rejection
    calls.catch(() => undefined);
    entities.catch(() => undefined);
    this.build = { abort, calls, entities, hurry };
    return this.build;
  }

  /** The call index, waiting for its build (started if need be). */
  async index(session: Session, indexed: () => void): Promise<CallIndex> {
    return this.settled(this.start(session, indexed).calls);
  }

  /**
   * A page of the call list: every call in view order, or with a query the matching calls, best
   * match first; then the view's conference, filters and sort (kept for the next pages).
   */
  async calls(session: Session, req: CallListRequest, indexed: () => void): Promise<CallListPage> {
    checkWindow('calls', req);
    if (req.groupBy !== undefined && !isCallGroupKey(req.groupBy)) throw new UserError(`calls: groupBy '${String(req.groupBy)}': one of ${CALL_GROUP_KEYS.join(', ')}`);
    const build = this.start(session, indexed);
    const query = req.query?.trim();
    const index = await this.settled(build.calls);
    // a node by one of its names: the calls name it either way
    const node = req.node ? withOtherNames(req.node, nodeAddresses(session.store)) : req.node;
    return this.views.page(
      { ...req, query, node },
      async () => (query ? (await this.settled(build.entities)).search(query) : index.calls),
      index.conferences,
      // a node under one name (its address and host name together): its groups, its sorting, the quick filter
      nodeNamer(nodeAddresses(session.store)),
    );
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
