import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanRanges, type IdRange } from '../../../core/engine/remoteReads';

const inRange = (id: string, range: IdRange): boolean =>
  (range.from === null || id >= range.from) && (range.before === null || id < range.before);

describe('scanRanges', () => {
  test('splits the wanted ids into about equal shares, covering the whole id space', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `user${String(i).padStart(6, '0')}`);
    const ranges = scanRanges(ids, 4);
    assert.equal(ranges.length, 4);
    assert.equal(ranges[0]!.from, null);
    assert.equal(ranges.at(-1)!.before, null);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]!.from, ranges[i - 1]!.before, 'ranges are contiguous');
    const shares = ranges.map((range) => ids.filter((id) => inRange(id, range)).length);
    assert.deepEqual(shares, [250, 250, 250, 250]);
    // Ids nobody asked for, before the first and after the last wanted one, still fall in a range.
    for (const id of ['a', 'user', 'zzz', '']) assert.equal(ranges.filter((range) => inRange(id, range)).length, 1, id);
  });

  test('fewer ids than parts, duplicates, and one id give one range per distinct id at most', () => {
    assert.deepEqual(scanRanges(['b', 'a', 'b'], 4), [
      { from: null, before: 'b' },
      { from: 'b', before: null },
    ]);
    assert.deepEqual(scanRanges(['only'], 4), [{ from: null, before: null }]);
    assert.deepEqual(scanRanges([], 4), [{ from: null, before: null }]);
  });

  test('orders by code point, as Firestore orders ids by UTF-8 bytes', () => {
    // U+FF5E sorts before U+1F600 in code points, after it in UTF-16 units.
    const ranges = scanRanges(['\u{1F600}', '\uFF5E'], 2);
    assert.deepEqual(ranges, [
      { from: null, before: '\u{1F600}' },
      { from: '\u{1F600}', before: null },
    ]);
  });
});
