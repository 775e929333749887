// Values JSON cannot hold, as `--json` writes them (core/engine/taggedValues.ts), made with the real
// firebase/firestore/lite value classes, and checked against the schema's documentValue.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { deleteApp, initializeApp } from 'firebase/app';
import { Bytes, GeoPoint, Timestamp, doc, getFirestore, vector } from 'firebase/firestore/lite';
import { toJsonObject, toJsonValue } from '../../../core/engine/taggedValues';
import { writeJson } from '../../../core/cli/output';
import { isValid, schemaErrors, validatorFor } from './cliSchema';

function assertDocumentValue(value: unknown): void {
  const validate = validatorFor('documentValue');
  assert.ok(validate(value), `${JSON.stringify(value)} is a documentValue:\n${schemaErrors(validate)}`);
}

describe('document values in --json', () => {
  // No request is ever sent: doc() only needs an instance to build a reference.
  const app = initializeApp({ projectId: 'demo-json-values', apiKey: 'unused' }, 'json-values');
  after(() => deleteApp(app));

  const cases: [string, unknown, unknown][] = [
    ['a Timestamp keeps microseconds', new Timestamp(1_795_518_000, 123_456_000), { $timestamp: '2026-11-24T11:00:00.123456Z' }],
    ['a Timestamp with whole milliseconds', Timestamp.fromMillis(Date.UTC(2026, 10, 24, 11, 0, 0, 5)), { $timestamp: '2026-11-24T11:00:00.005Z' }],
    ['a Date', new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)), { $timestamp: '1969-12-31T23:59:59.999Z' }],
    ['Bytes', Bytes.fromUint8Array(new Uint8Array([0, 255, 16])), { $bytes: 'AP8Q' }],
    ['a SQLite BLOB (Uint8Array view into a larger buffer)', new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4), { $bytes: 'AQID' }],
    ['a GeoPoint', new GeoPoint(48.85, 2.35), { $geopoint: { latitude: 48.85, longitude: 2.35 } }],
    ['a VectorValue', vector([1, 0.5]), { $vector: [1, 0.5] }],
    ['NaN', Number.NaN, { $number: 'NaN' }],
    ['-Infinity', Number.NEGATIVE_INFINITY, { $number: '-Infinity' }],
    ['-0', -0, 0],
    ['a safe bigint', 42n, 42],
    ['a bigint beyond 2^53', 2n ** 63n - 1n, { $integer: '9223372036854775807' }],
    ['a JS Map', new Map<unknown, unknown>([['a', 1], [2, new Date(0)]]), { a: 1, 2: { $timestamp: '1970-01-01T00:00:00.000Z' } }],
    ['undefined fields are left out, undefined items become null', { a: undefined, b: [undefined, 1] }, { b: [null, 1] }],
    ['a map that reads as a tag stays a map', { $timestamp: 'not a timestamp' }, { $map: { $timestamp: 'not a timestamp' } }],
    ['nested values', { when: [Timestamp.fromMillis(0)], plain: { x: 'y' } }, { when: [{ $timestamp: '1970-01-01T00:00:00.000Z' }], plain: { x: 'y' } }],
  ];
  for (const [name, value, expected] of cases) {
    test(name, () => {
      const converted = toJsonValue(value);
      assert.deepEqual(converted, expected);
      assertDocumentValue(converted);
      assert.deepEqual(JSON.parse(JSON.stringify(converted)), converted, 'survives a JSON round trip unchanged');
    });
  }

  test('a DocumentReference is its path', () => {
    const reference = doc(getFirestore(app), 'users/abc');
    assert.deepEqual(toJsonValue(reference), { $reference: 'users/abc' });
    assertDocumentValue({ $reference: 'users/abc' });
  });

  test('a document keeps a top-level field named like a tag as it is', () => {
    assert.deepEqual(toJsonObject({ $bytes: 'x', n: Number.POSITIVE_INFINITY }), { $bytes: 'x', n: { $number: 'Infinity' } });
  });

  test('the schema refuses a malformed tag instead of reading it as a map', () => {
    assert.equal(isValid('documentValue', { $timestamp: 5 }), false);
    assert.equal(isValid('documentValue', { $timestamp: '2026-11-24 11:00' }), false);
    assert.equal(isValid('documentValue', { $bytes: 'not base64!' }), false);
    assert.equal(isValid('documentValue', { $number: 'Zero' }), false);
    assert.equal(isValid('documentValue', { $geopoint: { latitude: 1 } }), false);
    assert.equal(isValid('documentValue', { $timestamp: '2026-11-24T11:00:00.000Z', extra: 1 }), true, 'two keys: a plain map');
  });
});

describe('writeJson', () => {
  const capture = (value: unknown): string => {
    const out: string[] = [];
    writeJson(value, { stdout: (text) => out.push(text), stderr: () => undefined });
    return out.join('');
  };

  test('writes plain JSON, indented, one trailing newline', () => {
    assert.equal(capture({ a: [1, null, 'x'] }), '{\n  "a": [\n    1,\n    null,\n    "x"\n  ]\n}\n');
  });

  for (const [name, value] of [
    ['a Date', { at: new Date(0) }],
    ['NaN', { n: Number.NaN }],
    ['a Map', { m: new Map() }],
    ['a Uint8Array', { b: new Uint8Array(1) }],
    ['an SDK Timestamp', { t: Timestamp.fromMillis(0) }],
    ['undefined', { u: undefined }],
    ['a bigint', [1n]],
  ] as const) {
    test(`refuses ${name} rather than print something else`, () => {
      assert.throws(() => capture(value), /non-JSON value .* at \$/);
    });
  }
});
