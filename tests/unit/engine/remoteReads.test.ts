// How the engine's bulk read cuts a collection's wanted ids into scans (core/engine/remoteReads.ts):
// runs of about equal length, in Firestore's order of ids (their UTF-8 bytes, which is code point
// order, not UTF-16's). The scans themselves run against the emulator in tests/firestore/engine/restReads.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareCodePoints, idGroups } from '../../../core/engine/remoteReads';

describe('idGroups', () => {
  test('cuts sorted ids into about equal runs, in order, each id once', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `user${String(i).padStart(6, '0')}`);
    const groups = idGroups(ids, 4);
    assert.deepEqual(groups.map((group) => group.length), [250, 250, 250, 251]);
    assert.deepEqual(groups.flat(), ids);
  });

  test('fewer ids than parts, one id, none', () => {
    assert.deepEqual(idGroups(['a', 'b'], 4), [['a'], ['b']]);
    assert.deepEqual(idGroups(['only'], 4), [['only']]);
    assert.deepEqual(idGroups([], 4), []);
  });
});

describe('compareCodePoints', () => {
  test('orders by code point, as Firestore orders ids by UTF-8 bytes', () => {
    // U+FF5E sorts before U+1F600 in code points, after it in UTF-16 units.
    assert.deepEqual(['\u{1F600}', '\uFF5E', 'z', 'a', 'ab', ''].sort(compareCodePoints), ['', 'a', 'ab', 'z', '\uFF5E', '\u{1F600}']);
    assert.ok(compareCodePoints('\uFF5E', '\u{1F600}') < 0);
    assert.equal(compareCodePoints('same', 'same'), 0);
  });
});
