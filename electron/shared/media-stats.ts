/**
 * End-of-call media statistics (support.participant, `Message="Media Stream destroyed"`): each
 * stream's received and sent rate, packet loss, jitter, codec, resolution and frame rate, read
 * from the payload's lines (the vendor's log documentation):
 *
 *   Stream 0 (audio)
 *     RX: rate 64kbps, loss 2.61%, jitter 37ms, codec MP4A-LATM
 *     TX: rate 64kbps, loss 0.07%, jitter 10ms, codec MP4A-LATM
 *
 * Pure: the engine's call summaries keep each call's worst loss and jitter and its one-way streams
 * (worstMediaOfText), the call view shows every stream (parseMediaStats). "Poor" is the support
 * rule of thumb: 1 % loss or 30 ms of jitter is heard and seen; and an audio or video stream that
 * received nothing while it sent (or the reverse) is the "they cannot hear us" of a blocked path.
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
/** A loss and a jitter as the log writes them after their word (`2.61%`, `37ms`): both readings use these. */
const LOSS = String.raw`(\d+(?:\.\d+)?)%`;
const JITTER = String.raw`(\d+(?:\.\d+)?)\s*ms`;
const LOSS_IN_LINE = new RegExp(String.raw`\bloss ${LOSS}`);
const JITTER_IN_LINE = new RegExp(String.raw`\bjitter ${JITTER}`);
const LOSS_VALUE = new RegExp(`^${LOSS}`);
const JITTER_VALUE = new RegExp(`^${JITTER}`);
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
    lossPct: num(LOSS_IN_LINE),
    jitterMs: num(JITTER_IN_LINE),
    codec: word(/\bcodec ([^,\s]+)/),
    resolution: word(/\bresolution (\d+x\d+)/),
    fps: num(/\bfps (\d+(?:\.\d+)?)/),
  };
}

/** The kinds of stream both sides always send on while up; a presentation stream is one way by nature. */
const TWO_WAY = /^(audio|video)$/i;

/**
 * Its audio and video streams with media one way only, as `audio RX` (nothing received while it
 * sent) or `video TX`: one direction at 0 kbps, the other above. Both at 0 is a stream not used.
 */
export function oneWayStreams(streams: readonly MediaStream[]): string[] {
  const out: string[] = [];
  for (const s of streams) {
    if (!TWO_WAY.test(s.kind)) continue;
    const rx = s.rx?.rateKbps ?? null, tx = s.tx?.rateKbps ?? null;
    if (rx === 0 && (tx ?? 0) > 0) out.push(`${s.kind} RX`);
    if (tx === 0 && (rx ?? 0) > 0) out.push(`${s.kind} TX`);
  }
  return out;
}

/** A rate of nothing as the log writes it (`rate 0kbps`, `rate 0.0 kbps`): the rare line read in full. */
const ZERO_RATE = /\brate 0(\.0+)?\s*kbps/;

/**
 * The worst loss and jitter of a message's payload text over its streams and directions, folded
 * into `into`: the largest `loss n%` and `jitter n ms` that parseMediaStats reads, found by
 * scanning for those words alone, and its one-way streams (read in full only when a rate is 0).
 * The call summaries need only these; reading every field of the 200 MB log's 11 290 such lines
 * took 130–180 ms, this 57–77 ms (docs/benchmarks.md, session 26).
 */
export function worstMediaOfText(text: string, into: CallMedia = { lossPct: null, jitterMs: null, noMedia: [] }): CallMedia {
  const most = (word: string, value: RegExp, was: number | null) => {
    let best = was;
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
      // a whole word, as parseMediaStats's \b (`loss 2.61%`, not `packetloss`)
      if (at > 0 && /\w/.test(text[at - 1]!)) continue;
      const m = value.exec(text.slice(at + word.length, at + word.length + 24));
      if (m) best = best === null ? Number(m[1]) : Math.max(best, Number(m[1]));
    }
    return best;
  };
  into.lossPct = most('loss ', LOSS_VALUE, into.lossPct);
  into.jitterMs = most('jitter ', JITTER_VALUE, into.jitterMs);
  if (ZERO_RATE.test(text)) for (const s of oneWayStreams(parseMediaStats(text.split(/\^M|\r?\n/)))) if (!into.noMedia.includes(s)) into.noMedia.push(s);
  return into;
}

/** True when the call's media was poor by the rule above. */
export function poorMedia(m: CallMedia | null): boolean {
  return !!m && ((m.lossPct ?? 0) >= POOR_LOSS_PCT || (m.jitterMs ?? 0) >= POOR_JITTER_MS || m.noMedia.length > 0);
}

/** `audio RX` in words: `no audio received`. */
export const noMediaWords = (stream: string): string => `no ${stream.replace(/ RX$/, ' received').replace(/ TX$/, ' sent')}`;

/** In words: `no audio received; loss 2.61%, jitter 37 ms` (`worst loss …` with `worst`). */
export function mediaWords(m: CallMedia, worst = false): string {
  const figures = [m.lossPct !== null ? `loss ${m.lossPct}%` : '', m.jitterMs !== null ? `jitter ${m.jitterMs} ms` : ''].filter(Boolean).join(', ');
  return [m.noMedia.map(noMediaWords).join(', '), figures && (worst ? `worst ${figures}` : figures)].filter(Boolean).join('; ');
}

/** A call's media as its summary row and `pexlens trace` say it: `no audio received; worst loss 2.61%, jitter 37 ms (poor)`. */
export const mediaSummary = (m: CallMedia): string => `${mediaWords(m, true)}${poorMedia(m) ? ' (poor)' : ''}`;
