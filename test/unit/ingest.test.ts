import { test } from 'node:test';
import assert from '../assert.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../electron/engine/session.ts';
import { F_CRLF, F_NOEOL, F_NOLAYOUT, F_NONUTF8, F_NOTIME } from '../../electron/engine/lines/line-store.ts';
import { LEVELS } from '../../electron/shared/levels.ts';
import { parseFields, field, payloadLines } from '../../electron/engine/lines/fields.ts';
import { CHUNK_BYTES } from '../../electron/engine/lines/ingest.ts';

const fixture = new URL('../fixtures/ingest/damaged.log', import.meta.url).pathname;

test('every byte of a damaged file survives, line by line', async () => {
  const input = readFileSync(fixture);
  const s = await openBundle([fixture]);
  const { store } = s;
  const joined = Buffer.concat(Array.from({ length: store.count }, (_, i) => store.raw(i)));
  assert.ok(joined.equals(input), 'raw lines concatenate to the input');
  const inputLines = input.toString('latin1').split('\n');
  assert.equal(store.count, inputLines.length, 'one row per line (the last has no newline)');
  const flags = Array.from({ length: store.count }, (_, i) => store.flags.data[i]!);
  assert.ok(flags[1]! & F_CRLF, 'CRLF line flagged');
  assert.ok(flags[2]! & F_NOLAYOUT, 'kernel line flagged as not following the layout');
  assert.equal(store.nodeOf(2), 'pxnode-lon-02', 'kernel line still has its node');
  assert.ok(flags[3]! & F_NOTIME && flags[4]! & F_NOTIME, 'blank and traceback lines have no time');
  assert.equal(store.time.data[4], store.time.data[2], 'a line without time inherits the previous time');
  assert.ok(flags[5]! & F_NONUTF8, 'non-UTF-8 line flagged');
  assert.ok(!(flags[0]! & (F_NOLAYOUT | F_NONUTF8)), 'a good line is not flagged');
  assert.ok(flags[7]! & F_NOEOL, 'last line without newline flagged');
  assert.equal(store.fileOf(7).damaged, flags.filter((f) => f & F_NOLAYOUT).length);
  assert.equal(LEVELS[store.level.data[1]!], 'WARNING');
  assert.equal(store.nameOf(0), 'support.sip');
  assert.equal(store.lineNumber(5), 6);
});

test('fields: escaped quotes, ^M payloads with unescaped quotes, cut-short lines', () => {
  const lines = readFileSync(fixture, 'latin1').split('\n');
  const sip = parseFields(lines[0]!);
  assert.equal(sip.damaged, false);
  assert.equal(sip.level, 'INFO');
  assert.equal(sip.name, 'support.sip');
  assert.equal(field(sip, 'dst-address'), '10.47.156.47');
  assert.equal(sip.payloadKey, 'Detail');
  const payload = payloadLines(field(sip, 'Detail')!);
  assert.equal(payload[0], 'SIP/2.0 100 Trying');
  assert.equal(payload[3], 'f: "Mallory Smith" <sip:mallory@example.com>;tag=829ff84ad8');
  assert.equal(payload[payload.length - 1], 'l: 0');
  const esc = parseFields(lines[1]!.replace(/\r$/, ''));
  assert.equal(field(esc, 'Reason'), 'Said "no" twice');
  assert.equal(field(esc, 'participant-id'), '056916d6-0bcb-47b9-ab7d-f4f47a6e8482');
  const kernel = parseFields(lines[2]!);
  assert.equal(kernel.damaged, true);
  assert.equal(kernel.system, 'pxnode-lon-02');
  assert.match(kernel.rest, /kernel: \[ 8812/);
  const cut = parseFields(lines[7]!);
  assert.equal(cut.damaged, true);
  assert.equal(field(cut, 'Message'), 'cut sh');
});

test('a line longer than a chunk and many chunks keep their bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-ingest-'));
  const head = '2026-05-14T08:05:24.101+00:00 10.44.99.2 2026-05-14 08:05:24,090 Level="INFO" Name="support.sip" Message="x" Detail="^M';
  const small = '2026-05-14T08:05:25.000+00:00 10.44.99.2 2026-05-14 08:05:25,000 Level="INFO" Name="support.rest" Message="y"\n';
  const parts = [small.repeat(1000), head + 'b'.repeat(CHUNK_BYTES + 12345) + '"\r\n', small.repeat(200000)];
  const input = Buffer.from(parts.join(''));
  const path = join(dir, 'long.log');
  writeFileSync(path, input);
  const { store } = await openBundle([path]);
  assert.equal(store.count, 1000 + 1 + 200000);
  assert.ok(store.chunks.length >= 2);
  const joined = Buffer.concat(Array.from({ length: store.count }, (_, i) => store.raw(i)));
  assert.ok(joined.equals(input));
  assert.equal(store.content(1000).length, head.length + CHUNK_BYTES + 12345 + 1);
  assert.equal(store.nameOf(1000), 'support.sip');
  assert.equal(store.nameOf(store.count - 1), 'support.rest');
});

test('small files of a folder keep their last chunks packed side by side (no 16 MB buffer each)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-ingest-'));
  const line = (k: number) => `2026-05-14T08:05:${String(k % 60).padStart(2, '0')}.000+00:00 10.44.99.2 2026-05-14 08:05:00,000 Level="INFO" Name="support.rest" Message="m${k}"\n`;
  const text = (from: number, n: number) => Array.from({ length: n }, (_, k) => line(from + k)).join('');
  const newest = Buffer.from(text(0, 3000));
  const older = Buffer.from(text(3000, 5000));
  writeFileSync(join(dir, 'unified_support.log'), newest);
  writeFileSync(join(dir, 'unified_support.log.1.gz'), gzipSync(older));
  const { store } = await openBundle([dir]);
  assert.equal(store.count, 8000);
  assert.equal(store.chunks.length, 2, 'one chunk per small file');
  // carved one after the other out of one shared buffer (slab.ts), the 16 MB read buffer elsewhere
  const [x, y] = [...store.chunks].sort((p, q) => p.byteOffset - q.byteOffset) as [Buffer, Buffer];
  assert.equal(x.buffer, y.buffer, 'one buffer');
  assert.ok(y.byteOffset - (x.byteOffset + x.length) < 8, `the chunks are adjacent (${x.byteOffset}+${x.length}, ${y.byteOffset})`);
  const joined = Buffer.concat(Array.from({ length: store.count }, (_, i) => store.raw(i)));
  assert.ok(joined.equals(Buffer.concat([older, newest])) || joined.equals(Buffer.concat([newest, older])), 'every byte of both files');
});

test('loading reports progress and can be cancelled; what was read stays usable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cancel-'));
  const line = '2026-05-14T08:05:25.000+00:00 10.44.99.2 2026-05-14 08:05:25,000 Level="INFO" Name="support.rest" Message="y"\n';
  const path = join(dir, 'big.log');
  writeFileSync(path, line.repeat(Math.ceil((3 * CHUNK_BYTES) / line.length)));
  const full = await openBundle([path], {});
  const seen: number[] = [];
  const ac = new AbortController();
  const { Session } = await import('../../electron/engine/session.ts');
  const s = new Session([path]);
  await assert.rejects(
    s.load({
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(p.diskBytes);
        assert.ok(p.diskBytes <= p.diskTotal);
        if (p.lines > 0) ac.abort();
      },
    }),
    /cancelled/,
  );
  assert.ok(seen.length > 0, 'progress was reported');
  assert.ok(s.store.count > 0 && s.store.count < full.store.count, `a part was loaded (${s.store.count} of ${full.store.count})`);
  assert.ok(s.store.raw(0).equals(full.store.raw(0)));
  assert.equal(s.loaded, false);
});

test('a file that opens with a UTF-8 byte order mark: its first line parses, its bytes are kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-bom-'));
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const good = readFileSync(fixture, 'latin1').split('\n')[0]! + '\n';
  const plain = join(dir, 'unified_support.log.1');
  const marked = join(dir, 'unified_support.log');
  writeFileSync(plain, Buffer.concat([bom, Buffer.from(good + good)]));
  const { gzipSync } = await import('node:zlib');
  writeFileSync(marked + '.2.gz', gzipSync(Buffer.concat([bom, Buffer.from(good)])));
  // a mark inside a file is not a file's start: that line stays damaged
  writeFileSync(marked, Buffer.concat([Buffer.from(good), bom, Buffer.from(good)]));
  const { store } = await openBundle([dir]);
  assert.equal(store.count, 5);
  const byText = Array.from({ length: store.count }, (_, i) => ({ raw: store.raw(i), flags: store.flags.data[i]!, name: store.nameOf(i) }));
  const marks = byText.filter((l) => l.raw.subarray(0, 3).equals(bom));
  assert.equal(marks.length, 3, 'the marks stay in the lines');
  assert.equal(marks.filter((l) => l.flags & F_NOLAYOUT).length, 1, 'only the mark inside a file leaves its line damaged');
  assert.equal(byText.filter((l) => l.name === 'support.sip').length, 4);
});
