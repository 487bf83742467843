/**
 * Ladder layout speed (electron/shared/ladder-layout.ts): laying out a call of 20 000 and
 * 200 000 messages (a real generated trace repeated, one message every 50 ms) and finding the
 * rows of one screen, as the call view does on every scroll frame; and reading the same messages'
 * SDP offers and answers and session timer, which the call view does once per call (against the
 * layout, in the same run). The log files of the context are not needed: a small generated log
 * gives the messages.
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../generator/index.ts';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { layoutLadder, visibleRows } from '../../electron/shared/ladder-layout.ts';
import { negotiations } from '../../electron/shared/sdp.ts';
import { sessionTimer } from '../../electron/shared/session-timer.ts';
import type { TraceMessage } from '../../electron/api.ts';
import type { BenchContext } from './run.ts';

export async function bench(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-bench-ladder-'));
  try {
    const file = join(dir, 'unified_support.log');
    writeFileSync(file, generateLog({ seed: 5, calls: 20 }).text);
    const index = buildCallIndex(await openBundle([file]));
    const longest = index.calls.reduce((a, b) => (b.counts.sip + b.counts.h245 + b.counts.bfcp > a.counts.sip + a.counts.h245 + a.counts.bfcp ? b : a));
    const trace = index.trace(longest.id)!;
    // (the SDP is read from the SIP call with most SIP messages)
    const sip = index.trace(index.calls.filter((c) => c.protocol === 'SIP').reduce((a, b) => (b.counts.sip > a.counts.sip ? b : a)).id)!;
    const t0 = Date.parse(trace.messages[0]!.time);
    const repeat = (from: TraceMessage[], n: number) => {
      const many: TraceMessage[] = [];
      for (let k = 0; k < n; k++) many.push({ ...from[k % from.length]!, time: new Date(t0 + k * 50 + (k % 997 === 0 ? 60_000 : 0)).toISOString() });
      return many;
    };
    for (const n of [20_000, 200_000]) {
      const many = repeat(trace.messages, n);
      let t = performance.now();
      const layout = layoutLadder(many, trace.call);
      const laidOut = performance.now() - t;
      ctx.report(`ladder layout, ${n / 1000}k messages`, laidOut, 'ms');
      const sipMany = repeat(sip.messages, n);
      t = performance.now();
      if (negotiations(sipMany).length + (sessionTimer(sipMany) ? 1 : 0) === 0) throw new Error('no SDP read');
      ctx.report(`SDP and session timer, ${n / 1000}k messages`, performance.now() - t, 'ms', laidOut);
      t = performance.now();
      const frames = 1000;
      let shown = 0;
      for (let f = 0; f < frames; f++) shown += visibleRows(layout, (layout.height * f) / frames, (layout.height * f) / frames + 900).length;
      ctx.report(`ladder visible rows per frame, ${n / 1000}k messages`, ((performance.now() - t) * 1000) / frames, 'µs');
      if (!shown) throw new Error('no rows visible');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
