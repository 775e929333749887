// Tagged JSON back to document values (merge values typed in the Conflicts panel or a CLI merge
// file), and tagged values as text for people (the webviews), with the real firestore/lite classes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Bytes, Timestamp } from 'firebase/firestore/lite';
import { mergeValue } from '../../../core/engine/mergeValues';
import { fromJsonValue, toJsonValue, TaggedValueError } from '../../../core/engine/taggedValues';
import type { MappingSdk } from '../../../core/firestore/mapping';
import { taggedValueText, type JsonValue } from '../../../core/protocol/taggedValues';

const sdk: MappingSdk = { Timestamp, Bytes };

describe('fromJsonValue', () => {
  test('every tag the encoder writes for a writable value comes back as the same value', () => {
    const values: unknown[] = [new Timestamp(1_795_518_000, 123_456_000), Bytes.fromUint8Array(new Uint8Array([0, 255, 16])), Number.NaN, Number.NEGATIVE_INFINITY, 'text', 3, true, null, [1, 'a'], { nested: { at: Timestamp.fromMillis(5) } }, { $timestamp: 'a map, not a tag' }];
    for (const value of values) {
      const json = toJsonValue(value);
      assert.deepEqual(toJsonValue(fromJsonValue(json, sdk, 'field')), json, JSON.stringify(json));
    }
    assert.ok(fromJsonValue({ $timestamp: '2026-11-24T11:00:00.123456Z' }, sdk, 'at') instanceof Timestamp);
    assert.ok(fromJsonValue({ $bytes: 'AP8Q' }, sdk, 'b') instanceof Bytes);
  });

  test('a string that looks like a tag stays a string; a malformed tag is an error naming the field', () => {
    assert.equal(fromJsonValue('bytes:AP8Q', sdk, 'note'), 'bytes:AP8Q');
    for (const [value, message] of [
      [{ $timestamp: 'yesterday' }, /^when: \$timestamp holds ISO-8601/],
      [{ $bytes: 'not base64!' }, /^when: \$bytes holds base64/],
      [{ $number: 'Zero' }, /^when: \$number is/],
      [{ $geopoint: { latitude: 1, longitude: 2 } }, /^when: \$geopoint values cannot be written back/],
    ] as const) {
      assert.throws(() => fromJsonValue(value as JsonValue, sdk, 'when'), (error: unknown) => error instanceof TaggedValueError && error.code === 'invalid-value' && message.test(error.message));
    }
    assert.throws(() => fromJsonValue([{ $bytes: '!' }], sdk, 'list'), /list\[0\]: \$bytes holds base64/);
  });
});

describe('mergeValue', () => {
  test('ISO text for a field that holds a time on the other side becomes a Timestamp; elsewhere it stays text', () => {
    const remoteTime = Timestamp.fromMillis(0);
    const merged = mergeValue('2026-11-24T11:00:00.123456Z', remoteTime, sdk, 'updatedAt');
    assert.ok(merged instanceof Timestamp);
    assert.equal((merged as Timestamp).nanoseconds, 123_456_000, 'microseconds kept');
    assert.equal(mergeValue('2026-11-24T11:00:00Z', 'a name', sdk, 'name'), '2026-11-24T11:00:00Z');
    assert.equal(mergeValue('not a time', remoteTime, sdk, 'updatedAt'), 'not a time');
  });

  test('tagged values are decoded; values that are not JSON (SDK values, Dates) are written as they are', () => {
    assert.ok(mergeValue({ $timestamp: '2026-11-24T11:00:00.000Z' }, 'text', sdk, 'at') instanceof Timestamp);
    const date = new Date(0);
    assert.equal(mergeValue(date, Timestamp.fromMillis(1), sdk, 'at'), date);
  });
});

describe('taggedValueText', () => {
  test('tags read as what they are, never as a JSON string', () => {
    assert.equal(taggedValueText({ $timestamp: '2026-11-24T11:00:00.000Z' }), 'Timestamp(2026-11-24T11:00:00.000Z)');
    assert.equal(taggedValueText('2026-11-24T11:00:00.000Z'), '"2026-11-24T11:00:00.000Z"');
    assert.equal(taggedValueText({ $bytes: 'AP8Q' }), 'Bytes(AP8Q)');
    assert.equal(taggedValueText('bytes:AP8Q'), '"bytes:AP8Q"');
    assert.equal(taggedValueText({ $geopoint: { latitude: 48.85, longitude: 2.35 } }), 'GeoPoint(48.85, 2.35)');
    assert.equal(taggedValueText({ $map: { $timestamp: 'x' } }), '{"$timestamp":"x"}');
    assert.equal(taggedValueText(undefined), '');
  });

  test('indented like JSON.stringify for plain JSON', () => {
    const value: JsonValue = { a: [1, { b: null }], c: {}, d: [], e: 'x' };
    assert.equal(taggedValueText(value, 2), JSON.stringify(value, null, 2));
    assert.equal(taggedValueText(value), JSON.stringify(value));
    assert.equal(taggedValueText({ at: { $timestamp: '1970-01-01T00:00:00.000Z' } }, 2), '{\n  "at": Timestamp(1970-01-01T00:00:00.000Z)\n}');
  });
});
