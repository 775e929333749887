// The engine's bulk reads (core/engine/remoteReads.ts: REST queries, read by core/firestore/restValues.ts)
// against the real emulator, beside Firestore Lite's own getDoc: every document reads back as the
// same values, class for class (hand-picked cases, then a fast-check property over random documents
// Lite wrote), through a scan of the collection and through `in` queries alike; missing and
// impossible documents are null; security rules see the same caller; a dead server is
// 'unavailable', which replay's retries wait out.
// Answers the emulator would never send (malformed values, a __proto__ field) are in
// tests/unit/firestore/restValues.test.ts.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe } from 'node:test';
import fc from 'fast-check';
import { createFirestoreRemote, type DocumentReference } from '../../../core/engine/remoteStore';
import { connectFirestore, type FirestoreConnection } from '../../../core/firestore/client';
import { firestoreTest, loadSecurityRules } from '../helpers/emulator';

type Sdk = FirestoreConnection['sdk'];

/**
 * Asserts `actual` is `expected` class for class: the same SDK class (Timestamp, Bytes, GeoPoint,
 * DocumentReference, VectorValue) with equal contents, numbers by Object.is (-0, NaN), plain objects
 * with the same own keys. deepEqual alone would let a Timestamp pass for a plain {seconds, nanoseconds}.
 */
function assertSameValue(sdk: Sdk, actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'number') {
    assert.ok(Object.is(actual, expected), `${at}: ${String(actual)} is not ${String(expected)}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    assert.equal(actual, expected, at);
    return;
  }
  for (const Class of [sdk.Timestamp, sdk.Bytes, sdk.GeoPoint, sdk.VectorValue] as const) {
    if (expected instanceof Class) {
      assert.ok(actual instanceof Class, `${at}: not a ${Class.name}`);
      assert.ok((actual as { isEqual(other: unknown): boolean }).isEqual(expected), `${at}: ${String(actual)} is not ${String(expected)}`);
      return;
    }
  }
  if (expected instanceof sdk.DocumentReference) {
    assert.ok(actual instanceof sdk.DocumentReference, `${at}: not a DocumentReference`);
    assert.ok(sdk.refEqual(actual, expected), `${at}: ${actual.path} is not ${expected.path}`);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), `${at}: array or not`);
  assert.equal(Object.getPrototypeOf(actual), Object.getPrototypeOf(expected), `${at}: prototype`);
  const expectedKeys = Object.keys(expected).sort();
  assert.deepEqual(Object.keys(actual as object).sort(), expectedKeys, `${at}: keys`);
  for (const key of expectedKeys) assertSameValue(sdk, (actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${at}.${key}`);
}

/** What the engine reads for `refs`, and what Lite's getDoc reads for each. */
async function readBothWays(connection: FirestoreConnection, refs: readonly DocumentReference[]) {
  const { sdk, db } = connection;
  const read = await createFirestoreRemote(connection).readDocuments(refs);
  assert.ok(read.ok, read.ok ? '' : read.error);
  const lite = new Map<string, Record<string, unknown> | null>();
  for (const ref of refs) lite.set(`${ref.collection}/${ref.id}`, (await sdk.getDoc(sdk.doc(db, ref.collection, ref.id))).data() ?? null);
  return { engine: read.value.documents, lite, requests: read.value.requests };
}

function assertSameDocuments(sdk: Sdk, both: Awaited<ReturnType<typeof readBothWays>>): void {
  assert.deepEqual([...both.engine.keys()].sort(), [...both.lite.keys()].sort());
  for (const [key, expected] of both.lite) {
    const actual = both.engine.get(key);
    if (expected === null) assert.equal(actual, null, `${key} is missing`);
    else assertSameValue(sdk, actual?.data, expected, key);
  }
}

describe('REST reads against the emulator, beside Lite', () => {
  firestoreTest('every kind of value reads back as Lite reads it', async ({ connection, sdk, db }) => {
    const values = {
      nothing: null,
      yes: true,
      no: false,
      numbers: { zero: 0, negativeZero: -0, nan: NaN, inf: Infinity, negInf: -Infinity, unsafe: 2 ** 53 + 2, half: 0.5, int: -42, big: 1e21 },
      at: new sdk.Timestamp(1_772_438_400, 123_456_789),
      beforeEpoch: new sdk.Timestamp(-1, 500_000_000),
      milliseconds: sdk.Timestamp.fromMillis(Date.UTC(2026, 10, 20, 9, 0, 0, 7)),
      text: 'héllo 😀 \u0000 end',
      empty: '',
      bytes: sdk.Bytes.fromUint8Array(new Uint8Array([0, 1, 254, 255])),
      noBytes: sdk.Bytes.fromUint8Array(new Uint8Array([])),
      owner: sdk.doc(db, 'users', 'u1'),
      nestedRef: sdk.doc(db, 'users/u1/notes', 'n 1'),
      origin: new sdk.GeoPoint(0, 0),
      sydney: new sdk.GeoPoint(-33.8688, 151.2093),
      embedding: sdk.vector([0.5, -1, 0, 3]),
      list: [1, 'two', {}, { deep: [null, { deeper: [] }] }],
      emptyList: [],
      emptyMap: {},
      'dotted.name': { 'with space': 1, '`tick`': 2, 'ünï': 3 },
      written: sdk.serverTimestamp(),
    };
    await sdk.setDoc(sdk.doc(db, 'posts', 'all'), values);
    await sdk.setDoc(sdk.doc(db, 'users/u1/notes', 'n 1'), { body: 'nested' });
    const both = await readBothWays(connection, [
      { collection: 'posts', id: 'all' },
      { collection: 'users/u1/notes', id: 'n 1' },
      { collection: 'posts', id: 'absent' },
    ]);
    assertSameDocuments(sdk, both);
    assert.ok(both.engine.get('posts/all')?.data['written'] instanceof sdk.Timestamp, 'the server time is a Timestamp');
    assert.equal(both.requests, 2, 'an in query for each collection');
  });

  firestoreTest('random documents Lite wrote read back as Lite reads them', async ({ connection, sdk, db }) => {
    const key = fc
      .oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('a', 'b.c', 'x-y', '`', '\\', '10', '😀'))
      .filter((name) => !/^__.*__$/.test(name)); // reserved: Lite refuses to write them
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.double(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64),
      fc.boolean(),
      fc.constant(null),
      fc.record({ seconds: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }), nanos: fc.integer({ min: 0, max: 999_999 }).map((micros) => micros * 1000) })
        .map(({ seconds, nanos }) => new sdk.Timestamp(seconds, nanos)),
      fc.uint8Array({ maxLength: 8 }).map((bytes) => sdk.Bytes.fromUint8Array(bytes)),
      fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }).map(({ latitude, longitude }) => new sdk.GeoPoint(latitude, longitude)),
      fc.stringMatching(/^[a-z]{1,5}$/).map((id) => sdk.doc(db, 'targets', id)),
    );
    const { value } = fc.letrec<{ value: unknown; map: Record<string, unknown> }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), fc.array(fc.oneof(scalar, tie('map')), { maxLength: 4 })),
      map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    }));
    const documents = fc.sample(fc.dictionary(key, value, { maxKeys: 8 }), { numRuns: 120, seed: 20261201 });
    const batch = sdk.writeBatch(db);
    documents.forEach((data, index) => batch.set(sdk.doc(db, 'random', `d${index}`), data));
    await batch.commit();
    const scanned = await readBothWays(connection, documents.map((_, index) => ({ collection: 'random', id: `d${index}` })));
    assertSameDocuments(sdk, scanned);
    assert.equal(scanned.requests, 1, 'one page: the collection holds nothing but the wanted');
    // A few ids: one `in` query, not a scan.
    const few = await readBothWays(connection, [3, 17, 40, 77, 119, 500].map((index) => ({ collection: 'random', id: `d${index}` })));
    assertSameDocuments(sdk, few);
    assert.equal(few.requests, 1, 'one in query');
  });

  firestoreTest('a scan stops where the wanted ids thin out and hands the rest to in queries', async ({ connection, sdk, db }) => {
    const batch = sdk.writeBatch(db);
    for (let index = 0; index < 400; index++) batch.set(sdk.doc(db, 'sparse', `s${String(index).padStart(3, '0')}`), { index });
    await batch.commit();
    // 32 dense ids at the start, then 8 far apart (and one that does not exist).
    const ids = [...Array.from({ length: 32 }, (_, index) => index), 100, 150, 200, 250, 300, 350, 399, 450].map((index) => `s${String(index).padStart(3, '0')}`);
    const both = await readBothWays(connection, ids.map((id) => ({ collection: 'sparse', id })));
    assertSameDocuments(sdk, both);
    assert.equal(both.engine.get('sparse/s450'), null);
    // A first page of 4 documents per wanted id (160: s000-s159, 34 wanted) is too sparse to go on;
    // the 6 ids after it take one in query, and the other 240 documents are never read.
    assert.equal(both.requests, 2);
  });

  firestoreTest('a scan bounds its range in Firestore\'s order of ids (code points), not UTF-16\'s', async ({ connection, sdk, db }) => {
    const prefixes = ['0', 'A', 'a', 'z', '~', 'é', 'ü', '\u4e2d', '\uFF5E', '\u{1F600}', '\u{1F680}'];
    const ids = prefixes.flatMap((prefix) => [0, 1, 2, 3].map((index) => `${prefix}${index}`));
    const batch = sdk.writeBatch(db);
    for (const id of ids) batch.set(sdk.doc(db, 'unicode', id), { id });
    await batch.commit();
    const both = await readBothWays(connection, ids.map((id) => ({ collection: 'unicode', id })));
    assertSameDocuments(sdk, both);
    assert.equal([...both.engine.values()].filter((found) => found !== null).length, ids.length, 'every document is found');
    assert.equal(both.requests, 1, 'one scan');
  });

  firestoreTest('missing, repeated and impossible documents: null, each asked once', async ({ connection, sdk, db }) => {
    await sdk.setDoc(sdk.doc(db, 'posts', 'p1'), { n: 1 });
    const remote = createFirestoreRemote(connection);
    const read = await remote.readDocuments([
      { collection: 'posts', id: 'p1' },
      { collection: 'posts', id: 'p1' },
      { collection: 'posts', id: 'nope' },
      { collection: 'posts', id: 'a/b' }, // three segments: no document can be there
      { collection: 'posts', id: 'x//y' },
    ]);
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.deepEqual(read.value.documents.get('posts/p1'), { collection: 'posts', id: 'p1', data: { n: 1 } });
    for (const key of ['posts/nope', 'posts/a/b', 'posts/x//y']) assert.equal(read.value.documents.get(key), null, key);
    assert.equal(read.value.requests, 1, 'one in query, for p1 and nope');
  });

  firestoreTest('security rules see the same caller as Lite: allowed and denied alike', async ({ emulator }) => {
    const project = 'demo-rest-reads-rules';
    const rules = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /open/{id} { allow read: if request.auth == null; }
    match /signedIn/{id} { allow read: if request.auth != null; }
  }
}`;
    await loadSecurityRules(emulator, project, rules);
    const connection = await connectFirestore({ kind: 'emulator', host: emulator.host, port: emulator.port, projectId: project });
    try {
      const remote = createFirestoreRemote(connection);
      const open = await remote.readDocuments([{ collection: 'open', id: 'd1' }]);
      assert.ok(open.ok, open.ok ? '' : open.error);
      const denied = await remote.readDocuments([{ collection: 'signedIn', id: 'd1' }]);
      assert.ok(!denied.ok);
      assert.equal(denied.code, 'permission-denied');
      assert.match(denied.error, /signedIn/);
      let liteCode = 'ok';
      await connection.sdk.getDoc(connection.sdk.doc(connection.db, 'signedIn', 'd1')).catch((error: { code?: string }) => (liteCode = error.code ?? 'no code'));
      assert.equal(liteCode, 'permission-denied', 'Lite is denied the same read');
    } finally {
      await connection.close();
    }
  });

  firestoreTest('a server that is not there is unavailable, which replay retries', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const connection = await connectFirestore({ kind: 'emulator', host: '127.0.0.1', port, projectId: 'demo-nobody' });
    try {
      const read = await createFirestoreRemote(connection).readDocuments([{ collection: 'posts', id: 'p1' }]);
      assert.ok(!read.ok);
      assert.equal(read.code, 'unavailable');
      assert.match(read.error, new RegExp(`127\\.0\\.0\\.1:${port}`));
    } finally {
      await connection.close();
    }
  });
});
