/** The recently opened bundles, kept in the user's data folder for the File → Recent menu. */
import { app } from 'electron';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 10;

function file(): string {
  return join(app.getPath('userData'), 'recent.json');
}

export function recentList(): string[][] {
  try {
    const v = JSON.parse(readFileSync(file(), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((e): e is string[] => Array.isArray(e) && e.every((p) => typeof p === 'string')).slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function addRecent(paths: string[]): void {
  const key = JSON.stringify(paths);
  const list = [paths, ...recentList().filter((e) => JSON.stringify(e) !== key)].slice(0, MAX);
  try {
    mkdirSync(app.getPath('userData'), { recursive: true });
    writeFileSync(file(), JSON.stringify(list));
  } catch {
    /* a recent list that cannot be saved is not worth an error */
  }
  if (paths.length === 1) app.addRecentDocument(paths[0]!);
}

export function clearRecent(): void {
  try {
    writeFileSync(file(), '[]');
  } catch {
    /* ignore */
  }
  app.clearRecentDocuments();
}
