/**
 * The calls opened lately in this page, most recent first: what "Compare…" offers first, since
 * one compares a call that fails with one just looked at that worked.
 */
import type { CallSummary } from '../../../electron/api.js';

const KEEP = 8;
let recent: CallSummary[] = [];

export function noteCall(c: CallSummary): void {
  recent = [c, ...recent.filter((x) => x.id !== c.id)].slice(0, KEEP);
}

/** Those opened lately, but `except`. */
export function recentCalls(except: string): CallSummary[] {
  return recent.filter((c) => c.id !== except);
}
