// What the explorer adds to its search box (renderer/src/lib/query.ts): a field's value filter from
// a line's detail (valueFilter, withFilter), whose term finds exactly the lines a straightforward
// reading of the file says have that key with that value (ASCII case-insensitively), through the
// engine; and the completions the box offers as a word is typed.
import { test, before, after } from 'node:test';
import assert from '../assert.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApi } from '../../electron/engine/api-impl.js';
import { writeBundle } from '../generator/index.js';
import { completions, queryProblem, senderFilter, valueFilter, withFilter } from '../../renderer/src/lib/query.js';

const dir = mkdtempSync(join(tmpdir(), 'pexlens-vf-'));
process.env.PEXLENS_CACHE_DIR = join(dir, 'cache');
after(() => rmSync(dir, { recursive: true, force: true }));

let api: EngineApi;
const SENDER = '(sender)';
/** Each line's fields as the file writes them: the sending system (as SENDER), and `Key="value"` pairs (unescaped). */
let fieldsOf: Array<Map<string, string[]>>;

before(async () => {
  const b = await writeBundle(join(dir, 'b'), { form: 'plain', seed: 11, calls: 12, damaged: false });
  const lines = readFileSync(b.path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  fieldsOf = lines.map((l) => {
    const m = new Map<string, string[]>();
    const add = (k: string, v: string) => m.set(k.toLowerCase(), [...(m.get(k.toLowerCase()) ?? []), v.toLowerCase()]);
    add(SENDER, l.split(' ')[1]!);
    for (const p of l.matchAll(/ ([A-Za-z][\w.-]*)="((?:[^"\\]|\\.)*)"/g)) add(p[1]!, p[2]!.replace(/\\(.)/g, '$1'));
    return m;
  });
  api = new EngineApi(() => {});
  await api.open({ paths: [b.path] });
});

const reference = (key: string, value: string) => fieldsOf.filter((f) => (f.get(key.toLowerCase()) ?? []).includes(value.toLowerCase())).length;
const total = async (query: string) => (await api.search({ query, limit: 0 })).total;

test("a field's value filter finds exactly the lines with that value; its exclusion the others", async () => {
  const all = fieldsOf.length;
  const seen = new Set<string>();
  let checked = 0;
  const kinds = new Set<string>();
  for (let index = 0; index < all; index++) {
    const d = await api.lineDetail({ index });
    for (const f of [{ key: SENDER, value: d.node }, ...d.fields]) {
      const term = f.key === SENDER ? senderFilter(f.value) : valueFilter(f.key, f.value);
      if (term === null) {
        // only what the grammar cannot say exactly is left out
        assert.ok(/[*\r\n]|\^M/.test(f.value) || f.value.length > 1000 || !f.value.trim() || ['from', 'to', 'call', 'node'].includes(f.key.toLowerCase()), `${f.key}=${f.value} has a filter`);
        continue;
      }
      if (seen.has(term)) continue;
      seen.add(term);
      const want = reference(f.key, f.value);
      const got = await total(term);
      if (f.key.toLowerCase() === 'conference') assert.ok(got >= want, `${term}: ${got}, at least the ${want} lines with the key`); // and its calls' lines
      else {
        assert.equal(got, want, term);
        assert.equal(await total(withFilter('', term, true)), all - want, `-${term}`);
      }
      kinds.add(f.key.toLowerCase());
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} filters checked`);
  for (const k of [SENDER, 'level', 'name', 'message', 'call-id', 'participant']) assert.ok(kinds.has(k), `a ${k} filter among them: ${[...kinds]}`);
  assert.ok([...seen].some((t) => t.includes('\\"')), 'a value with quotes in it among them');
});

test('the filter joins the search: ANDed after it (OR binds tighter), not twice; level, name and node keep one value', () => {
  assert.equal(withFilter('', 'call-id:abc', false), 'call-id:abc');
  assert.equal(withFilter('*', 'call-id:abc', true), '-call-id:abc');
  assert.equal(withFilter('INVITE OR BYE', 'call-id:abc', false), 'INVITE OR BYE call-id:abc');
  assert.equal(withFilter('INVITE call-id:abc', 'call-id:abc', false), 'INVITE call-id:abc', 'there already');
  assert.equal(withFilter('level:ERROR INVITE', 'level:INFO', false), 'INVITE level:INFO');
  assert.equal(withFilter('level:ERROR INVITE', 'level:INFO', true), 'level:ERROR INVITE -level:INFO');
  assert.equal(valueFilter('Conference', 'Meet Alice'), 'conference:"Meet Alice"');
  assert.equal(valueFilter('Message', 'Say "hi" \\o/'), 'message:"Say \\"hi\\" \\\\o/"');
  assert.equal(valueFilter('Reason', 'a*b'), null, 'a * would be a wildcard');
  assert.equal(valueFilter('Level', 'LOUD'), null, 'not a level');
  assert.equal(valueFilter('To', 'sip:x@y'), null, 'to: is a time');
  assert.equal(valueFilter('Node', '10.44.99.2'), null, 'node: is the sending system, not the log key Node');
  assert.equal(senderFilter('10.44.99.2'), 'node:10.44.99.2');
  assert.equal(valueFilter('Syslog time', 'x'), null, 'not a log key');
  assert.equal(valueFilter('File', 'x.log'), null, 'file: reads as an address, not the key');
  assert.equal(valueFilter('Http', 'a'), null);
});

test("the search box's completions: a field's name, the bundle's levels, modules and nodes, after the last comma; none once complete or inside quotes", () => {
  const known = { level: ['INFO', 'DEBUG', 'WARNING', 'ERROR'], name: ['support.sip', 'support.h323.q931', 'support.h323.h245', 'administrator.conference'], node: ['10.44.99.2', 'pxnode-lon-01'] };
  assert.deepEqual(completions('INVITE na', known), ['INVITE name:']);
  assert.deepEqual(completions('INVITE n', known), [], 'from two letters on');
  assert.deepEqual(completions('co', known), ['conference:']);
  assert.deepEqual(completions('INVITE name:support.h', known), ['INVITE name:support.h323.q931', 'INVITE name:support.h323.h245'], 'in the order given (most lines first)');
  assert.deepEqual(completions('-name:ADMIN', known), ['-name:administrator.conference'], 'case-insensitively, under a minus');
  assert.deepEqual(completions('(level:WARNING,e', known), ['(level:WARNING,ERROR']);
  assert.deepEqual(completions('node:px', known), ['node:pxnode-lon-01']);
  assert.deepEqual(completions('level:ERROR', known), [], 'complete');
  assert.deepEqual(completions('level:ERROR ', known), [], 'a new word not begun');
  assert.deepEqual(completions('"name:sup', known), [], 'inside quotes');
  assert.deepEqual(completions('participant-id:ab', known), [], 'other keys: their values are not known here');
  assert.equal(completions('name:s', known, 2).length, 2, 'at most max');
  // each completion reads back as the query it says
  for (const q of completions('name:support', known)) assert.equal(queryProblem(q), null, q);
});
