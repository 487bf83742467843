/**
 * Browser mode: the same UI and API as the desktop app, over HTTP and a WebSocket on
 * 127.0.0.1 only. Every API call and the event socket need the random session token printed
 * in the URL, so other local users cannot read the bundle. Engine work runs in the worker.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ApiEvent, ExportRequest } from '../api.js';
import { EXPORT_FORMATS, isExportFormat } from '../shared/export-formats.js';
import { EngineClient } from '../engine/worker/client.js';
import { isApiMethod, RpcError } from '../engine/worker/rpc.js';
import { hostAllowed, newToken, originAllowed, setSecurityHeaders, tokenMatches, tokenOf } from './security.js';
import { defaultRendererDir, serveStatic } from './static.js';

export interface ServerOptions {
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** Where the built renderer is (default: dist/renderer of this checkout). */
  rendererDir?: string;
  /** A fixed token (tests); default: 24 random bytes. */
  token?: string;
}

export interface PexlensServer {
  /** `http://127.0.0.1:PORT/?token=TOKEN#/lines`: the address to open. */
  url: string;
  port: number;
  token: string;
  engine: EngineClient;
  close(): Promise<void>;
}

/** Largest API request body: requests are small JSON objects. */
const MAX_BODY = 1 << 20;

export async function startServer(opts: ServerOptions = {}): Promise<PexlensServer> {
  const token = opts.token ?? newToken();
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const engine = new EngineClient();
  const exportDir = mkdtempSync(join(tmpdir(), 'pexlens-export-'));
  const exports = new Map<string, { path: string; name: string }>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostAllowed(req, port)) {
      json(res, 421, { error: 'wrong Host: use http://127.0.0.1:' + port });
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      if (!tokenMatches(tokenOf(req, url), token)) {
        json(res, 401, { error: 'missing or wrong session token (open the URL pexlens printed)' });
        return;
      }
      const exportId = /^\/api\/export\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
      if (exportId && (req.method === 'GET' || req.method === 'HEAD')) return download(exportId, res, req.method === 'HEAD');
      const method = url.pathname.slice('/api/'.length);
      if (!isApiMethod(method)) {
        json(res, 404, { error: `unknown method '${method}'` });
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        json(res, 405, { error: 'use POST' });
        return;
      }
      let arg: unknown;
      try {
        const body = await readBody(req);
        arg = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch (e) {
        json(res, 400, { error: `bad request body (${(e as Error).message})` });
        return;
      }
      try {
        if (method === 'exportTo') json(res, 200, (await exportForDownload(arg as ExportRequest & { path?: string })) ?? null);
        else jsonText(res, 200, await engine.callJson(method, arg));
      } catch (e) {
        const err = e instanceof RpcError ? e : null;
        const body: Record<string, unknown> = { error: (e as Error).message };
        if (err?.needsPassword) body.needsPassword = true;
        if (err?.cancelled) body.cancelled = true;
        json(res, err?.user ? 400 : 500, body);
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      json(res, 405, { error: 'method not allowed' });
      return;
    }
    await serveStatic(rendererDir, url.pathname, res, req.method === 'HEAD');
  }

  /** A browser cannot pick a save path: the export goes to a temporary file served once asked for. */
  async function exportForDownload(req: ExportRequest & { path?: string }) {
    if (req && typeof req === 'object' && req.path) throw new RpcError({ message: 'export: browser mode downloads exports; do not give a path', user: true });
    const id = randomBytes(12).toString('base64url');
    const what = req?.calls?.length === 1 ? `pexlens-call-${String(req.calls[0]).replace(/[^\w.-]+/g, '_').slice(0, 48)}` : req?.callList ? 'pexlens-calls' : 'pexlens-export';
    const name = `${what}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.${isExportFormat(req?.format) ? EXPORT_FORMATS[req.format].ext : 'out'}`;
    const path = join(exportDir, `${id}-${name}`);
    const r = await engine.api.exportTo({ ...req, path });
    if (!r.path) return { path: null, url: null, bytes: 0 }; // cancelled
    exports.set(id, { path, name });
    return { path: null, url: `/api/export/${id}`, bytes: r.bytes };
  }

  async function download(id: string, res: ServerResponse, head: boolean): Promise<void> {
    const e = exports.get(id);
    const st = e ? await fsp.stat(e.path).catch(() => null) : null;
    if (!e || !st) {
      json(res, 404, { error: 'no such export (it may have been made by an earlier session)' });
      return;
    }
    res.writeHead(200, {
      'Content-Type': Object.values(EXPORT_FORMATS).find((f) => e.name.endsWith(`.${f.ext}`))?.mime ?? 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Disposition': `attachment; filename="${basename(e.name)}"`,
    });
    if (head) res.end();
    else createReadStream(e.path).pipe(res);
  }

  // events: one JSON ApiEvent per WebSocket message
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(req, port) || !originAllowed(req, port)) return refuse('403 Forbidden');
    if (url.pathname !== '/events') return refuse('404 Not Found');
    if (!tokenMatches(tokenOf(req, url), token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // the UI may connect after the load finished or failed: tell it where things stand
      if (engine.lastState) ws.send(JSON.stringify(engine.lastState));
    });
  });
  engine.onEvent((e: ApiEvent) => {
    const data = JSON.stringify(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (e: NodeJS.ErrnoException) => {
    await engine.close();
    rmSync(exportDir, { recursive: true, force: true });
    throw new Error(e.code === 'EADDRINUSE' ? `port ${opts.port} is in use; choose another with --port or leave it out for a free one` : `cannot listen on 127.0.0.1:${opts.port ?? 0} (${e.message})`);
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}#/lines`,
    port,
    token,
    engine,
    close() {
      closing ??= (async () => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await engine.close();
        rmSync(exportDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  jsonText(res, status, JSON.stringify(value));
}

function jsonText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const piece of req) {
    size += (piece as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    parts.push(piece as Buffer);
  }
  return Buffer.concat(parts);
}
