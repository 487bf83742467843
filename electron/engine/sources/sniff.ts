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

/** Formats a bundle may come in that pexlens does not read, by their first bytes, with how to open them. */
const FOREIGN: Array<{ magic: Array<number | null>; name: string; open: string }> = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed', open: 'xz -dk' },
  // "BZh", the block size (a digit: null here), then the first block's magic (not a text's "BZh…")
  { magic: [0x42, 0x5a, 0x68, null, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59], name: 'bzip2-compressed', open: 'bzip2 -dk' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed', open: 'zstd -d' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive', open: '7z x' },
  { magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], name: 'a RAR archive', open: 'unrar x' },
];

/** What a head of another format is and how to open it, or null. */
export function foreignFormat(head: Uint8Array): { name: string; open: string } | null {
  return FOREIGN.find((f) => head.length >= f.magic.length && f.magic.every((b, k) => b === null || head[k] === b)) ?? null;
}
