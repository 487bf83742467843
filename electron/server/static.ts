/** Serving the built renderer (dist/renderer) read-only, with no way out of its folder. */
import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The checkout's root, from dist/electron/server or electron/server alike. */
function projectRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes(`${sep}dist${sep}electron${sep}`) ? resolve(here, '../../..') : resolve(here, '../..');
}

/**
 * dist/renderer of this checkout, or `PEXLENS_RENDERER_DIR`: the end-to-end tests serve a build of
 * their own that nothing rewrites while they run (several people test in one checkout).
 */
export function defaultRendererDir(): string {
  return process.env.PEXLENS_RENDERER_DIR || join(projectRoot(), 'dist', 'renderer');
}

/** The app icon, served as the favicon when the renderer brings none. */
const ICON = join(projectRoot(), 'resources', 'icon.png');

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>pexlens</title></head>
<body style="font: 14px system-ui, sans-serif; margin: 3em">
<h1>pexlens</h1><p>The user interface is not built in this checkout. Run <code>npm run build:renderer</code>
and reload this page; the API is already being served.</p></body></html>`;

export async function serveStatic(dir: string, pathname: string, res: ServerResponse, head: boolean): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const root = resolve(dir);
  const file = resolve(root, '.' + rel);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(404).end();
    return;
  }
  const st = await fsp.stat(file).catch(() => null);
  if (!st || !st.isFile()) {
    if (rel === '/favicon.ico' && existsSync(ICON)) {
      res.writeHead(200, { 'Content-Type': TYPES['.png']!, 'Cache-Control': 'public, max-age=86400' });
      if (head) res.end();
      else createReadStream(ICON).pipe(res);
      return;
    }
    if (rel === '/index.html') {
      res.writeHead(200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' }).end(head ? undefined : NOT_BUILT);
      return;
    }
    res.writeHead(404, { 'Content-Type': TYPES['.txt']! }).end(head ? undefined : 'not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
    // hashed asset names can be cached; index.html names them and must not be
    'Cache-Control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
