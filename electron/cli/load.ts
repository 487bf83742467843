/** Opening bundles for CLI commands: password sources, progress on a terminal, warnings. */
import { readFileSync } from 'node:fs';
import { openBundle } from '../engine/session.js';
import type { OpenBundleOptions, Session } from '../engine/session.js';

export interface BundleOptions {
  passwordFile?: string;
  quiet?: boolean;
  /** Commands with `--no-cache`: read and write the persistent caches (the line tables here). */
  cache?: boolean;
}

export function passwordFrom(opts: BundleOptions): string | undefined {
  if (opts.passwordFile) {
    try {
      return readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new Error(`${opts.passwordFile}: cannot read password file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return process.env.PEXLENS_PASSWORD;
}

export async function loadBundle(paths: string[], opts: BundleOptions): Promise<Session> {
  return openBundle(paths, openOptions(opts));
}

/** How CLI commands open bundles: password, warnings and progress on stderr. */
export function openOptions(opts: BundleOptions): OpenBundleOptions {
  const tty = process.stderr.isTTY && !opts.quiet;
  return {
    password: passwordFrom(opts),
    tableCache: opts.cache === true,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    onProgress: tty
      ? (p) => {
          const pct = p.diskTotal ? Math.floor((100 * p.diskBytes) / p.diskTotal) : 0;
          process.stderr.write(`\rloading ${pct}%  ${(p.bytes / 1e6).toFixed(0)} MB  ${p.lines} lines${p.done ? '\n' : ''}`);
        }
      : undefined,
  };
}
