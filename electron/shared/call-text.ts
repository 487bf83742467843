/**
 * Call facts worded the same in the app's call view and the exported reports. Pure and
 * dependency-free (types only), like ladder-layout.ts.
 */
import type { CallSummary } from '../api.js';

/** The SIP methods and response codes a call saw (`INVITE ACK BYE 100 180 200`), null when none. */
export function sipSeen(c: CallSummary): string | null {
  return c.sipMethods.length || c.sipCodes.length ? [...c.sipMethods, ...c.sipCodes].join(' ') : null;
}
