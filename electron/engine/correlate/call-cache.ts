/**
 * The call index and its "find a call" index in the persistent cache (search/cache.ts), so that
 * reopening a bundle has its calls at once: on 1 GB building them takes ~6 s of CPU (scan,
 * calls, summaries, entity index), reading them back well under a second (docs/benchmarks.md).
 *
 * Keyed like the other entries by the sources' identity, salted with a hash of the code that
 * derives calls (this folder, the decoders, the line parsing, electron/shared, and the call
 * search's entity-index.ts): an entry made by other code is a miss, so no one has to remember to bump a
 * version. The entry holds what a CallIndex needs once built (the scan's per-line columns, the
 * interned keys, each call's lines, the summaries and the conferences), so `pexlens calls`
 * answers from it without loading the bundle at all. Nothing is saved for a bundle read from an
 * encrypted snapshot: the summaries are its plain text.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { CallSummary, ConferenceSummary, NodeAddress } from '../../api.js';
import type { Session } from '../session.js';
import type { LineStore } from '../lines/line-store.js';
import { cacheGet, cachePut, PayloadReader, sourceIdentity } from '../search/cache.js';
import type { SourceIdentity } from '../search/cache.js';
import { entityIndexFrom } from '../search/entity-index.js';
import type { EntityIndex } from '../search/entity-index.js';
import { runSliced, runSteps } from '../steps.js';
import type { Steps } from '../steps.js';
import { buildCallIndex, CallIndex, inListOrder } from './index.js';
import type { Built, CallRec } from './build.js';
import { Keys } from './keys.js';
import { nodeAddresses } from './node-addresses.js';
import type { FragmentGroup, Scan } from './scan.js';

/** Bumped when the entry's layout changes (the code hash covers what the calls are). */
const LAYOUT = 'calls-1';
const CALLS = 'calls';
const SEARCH = 'callsearch';
/** Summaries per JSON piece: the app parses one piece per slice of its thread. */
const PIECE_CALLS = 512;

let code: string | null | undefined;

/**
 * A hash of the engine code calls come from (its .js files when built, .ts under tsx), or null
 * when those files cannot be listed: then the cache is not used for calls.
 */
function codeHash(): string | null {
  if (code !== undefined) return code;
  try {
    const h = createHash('sha256');
    for (const dir of ['./', '../decoders/', '../lines/']) {
      const url = new URL(dir, import.meta.url);
      for (const f of readdirSync(url).sort()) if (/\.[jt]s$/.test(f)) h.update(f).update(readFileSync(new URL(f, url)));
    }
    // and the shared readings the summaries make (media statistics, SIP messages)
    const shared = new URL('../../shared/', import.meta.url);
    for (const f of readdirSync(shared).sort()) if (/\.[jt]s$/.test(f)) h.update(f).update(readFileSync(new URL(f, shared)));
    // the "find a call" index is saved beside the calls: what it holds is in its own file
    const search = new URL('../search/', import.meta.url);
    for (const f of readdirSync(search).sort()) if (/^entity-index\.[jt]s$/.test(f)) h.update(f).update(readFileSync(new URL(f, search)));
    code = h.digest('hex').slice(0, 16);
  } catch {
    code = null;
  }
  return code;
}

/** The cache identity of these sources for call entries, or null (cache not usable). */
export async function callCacheId(paths: string[]): Promise<SourceIdentity | null> {
  const c = codeHash();
  if (!c) return null;
  return sourceIdentity(paths, `${LAYOUT}:${c}`).catch(() => null);
}

interface CallsMeta {
  layout: string;
  lines: number;
  /** Lines of each store file: with the sources' identity, what says the store is the one indexed. */
  fileLines: number[];
  keys: number;
  calls: number;
  aliases: number;
  callLines: number;
  conf: number;
  frag: number;
  kindByName: number;
  keyBytes: number;
  fragmentsBytes: number;
  conferencesBytes: number;
  /** Byte length of each JSON piece of summaries (PIECE_CALLS calls each, by call number). */
  summaryBytes: number[];
  /** What the load warned about (a skipped file, a damaged archive): said again when read without loading. */
  warnings: string[];
  /** The address of each node heard under a host name (node-addresses.ts): the CLI names a node either way without the lines. */
  addresses: NodeAddress[];
}

/** A cache entry, or null on any miss (cache errors are misses: calls are then built). */
async function entry(id: SourceIdentity, kind: string): Promise<{ meta: unknown; payload: Buffer } | null> {
  const got = await cacheGet(id, kind).catch(() => null);
  return got && 'payload' in got ? got : null;
}

/** Saves a built call index (never throws; nothing for an encrypted bundle). */
export async function saveCallIndex(session: Session, index: CallIndex, warn?: (m: string) => void, id?: SourceIdentity | null): Promise<void> {
  if (session.encrypted) return;
  if (id === undefined) id = await callCacheId(session.paths);
  if (!id) return;
  const { scan, built, byNumber } = index;
  const n = scan.count;
  const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
  const keys = scan.keys.saved();
  const aliasOff = new Uint32Array(built.calls.length + 1);
  const lineOff = new Uint32Array(built.calls.length + 1);
  built.calls.forEach((c, k) => {
    aliasOff[k + 1] = aliasOff[k]! + c.aliases.size;
    lineOff[k + 1] = lineOff[k]! + c.lines.length;
  });
  const aliases = new Int32Array(aliasOff[built.calls.length]!);
  const callLines = new Uint32Array(lineOff[built.calls.length]!);
  built.calls.forEach((c, k) => {
    aliases.set([...c.aliases], aliasOff[k]!);
    callLines.set(c.lines, lineOff[k]!);
  });
  const pairs = (m: Map<number, number>) => Int32Array.from([...m].flat());
  const fragments = json(scan.fragments);
  const conferences = json(index.conferences);
  const summaries: Buffer[] = [];
  for (let k = 0; k < byNumber.length; k += PIECE_CALLS) {
    summaries.push(json(byNumber.slice(k, k + PIECE_CALLS)));
    // ~250 ms of JSON on 1 GB: the engine thread answers requests in between
    if (summaries.length % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const meta: CallsMeta = {
    layout: LAYOUT,
    lines: n,
    fileLines: index.store.files.map((f) => f.lineCount),
    keys: keys.ends.length,
    calls: built.calls.length,
    aliases: aliases.length,
    callLines: callLines.length,
    conf: scan.confKey.size,
    frag: scan.fragOf.size,
    kindByName: scan.kindByName.length,
    keyBytes: keys.bytes.length,
    fragmentsBytes: fragments.length,
    conferencesBytes: conferences.length,
    summaryBytes: summaries.map((b) => b.length),
    warnings: session.warnings,
    addresses: nodeAddresses(index.store),
  };
  // 4-byte arrays first, then 2-byte, then bytes: every array is viewed in place when read
  const parts: ArrayBufferView[] = [
    built.lineCall.subarray(0, n),
    built.callByKey,
    keys.ends,
    Int32Array.from(built.calls, (c) => c.key),
    aliasOff,
    aliases,
    lineOff,
    callLines,
    pairs(scan.confKey),
    pairs(scan.fragOf),
    scan.sipStatus.subarray(0, n),
    scan.kind.subarray(0, n),
    scan.info.subarray(0, n),
    scan.sipStart.subarray(0, n),
    scan.kindByName,
    keys.bytes,
    fragments,
    conferences,
    ...summaries,
  ];
  try {
    await cachePut(id, CALLS, meta, parts);
  } catch (e) {
    warn?.(`call cache: cannot write (${(e as Error).message}); calls still work`);
  }
}

/** What a calls entry holds, read back: the summaries always, the index's tables when a store was given. */
interface ReadCalls {
  byNumber: CallSummary[];
  conferences: ConferenceSummary[];
  warnings: string[];
  addresses: NodeAddress[];
  index?: { scan: Scan; built: Built };
}

/**
 * Reads a calls entry in steps (a JSON piece of summaries per step). Null when it does not fit
 * (layout, or, given a store, a different one) or is damaged.
 */
function* readSteps(meta: unknown, payload: Buffer, store: LineStore | null): Steps<ReadCalls | null> {
  const m = meta as CallsMeta;
  if (m?.layout !== LAYOUT || !Array.isArray(m.summaryBytes) || !Array.isArray(m.fileLines) || !Array.isArray(m.warnings) || !Array.isArray(m.addresses)) return null;
  if (store && (m.lines !== store.count || JSON.stringify(m.fileLines) !== JSON.stringify(store.files.map((f) => f.lineCount)))) return null;
  try {
    const r = new PayloadReader(payload);
    // copies, not views: the arrays kept must not hold the whole entry (its JSON text) in
    // memory; without a store they are only stepped over
    const take = <T extends { slice(): T }>(ctor: { new (b: ArrayBuffer, at?: number, n?: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
      const v = r.take(ctor, n);
      if (v === null) throw new Error('short');
      return store ? v.slice() : v;
    };
    const text = (bytes: number) => {
      const v = r.take(Uint8Array, bytes);
      if (v === null) throw new Error('short');
      return Buffer.from(v.buffer, v.byteOffset, v.length).toString('utf8');
    };
    const lineCall = take(Int32Array, m.lines);
    const callByKey = take(Int32Array, m.keys);
    const keyEnds = take(Uint32Array, m.keys);
    const callKeys = take(Int32Array, m.calls);
    const aliasOff = take(Uint32Array, m.calls + 1);
    const aliases = take(Int32Array, m.aliases);
    const lineOff = take(Uint32Array, m.calls + 1);
    const callLines = take(Uint32Array, m.callLines);
    const confPairs = take(Int32Array, 2 * m.conf);
    const fragPairs = take(Int32Array, 2 * m.frag);
    const sipStatus = take(Uint16Array, m.lines);
    const kind = take(Uint8Array, m.lines);
    const info = take(Uint8Array, m.lines);
    const sipStart = take(Uint8Array, m.lines);
    const kindByName = take(Uint8Array, m.kindByName);
    const keyBytes = take(Uint8Array, m.keyBytes);
    const fragments = JSON.parse(text(m.fragmentsBytes)) as FragmentGroup[];
    const conferences = JSON.parse(text(m.conferencesBytes)) as ConferenceSummary[];
    const byNumber: CallSummary[] = [];
    for (const bytes of m.summaryBytes) {
      yield;
      for (const c of JSON.parse(text(bytes)) as CallSummary[]) byNumber.push(c);
    }
    if (!r.atEnd || byNumber.length !== m.calls || aliasOff[m.calls] !== m.aliases || lineOff[m.calls] !== m.callLines) return null;
    if (!store) return { byNumber, conferences, warnings: m.warnings, addresses: m.addresses };
    const mapOf = (p: Int32Array) => {
      const map = new Map<number, number>();
      for (let k = 0; k < p.length; k += 2) map.set(p[k]!, p[k + 1]!);
      return map;
    };
    const scan: Scan = {
      count: m.lines,
      kind,
      info,
      sipStart,
      sipStatus,
      // the key columns are let go once calls are built (scan.ts releaseKeyColumns)
      callKey: new Int32Array(0),
      uuidKey: new Int32Array(0),
      partKey: new Int32Array(0),
      convKey: new Int32Array(0),
      confKey: mapOf(confPairs),
      fragOf: mapOf(fragPairs),
      fragments,
      keys: Keys.restored(Buffer.from(keyBytes.buffer, keyBytes.byteOffset, keyBytes.length), keyEnds),
      proto: new Uint8Array(0),
      kindByName,
    };
    const calls: CallRec[] = byNumber.map((c, k) => ({
      n: k,
      key: callKeys[k]!,
      protocol: c.protocol,
      aliases: new Set(aliases.subarray(aliasOff[k]!, aliasOff[k + 1]!)),
      lines: callLines.subarray(lineOff[k]!, lineOff[k + 1]!),
    }));
    return { byNumber, conferences, warnings: m.warnings, addresses: m.addresses, index: { scan, built: { calls, callByKey, lineCall } } };
  } catch {
    return null;
  }
}

/**
 * The call index of a loaded session from the cache, or null (absent, stale, damaged, or
 * another store). `sliced`: parsed in slices that give the thread back (the engine worker).
 */
export async function loadCallIndex(session: Session, opts: { sliced?: boolean; signal?: AbortSignal; id?: SourceIdentity | null } = {}): Promise<CallIndex | null> {
  if (session.encrypted) return null;
  const id = opts.id === undefined ? await callCacheId(session.paths) : opts.id;
  if (!id) return null;
  const got = await entry(id, CALLS);
  if (!got) return null;
  const steps = readSteps(got.meta, got.payload, session.store);
  const read = opts.sliced ? await runSliced(steps, opts.signal) : runSteps(steps);
  if (!read?.index) return null;
  return new CallIndex(session.store, read.index.scan, read.index.built, read.byNumber, read.conferences);
}

/**
 * The calls and conferences of a bundle straight from the cache, without loading it, with the
 * warnings its load gave; null on a miss.
 */
export async function loadCallSummaries(paths: string[], id?: SourceIdentity | null): Promise<{ calls: CallSummary[]; conferences: ConferenceSummary[]; warnings: string[]; addresses: NodeAddress[] } | null> {
  if (id === undefined) id = await callCacheId(paths);
  if (!id) return null;
  const got = await entry(id, CALLS);
  if (!got) return null;
  const read = runSteps(readSteps(got.meta, got.payload, null));
  return read && { calls: inListOrder(read.byNumber), conferences: read.conferences, warnings: read.warnings, addresses: read.addresses };
}

interface SearchMeta {
  layout: string;
  calls: number;
  tokens: number;
  post: number;
  tokenBytes: number;
}

/** Saves the "find a call" index of these sources' calls (never throws). */
export async function saveEntityIndex(id: SourceIdentity | null, entity: EntityIndex, warn?: (m: string) => void): Promise<void> {
  if (!id) return;
  const { tokens, postOff, postCall, postWeight } = entity.tables;
  // tokens never hold white space (entity-index.ts splits on it): one per line
  const text = Buffer.from(tokens.join('\n'), 'utf8');
  const meta: SearchMeta = { layout: LAYOUT, calls: entity.size, tokens: tokens.length, post: postCall.length, tokenBytes: text.length };
  try {
    await cachePut(id, SEARCH, meta, [postOff, postCall, postWeight, text]);
  } catch (e) {
    warn?.(`call cache: cannot write (${(e as Error).message}); calls still work`);
  }
}

/** The "find a call" index over `calls` (as CallIndex lists them) from the cache, or null. */
export async function loadEntityIndex(id: SourceIdentity | null, calls: CallSummary[]): Promise<EntityIndex | null> {
  if (!id) return null;
  const got = await entry(id, SEARCH);
  if (!got) return null;
  const m = got.meta as SearchMeta;
  if (m?.layout !== LAYOUT || m.calls !== calls.length) return null;
  const r = new PayloadReader(got.payload);
  const postOff = r.take(Uint32Array, m.tokens + 1);
  const postCall = r.take(Uint32Array, m.post);
  const postWeight = r.take(Uint8Array, m.post);
  const text = r.take(Uint8Array, m.tokenBytes);
  if (!postOff || !postCall || !postWeight || !text || !r.atEnd || postOff[m.tokens] !== m.post) return null;
  const tokens = m.tokens ? Buffer.from(text.buffer, text.byteOffset, text.length).toString('utf8').split('\n') : [];
  if (tokens.length !== m.tokens) return null;
  return entityIndexFrom(calls, { tokens, postOff, postCall, postWeight });
}

/**
 * The call index of a loaded session: from the cache when an entry fits, else built and saved
 * (`cache: false`: built, the cache neither read nor written). For the CLI's commands.
 */
export async function callIndexOf(session: Session, opts: { cache?: boolean; warn?: (m: string) => void } = {}): Promise<CallIndex> {
  const id = opts.cache === false || session.encrypted ? null : await callCacheId(session.paths);
  const cached = await loadCallIndex(session, { id });
  if (cached) return cached;
  const index = buildCallIndex(session);
  await saveCallIndex(session, index, opts.warn, id);
  return index;
}
