import type { Command } from 'commander';
import { loadBundle } from '../load.js';
import { Out } from '../output.js';
import { callIndexOf } from '../../engine/correlate/call-cache.js';
import { tracesInContext } from '../../engine/correlate/trace-context.js';
import type { CallTrace, TraceMessage } from '../../api.js';
import { compareCalls } from '../../shared/call-compare.js';
import type { CallComparison } from '../../shared/call-compare.js';
import { arrow } from '../../shared/call-text.js';
import { short } from '../../shared/text-columns.js';

/** A message's place in a step: its time after its call's first message, its direction and what it is. */
function cell(t: CallTrace, i: number | null, width: number): string {
  if (i === null) return '·'.padEnd(width);
  const m: TraceMessage = t.messages[i]!;
  const since = (Date.parse(m.time) - Date.parse(t.messages[0]!.time)) / 1000;
  return short(`+${since.toFixed(3).padStart(8)} ${arrow(m)} ${m.protocol.toUpperCase()} ${m.summary}`, width).padEnd(width);
}

/** The comparison as text: the rows (those that differ, or all), then the flows step by step with the lines that differ. */
export function comparisonText(a: CallTrace, b: CallTrace, c: CallComparison, all: boolean): string {
  const out: string[] = [`A: call ${a.call.id} (${a.call.protocol}, ${a.messages.length} messages)`, `B: call ${b.call.id} (${b.call.protocol}, ${b.messages.length} messages)`, ''];
  const rows = all ? c.rows : c.rows.filter((r) => r.differs);
  out.push(all ? 'Summary:' : `Summary rows that differ (${rows.length}; --all for every row):`);
  for (const r of rows) {
    out.push(`${r.differs ? '≠' : ' '} ${r.label}`);
    for (const [side, v] of [['A', r.a], ['B', r.b]] as const) for (const [k, line] of v.split('\n').entries()) out.push(`    ${k ? ' ' : side}  ${line}`);
  }
  out.push('', `Flow: ${c.steps.length} steps, ${c.differing} differ${c.truncated ? ' (too long to align whole: the tails are listed unaligned)' : ''}`);
  const W = 58;
  for (const s of c.steps) {
    const mark = s.a === null || s.b === null ? '≠' : s.onlyA.length || s.onlyB.length ? '~' : ' ';
    if (!all && mark === ' ') continue;
    out.push(`${mark} ${cell(a, s.a, W)} | ${cell(b, s.b, W).trimEnd()}`);
    for (const l of s.onlyA) out.push(`      A only: ${l}`);
    for (const l of s.onlyB) out.push(`      B only: ${l}`);
  }
  if (!all && c.differing < c.steps.length) out.push(`(${c.steps.length - c.differing} steps alike are not shown; --all shows them)`);
  return out.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('two calls side by side: the summary rows that differ, and their flows aligned message by message with the lines that differ')
    .argument('<path...>', 'log files, folders, .tgz/.zip snapshots')
    .requiredOption('--call <id...>', 'the two calls: any id of each (give --call twice, or two ids)')
    .option('--all', 'every summary row and every step, not only those that differ')
    .option('--json', 'the comparison as JSON: { a, b, rows, steps, differing, truncated } (a and b: the calls\' summaries)')
    .option('--no-cache', 'neither read nor write the cache (line tables, calls)')
    .option('--password-file <file>', 'password of an encrypted snapshot (default: $PEXLENS_PASSWORD)')
    .action(async (paths: string[], opts: { call: string[]; all?: boolean; json?: boolean; cache: boolean; passwordFile?: string }) => {
      if (opts.call.length !== 2) throw new Error(`--call: give two calls to compare, not ${opts.call.length}`);
      const session = await loadBundle(paths, opts);
      const index = await callIndexOf(session, { cache: opts.cache, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
      const [a, b] = tracesInContext(session.store, index, opts.call) as [CallTrace, CallTrace];
      const c = compareCalls(a, b);
      const out = new Out();
      await out.write(opts.json ? JSON.stringify({ a: a.call, b: b.call, ...c }, null, 1) + '\n' : comparisonText(a, b, c, !!opts.all));
      await out.flush();
      await session.tablesSaved;
    });
}
