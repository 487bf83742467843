// pexlens test log generator — public API.
// See README.md in this folder for the wording of messages and the truth conventions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Generator } from './core.js';
import { rotate, encryptSnapshot, makeTgz, makeZip, type FileEntry } from './bundle.js';
import type { GenOptions, Truth } from './types.js';

export type { GenOptions, MaintenanceTruth, ProvisioningTruth, Truth, TruthCall } from './types.js';
export { rotate, cutAfter, encryptSnapshot, decryptSnapshot, makeZip } from './bundle.js';
export { hexIp, DAMAGE_KINDS } from './core.js';

/** Generate a log in memory (small / medium sizes). */
export function generateLog(opts: GenOptions): { text: Buffer; truth: Truth } {
  const chunks: Buffer[] = [];
  const g = new Generator(opts, (b) => chunks.push(b));
  const truth = g.run();
  return { text: Buffer.concat(chunks), truth };
}

/** Stream a log to disk (any size; memory stays bounded). */
export async function writeLog(file: string, opts: GenOptions): Promise<Truth> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    const g = new Generator(opts, (b) => {
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    }, true);
    return g.run();
  } finally {
    fs.closeSync(fd);
  }
}

export type BundleForm = 'plain' | 'gz' | 'folder' | 'tgz' | 'zip' | 'encrypted';

export interface BundleOptions extends GenOptions {
  form: BundleForm;
  /** Password for form 'encrypted' (default 'pexip-snapshot'). */
  password?: string;
  /** Number of older files besides unified_support.log (default 2: .1 plain, .2.gz). */
  rotations?: number;
  /** Encryption flavour for 'encrypted' (default 'pbkdf2-sha256'). */
  encMode?: 'pbkdf2-sha256' | 'md5';
  /** The text of a snapshot's `opt/pexip/share/status/platform.json` (forms 'tgz', 'encrypted'; default `{"version": "34.0.0"}`). */
  platformJson?: string;
}

export const SNAPSHOT_HOST = 'pxmgr01';
/** Where a snapshot keeps its platform status file (the software version). */
export const PLATFORM_FILE = 'opt/pexip/share/status/platform.json';

function developerLog(t0: number, crlf: boolean, n = 60): Buffer {
  const eol = crlf ? '\r\n' : '\n';
  let s = '';
  for (let i = 0; i < n; i++) {
    const d = new Date(t0 + i * 3000).toISOString();
    s += `${d.slice(0, 23)}+00:00 ${SNAPSHOT_HOST} ${d.slice(0, 10)} ${d.slice(11, 19)},${d.slice(20, 23)} Level="DEBUG" Name="developer.worker" Message="tick ${i}"${eol}`;
  }
  return Buffer.from(s);
}

/** Support-log file set: [{name, data}] newest last, names relative (unified_support.log, .1, .2.gz, ...). */
function supportFiles(text: Buffer, rotations: number): { name: string; data: Buffer }[] {
  const parts = rotate(text, rotations + 1);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const k = parts.length - 1 - i; // 0 = newest
    const part = parts[i]!;
    if (k === 0) out.push({ name: 'unified_support.log', data: part });
    else if (k === 1) out.push({ name: 'unified_support.log.1', data: part });
    else out.push({ name: `unified_support.log.${k}.gz`, data: zlib.gzipSync(part) });
  }
  return out;
}

/**
 * Write a bundle in one of the forms support cases arrive in.
 * Returns its path (file, or folder for 'folder'), the truth and the exact concatenated support log (oldest first).
 */
export async function writeBundle(dir: string, opts: BundleOptions): Promise<{ path: string; truth: Truth; supportLog: Buffer; platformJson: string | null }> {
  fs.mkdirSync(dir, { recursive: true });
  const { text, truth } = generateLog(opts);
  const t0 = Date.parse(opts.startTime ?? '2026-05-14T08:00:00.000Z');
  const mtime = new Date(t0 + 86_400_000);
  const iso = new Date(t0).toISOString();
  const ymd = iso.slice(2, 4) + '-' + iso.slice(5, 7) + '-' + iso.slice(8, 10);
  const id = String((opts.seed ?? 1) % 10000).padStart(4, '0');
  const rotations = Math.max(0, opts.rotations ?? 2);
  const dev = developerLog(t0, !!opts.crlf);
  const platformJson = opts.platformJson ?? '{"version": "34.0.0"}';
  let out: string;
  switch (opts.form) {
    case 'plain':
      out = path.join(dir, 'unified_support.log');
      fs.writeFileSync(out, text);
      break;
    case 'gz':
      out = path.join(dir, 'unified_support.log.gz');
      fs.writeFileSync(out, zlib.gzipSync(text));
      break;
    case 'folder': {
      out = path.join(dir, `logs_${SNAPSHOT_HOST}_${ymd}`);
      fs.mkdirSync(out, { recursive: true });
      for (const f of supportFiles(text, rotations)) fs.writeFileSync(path.join(out, f.name), f.data);
      fs.writeFileSync(path.join(out, 'unified_developer.log'), dev);
      break;
    }
    case 'zip': {
      out = path.join(dir, `pexip_logs_${ymd}.zip`);
      const files: FileEntry[] = supportFiles(text, rotations).map((f) => ({ name: `pexip_logs/${f.name}`, data: f.data, mtime }));
      files.push({ name: 'pexip_logs/unified_developer.log', data: dev, mtime });
      fs.writeFileSync(out, await makeZip(files));
      break;
    }
    case 'tgz':
    case 'encrypted': {
      out = path.join(dir, `diagnostic_snapshot_${SNAPSHOT_HOST}_${ymd}_${id}.tgz`);
      const files: FileEntry[] = supportFiles(text, rotations).map((f) => ({ name: `var/log/${f.name}`, data: f.data, mtime }));
      files.push({ name: 'var/log/unified_developer.log', data: dev, mtime });
      files.push({ name: PLATFORM_FILE, data: Buffer.from(platformJson), mtime });
      const tgz = await makeTgz(files);
      fs.writeFileSync(out, opts.form === 'tgz' ? tgz : encryptSnapshot(tgz, opts.password ?? 'pexip-snapshot', opts.encMode ?? 'pbkdf2-sha256'));
      break;
    }
    default:
      throw new Error(`unknown bundle form ${String(opts.form)}`);
  }
  return { path: out, truth, supportLog: text, platformJson: opts.form === 'tgz' || opts.form === 'encrypted' ? platformJson : null };
}

