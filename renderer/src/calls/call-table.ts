/**
 * How a call's summary is shown, apart from the components so it can be tested: warning badges
 * and short URIs. (Filtering, sorting and the summary strip run in the engine:
 * electron/shared/call-list.ts.)
 */
import type { CallSummary } from '../../../electron/api.js';
import { POOR_JITTER_MS, POOR_LOSS_PCT, mediaWords, noMediaWords, poorMedia } from '../../../electron/shared/media-stats.js';

export type BadgeKind = 'failed' | 'fragments' | 'sip-error' | 'ice' | 'pin' | 'floor' | 'host' | 'media' | 'other';

export interface Badge {
  kind: BadgeKind;
  /** Short text on the badge (`404`, `ICE`, `frag`). */
  text: string;
  /** The warning(s) it stands for, for the tooltip. */
  title: string;
}

/** Groups a call's warnings into a few badges: failed join, missing fragments, 4xx–6xx, ICE, PIN, floor refused, host never came. */
export function badgesOf(c: CallSummary): Badge[] {
  const out: Badge[] = [];
  if (c.failed) out.push({ kind: 'failed', text: 'failed', title: c.failReason ? `Failed: ${c.failReason}` : 'The call failed' });
  const groups = new Map<string, { kind: BadgeKind; text: string; titles: string[] }>();
  const put = (key: string, kind: BadgeKind, text: string, title: string) => {
    const g = groups.get(key);
    if (g) g.titles.push(title);
    else groups.set(key, { kind, text, titles: [title] });
  };
  for (const w of c.warnings) {
    if (/missing fragment/i.test(w)) put('frag', 'fragments', 'fragments', w);
    else if (/^ICE\b/i.test(w)) put('ice', 'ice', 'ICE', w);
    else if (/^PIN\b/i.test(w)) put('pin', 'pin', 'PIN', w);
    else if (/^Presentation:/.test(w)) put('floor', 'floor', 'floor', w);
    else if (/^Admission:/.test(w)) put('host', 'host', 'no host', w);
    else {
      const m = /^SIP\s+([4-6]\d\d)\b/.exec(w);
      if (m) put('sip' + m[1], 'sip-error', m[1]!, w);
      else put('other', 'other', '!', w);
    }
  }
  for (const g of groups.values()) out.push({ kind: g.kind, text: g.titles.length > 1 ? `${g.text} ×${g.titles.length}` : g.text, title: g.titles.join('\n') });
  // poor media by its end-of-call statistics: its worst figure on the badge
  if (c.media && poorMedia(c.media)) {
    const text = c.media.noMedia.length ? noMediaWords(c.media.noMedia[0]!) : (c.media.lossPct ?? 0) >= POOR_LOSS_PCT ? `loss ${c.media.lossPct}%` : `jitter ${c.media.jitterMs} ms`;
    out.push({ kind: 'media', text, title: `Poor media (a stream one way only, ${POOR_LOSS_PCT} % loss or ${POOR_JITTER_MS} ms of jitter at worst): ${mediaWords(c.media)}, from its end-of-call statistics` });
  }
  return out;
}

/** `sip:alice@example.com` → `alice@example.com`; `"Alice" <sip:a@b>` → `Alice <a@b>`: shorter cells. */
export function shortUri(s: string | null): string {
  if (!s) return '';
  return s.replace(/^<?(sips?|h323|tel):/i, '').replace(/<(sips?|h323|tel):/gi, '<').replace(/;tag=[^;>\s]*/g, '').replace(/"/g, '');
}
