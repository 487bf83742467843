/**
 * Background priority for the index threads: they run on what the load and the UI leave idle.
 * Measured on 2 cores (docs/benchmarks.md): at normal priority the index threads took the load's
 * CPU; below it a 1 GB load is usable ~0.4 s sooner, and the index is ready no later.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of index threads (the lowest priority). */
export const INDEX_NICE = 19;

/**
 * Lowers the calling thread's priority. Linux only: there a thread id is a process id to
 * setpriority, so only this thread changes. Elsewhere (no /proc/thread-self) nothing changes.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) setPriority(tid, INDEX_NICE);
  } catch {
    // no /proc (macOS, Windows) or not permitted: normal priority
  }
}
