import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  detectTimestampEncoding,
  formatRelative,
  formatTimestamp,
  formatTimestampUtc,
  hasTimestampName,
  millisToTimestamp,
  parseIso,
  timestampToMillis,
} from '../../../core/db/timestamps';
import type { TimestampEncoding } from '../../../core/db/types';

const moment = Date.UTC(2024, 2, 1, 14, 5, 9, 250);

describe('detectTimestampEncoding', () => {
  test('each encoding from its values', () => {
    assert.equal(detectTimestampEncoding(['2024-03-01T14:05:09.250Z', '2023-12-31 23:59:59', '2024-01-01']), 'iso8601');
    assert.equal(detectTimestampEncoding(['2024-03-01T14:05:09+02:00', null]), 'iso8601');
    assert.equal(detectTimestampEncoding([1709301909, 1609459200, null]), 'epoch-seconds');
    assert.equal(detectTimestampEncoding([1709301909.25]), 'epoch-seconds');
    assert.equal(detectTimestampEncoding([1709301909250, 1609459200000]), 'epoch-millis');
    assert.equal(detectTimestampEncoding([1709301909250000, 1609459200000000]), 'epoch-micros');
    assert.equal(detectTimestampEncoding([1709301909250000n]), 'epoch-micros');
  });

  test('nothing when values are mixed, implausible, absent or not times', () => {
    assert.equal(detectTimestampEncoding([]), null);
    assert.equal(detectTimestampEncoding([null, null]), null);
    assert.equal(detectTimestampEncoding([1709301909, 1709301909250]), null, 'seconds mixed with millis');
    assert.equal(detectTimestampEncoding([0, 1, 42]), null);
    assert.equal(detectTimestampEncoding([4102444800]), null, '2100-01-01 is past the plausible range');
    assert.equal(detectTimestampEncoding([631151999]), null, 'before 1990');
    assert.equal(detectTimestampEncoding(['hello', '2024-03-01']), null);
    assert.equal(detectTimestampEncoding(['2024-13-01']), null);
    assert.equal(detectTimestampEncoding(['1709301909']), null, 'digits as text are not ISO');
    assert.equal(detectTimestampEncoding([new Uint8Array([1, 2])]), null);
    assert.equal(detectTimestampEncoding(['2024-03-01', 1709301909]), null);
  });

  test('a name can rule numbers out but never make them a timestamp', () => {
    assert.equal(detectTimestampEncoding([1709301909], 'userId'), null);
    assert.equal(detectTimestampEncoding([1709301909], 'retry_count'), null);
    assert.equal(detectTimestampEncoding([1709301909], 'version'), null);
    assert.equal(detectTimestampEncoding([1709301909], 'updated_at'), 'epoch-seconds');
    assert.equal(detectTimestampEncoding([42], 'createdAt'), null);
    assert.equal(detectTimestampEncoding(['2024-03-01'], 'birthday'), 'iso8601');
  });

  test('timestamp-like names', () => {
    for (const name of ['createdAt', 'updated_at', 'lastAttempt', 'birthDate', 'sync_time', 'timestamp', 'modified']) assert.ok(hasTimestampName(name), name);
    for (const name of ['format', 'lat', 'description', 'version', 'data', 'name', 'status']) assert.ok(!hasTimestampName(name), name);
  });
});

describe('conversions', () => {
  const cases: Array<[TimestampEncoding, string | number]> = [
    ['iso8601', '2024-03-01T14:05:09.250Z'],
    ['epoch-seconds', 1709301909],
    ['epoch-millis', 1709301909250],
    ['epoch-micros', 1709301909250000],
  ];

  test('to and from milliseconds in every encoding', () => {
    for (const [encoding, stored] of cases) {
      const expected = encoding === 'epoch-seconds' ? moment - 250 : moment;
      assert.equal(timestampToMillis(stored, encoding), expected, encoding);
      assert.equal(millisToTimestamp(expected, encoding), stored, encoding);
    }
    assert.equal(timestampToMillis('1709301909', 'epoch-seconds'), moment - 250);
    assert.equal(timestampToMillis(1709301909250000n, 'epoch-micros'), moment);
  });

  test('ISO text without a zone is UTC; offsets are applied', () => {
    assert.equal(parseIso('2024-03-01 14:05:09.25'), moment);
    assert.equal(parseIso('2024-03-01T16:05:09.250+02:00'), moment);
    assert.equal(parseIso('2024-03-01T09:05:09.250-0500'), moment);
    assert.equal(parseIso('2024-03-01'), Date.UTC(2024, 2, 1));
    assert.equal(parseIso('2024-03-01T14:05:09.250123Z'), moment);
    assert.equal(parseIso('March 1st'), null);
  });

  test('values not in the encoding give null', () => {
    assert.equal(timestampToMillis(null, 'epoch-millis'), null);
    assert.equal(timestampToMillis('soon', 'epoch-millis'), null);
    assert.equal(timestampToMillis('', 'epoch-seconds'), null);
    assert.equal(timestampToMillis(1709301909, 'iso8601'), null);
    assert.equal(timestampToMillis(new Uint8Array([1]), 'epoch-seconds'), null);
  });
});

describe('formatting', () => {
  test('UTC, ISO-like, with a relative part', () => {
    assert.equal(formatTimestampUtc(moment), '2024-03-01 14:05:09.250 UTC');
    assert.equal(formatTimestampUtc(moment - 250), '2024-03-01 14:05:09 UTC');
    assert.equal(formatTimestamp(moment - 250, moment - 250 + 3 * 60_000), '2024-03-01 14:05:09 UTC (3 minutes ago)');
    assert.equal(formatRelative(moment + 2 * 3_600_000 + 5, moment), 'in 2 hours');
    assert.equal(formatRelative(moment - 86_400_000, moment), '1 day ago');
    assert.equal(formatRelative(moment + 1000, moment), 'just now');
    assert.equal(formatTimestamp(Number.NaN), 'invalid date');
  });
});
