/**
 * The index segment's WebAssembly core against the JavaScript definitions it must agree with:
 * every atom and pair of every line is in its block's filter under the key the query side
 * computes (tokens.ts), frequent-token postings are exact for words of every length (the core
 * compares 8 bytes at a time up to 16, then byte by byte), in any case, next to near-misses and
 * non-ASCII bytes; and the committed .wasm is what its source compiles to.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bloomKeys, buildSegment, candidateLines, eachPostingLine, mayHoldAll, POST_BITS, POST_U16, POST_U32 } from '../../electron/engine/search/segment.ts';
import { keysOf } from '../../electron/engine/search/tokens.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A chunk whose frequent words have 1..40 bytes, with case variants and one-byte near-misses. */
function adversarialChunk(): { chunk: Buffer; lines: string[] } {
  let seed = 7;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789_';
  const words: string[] = [];
  for (let len = 1; len <= 40; len++) {
    let w = '';
    for (let k = 0; k < len; k++) w += letters[rnd(letters.length)];
    words.push(w);
  }
  const variant = (w: string) => {
    switch (rnd(5)) {
      case 0:
        return w.toUpperCase();
      case 1:
        return w.slice(0, -1) + (w.endsWith('q') ? 'r' : 'q'); // same length, last byte differs
      case 2:
        return w + 'x'; // one longer
      case 3:
        return 'Ä' + w; // non-ASCII in front
      default:
        return w;
    }
  };
  const lines: string[] = [];
  for (let l = 0; l < 3000; l++) {
    const parts: string[] = [];
    for (let k = 0; k < 12; k++) parts.push(variant(words[rnd(words.length)]!));
    const sep = ['.', ':', ' ', '="', '-', '/', '@', '^M'];
    lines.push(parts.map((p, k) => (k ? sep[rnd(sep.length)] : '') + p).join(''));
  }
  return { chunk: Buffer.from(lines.join('\n'), 'latin1'), lines };
}

test('segment core: every atom and pair is in its block filter; frequent-token postings are exact', () => {
  const { chunk, lines } = adversarialChunk();
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += Buffer.byteLength(l, 'latin1') + 1;
  }
  const seg = buildSegment(chunk, Uint32Array.from([...starts, chunk.length]));
  assert.equal(seg.lines, lines.length);
  let block = 0;
  for (let l = 0; l < lines.length; l++) {
    while (seg.blockLine[block + 1]! <= l) block++;
    const bytes = Buffer.from(lines[l]!, 'latin1');
    assert.ok(mayHoldAll(seg, block, bloomKeys(seg, keysOf(bytes, true, true))), `line ${l}: all its keys in block ${block}`);
  }
  const atoms = lines.map((s) => new Set(s.split(/(?:\^M|[^0-9A-Za-z_\x80-\xff])+/).map((a) => a.replace(/[A-Z]/g, (c) => c.toLowerCase()))));
  const lengths = new Set<number>();
  for (let t = 0; t < seg.topKeys.length; t++) {
    const word = Buffer.from(seg.topBytes.subarray(seg.topOff[t]!, seg.topOff[t + 1]!)).toString('latin1');
    lengths.add(word.length);
    const want = atoms.flatMap((set, l) => (set.has(word) ? [l] : []));
    const got: number[] = [];
    eachPostingLine(seg, t, (l) => got.push(l));
    assert.deepEqual(got, want, `postings of '${word}'`);
  }
  // candidate lines of several whole words: the lines holding all of those that are frequent here
  const words = [0, 1, 2].map((t) => seg.topBytes.subarray(seg.topOff[t]!, seg.topOff[t + 1]!));
  const rare = Buffer.from('zzqrare');
  const cand = candidateLines(seg, [...words, rare].map((w) => ({ key: keysOf(w, true, true)[0]!, lowered: w })))!;
  const both = atoms.flatMap((set, l) => (words.every((w) => set.has(Buffer.from(w).toString('latin1'))) ? [l] : []));
  assert.ok(both.length > 0 && both.length < lines.length, `the words share some lines (${both.length})`);
  assert.deepEqual([...Array(seg.lines).keys()].filter((l) => cand[l >>> 5]! & (1 << (l & 31))), both);
  assert.equal(candidateLines(seg, [{ key: keysOf(rare, true, true)[0]!, lowered: rare }]), null, 'no frequent word: no candidates');
  // the sample reaches each comparison path of the core, and both kinds of postings of a segment this size
  for (const n of [1, 7, 8, 9, 16, 17, 33]) assert.ok(lengths.has(n), `a frequent word of ${n} bytes (have ${[...lengths].sort((a, b) => a - b)})`);
  assert.ok(seg.postKind.includes(POST_BITS) && seg.postKind.includes(POST_U16), `bitsets and u16 lists (${[...new Set(seg.postKind)]})`);
});

test('segment postings: line numbers past 65 535 are kept as u32 lists, each token in its smallest form', () => {
  // 70 000 short lines: words in every line, one in 10, one in 50, one in 400
  const lines = Array.from({ length: 70_000 }, (_, l) => `a${l % 10 ? '' : ' tenth'}${l % 50 ? '' : ' fiftieth'}${l % 400 ? '' : ' rare400'} ${l}`);
  const text = Buffer.from(lines.join('\n'));
  const starts: number[] = [];
  for (let at = 0, l = 0; l < lines.length; at += lines[l]!.length + 1, l++) starts.push(at);
  const seg = buildSegment(text, Uint32Array.from([...starts, text.length]));
  const kinds: Record<string, number> = {};
  for (const [word, every] of [['a', 1], ['tenth', 10], ['fiftieth', 50], ['rare400', 400]] as const) {
    const t = [...Array(seg.topKeys.length).keys()].find((k) => Buffer.from(seg.topBytes.subarray(seg.topOff[k]!, seg.topOff[k + 1]!)).toString() === word);
    assert.ok(t !== undefined, `'${word}' is a frequent token`);
    const got: number[] = [];
    eachPostingLine(seg, t, (l) => got.push(l));
    assert.deepEqual(got, lines.flatMap((_, l) => (l % every ? [] : [l])), `postings of '${word}'`);
    kinds[word] = seg.postKind[t]!;
    const words = seg.postOff[t + 1]! - seg.postOff[t]!;
    assert.equal(words, Math.min((lines.length + 31) >>> 5, got.length), `'${word}': the smaller of a bitset and a u32 list`);
  }
  assert.deepEqual(kinds, { a: POST_BITS, tenth: POST_BITS, fiftieth: POST_U32, rare400: POST_U32 });
});

/** Two different lowercase words of `len` bytes after `prefix` with the same index key (a birthday search). */
function collision(prefix: string, len: number, seed: number): [string, string] {
  const seen = new Map<number, string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let k = 0; ; k++) {
    let w = prefix;
    let x = k * 2654435761 + seed;
    for (let j = 0; j < len; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      w += letters[(x >>> 16) % 26];
    }
    const key = keysOf(Buffer.from(w), true, true)[0]!;
    const other = seen.get(key);
    if (other !== undefined && other !== w) return [other, w];
    seen.set(key, w);
  }
}

test('segment core: a word that shares a frequent word\'s key and length is not counted as it', () => {
  // one pair per comparison path: up to 8 bytes, up to 16 (same first 8 bytes), beyond 16 (same first 16)
  for (const [prefix, len] of [['', 6], ['', 12], ['abcdefgh', 6], ['abcdefghijklmnop', 8]] as const) {
    const [word, twin] = collision(prefix, len, len);
    const lines: string[] = [];
    // the twin stays out of the first block, the one the frequent words are sampled from (a twin
    // seen there would leave the key out of the frequent ones): the core's comparison must catch it
    for (let l = 0; l < 2000; l++) lines.push(`Level="INFO" Name="x" ${l > 100 && l % 3 === 0 ? twin : word} ${l > 100 && l % 5 === 0 ? twin : 'other'}`);
    const starts: number[] = [];
    let at = 0;
    for (const l of lines) {
      starts.push(at);
      at += l.length + 1;
    }
    const text = Buffer.from(lines.join('\n'));
    const seg = buildSegment(text, Uint32Array.from([...starts, text.length]));
    const t = [...Array(seg.topKeys.length).keys()].find((k) => Buffer.from(seg.topBytes.subarray(seg.topOff[k]!, seg.topOff[k + 1]!)).toString() === word);
    assert.ok(t !== undefined, `'${word}' is a frequent token`);
    const got: number[] = [];
    eachPostingLine(seg, t, (l) => got.push(l));
    assert.deepEqual(got, lines.flatMap((l, k) => (l.split(' ').includes(word) ? [k] : [])), `postings of '${word}', not '${twin}'`);
  }
});

test('the committed segment-core.wasm is what its source compiles to (npm run build:wasm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-wasm-'));
  try {
    const out = join(dir, 'core.wasm');
    const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    const src = join(root, 'electron/engine/search/wasm/segment-core.ts');
    const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['build:wasm'] as string;
    // the build script's flags, another output file
    const args = script.split(/\s+/).slice(2);
    args[args.indexOf('-o') + 1] = out;
    execFileSync(process.execPath, [asc, src, ...args], { cwd: root });
    assert.ok(readFileSync(out).equals(readFileSync(join(root, 'electron/engine/search/wasm/segment-core.wasm'))), 'segment-core.wasm is stale: run npm run build:wasm');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segment core: the names in line heads become frequent tokens, their numbers do not', () => {
  const lines: string[] = [];
  for (let l = 0; l < 6000; l++) {
    const ms = String((l * 7919) % 1000).padStart(3, '0');
    const sec = String(l % 60).padStart(2, '0');
    const host = ['pxnode-osl-01', 'pxnode-lon-02', '10.44.99.2'][l % 3];
    lines.push(`2026-05-14T08:${sec}:00.${ms}+00:00 ${host} 2026-05-14 08:${sec}:00,${ms} Level="INFO" Name="support.sip" Message="Received SIP message" Detail="^MOPTIONS sip:alice@example.com SIP/2.0^M"`);
  }
  const chunk = Buffer.from(lines.join('\n'));
  const starts: number[] = [];
  for (let at = 0, l = 0; l < lines.length; at += lines[l]!.length + 1, l++) starts.push(at);
  const seg = buildSegment(chunk, Uint32Array.from([...starts, chunk.length]));
  const top = new Set([...Array(seg.topKeys.length).keys()].map((t) => Buffer.from(seg.topBytes.subarray(seg.topOff[t]!, seg.topOff[t + 1]!)).toString('latin1')));
  for (const w of ['pxnode', 'osl', 'lon', 'level', 'options', 'alice']) assert.ok(top.has(w), `'${w}' is a frequent token (have ${[...top].join(' ')})`);
  const numbers = [...top].filter((w) => /^[0-9]+$/.test(w) && !['2', '0'].includes(w));
  assert.deepEqual(numbers, [], 'no number of the heads is a frequent token (2 and 0 are in SIP/2.0)');
});

test('segment core: frequent words with the same first 8 bytes keep exact postings, and the others are in the filters', () => {
  // the core finds a frequent token by its first 8 bytes and its length: these share the 8 bytes,
  // two share the length too (one slot: at most one of them is a frequent token)
  const words = ['transportid', 'transportix', 'transportidentifier', 'transporti', 'transport_a', 'TRANSPORTID'];
  const lines: string[] = [];
  for (let l = 0; l < 3000; l++) lines.push(`Level="INFO" ${words[l % words.length]} ${words[(l * 7) % 5]}.x ${l % 4 ? 'Transportid' : 'y'}`);
  const text = Buffer.from(lines.join('\n'));
  const starts: number[] = [];
  for (let at = 0, l = 0; l < lines.length; at += lines[l]!.length + 1, l++) starts.push(at);
  const seg = buildSegment(text, Uint32Array.from([...starts, text.length]));
  const top = [...Array(seg.topKeys.length).keys()].map((t) => Buffer.from(seg.topBytes.subarray(seg.topOff[t]!, seg.topOff[t + 1]!)).toString());
  const ours = top.filter((w) => w.startsWith('transport'));
  assert.ok(ours.length >= 3 && !(ours.includes('transportid') && ours.includes('transportix')), `frequent: ${ours.join(' ')}`);
  for (const word of ours) {
    const t = top.indexOf(word);
    const got: number[] = [];
    eachPostingLine(seg, t, (l) => got.push(l));
    const want = lines.flatMap((l, k) => (l.toLowerCase().split(/[^a-z0-9_]+/).includes(word) ? [k] : []));
    assert.deepEqual(got, want, `postings of '${word}'`);
  }
  let block = 0;
  for (let l = 0; l < lines.length; l++) {
    while (seg.blockLine[block + 1]! <= l) block++;
    assert.ok(mayHoldAll(seg, block, bloomKeys(seg, keysOf(Buffer.from(lines[l]!), true, true))), `line ${l}: all its keys in block ${block}`);
  }
});
