/**
 * A place written as `file:line` (what the explorer's detail shows, and how engineers quote a
 * line to each other: `unified_support.log.2.gz:271`, `unified_support.log.2:271`) → the line.
 * The file is named by its display path or any tail of it that starts at a `/` or an archive's
 * `!` (the name alone is enough unless two files share it), with or without a `.gz` it had.
 */
import type { FileRecord, LineStore } from './line-store.js';
import { FILE_LINE, PATH_SEPARATORS } from '../../shared/file-line.js';

function names(f: FileRecord, want: string): boolean {
  const d = f.display;
  for (const tail of [want, want + '.gz']) {
    if (d === tail) return true;
    if (d.endsWith(tail) && PATH_SEPARATORS.includes(d[d.length - tail.length - 1]!)) return true;
  }
  return false;
}

/** The store index of the line a `file:line` reference names; an Error saying why not otherwise. */
export function findFileLine(store: LineStore, ref: string): { storeIndex: number; file: FileRecord; line: number } {
  const m = FILE_LINE.exec(ref.trim());
  if (!m) throw new Error(`'${ref}' is not a place in a file: write it as name:line, e.g. unified_support.log.1:2750`);
  const want = m[1]!.trim();
  const line = Number(m[2]);
  const found = store.files.filter((f) => names(f, want));
  if (!found.length) throw new Error(`no file of this bundle is named '${want}'; its files: ${store.files.map((f) => f.display).join(', ')}`);
  if (found.length > 1) throw new Error(`'${want}' names ${found.length} files (${found.map((f) => f.display).join(', ')}): give more of the path`);
  const file = found[0]!;
  if (!file.lineCount) throw new Error(`${file.display} is empty`);
  if (line < 1 || line > file.lineCount) throw new Error(`${file.display} has lines 1 to ${file.lineCount}, not ${line}`);
  return { storeIndex: file.firstLine + line - 1, file, line };
}
