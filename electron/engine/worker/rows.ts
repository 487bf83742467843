/**
 * Building explorer rows from the line store. A page holds a few hundred rows, so each row is
 * read with a cheap scan for the message and a few correlation keys rather than a full parse;
 * very long lines are cut for the table (the detail view has them whole).
 */
import type { LineRow, Level } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { F_NOLAYOUT, F_NONUTF8 } from '../lines/line-store.js';
import { LEVELS } from '../../shared/levels.js';
import { formatTime } from '../lines/time.js';

/** Longest text a row carries; longer lines are cut and flagged `truncated`. */
export const ROW_TEXT_MAX = 4096;

/** Keys worth a column, by lower-cased key → the name shown. */
const KEY_NAMES = new Map<string, string>([
  ['call-id', 'Call-Id'],
  ['uuid', 'Uuid'],
  ['conference', 'Conference'],
  ['participant', 'Participant'],
  ['participant-id', 'Participant-Id'],
  ['conversation-id', 'Conversation-Id'],
  ['conference-id', 'Conference-Id'],
]);

const PAIR = /(?:^|\s)([A-Za-z0-9_.-]+)="((?:[^"\\]|\\.)*)"/g;
/** Call-ID inside a SIP payload (`Call-ID:` or the compact `i:`), up to the next `^M`. */
const SIP_CALL_ID = /\^M(?:Call-ID|i):\s*([^\^\s]+)/i;

export function levelOf(store: LineStore, i: number): Level {
  return LEVELS[store.level.data[i]!] as Level;
}

/** Other fields a row shows, at most, when its line has none of KEY_NAMES. */
const OTHER_FIELDS = 6;

/**
 * Message and key fields of a line, without decoding the `^M` payload. A line with no correlation
 * key (an error, a warning, a registration: `Src-Node`, `Node`, `Detail`…) shows its other
 * non-empty fields instead, in line order: what it says is then in the table, not only in its
 * detail.
 */
export function scanRow(text: string): { message: string; keys: Record<string, string> } {
  const keys: Record<string, string> = {};
  const others: Array<[string, string]> = [];
  let message = '';
  // the payload (always last) may hold unescaped quotes: scan only what comes before it
  const payloadAt = text.indexOf('="^M');
  const head = payloadAt < 0 ? text : text.slice(0, payloadAt + 1);
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(head); m; m = PAIR.exec(head)) {
    const k = m[1]!;
    if (k === 'Message') {
      if (!message) message = unescape(m[2]!);
      continue;
    }
    const shown = KEY_NAMES.get(k.toLowerCase());
    if (shown && !(shown in keys)) keys[shown] = unescape(m[2]!);
    else if (!shown && m[2] && k !== 'Level' && k !== 'Name' && others.length < OTHER_FIELDS) others.push([k, unescape(m[2])]);
  }
  if (payloadAt >= 0 && !('Call-Id' in keys)) {
    const sip = SIP_CALL_ID.exec(text.slice(payloadAt, payloadAt + 8192));
    if (sip) keys['Call-Id'] = sip[1]!;
  }
  if (Object.keys(keys).length === 0) for (const [k, v] of others) if (!(k in keys)) keys[k] = v;
  return { message, keys };
}

function unescape(v: string): string {
  return v.includes('\\') ? v.replace(/\\(["\\])/g, '$1') : v;
}

/** The row of store line i shown at view position `index`. */
export function buildRow(store: LineStore, index: number, i: number): LineRow {
  let text = store.text(i);
  const flags = store.flags.data[i]!;
  const damaged = (flags & F_NOLAYOUT) !== 0;
  let truncated = false;
  if (text.length > ROW_TEXT_MAX) {
    text = text.slice(0, ROW_TEXT_MAX);
    truncated = true;
  }
  const { message, keys } = damaged ? { message: '', keys: {} } : scanRow(text);
  const row: LineRow = {
    index,
    file: store.fileOf(i).display,
    line: store.lineNumber(i),
    time: formatTime(store.time.data[i]!),
    node: store.nodeOf(i),
    level: levelOf(store, i),
    name: store.nameOf(i),
    message,
    keys,
    damaged,
    nonUtf8: (flags & F_NONUTF8) !== 0,
    text,
  };
  if (truncated) row.truncated = true;
  return row;
}
