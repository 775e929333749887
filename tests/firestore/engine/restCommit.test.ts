// The engine's REST commits (core/engine/remoteStore.ts commit) against the real emulator, beside
// Firestore Lite's own WriteBatch: the documents they leave are the same (merges into existing
// maps, empty maps, -0, NaN, Timestamps, the soft delete's server time), and security rules see the
// same caller (Lite sends no Authorization to the emulator; "Bearer owner" would bypass the rules).
// The request bodies themselves are compared in tests/unit/firestore/restCommit.test.ts.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { createFirestoreRemote, type RemoteWrite } from '../../../core/engine/remoteStore';
import { connectFirestore, type FirestoreConnection } from '../../../core/firestore/client';
import { firestoreTest, loadSecurityRules } from '../helpers/emulator';

/** The engine's commit as it was, through Lite's WriteBatch. */
async function liteCommit(connection: FirestoreConnection, writes: readonly RemoteWrite[]): Promise<string> {
  const { sdk, db } = connection;
  const batch = sdk.writeBatch(db);
  for (const write of writes) {
    const ref = sdk.doc(db, write.collection, write.id);
    if (write.kind === 'set-merge') batch.set(ref, write.data, { merge: true });
    else batch.set(ref, { isDeleted: true, deletedAt: sdk.serverTimestamp(), ...(write.updatedAt === null ? {} : { updatedAt: sdk.Timestamp.fromMillis(write.updatedAt) }) }, { merge: true });
  }
  try {
    await batch.commit();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

async function restCommit(connection: FirestoreConnection, writes: readonly RemoteWrite[]): Promise<string> {
  const result = await createFirestoreRemote(connection).commit(writes);
  return result.ok ? 'ok' : result.code;
}

describe('REST commits against the emulator, beside Lite', () => {
  firestoreTest('the documents left are the same as Lite leaves them', async ({ connection, sdk, db }) => {
    const seed = { nested: { keep: 1, change: 'old', deeper: { a: 1 } }, list: [1, 2], untouched: true };
    const data = {
      nested: { change: 'new', deeper: { b: 2 }, added: {} },
      list: [3],
      numbers: { negativeZero: -0, nan: NaN, inf: Infinity, unsafe: 2 ** 53, half: 0.5, int: 42 },
      at: new sdk.Timestamp(1_772_438_400, 123_456_789),
      bytes: sdk.Bytes.fromUint8Array(new Uint8Array([1, 2, 3])),
      'odd name': { 'x.y': 'quoted' },
      skipped: undefined,
    };
    for (const id of ['viaLite', 'viaRest']) await sdk.setDoc(sdk.doc(db, 'posts', id), seed);
    const write = (id: string): RemoteWrite[] => [
      { kind: 'set-merge', collection: 'posts', id, data },
      { kind: 'soft-delete', collection: 'tombstones', id, updatedAt: 1_772_438_400_123 },
    ];
    assert.equal(await liteCommit(connection, write('viaLite')), 'ok');
    assert.equal(await restCommit(connection, write('viaRest')), 'ok');
    const read = async (collection: string, id: string) => (await sdk.getDoc(sdk.doc(db, collection, id))).data();
    const [lite, rest] = [await read('posts', 'viaLite'), await read('posts', 'viaRest')];
    assert.deepEqual(rest, lite);
    assert.deepEqual((rest as { nested: unknown }).nested, { keep: 1, change: 'new', deeper: { a: 1, b: 2 }, added: {} }, 'nested maps merge');
    const [liteTombstone, restTombstone] = [await read('tombstones', 'viaLite'), await read('tombstones', 'viaRest')];
    assert.ok(restTombstone?.['deletedAt'] instanceof sdk.Timestamp, 'deletedAt is the server\'s time');
    assert.deepEqual({ ...restTombstone, deletedAt: null }, { ...liteTombstone, deletedAt: null });
  });

  firestoreTest('security rules see the same caller: allowed and denied alike', async ({ emulator }) => {
    const project = 'demo-rest-commit-rules';
    const rules = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /open/{id} { allow write: if request.auth == null; }
    match /signedIn/{id} { allow write: if request.auth != null; }
  }
}`;
    await loadSecurityRules(emulator, project, rules);
    const connection = await connectFirestore({ kind: 'emulator', host: emulator.host, port: emulator.port, projectId: project });
    try {
      for (const collection of ['open', 'signedIn']) {
        const writes: RemoteWrite[] = [{ kind: 'set-merge', collection, id: 'd1', data: { x: 1 } }];
        const lite = await liteCommit(connection, writes);
        assert.equal(await restCommit(connection, writes), lite, collection);
        assert.equal(lite, collection === 'open' ? 'ok' : 'permission-denied');
      }
    } finally {
      await connection.close();
    }
  });
});
