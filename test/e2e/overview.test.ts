/**
 * The overview (`#/overview`) in browser mode, end to end: a generated folder snapshot with its
 * `.2` rotation removed and one node's clock 47 s behind. What the page must show comes from the
 * files on disk (their lines, first and last times, syslog hosts), not from the engine.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PLATFORM_FILE, writeBundle, writeLog } from '../generator/index.js';
import { NODE_DEFS } from '../generator/pools.js';
import { ROOT, api, browserMissing, newPage, screenshot, serve, servedSuite, settledCount, waitLoaded } from './helpers.js';
import type { CallSummary } from '../../electron/api.js';
import { poorMedia } from '../../electron/shared/media-stats.js';

const skip = browserMissing() ?? false;
let folder = '';
const suite = servedSuite('overview', async (dir) => {
  const b = await writeBundle(dir, { form: 'folder', seed: 41, calls: 150, rotations: 4, clockOff: { node: 'pxnode-osl-01', behindMs: 47_000 } });
  rmSync(join(b.path, 'unified_support.log.2.gz'));
  // an unpacked snapshot's platform status file beside the logs
  mkdirSync(dirname(join(b.path, PLATFORM_FILE)), { recursive: true });
  writeFileSync(join(b.path, PLATFORM_FILE), PLATFORM_JSON);
  folder = b.path;
  return [b.path];
});

const PLATFORM_JSON = '{"version": "35.2.1", "build": 90417}';

/** The log files of the folder (not its platform file's folders). */
const logNames = () => readdirSync(folder).filter((n) => n.startsWith('unified_'));

/** A file's lines as on disk (gunzipped), without the empty piece after the last line break. */
function linesOf(name: string): string[] {
  const raw = readFileSync(join(folder, name));
  const lines = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));

test("the overview lists each log's files on one time axis with the missing rotation where it would be, the nodes with their lines and clocks, and the warnings", { skip }, async () => {
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/lines');
  // the header's warnings lead to it
  await page.getByTestId('bundle-meta').locator('.warn').click();
  await page.waitForURL(/#\/overview$/);
  await page.getByTestId('overview-file').first().waitFor();

  // the snapshot's software version, from its platform file, here and in the header (not a warning)
  const platform = JSON.parse(PLATFORM_JSON) as { version: string; build: number };
  assert.equal(await page.getByTestId('overview-platform').innerText(), `Pexip Infinity ${platform.version} (build=${platform.build}) from ${join(folder, PLATFORM_FILE)}`);
  assert.equal(await page.getByTestId('bundle-platform').innerText(), `· Pexip Infinity ${platform.version}`);
  const warnings = await page.getByTestId('overview-warnings').locator('li').allInnerTexts();
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.ok(warnings.some((w) => w.includes(`${join(folder, 'unified_support.log.2')} is not in the bundle`)));
  assert.ok(warnings.some((w) => /pxnode-osl-01.*its clock is 4[67]\.\d s behind/.test(w)));

  // the files, oldest first, each with its lines; the missing one between .3 and .1
  const rows = await page.getByTestId('overview-file').evaluateAll((els) =>
    els.map((e) => {
      const bar = e.querySelector('.bar')?.getBoundingClientRect();
      return { kind: e.getAttribute('data-kind'), text: (e as HTMLElement).innerText, left: bar?.left ?? NaN, right: bar?.right ?? NaN };
    }),
  );
  const support = rows.filter((r) => r.text.startsWith('unified_support.log'));
  assert.deepEqual(
    support.map((r) => r.text.split(/\s/)[0]),
    ['unified_support.log.4.gz', 'unified_support.log.3.gz', 'unified_support.log.2', 'unified_support.log.1', 'unified_support.log'],
  );
  assert.deepEqual(support.map((r) => r.kind), ['file', 'file', 'gap', 'file', 'file']);
  for (const r of support.filter((x) => x.kind === 'file')) {
    const n = linesOf(r.text.split(/\s/)[0]!).length;
    assert.match(r.text, new RegExp(`\\s${n.toLocaleString('en-US')} lines`), `${r.text}: ${n} lines`);
  }
  assert.match(support[2]!.text, /missing/);
  // the bars on the bundle's axis: each file's from its first line to its last; the gap fills the space between
  const [f4, f3, gap, f1] = support;
  assert.ok(f4!.right <= f3!.left + 1 && Math.abs(gap!.left - f3!.right) <= 1.5 && Math.abs(gap!.right - f1!.left) <= 1.5, JSON.stringify(support));
  const all = logNames().filter((n) => n.startsWith('unified_support')).flatMap(linesOf).map(timeOf).filter(Number.isFinite);
  const span = Math.max(...all) - Math.min(...all);
  const share = (a: number, b: number) => (b - a) / span;
  const w3 = linesOf('unified_support.log.3.gz');
  const w1 = linesOf('unified_support.log.1');
  const ratio = (gap!.right - gap!.left) / (f1!.right - f1!.left);
  const expected = share(timeOf(w3.at(-1)!), timeOf(w1[0]!)) / share(timeOf(w1[0]!), timeOf(w1.at(-1)!));
  assert.ok(Math.abs(ratio - expected) < 0.05 * expected + 0.02, `gap to .1 width ${ratio.toFixed(3)}, the times say ${expected.toFixed(3)}`);

  // a file's name opens its first line in the explorer
  await page.getByTestId('overview-file').filter({ hasText: 'unified_support.log.1' }).locator('button').click();
  await page.waitForURL(/#\/lines\?line=\d+/);
  assert.equal(await page.getByTestId('detail').locator('.where').innerText(), `${join(folder, 'unified_support.log.1')}:1`);
  await page.goBack();
  await page.getByTestId('overview-file').first().waitFor();

  // nodes: every syslog host of the files, with its lines; the skewed node's clock marked
  const hosts = new Map<string, { lines: number; errors: number; warnings: number }>();
  const messages = new Map<string, number>(); // `LEVEL message` → lines
  const spans = new Map<string, { first: string; last: string }>(); // `LEVEL message` → its first and last line's time
  for (const n of logNames()) for (const line of linesOf(n)) {
    const m = /^\S+ (\S+) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} Level="(\w+)"/.exec(line);
    if (!m) continue;
    const h = hosts.get(m[1]!) ?? { lines: 0, errors: 0, warnings: 0 };
    hosts.set(m[1]!, { lines: h.lines + 1, errors: h.errors + (m[2] === 'ERROR' ? 1 : 0), warnings: h.warnings + (m[2] === 'WARNING' ? 1 : 0) });
    const msg = / Message="([^"]*)"/.exec(line);
    if (msg && (m[2] === 'ERROR' || m[2] === 'WARNING')) {
      const key = `${m[2]} ${msg[1]}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
      const t = new Date(timeOf(line)).toISOString();
      const s = spans.get(key);
      spans.set(key, { first: s && s.first < t ? s.first : t, last: s && s.last > t ? s.last : t });
    }
  }
  // (a node's first cell may name its other name: `10.44.99.3 = pxnode-lon-02`)
  const nodes = await page.getByTestId('overview-node').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('td')].map((td, k) => (k === 0 ? (td as HTMLElement).innerText.split(/\s*= /)[0]!.trim() : (td as HTMLElement).innerText))));
  const num = (s: string) => (s === '–' ? 0 : Number(s.replace(/,/g, '')));
  const shown = new Map(nodes.map(([node, lines, errors, warnings]) => [node!, { lines: num(lines!), errors: num(errors!), warnings: num(warnings!) }]));
  // (a line of other layouts, a damaged one, may still name its node: at least the files' counts)
  for (const [host, n] of hosts) {
    const s = shown.get(host);
    assert.ok(s && s.lines >= n.lines, `${host}: ${s?.lines} lines shown, ${n.lines} at least in the files`);
    assert.deepEqual([s.errors, s.warnings], [n.errors, n.warnings], `${host}: errors and warnings`);
  }
  // the most frequent messages of the errors and the warnings, with their lines
  const tops = await page.getByTestId('overview-message').evaluateAll((els) => els.map((e) => ({ level: e.getAttribute('data-level')!, cells: [...e.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText) })));
  assert.ok(tops.some((t) => t.level === 'ERROR') && tops.some((t) => t.level === 'WARNING'));
  for (const t of tops) assert.equal(num(t.cells[0]!), messages.get(`${t.level} ${t.cells[2]}`), `${t.level} ${t.cells[2]}`);
  // each with its first and last line's time
  const shownSpans = await page.getByTestId('overview-message').evaluateAll((els) =>
    els.map((e) => ({ key: `${e.getAttribute('data-level')} ${(e.querySelectorAll('td')[2] as HTMLElement).innerText}`, first: e.querySelector('[data-testid=overview-message-span]')!.getAttribute('data-first'), last: e.querySelector('[data-testid=overview-message-span]')!.getAttribute('data-last') })),
  );
  for (const s of shownSpans) assert.deepEqual({ first: s.first, last: s.last }, spans.get(s.key), s.key);
  for (const level of ['ERROR', 'WARNING']) {
    const most = Math.max(...[...messages].filter(([k]) => k.startsWith(level + ' ')).map(([, n]) => n));
    assert.equal(num(tops.find((t) => t.level === level)!.cells[0]!), most, `${level}: the most frequent first`);
  }
  // (then its calls and failed calls, its location, then its clock)
  for (const [node, , , , , , , clock] of nodes) {
    if (node === 'pxnode-osl-01' || node === '10.46.10.7') assert.match(clock!, /^⚠ 4[67]\.\d s behind$/);
    else if (hosts.has(node!)) assert.match(clock!, /^\d\.\d\d s (behind|ahead)$/);
  }
  // each node's lines over time: its total, and its longest silence as the files' times give it
  const sent = new Map<string, number[]>();
  for (const n of logNames()) for (const line of linesOf(n)) {
    const m = /^(\S+) (\S+) /.exec(line);
    const t = m ? timeOf(line) : NaN;
    if (Number.isFinite(t)) sent.set(m![2]!, [...(sent.get(m![2]!) ?? []), t]);
  }
  const [logFrom, logTo] = [Math.min(...[...sent.values()].flat()), Math.max(...[...sent.values()].flat())];
  const strips = await page.getByTestId('overview-activity-node').evaluateAll((els) =>
    els.map((e) => ({ node: e.getAttribute('data-node')!, total: Number((e.querySelector('.num') as HTMLElement).innerText.replace(/,/g, '')), from: e.querySelector('[data-testid=overview-silence]')!.getAttribute('data-from')!, to: e.querySelector('[data-testid=overview-silence]')!.getAttribute('data-to')! })),
  );
  assert.deepEqual(new Set(strips.map((x) => x.node)), new Set(sent.keys()));
  for (const x of strips) {
    const times = [logFrom, ...sent.get(x.node)!.sort((a, b) => a - b), logTo];
    let best = [0, 0];
    for (let k = 1; k < times.length; k++) if (times[k]! - times[k - 1]! > best[1]! - best[0]!) best = [times[k - 1]!, times[k]!];
    assert.equal(x.total, sent.get(x.node)!.length, `${x.node}: lines`);
    assert.deepEqual([x.from, x.to], best.map((t) => new Date(t).toISOString()), `${x.node}: its longest silence`);
  }

  // a node's longest silence opens its last line before it; a stretch of its strip, its first line in it
  const quietest = strips.reduce((a, b) => (Date.parse(b.to) - Date.parse(b.from) > Date.parse(a.to) - Date.parse(a.from) ? b : a));
  const openedLine = async () => {
    await page.waitForURL(/#\/lines\?q=node.*&line=\d+/);
    const where = await page.getByTestId('detail').locator('.where').innerText();
    return linesOf(where.slice(folder.length + 1, where.lastIndexOf(':')))[Number(where.slice(where.lastIndexOf(':') + 1)) - 1]!;
  };
  await page.locator(`[data-testid=overview-activity-node][data-node="${quietest.node}"] [data-testid=overview-silence]`).click();
  const before = await openedLine();
  assert.equal(before.split(' ')[1], quietest.node);
  assert.equal(timeOf(before), Date.parse(quietest.from), `the last line before the silence: ${before.slice(0, 60)}`);
  assert.equal(await settledCount(page), sent.get(quietest.node)!.length);
  await page.goBack();
  const cell = page.locator(`[data-testid=overview-activity-node][data-node="${quietest.node}"] [data-testid=overview-activity-cell]`).nth(3);
  const stretch = /^(\S+ \S+) – /.exec((await cell.getAttribute('aria-label'))!.slice(quietest.node.length + 1))![1]!;
  await cell.click();
  const firstIn = await openedLine();
  assert.equal(firstIn.split(' ')[1], quietest.node);
  // the stretch's start as the label writes it (UTC, to the ms): the node's first line at or after it
  const stretchAt = Date.parse(`${new Date(logFrom).toISOString().slice(0, 4)}-${stretch.replace(' ', 'T')}Z`);
  assert.equal(timeOf(firstIn), Math.min(...sent.get(quietest.node)!.filter((t) => t >= stretchAt)), `${firstIn.slice(0, 40)}: the first at or after ${stretch}`);
  await page.goBack();
  await page.getByTestId('overview-activity-node').first().waitFor();

  // alarms: a lane per node and alarm the files raise or lower, its spans in it; each span's raise
  // and lowering are lines of the files, of that node and alarm, at those times
  const alarmLines = logNames().flatMap(linesOf).filter((l) => l.includes('Name="administrator.alarm"'));
  const pairs = new Set(alarmLines.flatMap((l) => {
    const m = / Message="Alarm (?:raised|lowered)" Node="([^"]+)" Alarm="([^"]+)"/.exec(l);
    return m ? [`${m[1]} · ${m[2]}`] : [];
  }));
  const lanes = await page.getByTestId('overview-alarm-lane').evaluateAll((els) =>
    els.map((e) => ({
      name: (e.querySelector('a.name') as HTMLElement).innerText,
      n: (e.querySelector('.num') as HTMLElement).innerText,
      bars: [...e.querySelectorAll('[data-testid=overview-alarm]')].map((b) => ({ raised: b.getAttribute('data-raised'), lowered: b.getAttribute('data-lowered') })),
    })),
  );
  assert.deepEqual(new Set(lanes.map((l) => l.name)), pairs);
  const total = Number((await page.getByTestId('overview-alarms').locator('h3 .n').innerText()).replace(/,/g, ''));
  assert.equal(lanes.reduce((n, l) => n + l.bars.length, 0), total);
  for (const lane of lanes) {
    assert.equal(lane.n, `${lane.bars.length.toLocaleString('en-US')}×`);
    const [node, alarm] = lane.name.split(' · ');
    const of = (message: string, iso: string) => alarmLines.some((l) => l.includes(`Message="${message}" Node="${node}" Alarm="${alarm}"`) && timeOf(l) === Date.parse(iso));
    for (const b of lane.bars) {
      assert.ok(b.raised || b.lowered, `${lane.name}: a span has a raise or a lowering`);
      if (b.raised) assert.ok(of('Alarm raised', b.raised), `${lane.name} raised at ${b.raised}`);
      if (b.lowered) assert.ok(of('Alarm lowered', b.lowered), `${lane.name} lowered at ${b.lowered}`);
    }
  }
  // a lane's count opens the calls on its node from its first raise to its last lowering
  const laneLink = page.getByTestId('overview-alarm-calls').first();
  const laneHref = (await laneLink.getAttribute('href'))!;
  const laneParams = new URLSearchParams(laneHref.slice(laneHref.indexOf('?') + 1));
  assert.ok(laneParams.get('node'), laneHref);
  const [laneNode, laneAlarm] = lanes[0]!.name.split(' · ');
  assert.ok(laneParams.get('node')!.split(',').includes(laneNode!), `${laneHref}: on ${laneNode}`);
  const raises = lanes[0]!.bars.map((b) => b.raised);
  const lowers = lanes[0]!.bars.map((b) => b.lowered);
  assert.equal(laneParams.get('from'), raises.includes(null) ? null : raises.sort()[0], `${laneAlarm}: from its first raise`);
  assert.equal(laneParams.get('to'), lowers.includes(null) ? null : lowers.sort().at(-1), `${laneAlarm}: to its last lowering`);
  await laneLink.click();
  await page.waitForURL(/#\/calls\?node=/);
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  const onNode = (await api<{ total: number }>(suite.served, 'calls', { node: laneParams.get('node'), from: laneParams.get('from') ?? undefined, to: laneParams.get('to') ?? undefined, limit: 0 })).total;
  await page.getByText(onNode ? `${onNode} of ` : 'No calls').first().waitFor();
  await page.goBack();
  await page.getByTestId('overview-alarm-calls').first().waitFor();
  // calls over time: the most calls up at once, against the engine's call list counted at each start
  await page.getByTestId('overview-load-col').first().waitFor();
  const listed = (await api<{ rows: Array<{ start: string | null; end: string | null; failed: boolean; noOutcome: boolean; licenses: number | null; licenseType: string | null; media: CallSummary['media'] }> }>(suite.served, 'calls', { sort: 'start', offset: 0, limit: 100_000 })).rows;
  const upSpans = listed.filter((c) => c.start && !c.failed && !c.noOutcome).map((c) => [Date.parse(c.start!), Date.parse(c.end!)] as const);
  const peakUp = Math.max(...upSpans.map(([t]) => upSpans.filter(([a, b]) => a <= t && t < b).length));
  assert.equal(await page.getByTestId('overview-load-peak').innerText(), `peak ${peakUp}`);
  const cols = await page.getByTestId('overview-load-col').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-up'))));
  assert.equal(Math.max(...cols), peakUp);
  const failedCols = await page.getByTestId('overview-failed-col').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-failed'))));
  assert.equal(failedCols.reduce((a, n) => a + n, 0), listed.filter((c) => c.failed).length);
  // a failed stretch opens the failed calls from then
  await page.getByTestId('overview-failed-col').first().click();
  await page.waitForURL(/#\/calls\?result=failed&at=/);
  assert.equal(await page.getByTestId('call-result-filter').inputValue(), 'failed');
  await page.goBack();
  await page.getByTestId('overview-failed-col').first().waitFor();
  // the calls with poor media by when they started; a stretch opens those calls from then
  const poorCols = await page.getByTestId('overview-poor-col').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-poor'))));
  assert.ok(poorCols.length > 0, 'calls with poor media in the bundle');
  assert.equal(poorCols.reduce((a, n) => a + n, 0), listed.filter((c) => poorMedia(c.media)).length);
  await page.getByTestId('overview-poor-col').first().click();
  await page.waitForURL(/#\/calls\?result=poor-media&at=/);
  assert.equal(await page.getByTestId('call-result-filter').inputValue(), 'poor-media');
  await page.goBack();
  await page.getByTestId('overview-poor-col').first().waitFor();
  // licences in use at most, per type: the call list's licences summed at each start
  const held = new Map<string, Array<readonly [number, number, number]>>();
  for (const c of listed) {
    if (!c.licenses || !c.start || c.failed || c.noOutcome) continue;
    const type = c.licenseType ?? '';
    held.set(type, [...(held.get(type) ?? []), [Date.parse(c.start), Date.parse(c.end!), c.licenses]]);
  }
  assert.ok(held.has('port'), 'calls hold port licences');
  const mostHeld = (spans: ReadonlyArray<readonly [number, number, number]>) => Math.max(...spans.map(([t]) => spans.filter(([a, b]) => a <= t && t < b).reduce((n, [, , k]) => n + k, 0)));
  const shownPeaks = await page.getByTestId('overview-license-peak').evaluateAll((els) => els.map((e) => [e.getAttribute('data-type')!, Number(e.textContent!.replace(/,/g, ''))] as const));
  assert.deepEqual(new Map(shownPeaks), new Map([...held].map(([type, spans]) => [type, mostHeld(spans)])));
  // the time of the most calls up at once opens the calls up at that moment: as many as the peak (those ending then are not up)
  await page.getByTestId('overview-load-peak-at').click();
  await page.waitForURL(/#\/calls\?from=[^&]+&to=/);
  await page.getByTestId('call-stat-window').waitFor();
  const peakAt = decodeURIComponent(/from=([^&]+)/.exec(page.url())![1]!);
  const thenUp = listed.filter((c) => c.start && !c.failed && !c.noOutcome && Date.parse(c.start) <= Date.parse(peakAt) && Date.parse(c.end!) > Date.parse(peakAt));
  assert.equal(thenUp.length, peakUp);
  const inWindow = (await api<{ total: number }>(suite.served, 'calls', { from: peakAt, to: peakAt, limit: 0 })).total;
  await page.getByText(`${inWindow} of `).first().waitFor();
  assert.ok(inWindow >= peakUp, `the window holds the ${peakUp} calls up then (and any that ended or failed at that moment): ${inWindow}`);
  await page.goBack();
  await page.getByTestId('overview-load-peak-at').waitFor();
  // a stretch opens the call list in start order at its first call
  await page.locator(`[data-testid=overview-load-col][data-up="${peakUp}"]`).first().click();
  await page.waitForURL(/#\/calls\?at=/);
  const at = decodeURIComponent(/at=([^&]+)/.exec(page.url())![1]!);
  const firstAt = listed.find((c) => c.start !== null && c.start >= at)!;
  await page.waitForFunction((want) => document.querySelector('[data-testid=call-row].cursor')?.children[0]?.textContent === want, firstAt.start!.slice(5, 23).replace('T', ' '));
  assert.match(await page.locator('.th.sorted').innerText(), /^Start ▴/);
  await page.goBack();
  await page.getByTestId('overview-node').first().waitFor();

  await page.getByTestId('overview-calls').locator('a').first().waitFor();
  // Copy summary: the overview as text for a case note; the version, the warnings and each node's line count as shown
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-overview').click();
  await page.getByTestId('copy-overview').getByText('Copied').waitFor();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).split('\n');
  assert.equal(copied[0], `Bundle: ${folder}`);
  assert.ok(copied.includes(`  Pexip Infinity ${platform.version} (build=${platform.build})`), copied.slice(0, 5).join('\n'));
  for (const w of warnings) assert.ok(copied.includes(`  ${w}`), `warning copied: ${w}`);
  // (a node known by another name too says it: `  pxnode-lon-01 (= 10.44.99.2): …`)
  for (const x of strips) assert.ok(copied.some((l) => new RegExp(`^  ${x.node.replace(/\./g, '\\.')}( \\(= [^)]+\\))?: ${x.total.toLocaleString('en-US')} lines, `).test(l)), `${x.node} copied`);
  assert.ok(copied.some((l) => l.startsWith(`Calls: ${listed.length} (`)), 'the calls copied');
  await screenshot(page, 'overview');
  // why calls failed: a reason opens the call list's search for the failed calls that name it
  const why = page.getByTestId('overview-failed').locator('a').first();
  const failedN = Number((await why.locator('b').innerText()).replace(/,/g, ''));
  await why.click();
  await page.waitForURL(/#\/calls\?q=failed/);
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  const results = await page.locator('[data-testid=call-row] > span:nth-child(10)').allInnerTexts();
  assert.equal(results.length, failedN);
  for (const r of results) assert.match(r, /^failed: /);
  await page.goBack();
  await page.getByTestId('overview-node').first().waitFor();
  // poor media: the figure opens the call list filtered to those calls
  const poorN = Number((await page.getByTestId('overview-poor-media').locator('b').innerText()).replace(/,/g, ''));
  await page.getByTestId('overview-poor-media').click();
  await page.waitForURL(/#\/calls\?result=poor-media/);
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  assert.equal(await page.getByTestId('call-result-filter').inputValue(), 'poor-media');
  await page.getByText(`${poorN} of `).first().waitFor();
  assert.match(await page.getByTestId('call-stat-poor-media').innerText(), new RegExp(`^${poorN} poor media$`));
  await page.goBack();
  await page.getByTestId('overview-node').first().waitFor();
  // a span opens its instance's lines at its first line; a lane's name, its alarm's lines on that node
  const raisedBar = page.locator('[data-testid=overview-alarm][data-raised]');
  const lane = page.getByTestId('overview-alarm-lane').filter({ has: raisedBar }).first();
  const spanBar = lane.locator(raisedBar).first();
  const [raised, instance] = [(await spanBar.getAttribute('data-raised'))!, (await spanBar.getAttribute('data-instance'))!];
  const laneName = (await lane.locator('a.name').innerText()).split(' · ');
  await spanBar.click();
  await page.waitForURL(/#\/lines\?q=alarm.*&line=\d+/);
  assert.equal(await settledCount(page), alarmLines.filter((l) => l.includes(`Alarm="${laneName[1]}" Instance="${instance}"`)).length);
  const where = await page.getByTestId('detail').locator('.where').innerText();
  const [file, lineNo] = [where.slice(0, where.lastIndexOf(':')), Number(where.slice(where.lastIndexOf(':') + 1))];
  const opened = linesOf(file.slice(folder.length + 1))[lineNo - 1]!;
  assert.ok(opened.includes(`Message="Alarm raised" Node="${laneName[0]}" Alarm="${laneName[1]}" Instance="${instance}"`) && timeOf(opened) === Date.parse(raised), opened);
  await page.goBack();
  await page.getByTestId('overview-alarm-lane').first().waitFor();
  await page.getByTestId('overview-alarm-lane').first().locator('a.name').click();
  await page.waitForURL(/#\/lines\?q=alarm/);
  const [node0, alarm0] = lanes[0]!.name.split(' · ');
  assert.equal(await settledCount(page), alarmLines.filter((l) => l.includes(` Node="${node0}" Alarm="${alarm0}"`)).length);
  await page.goBack();
  await page.getByTestId('overview-node').first().waitFor();

  // a node's name opens its lines in the explorer
  await page.getByTestId('overview-node').locator('a', { hasText: /^pxnode-osl-01$/ }).click();
  await page.waitForURL(/#\/lines\?q=node/);
  assert.equal(await settledCount(page), shown.get('pxnode-osl-01')!.lines);
  await page.goBack();
  const first = page.getByTestId('overview-message').first();
  await first.waitFor();
  const [n, , message] = await first.locator('td').allInnerTexts();
  await first.locator('a').click();
  await page.waitForURL(/#\/lines\?q=.*message/);
  assert.equal(await settledCount(page), num(n!), `the lines of ${message}`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the registrations page lists every alias the files register, the refused ones by their answer, and an alias\'s lines as the explorer finds them', { skip }, async () => {
  // a plain reading of the files: each alias's REGISTERs a node received and their answers, and
  // its registration lines; the last of those that decide says its state
  const lines = logNames().sort((a, b) => (b.match(/\.(\d+)/)?.[1] ?? '0').localeCompare(a.match(/\.(\d+)/)?.[1] ?? '0')).flatMap(linesOf);
  const last = new Map<string, string>();
  const count = new Map<string, number>();
  for (const l of lines) {
    let alias: string | undefined;
    let says: string | null = null;
    if (l.includes(' Name="administrator.registration" ')) {
      alias = / Alias="([^"]*)"/.exec(l)?.[1];
      says = / Message="Registration deleted"/.test(l) ? 'unregistered' : 'registered';
    } else if (l.includes(' Name="support.sip" ') && /\^MCSeq: \d+ REGISTER\^M/.test(l)) {
      alias = /\^MTo: <sip:([^>]*)>/.exec(l)?.[1];
      const code = Number(/Detail="\^MSIP\/2\.0 (\d{3})/.exec(l)?.[1] ?? 0);
      if (code && l.includes('Message="Received SIP message"')) continue;
      if (code >= 300 && code !== 401 && code !== 407) says = 'refused';
      else if (code >= 200 && code < 300) says = 'registered';
    }
    if (!alias) continue;
    alias = alias.toLowerCase();
    count.set(alias, (count.get(alias) ?? 0) + 1);
    if (says) last.set(alias, says);
  }
  const refused = [...last].filter(([, s]) => s === 'refused').map(([a]) => a).sort();
  assert.ok(refused.length > 0, 'the bundle has a refused alias');
  const calls = (await api<{ rows: Array<{ id: string; from: string | null; start: string | null }> }>(suite.served, 'calls', { offset: 0, limit: 10_000 })).rows;

  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  // the overview counts them; its refused figure opens the page on them
  const refusedFigure = page.getByTestId('overview-registration-refused');
  assert.equal(await refusedFigure.locator('b').innerText(), String(refused.length));
  await refusedFigure.click();
  await page.waitForURL(/#\/registrations\?state=refused$/);
  await page.locator('[data-testid=registrations][data-state=ready]').waitFor();
  assert.deepEqual((await page.getByTestId('registration-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-alias')))).sort(), refused);
  // the tab comes back to the page as it was left (refused only); all of them without a state
  await page.goBack();
  await page.getByTestId('tab-registrations').click();
  await page.waitForURL(/#\/registrations\?state=refused$/);
  await page.getByTestId('registration-state-refused').click();
  await page.waitForURL(/#\/registrations$/);
  const list = page.locator('[data-testid=registrations][data-state=ready]');
  await list.waitFor();
  assert.deepEqual((await page.getByTestId('registration-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-alias')))).sort(), [...count.keys()].sort());
  // sorted by state, the refused come first; again, last
  await page.getByTestId('registration-sort-state').click();
  const byState = async () => page.getByTestId('registration-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.deepEqual((await byState()).slice(0, refused.length), refused.map(() => 'refused'));
  await page.getByTestId('registration-sort-state').click();
  assert.deepEqual((await byState()).slice(-refused.length), refused.map(() => 'refused'));
  // the refused ones, with the chip
  await page.getByTestId('registration-state-refused').click();
  await page.waitForURL(/#\/registrations\?state=refused$/);
  assert.deepEqual((await page.getByTestId('registration-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-alias')))).sort(), refused);
  // Copy list: the rows shown as the CLI's table, a line each (the refused, with their answer)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('registration-copy').click();
  const copiedLines = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split('\n');
  assert.match(copiedLines[0]!, new RegExp(`^${refused.length} of ${count.size} aliases refused, times in UTC$`));
  assert.deepEqual(copiedLines.slice(3).map((l) => l.split(/\s+/)[0]), refused);
  for (const l of copiedLines.slice(3)) assert.match(l, /\s{2}refused \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(40[34] (Forbidden|Not Found)\)/);
  // one of them: its lines, each a REGISTER or its refusal, then the same lines in the explorer
  const alias = refused[0]!;
  await page.locator(`[data-testid=registration-row][data-alias="${alias}"] a`).click();
  await page.getByTestId('registration-detail').waitFor();
  // (its lines come after its detail opens: on a busy machine, a moment after)
  await page.getByTestId('registration-event').nth(count.get(alias)! - 1).waitFor();
  const kinds = await page.getByTestId('registration-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  // its timeline: refused from its first refusal to the log's end
  const spans = await page.locator('[data-testid=registration-timeline] .track [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.ok(spans.length > 0 && spans.every((s) => s === 'refused'), spans.join(' '));
  assert.equal(kinds.length, count.get(alias));
  assert.ok(kinds.every((k) => k === 'request' || k === 'refused' || k === 'challenged'), kinds.join(' '));
  await screenshot(page, 'registrations-refused');
  // an event opens its line in the explorer, whose detail leads back to the registration
  await page.getByTestId('registration-event').first().locator('a').click();
  await page.waitForURL(/#\/lines\?q=.*&line=\d+/);
  const back = page.getByTestId('registration-link');
  assert.equal(await back.innerText(), `Registration of ${alias}`);
  await back.click();
  await page.getByTestId('registration-detail').waitFor();
  assert.equal(await page.getByTestId('registration-detail').getAttribute('data-alias'), alias);
  await page.goBack();
  await page.goBack();
  await page.getByTestId('registration-detail').waitFor();
  await page.getByTestId('registration-lines').click();
  await page.waitForURL(/#\/lines\?q=/);
  assert.equal(await settledCount(page), count.get(alias));
  // Back returns to the page as it was: the state and the alias picked
  await page.goBack();
  await page.getByTestId('registration-detail').waitFor();
  assert.match(page.url(), new RegExp(`#/registrations\\?state=refused&alias=${encodeURIComponent(alias).replace(/\./g, '\\.')}$`));

  // a call from a refused alias says so in its view, if a refusal came before it started (the files' times)
  const from = refused.map((a) => ({ a, c: calls.find((c) => c.from === `sip:${a}` && c.start) })).find((x) => x.c)!;
  assert.ok(from, 'a call from a refused alias');
  const refusedBefore = lines.some((l) => l.includes(`^MTo: <sip:${from.a}>`) && /Detail="\^MSIP\/2\.0 40[34] /.test(l) && timeOf(l) <= Date.parse(from.c!.start!));
  await page.goto(suite.served.base + `#/call/${encodeURIComponent(from.c!.id)}`);
  const reg = page.locator(`[data-testid=call-registration] [data-alias="${from.a}"]`);
  await reg.waitFor();
  assert.equal(await reg.getAttribute('data-state'), refusedBefore ? 'refused' : 'unknown');
  // its Copy summary says it too
  await page.getByTestId('copy-summary').click();
  await page.getByTestId('copy-summary').getByText('Copied').waitFor();
  const summary = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(summary, new RegExp(`\\nRegistration \\.+ ${from.a.replace(/\./g, '\\.')}: ${refusedBefore ? 'refused at' : 'no registration decided'}[^\\n]* when the call started\\n`));
  await reg.locator('a').click();
  await page.waitForURL(new RegExp(`#/registrations\\?alias=`));
  assert.equal(await page.getByTestId('registration-detail').getAttribute('data-alias'), from.a);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the audit page lists the failed logins by user and address, the addresses Break-in prevention blocked, and an administrator\'s disconnect in its call', { skip }, async () => {
  // a plain reading of the files: the logins by user and address, the break-in lines by address
  const lines = logNames().sort((a, b) => (b.match(/\.(\d+)/)?.[1] ?? '0').localeCompare(a.match(/\.(\d+)/)?.[1] ?? '0')).flatMap(linesOf);
  const logins = new Map<string, { n: number; failed: number }>();
  const blocked = new Map<string, string[]>();
  let breakIns = 0;
  let disconnect: string | null = null;
  for (const l of lines) {
    const message = / Message="([^"]*)"/.exec(l)?.[1] ?? '';
    if (l.includes(' Name="administrator.configuration" ') && /^User (logged|login)/.test(message)) {
      const key = `${/ User="([^"]*)"/.exec(l)![1]} from ${/ Remote-Address="([^"]*)"/.exec(l)![1]}`;
      const r = logins.get(key) ?? { n: 0, failed: 0 };
      r.n++;
      if (message === 'User login failed') r.failed++;
      logins.set(key, r);
    } else if (l.includes(' Name="administrator.conference" ') && /quarantined|rejecting call attempt/.test(message)) {
      const address = / Remote-address="([^"]*)"/.exec(l)![1]!;
      blocked.set(address, [...(blocked.get(address) ?? []), l]);
    } else if (message === 'Initiated disconnect command.') disconnect ??= / Participant-Id="([^"]*)"/.exec(l)![1]!;
    if (l.includes(' Name="administrator.conference" ') && message.includes('Break-in prevention')) breakIns++;
  }
  const failing = [...logins].filter(([, r]) => r.failed > 0).map(([k]) => k).sort();
  assert.ok(failing.length > 0 && blocked.size > 0 && disconnect, 'the bundle has failed logins, a blocked address and a disconnect by an administrator');

  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  // the overview counts the subjects of each category; logins opens the page on them
  const figure = page.getByTestId('overview-audit-login');
  await figure.waitFor();
  const failed = failing.reduce((n, k) => n + logins.get(k)!.failed, 0);
  assert.equal(await figure.innerText(), `${logins.size} logins ${failed} alert${failed === 1 ? '' : 's'}`);
  // over time: the break-in lane holds every break-in line, each stretch of them an alert; one opens the administrator lines from then
  const lane = page.locator('[data-testid=overview-audit-lane][data-category=break-in]');
  assert.equal(await lane.getByTestId('overview-audit-lines').innerText(), String(breakIns));
  const cells = await lane.getByTestId('overview-audit-cell').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-lines')), Number(e.getAttribute('data-alerts'))]));
  assert.equal(cells.reduce((n, [x]) => n + x!, 0), breakIns);
  assert.ok(cells.every(([x, a]) => x === a), 'every break-in line an alert');
  await lane.getByTestId('overview-audit-cell').first().click();
  await page.waitForURL(/#\/lines\?q=name%3Aadministrator\*&line=\d+$/);
  await page.goBack();
  await figure.click();
  await page.waitForURL(/#\/audit\?category=login$/);
  await page.locator('[data-testid=audit][data-state=ready]').waitFor();
  const subjects = () => page.getByTestId('audit-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')!));
  assert.deepEqual((await subjects()).sort(), [...logins.keys()].sort());
  await page.getByTestId('audit-alerts').check();
  await page.waitForURL(/#\/audit\?category=login&alerts=1$/);
  // the URL changes before the list redraws: wait for it to hold as many rows as the alerts
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=audit-row]').length === n, failing.length);
  assert.deepEqual((await subjects()).sort(), failing);
  // Copy list: the rows shown as the CLI's table
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('audit-copy').click();
  await page.getByTestId('audit-copy').getByText('Copied').waitFor();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split('\n');
  assert.match(copied[0]!, new RegExp(`^${failing.length} of \\d+ subjects of logins with alerts, times in UTC$`));
  assert.deepEqual(copied.slice(3).map((l) => l.slice(21).split('  ')[0]!.trim()).sort(), failing);

  // a blocked address: its lines, each a link to its place among all lines
  const [address, own] = [...blocked][0]!;
  await page.getByTestId('audit-category-break-in').click();
  await page.locator(`[data-testid=audit-row][data-subject="${address}"] a`).click();
  await page.getByTestId('audit-detail').waitFor();
  // (the subject's lines come after its detail opens: on a busy machine, a moment after)
  await page.getByTestId('audit-event').nth(own.length - 1).waitFor();
  assert.equal(await page.getByTestId('audit-event').count(), own.length);
  assert.equal(await page.locator('[data-testid=audit-timeline] .tick.alert').count(), own.length);
  await screenshot(page, 'audit-break-in');
  await page.getByTestId('audit-event').last().locator('a').first().click();
  await page.waitForURL(/#\/lines\?line=\d+$/);
  const detail = page.getByTestId('detail');
  await detail.getByText(address).first().waitFor();
  assert.ok((await detail.innerText()).includes('rejecting call attempt from quarantined caller'), 'the explorer shows the last of them');
  // whose detail leads back to its subject
  const back = page.getByTestId('audit-link');
  assert.equal(await back.innerText(), `Audit: ${address}`);
  await back.click();
  await page.waitForURL(/#\/audit\?category=break-in&subject=/);
  assert.equal(await page.getByTestId('audit-detail').getAttribute('data-subject'), address);
  // its lines in the explorer: the search finds them all
  await page.getByTestId('audit-lines').click();
  await page.waitForURL(/#\/lines\?q=/);
  assert.equal(await settledCount(page), own.length);

  // the call an administrator disconnected says so in its view, linking to the audit
  await page.goto(suite.served.base + `#/call/${encodeURIComponent(disconnect!)}`);
  const audit = page.getByTestId('call-audit');
  await audit.waitFor();
  assert.match(await audit.innerText(), /Initiated disconnect command\. by admin/);
  await audit.locator('a').first().click();
  await page.waitForURL(/#\/audit\?category=control&subject=/);
  await page.getByTestId('audit-detail').waitFor();
  // g a: the audit page from anywhere
  await page.goto(suite.served.base + '#/lines');
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await page.waitForURL(/#\/audit/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("provisioning in the audit trail: the Overview counts the lines the generator wrote and their alerts, the page lists their subjects, the alerts keep the failed syncs, clashes, dropped meetings and overloaded locations, and a subject's detail holds its lines", { skip, timeout: 120_000 }, async () => {
  const file = join(suite.dir, 'provisioning', 'unified_support.log');
  mkdirSync(dirname(file), { recursive: true });
  const truth = await writeLog(file, { seed: 31, calls: 150, provisioning: true, damaged: false });
  const made = truth.provisioning;
  const alerts = made.filter((p) => p.alert);
  assert.ok(alerts.length > 0 && alerts.length < made.length, 'the generator wrote provisioning lines, some of them alerts');
  // a subject names what its lines are about: `Europe sync`, `alias meet@example.com`, `VMR 13`, `location Oslo`
  const about = (subject: string, what: string) => subject === what || subject.startsWith(`${what} `) || subject.endsWith(` ${what}`);
  const s = await serve([file]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/overview');
    const lane = page.locator('[data-testid=overview-audit-lane][data-category=provisioning]');
    await lane.waitFor();
    assert.equal(await lane.getByTestId('overview-audit-lines').innerText(), String(made.length));
    const cells = await lane.getByTestId('overview-audit-cell').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-alerts'))));
    assert.equal(cells.reduce((n, a) => n + a, 0), alerts.length);
    const figure = page.getByTestId('overview-audit-provisioning');
    assert.match(await figure.innerText(), new RegExp(` provisioning ${alerts.length} alerts?$`));
    await figure.click();
    await page.waitForURL(/#\/audit\?category=provisioning$/);
    await page.locator('[data-testid=audit][data-state=ready]').waitFor();
    const subjects = () => page.getByTestId('audit-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')!));
    const all = await subjects();
    for (const p of made.filter((p) => !p.message.startsWith('Shutting down idle worker'))) assert.ok(all.some((x) => about(x, p.about)), `a subject for ${p.message} (${p.about})`);
    await page.getByTestId('audit-alerts').check();
    await page.waitForURL(/#\/audit\?category=provisioning&alerts=1$/);
    // the URL changes before the list redraws: wait for the rows to be the alerts' before reading them
    const wantAlerted = new Set(all.filter((x) => alerts.some((p) => about(x, p.about))));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=audit-row]').length === n, wantAlerted.size);
    const alerted = await subjects();
    assert.deepEqual(new Set(alerted), wantAlerted);
    // an alert's subject: its lines, those the generator wrote about it
    const first = alerted[0]!;
    await page.locator(`[data-testid=audit-row][data-subject="${first}"] a`).first().click();
    await page.locator(`[data-testid=audit-detail][data-subject="${first}"]`).waitFor();
    const own = made.filter((p) => about(first, p.about));
    await page.getByTestId('audit-event').nth(own.length - 1).waitFor();
    assert.equal(await page.getByTestId('audit-event').count(), own.length);
    assert.equal(await page.locator('[data-testid=audit-timeline] .tick.alert').count(), own.filter((p) => p.alert).length);
    await screenshot(page, 'audit-provisioning');
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});

test("a node's application start is marked on its row of the nodes over time, and opens its line", { skip }, async () => {
  const lines = logNames().flatMap(linesOf);
  const starts = lines.filter((l) => l.includes(' Name="administrator.system" Message="Starting Infinity application."'));
  assert.ok(starts.length > 0, 'a node restarts in the bundle');
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  await page.getByTestId('overview-activity').waitFor();
  for (const l of starts) {
    const node = l.split(' ')[1]!;
    const time = new Date(timeOf(l)).toISOString();
    const mark = page.locator(`[data-testid=overview-activity-node][data-node="${node}"] [data-testid=overview-start-mark][data-time="${time}"]`);
    assert.equal(await mark.count(), 1, `${node} at ${time}`);
    assert.match((await mark.getAttribute('title'))!, new RegExp(`^${node.replace(/\./g, '\\.')} started at .*, version ${/ Version="([^"]+)"/.exec(l)![1]!.replace(/[()]/g, '\\$&')}, pid \\d+\\. Click: its line$`));
  }
  assert.equal(await page.getByTestId('overview-start-mark').count(), starts.length);
  // "its calls then": the calls on that node (either name) up as it started, those it cut
  const startCalls = page.getByTestId('overview-start-calls').first();
  const startHref = (await startCalls.getAttribute('href'))!;
  const startParams = new URLSearchParams(startHref.slice(startHref.indexOf('?') + 1));
  const started = new Date(timeOf(starts[0]!)).toISOString();
  assert.deepEqual([startParams.get('from'), startParams.get('to')], [started, started]);
  assert.ok(startParams.get('node')!.split(',').includes(starts[0]!.split(' ')[1]!), startHref);
  await startCalls.click();
  await page.waitForURL(/#\/calls\?node=/);
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  const cutThen = (await api<{ total: number }>(suite.served, 'calls', { node: startParams.get('node'), from: started, to: started, limit: 0 })).total;
  assert.ok(cutThen > 0, 'calls up on the node as it started');
  await page.getByText(`${cutThen} of `).first().waitFor();
  await page.goBack();
  await page.getByTestId('overview-start-mark').first().waitFor();
  // a mark opens its line in the explorer
  await page.getByTestId('overview-start-mark').first().click();
  await page.waitForURL(/#\/lines\?line=\d+$/);
  await page.getByTestId('detail').getByText('Starting Infinity application.').first().waitFor();
  // a call up on that node then says so in its view (the call found through the engine; what the
  // view says checked against the start's line)
  const calls = (await api<{ rows: Array<{ id: string; start: string | null; end: string | null }> }>(suite.served, 'calls', { offset: 0, limit: 10_000 })).rows;
  const first = new Date(timeOf(starts[0]!)).toISOString();
  let cut: string | null = null;
  for (const c of calls.filter((x) => x.start && x.start <= first && (x.end ?? x.start) >= first)) {
    const t = await api<{ restarts?: Array<{ time: string }> }>(suite.served, 'callTrace', { id: c.id });
    if (t.restarts?.some((s) => s.time === first)) {
      cut = c.id;
      break;
    }
  }
  assert.ok(cut, 'a call up on the node as it restarted');
  await page.goto(suite.served.base + `#/call/${encodeURIComponent(cut!)}`);
  const row = page.getByTestId('call-restart');
  await row.waitFor();
  assert.equal(await row.innerText(), `${starts[0]!.split(' ')[1]} started at ${first.slice(0, 19).replace('T', ' ')}, version ${/ Version="([^"]+)"/.exec(starts[0]!)![1]}, pid ${/ Pid="(\d+)"/.exec(starts[0]!)![1]}, while the call was up`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("nodes out of contact: a lane per pair of nodes with each loss from the files' lines, opening them; a call and a conference across the two say so", { skip }, async () => {
  const lines = logNames().flatMap(linesOf).filter((l) => l.includes('Name="administrator.system.connectivity"'));
  const said = (l: string) => / Message="(Unable to contact node\.|Connectivity re-established\.)" Src-Node="([^"]+)" Node="([^"]+)"/.exec(l);
  const pairs = new Set(lines.flatMap((l) => {
    const m = said(l);
    return m ? [[m[2]!, m[3]!].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(' ↔ ')] : [];
  }));
  assert.ok(pairs.size > 1, 'nodes out of contact in the files');
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  await page.getByTestId('overview-contact-lane').first().waitFor();
  const lanes = await page.getByTestId('overview-contact-lane').evaluateAll((els) =>
    els.map((e) => ({
      name: (e.querySelector('a.name') as HTMLElement).innerText,
      n: (e.querySelector('.num') as HTMLElement).innerText,
      bars: [...e.querySelectorAll('[data-testid=overview-contact-loss]')].map((b) => ({ from: b.getAttribute('data-from')!, to: b.getAttribute('data-to')!, lost: b.getAttribute('data-lost'), back: b.getAttribute('data-back') })),
    })),
  );
  assert.deepEqual(new Set(lanes.map((l) => l.name)), pairs);
  const total = Number((await page.getByTestId('overview-contact').locator('h3 .n').innerText()).replace(/,/g, ''));
  assert.equal(lanes.reduce((n, l) => n + l.bars.length, 0), total);
  for (const lane of lanes) {
    assert.equal(lane.n, `${lane.bars.length.toLocaleString('en-US')}×`);
    for (const b of lane.bars) {
      assert.equal([b.from, b.to].sort((x, y) => x.localeCompare(y, undefined, { numeric: true })).join(' ↔ '), lane.name);
      const of = (message: string, iso: string) => lines.some((l) => l.includes(`Message="${message}" Src-Node="${b.from}" Node="${b.to}"`) && timeOf(l) === Date.parse(iso));
      assert.ok(b.lost || b.back, `${lane.name}: a loss has a report or contact back`);
      if (b.lost) assert.ok(of('Unable to contact node.', b.lost), `${b.from} lost ${b.to} at ${b.lost}`);
      if (b.back) assert.ok(of('Connectivity re-established.', b.back), `${b.from} back to ${b.to} at ${b.back}`);
    }
  }
  // a lane's count opens the calls on either node from its first loss to contact last back
  const [a, b] = lanes[0]!.name.split(' ↔ ');
  const countHref = (await page.getByTestId('overview-contact-calls').first().getAttribute('href'))!;
  const countParams = new URLSearchParams(countHref.slice(countHref.indexOf('?') + 1));
  assert.ok([a!, b!].every((n) => countParams.get('node')!.split(',').includes(n)), countHref);
  const losts = lanes[0]!.bars.map((x) => x.lost);
  const backs = lanes[0]!.bars.map((x) => x.back);
  assert.equal(countParams.get('from'), losts.includes(null) ? null : losts.sort()[0]);
  assert.equal(countParams.get('to'), backs.includes(null) ? null : backs.sort().at(-1));
  await page.getByTestId('overview-contact-calls').first().click();
  await page.waitForURL(/#\/calls\?node=/);
  await page.locator('[data-testid=call-list][data-state=ready]').waitFor();
  const onEither = (await api<{ total: number }>(suite.served, 'calls', { node: countParams.get('node'), from: countParams.get('from') ?? undefined, to: countParams.get('to') ?? undefined, limit: 0 })).total;
  await page.getByText(onEither ? `${onEither} of ` : 'No calls').first().waitFor();
  await page.goBack();
  await page.getByTestId('overview-contact-lane').first().waitFor();
  // a lane's name opens the connectivity lines of the two about each other, either way
  await page.getByTestId('overview-contact-lane').first().locator('a.name').click();
  await page.waitForURL(/#\/lines\?q=name/);
  assert.equal(await settledCount(page), lines.filter((l) => l.includes(` Src-Node="${a}" Node="${b}"`) || l.includes(` Src-Node="${b}" Node="${a}"`)).length);
  await page.goBack();
  // a loss opens its first line, among the lines of that node about the other
  const bar = page.locator('[data-testid=overview-contact-loss][data-lost]').first();
  const [from, to, lost] = [(await bar.getAttribute('data-from'))!, (await bar.getAttribute('data-to'))!, (await bar.getAttribute('data-lost'))!];
  await bar.click();
  await page.waitForURL(/#\/lines\?q=name.*&line=\d+/);
  assert.equal(await settledCount(page), lines.filter((l) => l.includes(` Src-Node="${from}" Node="${to}"`)).length);
  const where = await page.getByTestId('detail').locator('.where').innerText();
  const opened = linesOf(where.slice(folder.length + 1, where.lastIndexOf(':')))[Number(where.slice(where.lastIndexOf(':') + 1)) - 1]!;
  assert.ok(opened.includes(`Message="Unable to contact node." Src-Node="${from}" Node="${to}"`) && timeOf(opened) === Date.parse(lost), opened);

  // a call signaled on one node and mixed on another while the two could not reach each other
  const calls = (await api<{ rows: Array<{ id: string; conferenceId: string | null; signalingNode: string | null; mediaNode: string | null }> }>(suite.served, 'calls', { offset: 0, limit: 10_000 })).rows;
  let cut: { id: string; conferenceId: string | null; words: string[] } | null = null;
  for (const c of calls.filter((x) => x.signalingNode && x.mediaNode && x.signalingNode !== x.mediaNode)) {
    const t = await api<{ contactLosses?: Array<{ from: string; to: string; lost: string | null; back: string | null; reports: number }> }>(suite.served, 'callTrace', { id: c.id });
    if (t.contactLosses?.length === 1) {
      const l = t.contactLosses[0]!;
      cut = { id: c.id, conferenceId: c.conferenceId, words: [l.from, l.to, l.lost ? l.lost.slice(0, 19).replace('T', ' ') : 'since before the log began', l.back ? l.back.slice(0, 19).replace('T', ' ') : 'still lost'] };
      break;
    }
  }
  assert.ok(cut, 'a call whose two nodes could not reach each other while it was up');
  await page.goto(suite.served.base + `#/call/${encodeURIComponent(cut!.id)}`);
  const row = page.getByTestId('call-contact');
  await row.waitFor();
  const text = await row.innerText();
  assert.ok(text.startsWith(`${cut!.words[0]} could not reach ${cut!.words[1]} `) && text.endsWith(', while the call was up'), text);
  for (const w of cut!.words.slice(2)) assert.ok(text.includes(w), `${text}: ${w}`);
  // its conference shows it on its timeline, under its participants
  await page.goto(suite.served.base + `#/conference/${encodeURIComponent(cut!.conferenceId!)}`);
  const under = page.getByTestId('conference-contact');
  await under.first().waitFor();
  const titles = await under.evaluateAll((els) => els.map((e) => e.getAttribute('title')!));
  assert.ok(titles.some((t) => t.startsWith(`${cut!.words[0]} could not reach ${cut!.words[1]} `)), titles.join('\n'));
  await screenshot(page, 'conference-contact');
  // Copy summary: the conference as `pexlens conference` prints it, the loss among its lines
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('conference-copy-summary').click();
  await page.getByTestId('conference-copy-summary').getByText('Copied').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const cli = execFileSync(process.execPath, [join(ROOT, 'bin/pexlens.js'), 'conference', folder, '--conference', cut!.conferenceId!, '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } }).toString();
  assert.equal(copied, cli);
  assert.ok(copied.includes(`\nIts nodes out of contact while calls on both were up:\n  ${cut!.words[0]} could not reach ${cut!.words[1]} `), copied);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("what happened in a window: from the call list's window, the timeline of it, copied with the window said; its chip gives back the whole log's", { skip }, async () => {
  const whole = await api<Array<{ time: string; kind: string }>>(suite.served, 'timeline', {});
  const times = whole.map((e) => e.time).sort();
  const from = times[Math.floor(times.length / 3)]!;
  const to = new Date(Date.parse(from) + 300_000).toISOString();
  const want = await api<Array<{ time: string; kind: string; text: string; until: string | null }>>(suite.served, 'timeline', { from, to });
  assert.ok(want.length > 0 && want.length < whole.length, `${want.length} of ${whole.length} events`);
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + `#/calls?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await page.getByTestId('call-window-events').click();
  await page.waitForURL(/#\/overview\?from=/);
  await page.getByTestId('timeline-window').waitFor();
  if (want.length > 60) await page.getByTestId('timeline-all').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=timeline-event]').length === n, want.length);
  const shown = await page.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => [e.getAttribute('data-time'), e.getAttribute('data-kind')]));
  assert.deepEqual(shown, want.map((e) => [e.time, e.kind]));
  // copied for a case note: the window said, then the entries as the CLI's timeline writes them
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('timeline-copy').click();
  await page.getByTestId('timeline-copy').getByText('Copied').waitFor();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split('\n');
  const utc = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  assert.equal(copied[0], `What happened from ${utc(from)} to ${utc(to)} (UTC):`);
  assert.deepEqual(copied.slice(1), want.map((e) => `${utc(e.time)}  ${e.kind.padEnd(7)}  ${e.text}${e.until ? ` until ${utc(e.until)}` : ''}`));
  // its calls: the call list of the window
  const callsHref = (await page.getByTestId('timeline-window-calls').getAttribute('href'))!;
  const callsParams = new URLSearchParams(callsHref.slice(callsHref.indexOf('?') + 1));
  assert.deepEqual([callsHref.slice(0, callsHref.indexOf('?')), callsParams.get('from'), callsParams.get('to')], ['#/calls', from, to]);
  // a call's and a conference's views lead to what happened while they were up
  const one = (await api<{ rows: Array<{ id: string; start: string | null; end: string | null; conferenceId: string | null }> }>(suite.served, 'calls', { from, to, offset: 0, limit: 1 })).rows[0]!;
  await page.goto(suite.served.base + `#/call/${encodeURIComponent(one.id)}`);
  await page.getByTestId('call-meanwhile').click();
  await page.waitForURL(/#\/overview\?from=/);
  const hash = new URL(page.url()).hash;
  const meanwhile = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
  assert.deepEqual([meanwhile.get('from'), meanwhile.get('to')], [one.start, one.end ?? one.start]);
  await page.getByTestId('timeline-window').waitFor();
  await page.goBack();
  await page.goBack();
  await page.getByTestId('timeline-window').waitFor();
  // the chip: the whole log's timeline again
  await page.getByTestId('timeline-window').click();
  await page.waitForURL(/#\/overview$/);
  await page.getByTestId('timeline-window').waitFor({ state: 'detached' });
  assert.equal(Number((await page.getByTestId('overview-timeline').locator('h3 .n').innerText()).replace(/,/g, '')), whole.length);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("a node heard under its host name and its address reads as one: each row names the other, the host right after its address", { skip }, async () => {
  // a plain reading of the files: the address each host-named sender's SIP lines give it
  const own = new Map<string, Set<string>>();
  for (const l of logNames().flatMap(linesOf)) {
    const sender = l.split(' ')[1] ?? '';
    if (!l.includes(' Name="support.sip" ') || /^[\d.]+$/.test(sender)) continue;
    const a = l.includes(' Message="Sending SIP message"') ? / Src-Address="([^"]+)"/.exec(l)?.[1] : l.includes(' Message="Received SIP message"') ? / Dst-Address="([^"]+)"/.exec(l)?.[1] : undefined;
    if (a) own.set(sender, (own.get(sender) ?? new Set()).add(a));
  }
  const pairs = [...own].filter(([, a]) => a.size === 1).map(([host, a]) => [host, [...a][0]!] as const);
  assert.ok(pairs.length >= 2, 'host names with one address');
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  await page.getByTestId('overview-activity').waitFor();
  const rows = await page.getByTestId('overview-activity-node').evaluateAll((els) => els.map((e) => ({ node: e.getAttribute('data-node')!, alias: e.querySelector('[data-testid=overview-node-alias]')?.textContent?.trim() ?? null })));
  for (const [host, address] of pairs) {
    const h = rows.findIndex((r) => r.node === host);
    assert.equal(rows[h]!.alias, `= ${address}`, host);
    const a = rows.findIndex((r) => r.node === address);
    if (a >= 0) {
      assert.equal(rows[a]!.alias, `= ${host}`, address);
      assert.equal(h, a + 1, `${host} right after ${address}`);
    }
  }
  await screenshot(page, 'overview-node-names');
  // each node's calls (its signaling or media node, under either name), as a plain reading of the whole call list counts them, a link to them
  const all = (await api<{ rows: CallSummary[] }>(suite.served, 'calls', {})).rows;
  const [host, address] = pairs[0]!;
  const on = all.filter((c) => [c.signalingNode, c.mediaNode].some((n) => n === host || n === address));
  assert.ok(on.length > 0 && on.length < all.length);
  const row = page.getByTestId('overview-node').filter({ has: page.locator('td:first-child a', { hasText: new RegExp(`^${host}$`) }) });
  const cell = row.getByTestId('overview-node-calls');
  await cell.locator('a').waitFor();
  assert.equal(await cell.innerText(), on.length.toLocaleString('en-US'));
  assert.equal(await row.getByTestId('overview-node-failed').innerText(), on.filter((c) => c.failed).length ? on.filter((c) => c.failed).length.toLocaleString('en-US') : '–');
  // its location, as the generator placed the node
  assert.equal(await row.getByTestId('overview-node-location').innerText(), NODE_DEFS.find(([h]) => h === host)![2]);
  await cell.locator('a').click();
  await page.waitForURL(/#\/calls\?node=/);
  assert.equal(await page.getByTestId('call-stat-node').innerText(), `on ${host},${address} ×`);
  await page.waitForFunction((n) => document.querySelector('.calls [role=grid]')?.getAttribute('aria-rowcount') === String(n), on.length);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the overview's timeline: the notable events in order, a node's start among them opening its line, and Copy timeline", { skip }, async () => {
  const starts = logNames().flatMap(linesOf).filter((l) => l.includes(' Name="administrator.system" Message="Starting Infinity application."'));
  assert.ok(starts.length > 0, 'a restart in the files');
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  const section = page.getByTestId('overview-timeline');
  await section.waitFor();
  const total = Number((await section.locator('h3 .n').innerText()).replace(/,/g, ''));
  if (total > 60) await page.getByTestId('timeline-all').click();
  const rows = await page.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind')!, time: e.getAttribute('data-time')! })));
  assert.equal(rows.length, total);
  assert.deepEqual(rows.map((r) => r.time), rows.map((r) => r.time).sort(), 'in time order');
  for (const kind of ['start', 'alarm', 'audit', 'failure', 'gap', 'service']) assert.ok(rows.some((r) => r.kind === kind), `a ${kind}`);
  // each start of the files, at its time
  const startTimes = rows.filter((r) => r.kind === 'start').map((r) => r.time);
  assert.deepEqual(startTimes, starts.map((l) => new Date(timeOf(l)).toISOString()));
  // Copy timeline: a line each, in UTC
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('timeline-copy').click();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split('\n');
  assert.equal(copied.length, total);
  copied.forEach((l, k) => assert.ok(l.startsWith(`${rows[k]!.time.replace('T', ' ').replace('Z', '')}  ${rows[k]!.kind.padEnd(7)}  `), l));
  // a start opens its line
  await page.locator('[data-testid=timeline-event][data-kind=start] [data-testid=timeline-link]').first().click();
  await page.waitForURL(/#\/lines\?line=\d+$/);
  await page.getByTestId('detail').getByText('Starting Infinity application.').first().waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("external services: the event sink's failures and each DNS name's lookups from the files' lines, the failed first; a name opens its lookups; copied for a case note", { skip }, async () => {
  const lines = logNames().flatMap(linesOf);
  const field = (l: string, k: string) => new RegExp(` ${k}="([^"]*)"`).exec(l)?.[1] ?? null;
  // from the files: the sink's failures, and per name and record type its lookups and failures
  const sinkFailures = lines.filter((l) => l.includes('Name="support.events"') && l.includes('Message="Event sink connection failed"'));
  const names = new Map<string, { lookups: number; failed: number }>();
  for (const l of lines.filter((x) => x.includes('Name="support.dns"'))) {
    const key = `${field(l, 'Type')} ${field(l, 'Target')}`;
    const n = names.get(key) ?? { lookups: 0, failed: 0 };
    n.lookups++;
    if (l.includes('Message="DNS record lookup failed"')) n.failed++;
    names.set(key, n);
  }
  const failing = [...names].filter(([, n]) => n.failed > 0);
  assert.ok(sinkFailures.length > 0 && failing.length > 0 && names.size > 10, 'sink failures, failed lookups and more than ten names in the files');
  const { page, errors } = await newPage(suite.browser);
  await page.goto(suite.served.base + '#/overview');
  const section = page.getByTestId('overview-services');
  await section.waitFor();
  const sink = section.getByTestId('overview-sink');
  assert.equal(await sink.getAttribute('data-url'), field(sinkFailures[0]!, 'Url'));
  assert.equal(Number(await sink.getAttribute('data-failures')), sinkFailures.length);
  assert.ok((await sink.innerText()).includes(`${sinkFailures.length.toLocaleString('en-US')} failures`), await sink.innerText());
  // ten names at first, the failed first; all of them when asked
  const rowsNow = () => section.getByTestId('overview-dns-row').evaluateAll((els) => els.map((e) => ({ name: `${e.getAttribute('data-type')} ${e.getAttribute('data-target')}`, cells: [...e.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText) })));
  assert.equal((await rowsNow()).length, 10);
  await section.getByTestId('overview-dns-all').click();
  const rows = await rowsNow();
  assert.equal(rows.length, names.size);
  assert.deepEqual(rows.slice(0, failing.length).map((r) => r.name).sort(), failing.map(([k]) => k).sort(), 'the names that failed first');
  for (const r of rows) {
    const n = names.get(r.name)!;
    assert.ok(n, r.name);
    assert.equal(r.cells[1], n.lookups.toLocaleString('en-US'), `${r.name}: lookups`);
    assert.equal(r.cells[2], n.failed ? n.failed.toLocaleString('en-US') : '–', `${r.name}: failed`);
  }
  // a failed name opens its lookups in the explorer, at its first failure
  await section.getByTestId('overview-dns-row').first().locator('a').click();
  await page.waitForURL(/#\/lines\?q=.*&line=\d+$/);
  await page.getByTestId('detail').getByText('DNS record lookup failed').first().waitFor();
  const [type, target] = rows[0]!.name.split(' ');
  assert.equal(await settledCount(page), names.get(rows[0]!.name)!.lookups, `${type} ${target}: its lookups`);
  // Copy summary: the sink, and the names that failed
  await page.goBack();
  await page.getByTestId('overview-services').waitFor();
  await page.getByTestId('overview-calls').locator('a').first().waitFor();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-overview').click();
  await page.getByTestId('copy-overview').getByText('Copied').waitFor();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).split('\n');
  assert.ok(copied.some((l) => l.startsWith(`  ${field(sinkFailures[0]!, 'Url')}: ${sinkFailures.length} failures from `)), copied.join('\n'));
  const total = [...names.values()].reduce((a, n) => a + n.lookups, 0);
  assert.ok(copied.some((l) => l.startsWith(`DNS lookups: ${total.toLocaleString('en-US')} of ${names.size} names; `)), copied.join('\n'));
  for (const [k, n] of failing) assert.ok(copied.some((l) => l.startsWith(`  ${k}: ${n.lookups} lookups from `) && l.includes(`${n.failed} failed (`)), `${k} copied`);
  await screenshot(page, 'overview-services');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("Azure's scheduled maintenance: a node's maintenance mode is a lane among the alarms, its bar from set to unset with what Azure announced, its name opening the node's maintenance lines; the timeline says it", { skip, timeout: 120_000 }, async () => {
  const file = join(suite.dir, 'maintenance', 'unified_support.log');
  mkdirSync(dirname(file), { recursive: true });
  const truth = await writeLog(file, { seed: 4, calls: 300, maintenance: true });
  const m = truth.maintenance[0]!;
  assert.ok(m, 'the generator wrote a scheduled maintenance');
  const s = await serve([file]);
  try {
    await waitLoaded(s);
    const { page, errors } = await newPage(suite.browser);
    await page.goto(s.base + '#/overview');
    const lane = page.getByTestId('overview-alarm-lane').filter({ hasText: `${m.node} · maintenance_mode` });
    await lane.waitFor();
    const bar = lane.getByTestId('overview-alarm');
    assert.equal(await bar.count(), truth.maintenance.filter((x) => x.node === m.node).length);
    assert.equal(await bar.first().getAttribute('data-instance'), `Azure ${m.type}, not before ${m.notBefore}`);
    // as written, give or take the node's delay
    assert.ok(Math.abs(Date.parse((await bar.first().getAttribute('data-raised'))!) - Date.parse(m.from)) < 200);
    assert.ok(Math.abs(Date.parse((await bar.first().getAttribute('data-lowered'))!) - Date.parse(m.to)) < 200);
    await lane.scrollIntoViewIfNeeded();
    await screenshot(page, 'overview-maintenance');
    // its name: the node's announcement, its mode set and unset (under either of its names)
    await lane.locator('a.name').click();
    await page.waitForURL(/#\/lines\?q=/);
    const mine = readFileSync(file, 'utf8').split('\n').filter((l) => /Name="support\.(pulse|scheduled_maintenance_events)"/.test(l) && (l.includes(` ${m.node} `) || l.includes(` ${NODE_DEFS.find((d) => d[1] === m.node)![0]} `)));
    assert.equal(await settledCount(page), mine.length);
    assert.equal(mine.length, 3 * truth.maintenance.filter((x) => x.node === m.node).length);
    // the timeline: set, with what Azure announced, until it was unset
    await page.goto(s.base + '#/overview');
    const entry = page.locator('[data-testid=timeline-event][data-kind=alarm]').filter({ hasText: `${m.node}: maintenance mode set (Azure ${m.type}, not before ${m.notBefore})` });
    await entry.first().waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await s.stop();
  }
});
