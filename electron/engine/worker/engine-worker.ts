/**
 * Entry of the engine worker thread: one EngineApi (one bundle) per worker, driven by
 * CallMessages from the host; results, errors and events go back over the parent port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineApi } from '../api-impl.js';
import type { CallContext, CallMessage, PingMessage, RpcErrorInfo, WorkerMessage } from './rpc.js';
import { HEARTBEAT, isApiMethod, RpcError, UserError } from './rpc.js';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs as a worker thread');

const post = (m: WorkerMessage) => port.postMessage(m);
/** The host's search generation (client.ts): read while a query runs, which no message could interrupt. */
const generation = (workerData as { generation?: SharedArrayBuffer } | null)?.generation;
const current = generation ? new Int32Array(generation) : null;

function contextOf(m: CallMessage): CallContext {
  const sent = m.generation;
  if (!sent || !current) return {};
  return {
    signal: {
      get aborted() {
        Atomics.add(current, HEARTBEAT, 1); // alive: a search is running and still asks
        return Atomics.load(current, sent.slot) !== sent.value;
      },
    },
  };
}
const api = new EngineApi((event) => post({ kind: 'event', event }));

function errorInfo(e: unknown): RpcErrorInfo {
  if (e instanceof RpcError) return { message: e.message, user: e.user, needsPassword: e.needsPassword || undefined, cancelled: e.cancelled || undefined };
  if (e instanceof UserError) return { message: e.message, user: true };
  const err = e as Error;
  if (process.env.PEXLENS_DEBUG) process.stderr.write(`${err?.stack ?? err}\n`);
  return { message: err?.message ?? String(e) };
}

port.on('message', (m: CallMessage | PingMessage) => {
  if (m.kind === 'ping') return post({ kind: 'pong', id: m.id });
  if (m.kind !== 'call') return;
  if (!isApiMethod(m.method)) {
    post({ kind: 'error', id: m.id, error: { message: `unknown method '${m.method}'`, user: true } });
    return;
  }
  const fn = api[m.method] as (arg: unknown, ctx: CallContext) => Promise<unknown>;
  Promise.resolve()
    .then(() => fn.call(api, m.arg ?? {}, contextOf(m)))
    .then((value) => JSON.stringify(value ?? null))
    .then(
      (json) => post({ kind: 'result', id: m.id, json }),
      (e) => post({ kind: 'error', id: m.id, error: errorInfo(e) }),
    );
});

post({ kind: 'ready' });
