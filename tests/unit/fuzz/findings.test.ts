// The smallest inputs the fuzz properties failed on (each shrunk by fast-check), kept as plain tests
// so that each fix stays fixed whatever seed the fuzz suite runs with.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseIso } from '../../../core/db/timestamps';
import type { EntityTableRole } from '../../../core/db/types';
import { fromJsonValue, toJsonValue } from '../../../core/engine/taggedValues';
import { instantOf } from '../../../core/firestore/instants';
import { createEntityMapping, plainValuesSdk } from '../../../core/firestore/mapping';

const usersRole: EntityTableRole = {
  table: 'users',
  collection: 'users',
  entityTypes: ['users'],
  columns: { localId: 'id', externalId: 'odid', createdAt: 'createdAt', updatedAt: 'updatedAt', isSynced: 'isSynced', isDeleted: 'isDeleted', version: 'version' },
  timestampEncodings: { createdAt: 'epoch-millis', updatedAt: 'iso8601' },
  jsonColumns: [],
};

describe('what the fuzz suite found', () => {
  test('an ISO time in the years 0-99 is that year, not 1900-1999', () => {
    assert.equal(new Date(parseIso('0099-12-31T23:59:59Z') ?? Number.NaN).toISOString(), '0099-12-31T23:59:59.000Z');
    assert.equal(new Date(parseIso('0001-01-01T00:00:00Z') ?? Number.NaN).toISOString(), '0001-01-01T00:00:00.000Z');
  });

  test('an epoch value past what a Firestore Timestamp holds is sent as the number it is, not as a Timestamp the SDK refuses', () => {
    const mapping = createEntityMapping(usersRole, ['id', 'odid', 'createdAt', 'updatedAt', 'isSynced', 'isDeleted', 'version'], plainValuesSdk);
    const document = mapping.rowToDocument({ id: 1, odid: 'u1', createdAt: -62135596800001n, updatedAt: '+275760-09-13T00:00:00Z', isSynced: 0, isDeleted: 0, version: 1 });
    assert.equal(document.createdAt, -62135596800001);
    assert.equal(instantOf(253402300800000, 'epoch-millis'), null, 'year 10000');
    assert.deepEqual(instantOf(253402300799999, 'epoch-millis'), { seconds: 253402300799, nanos: 999_000_000 });
  });

  test('a field named __proto__ is encoded as a field, not as the prototype', () => {
    const row = JSON.parse('{"__proto__": {"$number": "NaN"}, "name": "x"}') as Record<string, unknown>;
    const encoded = toJsonValue(row);
    assert.equal(JSON.stringify(encoded), '{"__proto__":{"$map":{"$number":"NaN"}},"name":"x"}');
    assert.equal(Object.getPrototypeOf(encoded), Object.prototype);
  });

  test('a timestamp-like value no Timestamp can be stays a map instead of a RangeError', () => {
    const huge = new plainValuesSdk.Timestamp(1e15, 0);
    assert.deepEqual(toJsonValue({ at: huge }), { at: { seconds: 1e15, nanoseconds: 0 } });
    assert.deepEqual(toJsonValue(fromJsonValue(toJsonValue({ at: huge }), plainValuesSdk, '$')), { at: { seconds: 1e15, nanoseconds: 0 } });
  });
});
