/** `pexlens serve <path...>`: browser mode — the app's UI and API on 127.0.0.1, behind a token. */
import type { Command } from 'commander';
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { passwordFrom } from '../load.js';
import { startServer } from '../../server/server.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('browse a bundle in a web browser: serves the app on 127.0.0.1 and prints its URL')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: '${v}' is not a port number`);
      return n;
    })
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD; else the page asks)')
    .action(async (paths: string[], opts: { port?: number; passwordFile?: string }) => {
      if (paths.some((p) => !p.trim())) throw new Error('an empty path was given');
      const abs = paths.map((p) => resolve(p));
      for (const p of abs) {
        await fsp.stat(p).catch((e: NodeJS.ErrnoException) => {
          throw new Error(`${p}: cannot read (${e.code ?? e.message})`);
        });
      }
      const password = passwordFrom(opts);
      const server = await startServer({ port: opts.port });
      process.stdout.write(`pexlens is serving ${abs.length === 1 ? abs[0] : `${abs.length} paths`} at\n  ${server.url}\nopen it in a browser (the token in it is the key; keep it private). Ctrl+C stops.\n`);
      server.engine.onEvent((e) => {
        if (e.type === 'error' && !e.needsPassword && !e.cancelled) process.stderr.write(`pexlens: ${e.message}\n`);
        if (e.type === 'loaded') process.stderr.write(`loaded ${e.info.lines} lines\n`);
      });
      // load in the background: the page shows progress and asks for a password when needed
      server.engine.api.open({ paths: abs, password }).catch(() => undefined);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
