/**
 * The renderer's side of the one engine API (`electron/api.ts`, types only). In Electron the
 * preload exposes `window.pexlens`; in browser mode the same methods are `POST /api/<method>`
 * with the session token (from the page URL's `?token=`) and events come over a WebSocket.
 */
import type { ApiEvent, ApiMethod, PexlensApi } from '../../../electron/api.js';

type Arg<M extends ApiMethod> = Parameters<PexlensApi[M]>[0];
type Result<M extends ApiMethod> = Awaited<ReturnType<PexlensApi[M]>>;

interface PreloadBridge {
  call(method: string, arg: unknown): Promise<unknown>;
  onEvent(cb: (ev: ApiEvent) => void): (() => void) | void;
}

declare global {
  interface Window {
    pexlens?: PreloadBridge;
  }
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Dropped because a newer search began: nothing to tell the user. */
    readonly superseded = false,
  ) {
    super(message);
  }
}

const bridge: PreloadBridge | undefined = typeof window !== 'undefined' ? window.pexlens : undefined;
export const inElectron = !!bridge;
const token = new URLSearchParams(location.search).get('token') ?? '';

/** This page among others on the same host (browser tabs): its searches stop only its own (QueryCall in api.ts). */
const tab = Math.random().toString(36).slice(2, 12);

/**
 * Requests of older searches still on their way (browser mode). A browser sends at most six
 * requests to one host at a time: were the old search's pages, count and histogram (sent again
 * when the bundle's index arrives) still waiting on a slow regex, the new search's requests, which
 * stop it, could not even leave. They are aborted when a newer search starts.
 */
const inFlight = new Set<{ epoch: number; abort: AbortController }>();
let newestEpoch = -Infinity;

/** A request of a search (a call stamped with an epoch) on its way; undefined for other calls. */
function track(epoch: number | undefined): { epoch: number; abort: AbortController } | undefined {
  if (epoch === undefined) return undefined;
  if (epoch > newestEpoch) {
    newestEpoch = epoch;
    for (const f of inFlight) if (f.epoch < epoch) f.abort.abort();
  }
  const entry = { epoch, abort: new AbortController() };
  inFlight.add(entry);
  return entry;
}

export async function call<M extends ApiMethod>(method: M, ...arg: Arg<M> extends undefined ? [] : [Arg<M>]): Promise<Result<M>> {
  const given = arg[0];
  const epoch = given && typeof given === 'object' && 'epoch' in given ? (given as { epoch?: number }).epoch : undefined;
  const a = epoch !== undefined ? { ...given, tab } : given;
  if (bridge) {
    try {
      return (await bridge.call(method, a)) as Result<M>;
    } catch (e) {
      // Electron wraps the engine's message; show the user only the engine's words
      throw new ApiError(String((e as Error)?.message ?? e).replace(/^Error invoking remote method '[^']*': (Error: )?/, ''), 0);
    }
  }
  const entry = track(epoch);
  let res: Response;
  let text: string;
  try {
    res = await fetch(`api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pexlens-Token': token },
      body: JSON.stringify(a ?? {}),
      signal: entry?.abort.signal,
    });
    text = await res.text();
  } catch (e) {
    if (entry?.abort.signal.aborted) throw new ApiError('replaced by a newer search', 0, true);
    throw e;
  } finally {
    if (entry) inFlight.delete(entry);
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(`${method}: the server answered with something that is not JSON`, res.status);
  }
  if (!res.ok) {
    const msg = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : text || res.statusText;
    throw new ApiError(msg, res.status);
  }
  return body as Result<M>;
}

/** A download link for an export made in browser mode (`exportTo` answered with `url`). */
export function downloadHref(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

type Listener = (ev: ApiEvent) => void;
const listeners = new Set<Listener>();
let started = false;
/** Connection state of the browser-mode event socket, for the status line. */
export const connection = { open: inElectron, listeners: new Set<(open: boolean) => void>() };

function dispatch(ev: ApiEvent): void {
  for (const l of listeners) l(ev);
}

function setOpen(open: boolean): void {
  connection.open = open;
  for (const l of connection.listeners) l(open);
}

function startEvents(): void {
  if (started) return;
  started = true;
  if (bridge) {
    bridge.onEvent(dispatch);
    return;
  }
  let delay = 250;
  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(`${scheme}${location.host}/events?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      delay = 250;
      setOpen(true);
    };
    ws.onmessage = (m) => {
      try {
        dispatch(JSON.parse(String(m.data)) as ApiEvent);
      } catch {
        /* not an event: ignore */
      }
    };
    ws.onclose = () => {
      setOpen(false);
      // the server may be restarting or the laptop sleeping: retry, slower each time
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();
}

/** Subscribes to engine events; returns the unsubscribe function. */
export function onEvent(cb: Listener): () => void {
  startEvents();
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/**
 * Delivers an API call's result to an `$effect` only while that effect is current: returns the
 * effect's cleanup, after which a late answer (from a superseded query or route) is dropped.
 */
export function whileCurrent<T>(pending: Promise<T>, ok: (value: T) => void, fail: (e: Error) => void): () => void {
  let live = true;
  pending.then(
    (v) => live && ok(v),
    (e: Error) => live && fail(e),
  );
  return () => {
    live = false;
  };
}
