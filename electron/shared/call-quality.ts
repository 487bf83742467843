/**
 * A call's quality over time as its media node rated it (support.participant "Stable call
 * quality changed", `Quality` 0–4), for "the call was choppy for a while": when it went bad, for
 * how long, and whether it came back. The end-of-call statistics give the worst figures; these
 * say when.
 */
import type { QualityChange } from '../api.js';
import { spanText } from './ladder-layout.js';

/** The Management API's words for `call_quality` 0–4. */
export const QUALITY_WORDS = ['unknown', 'good', 'ok', 'bad', 'terrible'] as const;
/** From this rating on the call is poor: bad, terrible. */
export const POOR_QUALITY = 3;

export const qualityWord = (q: number): string => QUALITY_WORDS[q] ?? `quality ${q}`;

/** The worst rating among the changes (0 when none says more than unknown). */
export const worstQuality = (changes: readonly QualityChange[]): number => changes.reduce((w, c) => Math.max(w, c.quality), 0);

/** How long the call was rated bad or worse: from each such change to the next change, or to its end (ISO; null: up to the last change only). */
export function poorMs(changes: readonly QualityChange[], end: string | null): number {
  let ms = 0;
  changes.forEach((c, k) => {
    if (c.quality < POOR_QUALITY) return;
    const until = changes[k + 1]?.time ?? end;
    if (until) ms += Math.max(0, Date.parse(until) - Date.parse(c.time));
  });
  return ms;
}

/**
 * In words: `good at 08:01:10, bad at 08:04:41, ok at 08:06:00; bad or worse for 1 min 19 s`;
 * `time` writes a log time, `end` is when the call ended.
 */
export function qualityWords(changes: readonly QualityChange[], end: string | null, time: (iso: string) => string): string {
  const steps = changes.map((c) => `${qualityWord(c.quality)} at ${time(c.time)}`).join(', ');
  const poor = poorMs(changes, end);
  return worstQuality(changes) >= POOR_QUALITY ? `${steps}; bad or worse for ${spanText(poor)}` : steps;
}
