/** What a byte stream is, by its first bytes, never by its name. */
export type ContentKind = 'encrypted' | 'gzip' | 'tar' | 'zip' | 'text';

export const SNIFF_BYTES = 512;

export function sniff(head: Uint8Array): ContentKind {
  if (head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === 'Salted__') return 'encrypted';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  if (head.length >= 262 && Buffer.from(head.buffer, head.byteOffset + 257, 5).toString('latin1') === 'ustar') return 'tar';
  return 'text';
}

const SYSLOG_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/m;

/** A text whose head has a syslog-timestamped line: used to pick log files out of archives. */
export function looksLikeLogText(head: Uint8Array): boolean {
  return SYSLOG_START.test(Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 4096)).toString('latin1'));
}
