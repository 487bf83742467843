/** Log levels as stored per line (one byte each). NONE marks lines without a Level field. */
export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'NONE'] as const;
export type LevelName = (typeof LEVELS)[number];
export const LEVEL_NONE = 5;

export function levelIndex(name: string): number {
  const i = LEVELS.indexOf(name.toUpperCase() as LevelName);
  return i < 0 ? LEVEL_NONE : i;
}
