/**
 * A line quoted as `file:line` (`unified_support.log.2.gz:271`, as the explorer's detail shows
 * it): the engine finds it (lines/file-line.ts), and the explorer's jump box tells it from a time
 * (`08:10`, `2026-05-14T08:10`): a file's name has two letters in a row, a time has none. The
 * file part of a display path is found the same way everywhere (the place, a stream's folder).
 */
export const FILE_LINE = /^(.*[A-Za-z_]{2}.*?):(\d+)$/;

export function isFileLine(text: string): boolean {
  return FILE_LINE.test(text.trim());
}

/** What separates the parts of a display path: folders (`/`, `\`) and an archive from its members (`!`). */
export const PATH_SEPARATORS = '/\\!';

/** Where a display path's file name starts (`snapshot.tgz!var/log/unified_support.log.2.gz` → at `unified…`). */
export function nameStart(display: string): number {
  let at = -1;
  for (const sep of PATH_SEPARATORS) at = Math.max(at, display.lastIndexOf(sep));
  return at + 1;
}

/** A line's place as engineers quote it: its file's name (not the local path) and its line. */
export function placeOf(display: string, line: number): string {
  return `${display.slice(nameStart(display))}:${line}`;
}
