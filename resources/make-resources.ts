/**
 * Regenerates what resources/ ships: the app icon (a PNG drawn here, no image tools needed) and
 * the small sample snapshot `npm start` opens when given no path (made with the project's own
 * log generator, so it has realistic calls and a few damaged lines, and no real personal data).
 *   node --import tsx resources/make-resources.ts
 */
import { deflateSync } from 'node:zlib';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBundle } from '../test/generator/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));

// --- icon: a magnifying lens over log lines, 4×4 supersampled ---
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

type RGBA = [number, number, number, number];
function iconSample(u: number, v: number): RGBA {
  // u, v in [0, 1): rounded square background
  const r = 0.18;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r) + 0.02, 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r) + 0.02, 0);
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  let col: RGBA = [Math.round(20 + 30 * v), Math.round(60 + 40 * v), Math.round(110 + 50 * v), 255];
  // log lines
  for (const [y0, x1, c] of [
    [0.3, 0.78, [120, 200, 255]],
    [0.42, 0.7, [255, 255, 255]],
    [0.54, 0.82, [255, 190, 70]],
    [0.66, 0.62, [255, 255, 255]],
  ] as const) {
    if (v > y0 && v < y0 + 0.045 && u > 0.2 && u < x1) col = [c[0], c[1], c[2], 255];
  }
  // lens ring and handle
  const cx = 0.44, cy = 0.44, R = 0.24, w = 0.05;
  const d = Math.hypot(u - cx, v - cy);
  if (d < R - w / 2) col = [Math.min(255, col[0] + 40), Math.min(255, col[1] + 40), Math.min(255, col[2] + 40), 255];
  if (Math.abs(d - R) < w / 2) col = [245, 248, 255, 255];
  const t = ((u - cx) + (v - cy)) / 2; // along the diagonal
  const off = Math.abs((u - cx) - (v - cy)) / Math.SQRT2;
  if (t * Math.SQRT2 > R && t * Math.SQRT2 < R + 0.2 && off < 0.045) col = [245, 248, 255, 255];
  return col;
}

function icon(size: number): Buffer {
  const ss = 4;
  return png(size, (x, y) => {
    let r = 0, g = 0, b = 0, a = 0;
    for (let i = 0; i < ss; i++)
      for (let j = 0; j < ss; j++) {
        const [cr, cg, cb, ca] = iconSample((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
        r += cr * ca;
        g += cg * ca;
        b += cb * ca;
        a += ca;
      }
    return a ? [Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round(a / (ss * ss))] : [0, 0, 0, 0];
  });
}

writeFileSync(join(here, 'icon.png'), icon(512));
mkdirSync(join(here, 'icons'), { recursive: true });
for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(here, 'icons', `${s}x${s}.png`), icon(s));

// --- sample snapshot ---
const sampleDir = join(here, 'sample');
rmSync(sampleDir, { recursive: true, force: true });
const { path, truth } = await writeBundle(sampleDir, { form: 'tgz', seed: 2026, calls: 150, rotations: 2 });
const size = statSync(path).size;
if (size >= 1 << 20) throw new Error(`sample is ${size} bytes; keep it under 1 MB`);
console.log(`icon.png, icons/*.png; ${readdirSync(sampleDir).join(', ')}: ${size} bytes, ${truth.lines} lines, ${truth.calls.length} calls`);
