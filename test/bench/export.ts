/**
 * Export speed on the 200 MB log (and the 1 GB one when given): raw export of everything to a
 * file, text export, redacted raw export, and one call's HTML report, with peak RSS growth
 * during the raw export (it must stream, not hold the output).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { exportCalls, exportLines } from '../../electron/engine/export/index.ts';
import type { ExportOptions } from '../../electron/engine/export/index.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { baselineMBps } from './run.ts';
import type { BenchContext } from './run.ts';


async function toFile(file: string, fn: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<void> {
  const out = createWriteStream(file);
  await fn(out);
  await new Promise<void>((r) => out.end(r));
}

export async function bench(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-bench-export-'));
  try {
    for (const [label, log] of ctx.logs) {
      const base = baselineMBps(log);
      const session = await openBundle([log]);
      const store = session.store;
      const all = new Uint32Array(store.count);
      for (let p = 0; p < store.count; p++) all[p] = store.at(p);
      const mb = statSync(log).size / 1e6;
      const run = async (name: string, opts: ExportOptions) => {
        const file = join(dir, `${label}-${name}.out`);
        let peak = process.memoryUsage().rss;
        const rss0 = peak;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
        const t = performance.now();
        await toFile(file, (out) => exportLines(session, all, out, opts));
        const s = (performance.now() - t) / 1000;
        clearInterval(timer);
        ctx.report(`export ${name} ${label}`, mb / s, 'MB/s', base);
        if (name === 'raw') ctx.report(`export raw ${label} RSS growth`, (peak - rss0) / 1e6, 'MB');
        rmSync(file, { force: true });
      };
      await run('raw', { format: 'raw' });
      await run('text', { format: 'text' });
      await run('raw redacted', { format: 'raw', redact: true });
      if (label === '200MB') {
        const index = buildCallIndex(session);
        const big = index.calls.slice().sort((a, b) => sum(b.counts) - sum(a.counts))[0];
        if (big) {
          const trace = index.trace(big.id)!;
          const t = performance.now();
          await toFile(join(dir, 'report.html'), (out) => exportCalls(session, [trace], out, { format: 'html', redact: true }));
          ctx.report(`export html report (redacted, ${trace.messages.length} msgs)`, performance.now() - t, 'ms');
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
