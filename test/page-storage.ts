/**
 * The page's local storage for unit tests of renderer modules that keep preferences in it: strings
 * by key, as the browser keeps them, emptied before each test. Returns the map to look into.
 */
import { beforeEach } from 'node:test';

export function pageStorage(): Map<string, string> {
  const store = new Map<string, string>();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
  beforeEach(() => store.clear());
  return store;
}
