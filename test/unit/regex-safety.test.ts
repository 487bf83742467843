/**
 * Users' regexes: the case-explicit rewrite matches exactly what the i flag matches, and a
 * pattern that backtracks exponentially no longer hangs a search.
 */
import { test } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { caseExplicit, nestedRepetition } from '../../electron/shared/regex-shape.ts';
import { linearRegex } from '../../electron/engine/search/linear-regex.ts';
import { generateLog } from '../generator/index.ts';
import { Rng } from '../generator/prng.ts';

const esc = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
const every = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));

/** Every code unit the pattern matches as a whole, with i and rewritten without it. */
function compareOnEveryUnit(pattern: string): number {
  const withI = new RegExp(`^(?:${pattern})$`, 'i');
  const rewritten = caseExplicit(pattern, 'i');
  assert.ok(rewritten !== null, pattern);
  const without = new RegExp(`^(?:${rewritten})$`);
  return every.filter((s) => withI.test(s) !== without.test(s)).length;
}

test('case-explicit: single letters and classes match the same code units as under i', () => {
  const cased: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    const s = String.fromCharCode(c);
    if (s.toLowerCase() !== s || s.toUpperCase() !== s) cased.push(c);
  }
  assert.ok(cased.length > 2000);
  // the spec's corners (µ/Μ/μ, titlecase ǅ, ſ and K that keep to themselves, İ, ß/ẞ), and a spread of the rest
  const picks = [0xb5, 0x39c, 0x1c5, 0x17f, 0x212a, 0x130, 0xdf, 0x1e9e, 0x3c2, ...cased.filter((_, i) => i % 97 === 0)];
  for (const c of picks) assert.equal(compareOnEveryUnit(esc(c)), 0, esc(c));
  for (const cls of ['[a-z]', '[^a-z]', '[^\\Wk]', '[k-s_]', '[\\u00e0-\\u00ff]', '[^\\u00e0-\\u00ff]', '[\\u0100-\\u0600]', '[^"]', '[^]', '[\\b]', '[\\d\\sx]']) {
    assert.equal(compareOnEveryUnit(cls), 0, cls);
  }
});

/** A small random regex over a few letters, classes, groups and quantifiers (seeded). */
function randomPattern(rng: Rng, depth = 0): string {
  const atom = (): string => {
    const r = rng.next();
    if (r < 0.35) return rng.pick(['a', 'B', 'k', 'S', 'é', 'Ω', 'µ', '1', '-', '\\.', 'İ', 'ǅ']);
    if (r < 0.5) return rng.pick(['[a-c]', '[^a-c]', '[A-Zé]', '[^\\sK]', '[\\wÉ]', '.', '\\w', '\\W', '\\d', '[k-mÄ-Ö]']);
    if (r < 0.6) return rng.pick(['\\b', '^', '$', '\\B']);
    if (depth < 2) return `(${rng.chance(0.5) ? '?:' : ''}${randomPattern(rng, depth + 1)})`;
    return 'x';
  };
  const seq = () => {
    let s = '';
    for (let i = rng.range(1, 4); i > 0; i--) {
      const a = atom();
      s += a + (/^[\\^$]b?$|^\\[bB]$/.test(a) ? '' : rng.pick(['', '', '', '*', '+', '?', '{1,2}', '*?']));
    }
    return s;
  };
  return rng.chance(0.25) ? `${seq()}|${seq()}` : seq();
}

/** Random text of up to 13 characters of the alphabet. */
function randomText(rng: Rng, alphabet: string): string {
  let s = '';
  for (let i = rng.int(14); i > 0; i--) s += rng.pick([...alphabet]);
  return s;
}

test('case-explicit: random patterns find the same matches at the same places as under i', () => {
  const rng = new Rng(7);
  const alphabet = 'aAbBcCkKsSſKéÉωΩΜµμİiıǄǅǆ1-. _\n';
  let compared = 0;
  for (let k = 0; k < 3000; k++) {
    const p = randomPattern(rng);
    const withI = new RegExp(p, 'gi');
    const rewritten = caseExplicit(p, 'i');
    assert.ok(rewritten !== null, p);
    const without = new RegExp(rewritten, 'g');
    for (let j = 0; j < 12; j++) {
      const s = randomText(rng, alphabet);
      const a = [...s.matchAll(withI)].map((m) => `${m.index}:${m[0]}`);
      const b = [...s.matchAll(without)].map((m) => `${m.index}:${m[0]}`);
      assert.deepEqual(b, a, `/${p}/i against /${rewritten}/ on ${JSON.stringify(s)}`);
      compared++;
    }
  }
  assert.equal(compared, 36000);
});

test("V8's linear-time engine finds a match where the backtracking one does, starting at the same place", () => {
  // A bounded search may finish a line in that engine (after 10 000 backtracks). It does not always
  // pick the same match: `(\bµ*?\w?){1,2}` on "kµK" is "kµK" backtracking and "k" linear. A line
  // search only asks whether a line has a match and where the first one starts, which must agree.
  // Here every rewritten pattern runs in that engine (flag l) against its original under i, which
  // can only backtrack.
  const rng = new Rng(23);
  const alphabet = 'aAbBkKsSµΜé1-. _';
  const first = (re: RegExp, text: string) => {
    re.lastIndex = 0;
    return re.exec(text)?.index ?? -1;
  };
  let linear = 0;
  for (let k = 0; k < 4000; k++) {
    const p = randomPattern(rng);
    const rewritten = caseExplicit(p, 'i')!;
    let lin: RegExp;
    try {
      lin = new RegExp(rewritten, 'l');
    } catch {
      continue; // not one that engine runs (the rewrite of a lookaround-free pattern always is)
    }
    linear++;
    const back = new RegExp(p, 'i');
    for (let j = 0; j < 12; j++) {
      const s = randomText(rng, alphabet);
      assert.equal(first(lin, s), first(back, s), `/${p}/i against /${rewritten}/l on ${JSON.stringify(s)}`);
    }
  }
  assert.equal(linear, 4000);
});

test('linearRegex: bounded forms where V8 allows, the pattern unchanged where it does not', () => {
  const ci = linearRegex('(\\w+\\s?)*detail', 'i');
  assert.equal(ci.bounded, true);
  assert.equal(ci.flags, '', 'runs without i');
  assert.equal(new RegExp(ci.source).test('Detail="x"'), true);
  assert.deepEqual(linearRegex('SIP\\/2\\.0 4\\d\\d', 'm'), { source: 'SIP\\/2\\.0 4\\d\\d', flags: 'm', bounded: true });
  // a back reference compares case-insensitively under i: not rewritten, and not bounded
  assert.deepEqual(linearRegex('(a)\\1', 'i'), { source: '(a)\\1', flags: 'i', bounded: false });
  assert.equal(linearRegex('(?<=x)y', '').bounded, false);
  assert.equal(caseExplicit('a', 'iu'), null, 'u patterns follow other case rules');
});

test('nestedRepetition: repeated groups that repeat or alternate inside', () => {
  for (const p of ['(\\w+\\s?)*x', '(a|aa)+b', '(?:x{2})*', '((ab)*c)+', '(']) assert.equal(nestedRepetition(p, ''), true, p);
  for (const p of ['\\d+\\.\\d+', 'a{2,3}', '(ab)?c', '(INVITE|BYE) sip', '[a-z]+@[a-z.]+', '(a+)']) assert.equal(nestedRepetition(p, ''), false, p);
});

test('a regex that backtracks exponentially finishes, with the lines a plain search finds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-redos-'));
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, generateLog({ seed: 5, calls: 20 }).text);
  const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;
  // before, one line of this search ran for hours: the child is killed (and the test fails) after 60 s
  const count = (q: string) =>
    Number(execFileSync(process.execPath, [cli, 'search', path, q, '--count', '--no-cache'], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' }, timeout: 60_000 }).toString());
  const plain = count('"detail"');
  assert.ok(plain > 100);
  assert.equal(count('/(\\w+\\s?)*detail/i'), plain);
  assert.equal(count('/(\\w+\\s?)*[dD]etai[l]/'), plain);
});
