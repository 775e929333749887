// Queue hygiene findings on databases written by the real sqlite3 CLI, and the side-by-side
// comparison behind Compare with Remote (pure, and over a database against given documents).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { analyzeQueue } from '../../../core/db/queue';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import { compareSides, compareWithRemote, type EntitySide } from '../../../core/engine/compare';
import type { RemoteStore } from '../../../core/engine/remoteStore';
import { findQueueHygiene } from '../../../core/engine/hygiene';
import { plainValuesSdk } from '../../../core/firestore/mapping';
import type { HygieneFinding } from '../../../core/protocol/syncModel';
import { baseTime, writeAppDatabase, type UserSeed } from '../../firestore/engine/fixture';

async function hygieneOf(users: UserSeed[], ops: Parameters<typeof writeAppDatabase>[1]): Promise<HygieneFinding[]> {
  const fixture = writeAppDatabase(users, ops);
  const opened = await openDatabaseFile(fixture.path);
  try {
    const roles = detectRoles(opened.db, readSchema(opened.db));
    return findQueueHygiene(opened.db, roles, analyzeQueue(opened.db, roles, { now: baseTime }));
  } finally {
    opened.close();
    fixture.cleanup();
  }
}

const user = (odid: string, extra: Partial<UserSeed> = {}): UserSeed => ({ odid, name: odid, updatedAt: baseTime, isSynced: 1, ...extra });

describe('queue hygiene', () => {
  test('a clean queue has no findings', async () => {
    const findings = await hygieneOf([user('a', { isSynced: 0 })], [{ entityId: 'a', operation: 'update', createdAt: baseTime }]);
    assert.deepEqual(findings, []);
  });

  test('an update after a delete op, and an update of a soft-deleted row', async () => {
    const findings = await hygieneOf(
      [user('a', { isSynced: 0 }), user('b', { isDeleted: 1, isSynced: 0 })],
      [
        { id: 1, entityId: 'a', operation: 'delete', createdAt: baseTime },
        { id: 2, entityId: 'a', operation: 'update', createdAt: baseTime + 1 },
        { id: 3, entityId: 'b', operation: 'update', createdAt: baseTime + 2 },
      ],
    );
    const afterDelete = findings.filter((finding) => finding.kind === 'update-after-soft-delete');
    assert.deepEqual(afterDelete.map((finding) => [finding.entityId, finding.opIds]), [['a', [1, 2]], ['b', [3]]]);
    assert.match(afterDelete[0]!.message, /op #2 updates users\/a after its delete op #1/);
    assert.ok(findings.some((finding) => finding.kind === 'soft-deleted-without-delete-op' && finding.entityId === 'b'), 'b is soft-deleted with no delete op');
  });

  test('ops on a row that does not exist', async () => {
    const findings = await hygieneOf([], [{ id: 5, entityId: 'ghost', operation: 'update', createdAt: baseTime, payload: { odid: 'ghost', name: 'x' } }]);
    assert.deepEqual(findings.map((finding) => [finding.kind, finding.entityId, finding.table, finding.opIds]), [['op-on-missing-row', 'ghost', 'users', [5]]]);
  });

  test('create + update + delete cancel out', async () => {
    const findings = await hygieneOf(
      [user('c', { isSynced: 0, isDeleted: 1 })],
      [
        { id: 1, entityId: 'c', operation: 'create', createdAt: baseTime },
        { id: 2, entityId: 'c', operation: 'update', createdAt: baseTime + 1 },
        { id: 3, entityId: 'c', operation: 'delete', createdAt: baseTime + 2 },
      ],
    );
    const cancelling = findings.find((finding) => finding.kind === 'cancelling-sequence');
    assert.deepEqual(cancelling?.opIds, [1, 2, 3]);
    assert.match(cancelling!.message, /create \+ update \+ delete/);
    assert.ok(!findings.some((finding) => finding.kind === 'soft-deleted-without-delete-op'), 'the delete op is queued');
  });

  test('unsynced rows with no op; synced and pulled tombstones are fine', async () => {
    const findings = await hygieneOf([user('d', { isSynced: 0 }), user('e'), user('f', { isDeleted: 1, isSynced: 1 })], []);
    assert.deepEqual(findings.map((finding) => [finding.kind, finding.entityId]), [['unsynced-without-op', 'd']]);
  });
});

describe('compare sides', () => {
  const side = (updatedAt: number | null, version: number | null = null, isDeleted = false): EntitySide => ({ updatedAt, version, isDeleted });

  test('each kind of difference, and what counts as in sync', () => {
    const local = new Map<string, EntitySide>([
      ['same', side(10, 1)],
      ['onlyLocal', side(10)],
      ['localNewer', side(20)],
      ['remoteNewer', side(10, 1)],
      ['versionTie', side(10, 3)],
      ['deletedHere', side(10, 1, true)],
      ['deletedThere', side(10)],
    ]);
    const remote = new Map<string, EntitySide>([
      ['same', side(10, 1)],
      ['onlyRemote', side(5)],
      ['purgedTombstone', side(5, null, true)],
      ['localNewer', side(10)],
      ['remoteNewer', side(30, 1)],
      ['versionTie', side(10, 2)],
      ['deletedHere', side(10, 1)],
      ['deletedThere', side(10, null, true)],
    ]);
    const { findings, inSync } = compareSides('users', local, remote);
    const kinds = Object.fromEntries(findings.map((finding) => [finding.entityId, finding.kind]));
    assert.deepEqual(kinds, {
      onlyLocal: 'missing-remotely',
      localNewer: 'local-newer',
      remoteNewer: 'remote-newer',
      versionTie: 'local-newer',
      deletedHere: 'tombstone-local-only',
      deletedThere: 'tombstone-remote-only',
      onlyRemote: 'missing-locally',
    });
    assert.equal(inSync, 1);
    assert.ok(findings.every((finding) => finding.message.includes(`users/${finding.entityId}`)));
  });
});

describe('compare with remote', () => {
  /** A remote that holds one page of users and refuses everything else. */
  function remoteWith(users: Record<string, Record<string, unknown>>): RemoteStore {
    const refused = { ok: false as const, error: 'read-only fake', code: 'unsupported' };
    return {
      sdk: plainValuesSdk,
      readDocuments: () => Promise.resolve(refused),
      commit: () => Promise.resolve(refused),
      readChangedSince: (collection) =>
        Promise.resolve(
          collection === 'users'
            ? { ok: true, value: { documents: Object.entries(users).map(([id, data]) => ({ collection, id, data })), next: null } }
            : refused,
        ),
    };
  }

  test('rows read as the documents the engine writes: ISO times and 0/1 flags against Timestamps and booleans', async () => {
    const fixture = writeAppDatabase([user('same', { version: 2 }), user('newer', { updatedAt: baseTime + 1 }), user('gone', { isDeleted: 1 }), user('lonely')], []);
    const opened = await openDatabaseFile(fixture.path);
    try {
      const roles = detectRoles(opened.db, readSchema(opened.db));
      const at = (millis: number) => plainValuesSdk.Timestamp.fromMillis(millis);
      const report = await compareWithRemote(
        opened.db,
        roles,
        remoteWith({
          same: { updatedAt: at(baseTime), version: 2, isDeleted: false },
          newer: { updatedAt: at(baseTime), version: 1, isDeleted: false },
          gone: { updatedAt: at(baseTime), version: 1, isDeleted: false },
        }),
      );
      assert.deepEqual(report.collections, [{ collection: 'users', table: 'users', localRows: 4, remoteDocuments: 3, inSync: 1 }]);
      assert.deepEqual(
        report.findings.map((finding) => [finding.entityId, finding.kind]),
        [
          ['newer', 'local-newer'],
          ['gone', 'tombstone-local-only'],
          ['lonely', 'missing-remotely'],
        ],
      );
      assert.match(report.findings[0]!.message, /local 2026-11-20T09:00:00\.001Z v1 is newer than remote 2026-11-20T09:00:00\.000Z v1/);
    } finally {
      opened.close();
      fixture.cleanup();
    }
  });
});
