/**
 * Stream families and rotation order. `unified_support.log.3.gz` belongs to the stream
 * `unified_support.log` with rotation 3; rotated files of one stream are joined oldest first.
 */

export interface StreamName {
  stream: string;
  /** 0 for the live file, N for `.N`; larger is older. */
  rotation: number;
}

const ROTATED = /^(.*?\.log)(?:\.(\d+))?(?:\.gz)?$/i;

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function streamOf(path: string): StreamName {
  const name = baseName(path);
  const m = ROTATED.exec(name);
  if (m) return { stream: m[1]!, rotation: m[2] ? Number(m[2]) : 0 };
  return { stream: name.replace(/\.gz$/i, ''), rotation: 0 };
}

/** True for names that look like log files in a folder or archive (others are sniffed). */
export function looksLikeLogName(path: string): boolean {
  const name = baseName(path);
  return ROTATED.test(name) || /\.(txt|log)(\.gz)?$/i.test(name);
}

/** Oldest first: higher rotation number first, then the live file. */
export function compareRotation(a: StreamName, b: StreamName): number {
  return b.rotation - a.rotation;
}
