/**
 * A SIP message's text read into its start line, headers (long and compact forms, folded lines
 * joined, repeated ones kept) and body. Pure: the engine's SIP decoder, the registrations, and the
 * SDP and session-timer readings of a call's trace share it.
 */
/** RFC 3261 §7.3.3 and later RFCs: compact header names. */
export const COMPACT: Record<string, string> = {
  i: 'Call-ID', f: 'From', t: 'To', v: 'Via', m: 'Contact', c: 'Content-Type', l: 'Content-Length', e: 'Content-Encoding',
  k: 'Supported', s: 'Subject', o: 'Event', r: 'Refer-To', b: 'Referred-By', x: 'Session-Expires', u: 'Allow-Events',
  a: 'Accept-Contact', j: 'Reject-Contact', d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info',
};

export interface SipMessage {
  startLine: string;
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  /** Headers in order, names in their long canonical form (folded lines joined). */
  headers: Array<{ name: string; value: string }>;
  body: string[];
}

/** Canonical long name of a header (`i` → `Call-ID`, `call-id` → `Call-ID`). */
export function headerName(raw: string): string {
  const n = raw.trim();
  if (n.length === 1) return COMPACT[n.toLowerCase()] ?? n;
  const lower = n.toLowerCase();
  for (const long of Object.values(COMPACT)) if (long.toLowerCase() === lower) return long;
  if (lower === 'cseq') return 'CSeq';
  return n;
}

export function parseSipMessage(lines: string[]): SipMessage {
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  const startLine = lines[k] ?? '';
  const msg: SipMessage = { startLine, headers: [], body: [] };
  const resp = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(startLine);
  if (resp) {
    msg.status = Number(resp[1]);
    msg.reason = resp[2]!.trim();
  } else {
    const req = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0/.exec(startLine);
    if (req) {
      msg.method = req[1]!.toUpperCase();
      msg.uri = req[2]!;
    }
  }
  for (k++; k < lines.length; k++) {
    const line = lines[k]!;
    if (line === '' || line === '\r') {
      k++;
      break;
    }
    if ((line[0] === ' ' || line[0] === '\t') && msg.headers.length) {
      // folded header: continues the previous one
      msg.headers[msg.headers.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      msg.headers.push({ name: '', value: line });
      continue;
    }
    msg.headers.push({ name: headerName(line.slice(0, colon)), value: line.slice(colon + 1).trim() });
  }
  msg.body = lines.slice(k);
  while (msg.body.length && msg.body[msg.body.length - 1] === '') msg.body.pop();
  return msg;
}

/** First value of a header (case-insensitive, compact forms already canonical). */
export function header(msg: SipMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const h of msg.headers) if (h.name.toLowerCase() === n) return h.value;
  return undefined;
}

/** All values of a header, repeated lines and comma lists kept as they were. */
export function headers(msg: SipMessage, name: string): string[] {
  const n = name.toLowerCase();
  return msg.headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
}

/** Where a message's headers begin: after its start line (blank lines before it skipped, as parseSipMessage does). */
function headersStart(lines: readonly string[]): number {
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  return k + 1;
}

/**
 * One header's first value read straight from a message's lines, without reading the rest (a
 * folded value keeps its first line): for one header of each of a call's thousands of messages.
 */
export function headerIn(lines: readonly string[], name: string): string | undefined {
  const want = name.toLowerCase();
  const compact = Object.keys(COMPACT).find((k) => COMPACT[k]!.toLowerCase() === want);
  for (let k = headersStart(lines); k < lines.length; k++) {
    const l = lines[k]!;
    if (l === '' || l === '\r') break;
    const colon = l.indexOf(':');
    if (colon <= 0) continue;
    const n = l.slice(0, colon).trim().toLowerCase();
    if (n === want || n === compact) return l.slice(colon + 1).trim();
  }
  return undefined;
}

/** A message's body lines (after the blank line that ends its headers), as parseSipMessage gives them. */
export function bodyIn(lines: readonly string[]): readonly string[] {
  for (let k = headersStart(lines); k < lines.length; k++) if (lines[k] === '' || lines[k] === '\r') return lines.slice(k + 1);
  return [];
}
