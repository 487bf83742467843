/**
 * A call's Service-Tag (CallSummary.serviceTag), the tag a service provider gives a tenant's
 * services, on a log whose services carry one (GenOptions.serviceTags: a quarter untagged): as
 * the generator tagged the call's conference, counted by the breakdown, in the CSV and the trace.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { parseCsv } from '../read-csv.ts';
import { writeLog } from '../generator/index.ts';
import { serviceTagOf } from '../generator/pools.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pexlens-tags-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, PEXLENS_CACHE_DIR: join(tmp, 'cache'), PEXLENS_FROM_SOURCE: '1' };
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, stdio: 'pipe' }).toString();

test("service tags: each call has its conference's tag (none for an untagged service, or a call that failed), counted by the breakdown, in the CSV, the trace and the conference list", async () => {
  const file = join(tmp, 'tags.log');
  const truth = await writeLog(file, { seed: 7, calls: 200, serviceTags: true });
  const { calls } = buildCallIndex(await openBundle([file]));
  const byId = new Map(truth.calls.map((t) => [t.id, t]));
  // a failed call's lines name no conference, so no tag
  const tagOf = (id: string) => {
    const t = byId.get(id)!;
    return t.failed || t.conference === null ? null : serviceTagOf(t.conference) || null;
  };
  for (const c of calls) assert.equal(c.serviceTag, tagOf(c.id), `${c.id} (${c.conference})`);
  const tags = new Set(calls.map((c) => c.serviceTag));
  assert.ok(tags.size === 4 && tags.has(null), `three tenants and untagged calls (${[...tags]})`);
  // the breakdown: each tag's calls; the untagged and the failed together, as the log says nothing of a tag for them
  const want = new Map<string, number>();
  for (const c of calls) want.set(tagOf(c.id) ?? '(not in the log)', (want.get(tagOf(c.id) ?? '(not in the log)') ?? 0) + 1);
  const groups = JSON.parse(run('calls', file, '--group-by', 'serviceTag', '--json')) as Array<{ value: string; calls: number }>;
  assert.deepEqual(new Map(groups.map((g) => [g.value, g.calls])), want);
  // a tenant's calls, listed
  const [tenant] = [...tags].filter((x): x is string => x !== null);
  const listed = JSON.parse(run('calls', file, '--group-by', 'serviceTag', '--group', tenant!, '--json')) as Array<{ id: string }>;
  assert.deepEqual(new Set(listed.map((c) => c.id)), new Set(calls.filter((c) => c.serviceTag === tenant).map((c) => c.id)));
  // the CSV's column, the trace's conference line
  const one = calls.find((c) => c.serviceTag === tenant)!;
  const [header, ...rows] = parseCsv(run('calls', file, '--csv'));
  assert.equal(rows.find((r) => r.includes(one.id))![header!.indexOf('Service tag')], tenant);
  assert.match(run('trace', file, '--call', one.id), new RegExp(`conference: .* \\(tag ${tenant}\\)\n`));
  // the conference list: each conference's tag
  const conferences = JSON.parse(run('calls', file, '--conferences', '--json')) as Array<{ name: string; serviceTag: string | null }>;
  assert.ok(conferences.length > 10);
  for (const r of conferences) assert.equal(r.serviceTag, serviceTagOf(r.name) || null, r.name);
});
