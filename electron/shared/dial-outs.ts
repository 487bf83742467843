/**
 * The calls the nodes place ("Placing outbound call", administrator.participantdialer) tied to
 * the calls they became. The line names no call: only the alias called, the conference's alias
 * (a gateway's: the alias its incoming call dialled) and, for the Infinity Gateway, its rule. So
 * a dial-out is tied by alias and time: the call to that alias set up just after it, and a
 * gateway's incoming call, the one to its conference alias that was being set up or up then.
 * "My dial-out fails" and "the gateway call drops" are cases about both legs at once.
 */
import type { CallSummary, DialOut } from '../api.js';
import { aliasKey } from './registration-words.js';

/** How long after its line a placed call's first line may come (a slow DNS lookup, a busy node), and before (another node's clock). */
const PLACED_WITHIN_MS = 60_000;
const CLOCK_SLACK_MS = 2_000;

const at = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

/**
 * Each dial-out with the call it became and a gateway's incoming call (`call` and `incoming`
 * filled in; the dial-outs in time order). A call is the placed call of one dial-out at most.
 */
export function tieDialOuts(dials: readonly DialOut[], calls: readonly CallSummary[]): DialOut[] {
  const byTo = new Map<string, CallSummary[]>();
  for (const c of calls) {
    const k = aliasKey(c.to ?? '');
    if (!k) continue;
    const same = byTo.get(k);
    if (same) same.push(c);
    else byTo.set(k, [c]);
  }
  const taken = new Set<string>();
  return [...dials]
    .sort((a, b) => a.time.localeCompare(b.time))
    .map((d) => {
      const t = at(d.time);
      // the placed call: the first to the alias called that starts after the line (the node says it
      // places a call, then sends its INVITE), else the latest within the clocks' slack before it;
      // a gateway's incoming call to the same alias came in just before the line
      let call: CallSummary | null = null;
      const rank = (s: number) => (s >= t ? s - t : PLACED_WITHIN_MS + (t - s));
      for (const c of byTo.get(aliasKey(d.alias)) ?? []) {
        const s = at(c.start);
        if (taken.has(c.id) || !(s >= t - CLOCK_SLACK_MS && s <= t + PLACED_WITHIN_MS)) continue;
        if (!call || rank(s) < rank(at(call.start))) call = c;
      }
      if (call) taken.add(call.id);
      // a gateway's incoming call: to the alias the gateway matched, set up before it and not ended
      // yet; dialled into a node (a conference's dial-out to the same person at that time is none)
      let incoming: CallSummary | null = null;
      if (d.gateway !== null) {
        for (const c of byTo.get(aliasKey(d.conferenceAlias ?? '')) ?? []) {
          const s = at(c.start);
          const e = at(c.end ?? c.start);
          if (c.id === call?.id || c.direction === 'out' || !(s <= t + CLOCK_SLACK_MS && e >= t - CLOCK_SLACK_MS)) continue;
          if (!incoming || s > at(incoming.start)) incoming = c;
        }
      }
      return { ...d, call: call?.id ?? null, incoming: incoming?.id ?? null };
    });
}

/**
 * The dial-outs of a conference, given its calls (`mine`): those that became one of them, or were
 * placed for one (a gateway's), and those placed from the alias its calls dialled while it ran,
 * which joined nothing: refused, or with no call in the log.
 */
export function conferenceDialOuts(mine: readonly CallSummary[], tied: readonly DialOut[]): DialOut[] {
  const ids = new Set(mine.map((c) => c.id));
  // the aliases dialled, also without their domain: a WebRTC call names the alias as its URL does
  // (`meet.alice`); by the calls dialled in (a call it placed is to the party called, not to it)
  const aliases = new Set(mine.filter((c) => c.direction !== 'out').map((c) => aliasKey(c.to ?? '').replace(/@.*/, '')).filter(Boolean));
  const times = mine.flatMap((c) => [c.start, c.end]).filter((t): t is string => t !== null).sort();
  const [from, to] = [times[0], times.at(-1)];
  return tied.filter(
    (d) => (d.call !== null && ids.has(d.call)) || (d.incoming !== null && ids.has(d.incoming)) || (from !== undefined && aliases.has(aliasKey(d.conferenceAlias ?? '').replace(/@.*/, '')) && d.time >= from && d.time <= to!),
  );
}

/** The calls these dial-outs became, in the calls' order (one refused before it joined is no conference's call). */
export function placedCalls(dials: readonly DialOut[], calls: readonly CallSummary[]): CallSummary[] {
  const placed = new Set(dials.map((d) => d.call));
  return calls.filter((c) => placed.has(c.id));
}

/** The dial-outs a call is part of: the one that placed it, and those a gateway placed for it. */
export function dialOutsOf(c: CallSummary, tied: readonly DialOut[]): DialOut[] {
  return tied.filter((d) => d.call === c.id || d.incoming === c.id);
}

/**
 * A dial-out in words, as the call it concerns says it (`self`: that call's id), with the other
 * leg's id where there is one (the view links it):
 * - placed: `placed by meet.alice@example.com (role guest) at 08:01:20`; a gateway's:
 *   `the gateway's outbound leg (rule "Route to London") for a call to alice@example.com, placed at …`
 * - incoming: `the gateway (rule "Route to London") called sip:carol@example.com at 08:01:20`
 *   and what became of it: its call, or none in the log.
 */
export function dialOutWords(d: DialOut, self: string, time: (iso: string) => string): { words: string; other: string | null } {
  const role = d.role ? ` (role ${d.role})` : '';
  if (d.call === self) {
    if (d.gateway === null) return { words: `placed by ${d.conferenceAlias ?? 'its conference'}${role} at ${time(d.time)}`, other: null };
    return {
      words: `the gateway's outbound leg (rule "${d.gateway}") for a call to ${d.conferenceAlias ?? '?'}, placed at ${time(d.time)}${d.incoming ? '' : '; its incoming call is not in the log'}`,
      other: d.incoming,
    };
  }
  return {
    words: `the gateway (rule "${d.gateway ?? '?'}") called ${d.alias} at ${time(d.time)}${d.call ? '' : ': no call of it in the log (it was refused before any signaling, or its lines are missing)'}`,
    other: d.call,
  };
}

/** The same as one line of text, the other leg named by its id: `pexlens trace` and the call reports. */
export function dialOutText(d: DialOut, self: string, time: (iso: string) => string): string {
  const { words, other } = dialOutWords(d, self, time);
  return other ? `${words}: call ${other}` : words;
}
