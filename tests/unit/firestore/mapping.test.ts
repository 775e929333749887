// The instant arithmetic behind the document mapping, and the mapping with the SDK-free value
// classes; the round trips through the emulator live in tests/firestore/mapping.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bytes, Timestamp } from 'firebase/firestore/lite';
import type { EntityTableRole } from '../../../core/db/types';
import { instantOf, instantToColumnValue, instantToIso, isoToInstant } from '../../../core/firestore/instants';
import { camelCaseField, createEntityMapping, documentsEqual, millisOf, plainValuesSdk } from '../../../core/firestore/mapping';

test('every encoding converts to an exact instant and back', () => {
  const instant = { seconds: 1772438400, nanos: 123_456_000 };
  assert.deepEqual(instantOf(1772438400123456, 'epoch-micros'), instant);
  assert.deepEqual(instantOf('1772438400123456', 'epoch-micros'), instant);
  assert.deepEqual(instantOf(1772438400123456n, 'epoch-micros'), instant);
  assert.deepEqual(instantOf('2026-03-02T08:00:00.123456Z', 'iso8601'), instant);
  assert.deepEqual(instantOf('2026-03-02T08:00:00.123456Z', 'epoch-millis'), instant, 'payloads carry ISO text for integer columns');
  assert.deepEqual(instantOf(1772438400123, 'epoch-millis'), { seconds: 1772438400, nanos: 123_000_000 });
  assert.deepEqual(instantOf(1772438400, 'epoch-seconds'), { seconds: 1772438400, nanos: 0 });
  assert.deepEqual(instantOf(1772438400.5, 'epoch-seconds'), { seconds: 1772438400, nanos: 500_000_000 });
  assert.equal(instantToColumnValue(instant, 'epoch-micros'), 1772438400123456);
  assert.equal(instantToColumnValue(instant, 'epoch-millis'), 1772438400123);
  assert.equal(instantToColumnValue(instant, 'epoch-seconds'), 1772438400);
  assert.equal(instantToColumnValue(instant, 'iso8601'), '2026-03-02T08:00:00.123456Z');
});

test('instants before 1970 round down, not toward zero', () => {
  const instant = instantOf(-1_500_000, 'epoch-micros');
  assert.deepEqual(instant, { seconds: -2, nanos: 500_000_000 });
  assert.equal(instantToColumnValue(instant!, 'epoch-micros'), -1_500_000);
  assert.equal(instantToColumnValue(instant!, 'epoch-millis'), -1500);
  assert.equal(instantToIso(instant!), '1969-12-31T23:59:58.500Z');
});

test('ISO text in the forms apps write', () => {
  assert.deepEqual(isoToInstant('2026-03-02 08:00:00'), { seconds: 1772438400, nanos: 0 });
  assert.deepEqual(isoToInstant('2026-03-02T09:00:00.5+01:00'), { seconds: 1772438400, nanos: 500_000_000 });
  assert.deepEqual(isoToInstant('2026-03-02T08:00:00.123456789Z'), { seconds: 1772438400, nanos: 123_456_789 });
  assert.equal(isoToInstant('yesterday'), null);
  assert.equal(instantToIso({ seconds: 1772438400, nanos: 0 }), '2026-03-02T08:00:00.000Z');
  assert.equal(millisOf('2026-03-02T08:00:00.123456Z'), 1772438400123);
});

test('documentsEqual compares instants to the microsecond and ignores deletedAt', () => {
  const date = new Date('2026-03-02T08:00:00.123Z');
  assert.ok(documentsEqual({ at: date, n: 1 }, { at: { seconds: 1772438400, nanoseconds: 123_000_000 }, n: 1 }));
  assert.ok(!documentsEqual({ at: { seconds: 1772438400, nanoseconds: 123_001_000 } }, { at: date }));
  assert.ok(documentsEqual({ a: { b: [1, { c: null }] }, deletedAt: 5 }, { a: { b: [1, { c: null }] } }));
  assert.ok(!documentsEqual({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!documentsEqual({ n: 1 }, { n: '1' }));
  assert.ok(!documentsEqual({ flag: true }, { flag: 1 }));
});

test('snake_case columns become camelCase fields', () => {
  assert.equal(camelCaseField('display_name'), 'displayName');
  assert.equal(camelCaseField('home_address_line_2'), 'homeAddressLine2');
  assert.equal(camelCaseField('displayName'), 'displayName');
  assert.equal(camelCaseField('_private'), '_private');
});

test('plainValuesSdk does the Timestamp and Bytes arithmetic as the Firebase SDK does', () => {
  for (const millis of [0, 1772438400123, -1500, 1772438400123.456]) {
    const plain = plainValuesSdk.Timestamp.fromMillis(millis);
    const real = Timestamp.fromMillis(millis);
    assert.deepEqual([plain.seconds, plain.nanoseconds, plain.toMillis(), plain.toDate().getTime()], [real.seconds, real.nanoseconds, real.toMillis(), real.toDate().getTime()], `${millis}`);
  }
  const bytes = Uint8Array.from([0, 1, 254, 255]);
  const plain = plainValuesSdk.Bytes.fromUint8Array(bytes);
  bytes[0] = 9;
  assert.deepEqual([...plain.toUint8Array()], [0, 1, 254, 255], 'a copy, as the SDK keeps');
  assert.equal(plain.toBase64(), Bytes.fromUint8Array(Uint8Array.from([0, 1, 254, 255])).toBase64());
});

test('the mapping with plainValuesSdk: the engine\'s field names, exact instants, flags, JSON and bytes', () => {
  const role: EntityTableRole = {
    table: 'user_profiles',
    collection: 'users',
    entityTypes: ['users'],
    columns: { localId: 'id', externalId: 'odid', updatedAt: 'updated_at', createdAt: null, version: 'version', isDeleted: 'is_deleted', isSynced: 'is_synced' },
    timestampEncodings: { updated_at: 'epoch-micros' },
    jsonColumns: ['address'],
  };
  const mapping = createEntityMapping(role, ['id', 'odid', 'display_name', 'avatar', 'address', 'updated_at', 'version', 'is_deleted', 'is_synced'], plainValuesSdk);
  const row = { id: 7, odid: 'u1', display_name: 'Ada', avatar: Uint8Array.from([1, 2]), address: '{"city":"Oslo"}', updated_at: 1772438400123456, version: 3n, is_deleted: 0, is_synced: 1 };
  const document = mapping.rowToDocument(row);
  assert.deepEqual(Object.keys(document).sort(), ['address', 'avatar', 'displayName', 'isDeleted', 'updatedAt', 'version']);
  const updatedAt = document.updatedAt as InstanceType<typeof plainValuesSdk.Timestamp>;
  assert.deepEqual([updatedAt.seconds, updatedAt.nanoseconds], [1772438400, 123_456_000]);
  assert.deepEqual([document.displayName, document.address, document.version, document.isDeleted], ['Ada', { city: 'Oslo' }, 3, false]);
  const payload = mapping.payloadToDocument({ odid: 'u1', displayName: 'Ada', updatedAt: '2026-03-02T08:00:00.123456Z', version: 3, isDeleted: false, extra: 'kept' });
  assert.ok(documentsEqual(payload, { ...document, avatar: undefined, address: undefined, extra: 'kept' }), 'payload and row meet in the same document');
  const back = mapping.documentToRow('u1', document);
  assert.deepEqual(back, { odid: 'u1', display_name: 'Ada', avatar: Uint8Array.from([1, 2]), address: '{"city":"Oslo"}', updated_at: 1772438400123456, version: 3, is_deleted: 0 });
});
