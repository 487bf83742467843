/**
 * Log levels as stored per line (one byte each). NONE marks lines without a Level field. Shared:
 * the engine stores and filters by them, and the page checks `level:` names as a query is entered.
 */
export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'NONE'] as const;
export type LevelName = (typeof LEVELS)[number];
export const LEVEL_NONE = 5;

export function levelIndex(name: string): number {
  const i = LEVELS.indexOf(name.toUpperCase() as LevelName);
  return i < 0 ? LEVEL_NONE : i;
}

/**
 * The levels named (any case), as a mask over LEVELS; `fail(message)` is thrown for a name that is
 * none. The filters, the query language (level:) and the CLI's checks before loading share it.
 */
export function levelsWanted(names: readonly string[], fail: (message: string) => Error): Uint8Array {
  const want = new Uint8Array(LEVELS.length);
  for (const l of names) {
    const idx = levelIndex(l);
    if (LEVELS[idx] !== l.toUpperCase()) throw fail(`unknown level '${l}' (${LEVELS.join(', ')})`);
    want[idx] = 1;
  }
  return want;
}
