// Column widths the engineer set (renderer/src/lib/column-widths.ts): the grid's tracks, the
// table's least width, and what the page keeps per table (refused when saved for other columns).
import { test } from 'node:test';
import assert from '../assert.js';
import { pageStorage } from '../page-storage.js';
import { MAX_COLUMN, MIN_COLUMN, clampWidth, gridTemplate, loadWidths, minTableWidth, saveWidths } from '../../renderer/src/lib/column-widths.js';

const store = pageStorage();

const defs = [
  { track: '128px', min: 128 },
  { track: 'minmax(120px, 190px)', min: 120 },
  { track: 'minmax(160px, 1fr)', min: 160 },
  { track: 'minmax(120px, 1.2fr)', min: 120 },
];

test("a resized column takes its width; the others keep their track; the last still takes the room left", () => {
  assert.equal(gridTemplate(defs, [null, null, null, null]), '128px minmax(120px, 190px) minmax(160px, 1fr) minmax(120px, 1.2fr)');
  assert.equal(gridTemplate(defs, [90, null, 300, 500]), '90px minmax(120px, 190px) 300px minmax(500px, 1fr)');
  assert.equal(gridTemplate(defs, [90, null, null, null], 1), '90px max-content minmax(160px, 1fr) minmax(120px, 1.2fr)', 'the column being fitted is as wide as its content');
  assert.equal(minTableWidth(defs, [null, null, null, null]), 528);
  assert.equal(minTableWidth(defs, [90, null, 300, null]), 90 + 120 + 300 + 120);
});

test('widths are clamped to whole pixels between the least and the most a column takes', () => {
  assert.equal(clampWidth(3), MIN_COLUMN);
  assert.equal(clampWidth(1e6), MAX_COLUMN);
  assert.equal(clampWidth(201.6), 202);
});

test('kept per table; nothing kept once all are back to their track; what does not fit the columns is ignored', () => {
  assert.deepEqual(loadWidths('lines', 4), [null, null, null, null], 'nothing saved');
  saveWidths('lines', [null, 250, null, null]);
  saveWidths('calls', [10, null]);
  assert.deepEqual(loadWidths('lines', 4), [null, 250, null, null]);
  assert.deepEqual(loadWidths('calls', 2), [MIN_COLUMN, null], 'clamped when read');
  assert.deepEqual(loadWidths('lines', 5), [null, null, null, null, null], 'saved for another set of columns: not used');
  saveWidths('lines', [null, null, null, null]);
  assert.deepEqual(Object.keys(JSON.parse(store.get('pexlens.columns')!)), ['calls']);
  store.set('pexlens.columns', '{"lines": [1, "x", null, 1e400]');
  assert.deepEqual(loadWidths('lines', 4), [null, null, null, null], 'unreadable storage');
  store.set('pexlens.columns', JSON.stringify({ lines: [60, 'x', null, {}] }));
  assert.deepEqual(loadWidths('lines', 4), [60, null, null, null], 'values that are not widths are the default');
});
