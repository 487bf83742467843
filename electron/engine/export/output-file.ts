/**
 * Where an export is written, for the CLI and the app alike: never over one of the inputs, and
 * through a temporary file next to the target that is renamed only once complete (an export
 * that fails or is cancelled leaves nothing behind).
 */
import { createWriteStream, existsSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';

/** The input the output would overwrite (the same file, or a file inside an input folder), or null. */
export function overwritesInput(output: string, inputs: string[]): string | null {
  const out = resolve(output);
  let outReal = out;
  try {
    outReal = realpathSync(out);
  } catch {
    try {
      outReal = resolve(realpathSync(dirname(out)), basename(out));
    } catch {
      /* parent missing: cannot be an input */
    }
  }
  const outStat = existsSync(outReal) ? statSync(outReal) : null;
  for (const p of inputs) {
    let real: string;
    try {
      real = realpathSync(resolve(p));
    } catch {
      continue;
    }
    if (real === outReal) return p;
    const st = statSync(real);
    if (outStat && st.isFile() && st.ino === outStat.ino && st.dev === outStat.dev) return p;
    // a folder is read with every file in it: the output must not replace one of them
    if (st.isDirectory() && outStat && (outReal + sep).startsWith(real + sep)) return outReal;
  }
  return null;
}

/**
 * Runs `write` into a temporary file next to `path` and renames it to `path` once complete; on
 * any failure the temporary file is removed and the error passed on. `cannotWrite` words the
 * error when the file cannot be created (its argument: the system's reason).
 */
export async function writeToFile<T>(path: string, write: (out: NodeJS.WritableStream) => Promise<T>, cannotWrite: (reason: string) => Error): Promise<T> {
  const target = resolve(path);
  const tmp = `${target}.partial-${process.pid}-${Date.now()}`;
  const out = createWriteStream(tmp);
  try {
    await new Promise<void>((res, rej) => {
      out.once('open', () => res());
      out.once('error', (e) => rej(cannotWrite((e as NodeJS.ErrnoException).code ?? e.message)));
    });
    const result = await write(out);
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    renameSync(tmp, target);
    return result;
  } catch (e) {
    out.destroy();
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}
