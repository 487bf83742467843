/**
 * The host side of the engine worker: starts the worker thread (from dist/ as .js, or from
 * the TypeScript sources under tsx), forwards calls and hands events to listeners. The HTTP
 * server and Electron main use this, so neither ever runs engine work on its own thread.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { ApiEvent, ApiMethod, PexlensApi, QueryCall } from '../../api.js';
import type { CallMessage, WorkerMessage } from './rpc.js';
import { HEARTBEAT, RpcError, TAB_SLOTS, isApiMethod } from './rpc.js';

type Arg<M extends ApiMethod> = Parameters<PexlensApi[M]>[0];
type Result<M extends ApiMethod> = Awaited<ReturnType<PexlensApi[M]>>;

/**
 * How long a worker may leave a stopped search unanswered, neither asking whether to stop nor
 * free for a ping, before it is taken as stuck in one match and restarted.
 */
const STUCK_MS = 10_000;

/**
 * Starts the worker script next to this module: .js from dist/, or .ts from the sources. From
 * sources the worker does not get tsx's loader (Node 20 does not carry `--import tsx` hooks into
 * workers, and a .ts main module is refused outright), so a one-line bootstrap registers tsx
 * in the worker and then imports the .ts entry.
 */
function spawnWorker(generation: SharedArrayBuffer): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './engine-worker.ts' : './engine-worker.js', import.meta.url);
  const options = { stdout: false, stderr: false, workerData: { generation } };
  if (!fromSource) return new Worker(fileURLToPath(url), options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export class EngineClient {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Calls awaiting their result, as JSON text. */
  private readonly pending = new Map<number, { resolve: (json: string) => void; reject: (e: Error) => void; generation: CallMessage['generation'] }>();
  /** Pings awaiting their pong. */
  private readonly pongs = new Map<number, () => void>();
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** The last bundle opened, reopened when a stuck worker is replaced. */
  private lastOpen: unknown = null;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private closed = false;
  /** The latest `progress`, `loaded` or `error` event: what a UI that connects late needs to see. */
  lastState: ApiEvent | null = null;
  /**
   * The search generations, one slot per tab, shared with the worker: bumped when a call brings
   * a higher `epoch` than its tab's last (QueryCall in api.ts), a slot stops the worker's
   * evaluation of that tab's older queries mid-scan.
   */
  private readonly generation = new Int32Array(new SharedArrayBuffer(4 * (TAB_SLOTS + 1)));
  /** Each tab's slot and latest epoch, least recently stamped first. */
  private readonly tabs = new Map<string, { slot: number; epoch: number }>();

  constructor(private readonly stuckMs = STUCK_MS) {}

  /** A typed facade: `client.api.lines({...})`. */
  readonly api: PexlensApi = new Proxy({} as PexlensApi, {
    get: (_t, name) => (isApiMethod(String(name)) ? (arg: unknown) => this.call(name as ApiMethod, arg as never) : undefined),
  });

  onEvent(cb: (e: ApiEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (this.closed) throw new Error('engine is closed');
    const w = spawnWorker(this.generation.buffer as SharedArrayBuffer);
    w.on('message', (m: WorkerMessage) => this.onMessage(m));
    // a replaced worker's own exit is no news
    w.on('error', (e) => w === this.worker && this.onExit(`engine stopped: ${e.message}`));
    w.on('exit', (code) => w === this.worker && this.onExit(`engine stopped (exit code ${code})`));
    this.worker = w;
    return w;
  }

  private onMessage(m: WorkerMessage): void {
    if (m.kind === 'event') {
      if (m.event.type === 'progress' || m.event.type === 'loaded' || m.event.type === 'error') this.lastState = m.event;
      for (const cb of this.listeners) cb(m.event);
      return;
    }
    if (m.kind === 'ready') return;
    if (m.kind === 'pong') return this.pongs.get(m.id)?.();
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.json);
    else p.reject(new RpcError(m.error));
  }

  private onExit(reason: string): void {
    if (!this.worker) return;
    this.worker = null;
    this.failPending(new Error(reason));
    // a crash loses the opened bundle: say so; the next call starts a fresh worker
    if (!this.closed) this.lastState = { type: 'error', message: reason };
    if (!this.closed) for (const cb of this.listeners) cb({ type: 'error', message: reason });
  }

  call<M extends ApiMethod>(method: M, arg: Arg<M>): Promise<Result<M>>;
  call(method: string, arg: unknown): Promise<unknown>;
  async call(method: string, arg: unknown): Promise<unknown> {
    return JSON.parse(await this.callJson(method, arg));
  }

  /** A call's result as the JSON text the engine made (what the browser-mode host sends). */
  callJson(method: string, arg: unknown): Promise<string> {
    if (!isApiMethod(method)) return Promise.reject(new RpcError({ message: `unknown method '${method}'`, user: true }));
    if (method === 'open') this.lastOpen = arg;
    const generation = this.stamp(arg as QueryCall | null);
    const w = this.start();
    // an older search still running must now stop: see that it does
    if (generation && this.olderSearchesWait()) this.watch(w);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, generation });
      const msg: CallMessage = { kind: 'call', id, method, arg: arg ?? {}, generation };
      w.postMessage(msg);
    });
  }

  /**
   * Watches a worker asked to stop a search, for as long as calls of older searches wait. A search
   * asks whether to stop every 64 regex lines (bumping the heartbeat), and a free worker answers a
   * ping; one that does neither for stuckMs is in a single match that cannot be cut short (a
   * pattern V8 cannot bound: linear-regex.ts). It is terminated, its calls fail, and a new worker
   * reopens the bundle (from the cache). Each interval asks again: a watch that ended on an answer
   * the moment before a stuck search began would leave that search unwatched.
   */
  private watch(w: Worker): void {
    if (this.watchTimer) return;
    let beat = Atomics.load(this.generation, HEARTBEAT);
    let answered = false;
    const ping = () => {
      const id = this.nextId++;
      answered = false;
      this.pongs.clear();
      this.pongs.set(id, () => (answered = true));
      w.postMessage({ kind: 'ping', id });
    };
    const stop = () => {
      clearInterval(this.watchTimer!);
      this.watchTimer = null;
      this.pongs.clear();
    };
    this.watchTimer = setInterval(() => {
      if (w !== this.worker || !this.olderSearchesWait()) return stop();
      const now = Atomics.load(this.generation, HEARTBEAT);
      if (answered || now !== beat) {
        beat = now; // alive: free for a moment, or a search that asks; look again next time
        ping();
        return;
      }
      stop();
      this.restart(w);
    }, this.stuckMs);
    this.watchTimer.unref?.();
    ping();
  }

  /** Whether a call waits whose tab has begun a newer search since it was sent. */
  private olderSearchesWait(): boolean {
    for (const p of this.pending.values()) if (p.generation && p.generation.value !== Atomics.load(this.generation, p.generation.slot)) return true;
    return false;
  }

  private restart(w: Worker): void {
    const reason = 'a search could not be stopped (a regular expression that backtracks without end? see the query language): the engine was restarted';
    this.worker = null;
    this.failPending(new RpcError({ message: reason, user: true }));
    void w.terminate();
    // the new worker's load events bring the UI back
    if (this.lastOpen !== null && !this.closed) this.call('open', this.lastOpen).catch(() => undefined);
  }

  /** The generation slot and value a call carries when it is stamped with an epoch. */
  private stamp(arg: QueryCall | null): CallMessage['generation'] {
    if (typeof arg?.epoch !== 'number') return undefined;
    const key = typeof arg.tab === 'string' ? arg.tab : '';
    let tab = this.tabs.get(key);
    if (tab) this.tabs.delete(key);
    else if (this.tabs.size < TAB_SLOTS) tab = { slot: this.tabs.size, epoch: -Infinity };
    else {
      // the least recently stamped tab gives up its slot (its running query, if any, stops)
      const [oldest, old] = this.tabs.entries().next().value!;
      this.tabs.delete(oldest);
      tab = { slot: old.slot, epoch: -Infinity };
    }
    this.tabs.set(key, tab);
    // an older epoch arriving late still runs (a page of the list before)
    if (arg.epoch > tab.epoch) {
      tab.epoch = arg.epoch;
      Atomics.add(this.generation, tab.slot, 1);
    }
    return { slot: tab.slot, value: Atomics.load(this.generation, tab.slot) };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    this.failPending(new Error('engine closed'));
    await w.terminate();
  }

  /** Every call still waiting fails with e (the worker that would answer them is gone). */
  private failPending(e: Error): void {
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const p of failed) p.reject(e);
  }
}
