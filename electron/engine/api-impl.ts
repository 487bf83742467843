/**
 * The engine side of PexlensApi over one Session: open with progress and cancellation, pages
 * of (filtered) lines, line detail, histogram, calls, export. Runs inside the engine worker
 * (electron/engine/worker/engine-worker.ts); the hosts talk to it through the RPC there.
 * Lines are browsable while they load (in store order; the merged view order arrives with
 * the `loaded` event, after which the UI refetches).
 */
import { createHash } from 'node:crypto';
import type {
  ApiEvent,
  AuditCategory,
  AuditEvent,
  AuditLoad,
  AuditRow,
  TimelineEvent,
  BundleInfo,
  BundleOverview,
  CallListPage,
  CallLoad,
  CallSummary,
  CallListRequest,
  CallTrace,
  ConferenceRow,
  CallAlarm,
  CallContactLoss,
  CallQuality,
  ConferenceParts,
  ConferenceSummary,
  DialOut,
  ExportRequest,
  Facets,
  Histogram,
  LineDetail,
  LinePage,
  LineRow,
  LoadProgress,
  MessageCounts,
  OpenRequest,
  PexlensApi,
  QueryCall,
  RegistrationDetail,
  RegistrationMoment,
  RegistrationRow,
  SearchResult,
} from '../api.js';
import { Session } from './session.js';
import { runSliced } from './steps.js';
import { PasswordError } from './sources/decrypt.js';
import { parseFields, payloadLines } from './lines/fields.js';
import { LEVELS } from '../shared/levels.js';
import { timeOrNull } from './lines/time.js';
import { userTime } from '../shared/user-time.js';
import { buildRow } from './worker/rows.js';
import { UserError, RpcError } from './worker/rpc.js';
import type { CallContext } from './worker/rpc.js';
import { Calls, checkWindow } from './worker/calls.js';
import { writeExport } from './worker/export-to.js';
import { IndexBuilder, Searcher, QueryError, needsCalls, parseQuery } from './search/index.js';
import { callQuery } from '../shared/call-find.js';
import { countFacets } from './lines/facets.js';
import { countMessages } from './lines/messages.js';
import { findFileLine } from './lines/file-line.js';
import { rotationGapTimes, rotationGaps } from './lines/streams.js';
import { summarize as summarizeSources } from './lines/summary.js';
import { nodeClocks } from './correlate/clock.js';
import { alarmSpansAt } from './correlate/alarms.js';
import { contactLossesAt } from './correlate/connectivity.js';
import { dnsLookups, dnsTargets, eventSinks } from './correlate/external-services.js';
import { callOfPolicyLine, policyRequests, policyTargets } from './correlate/external-policy.js';
import { callOfLocalPolicyLine } from './correlate/local-policy.js';
import { callOfRating, poorQualityLoad, qualityOfCalls, RATING } from './correlate/call-quality.js';
import { callLoad, OVERVIEW_STRETCHES } from '../shared/call-load.js';
import { nodeActivity } from './lines/node-activity.js';
import { nodeStarts } from './correlate/node-starts.js';
import { withBundleEvents } from './correlate/trace-context.js';
import { dialOuts } from './correlate/dial-outs.js';
import { alarmsOfCalls, contactLossesOfCalls } from './correlate/node-events.js';
import { conferenceParts } from './correlate/conference-parts.js';
import { conferenceDialOuts, placedCalls } from '../shared/dial-outs.js';
import { callsOfConference, filterCalls, nodeCallCounts } from '../shared/call-list.js';
import { nodeAddresses } from './correlate/node-addresses.js';
import { conferenceRows, conferenceRowsOfCalls } from '../shared/conference-list.js';
import { aliasKey, registrationAliasOf, registrationSteps } from './correlate/registrations.js';
import type { Registrations } from './correlate/registrations.js';
import { auditRows, auditSteps, auditSubjectOf, conferenceEndOf } from './correlate/audit.js';
import { auditLoad } from '../shared/audit-words.js';
import { bundleTimeline } from './correlate/bundle-timeline.js';
import { joinFragments } from './correlate/scan.js';
import type { CallIndex } from './correlate/index.js';
import type { LineStore } from './lines/line-store.js';
import type { Cancel, LineIndex } from './search/index.js';
import { indexForSession } from './search/indexed-open.js';

/** The lines that may hold a REGISTER (registrations.ts reads which do). */
const REGISTER_LINES = 'REGISTER name:support.sip';

/** The view positions matching one query, as of `lines` loaded lines. */
interface Matches {
  positions: Uint32Array;
  count: number;
  generation: number;
  lines: number;
  /** When it was computed and how long that took (ms). */
  at: number;
  cost: number;
}

/**
 * While a bundle loads, a query's matches are recomputed when older than this, or than four times
 * their own cost (so an expensive text query does not rescan on every page the UI asks for).
 */
const LOADING_REFRESH_MS = 250;

/**
 * Up to this bundle size a line's detail waits for the call index to name the line's call (a
 * second at most); above, it names it once the index is in (the UI refetches on `indexed`).
 */
const DETAIL_WAITS_CALLS_BYTES = 100e6;

/** Largest page the UI may ask for at once. */
export const MAX_PAGE = 5000;
/** Lines one copy to the clipboard holds at most (a larger pick is for an export). */
export const COPY_MAX_LINES = 10000;

export class EngineApi implements PexlensApi {
  private session: Session | null = null;
  private abort: AbortController | null = null;
  private loading: Promise<BundleInfo> | null = null;
  /** The export in progress, for cancelExport. */
  private exportAbort: AbortController | null = null;
  private progress: LoadProgress | null = null;
  private builder: IndexBuilder | null = null;
  private lineIndex: LineIndex | null = null;
  private searcherCache: Searcher | null = null;
  /** Bumped whenever the view order or the set of lines changes shape (new bundle, load done). */
  private generation = 0;
  private readonly matchCache = new Map<string, Matches>();
  /** The bundle's registrations once read, with the generation they were read in. */
  private registrationCache: { generation: number; value: Promise<Registrations> } | null = null;
  /** The bundle's audit lines once read, with the generation they were read in. */
  private auditCache: { generation: number; value: Promise<AuditEvent[]> } | null = null;
  /** The call and entity indexes, built in the background once the bundle has loaded. */
  private readonly callIndex = new Calls();

  constructor(private readonly emit: (e: ApiEvent) => void) {}

  /** The call index is in: searches answer `call:` and `conference:` from it from now on. */
  private readonly callsIndexed = (): void => {
    this.searcherCache = null;
    this.emit({ type: 'indexed', what: 'calls' });
  };

  async open(req: OpenRequest): Promise<BundleInfo> {
    const paths = req?.paths;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p)) throw new UserError('open: give at least one path');
    // everything up to the first await is synchronous, so a cancel right after open() applies
    this.abort?.abort();
    const previous = this.loading;
    const abort = new AbortController();
    const session = new Session(paths);
    this.abort = abort;
    this.session = session;
    this.progress = null;
    this.builder?.close();
    this.lineIndex = null;
    // the line index is built from the chunks as they load, in worker threads of its own
    const builder = new IndexBuilder();
    this.builder = builder;
    this.reset();
    const run = async (): Promise<BundleInfo> => {
      await previous?.catch(() => undefined);
      try {
        await session.load({
          password: req.password,
          signal: abort.signal,
          onChunk: builder.onChunk,
          tableCache: true, // an unchanged bundle of plain files is read back without parsing (lines/table-cache.ts)
          onProgress: (p) => {
            this.progress = p;
            if (!p.done) this.emit({ type: 'progress', progress: p });
          },
        });
      } catch (e) {
        builder.close();
        if (this.session !== session) throw new RpcError({ message: 'replaced by another open', cancelled: true });
        if (abort.signal.aborted) {
          // keep what was read: the partial bundle stays browsable
          this.reset();
          const message = `loading cancelled; ${session.store.count} lines were read and are shown`;
          this.emit({ type: 'error', message, cancelled: true, paths });
          throw new RpcError({ message, cancelled: true, user: true });
        }
        const message = (e as Error).message;
        const needsPassword = e instanceof PasswordError;
        this.session = null;
        this.reset();
        this.emit({ type: 'error', message, needsPassword, paths });
        throw new RpcError({ message, needsPassword, user: true });
      } finally {
        if (this.abort === abort) this.abort = null;
      }
      this.reset();
      const info = this.infoNow()!;
      if (this.progress) this.emit({ type: 'progress', progress: { ...this.progress, done: true } });
      this.emit({ type: 'loaded', info });
      // searches scan until the index is in; then they use it (same results, faster)
      // the line index from the persistent cache when it fits, else built and saved (search/indexed-open.ts)
      const lines = indexForSession(session, builder).then(
        (index) => {
          if (this.session !== session) return;
          this.lineIndex = index;
          this.searcherCache = null;
          this.emit({ type: 'indexed', what: 'lines' });
        },
        () => undefined,
      );
      // the calls and their entity index: read from the cache at once, else built once the line
      // index is in, unless a call request comes first (built beside the line index they took
      // the CPU its threads need: ready 6 s later on 1 GB)
      this.callIndex.start(session, this.callsIndexed, lines);
      return info;
    };
    this.loading = run();
    return this.loading;
  }

  async cancelLoad(): Promise<void> {
    this.abort?.abort();
    await this.loading?.catch(() => undefined);
  }

  async info(): Promise<BundleInfo | null> {
    return this.infoNow();
  }

  private reset(): void {
    this.generation++;
    this.matchCache.clear();
    this.searcherCache = null;
    this.callIndex.reset();
  }

  private infoNow(): BundleInfo | null {
    const s = this.session;
    if (!s) return null;
    const store = s.store;
    const span = this.timeSpan();
    return {
      id: createHash('sha1').update(s.paths.join('\0')).digest('hex').slice(0, 16),
      paths: s.paths,
      lines: store.count,
      bytes: s.loaded ? store.totalBytes() : (this.progress?.bytes ?? 0),
      loaded: s.loaded,
      from: timeOrNull(span.from),
      to: timeOrNull(span.to),
      streams: store.streams.map((st) => ({
        name: st.name,
        root: st.root,
        files: st.files.map((id) => store.files[id]!.display),
        lines: st.files.reduce((n, id) => n + store.files[id]!.lineCount, 0),
      })),
      warnings: [...s.warnings],
      clocks: s.loaded ? nodeClocks(store) : [],
      platforms: [...s.platforms],
      addresses: s.loaded ? nodeAddresses(store) : [],
      indexed: { lines: this.lineIndex !== null, calls: !!this.callIndex.built },
    };
  }

  /** Earliest and latest syslog time of the open bundle. */
  private timeSpan(): { from: number; to: number } {
    return this.need().store.timeSpan();
  }

  private need(): Session {
    if (!this.session) throw new UserError('no bundle is open');
    return this.session;
  }

  /**
   * The searcher over the lines loaded so far (with the line index once it is built, and the call
   * index once that is). call: and conference: need the call index, which needs the whole bundle:
   * while loading, call: matches as text and conference: by its keys; once loaded, a query with
   * them waits for the call index.
   */
  private async searcher(query: string): Promise<Searcher> {
    const session = this.need();
    if (session.loaded && needsCalls(parseQuery(query))) await this.callIndex.index(session, this.callsIndexed);
    if (this.searcherCache && session.loaded) return this.searcherCache;
    const s = new Searcher(session, session.loaded ? this.lineIndex : null, (session.loaded && this.callIndex.built) || undefined);
    if (session.loaded) this.searcherCache = s;
    return s;
  }

  /** The query's matches computed before, when still good for the lines loaded now. */
  private knownMatches(query: string): Matches | undefined {
    const session = this.need();
    const m = this.matchCache.get(query);
    if (m && m.generation === this.generation && (m.lines === session.store.count || (!session.loaded && Date.now() - m.at < Math.max(LOADING_REFRESH_MS, 4 * m.cost)))) return m;
    return undefined;
  }

  /** Runs an evaluation of a query, saying what went wrong as the UI needs it. */
  private async evaluating<T>(query: string, signal: Cancel | undefined, run: (s: Searcher) => T): Promise<T> {
    try {
      return run(await this.searcher(query));
    } catch (e) {
      if (e instanceof QueryError) throw new UserError(`query: ${e.message}`);
      if (signal?.aborted) throw new RpcError({ message: 'search stopped: a newer search replaced it', cancelled: true, user: true });
      throw e;
    }
  }

  /** View positions matching a query: computed once per query when loaded, refreshed while loading. */
  private async matches(query: string, signal?: Cancel): Promise<Matches> {
    const known = this.knownMatches(query);
    if (known) return known;
    const store = this.need().store;
    const now = Date.now();
    const positions = await this.evaluating(query, signal, (s) => s.matchesAll(query, signal));
    const fresh: Matches = { positions, count: positions.length, generation: this.generation, lines: store.count, at: now, cost: Date.now() - now };
    this.matchCache.delete(query);
    this.matchCache.set(query, fresh);
    while (this.matchCache.size > 8) this.matchCache.delete(this.matchCache.keys().next().value!);
    return fresh;
  }

  async lines(req: QueryCall & { offset: number; limit: number; first?: boolean; firstRows?: number; mark?: string }, ctx?: CallContext): Promise<LinePage> {
    const page = await this.linePage(req, ctx);
    const mark = typeof req?.mark === 'string' ? req.mark.trim() : '';
    if (mark) {
      // rows come in view order: one walk through the mark's (sorted) view positions
      const positions = (await this.matches(mark, ctx?.signal)).positions;
      let k = 0;
      for (const row of page.rows) {
        while (k < positions.length && positions[k]! < row.index) k++;
        row.match = positions[k] === row.index;
      }
    }
    return page;
  }

  private async linePage(req: QueryCall & { offset: number; limit: number; first?: boolean; firstRows?: number }, ctx?: CallContext): Promise<LinePage> {
    const session = this.need();
    const store = session.store;
    const offset = Math.max(0, Math.floor(Number(req?.offset) || 0));
    const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(Number(req?.limit) || 0)));
    const q = req?.query?.trim();
    if (!q) return { total: store.count, offset, rows: this.rowsAt((k) => k, store.count, offset, limit) };
    if (req?.first && session.loaded && !this.knownMatches(q)) {
      // a new query's first page, when the head of the view holds it (Searcher.firstMatches)
      const need = Math.min(offset + limit, Math.max(1, Math.floor(Number(req.firstRows) || offset + limit)));
      const early = await this.evaluating(q, ctx?.signal, (s) => s.firstMatches(q, need, ctx?.signal));
      if (early) return { total: early.length, offset, rows: this.rowsAt((k) => early[k]!, early.length, offset, limit), partial: true };
    }
    const m = await this.matches(q, ctx?.signal);
    return { total: m.count, offset, rows: this.rowsAt((k) => m.positions[k]!, m.count, offset, limit) };
  }

  /** The rows of list positions offset … offset + limit (of count), each at view position posAt(k). */
  private rowsAt(posAt: (k: number) => number, count: number, offset: number, limit: number): LineRow[] {
    const store = this.need().store;
    const rows: LineRow[] = [];
    for (let k = offset; k < Math.min(count, offset + limit); k++) {
      const p = posAt(k);
      rows.push(buildRow(store, p, store.at(p)));
    }
    return rows;
  }

  async seekTime(req: QueryCall & { time: string }, ctx?: CallContext): Promise<number> {
    const store = this.need().store;
    const t = userTime(String(req?.time), (m) => new UserError(m), undefined, store.timeSpan().from);
    const time = store.time.data;
    const q = req.query?.trim();
    const m = q ? await this.matches(q, ctx?.signal) : null;
    const n = m ? m.count : store.count;
    const timeAt = (k: number) => time[store.at(m ? m.positions[k]! : k)]!;
    // the view is merged by time: the first line at or after t
    return Math.min(firstAtLeast(n, timeAt, t), Math.max(0, n - 1));
  }

  async seekLine(req: QueryCall & { index: number; after?: boolean }, ctx?: CallContext): Promise<number> {
    const store = this.need().store;
    const index = Number(req?.index);
    if (!Number.isInteger(index)) throw new UserError('seekLine: give the index of a line');
    const want = req.after ? index + 1 : index;
    const q = req.query?.trim();
    if (!q) return Math.max(0, Math.min(store.count, want));
    // the matches are view positions in ascending order: the first at or past `want`
    const positions = (await this.matches(q, ctx?.signal)).positions;
    return firstAtLeast(positions.length, (k) => positions[k]!, want);
  }

  async seekFileLine(req: { ref: string }): Promise<number> {
    const store = this.need().store;
    try {
      return store.viewPosition(findFileLine(store, String(req?.ref ?? '')).storeIndex);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  }

  async search(req: QueryCall & { query: string; offset?: number; limit?: number }, ctx?: CallContext): Promise<SearchResult> {
    const started = performance.now();
    const store = this.need().store;
    const q = String(req?.query ?? '').trim();
    const offset = Math.max(0, Math.floor(Number(req?.offset) || 0));
    const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(Number(req?.limit ?? 100) || 0)));
    const m = q ? await this.matches(q, ctx?.signal) : null;
    const total = m ? m.count : store.count;
    const posAt = (k: number) => (m ? m.positions[k]! : k);
    const hits: SearchResult['hits'] = this.rowsAt(posAt, total, offset, limit).map((row) => ({ index: row.index, file: row.file, line: row.line, time: row.time, level: row.level, name: row.name, text: row.text }));
    return { total, hits, facets: this.facets(total, posAt), tookMs: Math.round(performance.now() - started) };
  }

  private facets(total: number, posAt: (k: number) => number): Facets {
    const store = this.need().store;
    return countFacets(store, (visit) => {
      for (let k = 0; k < total; k++) visit(store.at(posAt(k)));
    });
  }

  async copyLines(req: { indexes: number[] }): Promise<{ text: string; lines: number }> {
    const store = this.need().store;
    const indexes = Array.isArray(req?.indexes) ? req.indexes : [];
    const bad = indexes.find((p) => !Number.isInteger(p) || p < 0 || p >= store.count);
    if (bad !== undefined) throw new UserError(`no line at position ${bad} (the bundle has ${store.count} lines)`);
    const take = indexes.slice(0, COPY_MAX_LINES);
    return { text: take.map((p) => store.text(store.at(p)) + '\n').join(''), lines: take.length };
  }

  async lineDetail(req: { index: number }): Promise<LineDetail> {
    const session = this.need();
    const store = session.store;
    const index = Number(req?.index);
    if (!Number.isInteger(index) || index < 0 || index >= store.count) throw new UserError(`no line at position ${req?.index} (the bundle has ${store.count} lines)`);
    const i = store.at(index);
    const row = buildRow(store, index, i);
    const text = store.text(i);
    const f = parseFields(text);
    const payloadValue = f.payloadKey ? f.pairs[f.pairs.length - 1]!.value : null;
    const payload = f.payloadKey && payloadValue !== null ? { key: f.payloadKey, lines: payloadLines(payloadValue) } : null;
    const calls = this.callIndex.built ?? (session.loaded && store.totalBytes() <= DETAIL_WAITS_CALLS_BYTES ? await this.callIndex.index(session, this.callsIndexed) : null);
    delete row.truncated;
    return {
      ...row,
      text,
      message: f.message ?? row.message,
      fields: f.pairs.map((p) => ({ key: p.key, value: p.value })),
      syslogTime: f.syslogTime,
      originTime: f.originTime,
      payload,
      // a quality rating, a policy request or answer, a local policy's line names no call: the call its party, node and time tie it to
      callId: calls?.callOfLine(i) ?? (calls ? unnamedCallOf(store, index, store.nameOf(i), f.message, calls.calls) : null),
      registration: registrationAliasOf(store.nameOf(i), f.pairs, payload?.lines ?? null),
      audit: auditSubjectOf(store.nameOf(i), f.pairs),
      rest: f.rest,
      reassembled: calls ? reassembled(store, calls, i) : undefined,
    };
  }

  async messages(req: QueryCall & { limit?: number }, ctx?: CallContext): Promise<MessageCounts> {
    const store = this.need().store;
    const top = Math.min(1000, Math.max(1, Math.floor(Number(req?.limit) || 12)));
    const q = req?.query?.trim();
    const m = q ? await this.matches(q, ctx?.signal) : null;
    const n = m ? m.count : store.count;
    try {
      return countMessages(store, (visit) => {
        for (let k = 0; k < n; k++) visit(m ? store.at(m.positions[k]!) : k);
      }, top, () => !!ctx?.signal?.aborted);
    } catch (e) {
      if (ctx?.signal?.aborted) throw new RpcError({ message: 'messages: stopped by a newer request', cancelled: true, user: true });
      throw e;
    }
  }

  async overview(): Promise<BundleOverview> {
    const s = this.need();
    if (!s.loaded) throw new UserError('the bundle is still loading');
    const store = s.store;
    // which node complains: errors and warnings per node, one pass over two columns
    const errors = new Uint32Array(store.nodes.values.length);
    const warnings = new Uint32Array(store.nodes.values.length);
    const [W, E, C] = ['WARNING', 'ERROR', 'CRITICAL'].map((l) => LEVELS.indexOf(l as (typeof LEVELS)[number]));
    const level = store.level.data;
    const node = store.node.data;
    for (let i = 0; i < store.count; i++) {
      const l = level[i]!;
      if (l === E || l === C) errors[node[i]!]!++;
      else if (l === W) warnings[node[i]!]!++;
    }
    const nodeLevels: BundleOverview['nodeLevels'] = {};
    store.nodes.values.forEach((n, k) => (nodeLevels[n || '(none)'] = { errors: errors[k]!, warnings: warnings[k]! }));
    const alarms = alarmSpansAt(store);
    const losses = contactLossesAt(store);
    return {
      nodeLevels,
      alarms: alarms.map((a) => a.span),
      alarmLines: alarms.map((a) => a.line),
      contactLosses: losses.map((x) => x.loss),
      contactLossLines: losses.map((x) => x.line),
      dns: dnsTargets(dnsLookups(store)),
      eventSinks: eventSinks(store),
      policy: policyTargets(policyRequests(store)),
      activity: nodeActivity(store, OVERVIEW_STRETCHES),
      starts: nodeStarts(store),
      addresses: nodeAddresses(store),
      sources: summarizeSources(store),
      gaps: rotationGapTimes(store),
      facets: countFacets(store, (visit) => {
        for (let i = 0; i < store.count; i++) visit(i);
      }),
    };
  }

  async histogram(req: QueryCall & { buckets: number }, ctx?: CallContext): Promise<Histogram> {
    const store = this.need().store;
    const buckets = Math.min(10000, Math.max(1, Math.floor(Number(req?.buckets) || 100)));
    const span = this.timeSpan();
    const lines = new Array<number>(buckets).fill(0);
    const errors = new Array<number>(buckets).fill(0);
    const warnings = new Array<number>(buckets).fill(0);
    if (!Number.isFinite(span.from)) return { from: 0, to: 0, bucketMs: 0, lines, errors, warnings };
    const bucketMs = Math.max(1, Math.ceil((span.to - span.from + 1) / buckets));
    const time = store.time.data;
    const level = store.level.data;
    const W = LEVELS.indexOf('WARNING');
    const E = LEVELS.indexOf('ERROR');
    const C = LEVELS.indexOf('CRITICAL');
    const q = req?.query?.trim();
    const m = q ? await this.matches(q, ctx?.signal) : null;
    const n = m ? m.count : store.count;
    for (let k = 0; k < n; k++) {
      const i = m ? store.at(m.positions[k]!) : k; // unfiltered: store order is enough for counts
      const t = time[i]!;
      if (!(t >= span.from)) continue;
      const b = Math.min(buckets - 1, Math.floor((t - span.from) / bucketMs));
      lines[b]!++;
      const l = level[i]!;
      if (l === E || l === C) errors[b]!++;
      else if (l === W) warnings[b]!++;
    }
    const gaps = rotationGaps(store)
      .filter((g) => Number.isFinite(g.from) && Number.isFinite(g.to))
      .map(({ from, to, missing }) => ({ from, to, missing }));
    return { from: span.from, to: span.to, bucketMs, lines, errors, warnings, gaps };
  }

  /**
   * The session once the opens under way have ended (the last one, when another starts
   * meanwhile): calls need the whole bundle, so a call view opened while it loads waits rather
   * than failing (a cancelled load still fails: not loaded).
   */
  private async settledSession(): Promise<Session> {
    for (let open = this.loading; open; open = this.loading) {
      await open.catch(() => undefined);
      if (open === this.loading) break;
    }
    return this.need();
  }

  async calls(req: CallListRequest): Promise<CallListPage> {
    return this.callIndex.calls(await this.settledSession(), req ?? {}, this.callsIndexed);
  }

  async callLoad(req: { buckets: number }): Promise<CallLoad> {
    const session = await this.settledSession();
    const { from, to } = session.store.timeSpan();
    const calls = await this.allCalls(session);
    const load = callLoad(calls, from, to, Number(req?.buckets) || 200);
    // when their nodes rated calls bad: many at once is the network or a node
    return { ...load, poorQuality: poorQualityLoad(calls, session.store, load) };
  }

  async nodeCalls(req: { nodes: string[] }): Promise<Array<{ calls: number; failed: number; location: string | null }>> {
    if (!Array.isArray(req?.nodes)) throw new UserError('nodeCalls: give the nodes (each its names, comma-separated)');
    return nodeCallCounts(await this.allCalls(await this.settledSession()), req.nodes.map(String));
  }

  async callTrace(req: { id: string }): Promise<CallTrace | null> {
    if (!req?.id) throw new UserError('callTrace: give a call id');
    const session = await this.settledSession();
    const t = await this.callIndex.callTrace(session, String(req.id), this.callsIndexed);
    // a restart of its node while it was up (what cut it, often), its nodes' alarms then, the dial-outs it is part of
    return t && withBundleEvents(t, session.store, await this.allCalls(session));
  }

  async callFind(req: { id: string; query: string }, ctx?: CallContext): Promise<{ indexes: number[] }> {
    if (!req?.id) throw new UserError('callFind: give a call id');
    const q = String(req.query ?? '').trim();
    if (!q) return { indexes: [] };
    let query: string;
    try {
      query = callQuery(String(req.id), q);
    } catch (e) {
      if (e instanceof QueryError) throw new UserError(`query: ${e.message}`);
      throw e;
    }
    const m = await this.matches(query, ctx?.signal);
    return { indexes: Array.from(m.positions.subarray(0, m.count)) };
  }

  async dialOuts(req: { conference?: string }): Promise<{ dialOuts: DialOut[]; calls: CallSummary[] }> {
    const session = await this.settledSession();
    const calls = await this.allCalls(session);
    const all = dialOuts(session.store, calls);
    const picked = req?.conference ? conferenceDialOuts(callsOfConference(calls, await this.conferences(), String(req.conference)), all) : all;
    return { dialOuts: picked, calls: placedCalls(picked, calls) };
  }

  async conferenceAlarms(req: { conference: string }): Promise<CallAlarm[]> {
    if (!req?.conference) throw new UserError('conferenceAlarms: give a conference');
    const session = await this.settledSession();
    return alarmsOfCalls(callsOfConference(await this.allCalls(session), await this.conferences(), String(req.conference)), session.store);
  }

  async conferenceContactLosses(req: { conference: string }): Promise<CallContactLoss[]> {
    if (!req?.conference) throw new UserError('conferenceContactLosses: give a conference');
    const session = await this.settledSession();
    return contactLossesOfCalls(callsOfConference(await this.allCalls(session), await this.conferences(), String(req.conference)), session.store);
  }

  async conferenceQuality(req: { conference: string }): Promise<CallQuality[]> {
    if (!req?.conference) throw new UserError('conferenceQuality: give a conference');
    const session = await this.settledSession();
    const calls = await this.allCalls(session);
    return qualityOfCalls(callsOfConference(calls, await this.conferences(), String(req.conference)), session.store, calls);
  }

  async conferenceSummary(req: { conference: string }): Promise<ConferenceParts | null> {
    if (!req?.conference) throw new UserError('conferenceSummary: give a conference');
    const session = await this.settledSession();
    return conferenceParts(await this.allCalls(session), await this.conferences(), String(req.conference), session.store);
  }

  async conferences(): Promise<ConferenceSummary[]> {
    return this.callIndex.conferences(await this.settledSession(), this.callsIndexed);
  }

  async conferenceList(req?: { from?: string | null; to?: string | null }): Promise<ConferenceRow[]> {
    const session = await this.settledSession();
    const [conferences, calls] = [await this.callIndex.conferences(session, this.callsIndexed), await this.allCalls(session)];
    checkWindow('conferenceList', req);
    if (!req?.from && !req?.to) return conferenceRows(conferences, calls);
    return conferenceRowsOfCalls(conferences, filterCalls(calls, { from: req.from, to: req.to }));
  }

  async registrations(): Promise<RegistrationRow[]> {
    return (await this.registered()).rows;
  }

  async registrationDetail(req: { alias: string }): Promise<RegistrationDetail> {
    if (typeof req?.alias !== 'string' || !req.alias.trim()) throw new UserError('registrationDetail: give an alias');
    const known = await this.registered();
    const alias = aliasKey(req.alias);
    return { events: known.eventsOf(alias) ?? [], spans: known.spansOf(alias) ?? [] };
  }

  async registrationAt(req: { aliases: string[]; time: string }): Promise<Array<RegistrationMoment | null>> {
    const at = Date.parse(String(req?.time));
    if (!Array.isArray(req?.aliases) || !Number.isFinite(at)) throw new UserError('registrationAt: give aliases and a time');
    const known = await this.registered();
    return req.aliases.map((a) => known.stateAt(aliasKey(String(a)), at));
  }

  /**
   * The registrations of the loaded bundle, read once per generation, in slices (a page and a
   * call's view may ask at once: both wait for the one reading).
   */
  private registered(): Promise<Registrations> {
    const known = this.registrationCache;
    if (known && known.generation === this.generation) return known.value;
    const generation = this.generation;
    const value = (async () => {
      const session = await this.settledSession();
      if (!session.loaded) throw new UserError('the bundle is still loading');
      // with the search index, its REGISTER lines are found without reading every SIP line's bytes
      const sipLines = this.lineIndex ? (await this.matches(REGISTER_LINES)).positions : undefined;
      return runSliced(registrationSteps(session.store, sipLines));
    })();
    this.registrationCache = { generation, value };
    // a failed reading is not kept: the next request tries again
    value.catch(() => this.registrationCache?.value === value && (this.registrationCache = null));
    return value;
  }

  async audit(): Promise<AuditRow[]> {
    return auditRows(await this.audited());
  }

  async auditEvents(req: { category?: AuditCategory; subject?: string; callIds?: string[] }): Promise<AuditEvent[]> {
    const { category, subject, callIds } = req ?? {};
    const ids = Array.isArray(callIds) ? new Set(callIds.map(String)) : null;
    const events = await this.audited();
    const own = events.filter(
      (e) => (!category || e.category === category) && (subject === undefined || e.subject === subject) && (!ids || (e.callId !== null && ids.has(e.callId))),
    );
    // each line's call as the call list names it, none for an id no call of the bundle has (a
    // link to it would lead nowhere)
    const index = await this.callIndex.index(await this.settledSession(), this.callsIndexed);
    const named = own.map((e) => (e.callId === null ? e : { ...e, callId: index.find(e.callId)?.id ?? null }));
    if (!ids) return named;
    // and, for a call asked for, the lines that say its conference ended under it (they name no call)
    const calls = [...new Set([...ids].map((id) => index.find(id)).filter((c): c is CallSummary => !!c))];
    const ended = calls.flatMap((c) => conferenceEndOf(c, events).map((e) => ({ ...e, callId: c.id })));
    return [...named, ...ended].sort((a, b) => a.line - b.line);
  }

  async timeline(req?: { from?: string | null; to?: string | null }): Promise<TimelineEvent[]> {
    checkWindow('timeline', req);
    const session = await this.settledSession();
    if (!session.loaded) throw new UserError('the bundle is still loading');
    return bundleTimeline(session.store, await this.allCalls(session), await this.audited(), { from: req?.from, to: req?.to });
  }

  async auditLoad(req: { buckets: number }): Promise<AuditLoad> {
    const events = await this.audited();
    const { from, to } = this.need().store.timeSpan();
    return auditLoad(events, from, to, Number(req?.buckets) || 200);
  }

  /** The audit lines of the loaded bundle, read once per generation, in slices (as the registrations). */
  private audited(): Promise<AuditEvent[]> {
    const known = this.auditCache;
    if (known && known.generation === this.generation) return known.value;
    const value = (async () => {
      const session = await this.settledSession();
      if (!session.loaded) throw new UserError('the bundle is still loading');
      return runSliced(auditSteps(session.store));
    })();
    this.auditCache = { generation: this.generation, value };
    value.catch(() => this.auditCache?.value === value && (this.auditCache = null));
    return value;
  }

  /** Every call of the bundle (in the index's order). */
  private async allCalls(session: Session): Promise<readonly CallSummary[]> {
    return (await this.callIndex.index(session, this.callsIndexed)).calls;
  }

  async exportTo(req: ExportRequest & { path?: string }): Promise<{ path: string | null; url: string | null; bytes: number }> {
    const session = this.need();
    if (!req?.path) throw new UserError('export: no output path (the host picks one: a save dialog or a download)');
    const store = session.store;
    let storeIndexes: Uint32Array | null = null;
    if (!req.calls?.length && !req.callList) {
      if (req.indexes?.length) storeIndexes = Uint32Array.from(req.indexes.filter((p) => Number.isInteger(p) && p >= 0 && p < store.count), (p) => store.at(p));
      else if (req.query?.trim()) storeIndexes = (await this.matches(req.query.trim())).positions.map((p) => store.at(p));
      else storeIndexes = null; // everything
    }
    const abort = new AbortController();
    this.exportAbort = abort;
    try {
      const r = await writeExport(session, req, req.path, {
        storeIndexes,
        callIndex: () => this.callIndex.index(session, this.callsIndexed),
        callList: async (view) => (await this.callIndex.calls(session, { ...view, offset: 0, limit: undefined }, this.callsIndexed)).rows,
        registrations: () => this.registered(),
        audit: () => this.audited(),
        onProgress: (done, total) => this.emit({ type: 'exportProgress', done, total }),
        signal: abort.signal,
      });
      return { path: req.path, url: null, bytes: r.bytes };
    } catch (e) {
      // cancelled by the user: nothing written, like a dismissed save dialog
      if (abort.signal.aborted && e instanceof RpcError && e.cancelled) return { path: null, url: null, bytes: 0 };
      throw e;
    } finally {
      if (this.exportAbort === abort) this.exportAbort = null;
    }
  }

  async cancelExport(): Promise<void> {
    this.exportAbort?.abort();
  }
}

/** The first k in [0, n) whose valueAt(k) is at least `want` (n when none), for values ascending in k. */
function firstAtLeast(n: number, valueAt: (k: number) => number, want: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (valueAt(mid) < want) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** LineDetail.reassembled of store line i: the message it is one piece of, whole (undefined when it is no piece). */
function reassembled(store: LineStore, calls: CallIndex, i: number): LineDetail['reassembled'] {
  const frag = calls.fragmentOf(i);
  if (!frag) return undefined;
  return {
    lines: payloadLines(joinFragments(store, frag.pieces.map((p) => p.line)).toString('utf8')),
    number: frag.number,
    total: frag.total,
    missing: frag.missing,
    pieces: frag.pieces.map((p) => ({ number: p.number, index: calls.viewPosition(p.line) })),
  };
}

/** The call a line that names none is given to: a quality rating, a policy request or answer, a local policy's line; else null. */
function unnamedCallOf(store: LineStore, line: number, module: string, message: string | null | undefined, calls: readonly CallSummary[]): string | null {
  if (RATING.test(message ?? '')) return callOfRating(store, line, calls);
  if (module === 'support.externalpolicy') return callOfPolicyLine(store, line, calls);
  if (module === 'support.jinja2') return callOfLocalPolicyLine(store, line, calls);
  return null;
}
