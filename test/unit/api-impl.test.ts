// EngineApi (the engine side of PexlensApi) in-process, on generated logs, checked against a
// straightforward reading of the same files.
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COPY_MAX_LINES, EngineApi } from '../../electron/engine/api-impl.js';
import type { ApiEvent } from '../../electron/api.js';
import { RpcError } from '../../electron/engine/worker/rpc.js';
import { EngineClient } from '../../electron/engine/worker/client.js';
import { linearRegex } from '../../electron/engine/search/linear-regex.js';
import { Calls } from '../../electron/engine/worker/calls.js';
import { buildEntityIndex } from '../../electron/engine/search/entity-index.js';
import { buildCallIndex } from '../../electron/engine/correlate/index.js';
import { openBundle } from '../../electron/engine/session.js';
import { cacheClear } from '../../electron/engine/search/cache.js';
import { writeBundle } from '../generator/index.js';
import { setField } from '../../renderer/src/lib/query.js';
import type { Truth } from '../generator/index.js';

// the engine reads and writes the persistent caches (line tables, index, calls): a folder of this test's own
const cacheHome = mkdtempSync(join(tmpdir(), 'pexlens-api-cache-'));
process.env.PEXLENS_CACHE_DIR = cacheHome;
after(() => rmSync(cacheHome, { recursive: true, force: true }));

let dir: string;
let plain: string;
let lines: string[];
let truth: Truth;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pexlens-api-'));
  const b = await writeBundle(join(dir, 'plain'), { form: 'plain', seed: 11, calls: 25 });
  plain = b.path;
  truth = b.truth;
  const text = readFileSync(plain, 'utf8');
  lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function opened(paths = [plain]) {
  const events: ApiEvent[] = [];
  const api = new EngineApi((e) => events.push(e));
  const info = await api.open({ paths });
  return { api, info, events };
}

test('open reports progress and loaded, and every line is there in file order', async () => {
  const { api, info, events } = await opened();
  assert.equal(info.loaded, true);
  assert.equal(info.lines, lines.length);
  assert.equal(info.lines, truth.lines);
  assert.ok(events.some((e) => e.type === 'progress'));
  const last = events[events.length - 1]!;
  assert.equal(last.type, 'loaded');
  const page = await api.lines({ offset: 0, limit: lines.length });
  assert.equal(page.total, lines.length);
  page.rows.forEach((r, k) => {
    assert.equal(r.index, k);
    assert.equal(r.line, k + 1);
    if (!r.truncated) assert.equal(r.text, lines[k]!.replace(/\r$/, '').replace(/[^\x00-\x7f]/g, (c) => c));
  });
  // a page in the middle starts where asked
  const mid = await api.lines({ offset: 100, limit: 5 });
  assert.deepEqual(mid.rows.map((r) => r.line), [101, 102, 103, 104, 105]);
});

test('rows carry level, module, message and key fields read from the line', async () => {
  const { api } = await opened();
  const k = lines.findIndex((l) => /Call-Id="[^"]+"/.test(l) && /Message="/.test(l));
  assert.ok(k >= 0);
  const [row] = (await api.lines({ offset: k, limit: 1 })).rows;
  assert.equal(row!.keys['Call-Id'], /Call-Id="([^"]+)"/.exec(lines[k]!)![1]);
  assert.equal(row!.message, /Message="((?:[^"\\]|\\.)*)"/.exec(lines[k]!)![1]!.replace(/\\(["\\])/g, '$1'));
  assert.equal(row!.level, /Level="([A-Z]+)"/.exec(lines[k]!)![1]);
  assert.equal(row!.name, /Name="([^"]+)"/.exec(lines[k]!)![1]);
  // a line with no correlation key (a warning, a registration…) shows its other fields: each
  // non-empty pair of the line but Level, Name and Message, in line order, up to six
  const ids = /\b(Call-Id|Uuid|Conference|Participant|Participant-Id|Conversation-Id|Conference-Id)="/i;
  const plainFields = lines.map((l, n) => ({ l, n })).filter(({ l }) => /^\S+ \S+ \S+ \S+ Level="/.test(l) && !ids.test(l) && !l.includes('="^M') && / (?!Level=|Name=|Message=)[\w.-]+="[^"]/.test(l));
  assert.ok(plainFields.length > 0, 'the generated log has lines without correlation keys');
  for (const { l, n } of plainFields.slice(0, 20)) {
    const [prow] = (await api.lines({ offset: n, limit: 1 })).rows;
    const want = [...l.matchAll(/ ([\w.-]+)="((?:[^"\\]|\\.)*)"/g)].filter(([, key, v]) => v && !['Level', 'Name', 'Message'].includes(key!)).slice(0, 6);
    assert.deepEqual(Object.entries(prow!.keys), want.map(([, key, v]) => [key, v!.replace(/\\(["\\])/g, '$1')]), l);
  }
  // a damaged line is shown raw and flagged
  const bad = truth.damagedLines.find((n) => lines[n - 1]!.length > 0 && lines[n - 1]!.length < 4096);
  assert.ok(bad);
  const [drow] = (await api.lines({ offset: bad - 1, limit: 1 })).rows;
  assert.equal(drow!.damaged, true);
  assert.equal(drow!.text.replace(/\uFFFD/g, ''), Buffer.from(lines[bad - 1]!.replace(/\r$/, ''), 'utf8').toString('utf8').replace(/\uFFFD/g, ''));
});

test('a page of every line marks the lines matching another query (the explorer\'s "All lines")', async () => {
  const { api } = await opened();
  const pageSize = 200;
  for (const mark of ['level:WARNING', 'bye OR level:ERROR']) {
    const matching = new Set<number>();
    for (let offset = 0, more = true; more; offset += pageSize) {
      const page = await api.lines({ offset, limit: pageSize, query: mark });
      for (const r of page.rows) matching.add(r.index);
      more = offset + pageSize < page.total;
    }
    assert.ok(matching.size > 0 && matching.size < lines.length, mark);
    let marked = 0;
    for (let offset = 0; offset < lines.length; offset += pageSize) {
      const page = await api.lines({ offset, limit: pageSize, mark });
      assert.equal(page.total, lines.length, 'every line is in the page list');
      for (const r of page.rows) {
        assert.equal(r.match, matching.has(r.index), `${mark}: line ${r.index}`);
        if (r.match) marked++;
      }
    }
    assert.equal(marked, matching.size, mark);
  }
  // without a mark, rows say nothing about it
  assert.equal((await api.lines({ offset: 0, limit: 5 })).rows.some((r) => 'match' in r), false);
});

test('seekLine: the position in a filtered list of the first line at (or past) a view index', async () => {
  const { api } = await opened();
  for (const query of ['level:WARNING', 'bye OR level:ERROR', '']) {
    const indexes: number[] = [];
    for (let offset = 0, more = true; more; offset += 200) {
      const page = await api.lines({ offset, limit: 200, query: query || undefined });
      indexes.push(...page.rows.map((r) => r.index));
      more = offset + 200 < page.total;
    }
    const probes = [-1, 0, 1, indexes[0]!, indexes[1]!, indexes[indexes.length - 1]!, lines.length - 1, lines.length, Math.floor(lines.length / 3), Math.floor(lines.length / 2) + 1];
    for (const index of probes) {
      for (const after of [false, true]) {
        const want = indexes.findIndex((i) => (after ? i > index : i >= index));
        assert.equal(await api.seekLine({ query: query || undefined, index, after }), want < 0 ? indexes.length : want, `${query || '(all)'} ${after ? 'past' : 'at'} ${index}`);
      }
    }
  }
  await assert.rejects(api.seekLine({ index: Number.NaN }), /seekLine: give the index of a line/);
});

test('column and word queries count what a line-by-line reading counts', async () => {
  const { api } = await opened();
  const ref = (pred: (l: string) => boolean) => lines.filter(pred).length;
  const errors = await api.lines({ offset: 0, limit: 10, query: 'level:ERROR' });
  assert.equal(errors.total, ref((l) => / Level="ERROR" /.test(l)));
  assert.ok(errors.total > 0);
  assert.ok(errors.rows.every((r) => r.level === 'ERROR'));
  const sip = await api.lines({ offset: 0, limit: 1, query: 'name:support.sip' });
  assert.equal(sip.total, ref((l) => / Name="support\.sip" /.test(l)));
  const word = await api.lines({ offset: 0, limit: 1, query: 'invite' });
  assert.equal(word.total, ref((l) => l.toLowerCase().includes('invite')));
  const both = await api.lines({ offset: 0, limit: 1, query: 'INVITE -"SIP/2.0 100"' });
  assert.equal(both.total, ref((l) => l.toLowerCase().includes('invite') && !l.toLowerCase().includes('sip/2.0 100')));
  const search = await api.search({ query: 'level:WARNING', limit: 3 });
  assert.equal(search.total, ref((l) => / Level="WARNING" /.test(l)));
  assert.equal(search.facets.level.WARNING, search.total);
  assert.equal(search.hits.length, Math.min(3, search.total));
  await assert.rejects(api.lines({ offset: 0, limit: 1, query: 'level:LOUD' }), /unknown level 'LOUD'/);
});

test('through the worker: a query call with a newer epoch stops the older query of its tab, which fails as cancelled', async () => {
  const client = new EngineClient();
  try {
    await client.api.open({ paths: [plain] });
    const ref = (pred: (l: string) => boolean) => lines.filter(pred).length;
    // both are sent before the worker starts the first: it stops at its first check, whatever its speed
    const slow = client.api.lines({ offset: 0, limit: 10, query: '/(\\w+\\s?)*detail/i', epoch: 1 });
    const next = client.api.lines({ offset: 0, limit: 1, query: 'level:ERROR', epoch: 2 });
    await assert.rejects(slow, (e: unknown) => e instanceof RpcError && e.cancelled && /newer search/.test(e.message));
    assert.equal((await next).total, ref((l) => / Level="ERROR" /.test(l)));
    // a call of an older epoch that comes late still runs, and so do calls without one
    assert.equal((await client.api.search({ query: '"detail"', limit: 0, epoch: 1 })).total, ref((l) => /detail/i.test(l)));
    assert.equal((await client.api.histogram({ query: '/(\\w+\\s?)*detail/i', buckets: 4 })).lines.reduce((a, b) => a + b, 0), ref((l) => /detail/i.test(l)));
    // tabs: another tab's newer search leaves this tab's running one alone; its own stops it
    // (each with a pattern of its own: lines found before are kept, and come back without a scan)
    const inA = client.api.search({ query: '/(\\w+\\s?)*Detail/i', limit: 0, epoch: 10, tab: 'a' });
    const inB = client.api.search({ query: 'level:ERROR', limit: 0, epoch: 11, tab: 'b' });
    assert.equal((await inA).total, ref((l) => /detail/i.test(l)));
    assert.equal((await inB).total, ref((l) => / Level="ERROR" /.test(l)));
    const againA = client.api.search({ query: '/(\\w+\\s?)*DETAIL/i', limit: 0, epoch: 12, tab: 'a' });
    const nextA = client.api.search({ query: '"detail"', limit: 0, epoch: 13, tab: 'a' });
    await assert.rejects(againA, (e: unknown) => e instanceof RpcError && e.cancelled);
    assert.equal((await nextA).total, ref((l) => /detail/i.test(l)));
  } finally {
    await client.close();
  }
});

test('through the worker: a search that cannot be stopped restarts the engine, which reopens the bundle', async () => {
  const stuck = '/(\\w+\\s?)*detail(?=x)/i';
  assert.equal(linearRegex('(\\w+\\s?)*detail(?=x)', 'i').bounded, false, 'a lookahead: V8 cannot bound it');
  // stuck after 2 s: longer than the probe below, so the first watch is still on when the stuck search comes
  const client = new EngineClient(2000);
  const events: ApiEvent[] = [];
  client.onEvent((e) => events.push(e));
  // were the restart missing, the stuck worker would keep the test process alive: end it, and fail
  const guard = setTimeout(() => void client.close(), 20_000);
  try {
    await client.api.open({ paths: [plain] });
    const ref = lines.filter((l) => / Level="ERROR" /.test(l)).length;
    // a search that keeps asking whether to stop is not stuck, even when slow
    assert.equal((await client.api.search({ query: '"detail"', limit: 0, epoch: 1 })).total, lines.filter((l) => /detail/i.test(l)).length);
    // a search stopped as asked (the worker answers the watch at once), then right away the stuck one
    const slow = assert.rejects(client.api.lines({ offset: 0, limit: 1, query: '/(\\w+\\s?)*Detail/i', epoch: 2 }), (e: unknown) => e instanceof RpcError && e.cancelled);
    await client.api.lines({ offset: 0, limit: 1, query: '"detail"', epoch: 3 });
    await slow;
    const hung = client.api.lines({ offset: 0, limit: 1, query: stuck, epoch: 4 });
    // a call sent after it is not answered: the worker is in the match (and never leaves it)
    const probe = client.api.info();
    assert.equal(await Promise.race([probe.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 1000))]), false);
    const next = client.api.lines({ offset: 0, limit: 1, query: 'level:ERROR', epoch: 5 });
    await assert.rejects(hung, /could not be stopped/);
    await assert.rejects(probe, /could not be stopped/);
    await assert.rejects(next, /could not be stopped/);
    for (let k = 0; k < 600 && events.filter((e) => e.type === 'loaded').length < 2; k++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(events.filter((e) => e.type === 'loaded').length, 2, 'the bundle was opened again');
    assert.equal((await client.api.lines({ offset: 0, limit: 1, query: 'level:ERROR', epoch: 6 })).total, ref);
  } finally {
    clearTimeout(guard);
    await client.close();
  }
});

test('seekTime finds the first line at or after a time; histogram counts every line once', async () => {
  const { api, info } = await opened();
  const page = await api.lines({ offset: 0, limit: lines.length });
  const target = page.rows[Math.floor(page.rows.length / 2)]!.time;
  const pos = await api.seekTime({ time: target });
  assert.equal(page.rows[pos]!.time, target);
  assert.ok(pos === 0 || page.rows[pos - 1]!.time < target);
  const h = await api.histogram({ buckets: 50 });
  assert.equal(h.lines.length, 50);
  assert.equal(h.lines.reduce((a, b) => a + b, 0), info.lines);
  assert.equal(h.errors.reduce((a, b) => a + b, 0), lines.filter((l) => / Level="(ERROR|CRITICAL)" /.test(l)).length);
  const hq = await api.histogram({ buckets: 50, query: 'level:ERROR' });
  assert.equal(hq.from, h.from, 'a filtered histogram keeps the bundle span, so brushing stays put');
  assert.equal(hq.lines.reduce((a, b) => a + b, 0), hq.errors.reduce((a, b) => a + b, 0));
});

test('lineDetail gives every field and the ^M payload as lines', async () => {
  const { api } = await opened();
  const k = lines.findIndex((l) => l.includes('Detail="^M'));
  assert.ok(k >= 0);
  const d = await api.lineDetail({ index: k });
  const raw = lines[k]!.replace(/\r$/, '');
  assert.equal(d.text, raw);
  const body = raw.slice(raw.indexOf('Detail="^M') + 'Detail="^M'.length, raw.endsWith('"') ? -1 : undefined);
  const expected = body.split('^M');
  if (expected[expected.length - 1] === '') expected.pop();
  assert.deepEqual(d.payload, { key: 'Detail', lines: expected });
  assert.ok(d.fields.some((f) => f.key === 'Level'));
  assert.equal(d.syslogTime, raw.slice(0, raw.indexOf(' ')));
  await assert.rejects(api.lineDetail({ index: lines.length }), /no line at position/);
});

test('lineDetail of one piece of a fragmented SIP message gives the whole message, its pieces in number order', async () => {
  const { api } = await opened();
  // the reference: each Fragment-Id's pieces, read straight from the file
  const groups = new Map<string, Array<{ k: number; number: number; total: number; body: string }>>();
  lines.forEach((l, k) => {
    const raw = l.replace(/\r$/, '');
    const m = /Fragment-Id="([^"]+)" Fragment-Number="(\d+)" Fragment-Total="(\d+)" Detail="\^M/.exec(raw);
    if (!m) return;
    const body = raw.slice(m.index + m[0].length, raw.endsWith('"') ? -1 : undefined);
    groups.set(m[1]!, [...(groups.get(m[1]!) ?? []), { k, number: Number(m[2]), total: Number(m[3]), body }]);
  });
  assert.ok(groups.size > 0, 'the fixture has fragmented messages');
  let withMissing = 0;
  for (const pieces of groups.values()) {
    const byNumber = pieces.slice().sort((a, b) => a.number - b.number);
    const total = pieces[0]!.total;
    const missing = Array.from({ length: total }, (_, n) => n + 1).filter((n) => !pieces.some((p) => p.number === n));
    if (missing.length) withMissing++;
    const expected = byNumber.map((p) => p.body).join('').split('^M');
    if (expected[expected.length - 1] === '') expected.pop();
    // asked from its last piece in the file (pieces may come out of order)
    const d = await api.lineDetail({ index: pieces[pieces.length - 1]!.k });
    assert.deepEqual(d.reassembled, {
      lines: expected,
      number: pieces[pieces.length - 1]!.number,
      total,
      missing,
      pieces: byNumber.map((p) => ({ number: p.number, index: p.k })),
    });
  }
  // a line that is no piece has none
  const whole = lines.findIndex((l) => l.includes('Detail="^M') && !l.includes('Fragment-Id="'));
  assert.equal((await api.lineDetail({ index: whole })).reassembled, undefined);
  assert.ok(withMissing > 0, "a message with a piece missing is among them (seed 11)");
});

test('messages counts the Message values of a result, most frequent first, lines without one apart', async () => {
  const { api } = await opened();
  // the reference: each line's Message pair read with a regex, counted
  const reference = (pick: (l: string) => boolean, top: number) => {
    const counts = new Map<string, number>();
    // and each one's first and last line's syslog time (lines without one apart)
    const times = new Map<string, number[]>();
    let without = 0, n = 0;
    for (const l of lines) {
      if (!pick(l)) continue;
      n++;
      const m = / Message="((?:[^"\\]|\\.)*)"/.exec(l);
      if (!m) without++;
      else {
        const v = m[1]!.replace(/\\(["\\])/g, '$1');
        counts.set(v, (counts.get(v) ?? 0) + 1);
        const t = Date.parse(l.slice(0, l.indexOf(' ')));
        if (Number.isFinite(t)) times.set(v, [...(times.get(v) ?? []), t]);
      }
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, top);
    const iso = (ts: number[] | undefined, f: (...x: number[]) => number) => (ts?.length ? new Date(f(...ts)).toISOString() : null);
    return { lines: n, without, distinct: counts.size, top: sorted, spans: sorted.map(([v]) => ({ first: iso(times.get(v), Math.min), last: iso(times.get(v), Math.max) })) };
  };
  const all = await api.messages({});
  assert.deepEqual(all, reference(() => true, 12));
  assert.ok(all.without > 0, 'lines without a Message pair (damaged ones) are counted apart');
  const errors = await api.messages({ query: 'level:ERROR', limit: 5 });
  assert.deepEqual(errors, reference((l) => / Level="ERROR" /.test(l), 5));
  assert.ok(errors.lines > 0 && errors.top.length > 0);
});

test("each top message's chip query (message:) finds exactly its count of lines, backslashes and escaped quotes included", async () => {
  // "Inside a value, `"` is written `\"`": a backslash alone is written as it is
  const head = '2026-05-14T09:00:00.000+00:00 pxnode-osl-01 2026-05-14 09:00:00,000 Level="WARNING" Name="support.media"';
  // the last two are spelt apart but read alike (`\\` and a lone `\` are both `\` where a value holds `\"`): one message
  const values = ['Share C:\\media\\clip.mp4 not found', 'Said \\"hi\\" then left', 'Path \\\\srv\\x and \\"q\\"', 'plain', 'x \\\\ y \\"q\\"', 'x \\ y \\"q\\"'];
  const log = join(dir, 'backslashes.log');
  writeFileSync(log, values.flatMap((v, k) => Array.from({ length: k + 1 }, () => `${head} Message="${v}" N="${k}"\n`)).join(''));
  const { api } = await opened([log]);
  const counts = await api.messages({});
  assert.equal(counts.distinct, values.length - 1);
  assert.ok(counts.top.some(([m, n]) => m === 'x \\ y "q"' && n === 5 + 6), JSON.stringify(counts.top));
  for (const [message, n] of counts.top) {
    const page = await api.lines({ offset: 0, limit: 10, query: setField('', 'message', message) });
    assert.equal(page.total, n, message);
    assert.equal(page.rows[0]!.message, message);
  }
  // a lone backslash stays one; the escaped quote's line reads as the field parser reads it
  assert.ok(counts.top.some(([m]) => m === 'Share C:\\media\\clip.mp4 not found'));
  assert.ok(counts.top.some(([m]) => m === 'Said "hi" then left'));
});

test('calls come from the call index, and call: lists exactly the lines tied to that call', async () => {
  const { api, events } = await opened();
  const calls = (await api.calls({})).rows;
  assert.ok(calls.length > 0);
  assert.ok(events.some((e) => e.type === 'indexed' && e.what === 'calls'));
  const c = calls[0]!;
  const page = await api.lines({ offset: 0, limit: 5000, query: `call:${c.id}` });
  assert.ok(page.total > 0);
  for (const r of page.rows.slice(0, 20)) assert.equal((await api.lineDetail({ index: r.index })).callId, c.id);
  const trace = await api.callTrace({ id: c.id });
  assert.equal(trace?.call.id, c.id);
  assert.equal(await api.callTrace({ id: 'no-such-call' }), null);
  assert.equal((await api.lines({ offset: 0, limit: 1, query: 'call:no-such-call' })).total, 0);
});

test('once loaded, the calls are built without a request, after the line index, and answer as built at once', async () => {
  // a bundle opened for the first time (a reopen reads them from the cache: see below)
  const fresh = (await writeBundle(join(dir, 'first-open'), { form: 'plain', seed: 11, calls: 25 })).path;
  const { api, events } = await opened([fresh]);
  // info says what is in: each index when its event has come, not before
  for (let k = 0; k < 500 && !events.some((e) => e.type === 'indexed' && e.what === 'calls'); k++) {
    const before = new Set(events.filter((e) => e.type === 'indexed').map((e) => (e as { what: string }).what));
    const { indexed } = (await api.info())!;
    // an event may come between the two reads: info is at least as far as the events before it
    if (before.has('lines')) assert.ok(indexed.lines);
    if (before.has('calls')) assert.ok(indexed.calls);
    if (!indexed.lines) assert.ok(!indexed.calls, 'the calls come after the line index');
    await new Promise((r) => setTimeout(r, 10));
  }
  // nothing asked: both indexes come in on their own, the line index first
  const order = events.filter((e) => e.type === 'indexed').map((e) => (e as { what: string }).what);
  assert.deepEqual(order, ['lines', 'calls']);
  assert.deepEqual((await api.info())!.indexed, { lines: true, calls: true });
  const session = await openBundle([fresh]);
  const direct = buildCallIndex(session).calls;
  assert.deepEqual((await api.calls({})).rows, direct);
  assert.deepEqual(await api.conferences(), buildCallIndex(session).conferences);
});

test('a call: query and a call request right after loading wait for the calls; a reopen is waited for, a forgotten build cancels its requests', async () => {
  const { api } = await opened();
  const session = await openBundle([plain]);
  const index = buildCallIndex(session);
  const c = index.calls[0]!;
  // asked before the build is done: the answers are those of the finished index
  const [page, calls] = await Promise.all([api.lines({ offset: 0, limit: 5000, query: `call:${c.id}` }), api.calls({ query: c.id })]);
  assert.equal(page.total, index.callLines(c.id)!.length);
  assert.equal(calls.rows[0]!.id, c.id);
  // a request made just before another open answers for the bundle opened last, once it has loaded
  const other = await opened();
  const pending = other.api.calls({});
  const reopened = other.api.open({ paths: [plain] });
  assert.deepEqual((await pending).rows, index.calls);
  assert.equal((await other.api.info())?.loaded, true);
  await reopened;
  // a build forgotten (another bundle opened) while a request waits on it: that request is cancelled
  const forgotten = new Calls();
  const waiting = forgotten.calls(session, {}, () => undefined);
  forgotten.reset();
  await assert.rejects(waiting, (e: RpcError) => e.cancelled === true);
});

test('a reopened bundle has its calls and its call search from the cache, without waiting for the line index', async () => {
  await cacheClear();
  const noop = () => undefined;
  const first = new Calls();
  const s1 = await openBundle([plain]);
  const built = await first.index(s1, noop);
  assert.equal(first.from, 'built');
  const meet1 = (await first.calls(s1, { query: 'meet alice' }, noop)).rows;
  await first.saved;
  const second = new Calls();
  const s2 = await openBundle([plain]);
  // on a miss the build would wait for this forever: the cache must answer
  const never = new Promise<void>(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const index = await Promise.race([second.start(s2, noop, never).calls, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the calls did not come from the cache')), 20_000)))]);
  clearTimeout(timer);
  assert.equal(second.from, 'cache');
  assert.deepEqual(index.calls, built.calls);
  assert.deepEqual((await second.calls(s2, { query: 'meet alice' }, noop)).rows, meet1);
  for (const c of built.calls) assert.deepEqual(index.trace(c.id), built.trace(c.id));
});

test('the call search is the entity search: as `pexlens calls --query` answers, words match where tokens start, all required', async () => {
  const { api } = await opened();
  const all = (await api.calls({})).rows;
  const entities = buildEntityIndex(all);
  const ids = (cs: Array<{ id: string }>) => cs.map((c) => c.id);
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && !c.failed)!;
  const user = sip.from.replace(/^sips?:/, '').split('@')[0]!;
  const node = all.find((c) => c.id === sip.id)!.signalingNode!;
  const queries = [user, user.slice(0, 3), node, `${user} ${node}`, sip.id];
  for (const q of queries) {
    const found = (await api.calls({ query: q })).rows;
    assert.deepEqual(ids(found), ids(entities.search(q)), `'${q}' as the entity index answers it`);
    assert.ok(found.length > 0 && found.length < all.length, `'${q}' finds some calls`);
  }
  // a word matches where a token starts, not inside one (a plain substring filter would find it)
  const inside = user.slice(1);
  const summary = all.find((c) => c.id === sip.id)!;
  assert.ok(JSON.stringify(summary).includes(inside));
  assert.ok(!ids((await api.calls({ query: inside })).rows).includes(sip.id), `'${inside}' is inside a word of the call, not its start`);
  assert.equal((await api.calls({ query: sip.id })).rows[0]!.id, sip.id, 'a call id finds its call first');
  assert.deepEqual((await api.calls({ query: `${user} no-such-word-zzz` })).rows, [], 'every word must match');
});

test('the call list is paged by the engine: filters, sorts, the summary strip and a conference, page by page', async () => {
  const { api } = await opened();
  const all = (await api.calls({})).rows;
  const ids = (cs: Array<{ id: string }>) => cs.map((c) => c.id);
  /** A view read 7 calls at a time, as the UI pages it; every page agrees on the total and the strip. */
  async function paged(req: Parameters<typeof api.calls>[0]) {
    const first = await api.calls({ ...req, offset: 0, limit: 7 });
    const rows = [...first.rows];
    for (let off = 7; off < first.total; off += 7) {
      const page = await api.calls({ ...req, offset: off, limit: 7 });
      assert.equal(page.offset, off);
      assert.equal(page.total, first.total);
      assert.deepEqual(page.stats, first.stats);
      rows.push(...page.rows);
    }
    assert.equal(rows.length, first.total);
    assert.deepEqual((await api.calls({ ...req, offset: first.total, limit: 7 })).rows, [], 'past the end: no rows');
    assert.deepEqual(rows, (await api.calls(req)).rows, 'the pages make the whole view');
    return { rows, stats: first.stats };
  }
  // the whole list: list order, and the strip counts what the generator made
  const list = await paged({});
  assert.deepEqual(ids(list.rows), ids(all));
  assert.equal(list.stats.total, all.length);
  assert.equal(list.stats.failed, truth.calls.filter((c) => c.failed).length);
  assert.equal(list.stats.perProtocol.reduce((a, [, n]) => a + n, 0), all.length);
  // result and protocol filters leave exactly the calls that pass; the strip still counts them all
  const failed = await paged({ result: 'failed' });
  assert.deepEqual(ids(failed.rows), ids(all.filter((c) => c.failed)));
  assert.deepEqual(failed.stats, list.stats);
  assert.deepEqual(ids((await paged({ protocol: 'H323' })).rows), ids(all.filter((c) => c.protocol === 'H323')));
  // the node most calls were signaled on
  const perNode = new Map<string, number>();
  for (const c of all) if (c.signalingNode) perNode.set(c.signalingNode, (perNode.get(c.signalingNode) ?? 0) + 1);
  const node = [...perNode].sort((a, b) => b[1] - a[1])[0]![0];
  // the quick filter: every word, anywhere in the summary, whatever its case
  const one = truth.calls[3]!;
  const byId = await paged({ filter: one.id.slice(0, 12).toUpperCase() });
  assert.ok(ids(byId.rows).includes(one.id));
  for (const c of byId.rows) assert.ok(JSON.stringify(c).toLowerCase().includes(one.id.slice(0, 12).toLowerCase()));
  const onNode = all.find((c) => c.signalingNode === node)!;
  const two = await paged({ filter: `${node} ${onNode.id.slice(0, 8)}` });
  assert.ok(ids(two.rows).includes(onNode.id), 'two words, both in the call');
  for (const c of two.rows) assert.ok([node, onNode.id.slice(0, 8)].every((w) => JSON.stringify(c).toLowerCase().includes(w.toLowerCase())));
  // sorts: longest first with the unknown durations last; by start ascending
  const byDur = (await paged({ sort: 'duration', desc: true })).rows;
  assert.equal(byDur.length, all.length);
  const known = byDur.filter((c) => c.durationMs !== null);
  assert.deepEqual(byDur.slice(0, known.length), known, 'durations first, the unknown ones last');
  for (let k = 1; k < known.length; k++) assert.ok(known[k - 1]!.durationMs! >= known[k]!.durationMs!);
  const byStart = (await paged({ sort: 'start' })).rows;
  for (let k = 1; k < byStart.length; k++) assert.ok(Date.parse(byStart[k - 1]!.start!) <= Date.parse(byStart[k]!.start!));
  // a search keeps its ranking until sorted, and its strip counts what it found
  const found = await paged({ query: node });
  assert.deepEqual(ids(found.rows), ids(buildEntityIndex(all).search(node)));
  assert.equal(found.stats.total, found.rows.length);
  const foundByStart = (await paged({ query: node, sort: 'start' })).rows;
  assert.deepEqual(ids(foundByStart).sort(), ids(found.rows).sort(), 'the same calls');
  for (let k = 1; k < foundByStart.length; k++) assert.ok(Date.parse(foundByStart[k - 1]!.start!) <= Date.parse(foundByStart[k]!.start!), 'in start order');
  assert.ok(found.rows.length > 1 && found.rows.length < all.length, `'${node}' finds some calls: ${found.rows.length} of ${all.length}`);
  // a conference: the calls with its Conference-ID, as the conference view shows them
  const conf = (await api.conferences()).find((c) => c.id && all.some((x) => x.conferenceId === c.id))!;
  const members = await paged({ conference: conf.id });
  const expected = all.filter((c) => c.conferenceId === conf.id || c.ids.some((x) => conf.calls.includes(x)) || conf.calls.includes(c.id));
  assert.deepEqual(ids(members.rows), ids(expected));
  assert.equal(members.stats.total, expected.length);
  // by its name: the calls of every instance of it (an instance per node; held again later), and
  // those the log names so without an id
  const confs = await api.conferences();
  const inName = (name: string) => {
    const instances = confs.filter((c) => c.name === name);
    return all.filter((c) => c.conference === name || instances.some((i) => i.calls.includes(c.id) || c.ids.some((x) => i.calls.includes(x))));
  };
  assert.deepEqual(ids((await api.calls({ conference: conf.name ?? conf.id })).rows), ids(inName(conf.name ?? conf.id)), 'by its name');
});

test('a conference asked for by its name holds the calls of all its instances (Conference-IDs)', async () => {
  // this seed holds conference names in two instances each
  const b = await writeBundle(join(dir, 'instances'), { form: 'tgz', seed: 4, calls: 30 });
  const instancesOf = new Map<string, Set<string>>();
  for (const c of b.truth.calls) if (c.conference && c.conferenceId) instancesOf.set(c.conference, (instancesOf.get(c.conference) ?? new Set()).add(c.conferenceId));
  const spread = [...instancesOf].filter(([, s]) => s.size > 1);
  assert.ok(spread.length > 0, 'the generator holds a conference name in two instances');
  const { api } = await opened([b.path]);
  for (const [name, instances] of spread) {
    const shown = (await api.calls({ conference: name })).rows.map((c) => c.id).sort();
    assert.deepEqual(shown, b.truth.calls.filter((c) => c.conference === name).map((c) => c.id).sort(), name);
    for (const id of instances) {
      const one = (await api.calls({ conference: id })).rows.map((c) => c.id).sort();
      assert.deepEqual(one, b.truth.calls.filter((c) => c.conferenceId === id).map((c) => c.id).sort(), `${name}: instance ${id}`);
    }
  }
});

test('cancelling a load right away stops it and says so', async () => {
  const events: ApiEvent[] = [];
  const api = new EngineApi((e) => events.push(e));
  const opening = api.open({ paths: [plain] });
  await api.cancelLoad();
  await assert.rejects(opening, (e: unknown) => e instanceof RpcError && e.cancelled);
  const err = events.find((e) => e.type === 'error');
  assert.ok(err && err.type === 'error' && err.cancelled);
  assert.equal((await api.info())?.loaded, false);
  assert.ok(!events.some((e) => e.type === 'loaded'));
});

test('cancelling part way keeps the lines read so far browsable', async () => {
  const b = await writeBundle(join(dir, 'folder'), { form: 'folder', seed: 12, calls: 20, rotations: 2 });
  const events: ApiEvent[] = [];
  let api: EngineApi;
  // cancel as soon as the first file is in (progress is forced at each file's end)
  api = new EngineApi((e) => {
    events.push(e);
    if (e.type === 'progress' && e.progress.lines > 0) void api.cancelLoad();
  });
  await assert.rejects(api.open({ paths: [b.path] }), (e: unknown) => e instanceof RpcError && e.cancelled);
  const info = (await api.info())!;
  assert.equal(info.loaded, false);
  assert.ok(info.lines > 0 && info.lines < b.truth.lines + 60, `${info.lines} lines kept`);
  const page = await api.lines({ offset: 0, limit: 3 });
  assert.equal(page.total, info.lines);
  assert.equal(page.rows.length, Math.min(3, info.lines));
  const err = events.find((e) => e.type === 'error');
  assert.ok(err && err.type === 'error' && err.cancelled && err.message.includes(`${info.lines} lines`));
});

test('an encrypted snapshot asks for its password, then opens with it', async () => {
  const b = await writeBundle(join(dir, 'enc'), { form: 'encrypted', seed: 5, calls: 3, password: 's3cret' });
  const events: ApiEvent[] = [];
  const api = new EngineApi((e) => events.push(e));
  await assert.rejects(api.open({ paths: [b.path] }), (e: unknown) => e instanceof RpcError && e.needsPassword);
  const err = events.find((e) => e.type === 'error');
  assert.ok(err && err.type === 'error' && err.needsPassword && err.paths?.[0] === b.path);
  assert.equal(await api.info(), null);
  await assert.rejects(api.open({ paths: [b.path], password: 'wrong' }), /wrong password/);
  const info = await api.open({ paths: [b.path], password: 's3cret' });
  assert.ok(info.lines >= b.truth.lines);
});

test('raw export of everything is the input byte for byte; text export expands payloads', async () => {
  const { api } = await opened();
  const out = join(dir, 'all.log');
  const r = await api.exportTo({ format: 'raw', path: out });
  assert.ok(readFileSync(out).equals(readFileSync(plain)));
  assert.equal(r.bytes, readFileSync(plain).length);
  const sel = join(dir, 'sel.txt');
  const k = lines.findIndex((l) => l.includes('Detail="^M'));
  await api.exportTo({ format: 'text', indexes: [k], path: sel });
  const text = readFileSync(sel, 'utf8');
  const payload = (await api.lineDetail({ index: k })).payload!;
  assert.ok(!text.includes('^M'));
  for (const l of payload.lines.filter((l) => l.trim())) assert.ok(text.includes(l), `payload line ${l} in the text export`);
  await assert.rejects(api.exportTo({ format: 'raw', path: plain }), /would overwrite the input/);
});

test('copyLines gives the lines whole in the order asked, at most COPY_MAX_LINES of them, and names a line that is not there', async () => {
  const { api, info } = await opened();
  const order = [7, 2, info.lines - 1];
  const r = await api.copyLines({ indexes: order });
  // one file in time order: view index = file line - 1 (the first test checks that)
  assert.deepEqual(r, { text: order.map((p) => lines[p] + '\n').join(''), lines: 3 });
  await assert.rejects(api.copyLines({ indexes: [1, info.lines] }), new RegExp(`no line at position ${info.lines} \\(the bundle has ${info.lines} lines\\)`));
  // a larger pick: the first COPY_MAX_LINES (the file has fewer lines: positions repeat)
  const many = Array.from({ length: COPY_MAX_LINES + 5 }, (_, k) => k % info.lines);
  const big = await api.copyLines({ indexes: many });
  assert.equal(big.lines, COPY_MAX_LINES);
  assert.equal(big.text, many.slice(0, COPY_MAX_LINES).map((p) => lines[p] + '\n').join(''));
});

test('overview: each file with its lines and first and last times, a missing rotation as a gap between them, counts over every line', async () => {
  const { gunzipSync } = await import('node:zlib');
  const { rmSync: rm, readdirSync } = await import('node:fs');
  const b = await writeBundle(join(dir, 'overview'), { form: 'folder', seed: 43, calls: 80, rotations: 3 });
  rm(join(b.path, 'unified_support.log.2.gz'));
  const { api } = await opened([b.path]);
  const o = await api.overview();
  const onDisk = (name: string) => {
    const raw = readFileSync(join(b.path, name));
    const l = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n');
    if (l.at(-1) === '') l.pop();
    return l;
  };
  const iso = (line: string) => new Date(Date.parse(line.slice(0, line.indexOf(' ')))).toISOString();
  const files = o.sources.flatMap((s) => s.streams.flatMap((st) => st.files));
  assert.deepEqual(files.map((f) => f.file.slice(b.path.length + 1)).sort(), readdirSync(b.path).sort());
  for (const f of files) {
    const l = onDisk(f.file.slice(b.path.length + 1));
    assert.equal(f.lines, l.length, `${f.file}: lines`);
    // the generator's lines all carry a time, the first and last too
    assert.equal(f.from, iso(l[0]!), `${f.file}: first time`);
    assert.equal(f.to, iso(l.at(-1)!), `${f.file}: last time`);
  }
  assert.deepEqual(o.gaps, [{ stream: 'unified_support.log', missing: [join(b.path, 'unified_support.log.2')], from: iso(onDisk('unified_support.log.3.gz').at(-1)!), to: iso(onDisk('unified_support.log.1')[0]!) }]);
  const all = readdirSync(b.path).flatMap(onDisk);
  assert.equal(Object.values(o.facets.level).reduce((x, y) => x + y, 0), all.length);
  assert.equal(o.facets.level.ERROR ?? 0, all.filter((l) => /^\S+ \S+ \S+ \S+ Level="ERROR"/.test(l)).length);
  // errors and warnings per node: the syslog host of each such line
  const per = new Map<string, { errors: number; warnings: number }>();
  for (const l of all) {
    const m = /^\S+ (\S+) \S+ \S+ Level="(ERROR|WARNING)"/.exec(l);
    if (!m) continue;
    const p = per.get(m[1]!) ?? { errors: 0, warnings: 0 };
    per.set(m[1]!, m[2] === 'ERROR' ? { ...p, errors: p.errors + 1 } : { ...p, warnings: p.warnings + 1 });
  }
  assert.ok(per.size > 1);
  for (const [node, lv] of Object.entries(o.nodeLevels)) assert.deepEqual(lv, per.get(node) ?? { errors: 0, warnings: 0 }, `${node}: errors and warnings`);
});
