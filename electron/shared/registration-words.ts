/**
 * How a registration's state reads, the same in the app's registrations page and in
 * `pexlens registrations` (the reasons and times are added by each, in its zone).
 */
import type { CallSummary, RegistrationMoment, RegistrationRow, RegistrationState } from '../api.js';
import { short } from './text-columns.js';

export const REGISTRATION_STATES: readonly RegistrationState[] = ['registered', 'expired', 'unregistered', 'refused', 'unknown'];

/** The state as a word: `unknown` is a log that holds only requests or challenges for the alias. */
export const STATE_WORDS: Record<RegistrationState, string> = {
  registered: 'registered',
  expired: 'expired',
  unregistered: 'unregistered',
  refused: 'refused',
  unknown: 'no answer in the log',
};

/** A call's parties that may be registered: its From and To that are addresses (hold an `@`). */
export function callParties(c: CallSummary): string[] {
  return [c.from, c.to].filter((a): a is string => !!a && a.includes('@'));
}

/** How many aliases are in each state, for the states present, in REGISTRATION_STATES' order. */
export function stateCounts(rows: readonly RegistrationRow[]): Array<[RegistrationState, number]> {
  const n = new Map<RegistrationState, number>();
  for (const r of rows) n.set(r.state, (n.get(r.state) ?? 0) + 1);
  return REGISTRATION_STATES.filter((s) => n.has(s)).map((s) => [s, n.get(s)!]);
}

/** The REGISTERs and answers of a row as one short phrase: `7 REGISTERs: 6 accepted, 1 challenged`. */
export function requestWords(r: RegistrationRow): string {
  if (!r.requests && !r.accepted && !r.challenged && !r.refused) return 'no REGISTER';
  const parts = [
    r.accepted && `${r.accepted} accepted`,
    r.challenged && `${r.challenged} challenged`,
    r.refused && `${r.refused} refused`,
  ].filter(Boolean);
  return `${r.requests} REGISTER${r.requests === 1 ? '' : 's'}${parts.length ? ': ' + parts.join(', ') : ''}`;
}

/**
 * What an alias's registration was at a moment, as a phrase (`registered since 08:13:04, until
 * 08:23:04`); `time` writes a log time as the caller shows times.
 */
export function momentWords(m: RegistrationMoment, time: (iso: string) => string): string {
  const at = (iso: string | null) => (iso ? time(iso) : '?');
  switch (m.state) {
    case 'registered':
      return `registered since ${at(m.since)}${m.expires ? `, until ${at(m.expires)}` : ''}`;
    case 'expired':
      return `expired at ${at(m.since)} (${m.reason})`;
    case 'unregistered':
    case 'refused':
      return `${m.state} at ${at(m.since)}${m.reason ? ` (${m.reason})` : ''}`;
    case 'unknown':
      return 'no registration decided before then (only requests or challenges, or none yet)';
  }
}

/**
 * The rows as a text table, a line each with a header line: the alias, its state at the log's end
 * with its time and why, its REGISTERs and answers, and where from. `time` writes a log time.
 */
export function registrationTable(rows: readonly RegistrationRow[], time: (iso: string) => string): string[] {
  const out = [`${'alias'.padEnd(36)}  ${'at the log end'.padEnd(56)}  ${'REGISTERs'.padEnd(44)}  from`];
  for (const r of rows) {
    const why = r.reason ? ` (${r.reason})` : r.expires ? ` (until ${time(r.expires)})` : '';
    const state = `${STATE_WORDS[r.state]}${r.stateTime ? ` ${time(r.stateTime)}` : ''}${why}`;
    out.push(`${short(r.alias, 36).padEnd(36)}  ${short(state, 56).padEnd(56)}  ${short(requestWords(r), 44).padEnd(44)}  ${r.addresses.join(' ') || '-'}${r.agents.length ? `  ${r.agents.join(', ')}` : ''}`);
  }
  return out;
}

/** The alias a registration is known by, and calls and dial-outs are compared by: an address of record without its scheme or parameters, lowercase. */
export function aliasKey(v: string): string {
  return v
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/^(sips?|h323|tel):/i, '')
    .split(';')[0]!
    .toLowerCase();
}
