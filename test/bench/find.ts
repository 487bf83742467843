/**
 * "Find in this call" (the call view's Find, `pexlens trace --find`): a query over one call's
 * lines, `call:<id> (<query>)`, against the same query over the whole bundle in the same run (the
 * explorer's search, no index: the scan the call's find does too), on the 200 MB log, for the SIP
 * call with the most lines. The call's lines come first (a column term), so the text terms scan only them.
 * And comparing two calls (shared/call-compare.ts, the compare view and `pexlens compare`): the two
 * SIP calls with the most messages, and the alignment at its largest (2 000 messages a side), each
 * against tracing the calls compared (what opening them costs anyway).
 */
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { Searcher } from '../../electron/engine/search/index.ts';
import { callQuery } from '../../electron/shared/call-find.ts';
import { compareCalls } from '../../electron/shared/call-compare.ts';
import type { CallTrace } from '../../electron/api.ts';
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

  // two calls compared: the two SIP calls with the most messages
  const [a, b] = index.calls
    .filter((c) => c.protocol === 'SIP')
    .sort((x, y) => index.linesOf(y.id).length - index.linesOf(x.id).length)
    .slice(0, 2)
    .map((c) => index.trace(c.id)!);
  let steps = 0;
  const cmp = median(5, () => void (steps = compareCalls(a!, b!).steps.length));
  const tracing = median(5, () => void [a!, b!].map((t) => index.trace(t.call.id)));
  ctx.report(`compare two calls (${a!.messages.length} and ${b!.messages.length} messages, ${steps} steps; baseline: tracing them)`, cmp, 'ms', tracing);
  // the alignment at its largest: a call's messages repeated to 2 000 a side, against a copy with every third left out
  const long = (t: CallTrace, n: number): CallTrace => ({ ...t, messages: Array.from({ length: n }, (_, k) => t.messages[k % t.messages.length]!) });
  const big = long(a!, 2000);
  const fewer = { ...big, messages: big.messages.filter((_, k) => k % 3) };
  const largest = median(3, () => void compareCalls(big, fewer));
  ctx.report(`compare 2000 against 1333 messages (baseline: tracing the two calls)`, largest, 'ms', tracing);
}
