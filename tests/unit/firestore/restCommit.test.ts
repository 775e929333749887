// The engine's commits (core/engine/remoteStore.ts commit, core/firestore/restWrites.ts) against the
// oracle: the request Firestore Lite itself sends for the same batch. Both go over real HTTP to a
// loopback server started here, which records each request; the bodies must be the same text
// (values, field masks, transforms, key order), with the same URL and Authorization. Hand-picked
// values first, then a fast-check property over random documents. No emulator is needed: only the
// request matters, and the emulator's answers are covered by tests/firestore/engine and faults.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createFirestoreRemote, type RemoteStore, type RemoteWrite } from '../../../core/engine/remoteStore';
import { remoteFields } from '../../../core/engine/planner';
import { connectFirestore, type FirestoreConnection } from '../../../core/firestore/client';
import { connectionRestEndpoint, restMethodUrl } from '../../../core/firestore/restRequests';

interface RecordedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let connection: FirestoreConnection;
let remote: RemoteStore;
const recorded: RecordedRequest[] = [];

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      recorded.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"writeResults":[],"commitTime":"2026-12-01T00:00:00.000000Z"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  connection = await connectFirestore({ kind: 'emulator', host: '127.0.0.1', port, projectId: 'demo-oracle' });
  remote = createFirestoreRemote(connection, { timeoutMs: 5_000 });
});

after(async () => {
  await connection.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What Firestore Lite sends for the writes: the engine's commit as it was before it went over REST. */
async function liteRequest(writes: readonly RemoteWrite[]): Promise<RecordedRequest | undefined> {
  const { sdk, db } = connection;
  const batch = sdk.writeBatch(db);
  for (const write of writes) {
    const ref = sdk.doc(db, write.collection, write.id);
    if (write.kind === 'set-merge') {
      batch.set(ref, write.data, { merge: true });
    } else {
      const tombstone: Record<string, unknown> = { [remoteFields.isDeleted]: true, [remoteFields.deletedAt]: sdk.serverTimestamp() };
      if (write.updatedAt !== null) tombstone[remoteFields.updatedAt] = sdk.Timestamp.fromMillis(write.updatedAt);
      batch.set(ref, tombstone, { merge: true });
    }
  }
  const before = recorded.length;
  await batch.commit();
  return recorded.slice(before)[0];
}

async function syncLensRequest(writes: readonly RemoteWrite[]): Promise<RecordedRequest | undefined> {
  const before = recorded.length;
  const result = await remote.commit(writes);
  assert.ok(result.ok, result.ok ? '' : `${result.code}: ${result.error}`);
  return recorded.slice(before)[0];
}

async function assertSameAsLite(writes: readonly RemoteWrite[]): Promise<void> {
  const lite = await liteRequest(writes);
  const ours = await syncLensRequest(writes);
  if (lite === undefined) {
    assert.equal(ours, undefined, 'Lite sends nothing for an empty batch');
    return;
  }
  assert.ok(ours, 'SyncLens sent no request');
  assert.equal(ours.body, lite.body);
  assert.equal(ours.url, lite.url);
  assert.equal(ours.headers.authorization, lite.headers.authorization);
  assert.equal(ours.headers['google-cloud-resource-prefix'], lite.headers['google-cloud-resource-prefix']);
  assert.equal(ours.headers['x-goog-request-params'], lite.headers['x-goog-request-params']);
}

const merge = (id: string, data: Record<string, unknown>, collection = 'posts'): RemoteWrite => ({ kind: 'set-merge', collection, id, data });

describe('REST commit: the same request as Firestore Lite', () => {
  test('numbers: safe integers as integerValue; -0, NaN, ±Infinity, non-integers and unsafe integers as doubles', async () => {
    await assertSameAsLite([
      merge('numbers', {
        zero: 0, negativeZero: -0, one: 1, minusOne: -1, half: 1.5, third: 1 / 3, nan: NaN, inf: Infinity, negInf: -Infinity,
        maxSafe: Number.MAX_SAFE_INTEGER, minSafe: Number.MIN_SAFE_INTEGER, unsafe: 2 ** 53, unsafeNegative: -(2 ** 53),
        huge: 1e21, tiny: 5e-324, max: Number.MAX_VALUE,
      }),
    ]);
  });

  test('strings, booleans, null, undefined (left out), arrays and nested maps, empty maps as leaves', async () => {
    await assertSameAsLite([
      merge('shapes', {
        empty: '', text: 'héllo 😀 \u0000 "quoted"', yes: true, no: false, nothing: null, skipped: undefined,
        list: [1, 'two', null, undefined, { inner: [3], deep: { x: 1 }, none: {} }], emptyList: [],
        nested: { a: { b: { c: 'leaf', emptyInside: {} } }, n: 2 }, emptyMap: {},
      }),
      merge('empty-document', {}),
    ]);
  });

  test('field names that need back-quotes, and the mask in Firestore\'s order (UTF-8, integer-like keys, surrogates)', async () => {
    await assertSameAsLite([
      merge('names', {
        'a-b': 1, 'with space': 2, 'back`tick': 3, 'back\\slash': 4, ünï: 5, '1abc': 6, _ok: 7, '10': 8, '2': 9,
        '\uFFFD': 10, '😀': 11, 'dot.ted': { 'in.ner': 12, plain: 13 }, Z: 14, a: 15, aa: { b: 16, skipped: undefined },
      }),
    ]);
  });

  test('Timestamps (truncated to microseconds, before 1970, far future), Dates, Bytes, GeoPoints, references, vectors', async () => {
    const { sdk, db } = connection;
    await assertSameAsLite([
      merge('values', {
        at: new sdk.Timestamp(1_772_438_400, 123_456_789), before1970: new sdk.Timestamp(-86_401, 999_999_999), far: new sdk.Timestamp(253_402_300_799, 0),
        date: new Date(Date.UTC(2026, 2, 2, 8, 0, 0, 7)), bytes: sdk.Bytes.fromUint8Array(new Uint8Array([0, 255, 16, 42])), noBytes: sdk.Bytes.fromUint8Array(new Uint8Array()),
        where: new sdk.GeoPoint(48.85, -2.35), ref: sdk.doc(db, 'users/u1'), vector: sdk.vector([1, 2.5, -0]), inList: [new sdk.Timestamp(1, 1000), sdk.Bytes.fromBase64String('AQID')],
      }),
    ]);
  });

  test('soft deletes (server time in deletedAt, with and without updatedAt), subcollections and odd ids, several writes in order', async () => {
    await assertSameAsLite([
      { kind: 'soft-delete', collection: 'posts', id: 'p1', updatedAt: 1_772_438_400_123 },
      { kind: 'soft-delete', collection: 'posts', id: 'p2', updatedAt: null },
      merge('n 1 ü', { title: 'x' }, 'users/u1/notes'),
      merge('p1', { title: 'after the delete' }),
      merge('x', { slash: 'a trailing / is dropped' }, 'posts/'),
      merge('/u1/notes/n1', { slash: 'so is a leading one' }, 'users'),
    ]);
  });

  test('documents of one shape in a row (the encoder reuses their mask), then others of the same size or order', async () => {
    const row = (i: number) => ({ odid: `u${i}`, email: `u${i}@example.com`, createdAt: i, isDeleted: false });
    await assertSameAsLite([
      merge('u1', row(1)), merge('u2', row(2)), merge('u3', row(3)),
      merge('same-size', { zeta: 1, alpha: 2, '10': 3, mid: 4 }),
      merge('same-keys-other-order', { isDeleted: true, createdAt: 5, email: 'x', odid: 'u5' }),
      merge('one-undefined', { ...row(6), email: undefined }),
      merge('nested', { odid: 'u7', email: { inner: 'x' }, createdAt: 7, isDeleted: false }),
      merge('u8', row(8)),
      { kind: 'soft-delete', collection: 'posts', id: 'p9', updatedAt: 9 },
      merge('u10', row(10)),
    ]);
  });

  test('an empty batch sends nothing, as Lite', async () => {
    await assertSameAsLite([]);
  });

  test('data Lite rejects is rejected before anything is sent, with invalid-argument', async () => {
    const cases: Record<string, unknown>[] = [
      { nested: [[1]] }, { '': 1 }, { __reserved__: 1 }, { deep: { __x__: 1 } }, { inList: [{ '': 1 }] },
      { custom: new (class Custom {})() }, { map: new Map() }, { fn: () => 1 }, { emptyKeyOfUndefined: { '': undefined } },
      // Lite fails an internal assertion on a bigint (code 'unknown'); the mapping never sends one (it
      // turns bigints into numbers or text), and SyncLens says what is wrong instead.
      { big: 1n },
    ];
    for (const data of cases) {
      await assert.rejects(liteRequest([merge('bad', data)]), (error: { code?: string }) => error.code === 'invalid-argument' || 'big' in data);
      const sent = recorded.length;
      const result = await remote.commit([merge('bad', data)]);
      assert.equal(result.ok ? 'ok' : result.code, 'invalid-argument', JSON.stringify(Object.keys(data)));
      assert.equal(recorded.length, sent, 'nothing was sent');
    }
    for (const [collection, id] of [['posts', 'a/b'], ['posts', 'a//b'], ['users//u1/notes', 'n1'], ['', 'x/y'], ['posts', '']] as const) {
      assert.throws(() => connection.sdk.doc(connection.db, collection, id), (error: { code?: string }) => error.code === 'invalid-argument');
      const result = await remote.commit([merge(id, { x: 1 }, collection)]);
      assert.equal(result.ok ? 'ok' : result.code, 'invalid-argument', `${collection} ${id}`);
    }
  });
});

describe('REST commit: random documents', () => {
  test('every random batch is sent exactly as Lite sends it', async () => {
    const { sdk } = connection;
    const key = fc
      .oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.constantFrom('a', 'b.c', 'x-y', '`', '\\', '10', '😀', '\uFFFD'))
      .filter((name) => !/^__.*__$/.test(name));
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.double(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64, 1e21),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.record({ seconds: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }).map(({ seconds, nanos }) => new sdk.Timestamp(seconds, nanos)),
      fc.uint8Array({ maxLength: 8 }).map((bytes) => sdk.Bytes.fromUint8Array(bytes)),
      fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }).map(({ latitude, longitude }) => new sdk.GeoPoint(latitude, longitude)),
    );
    const { value } = fc.letrec<{ value: unknown; map: Record<string, unknown> }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), fc.array(fc.oneof(scalar, tie('map')), { maxLength: 4 })),
      map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    }));
    const document = fc.dictionary(key, value, { maxKeys: 8 });
    const id = fc.string({ minLength: 1, maxLength: 8 }).filter((text) => !text.includes('/'));
    const write: fc.Arbitrary<RemoteWrite> = fc.oneof(
      fc.record({ kind: fc.constant('set-merge' as const), collection: fc.constantFrom('posts', 'users/u1/notes'), id, data: document }),
      fc.record({ kind: fc.constant('soft-delete' as const), collection: fc.constant('posts'), id, updatedAt: fc.option(fc.integer({ min: -1e12, max: 1e13 })) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 4 }), async (writes) => {
        await assertSameAsLite(writes);
      }),
      { numRuns: 250 },
    );
  });
});

describe('REST commit: a real project', () => {
  // Lite sends a signed-in user's ID token as "Bearer <token>" (its FirebaseAuthCredentialsProvider);
  // with no user, none. A project cannot be reached from a test, so the endpoint is checked here and
  // the header on the wire above (the emulator case) and in restCommitErrors.test.ts.
  test('Google\'s endpoint, the web config\'s project and API key, the signed-in user\'s ID token', async () => {
    const project = await connectFirestore({ kind: 'project', webConfig: { apiKey: 'key-1', projectId: 'my-app' } });
    try {
      const signedIn = await connectionRestEndpoint({ ...project, idToken: async () => 'id-token-1' });
      assert.deepEqual(
        { baseUrl: signedIn.baseUrl, bearer: signedIn.bearer, projectId: signedIn.projectId, databaseId: signedIn.databaseId, apiKey: signedIn.apiKey },
        { baseUrl: 'https://firestore.googleapis.com', bearer: 'id-token-1', projectId: 'my-app', databaseId: '(default)', apiKey: 'key-1' },
      );
      assert.equal(restMethodUrl(signedIn, 'commit'), 'https://firestore.googleapis.com/v1/projects/my-app/databases/(default)/documents:commit?key=key-1');
      assert.equal((await connectionRestEndpoint(project)).bearer, null, 'no user: no Authorization');
    } finally {
      await project.close();
    }
  });
});
