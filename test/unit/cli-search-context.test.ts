/**
 * `pexlens search -A/-B/-C` and `--raw`: the lines around each match, and the lines' own bytes,
 * as grep prints them. On one plain log
 * the merged view is the file's order, so GNU grep over the same file (its `"quoted"` query is
 * `grep -aiF`) is the reference, damaged and non-UTF-8 lines included (the text output writes
 * lines decoded, as `lines` does: both sides are compared as UTF-8 text).
 */
import assert from '../assert.js';
import { after, test } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { contextRuns } from '../../electron/cli/context.js';

const env = { ...process.env, PEXLENS_FROM_SOURCE: '1', PEXLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'pexlens-ctx-cache-')) };
const utf8 = (b: Buffer) => new TextDecoder().decode(b);
after(() => rmSync(env.PEXLENS_CACHE_DIR, { recursive: true, force: true }));

test('contextRuns joins runs that touch or overlap and clamps to the view', () => {
  assert.deepEqual(contextRuns([0, 5, 7, 20, 22], 2, 1, 23), [[0, 1], [3, 8], [18, 22]]);
  assert.deepEqual(contextRuns([3, 6], 1, 1, 10), [[2, 7]], 'runs that meet are one (grep prints no -- there)');
  assert.deepEqual(contextRuns([], 3, 3, 10), []);
  assert.deepEqual(contextRuns([4, 9], 0, 0, 10), [[4, 4], [9, 9]]);
});

test('search -A/-B/-C prints what grep -A/-B/-C prints, runs apart separated by --', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-ctx-'));
  try {
    const b = await writeBundle(dir, { form: 'plain', seed: 11, calls: 12 });
    const cases: Array<[string, string[]]> = [
      ['SIP Transport Failure', ['-C', '2']],
      ['Received SIP message', ['-A', '1', '-B', '3']],
      ['BYE', ['-B', '1']],
      ['Participant has disconnected', ['-C', '0']],
      ['Traceback', ['-A', '4']],
    ];
    for (const [text, flags] of cases) {
      const grep = spawnSync('grep', ['-a', '-iF', ...flags, '--', text, b.path]);
      assert.equal(grep.status, 0, `grep finds ${text}`);
      const ours = execFileSync(process.execPath, ['bin/pexlens.js', 'search', b.path, `"${text}"`, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(utf8(ours), utf8(grep.stdout), `${text} ${flags.join(' ')}`);
    }
    // -C with a --json / --count output is refused, saying why
    const r = spawnSync(process.execPath, ['bin/pexlens.js', 'search', b.path, 'BYE', '-C', '2', '--json'], { env, encoding: 'utf8' });
    assert.notEqual(r.status, 0, 'refused');
    assert.match(r.stderr, /-A\/-B\/-C .* not with --json/);
    const raw = spawnSync(process.execPath, ['bin/pexlens.js', 'search', b.path, 'BYE', '--raw', '--count'], { env, encoding: 'utf8' });
    assert.match(raw.stderr, /--raw .* not with --count/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search --raw writes the lines byte for byte as grep -a does (non-UTF-8 bytes, CRLF, a last line without a line break)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-raw-'));
  try {
    for (const crlf of [false, true]) {
      const b = await writeBundle(join(dir, String(crlf)), { form: 'plain', seed: 5, calls: 10, crlf });
      // the last line without its line break: grep ends it with one, and so does --raw
      const bytes = readFileSync(b.path);
      writeFileSync(b.path, bytes.subarray(0, bytes.length - (crlf ? 2 : 1)));
      const last = bytes.subarray(0, bytes.length - (crlf ? 2 : 1)).toString('latin1').split('\n').pop()!;
      const word = /Message="([A-Za-z]+)/.exec(last)?.[1] ?? 'Level';
      for (const [text, flags] of [['Display name changed', ['-C', '1']], [word, []], ['Received SIP message', ['-B', '2']]] as Array<[string, string[]]>) {
        const grep = spawnSync('grep', ['-a', '-iF', ...flags, '--', text, b.path]);
        assert.equal(grep.status, 0, `grep finds ${text}`);
        const ours = execFileSync(process.execPath, ['bin/pexlens.js', 'search', b.path, `"${text}"`, '--raw', ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        assert.ok(ours.equals(grep.stdout), `${crlf ? 'CRLF' : 'LF'} ${text} ${flags.join(' ')}: ${ours.length} bytes, grep ${grep.stdout.length}`);
        if (text === 'Display name changed') assert.ok(!isUtf8(ours), 'the generator\'s line with bytes that are not UTF-8 is among them');
        if (text === word) assert.ok(ours.toString('latin1').endsWith(last + '\n'), 'the last line, given a line break');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
