import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import type { Session } from '../../electron/engine/session.ts';
import { exportLines, exportCalls, exportCallList, Redactor } from '../../electron/engine/export/index.ts';
import type { CallSummary } from '../../electron/api.ts';
import { parseCsv } from '../read-csv.ts';
import type { ExportOptions } from '../../electron/engine/export/index.ts';
import { compileFilter } from '../../electron/engine/lines/filter.ts';
import { buildCallIndex } from '../../electron/engine/correlate/index.ts';
import { overwritesInput } from '../../electron/engine/export/output-file.ts';
import { main } from '../../electron/cli/pexlens.ts';
import { writeBundle, generateLog } from '../generator/index.ts';
import type { Truth } from '../generator/index.ts';

const FIX = join(import.meta.dirname, '../fixtures/export');

class Collect extends Writable {
  parts: Buffer[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.parts.push(chunk);
    cb();
  }
  get buf() {
    return Buffer.concat(this.parts);
  }
}

async function run(fn: (out: Collect) => Promise<unknown>): Promise<Buffer> {
  const out = new Collect();
  await fn(out);
  return out.buf;
}

const all = (s: Session) => Array.from({ length: s.store.count }, (_, p) => s.store.at(p));
const streamLines = (s: Session, name: string) => all(s).filter((i) => s.store.streams.find((st) => st.files.includes(s.store.file.data[i]!))?.name === name);

/** Input split into lines exactly as they were (each with its line break). */
function inputLines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < b.length) {
    const nl = b.indexOf(10, p);
    const end = nl < 0 ? b.length : nl + 1;
    out.push(b.subarray(p, end));
    p = end;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'pexlens-export-'));

test('raw export of everything equals the input: plain with damaged lines, CRLF, and rotated sets (folder, tgz)', async () => {
  const plain = generateLog({ seed: 31, calls: 15, damaged: true });
  const crlf = generateLog({ seed: 32, calls: 8, crlf: true });
  writeFileSync(join(dir, 'plain.log'), plain.text);
  writeFileSync(join(dir, 'crlf.log'), crlf.text);
  for (const [file, text] of [['plain.log', plain.text], ['crlf.log', crlf.text]] as const) {
    const s = await openBundle([join(dir, file)]);
    const out = await run((o) => exportLines(s, all(s), o, { format: 'raw' }));
    assert.ok(out.equals(text), `${file}: raw export equals the input byte for byte`);
  }
  for (const form of ['folder', 'tgz'] as const) {
    const b = await writeBundle(join(dir, form), { form, seed: 33, calls: 10, rotations: 2, damaged: true });
    const s = await openBundle([b.path]);
    const sel = streamLines(s, 'unified_support.log');
    const out = await run((o) => exportLines(s, sel, o, { format: 'raw' }));
    assert.ok(out.equals(b.supportLog), `${form}: the rotated support log (plain + gz) comes out as the input joined oldest first`);
    // everything: every input byte, stream by stream
    const every = await run((o) => exportLines(s, all(s), o, { format: 'raw' }));
    assert.equal(every.length, s.store.totalBytes());
    assert.ok(every.includes(b.supportLog), `${form}: whole export holds the support log intact`);
  }
});

test("a call's raw excerpt holds exactly its lines (fragments included), from the generator's truth", async () => {
  const { text, truth } = generateLog({ seed: 41, calls: 40, damaged: true });
  writeFileSync(join(dir, 'calls.log'), text);
  const s = await openBundle([join(dir, 'calls.log')]);
  const index = buildCallIndex(s);
  const input = inputLines(text);
  const picked = [...truth.calls.filter((c) => c.fragmented).slice(0, 3), ...truth.calls.filter((c) => c.protocol === 'H323').slice(0, 2), ...truth.calls.filter((c) => c.protocol === 'WebRTC').slice(0, 2), ...truth.calls.slice(0, 3)];
  assert.ok(picked.some((c) => c.fragmented), 'the sample has fragmented calls');
  for (const c of picked) {
    const out = await run((o) => exportLines(s, index.linesOf(c.id), o, { format: 'raw' }));
    const want = Buffer.concat([...c.lineNumbers].sort((a, b) => a - b).map((n) => input[n - 1]!));
    assert.equal(out.toString('latin1'), want.toString('latin1'), `call ${c.id} (${c.protocol}${c.fragmented ? ', fragmented' : ''}): raw excerpt is its lines, in input order`);
  }
});

test('text export expands ^M payloads into indented lines, one block per message', async () => {
  const s = await openBundle([join(FIX, 'redact-sample.log')]);
  const out = (await run((o) => exportLines(s, all(s), o, { format: 'text' }))).toString('utf8');
  assert.match(out, /^# pexlens .* text export: 5 line\(s\)/);
  assert.match(out, /Transport="TLS"\n {4}Detail:\n {6}INVITE sip:meet\.zelda@corp\.acme\.test SIP\/2\.0\n {6}Via: /);
  assert.match(out, /\n {6}c=IN IP4 10\.47\.9\.9\n/);
  assert.ok(out.includes('\nkernel: eth0 link up'), 'damaged line kept as it was');
  assert.ok(!/\^M/.test(out.split('\n').filter((l) => l.startsWith('      ')).join('\n')), 'no ^M inside expanded payload lines');
});

test('filters select the lines: --level and --from/--to through compileFilter', async () => {
  const { text } = generateLog({ seed: 51, calls: 10 });
  writeFileSync(join(dir, 'filter.log'), text);
  const s = await openBundle([join(dir, 'filter.log')]);
  const match = compileFilter(s.store, { level: ['WARNING', 'ERROR'] });
  const sel = all(s).filter(match);
  assert.ok(sel.length > 0);
  const out = (await run((o) => exportLines(s, sel, o, { format: 'raw' }))).toString('utf8');
  const got = out.split('\n').filter(Boolean);
  const want = text.toString('utf8').split('\n').filter((l) => /Level="(WARNING|ERROR)"/.test(l));
  assert.deepEqual(got, want);
});

function allTraces(s: Session) {
  const index = buildCallIndex(s);
  return index.calls.map((c) => index.trace(c.id)!);
}

test('HTML report: SVG ladder, every message, nothing from outside', async () => {
  const { text, truth } = generateLog({ seed: 61, calls: 12 });
  writeFileSync(join(dir, 'html.log'), text);
  const s = await openBundle([join(dir, 'html.log')]);
  const traces = allTraces(s).filter((t) => truth.calls.some((c) => c.id === t.call.id)).slice(0, 4);
  assert.ok(traces.length >= 2);
  const html = (await run((o) => exportCalls(s, traces, o, { format: 'html' }))).toString('utf8');
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.equal((html.match(/<svg class="ladder"/g) ?? []).length, traces.length, 'one ladder per call');
  const messages = traces.reduce((n, t) => n + t.messages.length, 0);
  assert.equal((html.match(/<div class="msg"/g) ?? []).length, messages, 'every message decoded');
  const arrows = (html.match(/<g class="msg">/g) ?? []).length;
  assert.ok(arrows > 0, 'arrows drawn');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\b(src|href|xlink:href|srcset|action)\s*=/i);
  assert.doesNotMatch(html, /<link|<iframe|<img|<object|<embed|@import|url\(/i);
  assert.doesNotMatch(html, /[a-z]+:\/\//i, 'no URL of any scheme');
  for (const t of traces) assert.ok(html.includes(t.call.id), 'call id shown');
});

test("SVG picture: one call's ladder under a heading, every message numbered in order, well formed, nothing from outside; one call only", async () => {
  const { text } = generateLog({ seed: 61, calls: 12 });
  writeFileSync(join(dir, 'svg.log'), text);
  const s = await openBundle([join(dir, 'svg.log')]);
  for (const t of allTraces(s).slice(0, 6)) {
    const svg = (await run((o) => exportCalls(s, [t], o, { format: 'svg' }))).toString('utf8');
    assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '), svg.slice(0, 120));
    assert.equal((svg.match(/xmlns=/g) ?? []).length, 1, 'one namespace, on the outer picture');
    // well formed: each element closed (self-closing or paired)
    for (const tag of ['svg', 'g', 'text', 'title']) assert.equal((svg.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, (svg.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, tag);
    const c = t.call;
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    assert.ok(svg.includes(`>${esc(`${c.protocol} call ${c.from ?? '?'} → ${c.to ?? '?'}`)}</text>`), 'the heading names the parties');
    assert.ok(svg.includes(`Call ${esc(c.id)} · `));
    // the ladder's rows, numbered as the report numbers the messages
    const numbers = [...svg.matchAll(/<title>#(\d+) /g)].map((m) => Number(m[1]));
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, k) => k + 1));
    assert.equal(numbers.length, t.messages.length, 'a row per message');
    assert.doesNotMatch(svg, /<script|<foreignObject|\b(href|xlink:href|src)\s*=|url\(/i);
    assert.doesNotMatch(svg.replace('http://www.w3.org/2000/svg', ''), /[a-z]+:\/\//i, 'no URL of any scheme');
  }
  await assert.rejects(run((o) => exportCalls(s, allTraces(s).slice(0, 2), o, { format: 'svg' })), /an SVG picture is one call's ladder, not 2 calls/);
});

test('JSON report is the trace --json shape; text report summarizes each call', async () => {
  const { text, truth } = generateLog({ seed: 62, calls: 6 });
  writeFileSync(join(dir, 'json.log'), text);
  const s = await openBundle([join(dir, 'json.log')]);
  const traces = allTraces(s);
  const one = JSON.parse((await run((o) => exportCalls(s, [traces[0]!], o, { format: 'json' }))).toString('utf8'));
  assert.deepEqual(one, JSON.parse(JSON.stringify(traces[0])));
  const many = JSON.parse((await run((o) => exportCalls(s, traces, o, { format: 'json' }))).toString('utf8'));
  assert.equal(many.length, traces.length);
  const txt = (await run((o) => exportCalls(s, traces, o, { format: 'text' }))).toString('utf8');
  for (const t of traces) {
    assert.ok(txt.includes(`  Call ........... ${t.call.id}\n`), 'summary block per call');
    assert.ok(txt.includes(`Flow (${t.messages.length} messages):`));
    for (const m of t.messages) assert.ok(txt.includes(m.summary), 'each message in the flow');
  }
  assert.ok(truth.calls.length > 0);
});

function leaks(out: string, truth: Truth): string[] {
  return [...truth.personal, ...truth.personalHexIps].filter((p) => out.includes(p));
}

test('redaction of generated data leaves none of the personal strings, in any format; ids stay', async () => {
  const b = await writeBundle(join(dir, 'red'), { form: 'folder', seed: 71, calls: 30, damaged: true, rotations: 1 });
  const s = await openBundle([b.path]);
  const truth = b.truth;
  assert.ok(truth.personal.length > 50);
  const sel = all(s);
  const raw = await run((o) => exportLines(s, sel, o, { format: 'raw', redact: true }));
  const rawText = raw.toString('utf8');
  assert.deepEqual(leaks(rawText, truth), [], 'raw');
  assert.equal(inputLines(raw).length, s.store.count, 'raw stays one line per input line');
  const txt = (await run((o) => exportLines(s, sel, o, { format: 'text', redact: true }))).toString('utf8');
  assert.deepEqual(leaks(txt, truth), [], 'text');
  assert.match(txt, /REDACTED/);
  const traces = allTraces(s);
  for (const format of ['html', 'json', 'text'] as const) {
    const out = (await run((o) => exportCalls(s, traces, o, { format, redact: true }))).toString('utf8');
    assert.deepEqual(leaks(out, truth), [], format);
    assert.match(out, /REDACTED|"redacted": true/, `${format} says it was redacted`);
  }
  // the ladder picture, a call at a time
  for (const t of traces.slice(0, 8)) {
    const svg = (await run((o) => exportCalls(s, [t], o, { format: 'svg', redact: true }))).toString('utf8');
    assert.deepEqual(leaks(svg, truth), [], `svg of ${t.call.id}`);
    assert.match(svg, /REDACTED/);
  }
  // correlation ids stay (those without an address inside)
  const plainIds = truth.calls.map((c) => c.id).filter((id) => !id.includes('@'));
  assert.ok(plainIds.length > 5);
  for (const id of plainIds) assert.ok(rawText.includes(id), `id ${id} kept`);
  // the redacted raw export opens again and has the same calls
  writeFileSync(join(dir, 'red.log'), raw);
  const again = await openBundle([join(dir, 'red.log')]);
  const idx = buildCallIndex(again);
  for (const id of plainIds) assert.ok(idx.find(id), `call ${id} still found in the redacted log`);
});

test("call list CSV: a row per call in the list's order, its values as they are, quoted where needed, formulas defused; redacted", async () => {
  const b = await writeBundle(join(dir, 'csv'), { form: 'plain', seed: 71, calls: 30 });
  const s = await openBundle([b.path]);
  const index = buildCallIndex(s);
  // the list in an order of its own: longest first
  const calls = index.calls.slice().sort((x, y) => (y.durationMs ?? -1) - (x.durationMs ?? -1));
  const rows = parseCsv((await run((o) => exportCallList(calls, o, { format: 'csv' }))).toString('utf8'));
  const [head, ...body] = rows;
  const col = (name: string) => head!.indexOf(name);
  assert.equal(body.length, b.truth.calls.length);
  body.forEach((r, k) => {
    const c = calls[k]!;
    assert.equal(r.length, head!.length);
    assert.equal(r[col('Call id')], c.id);
    assert.equal(r[col('Start (UTC)')], c.start ?? '');
    assert.equal(r[col('Duration (s)')], c.durationMs === null ? '' : (c.durationMs / 1000).toFixed(3));
    assert.equal(r[col('Result')], c.failed ? 'failed' : 'connected');
    assert.equal(r[col('From')], c.from ?? '');
    assert.equal(r[col('Other ids')], c.ids.filter((x) => x !== c.id).join(' '));
  });
  // against the generator: each call once, failed as it wrote it
  for (const t of b.truth.calls) {
    const r = body.find((x) => x[col('Call id')] === t.id || x[col('Other ids')]!.split(' ').includes(t.id));
    assert.ok(r, `call ${t.id} has a row`);
    assert.equal(r[col('Result')], t.failed ? 'failed' : 'connected');
  }
  // quoting and formula-like values (a display name is whatever the caller's endpoint sends)
  const odd: CallSummary = { ...calls[0]!, displayName: 'Smith, "Bob"\r\nJr', from: '=HYPERLINK("http://x")', to: '+4723000000', vendor: '@SUM(A1)' };
  const [, back] = parseCsv((await run((o) => exportCallList([odd], o, { format: 'csv' }))).toString('utf8'));
  assert.equal(back![col('Display name')], 'Smith, "Bob"\r\nJr');
  assert.equal(back![col('From')], `'=HYPERLINK("http://x")`);
  assert.equal(back![col('To')], `'+4723000000`);
  assert.equal(back![col('Vendor')], `'@SUM(A1)`);
  // redacted: none of the generated personal strings; the ids without an address stay
  const red = (await run((o) => exportCallList(calls, o, { format: 'csv', redact: true }))).toString('utf8');
  assert.deepEqual(leaks(red, b.truth), []);
  // a warning says where it was seen: by the file's name only once redacted
  const plainCsv = (await run((o) => exportCallList(calls, o, { format: 'csv' }))).toString('utf8');
  assert.ok(plainCsv.includes(`(${b.path}:`), 'the warnings name the input file');
  assert.ok(!red.includes(dir), 'redacted: not the folder, only the (redacted) name');
  const redRows = parseCsv(red).slice(1);
  calls.forEach((c, k) => {
    if (!c.id.includes('@')) assert.equal(redRows[k]![col('Call id')], c.id);
  });
  await assert.rejects(run((o) => exportCallList(calls, o, { format: 'html' })), /csv/);
});

test('Redactor: consistent pseudonyms, names inside quotes, SIP bodies, H.323 and REST aliases, IPv6, damaged lines', () => {
  const text = readFileSync(join(FIX, 'redact-sample.log'), 'utf8');
  const personal = readFileSync(join(FIX, 'redact-sample.personal.txt'), 'utf8').split('\n').filter(Boolean);
  const r = new Redactor();
  const lines = text.split('\n');
  for (const l of lines) r.learnLine(l);
  const out = lines.map((l) => r.redactLine(l)).join('\n');
  for (const p of personal) assert.ok(!out.includes(p), `"${p}" redacted`);
  assert.equal(out.split('\n').length, lines.length);
  const ip = r.standInOf('10.47.9.9')!;
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(out.split(ip).length - 1, (text.match(/10\.47\.9\.9/g) ?? []).length, 'same IP → same stand-in everywhere');
  const user = r.standInOf('zelda.quinn')!;
  assert.ok(out.includes(`sip:${user}@`), 'user part replaced inside URIs');
  assert.ok(out.includes(`Call-ID: 77f0c8546d55421199434cb4@${ip}`) && out.includes(`Call-Id="77f0c8546d55421199434cb4@${ip}"`), 'Call-ID keeps its random part; its IP is replaced the same way');
  assert.ok(out.includes('branch=z9hG4bKaa11bb22') && out.includes('tag=abc123'), 'branches and tags stay');
  assert.ok(out.includes('Name="support.sip"') && out.includes('Message="Received SIP message"'), 'layout kept');
  assert.ok(out.includes('+00:00 pxnode-lon-01 2026-'), 'node host names stay (infrastructure, not a person: README, Redaction)');
  assert.ok(!out.includes('+00:00 10.44.99.2 '), 'a node known by its IP is replaced as any address');
  assert.ok(out.includes('ip: ' + r.standInOf('10.47.8.8')!.split('.').map((x) => Number(x).toString(16).padStart(2, '0')).join(' ')), 'H.323 hex address redacted in the same hex form');
  // redacting the redacted output changes nothing
  assert.equal(lines.map((l) => r.redactLine(r.redactLine(l))).join('\n'), out);
  // learning in another order numbers the stand-ins differently but replaces the same things
  const r2 = new Redactor();
  r2.learnText(text);
  const shape = (s: string) => s.replace(/\b(Name|user|VMR|host)-\d+/g, '$1-N').replace(/\b192\.0\.2\.\d+/g, 'IP4').replace(/\bc0 00 02 [0-9a-f]{2}/g, 'HEX');
  assert.equal(shape(r2.redactText(text)), shape(out));
  // the provisioning lines: a scheduled VMR's name (a second Name, after the module's), an OTJ room, subject and organizer
  const head = '2026-05-14T09:10:00.000+00:00 pxmgr01 2026-05-14 09:10:00,000 Level="INFO"';
  const scheduled = `${head} Name="administrator.scheduling" Message="Scheduled Conference added" VmsID="35111" Name="Weekly sync (Toby Marsh)" ScheduledConferenceID="5001"`;
  const otj = `${head} Name="administrator.otj" Message="OTJ Meeting Created" Room="boardroom@corp.acme.test" Subject="Review with Toby Marsh" OrganizerEmail="toby.marsh@corp.acme.test" Alias="123456@corp.acme.test"`;
  const r3 = new Redactor();
  r3.learnLine(scheduled);
  r3.learnLine(otj);
  const [a, b] = [r3.redactLine(scheduled), r3.redactLine(otj)];
  assert.ok(a.includes('Name="administrator.scheduling"') && a.includes('VmsID="35111"'), a);
  for (const p of ['Toby', 'boardroom', 'toby.marsh', 'Review with']) assert.ok(!a.includes(p) && !b.includes(p), `${p}: ${a}\n${b}`);
});

test('Redactor: redacting after learned() gives what redacting without it gives; learning again is honoured', () => {
  const lines = readFileSync(join(FIX, 'redact-sample.log'), 'utf8').split('\n');
  const plain = new Redactor();
  for (const l of lines) plain.learnLine(l);
  const expected = lines.map((l) => plain.redactLine(l));
  const sealed = new Redactor();
  for (const l of lines) sealed.learnLine(l);
  sealed.learned();
  // twice over: the second pass is answered from what the first one redacted
  assert.deepEqual(lines.map((l) => sealed.redactLine(l)), expected);
  assert.deepEqual(lines.map((l) => sealed.redactLine(l)), expected);

  const head = '2026-05-14T09:00:00.001+00:00 10.44.99.2 2026-05-14 09:00:00,001 Level="INFO" Name="support.sip"';
  const note = `${head} Message="Note" Detail="^MSubject: call with Winifred Okafor^M"`;
  const r = new Redactor();
  r.learnLine(note);
  r.learned();
  assert.match(r.redactLine(note), /Winifred Okafor/, 'nothing learned names her yet');
  r.learnLine(`${head} Message="Joined" DisplayName="Winifred Okafor"`);
  r.learned();
  const again = r.redactLine(note);
  assert.doesNotMatch(again, /Winifred|Okafor/, 'learned since: the earlier result is not reused');
  assert.ok(again.includes(`call with ${r.standInOf('Winifred Okafor')}`));
});

test('progress reaches the total; an aborted export rejects and stops', async () => {
  const { text } = generateLog({ seed: 81, calls: 20 });
  writeFileSync(join(dir, 'progress.log'), text);
  const s = await openBundle([join(dir, 'progress.log')]);
  const seen: Array<[number, number]> = [];
  const opts: ExportOptions = { format: 'text', redact: true, onProgress: (d, t) => seen.push([d, t]) };
  await run((o) => exportLines(s, all(s), o, opts));
  assert.deepEqual(seen.at(-1), [2 * s.store.count, 2 * s.store.count]);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    run((o) => exportLines(s, all(s), o, { format: 'raw', signal: ac.signal })),
    (e: Error) => e.name === 'AbortError',
  );
  const ac2 = new AbortController();
  const out = new Collect();
  const p = exportLines(s, all(s), out, { format: 'raw', signal: ac2.signal, onProgress: () => ac2.abort() });
  await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  assert.ok(out.buf.length < text.length, 'stopped before the end');
});

test('CLI export: writes the file, refuses to overwrite an input', async () => {
  const b = await writeBundle(join(dir, 'cli'), { form: 'folder', seed: 91, calls: 8, rotations: 1 });
  const file = join(b.path, 'unified_support.log');
  assert.equal(overwritesInput(file, [file]), file);
  assert.ok(overwritesInput(join(b.path, 'unified_support.log.1'), [b.path]), 'a file inside an input folder');
  assert.equal(overwritesInput(join(dir, 'cli-out.log'), [b.path]), null);
  const before = readFileSync(file);
  const errs: string[] = [];
  const w = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
  let rc: number;
  try {
    rc = await main(['export', file, '-o', file]);
  } finally {
    process.stderr.write = w;
  }
  assert.equal(rc, 1);
  assert.match(errs.join(''), /refusing to overwrite the input/);
  assert.ok(readFileSync(file).equals(before), 'input untouched');
  const out = join(dir, 'cli-out.log');
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    rc = await main(['export', b.path, '--stream', 'unified_support.log', '-o', out]);
  } finally {
    process.stderr.write = w;
  }
  assert.equal(rc, 0);
  assert.ok(readFileSync(out).equals(b.supportLog));
  assert.ok(!existsSync(out + `.partial-${process.pid}`));
  const quiet = async (args: string[]) => {
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      return await main(args);
    } finally {
      process.stderr.write = w;
    }
  };
  // --call (raw): the call's lines from the truth, fragments included
  const c = b.truth.calls.find((x) => x.fragmented) ?? b.truth.calls[0]!;
  const support = inputLines(b.supportLog);
  assert.equal(await quiet(['export', b.path, '--call', c.id, '-o', join(dir, 'cli-call.log')]), 0);
  const want = Buffer.concat([...c.lineNumbers].sort((x, y) => x - y).map((k) => support[k - 1]!));
  assert.ok(readFileSync(join(dir, 'cli-call.log')).equals(want), 'CLI --call raw excerpt');
  // -o - : the same excerpt on standard output, no file named '-'
  const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
  const piped = execFileSync(process.execPath, [cli, 'export', b.path, '--call', c.id, '-o', '-'], { cwd: dir, env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
  assert.ok(piped.equals(want), 'CLI --call raw excerpt on stdout');
  assert.ok(!existsSync(join(dir, '-')));
  // --query through the search engine
  assert.equal(await quiet(['export', b.path, '--query', 'name:support.sip', '-o', join(dir, 'cli-q.log')]), 0);
  const sipLines = support.filter((l) => l.includes('Name="support.sip"'));
  assert.ok(sipLines.length > 0);
  assert.ok(readFileSync(join(dir, 'cli-q.log')).equals(Buffer.concat(sipLines)), 'CLI --query');
  // html without --call is refused with a clear message
  assert.equal(await quiet(['export', b.path, '--format', 'html', '-o', join(dir, 'x.html')]), 1);
  assert.ok(!existsSync(join(dir, 'x.html')));
  // svg: one call's ladder picture; two calls, or none, are refused
  assert.equal(await quiet(['export', b.path, '--call', c.id, '--format', 'SVG', '-o', join(dir, 'x.svg')]), 0);
  const svg = readFileSync(join(dir, 'x.svg'), 'utf8');
  assert.ok(svg.startsWith('<?xml') && svg.includes(`Call ${c.id} · `));
  const other = b.truth.calls.find((x) => x.id !== c.id)!;
  for (const args of [['--call', c.id, '--call', other.id], []]) {
    let said = '';
    process.stderr.write = ((m: string) => ((said += m), true)) as typeof process.stderr.write;
    try {
      assert.equal(await main(['export', b.path, ...args, '--format', 'svg', '-o', join(dir, 'y.svg')]), 1);
    } finally {
      process.stderr.write = w;
    }
    assert.match(said, args.length ? /--format svg is one call's ladder: name one call with --call <id>, not 2/ : /--format svg is a call report: name the call/);
    assert.ok(!existsSync(join(dir, 'y.svg')));
  }
});
