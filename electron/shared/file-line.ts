/**
 * A line quoted as `file:line` (`unified_support.log.2.gz:271`, as the explorer's detail shows
 * it): the engine finds it (lines/file-line.ts), and the explorer's jump box tells it from a time
 * (`08:10`, `2026-05-14T08:10`): a file's name has two letters in a row, a time has none.
 */
export const FILE_LINE = /^(.*[A-Za-z_]{2}.*?):(\d+)$/;

export function isFileLine(text: string): boolean {
  return FILE_LINE.test(text.trim());
}
