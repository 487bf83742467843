// Large pages for pexlens's node processes on Linux.
//
// Why: a bundle's bytes, the line tables and the index are a few large buffers, filled once. With
// 4 KB pages each page costs a fault on first touch; in a VM that is most of the load (measured
// here: a 1 GB ingest 3.5–4.7 s → 1.8–2.2 s, a reopen from the cache 2.6–2.8 s → 0.6–1.5 s;
// docs/benchmarks.md, session 18). Where the kernel gives transparent huge pages only on request
// (`madvise`, the default of Debian and Ubuntu), glibc asks for them on its large allocations when
// started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (glibc ≥ 2.35), and node's buffers come from
// glibc's malloc. A tunable is read at process start only, so the process is started again with
// it. PEXLENS_LARGE_PAGES=0 turns this off.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TUNABLE = 'glibc.malloc.hugetlb=1';
/** The signals a restarted child is sent when this process gets them. */
const PASSED_ON = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** True when this process would gain from being started with the tunable. */
function wanted(env) {
  if (process.platform !== 'linux' || env.PEXLENS_LARGE_PAGES === '0') return false;
  if ((env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return false;
  let mode;
  try {
    mode = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return false;
  }
  // [always]: the kernel already uses them; [never]: asking does nothing
  if (!mode.includes('[madvise]')) return false;
  process.report.excludeNetwork = true;
  const glibc = process.report.getReport().header.glibcVersionRuntime; // undefined under musl
  const [major, minor] = String(glibc ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 35);
}

/** The environment for a child node process of pexlens: with the tunable where it helps. */
export function largePagesEnv(env = process.env) {
  return wanted(env) ? { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${TUNABLE}` : TUNABLE } : env;
}

/**
 * Starts this process again with large pages where they help, and then never returns: the
 * restarted process, a child, takes over, and this one passes on signals and its exit status.
 * Not node's `process.execve` (≥ 22.15): it keeps only stdin, stdout and stderr open, and a pipe
 * given as a path, `<(zcat …)`, is another inherited descriptor. Returns when nothing is to be
 * done (or `worthIt()` says the restart, ~0.15 s, would not pay); in a restarted child it then
 * watches the parent (see endWithParent).
 */
export function relaunchWithLargePages(worthIt = () => true) {
  endWithParent();
  if (!worthIt()) return;
  const env = largePagesEnv();
  if (env === process.env) return;
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...env, PEXLENS_PARENT_PID: String(process.pid) } });
  // signals sent to this process are passed on (as npm does for its scripts: a terminal's Ctrl+C
  // then reaches the child twice, which its handlers take as one)
  for (const sig of PASSED_ON) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    process.stderr.write(`pexlens: cannot restart with large pages (${e.message}); set PEXLENS_LARGE_PAGES=0\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    for (const sig of PASSED_ON) process.removeAllListeners(sig);
    process.kill(process.pid, signal);
  });
  // nothing else of the caller runs here: an await that never settles holds it
  return new Promise(() => {});
}

/**
 * In a restarted child: ends it when the parent that started it is gone (killed outright, so it
 * could not pass a signal on). The variable is taken out of the environment, so that this
 * process's own children (which have another parent) do not read it.
 */
function endWithParent() {
  const parent = Number(process.env.PEXLENS_PARENT_PID);
  delete process.env.PEXLENS_PARENT_PID;
  if (!parent || parent !== process.ppid) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}
