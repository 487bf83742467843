/**
 * What happened to a call's nodes while it was up, as marks across its ladder at their times: a
 * node's application starting, an alarm raised or lowered, two of its nodes losing contact or
 * reaching each other again, and its quality going bad and back. So "contact lost two seconds
 * before the BYE" reads off the diagram.
 */
import type { CallTrace } from '../api.js';
import { POOR_QUALITY, qualityWord } from './call-quality.js';
import { MAINTENANCE_ALARM } from './platform-words.js';

export interface LadderMark {
  /** Epoch ms (the syslog time, as the messages'). */
  t: number;
  kind: 'restart' | 'alarm' | 'contact' | 'quality';
  /** The end of a span (an alarm lowered, contact back): news that is good again. */
  ends: boolean;
  text: string;
  /** The view position of the line it opens: the start's, the alarm's or the loss's first. */
  line: number;
}

export function ladderMarks(t: Pick<CallTrace, 'restarts' | 'alarms' | 'contactLosses' | 'quality'>): LadderMark[] {
  const out: LadderMark[] = [];
  const mark = (time: string | null, kind: LadderMark['kind'], ends: boolean, text: string, line: number) => {
    if (time !== null) out.push({ t: Date.parse(time), kind, ends, text, line });
  };
  for (const s of t.restarts ?? []) mark(s.time, 'restart', false, `${s.node} started`, s.line);
  for (const a of t.alarms ?? []) {
    // a node's maintenance mode is set and unset, not raised
    const [on, off] = a.alarm === MAINTENANCE_ALARM ? [`maintenance mode set on ${a.node}`, `maintenance mode unset on ${a.node}`] : [`${a.alarm} raised on ${a.node}`, `${a.alarm} lowered on ${a.node}`];
    mark(a.raised, 'alarm', false, on, a.line);
    mark(a.lowered, 'alarm', true, off, a.line);
  }
  for (const l of t.contactLosses ?? []) {
    mark(l.lost, 'contact', false, `${l.from} could not reach ${l.to}`, l.line);
    mark(l.back, 'contact', true, `${l.from} reached ${l.to} again`, l.line);
  }
  // its quality going bad, and coming back from it (a first rating of good is no news)
  let poor = false;
  for (const q of t.quality ?? []) {
    const now = q.quality >= POOR_QUALITY;
    if (now || poor) mark(q.time, 'quality', !now, `quality ${qualityWord(q.quality)}`, q.line);
    poor = now;
  }
  return out.sort((a, b) => a.t - b.t);
}
