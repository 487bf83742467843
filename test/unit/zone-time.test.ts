// Times shown in a zone other than UTC (electron/shared/zone-time.ts) and typed in it (user-time.ts,
// the jump box): offsets over summer time and half / quarter hours, the wall clock both ways.
import { test } from 'node:test';
import assert from '../assert.js';
import { fromWall, offsetLabel, wallIso, zoneName, zoneOffset, zoneShort } from '../../electron/shared/zone-time.js';
import { userTime } from '../../electron/shared/user-time.js';
import { clockTime } from '../../electron/shared/ladder-layout.js';
import { axisTime, dateTime, fullTime, shortTime } from '../../renderer/src/lib/format.js';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;

test('offsets: summer and winter time, half and quarter hours, UTC itself', () => {
  assert.equal(zoneOffset(at('2026-05-14T08:04:40.734Z'), 'Europe/Oslo'), 2 * H);
  assert.equal(zoneOffset(at('2026-01-14T08:04:40.734Z'), 'Europe/Oslo'), 1 * H);
  assert.equal(zoneOffset(at('2026-05-14T08:00:00Z'), 'America/New_York'), -4 * H);
  assert.equal(zoneOffset(at('2026-05-14T08:00:00Z'), 'Asia/Kathmandu'), 5.75 * H);
  assert.equal(zoneOffset(at('2026-01-14T08:00:00Z'), 'America/St_Johns'), -3.5 * H);
  assert.equal(zoneOffset(at('2026-05-14T08:00:00Z'), 'UTC'), 0);
  assert.equal(offsetLabel(at('2026-01-14T08:00:00Z'), 'America/St_Johns'), 'UTC\u22123:30');
  assert.equal(offsetLabel(at('2026-05-14T08:00:00Z'), 'Asia/Kathmandu'), 'UTC+5:45');
  assert.equal(offsetLabel(at('2026-05-14T08:00:00Z'), 'Europe/Oslo'), 'UTC+2');
});

test('the wall clock to the millisecond, across the change to summer time (Oslo, 2026-03-29 01:00 UTC)', () => {
  assert.equal(wallIso(at('2026-05-14T08:04:40.734Z'), 'Europe/Oslo'), '2026-05-14T10:04:40.734');
  assert.equal(wallIso(at('2026-03-29T00:59:59.999Z'), 'Europe/Oslo'), '2026-03-29T01:59:59.999');
  assert.equal(wallIso(at('2026-03-29T01:00:00.000Z'), 'Europe/Oslo'), '2026-03-29T03:00:00.000');
  assert.equal(wallIso(at('2026-05-14T23:30:00.000Z'), 'Asia/Tokyo'), '2026-05-15T08:30:00.000', 'the next day');
  assert.equal(wallIso(at('2026-05-14T08:04:40.734Z'), 'UTC'), '2026-05-14T08:04:40.734');
  // and back: a wall clock reading is the moment it names
  for (const iso of ['2026-05-14T08:04:40.734Z', '2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T02:00:00.000Z', '2026-12-31T23:59:59.999Z']) {
    for (const zone of ['Europe/Oslo', 'America/New_York', 'Asia/Kathmandu', 'UTC']) {
      const wall = at(wallIso(at(iso), zone) + 'Z');
      assert.equal(new Date(fromWall(wall, zone)).toISOString(), iso, `${iso} in ${zone}`);
    }
  }
  // 02:30 on the day summer time starts does not exist in Oslo: read with the offset before it;
  // on the day it ends, 02:30 comes twice (00:30 and 01:30 UTC): the first
  assert.equal(new Date(fromWall(at('2026-03-29T02:30:00Z'), 'Europe/Oslo')).toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(new Date(fromWall(at('2026-10-25T02:30:00Z'), 'Europe/Oslo')).toISOString(), '2026-10-25T00:30:00.000Z');
});

test('zone names: the runtime knows them in any case; unknown ones are refused', () => {
  assert.equal(zoneName('europe/oslo'), 'Europe/Oslo');
  assert.equal(zoneName(' utc '), 'UTC');
  assert.equal(zoneName('Mars/Olympus_Mons'), null);
  assert.equal(zoneName(''), null);
  assert.deepEqual(['UTC', 'Europe/Oslo', 'America/New_York', 'America/Argentina/Buenos_Aires'].map(zoneShort), ['UTC', 'Oslo', 'New York', 'Buenos Aires']);
});

test("typed times without an offset are the zone's wall clock; with one, as written", () => {
  const fail = (m: string) => new Error(m);
  const start = at('2026-05-14T06:00:00Z'); // 08:00 in Oslo
  const typed = (text: string, zone: string) => new Date(userTime(text, fail, undefined, start, zone)).toISOString();
  assert.equal(typed('10:04', 'Europe/Oslo'), '2026-05-14T08:04:00.000Z');
  assert.equal(typed('07:30', 'Europe/Oslo'), '2026-05-15T05:30:00.000Z', 'before the bundle starts that day: the next day');
  assert.equal(typed('10:04:40,250', 'UTC'), '2026-05-14T10:04:40.250Z');
  assert.equal(typed('10:04Z', 'Europe/Oslo'), '2026-05-14T10:04:00.000Z', 'an offset written wins');
  assert.equal(typed('2026-05-14 10:04:40,250', 'Europe/Oslo'), '2026-05-14T08:04:40.250Z');
  assert.equal(typed('2026-05-14T10:04:40+01:00', 'America/New_York'), '2026-05-14T09:04:40.000Z');
  assert.throws(() => userTime('10h04', fail, undefined, start, 'Europe/Oslo'), /cannot read time '10h04'/);
});

test("the views' formatters: the table's column, the ladder's clock, dates, axis labels", () => {
  const iso = '2026-05-14T08:04:40.734Z';
  assert.equal(shortTime(iso), '05-14 08:04:40.734');
  assert.equal(shortTime(iso, 'Europe/Oslo'), '05-14 10:04:40.734');
  assert.equal(clockTime(at(iso)), '08:04:40.734');
  assert.equal(clockTime(at(iso), 'America/New_York'), '04:04:40.734');
  assert.equal(fullTime(iso, 'Europe/Oslo'), '2026-05-14 10:04:40.734');
  assert.equal(dateTime(at(iso), 'Asia/Kathmandu'), '2026-05-14 13:49:40');
  assert.equal(axisTime(at(iso), 3_600_000, 'Europe/Oslo'), '10:04');
});

test("a time axis's labels: clock times within a day, each with its day over days, in the zone shown", async () => {
  const { tickLabels } = await import('../../renderer/src/app/time-ticks.ts');
  const t = (iso: string) => Date.parse(iso);
  // 1 h on one day: the clock to the minute; 1 min: to the second
  assert.deepEqual(tickLabels(t('2026-05-14T08:00:00Z'), t('2026-05-14T09:00:00Z'), 'UTC').map((x) => x.label), ['08:00', '08:15', '08:30', '08:45', '09:00']);
  assert.deepEqual(tickLabels(t('2026-05-14T08:00:00Z'), t('2026-05-14T08:01:00Z'), 'UTC').map((x) => x.label), ['08:00:00', '08:00:15', '08:00:30', '08:00:45', '08:01:00']);
  // 3 days: the day and the minute
  assert.deepEqual(tickLabels(t('2026-05-14T08:00:00Z'), t('2026-05-17T08:00:00Z'), 'UTC').map((x) => x.label), ['05-14 08:00', '05-15 02:00', '05-15 20:00', '05-16 14:00', '05-17 08:00']);
  // one UTC day that crosses midnight in Kathmandu (+5:45): days there
  assert.deepEqual(tickLabels(t('2026-05-14T16:00:00Z'), t('2026-05-14T20:00:00Z'), 'Asia/Kathmandu').map((x) => x.label), ['05-14 21:45', '05-14 22:45', '05-14 23:45', '05-15 00:45', '05-15 01:45']);
  assert.deepEqual(tickLabels(NaN, 0, 'UTC'), []);
});
