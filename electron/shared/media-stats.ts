/**
 * End-of-call media statistics (support.participant, `Message="Media Stream destroyed"`): each
 * stream's received and sent rate, packet loss, jitter, codec, resolution and frame rate, read
 * from the payload's lines (the vendor's log documentation):
 *
 *   Stream 0 (audio)
 *     RX: rate 64kbps, loss 2.61%, jitter 37ms, codec MP4A-LATM
 *     TX: rate 64kbps, loss 0.07%, jitter 10ms, codec MP4A-LATM
 *
 * Pure: the engine's call summaries keep each call's worst loss and jitter, the call view shows
 * every stream. "Poor" is the support rule of thumb: 1 % loss or 30 ms of jitter is heard and seen.
 */
import type { CallMedia } from '../api.js';

export const MEDIA_MESSAGE = 'Media Stream destroyed';
export const POOR_LOSS_PCT = 1;
export const POOR_JITTER_MS = 30;

export interface MediaDirection {
  rateKbps: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  codec: string | null;
  resolution: string | null;
  fps: number | null;
}

export interface MediaStream {
  index: number;
  /** audio, video, presentation… as the log names it. */
  kind: string;
  rx: MediaDirection | null;
  tx: MediaDirection | null;
}

const STREAM = /^\s*Stream (\d+) \(([^)]*)\)/;
const DIRECTION = /^\s*(RX|TX):\s*(.*)$/;

/** The streams of one such message, from its payload lines; lines of other shapes are passed over. */
export function parseMediaStats(lines: readonly string[]): MediaStream[] {
  const out: MediaStream[] = [];
  for (const line of lines) {
    const s = STREAM.exec(line);
    if (s) {
      out.push({ index: Number(s[1]), kind: s[2]!, rx: null, tx: null });
      continue;
    }
    const d = DIRECTION.exec(line);
    const stream = out[out.length - 1];
    if (!d || !stream) continue;
    const dir = direction(d[2]!);
    if (d[1] === 'RX') stream.rx = dir;
    else stream.tx = dir;
  }
  return out;
}

function direction(text: string): MediaDirection {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const word = (re: RegExp) => re.exec(text)?.[1] ?? null;
  return {
    rateKbps: num(/\brate (\d+(?:\.\d+)?)\s*kbps/),
    lossPct: num(/\bloss (\d+(?:\.\d+)?)%/),
    jitterMs: num(/\bjitter (\d+(?:\.\d+)?)\s*ms/),
    codec: word(/\bcodec ([^,\s]+)/),
    resolution: word(/\bresolution (\d+x\d+)/),
    fps: num(/\bfps (\d+(?:\.\d+)?)/),
  };
}

/** The worst loss and jitter over streams (both directions), folded into `into` (null: none said). */
export function worstMedia(streams: readonly MediaStream[], into: CallMedia = { lossPct: null, jitterMs: null }): CallMedia {
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const s of streams) {
    for (const d of [s.rx, s.tx]) {
      if (!d) continue;
      into.lossPct = max(into.lossPct, d.lossPct);
      into.jitterMs = max(into.jitterMs, d.jitterMs);
    }
  }
  return into;
}

/** True when the call's media was poor by the rule above. */
export function poorMedia(m: CallMedia | null): boolean {
  return !!m && ((m.lossPct ?? 0) >= POOR_LOSS_PCT || (m.jitterMs ?? 0) >= POOR_JITTER_MS);
}

/** The worst figures in words: `loss 2.61%, jitter 37 ms`. */
export function mediaWords(m: CallMedia): string {
  return [m.lossPct !== null ? `loss ${m.lossPct}%` : '', m.jitterMs !== null ? `jitter ${m.jitterMs} ms` : ''].filter(Boolean).join(', ');
}
