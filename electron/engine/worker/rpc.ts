/**
 * The messages between the engine worker and its host (HTTP server or Electron main): a call
 * carries an id and gets exactly one result or error back; events flow from the worker freely.
 */
import type { ApiEvent, ApiMethod } from '../../api.js';
import type { Cancel } from '../search/searcher.js';

/**
 * The generations shared with the worker (workerData): one slot per tab, then a heartbeat the
 * worker bumps each time a running search asks whether to stop.
 */
export const TAB_SLOTS = 64;
export const HEARTBEAT = TAB_SLOTS;

/** Asks the worker whether its event loop is free (it answers `pong`); see EngineClient.watch. */
export interface PingMessage {
  kind: 'ping';
  id: number;
}

export interface CallMessage {
  kind: 'call';
  id: number;
  method: ApiMethod;
  arg: unknown;
  /**
   * For a call stamped with an epoch (`QueryCall` in api.ts): its tab's slot in the shared search
   * generations (workerData) and the slot's value when it was sent. The host bumps the slot on a
   * newer epoch of that tab.
   */
  generation?: { slot: number; value: number };
}

/** What the worker hands an engine method besides its argument. */
export interface CallContext {
  /** Reads true once a newer search has replaced this call's. */
  signal?: Cancel;
}

export type WorkerMessage =
  /**
   * A result as JSON text, made in the worker: the browser-mode host sends it as it is, and a
   * string crosses threads as one copy (a structured clone of the 60 k call summaries of a 1 GB
   * bundle, then JSON on the host, took ~1 s; docs/benchmarks.md).
   */
  | { kind: 'result'; id: number; json: string }
  | { kind: 'error'; id: number; error: RpcErrorInfo }
  | { kind: 'event'; event: ApiEvent }
  | { kind: 'pong'; id: number }
  | { kind: 'ready' };

export interface RpcErrorInfo {
  message: string;
  /** The request was wrong (bad query, unknown line): HTTP 400 rather than 500. */
  user?: boolean;
  needsPassword?: boolean;
  cancelled?: boolean;
}

/** The methods a host may forward; anything else is refused before it reaches the engine. */
export const API_METHODS = [
  'open',
  'cancelLoad',
  'info',
  'lines',
  'seekTime',
  'seekLine',
  'seekFileLine',
  'search',
  'lineDetail',
  'copyLines',
  'histogram',
  'overview',
  'messages',
  'calls',
  'callLoad',
  'nodeCalls',
  'callTrace',
  'callFind',
  'dialOuts',
  'conferenceAlarms',
  'conferenceContactLosses',
  'conferenceQuality',
  'conferenceSummary',
  'conferences',
  'conferenceList',
  'registrations',
  'registrationDetail',
  'registrationAt',
  'audit',
  'auditEvents',
  'auditLoad',
  'timeline',
  'exportTo',
  'cancelExport',
] as const satisfies readonly ApiMethod[];

// compile-time check that the list names every method of the API
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _allListed: Missing extends never ? true : never = true;
void _allListed;

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/** An error that carries the RPC details across the thread boundary. */
export class RpcError extends Error {
  readonly user: boolean;
  readonly needsPassword: boolean;
  readonly cancelled: boolean;
  constructor(info: RpcErrorInfo) {
    super(info.message);
    this.user = !!info.user;
    this.needsPassword = !!info.needsPassword;
    this.cancelled = !!info.cancelled;
  }
}

/** A request error from the engine (bad query, line out of range): shown to the user as is. */
export class UserError extends Error {}
