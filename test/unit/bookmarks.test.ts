// The explorer's bookmarks (renderer/src/lib/bookmarks.ts): kept per bundle in local storage,
// in list order, stepped through with wrap-around, capped per bundle and in bundles kept.
import { test } from 'node:test';
import assert from '../assert.js';
import { pageStorage } from '../page-storage.js';
import { MAX_BOOKMARKS, MAX_BUNDLES, labelOf, loadBookmarks, nextBookmark, saveBookmarks, shownLabel, toggled, withLines } from '../../renderer/src/lib/bookmarks.js';

const store = pageStorage();

const line = (index: number, message = `message ${index}`) => ({ index, time: '2026-05-14T08:00:0' + (index % 10) + '.250Z', message, name: 'support.sip', text: `raw ${index}` });

test('toggling adds a line in list order with its time and message, and drops it the second time', () => {
  let l = toggled([], line(40))!;
  l = toggled(l, line(7, 'SIP Transport Failure'))!;
  l = toggled(l, line(12))!;
  assert.deepEqual(l.map((b) => b.index), [7, 12, 40]);
  assert.deepEqual(l[0], { index: 7, label: 'SIP Transport Failure', time: '2026-05-14T08:00:07.250Z' });
  assert.equal(shownLabel(l[0]!, 'UTC'), '05-14 08:00:07.250  SIP Transport Failure');
  assert.equal(shownLabel(l[0]!, 'Europe/Oslo'), '05-14 10:00:07.250  SIP Transport Failure', 'the time in the zone shown (summer time: +2 h)');
  assert.deepEqual(toggled(l, line(12))!.map((b) => b.index), [7, 40]);
  // a line without a message or time: its module, else its text
  assert.equal(labelOf({ message: '', name: '', text: 'Traceback (most recent call last):' }), 'Traceback (most recent call last):');
  assert.equal(labelOf({ message: '', name: 'support.dns', text: 'x' }), 'support.dns');
});

test('at most MAX_BOOKMARKS per bundle: one more is refused', () => {
  const full = Array.from({ length: MAX_BOOKMARKS }, (_, k) => ({ index: k, label: '' }));
  assert.equal(toggled(full, line(MAX_BOOKMARKS)), null);
  assert.equal(toggled(full, line(3))!.length, MAX_BOOKMARKS - 1, 'dropping one still works');
});

test('a message\'s lines go in together (the call view bookmarks every piece), those there already once; too many are refused', () => {
  const l = toggled([], line(12))!;
  const pieces = [30, 12, 31].map((index, k) => ({ index, label: `INVITE (${k + 1}/3)` }));
  assert.deepEqual(withLines(l, pieces)!.map((b) => [b.index, b.label]), [[12, l[0]!.label], [30, 'INVITE (1/3)'], [31, 'INVITE (3/3)']]);
  const nearlyFull = Array.from({ length: MAX_BOOKMARKS - 2 }, (_, k) => ({ index: 100 + k, label: '' }));
  assert.equal(withLines(nearlyFull, pieces), null, 'three more do not fit');
  assert.equal(withLines(nearlyFull, pieces.slice(0, 2))!.length, MAX_BOOKMARKS);
});

test('F2 steps to the next bookmark after a line, Shift+F2 to the one before, both wrapping', () => {
  const l = [7, 12, 40].map((index) => ({ index, label: '' }));
  assert.equal(nextBookmark(l, 12, 1)!.index, 40);
  assert.equal(nextBookmark(l, 13, 1)!.index, 40);
  assert.equal(nextBookmark(l, 40, 1)!.index, 7, 'past the last: the first');
  assert.equal(nextBookmark(l, 12, -1)!.index, 7);
  assert.equal(nextBookmark(l, 7, -1)!.index, 40, 'before the first: the last');
  assert.equal(nextBookmark(l, 3, -1)!.index, 40);
  assert.equal(nextBookmark(l, null, 1)!.index, 7, 'no line picked: the first');
  assert.equal(nextBookmark(l, null, -1)!.index, 40);
  assert.equal(nextBookmark([], 5, 1), null);
});

test('bookmarks are kept per bundle; an emptied list is removed; the most recently changed bundles are kept', () => {
  saveBookmarks('bundle-a', toggled(toggled([], line(9))!, line(2))!, 1000);
  saveBookmarks('bundle-b', toggled([], line(5))!, 2000);
  assert.deepEqual(loadBookmarks('bundle-a').map((b) => b.index), [2, 9]);
  assert.deepEqual(loadBookmarks('bundle-b').map((b) => b.index), [5]);
  assert.deepEqual(loadBookmarks('bundle-c'), []);
  assert.deepEqual(loadBookmarks('bundle-a')[0], toggled([], line(2))![0], 'time and label kept');
  saveBookmarks('bundle-b', [], 3000);
  assert.deepEqual(Object.keys(JSON.parse(store.get('pexlens.bookmarks')!)), ['bundle-a']);
  for (let k = 0; k < MAX_BUNDLES + 3; k++) saveBookmarks(`many-${k}`, [{ index: k, label: '' }], 5000 + k);
  const kept = Object.keys(JSON.parse(store.get('pexlens.bookmarks')!));
  assert.equal(kept.length, MAX_BUNDLES);
  assert.ok(!kept.includes('bundle-a') && kept.includes(`many-${MAX_BUNDLES + 2}`) && !kept.includes('many-2'), 'the oldest went first');
});

test('what the storage holds that is not a list of bookmarks is ignored, not thrown', () => {
  store.set('pexlens.bookmarks', 'not json');
  assert.deepEqual(loadBookmarks('x'), []);
  store.set('pexlens.bookmarks', JSON.stringify({ x: { at: 1, lines: [[3, 'ok'], ['4', 'bad index'], [-1, 'negative'], [5]] } }));
  assert.deepEqual(loadBookmarks('x'), [{ index: 3, label: 'ok' }]);
  // kept before the time was apart from the label: shown as it was
  store.set('pexlens.bookmarks', JSON.stringify({ x: { at: 1, lines: [[3, '05-14 08:00:07.250  old'], [4, 'new', '2026-05-14T08:00:08.000Z'], [5, 'no time', 7]] } }));
  assert.deepEqual(loadBookmarks('x').map((b) => shownLabel(b, 'UTC')), ['05-14 08:00:07.250  old', '05-14 08:00:08.000  new', 'no time']);
  saveBookmarks('y', [{ index: 1, label: 'one' }]);
  assert.deepEqual(loadBookmarks('y'), [{ index: 1, label: 'one' }], 'a bad store is replaced on the next save');
});
