/**
 * A conference's participants over time, from the summaries of its calls (the engine picks them:
 * `calls({ conference })`), each as a span on a common time axis, plus the conference names seen
 * over the span. A call up when the log began starts before the log's first line (its start read
 * back from its disconnect's Duration): the timeline then marks where the log begins.
 */
import { POOR_QUALITY } from '../../../electron/shared/call-quality.js';
import type { CallAlarm, CallContactLoss, CallQuality, CallSummary } from '../../../electron/api.js';

export interface Participant {
  call: CallSummary;
  from: number;
  to: number;
  /** Offsets into the conference span, 0..1. */
  left: number;
  width: number;
}

export interface ConferenceTimeline {
  id: string;
  names: string[];
  start: number;
  end: number;
  participants: Participant[];
  /** Where the log's first line falls on the span (0..1), when calls reach back before it; else null. */
  logBegins: number | null;
}

/** `logFrom`: the time of the bundle's first line (ISO), when known. */
export function conferenceTimeline(id: string, calls: readonly CallSummary[], logFrom: string | null = null): ConferenceTimeline {
  const spans = calls.map((c) => {
    const from = c.start ? Date.parse(c.start) : NaN;
    const endT = c.end ? Date.parse(c.end) : NaN;
    const to = Number.isFinite(from) && c.durationMs !== null ? Math.max(from + c.durationMs, Number.isFinite(endT) ? endT : 0) : endT;
    return { call: c, from, to: Number.isFinite(to) ? to : from };
  });
  const valid = spans.filter((s) => Number.isFinite(s.from));
  // (a loop, not Math.min(...): more calls than a call's arguments hold would throw)
  const start = valid.length ? valid.reduce((m, s) => Math.min(m, s.from), Infinity) : NaN;
  const end = valid.length ? valid.reduce((m, s) => Math.max(m, s.to), -Infinity) : NaN;
  const span = Math.max(1, end - start);
  const participants = spans
    .sort((a, b) => (a.from || 0) - (b.from || 0))
    .map((s) => ({
      ...s,
      left: Number.isFinite(s.from) ? (s.from - start) / span : 0,
      width: Number.isFinite(s.from) ? Math.max(0.004, (s.to - s.from) / span) : 0,
    }));
  const names: string[] = [];
  for (const p of participants) if (p.call.conference && !names.includes(p.call.conference)) names.push(p.call.conference);
  const first = logFrom ? Date.parse(logFrom) : NaN;
  const logBegins = first > start && first < end ? (first - start) / span : null;
  return { id, names, start, end, participants, logBegins };
}

/** A stretch on the conference's axis: the part of a span within it. */
export interface SpanPlace {
  left: number;
  width: number;
  /** Begun before the span begins, or still on after it ends (the bar runs off that edge). */
  before: boolean;
  after: boolean;
}

/** An alarm on the conference's nodes as a bar on its axis. */
export interface AlarmBar extends SpanPlace {
  alarm: CallAlarm;
}

/** Two of its nodes out of contact, as a bar on its axis. */
export interface ContactBar extends SpanPlace {
  loss: CallContactLoss;
}

/** A span (ISO; null where the log does not hold that end: it runs to the edge) cut to the conference's. */
function place(t: Pick<ConferenceTimeline, 'start' | 'end'>, start: string | null, end: string | null): SpanPlace {
  const span = Math.max(1, t.end - t.start);
  const a = start === null ? -Infinity : Date.parse(start);
  const b = end === null ? Infinity : Date.parse(end);
  const from = Math.max(t.start, a);
  const to = Math.min(t.end, b);
  return { left: (from - t.start) / span, width: Math.max(0.004, (to - from) / span), before: a < t.start, after: b > t.end };
}

/** Each alarm cut to the conference's span (alarms raised before the log, or never lowered in it, run to its edges). */
export function alarmBars(t: Pick<ConferenceTimeline, 'start' | 'end'>, alarms: readonly CallAlarm[]): AlarmBar[] {
  return alarms.map((alarm) => ({ alarm, ...place(t, alarm.raised, alarm.lowered) }));
}

/** Each loss of contact cut to the conference's span, as the alarms are. */
export function contactBars(t: Pick<ConferenceTimeline, 'start' | 'end'>, losses: readonly CallContactLoss[]): ContactBar[] {
  return losses.map((loss) => ({ loss, ...place(t, loss.lost, loss.back) }));
}

/** A stretch a call was rated bad or worse, on the conference's axis. */
export interface PoorBar extends SpanPlace {
  quality: number;
  from: string;
  to: string;
}

/**
 * Per call, the stretches its node rated it bad or worse (from such a rating to the next one, or
 * to the call's end), cut to the conference's span: several participants at once is the network.
 */
export function poorBars(t: Pick<ConferenceTimeline, 'start' | 'end'>, rated: readonly CallQuality[], calls: readonly CallSummary[]): Map<string, PoorBar[]> {
  const end = new Map(calls.map((c) => [c.id, c.end]));
  const out = new Map<string, PoorBar[]>();
  for (const r of rated) {
    const bars = r.quality.flatMap((q, k) => {
      if (q.quality < POOR_QUALITY) return [];
      const to = r.quality[k + 1]?.time ?? end.get(r.call) ?? q.time;
      return [{ quality: q.quality, from: q.time, to, ...place(t, q.time, to) }];
    });
    if (bars.length) out.set(r.call, bars);
  }
  return out;
}
