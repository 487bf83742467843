// Browser mode: the HTTP/WebSocket server over the engine worker, on a generated bundle.
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { startServer } from '../../electron/server/server.js';
import type { PexlensServer } from '../../electron/server/server.js';
import { CSP } from '../../electron/server/security.js';
import type { ApiEvent, BundleInfo, LineDetail, LinePage } from '../../electron/api.js';
import { writeBundle } from '../generator/index.js';

let dir: string;
let bundle: string;
let lines: string[];
let server: PexlensServer;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pexlens-server-'));
  const b = await writeBundle(join(dir, 'in'), { form: 'plain', seed: 21, calls: 12 });
  bundle = b.path;
  lines = readFileSync(bundle, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // a stand-in renderer build, so static serving is tested without building the UI
  const ui = join(dir, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  server = await startServer({ rendererDir: ui });
  base = `http://127.0.0.1:${server.port}`;
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api<T>(method: string, arg: unknown, token: string | null = server.token): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token !== null ? { 'X-Pexlens-Token': token } : {}) },
    body: JSON.stringify(arg),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

/** A raw request with a chosen Host header (fetch does not allow setting it). */
function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the printed URL is loopback, carries the token in the query and the route in the hash', () => {
  const u = new URL(server.url);
  assert.equal(u.hostname, '127.0.0.1');
  assert.equal(u.searchParams.get('token'), server.token);
  assert.equal(u.hash, '#/lines');
  assert.ok(server.token.length >= 32);
});

test('API calls without the right token get 401', async () => {
  assert.equal((await api('info', {}, null)).status, 401);
  assert.equal((await api('info', {}, 'x'.repeat(server.token.length))).status, 401);
  assert.equal((await api('info', {}, '')).status, 401);
  const ok = await fetch(`${base}/api/info?token=${encodeURIComponent(server.token)}`, { method: 'POST', body: '{}' });
  assert.equal(ok.status, 200);
});

test('listens on 127.0.0.1 only', async () => {
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  for (const addr of others) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: addr, port: server.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    assert.ok(refused, `reachable on ${addr}`);
  }
  // and a page reached under another host name (DNS rebinding) is refused
  assert.equal(await rawGet('/', `evil.example:${server.port}`), 421);
  assert.equal(await rawGet('/', `127.0.0.1:${server.port}`), 200);
});

test('static files carry the strict CSP and stay inside the renderer folder', async () => {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.match(CSP, /script-src 'self';/);
  assert.match(CSP, /connect-src 'self' ws:\/\/127\.0\.0\.1:\*/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await res.text(), /<title>ui<\/title>/);
  const js = await fetch(`${base}/assets/app.js`);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await fetch(`${base}/%2e%2e/secret.txt`)).status, 404);
  assert.equal((await fetch(`${base}/..%2fsecret.txt`)).status, 404);
  const apiRes = await api('info', {}, null);
  assert.equal(apiRes.headers.get('content-security-policy'), CSP);
});

test('round trip: open → lines → lineDetail, over HTTP and the worker', async () => {
  const opened = await api<BundleInfo>('open', { paths: [bundle] });
  assert.equal(opened.status, 200);
  assert.equal(opened.body.lines, lines.length);
  const page = await api<LinePage>('lines', { offset: 10, limit: 20 });
  assert.equal(page.status, 200);
  assert.equal(page.body.total, lines.length);
  assert.deepEqual(
    page.body.rows.map((r) => r.text),
    lines.slice(10, 30).map((l) => l.replace(/\r$/, '').slice(0, 4096)),
  );
  const k = lines.findIndex((l) => l.includes('Detail="^M'));
  const detail = await api<LineDetail>('lineDetail', { index: k });
  assert.equal(detail.status, 200);
  assert.equal(detail.body.text, lines[k]!.replace(/\r$/, ''));
  assert.equal(detail.body.payload?.key, 'Detail');
  assert.ok(detail.body.payload!.lines.length > 1);
  const filtered = await api<LinePage>('lines', { offset: 0, limit: 5, query: 'level:WARNING' });
  assert.equal(filtered.body.total, lines.filter((l) => / Level="WARNING" /.test(l)).length);
});

test('errors: bad query 400, unknown method 404, GET 405, bad JSON 400, missing file 400', async () => {
  assert.equal((await api('lines', { offset: 0, limit: 1, query: 'level:LOUD' })).status, 400);
  assert.equal((await api('nope', {})).status, 404);
  assert.equal((await fetch(`${base}/api/info?token=${server.token}`)).status, 405);
  const bad = await fetch(`${base}/api/info`, { method: 'POST', headers: { 'X-Pexlens-Token': server.token }, body: '{' });
  assert.equal(bad.status, 400);
  const missing = await api<{ error: string }>('open', { paths: [join(dir, 'missing.log')] });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error, /missing\.log/);
  // the server is still serving the earlier bundle's API afterwards
  const again = await api<BundleInfo>('open', { paths: [bundle] });
  assert.equal(again.status, 200);
});

test('the event socket needs the token and replays the latest state', async () => {
  await api('open', { paths: [bundle] });
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.on('open', () => resolve(200));
    ws.on('error', () => undefined);
  });
  assert.equal(refused, 401);
  const foreign = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, { origin: 'http://evil.example' });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.on('open', () => resolve(200));
    ws.on('error', () => undefined);
  });
  assert.equal(foreign, 403);
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
  const first = await new Promise<ApiEvent>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as ApiEvent));
    ws.once('error', reject);
  });
  assert.equal(first.type, 'loaded');
  // live events arrive too: opening again sends progress and loaded
  const seen: string[] = [];
  const loaded = new Promise<void>((resolve) => ws.on('message', (d) => (seen.push((JSON.parse(String(d)) as ApiEvent).type), seen.includes('loaded') && resolve())));
  await api('open', { paths: [bundle] });
  await loaded;
  ws.close();
});

test('browser-mode export: a download URL that needs the token and returns the file', async () => {
  await api('open', { paths: [bundle] });
  const r = await api<{ path: string | null; url: string; bytes: number }>('exportTo', { format: 'raw' });
  assert.equal(r.status, 200);
  assert.equal(r.body.path, null);
  assert.match(r.body.url, /^\/api\/export\/[A-Za-z0-9_-]+$/);
  assert.equal((await fetch(`${base}${r.body.url}`)).status, 401);
  const dl = await fetch(`${base}${r.body.url}?token=${encodeURIComponent(server.token)}`);
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition') ?? '', /^attachment; filename="pexlens-export-.*\.log"$/);
  assert.ok(Buffer.from(await dl.arrayBuffer()).equals(readFileSync(bundle)));
  assert.equal((await api('exportTo', { format: 'raw', path: join(dir, 'x.log') })).status, 400);
  // a call's ladder picture: an .svg of its media type; two calls' is refused
  const calls = (await api<{ rows: Array<{ id: string }> }>('calls', { limit: 2 })).body.rows;
  const pic = await api<{ url: string }>('exportTo', { format: 'svg', calls: [calls[0]!.id] });
  const got = await fetch(`${base}${pic.body.url}?token=${encodeURIComponent(server.token)}`);
  assert.equal(got.headers.get('content-type'), 'image/svg+xml');
  assert.match(got.headers.get('content-disposition') ?? '', /^attachment; filename="pexlens-call-.*\.svg"$/);
  assert.ok((await got.text()).startsWith('<?xml'));
  const two = await api<{ error: string }>('exportTo', { format: 'svg', calls: calls.map((c) => c.id) });
  assert.equal(two.status, 400);
  assert.match(two.body.error, /an SVG picture is one call's ladder, not 2 calls/);
});
