// Answers the emulator never sends, read by core/firestore/restValues.ts: the sentinels Lite reads as
// something else (a pending server time, a vector), the number and timestamp spellings proto3 JSON
// allows, a field named __proto__, and malformed values, which fail naming the document and field.
// What the emulator does send is compared with Lite's own reads in tests/firestore/engine/restReads.test.ts.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { deleteApp, initializeApp } from 'firebase/app';
import * as sdk from 'firebase/firestore/lite';
import { isCodedError } from '../../../core/errors';
import { RestValueReader, type RestAnswerValue } from '../../../core/firestore/restValues';

const app = initializeApp({ projectId: 'demo-rest-values', apiKey: 'unused' }, 'rest-values-test');
const db = sdk.getFirestore(app);
const reader = new RestValueReader(sdk, db);
after(() => deleteApp(app));

const read = (fields: Record<string, RestAnswerValue>): Record<string, unknown> => reader.documentData(fields, 'posts/p1');

describe('RestValueReader: what a server may send', () => {
  test('numbers in every proto3 JSON spelling, as Lite normalises them', () => {
    const data = read({
      int: { integerValue: '-42' },
      intAsNumber: { integerValue: 7 },
      unsafe: { integerValue: '9007199254740993' },
      nan: { doubleValue: 'NaN' },
      inf: { doubleValue: 'Infinity' },
      negInf: { doubleValue: '-Infinity' },
      negativeZero: { doubleValue: -0 },
      zero: { doubleValue: 0 },
    });
    assert.deepEqual(data, { int: -42, intAsNumber: 7, unsafe: 9007199254740992, nan: NaN, inf: Infinity, negInf: -Infinity, negativeZero: -0, zero: 0 });
    assert.ok(Object.is(data['negativeZero'], -0));
  });

  test('timestamps with 0 to 9 fraction digits keep their nanoseconds; before 1970 too', () => {
    const at = (text: string) => read({ t: { timestampValue: text } })['t'] as sdk.Timestamp;
    assert.ok(at('2026-11-20T09:00:00Z').isEqual(new sdk.Timestamp(1_795_165_200, 0)));
    assert.ok(at('2026-11-20T09:00:00.5Z').isEqual(new sdk.Timestamp(1_795_165_200, 500_000_000)));
    assert.ok(at('2026-11-20T09:00:00.123456Z').isEqual(new sdk.Timestamp(1_795_165_200, 123_456_000)));
    assert.ok(at('2026-11-20T09:00:00.123456789Z').isEqual(new sdk.Timestamp(1_795_165_200, 123_456_789)));
    assert.ok(at('1969-12-31T23:59:59.250Z').isEqual(new sdk.Timestamp(-1, 250_000_000)));
    assert.ok(at('2026-11-20T09:00:00Z') instanceof sdk.Timestamp);
  });

  test('a pending server time reads as null and a vector as a VectorValue, as Lite reads them', () => {
    const data = read({
      pending: { mapValue: { fields: { __type__: { stringValue: 'server_timestamp' }, __local_write_time__: { timestampValue: '2026-11-20T09:00:00Z' } } } },
      embedding: { mapValue: { fields: { __type__: { stringValue: '__vector__' }, value: { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: -1 }] } } } } },
      typed: { mapValue: { fields: { __type__: { stringValue: 'something else' } } } },
    });
    assert.equal(data['pending'], null);
    assert.ok(data['embedding'] instanceof sdk.VectorValue);
    assert.deepEqual((data['embedding'] as sdk.VectorValue).toArray(), [0.5, -1]);
    assert.deepEqual(data['typed'], { __type__: 'something else' });
  });

  test('empty containers, a bare geo point and null in both spellings', () => {
    const data = read({
      list: { arrayValue: {} },
      map: { mapValue: {} },
      point: { geoPointValue: {} },
      named: { nullValue: 'NULL_VALUE' },
      bare: { nullValue: null },
      ref: { referenceValue: 'projects/demo-rest-values/databases/(default)/documents/users/u1/notes/n1' },
    });
    assert.deepEqual(data['list'], []);
    assert.deepEqual(data['map'], {});
    assert.ok((data['point'] as sdk.GeoPoint).isEqual(new sdk.GeoPoint(0, 0)));
    assert.equal(data['named'], null);
    assert.equal(data['bare'], null);
    assert.ok(sdk.refEqual(data['ref'] as sdk.DocumentReference, sdk.doc(db, 'users/u1/notes/n1')));
  });

  test('a field named __proto__ is an own data property, not the prototype', () => {
    const fields = JSON.parse('{"__proto__": {"mapValue": {"fields": {"polluted": {"booleanValue": true}}}}, "plain": {"integerValue": "1"}}') as Record<string, RestAnswerValue>;
    const data = read(fields);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, { polluted: true });
    assert.deepEqual(Object.keys(data), ['__proto__', 'plain']);
    assert.equal((data as { polluted?: unknown }).polluted, undefined);
  });

  test('a malformed value fails as data-loss, naming the document and the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ a: { mapValue: { fields: { b: { arrayValue: { values: [{ futureValue: 1 }] } } } } } }, /posts\/p1 .*no type Firestore has in field a\.b$/],
      [{ when: { timestampValue: 'yesterday' } }, /posts\/p1 with a timestamp that is not RFC 3339 UTC \(yesterday\) in field when$/],
      [{ when: { timestampValue: '2026-11-20T09:00:00+01:00' } }, /not RFC 3339 UTC/],
      [{ owner: { referenceValue: 'users/u1' } }, /a reference that is not a document name \(users\/u1\) in field owner$/],
      [{ odd: 'text' }, /a value that is not an object in field odd$/],
      [{ empty: null }, /a value that is not an object in field empty$/],
    ];
    for (const [fields, message] of cases) {
      assert.throws(() => read(fields as Record<string, RestAnswerValue>), (error: unknown) => isCodedError(error, 'data-loss') && message.test((error as Error).message), JSON.stringify(fields));
    }
  });
});
