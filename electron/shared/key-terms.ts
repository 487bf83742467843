/**
 * How a `key:value` term matches a line's `Key="value"` pair, shared by the engine (which finds the
 * lines) and the page (which marks the value in the key column and the detail's fields).
 */

/** ASCII-only lowercase (what "case-insensitive" means throughout). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Whole-value glob: `*` stands for any text; everything else literal, ASCII-case-insensitive. */
export function globTest(pattern: string): (value: string) => boolean {
  const p = asciiLower(pattern);
  if (/^\*+$/.test(p)) return () => true;
  if (!p.includes('*')) return (v) => asciiLower(v) === p;
  const re = new RegExp(`^${p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
  return (v) => re.test(asciiLower(v));
}

/**
 * The log keys a `field:` term looks at: its own name, or every Conference* key for `conference:`.
 * The key is `text` or its part [start, end) (the engine compares in the line's text).
 */
export function keyTest(field: string): (text: string, start?: number, end?: number) => boolean {
  // no string made per call: this runs for every pair of every line a key term parses
  const want = asciiLower(field);
  const n = want.length;
  const startsAs = (k: string, s: number): boolean => {
    for (let i = 0; i < n; i++) {
      const c = k.charCodeAt(s + i);
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== want.charCodeAt(i)) return false;
    }
    return true;
  };
  return want === 'conference'
    ? (k, s = 0, e = k.length) => e - s >= n && startsAs(k, s)
    : (k, s = 0, e = k.length) => e - s === n && startsAs(k, s);
}
