/**
 * A node's clock against the syslog host's, in words, for the CLI, the warnings and the app's
 * node chips. Pure: the engine measures (correlate/clock.ts), this says it.
 */

/** Beyond this a node's clock is called off (a few ms is the trip from node to syslog host). */
const CLOCK_WARN_MS = 2000;

/** Whether an offset (received − stamped, ms) is a clock to check: warned of, marked ⚠. */
export function clockIsOff(offsetMs: number): boolean {
  return Math.abs(offsetMs) > CLOCK_WARN_MS;
}

/** `0.81 s behind`, `47.2 s ahead`: an offset (received − stamped, ms) in words. */
export function clockWords(offsetMs: number): string {
  const s = Math.abs(offsetMs) / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s ${offsetMs >= 0 ? 'behind' : 'ahead'}`;
}
