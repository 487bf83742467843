/**
 * `pexlens search -A/-B/-C`: the lines around each match, as grep prints them. On one plain log
 * the merged view is the file's order, so GNU grep over the same file (its `"quoted"` query is
 * `grep -aiF`) is the reference, damaged and non-UTF-8 lines included (the text output writes
 * lines decoded, as `lines` does: both sides are compared as UTF-8 text).
 */
import assert from '../assert.js';
import { test } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../generator/index.js';
import { contextRuns } from '../../electron/cli/context.js';

const env = { ...process.env, PEXLENS_FROM_SOURCE: '1', PEXLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'pexlens-ctx-cache-')) };
const utf8 = (b: Buffer) => new TextDecoder().decode(b);

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
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(env.PEXLENS_CACHE_DIR, { recursive: true, force: true });
  }
});
