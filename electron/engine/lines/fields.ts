/**
 * Full parse of one line into its fields, done lazily (when a line is shown, decoded or
 * correlated). Tolerant: whatever does not follow the layout is kept in `rest`, never lost.
 */

export interface Pair {
  key: string;
  value: string;
}

export interface LineFields {
  syslogTime: string | null;
  system: string | null;
  originTime: string | null;
  level: string | null;
  name: string | null;
  message: string | null;
  /** All Key="value" pairs in order (Level, Name and Message included), values unescaped. */
  pairs: Pair[];
  /** Key of the `^M` multi-line payload (always the last pair), if any. */
  payloadKey: string | null;
  /** The line does not follow the layout (or part of it could not be parsed). */
  damaged: boolean;
  /** Text after the last parsed pair that could not be parsed (empty when all was read). */
  rest: string;
}

const SYSLOG_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|[+-]\d{2}:\d{2})) (\S+) /;
const ORIGIN_TIME = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) /;
/** A key's characters, `[A-Za-z0-9_.-]` (a char-code test: this loop runs for every pair of every line parsed). */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;
}

export function parseFields(text: string): LineFields {
  const f: LineFields = { syslogTime: null, system: null, originTime: null, level: null, name: null, message: null, pairs: [], payloadKey: null, damaged: false, rest: '' };
  const h = readHead(text);
  if (!h.syslog) {
    f.damaged = true;
    f.rest = text;
    return f;
  }
  f.syslogTime = h.syslog[1]!;
  f.system = h.syslog[2]!;
  if (!h.origin) {
    f.damaged = true;
    f.rest = text.slice(h.at);
    return f;
  }
  f.originTime = h.origin[1]!;
  const p = walkPairs(text, h.at, (ks, ke, vs, ve, how) => {
    const key = text.slice(ks, ke);
    const raw = text.slice(vs, ve);
    const value = how & ESCAPED ? unescapeValue(raw) : raw;
    f.pairs.push({ key, value });
    if (how & CUT) f.damaged = true;
    if (how & PAYLOAD) f.payloadKey = key;
    else assignKnown(f, key, value);
    return false;
  });
  if (p < text.length) {
    f.rest = text.slice(p);
    f.damaged = true;
  }
  if (f.level === null || f.name === null) f.damaged = true;
  return f;
}

/** The line's head: syslog time and system, then origin time (null: not the layout), and where what follows starts. */
function readHead(text: string): { syslog: RegExpExecArray | null; origin: RegExpExecArray | null; at: number } {
  const syslog = SYSLOG_TIME.exec(text);
  if (!syslog) return { syslog, origin: null, at: 0 };
  const at = syslog[0].length;
  const origin = ORIGIN_TIME.exec(text.slice(at, at + 24));
  return { syslog, origin, at: origin ? at + origin[0].length : at };
}

/** How a pair's value is written (walkPairs): with `\"` escapes, as a `^M` payload, cut short by the line's end. */
const ESCAPED = 1;
const PAYLOAD = 2;
const CUT = 4;

/**
 * Walks the Key="value" pairs from p without making strings: visit gets the bounds of the key and
 * of the raw value and how the value is written (ESCAPED, PAYLOAD, CUT), and ends the walk by
 * returning true. Returns where parsing stopped (the line's length when all was read).
 */
function walkPairs(text: string, p: number, visit: (keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, how: number) => boolean): number {
  const n = text.length;
  while (p < n) {
    while (p < n && text.charCodeAt(p) === 32) p++;
    if (p >= n) return p;
    const keyStart = p;
    while (p < n && isKeyChar(text.charCodeAt(p))) p++;
    if (p === keyStart || text.charCodeAt(p) !== 61 || text.charCodeAt(p + 1) !== 34) return keyStart;
    const keyEnd = p;
    p += 2;
    if (text.startsWith('^M', p)) {
      // payload: quotes inside are not escaped; it runs to the closing quote at the end of the line
      const close = text.charCodeAt(n - 1) === 34 && n - 1 >= p ? n - 1 : -1;
      visit(keyStart, keyEnd, p, close < 0 ? n : close, PAYLOAD | (close < 0 ? CUT : 0));
      return n;
    }
    const { end: q, escaped } = scanQuoted(text, p);
    if (q < 0) {
      // unterminated value: kept as it is written, the line flagged
      visit(keyStart, keyEnd, p, n, CUT);
      return n;
    }
    if (visit(keyStart, keyEnd, p, q, escaped ? ESCAPED : 0)) return q + 1;
    p = q + 1;
  }
  return p;
}

/**
 * True when a pair of the line (as parseFields finds them) has a key keyOk takes and a value
 * (unescaped) valueOk takes; the other pairs are not made into strings.
 */
export function hasPair(text: string, keyOk: (text: string, start: number, end: number) => boolean, valueOk: (value: string) => boolean): boolean {
  const h = readHead(text);
  if (!h.origin) return false;
  let found = false;
  walkPairs(text, h.at, (ks, ke, vs, ve, how) => {
    if (!keyOk(text, ks, ke)) return false;
    const raw = text.slice(vs, ve);
    found = valueOk(how & ESCAPED ? unescapeValue(raw) : raw);
    return found;
  });
  return found;
}

/**
 * Scans a quoted value that starts at p (just after its opening quote): the index of the closing
 * quote (-1 when the line ends first) and whether `\"` escapes occur in it.
 */
export function scanQuoted(text: string, p: number): { end: number; escaped: boolean } {
  let q = p;
  let escaped = false;
  for (;;) {
    q = text.indexOf('"', q);
    if (q < 0) return { end: -1, escaped };
    let bs = 0;
    for (let k = q - 1; k >= p && text.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return { end: q, escaped };
    escaped = true;
    q++;
  }
}

/**
 * scanQuoted on a line's bytes (the correlation scan, the message counts): the closing quote of a
 * value starting at vs, skipping escaped ones (\"); e when the line ends first.
 */
export function closingQuote(b: Buffer, vs: number, e: number): { end: number; escaped: boolean } {
  let ve = vs;
  let escaped = false;
  for (;;) {
    ve = valueEnd(b, ve, e);
    if (ve >= e || b[ve - 1] !== 92) return { end: ve, escaped };
    let bs = 0;
    for (let k = ve - 1; k >= vs && b[k] === 92; k--) bs++;
    if (bs % 2 === 0) return { end: ve, escaped };
    escaped = true;
    ve++;
  }
}

/**
 * End of a quoted value starting at vs (its closing `"`, or e). Short values by a byte loop;
 * a long one (a message, a detail) by native search, clamped to the line.
 */
function valueEnd(b: Buffer, vs: number, e: number): number {
  let ve = vs;
  const quick = Math.min(e, vs + 24);
  while (ve < quick && b[ve] !== 34) ve++;
  if (ve === quick && ve < e) {
    ve = b.indexOf(34, ve);
    if (ve < 0 || ve > e) ve = e;
  }
  return ve;
}

/** A value as written (`\"` and `\\` escaped) to its text. */
export function unescapeValue(raw: string): string {
  return raw.replace(/\\(["\\])/g, '$1');
}

function assignKnown(f: LineFields, key: string, value: string): void {
  if (key === 'Level' && f.level === null) f.level = value;
  else if (key === 'Name' && f.name === null) f.name = value;
  else if (key === 'Message' && f.message === null) f.message = value;
}

/** Value of a key, case-insensitively (`Call-Id`, `Call-ID`, `call-id` are one key). */
export function field(f: LineFields, key: string): string | undefined {
  const k = key.toLowerCase();
  for (const pair of f.pairs) if (pair.key.toLowerCase() === k) return pair.value;
  return undefined;
}

/** The lines of a `^M` payload: the leading `^M` only marks it; each further `^M` is a line break. */
export function payloadLines(value: string): string[] {
  const body = value.startsWith('^M') ? value.slice(2) : value;
  const lines = body.split('^M');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Payload text with real line breaks. */
export function payloadText(value: string): string {
  return payloadLines(value).join('\n');
}

/**
 * Start of ` Level="` in line b[s..e), or −1. Usually right after `<syslog time> <host>
 * <origin time>`: the host is skipped to its space and the spot checked; else a byte loop.
 */
export function levelAt(b: Uint8Array, s: number, e: number): number {
  let k = s + 24;
  const hostLim = Math.min(e, s + 120);
  while (k < hostLim && b[k] !== 32) k++; // end of the syslog time
  k++;
  while (k < hostLim && b[k] !== 32) k++; // end of the host
  k += 24; // ` YYYY-MM-DD HH:MM:SS,mmm`
  if (k + 8 < e && isLevelAt(b, k)) return k;
  const lim = Math.min(e - 8, s + 400);
  for (k = s + 24; k < lim; k++) if (isLevelAt(b, k)) return k;
  return -1;
}

function isLevelAt(b: Uint8Array, k: number): boolean {
  return b[k + 1] === 76 /* L */ && b[k] === 32 && b[k + 2] === 101 && b[k + 3] === 118 && b[k + 6] === 61 && b[k + 7] === 34;
}

/** Whether b[s..e) begins with the bytes t. */
export function startsWithBytes(b: Uint8Array, s: number, e: number, t: Uint8Array): boolean {
  if (e - s < t.length) return false;
  for (let k = 0; k < t.length; k++) if (b[s + k] !== t[k]) return false;
  return true;
}
