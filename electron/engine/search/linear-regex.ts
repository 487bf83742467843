/**
 * A user's `/regex/` runs over every line of a bundle, and one shaped like `(\w+\s?)*x` can
 * backtrack exponentially on a single line: the engine would hang for good. V8 can fall back to
 * its linear-time engine after too many backtracks of one match, for the patterns that engine
 * runs (no back references or lookarounds; flags g m s y only). The i flag, common in searches, is
 * outside that set, so a case-insensitive pattern runs rewritten with explicit case classes.
 * That engine may choose another match within a line than backtracking would, never another
 * answer to whether a line matches or where its first match starts, which is all a line search
 * asks (the finder takes a match's start, lines are checked with test; regex-safety.test.ts).
 */
import v8 from 'node:v8';
import { caseExplicit } from '../../shared/regex-shape.js';

// process-wide, read when a regex is compiled; the second lets `linearCapable` ask V8 itself
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--enable-experimental-regexp-engine');
// after 10 000 backtracks rather than V8's 50 000: a cubic `.*.*=.*x` then costs ~4 ms a line
// instead of ~26 ms, and the bench's regexes run as fast as before (docs/benchmarks.md)
v8.setFlagsFromString('--regexp-backtracks-before-fallback=10000');

/** True when V8 can run the pattern in linear time (its `l` flag accepts it). */
function linearCapable(source: string, flags: string): boolean {
  try {
    new RegExp(source, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}

export interface LinearRegex {
  source: string;
  flags: string;
  /** False when a runaway match cannot fall back (back references, lookarounds, u/v). */
  bounded: boolean;
}

/** The form of a user's pattern to compile: the same matches, bounded in time where V8 allows. */
export function linearRegex(source: string, flags: string): LinearRegex {
  if (linearCapable(source, flags)) return { source, flags, bounded: true };
  if (flags.includes('i')) {
    const rest = flags.replace('i', '');
    const explicit = caseExplicit(source, flags);
    if (explicit !== null && linearCapable(explicit, rest)) return { source: explicit, flags: rest, bounded: true };
  }
  return { source, flags, bounded: false };
}
