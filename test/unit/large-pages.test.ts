/**
 * bin/large-pages.js: the CLI restarts itself with glibc's large-page tunable where the kernel
 * gives huge pages on request, passes on signals and exit status, and can be turned off.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateLog, writeLog } from '../generator/index.ts';
import { largePagesEnv } from '../../bin/large-pages.js';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
const launcher = new URL('../../bin/large-pages.js', import.meta.url).href;
const THP = '/sys/kernel/mm/transparent_hugepage/enabled';

/** Why this machine cannot show large pages (undefined when it can). */
function noLargePages(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (!existsSync(THP) || !readFileSync(THP, 'utf8').includes('[madvise]')) return 'transparent huge pages are not "madvise" here';
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  const [major, minor] = (glibc ?? '0.0').split('.').map(Number) as [number, number];
  if (major < 2 || (major === 2 && minor < 35)) return `glibc ${glibc ?? '(none)'} has no hugetlb tunable`;
  return undefined;
}

test('largePagesEnv: off with PEXLENS_LARGE_PAGES=0, once only, other tunables kept', { skip: noLargePages() }, () => {
  const base = { PATH: process.env.PATH } as NodeJS.ProcessEnv;
  assert.equal(largePagesEnv({ ...base, PEXLENS_LARGE_PAGES: '0' }).GLIBC_TUNABLES, undefined);
  assert.equal(largePagesEnv(base).GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
  assert.equal(largePagesEnv({ ...base, GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES, 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  assert.equal(largePagesEnv({ ...base, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }).GLIBC_TUNABLES, 'glibc.malloc.hugetlb=0', 'a setting of the user stays');
});

/** `pexlens serve` on a log, once it has loaded it: the process and the one doing the work. */
async function serving(path: string, env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; worker: number }> {
  const proc = spawn(process.execPath, [cli, 'serve', path, '--port', '0'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1', PEXLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'pexlens-lp-cache-')), ...env } });
  let err = '';
  proc.stdout!.resume();
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not load within 60 s: ${err}`)), 60000);
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/loaded \d+ lines/.test(err)) {
        clearTimeout(timer);
        done();
      }
    });
  });
  const children = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim();
  return { proc, worker: children ? Number(children.split(' ')[0]) : proc.pid! };
}

/**
 * kB of a process's mappings marked for huge pages (`THPeligible: 1` in /proc/<pid>/smaps: in
 * `madvise` mode, what glibc asked for). Whether the kernel backs them with huge pages at a given
 * moment is its best effort (free 2 MB blocks, this VM reclaiming idle memory), so the tests ask
 * what the process asked for, not what it was granted.
 */
function hugeEligibleKb(pid: number): number {
  let kb = 0;
  let size = 0;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^Size:\s+(\d+) kB/.exec(line);
    if (m) size = Number(m[1]);
    else if (/^THPeligible:\s+1/.test(line)) kb += size;
  }
  return kb;
}
const exited = (p: ChildProcess) => new Promise<[number | null, NodeJS.Signals | null]>((done) => p.once('exit', (code, sig) => done([code, sig])));

test('the CLI restarts with large pages, its memory marked for huge pages, and passes SIGTERM and its exit status on', { skip: noLargePages() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-lp-'));
  const path = join(dir, 'unified_support.log');
  // 6 MB: its chunk is one mapping of its own, over 4 MB, so it spans an aligned 2 MB range
  // wherever it lands (smaller allocations share glibc's heap, whose place varies from run to run)
  await writeLog(path, { seed: 5, targetBytes: 6e6 });

  const on = await serving(path, {});
  try {
    assert.notEqual(on.worker, on.proc.pid, 'a restarted process does the work');
    assert.match(readFileSync(`/proc/${on.worker}/environ`, 'utf8'), /GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1/);
    const kb = hugeEligibleKb(on.worker);
    assert.ok(kb >= 2048, `the restarted process's memory is marked for huge pages (${kb} kB)`);
    const end = exited(on.proc);
    on.proc.kill('SIGTERM');
    assert.deepEqual(await end, [0, null], 'SIGTERM reaches the server, which closes and exits 0');
    assert.ok(!existsSync(`/proc/${on.worker}`), 'the restarted process is gone');
  } finally {
    on.proc.kill('SIGKILL'); // the restarted process follows within a second (it watches its parent)
  }

  const off = await serving(path, { PEXLENS_LARGE_PAGES: '0' });
  try {
    assert.equal(off.worker, off.proc.pid, 'PEXLENS_LARGE_PAGES=0: no restart');
    assert.equal(hugeEligibleKb(off.worker), 0, 'and none of its memory is marked for huge pages');
  } finally {
    off.proc.kill('SIGTERM');
    await exited(off.proc);
  }
});

test('a restarted script runs once, with the tunable, exits with its own status, and hides the parent from its children', { skip: noLargePages() }, () => {
  const script = `import { relaunchWithLargePages } from '${launcher}';
await relaunchWithLargePages();
console.log(JSON.stringify({ tunables: process.env.GLIBC_TUNABLES, parentVar: process.env.PEXLENS_PARENT_PID ?? null }));
process.exit(7);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '' } });
  assert.equal(r.status, 7, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ tunables: 'glibc.malloc.hugetlb=1', parentVar: null }]);
});

test('a pipe given as a path (bash process substitution) reaches the restarted CLI', { skip: noLargePages() ?? (existsSync('/bin/bash') ? undefined : 'no bash') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-lp-'));
  const path = join(dir, 'unified_support.log');
  const text = generateLog({ seed: 6, calls: 5 }).text.toString('latin1');
  writeFileSync(path, text, 'latin1');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const r = spawnSync('/bin/bash', ['-c', `"${process.execPath}" "${cli}" info <(cat "${path}") --json`], { encoding: 'utf8', env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`"lines":\\s*${lines}\\b`), 'every line of the pipe was read');
});
