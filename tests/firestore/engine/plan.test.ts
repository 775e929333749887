import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, openSession, putRemoteUsers, writeAppDatabase } from './fixture';

const minute = 60_000;

describe('plan against the emulator', () => {
  firestoreTest('classifies every op: apply, already-applied, conflict, remote-missing, blocked, and writes nothing', async ({ connection }) => {
    const users = [
      { odid: 'u-new', name: 'New', updatedAt: baseTime + 10 * minute },
      { odid: 'u-same', name: 'Same', updatedAt: baseTime + 10 * minute },
      { odid: 'u-conflict', name: 'Local edit', updatedAt: baseTime + 10 * minute, version: 6 },
      { odid: 'u-tie', name: 'Tie local', updatedAt: baseTime + 10 * minute, version: 6 },
      { odid: 'u-gone', name: 'Gone', updatedAt: baseTime + 10 * minute },
      { odid: 'u-newer', name: 'Local newer', updatedAt: baseTime + 20 * minute },
      { odid: 'u-dead', name: 'Dead', updatedAt: baseTime + 10 * minute },
    ];
    const db = writeAppDatabase(users, [
      { id: 1, entityId: 'u-new', operation: 'create', createdAt: baseTime + 11 * minute },
      { id: 2, entityId: 'u-same', operation: 'update', createdAt: baseTime + 11 * minute },
      { id: 3, entityId: 'u-conflict', operation: 'update', createdAt: baseTime + 11 * minute },
      { id: 4, entityId: 'u-tie', operation: 'update', createdAt: baseTime + 11 * minute },
      { id: 5, entityId: 'u-gone', operation: 'update', createdAt: baseTime + 11 * minute },
      { id: 6, entityId: 'u-newer', operation: 'update', createdAt: baseTime + 21 * minute },
      { id: 7, entityId: 'u-dead', operation: 'update', createdAt: baseTime + 11 * minute, retryCount: 5 },
      { id: 8, entityId: 'u-same', operation: 'update', payload: '[1,2]', createdAt: baseTime + 12 * minute },
      // An update needs its local row (a delete of a gone row is sent anyway: issue 14).
      { id: 9, entityId: 'nobody', operation: 'update', payload: { odid: 'nobody', name: 'Nobody' }, createdAt: baseTime + 12 * minute },
    ]);
    try {
      await putRemoteUsers(connection, [
        users[1],
        { odid: 'u-conflict', name: 'Remote edit', updatedAt: baseTime + 15 * minute, version: 7 },
        { odid: 'u-tie', name: 'Tie remote', updatedAt: baseTime + 10 * minute, version: 7 },
        { odid: 'u-newer', name: 'Remote older', updatedAt: baseTime + 5 * minute, version: 1 },
      ]);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 60 * minute });
      try {
        const plan = await session.plan();
        const byId = new Map(plan.operations.map((entry) => [entry.op.id, entry]));
        assert.equal(byId.get(1)?.classification, 'apply');
        assert.equal(byId.get(2)?.classification, 'already-applied');
        assert.equal(byId.get(3)?.classification, 'conflict');
        assert.match(byId.get(3)?.reason ?? '', /remote updatedAt .* is newer/);
        assert.equal(byId.get(4)?.classification, 'conflict');
        assert.match(byId.get(4)?.reason ?? '', /equal updatedAt; version 7 beats 6/);
        assert.equal(byId.get(5)?.classification, 'remote-missing');
        assert.equal(byId.get(6)?.classification, 'apply');
        assert.equal(byId.get(7)?.classification, 'blocked');
        assert.match(byId.get(7)?.reason ?? '', /dead-lettered/);
        assert.equal(byId.get(8)?.classification, 'blocked');
        assert.match(byId.get(8)?.reason ?? '', /invalid/);
        assert.equal(byId.get(9)?.classification, 'blocked');
        assert.match(byId.get(9)?.reason ?? '', /orphan/);
        assert.deepEqual(plan.totals, { apply: 2, 'already-applied': 1, conflict: 2, 'remote-missing': 1, blocked: 3 });
        // One `in` query for the few ids, not one read per op.
        assert.equal(plan.remoteReads, 1);
        assert.equal(session.dirty, false);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('reads ids spread thin over a large collection with chunked `in` queries (30 ids each), after one page', async ({ connection }) => {
    const users = Array.from({ length: 1000 }, (_, index) => ({ odid: `u${String(index).padStart(4, '0')}`, name: `User ${index}`, updatedAt: baseTime + index }));
    const touched = users.filter((_, index) => index % 10 === 0);
    const db = writeAppDatabase(users, touched.map((user, index) => ({ entityId: user.odid, operation: 'update' as const, createdAt: baseTime + index })));
    try {
      await putRemoteUsers(connection, users);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 60 * minute });
      try {
        const plan = await session.plan();
        assert.equal(plan.totals['already-applied'], 100);
        // A first page of 4 documents per wanted id (400) holds 40 of them, too few to scan on:
        // the other 60 take ceil(60 / 30) = 2 `in` queries.
        assert.equal(plan.remoteReads, 3);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });
});
