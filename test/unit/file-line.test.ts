// A line quoted as file:line (electron/engine/lines/file-line.ts, `seekFileLine` in the API): on a
// folder of rotated files (one gzipped) and on two logs of the same name, checked against the
// files' own lines read from disk.
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EngineApi } from '../../electron/engine/api-impl.js';
import { isFileLine } from '../../electron/shared/file-line.js';
import { writeBundle } from '../generator/index.js';

const cacheHome = mkdtempSync(join(tmpdir(), 'pexlens-fileline-cache-'));
process.env.PEXLENS_CACHE_DIR = cacheHome;
let dir: string;
let folder: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pexlens-fileline-'));
  folder = (await writeBundle(join(dir, 'a'), { form: 'folder', seed: 8, calls: 12, rotations: 2 })).path;
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheHome, { recursive: true, force: true });
});

/** A file's lines as they are on disk (gunzipped), without their line breaks. */
function diskLines(path: string): string[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text ? text.replace(/\r?\n$/, '').split(/\r?\n/) : [];
}

test('a time is not a file:line, a name with a line number is', () => {
  for (const t of ['08:10', '2026-05-14 08:10', '2026-05-14T08:10:05', '08:04:40.123']) assert.equal(isFileLine(t), false, t);
  for (const t of ['unified_support.log:12', 'unified_support.log.2.gz:271', ' var/log/unified_support.log.1:3 ', 'C:\\logs\\unified_support.log:9']) assert.equal(isFileLine(t), true, t);
});

test('file:line finds that line of that file: by name, by a tail of its path, without its .gz', async () => {
  const api = new EngineApi(() => {});
  await api.open({ paths: [folder] });
  const files = readdirSync(folder).filter((f) => f.startsWith('unified_'));
  assert.ok(files.some((f) => f.endsWith('.gz')), `a gzipped rotation among ${files}`);
  let found = 0;
  for (const name of files) {
    const lines = diskLines(join(folder, name));
    // (the generator may leave the current file empty, as a log just rotated is)
    if (!lines.length) {
      await assert.rejects(api.seekFileLine({ ref: `${name}:1` }), new RegExp(`${name} is empty`));
      continue;
    }
    for (const n of [1, Math.ceil(lines.length / 2), lines.length]) {
      const refs = [`${name}:${n}`, `${basename(folder)}/${name}:${n}`, `${join(folder, name)}:${n}`];
      if (name.endsWith('.gz')) refs.push(`${name.slice(0, -3)}:${n}`);
      for (const ref of refs) {
        const index = await api.seekFileLine({ ref });
        const d = await api.lineDetail({ index });
        assert.equal(d.line, n, ref);
        assert.ok(d.file.endsWith(name), `${ref}: ${d.file}`);
        assert.equal(d.text, lines[n - 1], ref);
        found++;
      }
    }
  }
  assert.ok(found >= 9, `${found} lines found in three files or more`);
  // what cannot be found says why, naming the files
  await assert.rejects(api.seekFileLine({ ref: 'unified_support.log.1:0' }), /has lines 1 to \d+, not 0/);
  await assert.rejects(api.seekFileLine({ ref: `unified_support.log.1:${diskLines(join(folder, 'unified_support.log.1')).length + 1}` }), /has lines 1 to/);
  await assert.rejects(api.seekFileLine({ ref: 'support.log:3' }), /no file of this bundle is named 'support.log'; its files: .*unified_support\.log/);
  await assert.rejects(api.seekFileLine({ ref: '08:10' }), /not a place in a file/);
});

test('two logs of one name: the name alone is ambiguous, more of the path tells them apart', async () => {
  const other = (await writeBundle(join(dir, 'b'), { form: 'folder', seed: 9, calls: 6, rotations: 0 })).path;
  const api = new EngineApi(() => {});
  await api.open({ paths: [folder, other] });
  await assert.rejects(api.seekFileLine({ ref: 'unified_support.log:2' }), /'unified_support.log' names 2 files \(.*\): give more of the path/);
  const d = await api.lineDetail({ index: await api.seekFileLine({ ref: `b/${basename(other)}/unified_support.log:2` }) });
  assert.equal(d.text, diskLines(join(other, 'unified_support.log'))[1]);
});

test('CLI lines --around file:line -C n: the line and its neighbours, byte for byte, as the file holds them', async () => {
  const plain = (await writeBundle(join(dir, 'plain'), { form: 'plain', seed: 4, calls: 8 })).path;
  const env = { ...process.env, PEXLENS_FROM_SOURCE: '1' };
  const run = (args: string[]) => execFileSync(process.execPath, ['bin/pexlens.js', 'lines', plain, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // the file's lines with their breaks, as bytes (one file: the merged view is its order)
  const raw = readFileSync(plain).toString('latin1').split(/(?<=\n)/);
  assert.equal(run(['--around', 'unified_support.log:20', '-C', '3', '--raw']).toString('latin1'), raw.slice(16, 23).join(''));
  assert.equal(run(['--around', 'unified_support.log:2', '-C', '5', '--raw']).toString('latin1'), raw.slice(0, 7).join(''), 'clamped at the start');
  const last = raw.length;
  assert.equal(run(['--around', `unified_support.log:${last}`, '--raw']).toString('latin1'), raw.slice(last - 11).join(''), '10 each side by default, clamped at the end');
  const json = run(['--around', 'unified_support.log:20', '-C', '1', '--json']).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number });
  assert.deepEqual(json.map((r) => r.line), [19, 20, 21]);
  // with a filter, or -C alone: refused, saying why
  const bad = spawnSync(process.execPath, ['bin/pexlens.js', 'lines', plain, '--around', 'unified_support.log:20', '--level', 'ERROR'], { env, encoding: 'utf8' });
  assert.notEqual(bad.status, 0, 'refused');
  assert.match(bad.stderr, /--around shows a line's neighbours as they are: not with --level/);
  assert.match(spawnSync(process.execPath, ['bin/pexlens.js', 'lines', plain, '-C', '2'], { env, encoding: 'utf8' }).stderr, /-C\/--context goes with --around/);
});
