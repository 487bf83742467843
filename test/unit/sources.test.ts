import { test } from 'node:test';
import assert from '../assert.js';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, readlinkSync, chmodSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import * as tar from 'tar-stream';
import yazl from 'yazl';
import { writeBundle, generateLog, encryptSnapshot, makeZip, PLATFORM_FILE } from '../generator/index.ts';
import { openBundle } from '../../electron/engine/session.ts';
import { openIndexed } from '../../electron/engine/search/indexed-open.ts';
import type { Session } from '../../electron/engine/session.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'pexlens-src-'));

/** What `pexlens lines --raw` gives for one stream: the view order restricted to that stream. */
function rawStream(s: Session, stream: string): Buffer {
  const { store } = s;
  const parts: Buffer[] = [];
  const files = new Set(store.streams.filter((x) => x.name === stream).flatMap((x) => x.files));
  for (let p = 0; p < store.count; p++) {
    const i = store.at(p);
    if (files.has(store.file.data[i]!)) parts.push(store.raw(i));
  }
  return Buffer.concat(parts);
}

/** A tar of these entries (tar-stream headers; a link has no bytes), written to path. */
async function writeTar(path: string, entries: Array<[Partial<tar.Header> & { name: string }, Buffer?]>): Promise<void> {
  const pack = tar.pack();
  for (const [header, data] of entries) {
    if (data) pack.entry(header, data);
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
}

function runCli(args: string[], env: Record<string, string> = {}): { code: number; stdout: Buffer; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1', ...env }, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: Buffer; stderr: Buffer };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr.toString() };
  }
}

for (const form of ['plain', 'gz', 'folder', 'tgz', 'zip', 'encrypted'] as const) {
  test(`${form}: the support log set comes back byte for byte`, async () => {
    const dir = tmp();
    const b = await writeBundle(dir, { form, seed: 7, calls: 12, damaged: true, rotations: 3, password: 'open sesame' });
    const env = { PEXLENS_PASSWORD: 'open sesame' };
    const s = await openBundle([b.path], { password: env.PEXLENS_PASSWORD });
    assert.ok(rawStream(s, 'unified_support.log').equals(b.supportLog), 'engine: stream bytes equal the rotated set joined oldest first');
    const r = runCli(['lines', b.path, '--stream', 'unified_support.log', '--raw'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.equals(b.supportLog), 'cli --raw equals the input');
  });
}

test("a snapshot's platform status file gives its software version (info, the reports), not a warning; in an unpacked snapshot too, from the table cache as well; a damaged one is a warning naming it", async () => {
  const dir = tmp();
  const json = '{"version": "35.1.0", "build": 81234, "hostname": "pxmgr01", "nodes": ["a", "b"]}';
  const b = await writeBundle(dir, { form: 'tgz', seed: 5, calls: 12, platformJson: json });
  const doc = JSON.parse(b.platformJson!) as { version: string; build: number; hostname: string };
  const plain = Object.entries(doc).filter(([, v]) => typeof v !== 'object').map(([k, v]) => [k, String(v)]);
  const file = `${b.path}!${PLATFORM_FILE}`;
  const s = await openBundle([b.path]);
  assert.deepEqual(s.platforms, [{ file, version: doc.version, fields: plain }]);
  assert.ok(!s.warnings.some((w) => w.includes('platform.json')), s.warnings.join('\n'));
  const info = runCli(['info', b.path, '--no-cache']);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(info.stdout.toString().split('\n')[0], `Pexip Infinity ${doc.version} (build=${doc.build}, hostname=${doc.hostname}), from ${file}`);
  assert.deepEqual(JSON.parse(runCli(['info', b.path, '--json', '--no-cache']).stdout.toString()).platforms, s.platforms);
  const call = b.truth.calls[0]!.id;
  const report = runCli(['export', b.path, '--call', call, '--format', 'text', '-o', '-']);
  assert.match(report.stdout.toString(), new RegExp(`^Source: .*\\nPlatform: Pexip Infinity ${doc.version.replace(/\./g, '\\.')}\\n`, 'm'));

  // unpacked: the same file in its folders, read on a first open and from the table cache on the next
  const unpacked = join(dir, 'unpacked');
  mkdirSync(join(unpacked, 'var', 'log'), { recursive: true });
  mkdirSync(join(unpacked, 'opt/pexip/share/status'), { recursive: true });
  writeFileSync(join(unpacked, 'var', 'log', 'unified_support.log'), b.supportLog);
  writeFileSync(join(unpacked, PLATFORM_FILE), json);
  const cacheDir = mkdtempSync(join(tmpdir(), 'pexlens-src-cache-'));
  process.env.PEXLENS_CACHE_DIR = cacheDir;
  try {
    const first = await openBundle([unpacked], { tableCache: true });
    await first.tablesSaved;
    const again = await openBundle([unpacked], { tableCache: true });
    assert.equal(again.tableCache, 'hit');
    for (const x of [first, again]) assert.deepEqual(x.platforms, [{ file: join(unpacked, PLATFORM_FILE), version: doc.version, fields: plain }]);
  } finally {
    delete process.env.PEXLENS_CACHE_DIR;
  }

  // damaged: named in a warning, and the logs load all the same
  writeFileSync(join(unpacked, PLATFORM_FILE), json.slice(0, 20));
  const damaged = await openBundle([unpacked]);
  assert.deepEqual(damaged.platforms, []);
  assert.ok(damaged.warnings.some((w) => w.startsWith(`${join(unpacked, PLATFORM_FILE)}: a platform status file that is not JSON`)), damaged.warnings.join('\n'));
  assert.equal(rawStream(damaged, 'unified_support.log').length, b.supportLog.length);
});

test('a file with no line in the log\'s layout (another tool\'s notes, random bytes) loads as it is and is named in a warning; an empty file and a good log are not', async () => {
  const dir = tmp();
  const b = await writeBundle(dir, { form: 'folder', seed: 9, calls: 10, rotations: 0 });
  const notes = 'customer says: calls drop at 14:05\nsee ticket 4711\n';
  writeFileSync(join(b.path, 'notes.log'), notes);
  writeFileSync(join(b.path, 'empty.log'), '');
  const s = await openBundle([b.path]);
  const named = (f: string) => s.warnings.filter((w) => w.startsWith(join(b.path, f) + ':'));
  assert.deepEqual(named('notes.log'), [`${join(b.path, 'notes.log')}: none of its 2 lines begins with a syslog time (is it a Pexip log?); its lines are shown as they are, without times`]);
  assert.deepEqual(named('empty.log'), []);
  assert.deepEqual(named('unified_support.log'), []);
  // nothing lost: its lines are in the bundle, byte for byte, and found by a search
  assert.ok(rawStream(s, 'notes.log').equals(Buffer.from(notes)));
  const r = runCli(['search', b.path, 'ticket', '--json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout.toString()) as { hits: Array<{ text: string }> }).hits.map((h) => h.text), ['see ticket 4711']);
});

test('an encrypted zip (not a tgz) is read decrypted, and the session is marked encrypted', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 4, calls: 2 });
  const zip = await makeZip([{ name: 'var/log/unified_support.log', data: text, mtime: new Date('2026-05-14T10:00:00Z') }]);
  for (const [name, plain] of [['zip.enc', zip]] as const) {
    const enc = join(dir, name);
    writeFileSync(enc, encryptSnapshot(plain, 'pw', 'pbkdf2-sha256'));
    const s = await openBundle([enc], { password: 'pw' });
    assert.deepEqual(s.warnings, [], name);
    assert.ok(rawStream(s, 'unified_support.log').equals(text), `${name}: the decrypted log`);
    assert.equal(s.encrypted, true, name);
  }
});

test('encrypted snapshots: pbkdf2 and md5 key derivation, wrong and missing password', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 3, calls: 3 });
  const plainTgz = join(dir, 'x.tgz');
  const pack = tar.pack();
  pack.entry({ name: 'var/log/unified_support.log' }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const tgz = gzipSync(Buffer.concat(chunks));
  writeFileSync(plainTgz, tgz);
  for (const mode of ['pbkdf2-sha256', 'md5'] as const) {
    const enc = join(dir, `snap-${mode}.bin`);
    writeFileSync(enc, encryptSnapshot(tgz, 'pw', mode));
    const s = await openBundle([enc], { password: 'pw' });
    assert.ok(rawStream(s, 'unified_support.log').equals(text), mode);
    const wrong = runCli(['info', enc], { PEXLENS_PASSWORD: 'nope' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /wrong password/);
    assert.match(wrong.stderr, new RegExp(`snap-${mode}`));
  }
  // refused for want of a password, or for a wrong one: the snapshot is closed at once (it was
  // left open until garbage collection, which Node warns will become an error)
  const openOn = (path: string) => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false;
    }
  }).length;
  for (const password of [undefined, 'nope']) {
    const enc = join(dir, 'snap-md5.bin');
    await assert.rejects(openBundle([enc], { password }), /password/);
    assert.equal(openOn(enc), 0, `${password ?? 'no password'}: the snapshot is not left open`);
  }
  const missing = runCli(['info', join(dir, 'snap-md5.bin')], { PEXLENS_PASSWORD: '' });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /password is needed/);
  const pwFile = join(dir, 'pw.txt');
  writeFileSync(pwFile, 'pw\n');
  assert.equal(runCli(['info', join(dir, 'snap-md5.bin'), '--password-file', pwFile], { PEXLENS_PASSWORD: '' }).code, 0);
});

test('a folder of more files than a process may open at once: every file loads, none stays open', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 6, calls: 120 });
  const lines = text.toString('latin1').split('\n').slice(0, 1200);
  assert.equal(lines.length, 1200);
  /** Rotation k's lines: four, so more than sniffing reads (a file read to its end closes itself). */
  const rotation = (k: number) => lines.slice(4 * k, 4 * k + 4).map((l) => l + '\n').join('');
  const fds = () => readdirSync('/proc/self/fd').length;
  // zips on disk (read by path once sniffed), in a folder of their own: a small load, so no
  // collection of garbage closes what the sniffing would leave open
  const zips = tmp();
  // (each larger than what sniffing reads, as real ones are)
  const entry = Buffer.from(lines.slice(0, 300).join('\n') + '\n', 'latin1');
  for (const n of [1, 2, 3]) writeFileSync(join(zips, `node${n}.zip`), await makeZip([{ name: `node${n}/administrator.log`, data: entry, mtime: new Date() }]));
  let before = fds();
  assert.equal((await openBundle([zips])).store.count, 900);
  assert.ok(fds() <= before + 1, `open descriptors: ${before} before the zips' load, ${fds()} after`);
  // 300 rotations
  for (let k = 0; k < 300; k++) writeFileSync(join(dir, `unified_support.log.${k + 1}`), rotation(k), 'latin1');
  before = fds();
  const s = await openBundle([dir]);
  assert.ok(fds() <= before + 2, `open descriptors: ${before} before the load, ${fds()} after`);
  assert.equal(s.store.files.length, 300);
  assert.equal(s.store.count, 1200);
  // the rotations in order, oldest (the highest number) first, each file's lines as they were
  const raw = rawStream(s, 'unified_support.log');
  const oldestFirst = Array.from({ length: 300 }, (_, k) => rotation(299 - k)).join('');
  assert.ok(raw.equals(Buffer.from(oldestFirst, 'latin1')));
  // a load cancelled halfway leaves none open either (the sources may have opened the next file)
  before = fds();
  const abort = new AbortController();
  const cancelled = openBundle([dir], { signal: abort.signal, onProgress: (p) => p.lines >= 600 && abort.abort() });
  await assert.rejects(cancelled, /cancelled/);
  assert.ok(fds() <= before + 2, `open descriptors: ${before} before the cancelled load, ${fds()} after`);
  // as a user meets it: under a low limit of open files (macOS gives 256), the CLI reads them all
  const r = spawnSync('bash', ['-c', `ulimit -n 128 && exec "${process.execPath}" "${cli}" info "${dir}"`], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /unified_support\.log: 300 file\(s\)/);
});

test('a folder with links: a loop, a link to nothing, a second name for a file, a folder outside, a pipe in it', async () => {
  const dir = tmp();
  const outside = tmp();
  const { text } = generateLog({ seed: 8, calls: 3 });
  const other = generateLog({ seed: 9, calls: 2 }).text;
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'unified_support.log'), text);
  writeFileSync(join(outside, 'administrator.log'), other);
  symlinkSync('..', join(dir, 'logs', 'loop'));
  symlinkSync('/nonexistent/pexlens', join(dir, 'logs', 'dangling.log'));
  symlinkSync('unified_support.log', join(dir, 'logs', 'current.log'));
  symlinkSync(outside, join(dir, 'logs', 'node2'));
  execFileSync('mkfifo', [join(dir, 'logs', 'pipe.log')]);
  const s = await openBundle([dir]);
  // each file once, by its own name; the folder outside is read through its link
  assert.deepEqual(s.store.files.map((f) => f.display).sort(), [join(dir, 'logs', 'node2', 'administrator.log'), join(dir, 'logs', 'unified_support.log')]);
  assert.ok(rawStream(s, 'unified_support.log').equals(text));
  assert.ok(rawStream(s, 'administrator.log').equals(other));
  for (const [name, why] of [['dangling.log', /a link to nothing/], ['loop', /a folder read already/], ['current.log', /the same file as .*unified_support\.log; read once/], ['pipe.log', /not a regular file/]] as const) {
    assert.ok(s.warnings.some((w) => w.startsWith(join(dir, 'logs', name)) && why.test(w)), `${name}: ${s.warnings.join(' | ')}`);
  }
  // the caches know the same files: built, then read back
  process.env.PEXLENS_CACHE_DIR = join(dir, '..', `${basename(dir)}-cache`);
  try {
    assert.equal((await openIndexed([dir], { workers: 0 })).source, 'built (absent)');
    assert.equal((await openIndexed([dir], { workers: 0 })).source, 'cache');
  } finally {
    delete process.env.PEXLENS_CACHE_DIR;
  }
  const r = runCli(['info', dir]);
  assert.equal(r.code, 0, r.stderr);
  // a folder with nothing to read says so
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  assert.deepEqual((await openBundle([empty])).warnings, [`${empty}: no files in this folder`]);
});

test('a pipe given as the path (`<(zcat …)`) is read once, every byte, plain or gzipped; nothing cached', () => {
  const file = join(tmp(), 'unified_support.log');
  const { text } = generateLog({ seed: 8, calls: 3 });
  writeFileSync(file, text);
  const cache = join(tmp(), 'cache');
  const run = (args: string) => spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" ${args}`], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1', PEXLENS_CACHE_DIR: cache }, maxBuffer: 1 << 28 });
  for (const cat of ['cat', 'gzip -c']) {
    const piped = run(`lines <(${cat} "${file}") --raw`);
    assert.equal(piped.status, 0, piped.stderr.toString());
    assert.ok(piped.stdout.equals(text), `${cat}: ${piped.stdout.length} bytes back of ${text.length}`);
  }
  // a search scans it and keeps nothing: a pipe has no identity to find it by again
  const lines = text.toString('latin1').split('\n').filter((l) => /\binvite\b/i.test(l)).length;
  const found = run(`search <(cat "${file}") invite --count`);
  assert.equal(found.status, 0, found.stderr.toString());
  assert.equal(Number(found.stdout.toString().trim()), lines);
  assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], []);
});

test('links inside archives: a zip\'s symbolic link is not a log, a tar\'s hard link says which name it was read under', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 10, calls: 2 });
  // a zip made on Unix holding a link (`zip -y`): its bytes are the target's name
  const zip = new yazl.ZipFile();
  zip.addBuffer(text, 'var/log/unified_support.log', { mode: 0o100644 });
  zip.addBuffer(Buffer.from('unified_support.log'), 'var/log/current.log', { mode: 0o120777 });
  zip.end();
  const zipPath = join(dir, 'logs.zip');
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  writeFileSync(zipPath, Buffer.concat(parts));
  const z = await openBundle([zipPath]);
  assert.deepEqual(z.store.files.map((f) => f.stream), ['unified_support.log']);
  assert.ok(rawStream(z, 'unified_support.log').equals(text));
  // a tar: the bytes come once, under the first name; a later name for them is a hard link
  const tarPath = join(dir, 'snap.tar');
  await writeTar(tarPath, [
    [{ name: 'var/log/unified_support.log.1' }, text],
    [{ name: 'var/log/unified_support.log', type: 'link', linkname: 'var/log/unified_support.log.1' }],
    [{ name: 'var/log/current.log', type: 'symlink', linkname: 'unified_support.log' }],
  ]);
  const t = await openBundle([tarPath]);
  assert.deepEqual(t.store.files.map((f) => f.display), [`${tarPath}!var/log/unified_support.log.1`]);
  assert.deepEqual(t.warnings, [`${tarPath}!var/log/unified_support.log: the same file as var/log/unified_support.log.1 in the archive (a hard link); read once, as var/log/unified_support.log.1`]);
});

test('formats pexlens does not read (xz, bzip2, zstd, 7-Zip, RAR) are skipped with a warning saying how to open them; what is skipped is not read through', async () => {
  const dir = tmp();
  // a three-line log compressed by Python's lzma and bz2 (real streams); the others: their heads
  const xz = '/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4AFMAGRdABkMApKyqVIGMbNTOWTq4zPwdwI0vucCbvdD55+hOuiR1NxP3hz8mqa6l8Mo5X443F6j2SxlxQrAoQsWhlJWsGW0jQ7GJNSDyQdIWrTnxF84rOkouYiprYNdZB5HJgUXJSSKrQAAa3CfoUfgMGUAAYABzQIAAAALJmexxGf7AgAAAAAEWVo=';
  const bz2 = 'QlpoOTFBWSZTWV0Q5WgAAEZfgAAQUA9/8gEnhAAip98AMAC4DDI000yMJkYJoDBhkaaaZGEyME0Bgj9VT1NUb1Taj0J6ZQepoPKep6krlVy9SGbR7sURzYMIYQudVjybJhiyhk6pUXQyhi+FISthKWSYVeC5KVsMXGHGF70dyVjkqtWw6KKvtlDs9XOGaxm6Nne1fjVu0aNVV6Wzk1bLG6jg9lXBuotf4u5IpwoSC6IcrQA=';
  const files: Array<[string, Buffer, RegExp]> = [
    ['unified_support.log.1.xz', Buffer.from(xz, 'base64'), /xz-compressed.*\(xz -dk it first\)/],
    ['unified_support.log.2.bz2', Buffer.from(bz2, 'base64'), /bzip2-compressed.*\(bzip2 -dk it first\)/],
    ['unified_support.log.3.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00, 0x01, 0x02]), /zstd-compressed/],
    ['logs.7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), /a 7-Zip archive.*\(7z x it first\)/],
    ['logs.rar', Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), /a RAR archive/],
  ];
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  // a text that starts like bzip2's magic is still text
  writeFileSync(join(dir, 'unified_support.log'), 'BZh9 is not a compressed stream\n');
  const s = await openBundle([dir]);
  assert.deepEqual(s.store.files.map((f) => f.display), [join(dir, 'unified_support.log')]);
  for (const [name, , why] of files) assert.ok(s.warnings.some((w) => w.startsWith(join(dir, name)) && why.test(w) && /which pexlens does not read; skipped/.test(w)), `${name}: ${s.warnings.join(' | ')}`);
  // a large file that is not a log (a capture beside the logs) is not read through to be skipped
  const capture = Buffer.alloc(8 << 20, 0xa5);
  writeFileSync(join(dir, 'capture.pcap'), capture);
  let read = 0;
  await openBundle([dir], { onProgress: (p) => (read = p.diskBytes) });
  assert.ok(read < capture.length / 8, `${read} bytes read from disk for a ${capture.length}-byte capture and a small log`);
  // given by name too (where any other file is read whatever it holds): skipped, and said
  const one = await openBundle([join(dir, 'unified_support.log.1.xz')]);
  assert.equal(one.store.files.length, 0);
  assert.match(one.warnings.join('\n'), /unified_support\.log\.1\.xz: xz-compressed, which pexlens does not read/);
});

test('archive entries with absolute paths or .. are refused, the rest loads', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 4, calls: 2 });
  const path = join(dir, 'snap.tar');
  await writeTar(path, [
    [{ name: '../../etc/unified_support.log' }, Buffer.from('evil\n')],
    [{ name: '/abs/unified_support.log' }, Buffer.from('evil\n')],
    [{ name: 'var/log/unified_support.log' }, text],
  ]);
  const s = await openBundle([path]);
  assert.ok(rawStream(s, 'unified_support.log').equals(text));
  assert.equal(s.warnings.filter((w) => /refused archive entry/.test(w)).length, 2);
  const r = runCli(['info', path]);
  assert.equal(r.code, 0);
});

test('a truncated .gz loads its readable part and warns naming the file', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 5, calls: 6 });
  const gz = gzipSync(text);
  const path = join(dir, 'unified_support.log.2.gz');
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const warnings: string[] = [];
  const s = await openBundle([path], { warn: (m) => warnings.push(m) });
  assert.ok(s.store.count > 10, 'some lines loaded');
  const got = rawStream(s, 'unified_support.log');
  // every complete line that was read is a prefix of the original
  assert.ok(text.subarray(0, got.length - 200).equals(got.subarray(0, got.length - 200)));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /unified_support\.log\.2\.gz.*cut short/);
});

test('a damaged zip is a warning naming it and the rest loads; an encrypted snapshot inside a zip still asks for its password', async () => {
  const dir = tmp();
  const { text } = generateLog({ seed: 6, calls: 3 });
  writeFileSync(join(dir, 'unified_support.log'), text);
  const zip = await makeZip([{ name: 'logs/unified_support.log', data: text, mtime: new Date() }]);
  writeFileSync(join(dir, 'customer.zip'), zip.subarray(0, zip.length - 30)); // its directory cut off
  const warnings: string[] = [];
  const s = await openBundle([dir], { warn: (m) => warnings.push(m) });
  assert.ok(rawStream(s, 'unified_support.log').equals(text), 'the folder\'s log loads');
  assert.equal(warnings.filter((w) => /customer\.zip: archive is damaged or cut short/.test(w)).length, 1, warnings.join('\n'));
  assert.equal(runCli(['info', dir]).code, 0, 'the CLI opens the folder');
  // a customer's zip holding an encrypted snapshot: the password is still asked for
  const pack = tar.pack();
  pack.entry({ name: 'var/log/unified_support.log' }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const enc = encryptSnapshot(gzipSync(Buffer.concat(chunks)), 'pw', 'pbkdf2-sha256');
  const outer = join(dir, 'case.zip');
  writeFileSync(outer, await makeZip([{ name: 'diagnostic_snapshot_pxmgr01.tgz', data: enc, mtime: new Date() }]));
  await assert.rejects(openBundle([outer]), /password is needed/);
  assert.ok(rawStream(await openBundle([outer], { password: 'pw' }), 'unified_support.log').equals(text));
});

test('unreadable paths are clear errors naming them', () => {
  const r = runCli(['info', '/nonexistent/bundle.tgz']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^pexlens: \/nonexistent\/bundle\.tgz: cannot read \(ENOENT\)\n$/);
  if (process.getuid?.() !== 0) {
    const dir = tmp();
    const p = join(dir, 'locked.log');
    writeFileSync(p, 'x\n');
    chmodSync(p, 0);
    assert.match(runCli(['info', p]).stderr, /locked\.log: cannot read/);
  }
});

test('a mistyped level, time or query is said before the bundle loads (a path that is not there shows the order)', () => {
  const missing = '/nonexistent/bundle.tgz';
  for (const [args, said] of [
    [['lines', missing, '--level', 'NOPE'], /^pexlens: unknown level 'NOPE' \(DEBUG, INFO, WARNING, ERROR, CRITICAL, NONE\)\n$/],
    [['lines', missing, '--from', 'garbage'], /^pexlens: cannot read time 'garbage'/],
    [['search', missing, 'invite level:BOGUS'], /^pexlens: unknown level 'BOGUS' .*\(at position 8\)\n$/],
    [['search', missing, 'to:"14 May"'], /^pexlens: cannot read time '14 May' \(use e\.g\. 2026-05-14T08:04:40, "2026-05-14 08:04:40,000" or a time of day, 08:04:40\)/],
    [['export', missing, '--query', 'level:warning,oops', '-o', '-'], /^pexlens: unknown level 'oops'/],
    [['export', missing, '--to', '20x', '-o', '-'], /^pexlens: cannot read time '20x'/],
  ] as const) {
    const r = runCli([...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, said, args.join(' '));
  }
  // right values go on to the load, which says what is wrong with the path
  assert.match(runCli(['lines', missing, '--level', 'warning,error', '--from', '2026-05-14 08:00:00']).stderr, /bundle\.tgz: cannot read \(ENOENT\)/);
});

test('two nodes\' snapshots side by side (a case folder, or a zip of them): two logs, each whole, merged by time', async () => {
  const dir = tmp();
  const a = await writeBundle(join(dir, 'a'), { form: 'tgz', seed: 1, calls: 12 });
  const b = await writeBundle(join(dir, 'b'), { form: 'tgz', seed: 2, calls: 12 });
  const folder = join(dir, 'case');
  mkdirSync(folder);
  writeFileSync(join(folder, 'snapA.tgz'), readFileSync(a.path));
  writeFileSync(join(folder, 'snapB.tgz'), readFileSync(b.path));
  const zipPath = join(dir, 'case.zip');
  writeFileSync(zipPath, await makeZip([{ name: 'snapA.tgz', data: readFileSync(a.path), mtime: new Date() }, { name: 'snapB.tgz', data: readFileSync(b.path), mtime: new Date() }]));
  for (const path of [folder, zipPath]) {
    const s = await openBundle([path]);
    const { store } = s;
    const support = store.streams.filter((x) => x.name === 'unified_support.log');
    assert.equal(support.length, 2, `${path}: one unified_support.log per snapshot`);
    // each is its snapshot's log, rotations oldest first, byte for byte
    support.forEach((st, k) => {
      const bytes: Buffer[] = [];
      for (const id of st.files) {
        const f = store.files[id]!;
        for (let i = f.firstLine; i < f.firstLine + f.lineCount; i++) bytes.push(store.raw(i));
      }
      assert.ok(Buffer.concat(bytes).equals([a, b][k]!.supportLog), `${path}: stream ${k} is snapshot ${'AB'[k]}'s log`);
    });
    // the view merges the two by time: it never steps back
    for (let p = 1; p < store.count; p++) assert.ok(store.time.data[store.at(p)]! >= store.time.data[store.at(p - 1)]!, `${path}: view line ${p} steps back in time`);
  }
  // `info` says which is which
  const info = runCli(['info', folder]);
  assert.equal(info.code, 0, info.stderr);
  for (const snap of ['snapA', 'snapB']) assert.match(info.stdout.toString(), new RegExp(`^  unified_support\\.log in .*${snap}\\.tgz!var/log: 3 file\\(s\\)`, 'm'));
});

test('streams of several sources merge by syslog time; filters select exactly', async () => {
  const dir = tmp();
  const a = await writeBundle(join(dir, 'a'), { form: 'folder', seed: 11, calls: 6, rotations: 2 });
  const b = await writeBundle(join(dir, 'b'), { form: 'plain', seed: 12, calls: 6, startTime: '2026-05-14T08:00:30Z' });
  const s = await openBundle([a.path, b.path]);
  const { store } = s;
  const times = Array.from({ length: store.count }, (_, p) => store.time.data[store.at(p)]!);
  // each stream keeps its own order; the merged view is sorted wherever streams interleave
  const seen = new Set<number>();
  for (let p = 0; p < store.count; p++) seen.add(store.at(p));
  assert.equal(seen.size, store.count, 'view order is a permutation');
  let inversions = 0;
  for (let p = 1; p < times.length; p++) if (times[p]! < times[p - 1]!) inversions++;
  assert.ok(inversions < store.count / 100, `few inversions (${inversions}), only those within a stream`);

  // filters: compare the CLI with a line-by-line reference over the plain file
  const lines = readFileSync(b.path, 'latin1').split('\n').filter((l, k, all) => k < all.length - 1 || l !== '');
  const ref = lines.filter((l) => /Level="(WARNING|ERROR)"/.test(l) && / Name="support\.h323\.[^"]*"/.test(l));
  const r = runCli(['lines', b.path, '--level', 'WARNING', '--level', 'error', '--name', 'support.h323*', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const got = r.stdout.toString().trim().split('\n').filter(Boolean).map((x) => JSON.parse(x) as { text: string; line: number });
  assert.deepEqual(got.map((g) => g.text), ref.map((l) => l.replace(/\r$/, '')));
  const node = lines.find((l) => /^\S+ (\S+) /.test(l))!.split(' ')[1]!;
  const from = '2026-05-14T08:00:40Z';
  const to = '2026-05-14T08:01:10Z';
  const refNode = lines.filter((l) => l.split(' ')[1] === node && /^\d{4}-/.test(l)).filter((l) => {
    const t = Date.parse(l.slice(0, 29));
    return t >= Date.parse(from) && t <= Date.parse(to);
  });
  const r2 = runCli(['lines', b.path, '--node', node, '--from', from, '--to', to]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(r2.stdout.toString().split('\n').filter(Boolean), refNode.map((l) => l.replace(/\r$/, '')));
  const bad = runCli(['lines', b.path, '--level', 'LOUD']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown level 'LOUD'/);
});
