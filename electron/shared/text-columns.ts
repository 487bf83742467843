/** Plain-text tables, as the CLI prints them and the app copies them. */

/** A value cut to n characters for a text table's column (`-` for none). */
export const short = (s: string | null, n: number) => (s === null ? '-' : s.length > n ? s.slice(0, n - 1) + '…' : s);
