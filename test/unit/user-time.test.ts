/** Times as users write them: whole dates, and a time of day alone, read as its first occurrence in the bundle. */
import { test } from 'node:test';
import assert from '../assert.js';
import { userTime } from '../../electron/shared/user-time.js';

const fail = (m: string) => new Error(m);
const iso = (ms: number) => new Date(ms).toISOString();

test('a whole date is read as written (UTC unless an offset says otherwise), whatever the bundle', () => {
  const after = Date.parse('2030-01-01T00:00:00Z');
  assert.equal(iso(userTime('2026-05-14 08:04:40,250', fail, undefined, after)), '2026-05-14T08:04:40.250Z');
  assert.equal(iso(userTime('2026-05-14T09:04+01:00', fail, undefined, after)), '2026-05-14T08:04:00.000Z');
  assert.equal(iso(userTime('2026-05-14', fail)), '2026-05-14T00:00:00.000Z');
});

test('a time of day alone is its first occurrence at or after the bundle\'s first line', () => {
  const start = Date.parse('2026-05-13T22:00:00Z'); // a bundle that crosses midnight
  const at = (t: string) => iso(userTime(t, fail, undefined, start));
  assert.equal(at('23:30'), '2026-05-13T23:30:00.000Z');
  assert.equal(at('09:15'), '2026-05-14T09:15:00.000Z', 'after midnight: the next day');
  assert.equal(at('22:00'), '2026-05-13T22:00:00.000Z', 'the first line itself');
  assert.equal(at('21:59:59,5'), '2026-05-14T21:59:59.500Z');
  assert.equal(at('9:05:07'), '2026-05-14T09:05:07.000Z');
  // an offset: the clock of that zone (00:30 at +02:00 is 22:30 UTC the day before)
  assert.equal(at('00:30+02:00'), '2026-05-13T22:30:00.000Z');
  assert.equal(at('23:30 -0100'), '2026-05-14T00:30:00.000Z');
  for (const bad of ['24:00', '9:5', '09:15 CET', '0915']) assert.throws(() => userTime(bad, fail, undefined, start), /cannot read time/, bad);
});
