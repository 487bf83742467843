/**
 * The bundle's conferences, a row per name (a conference is an instance per node, so one spread
 * over nodes or held again has several Conference-IDs), for "the meeting at 10:00 was bad": its
 * instances, calls, failed calls, calls with poor media, the most participants at once, and
 * when, and the service its calls reached (a gateway rule's calls say `gateway`). A conference the log names only by id has a row of its own. Its calls are those the
 * conference view of that name shows (conferenceCalls). Pure: the engine runs it on the calls.
 */
import type { CallSummary, ConferenceRow, ConferenceSummary } from '../api.js';
import { callLoad } from './call-load.js';
import { poorMedia } from './media-stats.js';
import { mostSaid } from './call-list.js';
import { short } from './text-columns.js';

export function conferenceRows(conferences: readonly ConferenceSummary[], calls: readonly CallSummary[]): ConferenceRow[] {
  // a row per name (or per id without one); the ids of the calls each row's instances hold
  const rows = new Map<string, { named: boolean; instances: number; members: Set<CallSummary> }>();
  const tiedTo = new Map<string, string[]>();
  const row = (key: string, named: boolean) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { named, instances: 0, members: new Set() }));
    return r;
  };
  for (const conf of conferences) {
    const key = conf.name ?? conf.id;
    row(key, conf.name !== null).instances++;
    for (const id of conf.calls) {
      const keys = tiedTo.get(id);
      if (keys) keys.push(key);
      else tiedTo.set(id, [key]);
    }
  }
  for (const c of calls) {
    // a name only calls give (no Conference-ID of it in the log) is a row too, of no instance
    if (c.conference !== null) row(c.conference, true).members.add(c);
    for (const id of [c.id, ...c.ids]) for (const key of tiedTo.get(id) ?? []) rows.get(key)!.members.add(c);
  }
  const out: ConferenceRow[] = [];
  for (const [name, r] of rows) {
    const members = [...r.members];
    const starts = members.map((c) => (c.start ? Date.parse(c.start) : NaN)).filter(Number.isFinite);
    const ends = members.map((c) => (c.end ? Date.parse(c.end) : NaN)).filter(Number.isFinite);
    // (a loop, not Math.min(...): a gateway rule's calls over weeks outnumber what a call's arguments hold)
    const from = starts.length ? starts.reduce((a, b) => Math.min(a, b)) : NaN;
    const to = ends.length ? ends.reduce((a, b) => Math.max(a, b)) : NaN;
    out.push({
      name,
      named: r.named,
      service: mostSaid(members.map((c) => c.service)),
      serviceTag: mostSaid(members.map((c) => c.serviceTag)),
      instances: r.instances,
      calls: members.length,
      failed: members.filter((c) => c.failed).length,
      poorMedia: members.filter((c) => poorMedia(c.media)).length,
      peak: callLoad(members, from, to, 1).peak.calls,
      start: Number.isFinite(from) ? new Date(from).toISOString() : null,
      end: Number.isFinite(to) ? new Date(to).toISOString() : null,
    });
  }
  return out.sort((a, b) => (a.start ?? '').localeCompare(b.start ?? '') || a.name.localeCompare(b.name));
}

/**
 * The rows of the conferences these calls were in, counted over these calls only (a window's, a
 * filter's): the instances that held one of them. Its "most at once" is within the window too: calls
 * each up at some time in a window and up together are up together at some time in it.
 */
export function conferenceRowsOfCalls(conferences: readonly ConferenceSummary[], calls: readonly CallSummary[]): ConferenceRow[] {
  const ids = new Set(calls.flatMap((c) => [c.id, ...c.ids]));
  return conferenceRows(
    conferences.filter((conf) => conf.calls.some((id) => ids.has(id))),
    calls,
  );
}

/** A row's name as the lists say it: `(Conference-ID …)` for one the log names by id only, then a gateway's `[gateway]` and its `(tag …)`. */
export function conferenceLabel(r: ConferenceRow): string {
  return (r.named ? r.name : `(Conference-ID ${r.name})`) + (r.service && r.service !== 'conference' ? ` [${r.service}]` : '') + (r.serviceTag ? ` (tag ${r.serviceTag})` : '');
}

/**
 * The conference list as a text table for a case note (`pexlens calls --conferences`, the
 * conferences page's Copy): a heading line, then a row per conference, its times by `time`.
 */
export function conferencesText(rows: readonly ConferenceRow[], heading: string, time: (iso: string | null) => string): string {
  const out = [`${heading}\n\n${'conference'.padEnd(32)}  instances  calls  failed  poor media  at once  ${'first call'.padEnd(23)}  last end\n`];
  for (const r of rows) {
    out.push(`${short(conferenceLabel(r), 32).padEnd(32)}  ${String(r.instances).padStart(9)}  ${String(r.calls).padStart(5)}  ${String(r.failed).padStart(6)}  ${String(r.poorMedia).padStart(10)}  ${String(r.peak).padStart(7)}  ${time(r.start).padEnd(23)}  ${time(r.end)}\n`);
  }
  return out.join('');
}
