// The explorer's time column (renderer/src/explorer/time-column.ts): clock, time since the line
// above, time since a reference line; and the offsets' text.
import { test } from 'node:test';
import assert from '../assert.js';
import { offset } from '../../renderer/src/lib/format.js';
import { referenceOf, timeCell } from '../../renderer/src/explorer/time-column.js';

test('offsets read to the millisecond, signed, in seconds, then minutes, then hours', () => {
  assert.equal(offset(0), '+0.000 s');
  assert.equal(offset(2), '+0.002 s');
  assert.equal(offset(32_000), '+32.000 s');
  assert.equal(offset(-250), '\u22120.250 s');
  assert.equal(offset(59_999), '+59.999 s');
  assert.equal(offset(60_000), '+1:00.000');
  assert.equal(offset(215_697), '+3:35.697');
  assert.equal(offset(-(3_600_000 + 2 * 60_000 + 3_004)), '\u22121:02:03.004');
  assert.equal(offset(50 * 3_600_000), '+50:00:00.000');
});

test('the time column in each mode', () => {
  const a = { index: 7, time: '2026-05-14T08:00:00.818Z' };
  const b = { index: 9, time: '2026-05-14T08:00:09.000Z' };
  const noTime = { index: 10, time: '' };
  assert.deepEqual(timeCell('clock', b, a, null), { text: '05-14 08:00:09.000', gap: false, ref: false });
  // since the line above: a second or more is a gap; the list's first line shows its clock
  assert.deepEqual(timeCell('delta', b, a, null), { text: '+8.182 s', gap: true, ref: false });
  assert.deepEqual(timeCell('delta', a, { time: '2026-05-14T08:00:00.500Z' }, null), { text: '+0.318 s', gap: false, ref: false });
  assert.deepEqual(timeCell('delta', a, null, null), { text: '05-14 08:00:00.818', gap: false, ref: false });
  // the line above not fetched yet, or without a time: nothing rather than a wrong figure
  assert.equal(timeCell('delta', b, undefined, null).text, '');
  assert.equal(timeCell('delta', b, noTime, null).text, '');
  // since the reference: before it negative, the reference itself its time of day
  const ref = referenceOf(b)!;
  assert.deepEqual(ref, { index: 9, ms: Date.parse(b.time) });
  assert.deepEqual(timeCell('ref', a, null, ref), { text: '\u22128.182 s', gap: false, ref: false });
  assert.deepEqual(timeCell('ref', b, a, ref), { text: '08:00:09.000', gap: false, ref: true });
  assert.equal(timeCell('ref', noTime, b, ref).text, '');
  // no reference: the clock
  assert.equal(timeCell('ref', a, null, null).text, '05-14 08:00:00.818');
  assert.equal(referenceOf(noTime), null);
});
