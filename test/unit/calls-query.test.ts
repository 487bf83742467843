/** `pexlens calls --query`: the entity index over calls, through the CLI, against generator truth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { generateLog } from '../generator/index.ts';

const cli = new URL('../../bin/pexlens.js', import.meta.url).pathname;

function calls(path: string, query: string): Array<{ id: string; from: string | null; to: string | null }> {
  const out = execFileSync(process.execPath, [cli, 'calls', path, '--json', '--query', query], { env: { ...process.env, PEXLENS_FROM_SOURCE: '1' } });
  return JSON.parse(out.toString()) as Array<{ id: string; from: string | null; to: string | null }>;
}

test('calls --query finds a call by any of its ids and by its parties, best first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pexlens-cq-'));
  const { text, truth } = generateLog({ seed: 21, calls: 30 });
  const path = join(dir, 'unified_support.log');
  writeFileSync(path, text);
  const sip = truth.calls.find((c) => c.protocol === 'SIP' && !c.failed)!;
  const byId = calls(path, sip.id);
  assert.equal(byId[0]?.id, sip.id, 'the call id ranks its call first');
  const h323 = truth.calls.find((c) => c.protocol === 'H323')!;
  const other = h323.ids.find((id) => id !== h323.id && text.includes(id));
  if (other) assert.equal(calls(path, other)[0]?.id, h323.id, 'a secondary id finds the call');
  const user = sip.from.replace(/^.*sip:/, '').replace(/@.*$/, '');
  const byUser = calls(path, user);
  assert.ok(byUser.some((c) => c.id === sip.id), `a user part (${user}) finds the call`);
  for (const c of byUser) assert.match(JSON.stringify(c).toLowerCase(), new RegExp(user.toLowerCase()), 'every hit mentions the word');
  assert.deepEqual(calls(path, 'no-such-party-zzz'), []);
});
