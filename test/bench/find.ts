/**
 * "Find in this call" (the call view's Find, `pexlens trace --find`): a query over one call's
 * lines, `call:<id> (<query>)`, against the same query over the whole bundle in the same run (the
 * explorer's search, no index: the scan the call's find does too), on the 200 MB log, for the SIP
 * call with the most lines. The call's lines come first (a column term), so the text terms scan only them.
 */
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { Searcher } from '../../electron/engine/search/index.ts';
import { callQuery } from '../../electron/shared/call-find.ts';
import type { BenchContext } from './run.ts';

const QUERIES = ['INVITE', '"a=sendrecv"', '/Session-Expires: \\d+/', 'name:support.bfcp OR BYE'];

/** The median of `n` runs of `f`, ms. */
function median(n: number, f: () => void): number {
  const t: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

export async function bench(ctx: BenchContext): Promise<void> {
  const session = await openBundle([ctx.log200]);
  const index = buildCallIndex(session);
  const biggest = index.calls.filter((c) => c.protocol === 'SIP').reduce((a, b) => (index.linesOf(b.id).length > index.linesOf(a.id).length ? b : a));
  const lines = index.linesOf(biggest.id).length;
  for (const q of QUERIES) {
    // a Searcher of its own each run: no term cache between them
    let found = 0;
    const inCall = median(5, () => (found = new Searcher(session, null, index).matchesAll(callQuery(biggest.id, q)).length));
    const whole = median(3, () => void new Searcher(session, null, index).matchesAll(q));
    ctx.report(`find in a call of ${lines} lines, ${q} (${found} found; baseline: the bundle)`, inCall, 'ms', whole);
  }
}
