import { test } from 'node:test';
import assert from '../assert.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  generateLog, writeLog, rotate, encryptSnapshot, decryptSnapshot, writeBundle, DAMAGE_KINDS,
  type Truth, type TruthCall,
} from '../generator/index.js';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// a strict reader of the layout, written independently of the generator

const PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\+00:00 (\S+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) /;
const KEY = /^([A-Za-z][A-Za-z0-9_.-]*)="/;

interface Parsed { syslog: number; orig: number; system: string; kv: Map<string, string>; keys: string[] }

function parseLine(line: string): Parsed | null {
  const m = PREFIX.exec(line);
  if (!m) return null;
  let i = m[0].length;
  const kv = new Map<string, string>();
  const keys: string[] = [];
  while (i < line.length) {
    const km = KEY.exec(line.slice(i, i + 100));
    if (!km) return null;
    i += km[0].length;
    const key = km[1]!;
    keys.push(key);
    if (line.startsWith('^M', i)) {
      if (!line.endsWith('"') || line.length - 1 < i) return null;
      kv.set(key, line.slice(i, line.length - 1));
      i = line.length;
      break;
    }
    let j = i;
    for (;;) {
      const q = line.indexOf('"', j);
      if (q < 0) return null;
      if (line[q - 1] === '\\') { j = q + 1; continue; }
      kv.set(key, line.slice(i, q).replace(/\\"/g, '"'));
      i = q + 1;
      break;
    }
    if (i < line.length) {
      if (line[i] !== ' ') return null;
      i++;
    }
  }
  if (keys[0] !== 'Level' || keys[1] !== 'Name' || keys[2] !== 'Message') return null;
  if (!/^(DEBUG|INFO|WARNING|ERROR)$/.test(kv.get('Level')!)) return null;
  const syslog = Date.parse(m[1] + 'Z');
  const orig = Date.parse(m[3]!.replace(' ', 'T').replace(',', '.') + 'Z');
  return { syslog, orig, system: m[2]!, kv, keys };
}

function splitLines(text: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (;;) {
    const nl = text.indexOf(0x0a, s);
    if (nl < 0) break;
    let e = nl;
    if (e > s && text[e - 1] === 0x0d) e--;
    out.push(text.subarray(s, e));
    s = nl + 1;
  }
  assert.equal(s, text.length, 'text ends with a line ending');
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function sipBody(detail: string): string {
  return detail.startsWith('^M') ? detail.slice(2) : detail;
}

/** Check a reassembled SIP message: start line, Call-ID, Content-Length. Returns its summary label. */
function checkSip(msg: string): { label: string; callId: string } {
  const lines = msg.split('^M');
  const start = lines[0]!;
  const sm = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(start) ?? /^SIP\/2\.0 (\d{3} .+)$/.exec(start);
  assert.ok(sm, `bad start line: ${start}`);
  let i = 1;
  let callId = '';
  let clen = -1;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = /^([A-Za-z-]+): (.*)$/.exec(lines[i]!);
    assert.ok(h, `bad header: ${lines[i]}`);
    const name = h[1]!.toLowerCase();
    if (name === 'call-id' || name === 'i') callId = h[2]!;
    if (name === 'content-length' || name === 'l') clen = Number(h[2]);
  }
  assert.ok(callId, 'has Call-ID');
  assert.ok(clen >= 0, 'has Content-Length');
  const body = lines.slice(i + 1);
  const blen = body.length === 0 ? 0 : body.reduce((a, l) => a + Buffer.byteLength(l) + 2, 0);
  assert.equal(blen, clen, `Content-Length of ${start}`);
  return { label: sm[1]!, callId };
}

interface Analysed {
  lines: Buffer[];
  strs: string[];
  parsed: (Parsed | null)[];
}

function analyse(text: Buffer): Analysed {
  const lines = splitLines(text);
  const strs = lines.map((l) => l.toString('utf8'));
  return { lines, strs, parsed: strs.map(parseLine) };
}

function checkLayout(a: Analysed, truth: Truth): void {
  assert.equal(a.lines.length, truth.lines);
  const damaged = new Set(truth.damagedLines);
  const levels: Record<string, number> = {};
  const modules: Record<string, number> = {};
  let lastSyslog = 0;
  for (let i = 0; i < a.lines.length; i++) {
    const n = i + 1;
    const p = a.parsed[i];
    if (!damaged.has(n)) {
      assert.ok(p, `line ${n} follows the layout: ${a.strs[i]!.slice(0, 200)}`);
      utf8.decode(a.lines[i]!); // throws on invalid UTF-8
    }
    if (p) {
      assert.ok(p.syslog >= lastSyslog, `syslog time nondecreasing at line ${n}`);
      lastSyslog = p.syslog;
      assert.ok(Math.abs(p.orig - p.syslog) <= 1600, `clock skew bounded at line ${n}`);
      assert.ok(truth.nodes.includes(p.system), `known system ${p.system}`);
    }
    const lm = /^\S+ \S+ \S+ \S+ Level="(\w+)" Name="([^"]+)"/.exec(a.strs[i]!);
    if (lm) {
      levels[lm[1]!] = (levels[lm[1]!] ?? 0) + 1;
      modules[lm[2]!] = (modules[lm[2]!] ?? 0) + 1;
    }
  }
  assert.deepEqual(levels, truth.levels);
  assert.deepEqual(modules, truth.modules);
  for (const k of truth.damagedLines) assert.ok(k >= 1 && k <= truth.lines);
}

/** Naive grep of the text, compared to a call's truth. */
function checkCall(a: Analysed, c: TruthCall): void {
  const ids = c.ids;
  const has = (s: string) => ids.some((id) => s.includes(id));
  // fragment sets of this call: those whose fragment 1 carries the Call-ID
  const fragIds = new Set<string>();
  for (let i = 0; i < a.strs.length; i++) {
    const p = a.parsed[i];
    if (p?.kv.get('Fragment-Id') && p.kv.get('Fragment-Number') === '1' && a.strs[i]!.includes(c.id)) fragIds.add(p.kv.get('Fragment-Id')!);
  }
  const want: number[] = [];
  const counts = { sip: 0, bfcp: 0, q931: 0, ras: 0, h245: 0, rest: 0, admin: 0 };
  const sipSeq: string[] = [], h323Seq: string[] = [], bfcpSeq: string[] = [];
  for (let i = 0; i < a.strs.length; i++) {
    const s = a.strs[i]!;
    const p = a.parsed[i];
    const fid = p?.kv.get('Fragment-Id');
    const mine = has(s) || (fid !== undefined && fragIds.has(fid));
    if (!mine) continue;
    want.push(i + 1);
    assert.ok(p, `call line ${i + 1} follows the layout`);
    const name = p.kv.get('Name')!;
    const msg = p.kv.get('Message')!;
    const detail = p.kv.get('Detail') ?? '';
    if (name === 'support.sip' && s.includes(c.id)) {
      counts.sip++;
      sipSeq.push(/^\^M(?:SIP\/2\.0 )?(\d{3} [^^]+|[A-Z]+)/.exec(detail)![1]!);
    } else if (name === 'support.bfcp') {
      counts.bfcp++;
      bfcpSeq.push(p.kv.get('Primitive') ?? /^(\w+)\(/.exec(detail)![1]!);
    } else if (name.startsWith('support.h323.') && msg !== 'TCP Connection established') {
      const lab = name === 'support.h323.q931' ? /h323_message_body: (\w+):/.exec(detail)![1]!
        : name === 'support.h323.h245' ? /^\^Mh245: \^M {2}\w+: (\w+):/.exec(detail)![1]! : /^\^M(\w+):/.exec(detail)![1]!;
      h323Seq.push(lab);
      if (name === 'support.h323.q931') counts.q931++;
      else if (name === 'support.h323.h245') counts.h245++;
      else counts.ras++;
    } else if (name === 'support.rest') counts.rest++;
    else if (name.startsWith('administrator.')) counts.admin++;
  }
  assert.ok(c.lineNumbers.join() === want.join(), `lineNumbers of ${c.id}: ${c.lineNumbers.join()} vs ${want.join()}`);
  assert.deepEqual(c.counts, counts, `counts of ${c.id}`);
  assert.deepEqual(c.sipSequence, sipSeq, `sipSequence of ${c.id}`);
  assert.deepEqual(c.h323Sequence, h323Seq, `h323Sequence of ${c.id}`);
  assert.deepEqual(c.bfcpSequence, bfcpSeq, `bfcpSequence of ${c.id}`);
  assert.equal(fragIds.size > 0, c.fragmented);
}

// ---------------------------------------------------------------------------------------------

const SEED = Number(process.env.GEN_SEED ?? 42);
const small = generateLog({ seed: SEED, calls: 120 });
const sa = analyse(small.text);

test('deterministic per seed, and writeLog streams the same bytes', async () => {
  const again = generateLog({ seed: SEED, calls: 120 });
  assert.ok(again.text.equals(small.text));
  // (JSON comparison: a failing deepEqual on huge objects makes node's diff very slow)
  assert.ok(JSON.stringify(again.truth) === JSON.stringify(small.truth), 'same truth');
  const other = generateLog({ seed: SEED + 1, calls: 120 });
  assert.ok(!other.text.equals(small.text));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pexgen-'));
  const f = path.join(dir, 'u.log');
  const t = await writeLog(f, { seed: SEED, calls: 120 });
  assert.ok(fs.readFileSync(f).equals(small.text));
  assert.ok(JSON.stringify(t) === JSON.stringify(small.truth), 'writeLog truth = generateLog truth');
  assert.equal(t.bytes, small.text.length);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every line follows the layout or is listed as damaged', () => {
  const { truth } = small;
  assert.equal(truth.calls.length, 120);
  checkLayout(sa, truth);
  for (const k of DAMAGE_KINDS) assert.ok((truth.damagedKinds[k]?.length ?? 0) > 0, `damage kind ${k} present`);
  // specific damage shapes
  const bad = truth.damagedKinds['invalid-utf8']![0]!;
  assert.ok(sa.lines[bad - 1]!.includes(Buffer.from([0xff, 0xfe])));
  assert.throws(() => utf8.decode(sa.lines[bad - 1]!));
  const long = truth.damagedKinds['long']![0]!;
  assert.ok(sa.lines[long - 1]!.length > 200_000);
  assert.ok(sa.parsed[long - 1], 'the very long line still follows the layout');
  for (const n of truth.damagedKinds['blank']!) assert.equal(sa.lines[n - 1]!.length, 0);
  for (const n of truth.damagedKinds['truncated']!) assert.equal(sa.parsed[n - 1], null);
  assert.ok(sa.strs.some((s) => s.includes('\\"')), 'escaped quotes occur');
  // clean output when asked
  const clean = generateLog({ seed: 42, calls: 20, damaged: false });
  assert.deepEqual(clean.truth.damagedLines, []);
  checkLayout(analyse(clean.text), clean.truth);
});

test('truth counts, sequences and line numbers agree with a naive grep', () => {
  const calls = small.truth.calls;
  const protos = new Set(calls.map((c) => c.protocol));
  assert.deepEqual([...protos].sort(), ['H323', 'SIP', 'WebRTC']);
  assert.ok(calls.some((c) => c.failed && c.protocol === 'SIP'));
  assert.ok(calls.some((c) => c.compactHeaders));
  assert.ok(calls.some((c) => c.bfcpSequence.includes('FloorRequest')));
  assert.ok(calls.some((c) => c.h323Sequence.includes('genericRequest')));
  for (const c of calls) checkCall(sa, c);
  // shared conferences share Conference-ID
  const byConf = new Map<string, number>();
  for (const c of calls) if (c.conferenceId) byConf.set(c.conferenceId, (byConf.get(c.conferenceId) ?? 0) + 1);
  assert.ok([...byConf.values()].some((n) => n > 1));
  // failed SIP calls: a failure response and the admin failure line with Reason
  for (const c of calls.filter((x) => x.failed && x.protocol === 'SIP')) {
    assert.match(c.sipSequence[2]!, /^(403|404|486|488|503) /);
    const admin = c.lineNumbers.map((n) => sa.parsed[n - 1]!).filter((p) => p.kv.get('Message') === 'Participant failed to join conference.');
    assert.equal(admin.length, 1);
    assert.equal(admin[0]!.kv.get('Reason'), c.reason);
  }
});

test('noise does not look like calls: every INVITE belongs to a truth call', () => {
  const all = new Set(small.truth.calls.flatMap((c) => c.ids));
  // (a call's re-INVITEs, a hold and its resume, share its Call-ID)
  const invited = new Set<string>();
  for (const p of sa.parsed) {
    if (!p || p.kv.get('Name') !== 'support.sip') continue;
    const d = p.kv.get('Detail')!;
    if (!d.startsWith('^MINVITE ')) continue;
    const cid = /\^M(?:Call-I[Dd]|i): ([^^]+)/.exec(d)![1]!;
    assert.ok(all.has(cid));
    invited.add(cid);
  }
  assert.equal(invited.size, small.truth.calls.filter((c) => c.protocol === 'SIP').length);
  for (const p of sa.parsed) {
    if (p && p.kv.get('Call-Id') === 'None') assert.ok(true);
    if (p && /^\^M(OPTIONS|REGISTER) /.test(p.kv.get('Detail') ?? '')) {
      const cid = /\^M(?:Call-ID|i): ([^^]+)/.exec(p.kv.get('Detail')!)![1]!;
      assert.ok(!all.has(cid));
    }
  }
});

test('fragments concatenate (in number order, leading ^M removed) to valid SIP messages', () => {
  const { text, truth } = generateLog({ seed: 9, calls: 250, damaged: false });
  const a = analyse(text);
  const sets = new Map<string, { total: number; parts: Map<number, string>; order: number[] }>();
  for (const p of a.parsed) {
    const fid = p?.kv.get('Fragment-Id');
    if (!p || !fid) continue;
    const s = sets.get(fid) ?? { total: Number(p.kv.get('Fragment-Total')), parts: new Map<number, string>(), order: [] as number[] };
    const num = Number(p.kv.get('Fragment-Number'));
    assert.ok(num >= 1 && num <= s.total);
    assert.ok(!s.parts.has(num));
    const d = p.kv.get('Detail')!;
    assert.ok(d.startsWith('^M'), 'fragment Detail starts with the ^M marker');
    s.parts.set(num, d.slice(2));
    s.order.push(num);
    sets.set(fid, s);
  }
  assert.ok(sets.size > 5);
  let missing = 0, outOfOrder = 0, midWord = 0;
  for (const s of sets.values()) {
    if (s.parts.size < s.total) {
      missing += s.total - s.parts.size;
      assert.ok(s.parts.has(1), 'fragment 1 is never the missing one');
      continue;
    }
    if (s.order.some((n, i) => n !== i + 1)) outOfOrder++;
    const chunks = [...Array(s.total).keys()].map((i) => s.parts.get(i + 1)!);
    if (chunks.some((c, i) => i > 0 && /\w$/.test(chunks[i - 1]!) && /^\w/.test(c))) midWord++;
    const { callId } = checkSip(chunks.join(''));
    assert.ok(truth.calls.some((c) => c.id === callId));
  }
  assert.equal(missing, truth.calls.reduce((n, c) => n + c.missingFragments, 0));
  assert.ok(missing > 0, 'some fragment missing');
  assert.ok(outOfOrder > 0, 'some fragment set out of order');
  assert.ok(midWord > 0, 'some fragment split mid-word');
  // unfragmented SIP messages of calls are valid too
  for (const p of a.parsed) {
    if (p && /^(Received|Sending) SIP message$/.test(p.kv.get('Message')!) && !p.kv.get('Fragment-Id')) checkSip(sipBody(p.kv.get('Detail')!));
  }
});

test('personal strings all appear in the text', () => {
  const { truth } = small;
  assert.ok(truth.personal.length > 50);
  for (const s of truth.personal) assert.ok(small.text.includes(Buffer.from(s, 'utf8')), `personal string appears: ${s}`);
  assert.ok(truth.personal.some((s) => /[^\x00-\x7f]/.test(s)), 'some non-ASCII names');
  for (const s of truth.personalHexIps) assert.ok(small.text.includes(Buffer.from(s)));
  // node names are not personal
  for (const n of truth.nodes) assert.ok(!truth.personal.includes(n));
});

test('crlf option and targetBytes', async () => {
  const { text, truth } = generateLog({ seed: 5, calls: 15, crlf: true });
  const lf = text.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
  const crlf = text.toString('latin1').split('\r\n').length - 1;
  assert.equal(lf, truth.lines);
  assert.equal(crlf, truth.lines);
  checkLayout(analyse(text), truth);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pexgen-'));
  const f = path.join(dir, 'big.log');
  const t = await writeLog(f, { seed: 2, targetBytes: 3_000_000 });
  const size = fs.statSync(f).size;
  assert.equal(size, t.bytes);
  assert.ok(size >= 3_000_000 && size < 4_500_000, `size ${size}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('rotate splits at line boundaries', () => {
  const parts = rotate(small.text, 4);
  assert.equal(parts.length, 4);
  assert.ok(Buffer.concat(parts).equals(small.text));
  for (const p of parts) assert.equal(p[p.length - 1], 0x0a);
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('encryptSnapshot is byte-compatible with openssl enc', (t) => {
  const plain = Buffer.concat([small.text.subarray(0, 50_000), Buffer.from([0, 1, 2, 255])]);
  for (const mode of ['pbkdf2-sha256', 'md5'] as const) {
    const enc = encryptSnapshot(plain, 'sécret pw', mode);
    assert.equal(enc.subarray(0, 8).toString('latin1'), 'Salted__');
    assert.ok(decryptSnapshot(enc, 'sécret pw', mode).equals(plain));
    assert.ok(encryptSnapshot(plain, 'sécret pw', mode).equals(enc), 'deterministic salt');
  }
  if (!hasOpenssl()) {
    t.diagnostic('openssl not on PATH: skipped the cross-check');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pexgen-'));
  const args = { 'pbkdf2-sha256': ['-pbkdf2', '-md', 'sha256'], md5: ['-md', 'md5'] } as const;
  for (const mode of ['pbkdf2-sha256', 'md5'] as const) {
    const f = path.join(dir, `x.${mode}`);
    fs.writeFileSync(f, encryptSnapshot(plain, 'pw-1', mode));
    const out = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', ...args[mode], '-pass', 'pass:pw-1', '-in', f]);
    assert.ok(out.equals(plain), `openssl decrypts ${mode}`);
    // and the other way round, with openssl's random salt
    const p = path.join(dir, 'p.bin');
    fs.writeFileSync(p, plain);
    const enc = execFileSync('openssl', ['enc', '-aes-256-cbc', '-salt', ...args[mode], '-pass', 'pass:pw-1', '-in', p]);
    assert.ok(decryptSnapshot(enc, 'pw-1', mode).equals(plain), `decrypts openssl ${mode}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function untgz(buf: Buffer): Promise<Map<string, Buffer>> {
  const tar = require('tar-stream') as { extract(): NodeJS.WritableStream & AsyncIterable<{ header: { name: string }; [Symbol.asyncIterator](): AsyncIterator<Buffer> }> };
  const ex = tar.extract();
  const files = new Map<string, Buffer>();
  ex.end(zlib.gunzipSync(buf));
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c);
    files.set(entry.header.name, Buffer.concat(chunks));
  }
  return files;
}

function unzip(file: string): Promise<Map<string, Buffer>> {
  const yauzl = require('yauzl') as typeof import('yauzl');
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (e: import('yauzl').Entry) => {
        zip.openReadStream(e, (err2, rs) => {
          if (err2 || !rs) return reject(err2);
          const chunks: Buffer[] = [];
          rs.on('data', (c: Buffer) => chunks.push(c));
          rs.on('end', () => {
            files.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function joinRotated(files: Map<string, Buffer>, prefix: string): Buffer {
  const parts: [number, Buffer][] = [];
  for (const [name, data] of files) {
    if (!name.startsWith(prefix + 'unified_support.log')) continue;
    const m = /unified_support\.log(?:\.(\d+))?(\.gz)?$/.exec(name)!;
    parts.push([m[1] ? Number(m[1]) : 0, m[2] ? zlib.gunzipSync(data) : data]);
  }
  parts.sort((x, y) => y[0] - x[0]);
  return Buffer.concat(parts.map((p) => p[1]));
}

test('writeBundle forms', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pexgen-'));
  const opts = { seed: 77, calls: 25 };
  const ref = generateLog(opts);
  const plain = await writeBundle(path.join(dir, 'a'), { ...opts, form: 'plain' });
  assert.ok(fs.readFileSync(plain.path).equals(ref.text));
  assert.ok(plain.supportLog.equals(ref.text));
  const gz = await writeBundle(path.join(dir, 'b'), { ...opts, form: 'gz' });
  assert.ok(zlib.gunzipSync(fs.readFileSync(gz.path)).equals(ref.text));
  const folder = await writeBundle(path.join(dir, 'c'), { ...opts, form: 'folder', rotations: 3 });
  const names = fs.readdirSync(folder.path).sort();
  assert.deepEqual(names, ['unified_developer.log', 'unified_support.log', 'unified_support.log.1', 'unified_support.log.2.gz', 'unified_support.log.3.gz']);
  const fmap = new Map(names.map((n) => [n, fs.readFileSync(path.join(folder.path, n))]));
  assert.ok(joinRotated(fmap, '').equals(ref.text));
  const tgz = await writeBundle(path.join(dir, 'd'), { ...opts, form: 'tgz' });
  assert.match(path.basename(tgz.path), /^diagnostic_snapshot_pxmgr01_26-05-14_\d{4}\.tgz$/);
  const tfiles = await untgz(fs.readFileSync(tgz.path));
  assert.ok(tfiles.has('var/log/unified_developer.log'));
  assert.ok(tfiles.has('var/log/unified_support.log.2.gz'));
  assert.ok(joinRotated(tfiles, 'var/log/').equals(ref.text));
  const zip = await writeBundle(path.join(dir, 'e'), { ...opts, form: 'zip' });
  assert.ok(joinRotated(await unzip(zip.path), 'pexip_logs/').equals(ref.text));
  const enc = await writeBundle(path.join(dir, 'f'), { ...opts, form: 'encrypted', password: 'hunter2' });
  const encBytes = fs.readFileSync(enc.path);
  assert.equal(encBytes.subarray(0, 8).toString('latin1'), 'Salted__');
  const efiles = await untgz(decryptSnapshot(encBytes, 'hunter2', 'pbkdf2-sha256'));
  assert.ok(joinRotated(efiles, 'var/log/').equals(ref.text));
  assert.ok(JSON.stringify(enc.truth) === JSON.stringify(ref.truth));
  fs.rmSync(dir, { recursive: true, force: true });
});
