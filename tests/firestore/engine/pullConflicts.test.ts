import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { describe } from 'node:test';
import { writeDatabaseAtomically, isDatabaseWriteError } from '../../../core/db/writeBack';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, getRemoteUser, iso, openSession, putRemoteUsers, queueRows, userRow, writeAppDatabase, type UserSeed } from './fixture';

const minute = 60_000;

describe('pull and conflicts against the emulator', () => {
  firestoreTest('pull: lastSyncAt is the highest updatedAt applied, so a write landing during the pull is not lost (reference bug fixed)', async ({ connection, connectAnother }) => {
    const synced: UserSeed[] = [{ odid: 'a', name: 'Ann', updatedAt: baseTime, isSynced: 1 }, { odid: 'p', name: 'Pending local', updatedAt: baseTime, isSynced: 0 }];
    const db = writeAppDatabase(synced, [{ entityId: 'p', operation: 'update', createdAt: baseTime }], { lastSyncAt: iso(baseTime) });
    try {
      await putRemoteUsers(connection, [
        { odid: 'a', name: 'Ann remote', updatedAt: baseTime + minute },
        { odid: 'b', name: 'Bea', updatedAt: baseTime + 2 * minute },
        { odid: 'p', name: 'Pending remote', updatedAt: baseTime + 3 * minute },
      ]);
      const other = await connectAnother();
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 60 * minute });
      try {
        let wrote = false;
        const first = await session.pull({
          pageSize: 1,
          onPage: async () => {
            if (wrote) return;
            wrote = true;
            // Another device commits a change stamped before the end of this pull but sorted
            // before the pages still to come: the reference (lastSync = now) would skip it.
            await putRemoteUsers(other, [{ odid: 'c', name: 'Cy', updatedAt: baseTime + 90 * 1000 }]);
          },
        });
        assert.equal(userRow(session, 'a')?.name, 'Ann remote');
        assert.equal(userRow(session, 'a')?.isSynced, 1);
        assert.equal(userRow(session, 'p')?.name, 'Pending local', 'an entity with unsynced changes is not overwritten');
        assert.deepEqual(first.collections[0]?.conflicts, ['p']);
        const lastSync = first.collections[0]?.lastSyncAt ?? 0;
        assert.equal(lastSync, baseTime + 2 * minute, 'the highest updatedAt applied, not the clock');
        if (userRow(session, 'c') === null) {
          const second = await session.pull();
          assert.equal(second.collections[0]?.applied, 1);
        }
        assert.equal(userRow(session, 'c')?.name, 'Cy', 'nothing lost');
        const conflicts = await session.listConflicts();
        assert.equal(conflicts.length, 1);
        assert.deepEqual(conflicts[0]?.differences.map((d) => d.field), ['name', 'updatedAt']);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  for (const strategy of ['local', 'remote', 'merge'] as const) {
    firestoreTest(`manual conflict resolved by ${strategy}: both sides end equal, the op is gone`, async ({ connection }) => {
      const db = writeAppDatabase([{ odid: 'x', name: 'Local', email: 'local@example.com', updatedAt: baseTime, version: 6 }], [{ entityId: 'x', operation: 'update', createdAt: baseTime }]);
      try {
        await putRemoteUsers(connection, [{ odid: 'x', name: 'Remote', email: 'remote@example.com', updatedAt: baseTime, version: 7 }]);
        const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + minute, policyFor: () => 'manual' });
        try {
          const [conflict] = await session.listConflicts();
          assert.ok(conflict);
          assert.equal(conflict.policyOutcome, 'held');
          assert.match(conflict.verdict.reason, /equal updatedAt; version 7 beats 6/);
          const [result] = await session.resolve([conflict], strategy === 'merge' ? { kind: 'merge', choices: { name: 'local' } } : { kind: strategy });
          assert.equal(result?.ok, true);
          assert.equal(queueRows(session).length, 0);
          const remote = await getRemoteUser(connection, 'x');
          const row = userRow(session, 'x');
          const expected = strategy === 'local' ? ['Local', 'local@example.com'] : strategy === 'remote' ? ['Remote', 'remote@example.com'] : ['Local', 'remote@example.com'];
          assert.deepEqual([remote?.name, remote?.email], expected);
          assert.deepEqual([row?.name, row?.email], expected);
          assert.equal(row?.isSynced, 1);
          assert.deepEqual(await session.listConflicts(), []);
        } finally {
          opened.close();
        }
      } finally {
        db.cleanup();
      }
    });
  }

  firestoreTest('write-back is refused when the file changed underneath; a re-run converges', async ({ connection }) => {
    const db = writeAppDatabase([{ odid: 'a', name: 'Ann', updatedAt: baseTime }], [{ entityId: 'a', operation: 'create', createdAt: baseTime }]);
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + minute });
      try {
        await session.replay();
        appendFileSync(db.path, Buffer.alloc(4096));
        await assert.rejects(writeDatabaseAtomically(opened), (error: unknown) => isDatabaseWriteError(error) && error.code === 'changed');
      } finally {
        opened.close();
      }
      const again = await openSession(db.path, connection, { now: () => baseTime + minute });
      try {
        const summary = await again.session.replay();
        assert.equal(summary.counts['already-applied'], 1);
        await writeDatabaseAtomically(again.opened);
      } finally {
        again.opened.close();
      }
    } finally {
      db.cleanup();
    }
  });
});
