/**
 * The overview's "Copy summary" text (renderer/src/overview/summary-text.ts) on a generated snapshot
 * opened through the engine's API, against the snapshot's files and the generator's calls.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApi } from '../../electron/engine/api-impl.js';
import { overviewText } from '../../renderer/src/overview/summary-text.js';
import { writeBundle } from '../generator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pexlens-ovtext-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test("the overview's summary text: the bundle, its version, its files, each node's lines, the alarms, the nodes out of contact and the calls", async () => {
  const b = await writeBundle(dir, { form: 'tgz', seed: 12, calls: 60, platformJson: '{"version": "36.0.1"}' });
  const api = new EngineApi(() => {});
  const info = await api.open({ paths: [b.path] });
  const [overview, page, load] = [await api.overview(), await api.calls({ offset: 0, limit: 0 }), await api.callLoad({ buckets: 50 })];
  const text = overviewText(info, overview, page.stats, load);
  const lines = text.split('\n');
  assert.equal(lines[0], `Bundle: ${b.path}`);
  assert.ok(lines.includes('  Pexip Infinity 36.0.1'), text);
  // the files: the tar's, each with its lines
  const listing = execFileSync('tar', ['tzf', b.path]).toString().split('\n').filter((n) => n.startsWith('var/log/'));
  for (const name of listing) assert.ok(lines.some((l) => l.startsWith(`    ${name.slice('var/log/'.length)}: `)), `${name} listed`);
  // each syslog host of the support log with its lines (the developer log's host too)
  const hosts = new Map<string, number>();
  for (const l of b.supportLog.toString('latin1').split('\n')) {
    const m = /^\S+ (\S+) \d{4}-\d\d-\d\d /.exec(l);
    if (m) hosts.set(m[1]!, (hosts.get(m[1]!) ?? 0) + 1);
  }
  for (const [host, n] of hosts) {
    // (a node known by another name too says it: `  pxnode-lon-01 (= 10.44.99.2): …`)
    const line = lines.find((l) => l.startsWith(`  ${host}: `) || l.startsWith(`  ${host} (= `));
    assert.ok(line, `${host}: a line`);
    assert.ok(Number(/: ([\d,]+) lines/.exec(line)![1]!.replace(/,/g, '')) >= n, `${host}: at least its ${n} lines of the support log`);
  }
  // a host name tied to its address says it, and the address its host name
  assert.ok(overview.addresses.length > 0, 'host names tied to addresses');
  for (const a of overview.addresses) {
    assert.ok(lines.some((l) => l.startsWith(`  ${a.node} (= ${a.address}): `)), a.node);
    assert.ok(lines.some((l) => l.startsWith(`  ${a.address} (= ${a.node}): `)), a.address);
  }
  // the alarms: a line per node and alarm the log raises or lowers
  const pairs = new Set([...b.supportLog.toString('latin1').matchAll(/ Message="Alarm (?:raised|lowered)" Node="([^"]+)" Alarm="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`));
  assert.ok(pairs.size > 0, 'alarms in the sample');
  const at = lines.indexOf(`Alarms (${overview.alarms.length} from raise to lowering):`);
  assert.ok(at > 0, text);
  assert.deepEqual(new Set(lines.slice(at + 1, at + 1 + pairs.size).map((l) => l.trim().split(':')[0])), pairs);
  // the nodes out of contact: a line per pair, either way, that the log's connectivity lines name
  const contact = new Set([...b.supportLog.toString('latin1').matchAll(/ Message="(?:Unable to contact node\.|Connectivity re-established\.)" Src-Node="([^"]+)" Node="([^"]+)"/g)].map((m) => [m[1]!, m[2]!].sort((x, y) => x.localeCompare(y, undefined, { numeric: true })).join(' and ')));
  assert.ok(contact.size > 0, 'nodes out of contact in the sample');
  const lost = lines.indexOf(`Nodes out of contact (${overview.contactLosses.length} times one could not reach another):`);
  assert.ok(lost > 0, text);
  assert.deepEqual(new Set(lines.slice(lost + 1, lost + 1 + contact.size).map((l) => l.trim().split(':')[0])), contact);
  assert.ok(!lines[lost + 1 + contact.size]!.startsWith('  '), 'a line per pair, no more');
  // the calls, as the generator made them
  const failed = b.truth.calls.filter((c) => c.failed).length;
  assert.ok(lines.some((l) => l.startsWith(`Calls: ${b.truth.calls.length} (`) && l.includes(`, ${failed} failed`)), text);
  assert.ok(lines.some((l) => /^ {2}most up at once: \d+, at 2026-05-14 \d\d:\d\d:\d\d\.\d{3}$/.test(l)), text);
  // the licences, a type each as the call load says them
  assert.ok(load.licenses.some((l) => l.type === 'port'), 'port licences in the sample');
  assert.ok(lines.includes(`  licences in use at most: ${load.licenses.map((l) => `${l.peak} ${l.type ?? 'type not logged'} at ${l.at.replace('T', ' ').replace('Z', '')}`).join('; ')}`), text);
  // a bundle whose calls are not known yet: the rest all the same
  assert.ok(!overviewText(info, overview, null, null).includes('Calls:'));
  // the registrations: every alias the log registers, and the refused ones by their answer
  const log = b.supportLog.toString('latin1');
  const aliases = new Set([
    ...[...log.matchAll(/ Alias="([^"]+)"/g)].map((m) => m[1]!.toLowerCase()),
    ...[...log.matchAll(/Message="Received SIP message".*?Detail="\^MREGISTER .*?\^MTo: <sip:([^>]+)>/g)].map((m) => m[1]!.toLowerCase()),
  ]);
  const refused = new Set(
    log
      .split('\n')
      .filter((l) => /\^MCSeq: \d+ REGISTER\^M/.test(l))
      .flatMap((l) => [...l.matchAll(/Detail="\^MSIP\/2\.0 (40[34] [A-Za-z ]+)\^M.*?\^MTo: <sip:([^>]+)>/g)].map((m) => `${m[2]!.toLowerCase()} (${m[1]})`)),
  );
  assert.ok(aliases.size > 0 && refused.size > 0, `registrations in the sample (${aliases.size}, ${refused.size} refused)`);
  const withRegs = overviewText(info, overview, page.stats, load, await api.registrations()).split('\n');
  const head = withRegs.find((l) => l.startsWith("Registrations at the log's end: "));
  assert.match(head ?? '', new RegExp(`^Registrations at the log's end: ${aliases.size} aliases \\(.*\\b${refused.size} refused\\b`));
  const named = withRegs.find((l) => l.startsWith('  refused: '))!.slice('  refused: '.length).replace(/, and \d+ more$/, '').split(/(?<=\)), /);
  assert.equal(named.length, Math.min(refused.size, 10));
  for (const n of named) assert.ok(refused.has(n), `${n}: refused in the log`);
  // each node's application start, as the log says it
  const starts = [...log.matchAll(/^(\S+) (\S+) .* Name="administrator\.system" Message="Starting Infinity application\." Pid="(\d+)" Version="([^"]+)"/gm)];
  assert.ok(starts.length > 0, 'a node restarts in the sample');
  assert.ok(lines.includes(`Application starts (${starts.length}):`), text);
  for (const [, iso, node, pid, version] of starts) {
    assert.ok(lines.includes(`  ${node} started at ${iso!.slice(0, 23).replace('T', ' ')}, version ${version}, pid ${pid}`), `${node} at ${iso}`);
  }
  // the audit: its categories, and the subjects with alerts named
  const audited = overviewText(info, overview, page.stats, load, null, await api.audit()).split('\n');
  assert.match(audited.find((l) => l.startsWith('Audit: ')) ?? '', /^Audit: \d+ subjects? of break-in prevention \(\d+ alerts?\)/);
  assert.ok(audited.some((l) => l.startsWith('  alerts: ')));
});
