/**
 * grep's -A/-B/-C for `pexlens search`: the view positions to print around each hit, as runs of
 * consecutive positions. Runs that touch or overlap are one (grep prints `--` only between runs
 * that are apart), so each line is printed once.
 */
export function contextRuns(hits: ArrayLike<number>, before: number, after: number, count: number): Array<[from: number, to: number]> {
  const runs: Array<[number, number]> = [];
  for (let k = 0; k < hits.length; k++) {
    const from = Math.max(0, hits[k]! - before);
    const to = Math.min(count - 1, hits[k]! + after);
    const last = runs[runs.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else runs.push([from, to]);
  }
  return runs;
}
