import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { RemoteStore } from '../../../core/engine/remoteStore';
import { SyncSession } from '../../../core/engine/session';
import type { OperationResult } from '../../../core/engine/types';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, getRemoteUser, openSession, putRemoteUsers, queueRows, userRow, writeAppDatabase, type OpSeed, type UserSeed } from './fixture';

const minute = 60_000;

describe('replay against the emulator', () => {
  firestoreTest('applies creates, updates and deletes; removes ops, marks rows synced, purges deleted rows', async ({ connection }) => {
    const users: UserSeed[] = [
      { odid: 'a', name: 'Ann', updatedAt: baseTime + minute },
      { odid: 'b', name: 'Bob', updatedAt: baseTime + 2 * minute },
      { odid: 'c', name: 'Cid', updatedAt: baseTime + 3 * minute, isDeleted: 1 },
    ];
    const db = writeAppDatabase(users, [
      { entityId: 'a', operation: 'create', createdAt: baseTime + minute },
      { entityId: 'b', operation: 'update', createdAt: baseTime + 2 * minute },
      { entityId: 'c', operation: 'delete', createdAt: baseTime + 3 * minute },
    ]);
    try {
      await putRemoteUsers(connection, [{ odid: 'b', name: 'Old Bob', updatedAt: baseTime }, { odid: 'c', name: 'Cid', updatedAt: baseTime }]);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      try {
        const streamed: OperationResult[] = [];
        const summary = await session.replay({ onResult: (result) => streamed.push(result) });
        assert.deepEqual(streamed.map((r) => [r.opId, r.outcome]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
        assert.equal(summary.batchesCommitted, 1);
        assert.equal(queueRows(session).length, 0);
        assert.equal(userRow(session, 'a')?.isSynced, 1);
        assert.equal(userRow(session, 'b')?.isSynced, 1);
        assert.equal(userRow(session, 'c'), null, 'a confirmed delete purges the local row');
        assert.equal((await getRemoteUser(connection, 'a'))?.name, 'Ann');
        assert.equal((await getRemoteUser(connection, 'b'))?.name, 'Bob');
        const tombstone = await getRemoteUser(connection, 'c');
        assert.equal(tombstone?.isDeleted, true);
        assert.ok(tombstone?.deletedAt, 'deletedAt is the server time');
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('a failure the adapter returns without throwing still counts a retry (reference bug fixed)', async ({ connection }) => {
    const db = writeAppDatabase([{ odid: 'a', name: 'Ann', updatedAt: baseTime }], [{ entityId: 'a', operation: 'update', createdAt: baseTime }]);
    try {
      const { session, opened, remote } = await openSession(db.path, connection, { now: () => baseTime + minute });
      try {
        const failing: RemoteStore = { ...remote, commit: async () => ({ ok: false, code: 'permission-denied', error: 'rules rejected the write' }) };
        const withFailingSave = new SyncSession(session.db, session.roles, failing, { now: () => baseTime + minute });
        const summary = await withFailingSave.replay();
        assert.equal(summary.counts.failed, 1);
        const [op] = queueRows(session);
        assert.equal(op.retryCount, 1);
        assert.equal(op.lastAttempt, new Date(baseTime + minute).toISOString());
        assert.match(String(op.lastError), /permission-denied: rules rejected the write/);
        assert.equal(userRow(session, 'a')?.isSynced, 0);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('batches more than 500 ops and keeps each entity\'s ops in order', async ({ connection, sdk, db: firestore }) => {
    const users: UserSeed[] = Array.from({ length: 600 }, (_, index) => ({ odid: `u${String(index).padStart(4, '0')}`, name: `User ${index}`, updatedAt: baseTime + index }));
    const ops: OpSeed[] = users.map((user, index) => ({ entityId: user.odid, operation: 'create', createdAt: baseTime + index }));
    // Three updates of one entity spread over the batches; the last must win remotely.
    for (const [step, name] of ['first', 'second', 'third'].entries()) {
      ops.push({ entityId: 'u0001', operation: 'update', payload: { name, updatedAt: new Date(baseTime + 10_000 + step).toISOString() }, createdAt: baseTime + 100 + step * 300 });
    }
    const db = writeAppDatabase(users, ops);
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 60 * minute });
      try {
        const order: number[] = [];
        const summary = await session.replay({ onResult: (result) => order.push(result.opId) });
        const updatesOfOne = order.filter((id) => id > 600 || id === 2);
        assert.equal(summary.counts.applied, 603);
        assert.equal(summary.batchesCommitted, 2, '603 writes need two batches of <= 500');
        assert.deepEqual(updatesOfOne, [2, 601, 602, 603], 'one entity\'s ops settle in queue order');
        assert.equal(queueRows(session).length, 0);
        const snapshot = await sdk.getCount(sdk.collection(firestore, 'users'));
        assert.equal(snapshot.data().count, 600);
        assert.equal((await getRemoteUser(connection, 'u0001'))?.name, 'third');
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  }, { timeout: 120_000 });

  firestoreTest('held and policy conflicts: manual holds the entity, remoteWins keeps the remote and overwrites the row', async ({ connection }) => {
    const users: UserSeed[] = [
      { odid: 'm', name: 'Local M', updatedAt: baseTime, isSynced: 0 },
      { odid: 'r', name: 'Local R', updatedAt: baseTime, isSynced: 0 },
    ];
    const db = writeAppDatabase(users, [
      { entityId: 'm', operation: 'update', createdAt: baseTime },
      { entityId: 'r', operation: 'update', createdAt: baseTime },
    ]);
    try {
      await putRemoteUsers(connection, [{ odid: 'm', name: 'Remote M', updatedAt: baseTime + minute }, { odid: 'r', name: 'Remote R', updatedAt: baseTime + minute }]);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute, policyFor: () => 'manual' });
      try {
        const held = await session.replay();
        assert.equal(held.counts.held, 2);
        assert.equal(queueRows(session).length, 2);
        const remoteWins = new SyncSession(session.db, session.roles, session.remote, { now: () => baseTime + 10 * minute, policyFor: () => 'remoteWins' });
        const kept = await remoteWins.replay();
        assert.equal(kept.counts['remote-kept'], 2);
        assert.equal(userRow(session, 'r')?.name, 'Remote R');
        assert.equal(userRow(session, 'r')?.isSynced, 1);
        assert.equal(userRow(session, 'r')?.updatedAt, new Date(baseTime + minute).toISOString());
        assert.equal((await getRemoteUser(connection, 'r'))?.name, 'Remote R');
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('a re-run after the remote committed but the file was never written converges (idempotent)', async ({ connection }) => {
    const users: UserSeed[] = [{ odid: 'a', name: 'Ann v2', updatedAt: baseTime + 2 * minute }, { odid: 'd', name: 'Dee', updatedAt: baseTime + 3 * minute, isDeleted: 1 }];
    const ops: OpSeed[] = [
      { entityId: 'a', operation: 'create', payload: { odid: 'a', name: 'Ann', email: 'a@example.com', updatedAt: new Date(baseTime + minute).toISOString() }, createdAt: baseTime + minute },
      { entityId: 'a', operation: 'update', createdAt: baseTime + 2 * minute },
      { entityId: 'd', operation: 'delete', createdAt: baseTime + 3 * minute },
    ];
    const db = writeAppDatabase(users, ops);
    try {
      await putRemoteUsers(connection, [{ odid: 'd', name: 'Dee', updatedAt: baseTime }]);
      const first = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      await first.session.replay();
      // The image is discarded: as if the process died before its write-back.
      first.opened.close();
      const again = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      try {
        const plan = await again.session.plan();
        assert.deepEqual(plan.operations.map((entry) => entry.classification), ['already-applied', 'already-applied', 'already-applied']);
        const summary = await again.session.replay();
        assert.equal(summary.counts['already-applied'], 3);
        assert.equal(summary.batchesCommitted, 0, 'nothing is written twice');
        assert.equal(queueRows(again.session).length, 0);
        assert.equal(userRow(again.session, 'd'), null);
        assert.equal(userRow(again.session, 'a')?.isSynced, 1);
      } finally {
        again.opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('an entity is marked synced as the batch with its last queued op settles, never while one of its ops stays queued', async ({ connection }) => {
    const users: UserSeed[] = ['a', 'b', 'c', 'd'].map((odid, index) => ({ odid, name: odid.toUpperCase(), updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, [
      { entityId: 'a', operation: 'create', createdAt: baseTime },
      { entityId: 'b', operation: 'create', createdAt: baseTime + 1 },
      { entityId: 'c', operation: 'create', createdAt: baseTime + 2 },
      { entityId: 'b', operation: 'update', payload: { odid: 'b', name: 'B2', updatedAt: new Date(baseTime + 3).toISOString() }, createdAt: baseTime + 3 },
      { entityId: 'd', operation: 'create', createdAt: baseTime + 4 },
      { entityId: 'a', operation: 'update', createdAt: baseTime + 5 },
    ]);
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + minute });
      try {
        const syncedAfterEachBatch: string[] = [];
        // a's update (op 6) is left out of the run, so a keeps a queued op; b's two ops are merged into one write.
        const summary = await session.replay({
          only: [1, 2, 3, 4, 5],
          batchSize: 1,
          concurrency: 1,
          onProgress: () => syncedAfterEachBatch.push(['a', 'b', 'c', 'd'].filter((odid) => userRow(session, odid)?.isSynced === 1).join('')),
        });
        assert.equal(summary.counts.applied, 5);
        assert.deepEqual(syncedAfterEachBatch, ['', 'b', 'bc', 'bcd'], 'each batch marks its own entities, as it settles');
        assert.equal(userRow(session, 'a')?.isSynced, 0, 'an op of a is still queued');
        assert.deepEqual(queueRows(session).map((row) => row.id), [6]);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('cancel between batches: confirmed ops are recorded, the rest untouched in place', async ({ connection }) => {
    const users: UserSeed[] = Array.from({ length: 30 }, (_, index) => ({ odid: `c${index}`, name: `C ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + minute });
      try {
        const controller = new AbortController();
        const summary = await session.replay({ batchSize: 10, concurrency: 1, signal: controller.signal, onResult: () => controller.abort() });
        assert.equal(summary.cancelled, true);
        assert.equal(summary.counts.applied, 10);
        assert.equal(summary.counts.skipped, 20);
        const rows = queueRows(session);
        assert.equal(rows.length, 20);
        assert.ok(rows.every((row) => row.retryCount === 0 && row.lastError === null), 'unsent ops are not counted as failures');
        assert.equal(userRow(session, 'c0')?.isSynced, 1);
        assert.equal(userRow(session, 'c29')?.isSynced, 0);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });
});
