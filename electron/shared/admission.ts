/**
 * How a call got into its conference, read from its trace's administrator.conference lines: how
 * long from its setup to "Participant has joined.", and what held it up on the way: PIN entries
 * (wrong, right, retries exceeded, timed out) and a waiting room (a guest waiting for a host, who
 * joins or never does), and the external policy server's answers it waited on. For "it took a
 * minute to get into the meeting" and "guests are dropped".
 * Pure: the call view, the call's texts and `pexlens trace` share it.
 */
import type { CallTrace, TraceMessage } from '../api.js';
import { spanText } from './ladder-layout.js';
import { POLICY_SLOW_MS } from './service-words.js';

export type AdmissionStep = 'pin-wrong' | 'pin-right' | 'pin-exceeded' | 'pin-timeout' | 'waiting' | 'guest-joining' | 'host-joining' | 'host-timeout' | 'failed';

/** The Message of each step, as the vendor's documentation gives it. */
const STEPS: Array<[AdmissionStep, string]> = [
  ['pin-wrong', 'Participant entered incorrect conference PIN'],
  ['pin-right', 'PIN entry correct.'],
  ['pin-exceeded', 'Participant exceeded PIN entry retries.'],
  ['pin-timeout', 'PIN entry timed out.'],
  ['waiting', 'Guest participant waiting.'],
  ['guest-joining', 'Guest participant joining.'],
  ['host-joining', 'Host participant joining.'],
  ['host-timeout', 'Conference host timeout.'],
  ['failed', 'Participant failed to join conference.'],
];
const JOINED = 'Participant has joined.';

export interface Admission {
  /** Indexes in the trace's messages: its first (the setup), and "Participant has joined." (null: not in the log). */
  setup: number;
  joined: number | null;
  /** From the setup to the join, ms. */
  delayMs: number | null;
  /** What happened on the way, in time order (indexes in the trace's messages). */
  steps: Array<{ step: AdmissionStep; at: number }>;
  /** How long it waited for a host (from "Guest participant waiting." to its joining, its timeout or the log's last line of it), ms. */
  waitedMs: number | null;
  /** How long it waited on the policy server's answers before it joined (CallTrace.policy; one after another), ms; null when none was asked. */
  policyMs: number | null;
}

const stepOf = (m: TraceMessage): AdmissionStep | null => {
  if (m.protocol !== 'admin') return null;
  for (const [step, message] of STEPS) if (m.summary.startsWith(message)) return step;
  return null;
};

/**
 * A call's admission, or null when its setup is not in the log (it began before the log, or in a
 * file the bundle lacks) or nothing of it is (a call refused before it reached a conference).
 */
export function admission(t: CallTrace): Admission | null {
  if (t.call.startInferred || !t.messages.length) return null;
  const at = (k: number) => Date.parse(t.messages[k]!.time);
  const joined = t.messages.findIndex((m) => m.protocol === 'admin' && m.summary.startsWith(JOINED));
  const steps: Admission['steps'] = [];
  const until = joined < 0 ? t.messages.length : joined;
  for (let k = 0; k < until; k++) {
    const step = stepOf(t.messages[k]!);
    if (step) steps.push({ step, at: k });
  }
  if (joined < 0 && !steps.length) return null; // nothing of its admission in the log
  const waiting = steps.find((s) => s.step === 'waiting');
  const waitEnd = steps.find((s) => s.step === 'guest-joining' || s.step === 'host-timeout')?.at ?? (joined >= 0 ? joined : t.messages.length - 1);
  const asked = (t.policy ?? []).filter((r) => joined < 0 || r.time <= t.messages[joined]!.time);
  return {
    setup: 0,
    joined: joined < 0 ? null : joined,
    delayMs: joined < 0 ? null : at(joined) - at(0),
    steps,
    waitedMs: waiting ? at(waitEnd) - at(waiting.at) : null,
    policyMs: asked.length ? asked.reduce((n, r) => n + (r.ms ?? 0), 0) : null,
  };
}

/** In words: `joined 43 s after its setup: 1 wrong PIN, the right one 4.5 s later; waited 35 s for a host` (and `waited 5.2 s on the policy server`, when 1 s or more). */
export function admissionWords(a: Admission, messages: readonly TraceMessage[]): string {
  const has = (s: AdmissionStep) => a.steps.find((x) => x.step === s);
  const parts: string[] = [];
  const wrong = a.steps.filter((s) => s.step === 'pin-wrong');
  const right = has('pin-right');
  const between = (from: number, to: number) => spanText(Date.parse(messages[to]!.time) - Date.parse(messages[from]!.time));
  if (wrong.length) parts.push(`${wrong.length} wrong PIN${wrong.length > 1 ? 's' : ''}${right ? `, the right one ${between(wrong[0]!.at, right.at)} after the first` : ''}`);
  if (has('pin-exceeded')) parts.push('PIN retries exceeded');
  if (has('pin-timeout')) parts.push('PIN entry timed out');
  if (a.policyMs !== null && a.policyMs >= POLICY_SLOW_MS) parts.push(`waited ${spanText(a.policyMs)} on the policy server`);
  if (a.waitedMs !== null) parts.push(`waited ${spanText(a.waitedMs)} for a host${has('host-timeout') ? ', who did not join (Conference host timeout)' : has('guest-joining') ? '' : ' (no end in the log)'}`);
  const failed = has('failed');
  if (failed) parts.push(`failed: ${messages[failed.at]!.summary.replace(/^Participant failed to join conference\.\s*/, '').replace(/^\((.*)\)$/, '$1') || 'no reason given'}`);
  const head = a.joined !== null ? `joined ${spanText(a.delayMs!)} after its setup` : 'not joined';
  return parts.length ? `${head}: ${parts.join('; ')}` : head;
}

/** Whether an admission has something a case looks at: a call not let in, a PIN retried, a wait (for a host, or on the policy server). */
export const admissionTrouble = (a: Admission): boolean =>
  a.joined === null ? a.steps.length > 0 : (a.policyMs ?? 0) >= POLICY_SLOW_MS || a.steps.some((s) => s.step !== 'pin-right' && s.step !== 'host-joining' && s.step !== 'guest-joining');
