/**
 * The files of a folder as pexlens reads them: depth first, by name, through links to files and
 * folders, as an extracted bundle or a folder of logs holds them. A folder is entered once (a link
 * back up would never end), a file is read once (a link to a file that is also there by its own
 * name would give every line twice), and what cannot be read as a file is skipped and said: a link
 * to nothing, a pipe or a socket (opening a pipe waits for a writer that never comes). The loader,
 * the progress total and the cache's identity of the sources all list a folder with this.
 */
import { promises as fsp } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';

const inode = (st: Stats) => `${st.dev}:${st.ino}`;

export async function folderFiles(dir: string, warn: (message: string) => void = () => {}): Promise<string[]> {
  const entered = new Set<string>();
  const files: string[] = [];
  /** Files reached through a link: their inodes, by path. */
  const linked = new Map<string, string>();

  const enter = async (d: string, st: Stats): Promise<void> => {
    entered.add(inode(st));
    const entries = (await fsp.readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) await visit(join(d, e.name), e);
  };

  const visit = async (p: string, e: Dirent): Promise<void> => {
    if (e.isFile()) {
      files.push(p);
      return;
    }
    let st: Stats;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      warn(`${p}: a link to nothing (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped`);
      return;
    }
    if (st.isDirectory()) {
      if (entered.has(inode(st))) warn(`${p}: a folder read already (a link to it, or a loop); skipped`);
      else await enter(p, st);
    } else if (st.isFile()) {
      files.push(p);
      // (a file whose entry type the file system does not say is stat'ed here too)
      if (e.isSymbolicLink()) linked.set(p, inode(st));
    } else warn(`${p}: not a regular file; skipped`);
  };

  await enter(dir, await fsp.stat(dir));
  if (!linked.size) return files;
  // a file reached by more than one path is read once: by its own name where it has one here
  const inodes = await Promise.all(files.map(async (p) => linked.get(p) ?? inode(await fsp.stat(p))));
  const keep = new Map<string, number>();
  inodes.forEach((key, k) => {
    const had = keep.get(key);
    if (had === undefined || (linked.has(files[had]!) && !linked.has(files[k]!))) keep.set(key, k);
  });
  return files.filter((p, k) => {
    const kept = keep.get(inodes[k]!)!;
    if (kept !== k) warn(`${p}: the same file as ${files[kept]}; read once`);
    return kept === k;
  });
}
