// Replay's coalescing and byte bounds against the real emulator (core/engine/replayCoalesce.ts,
// replayBatches.ts, writeSize.ts): an entity's consecutive merges leave as one write whose fields
// are the last value of each, reported per op as "merged into #N"; a delete ends the run; batches
// stay under Firestore's 10 MiB request limit and the emulator's 4 MiB message limit (which refuses a
// count-bounded batch of them: resource-exhausted); a document over 1 MiB fails alone.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { RemoteStore, RemoteWrite } from '../../../core/engine/remoteStore';
import { SyncSession } from '../../../core/engine/session';
import type { OperationResult } from '../../../core/engine/types';
import { maxRequestBytes, requestSize } from '../../../core/engine/writeSize';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, getRemoteUser, iso, openSession, queueRows, userRow, writeAppDatabase } from './fixture';

const minute = 60_000;

/** The remote with every commit's writes recorded. */
function recording(remote: RemoteStore): { remote: RemoteStore; commits: RemoteWrite[][] } {
  const commits: RemoteWrite[][] = [];
  return {
    commits,
    remote: {
      ...remote,
      commit: async (writes) => {
        commits.push([...writes]);
        return remote.commit(writes);
      },
    },
  };
}

const payload = (odid: string, fields: Record<string, unknown>, at: number): Record<string, unknown> => ({ odid, updatedAt: iso(at), ...fields });

describe('replay coalescing and batch bounds against the emulator', () => {
  firestoreTest("an entity's consecutive merges are one write, last value per field; a delete ends the run", async ({ connection }) => {
    const db = writeAppDatabase(
      [
        { odid: 'a', name: 'Ann', updatedAt: baseTime + 4 * minute, isDeleted: 1 },
        { odid: 'b', name: 'Bob', updatedAt: baseTime + 2 * minute },
      ],
      [
        { entityId: 'a', operation: 'update', payload: payload('a', { name: 'First', email: 'first@example.com' }, baseTime + minute), createdAt: baseTime + minute },
        { entityId: 'b', operation: 'update', createdAt: baseTime + 2 * minute },
        { entityId: 'a', operation: 'update', payload: payload('a', { name: 'Second', version: 2 }, baseTime + 3 * minute), createdAt: baseTime + 3 * minute },
        { entityId: 'a', operation: 'delete', createdAt: baseTime + 4 * minute },
      ],
    );
    try {
      const { session, opened, remote } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      try {
        const { remote: recorded, commits } = recording(remote);
        const streamed: OperationResult[] = [];
        const summary = await new SyncSession(session.db, session.roles, recorded, { now: () => baseTime + 10 * minute }).replay({ onResult: (result) => streamed.push(result) });
        assert.deepEqual(
          streamed.map((result) => [result.opId, result.outcome]),
          [[1, 'applied'], [3, 'applied'], [2, 'applied'], [4, 'applied']],
        );
        assert.match(streamed.find((result) => result.opId === 3)!.message, /^merged into #1/);
        assert.equal(summary.counts.applied, 4);
        // Ops 1 and 3 as one merge; b's write; a's delete on its own after them.
        assert.deepEqual(commits.map((writes) => writes.map((write) => `${write.kind} ${write.id}`)), [['set-merge a', 'set-merge b', 'soft-delete a']]);
        const remoteA = await getRemoteUser(connection, 'a');
        assert.equal(remoteA?.name, 'Second', 'the later merge wins the field both set');
        assert.equal(remoteA?.email, 'first@example.com', 'a field only the earlier merge set is kept');
        assert.equal(remoteA?.version, 2);
        assert.equal(remoteA?.isDeleted, true);
        assert.equal(queueRows(session).length, 0);
        assert.equal(userRow(session, 'a'), null, 'the confirmed delete purged the row');
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('when the merged write fails, every op it carried counts the failed attempt', async ({ connection }) => {
    const db = writeAppDatabase(
      [{ odid: 'a', name: 'Ann', updatedAt: baseTime + 2 * minute }],
      [
        { entityId: 'a', operation: 'update', payload: payload('a', { name: 'First' }, baseTime + minute), createdAt: baseTime + minute },
        { entityId: 'a', operation: 'update', payload: payload('a', { name: 'Second' }, baseTime + 2 * minute), createdAt: baseTime + 2 * minute },
      ],
    );
    try {
      const { session, opened, remote } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      try {
        const failing: RemoteStore = { ...remote, commit: async () => ({ ok: false, code: 'permission-denied', error: 'rules rejected the write' }) };
        const streamed: OperationResult[] = [];
        await new SyncSession(session.db, session.roles, failing, { now: () => baseTime + 10 * minute }).replay({ onResult: (result) => streamed.push(result) });
        assert.deepEqual(streamed.map((result) => [result.opId, result.outcome]), [[1, 'failed'], [2, 'failed']]);
        assert.match(streamed[1]!.message, /^merged into #1, which failed: permission-denied/);
        assert.deepEqual(queueRows(session).map((op) => [op.id, op.retryCount]), [[1, 1], [2, 1]]);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('batches stay under the request limit: 24 writes of 450 KB leave in several commits, all applied', async ({ connection }) => {
    const big = 'x'.repeat(450_000);
    const ids = Array.from({ length: 24 }, (_, i) => `big${String(i).padStart(2, '0')}`);
    const db = writeAppDatabase(
      ids.map((odid, i) => ({ odid, name: 'Big', updatedAt: baseTime + i })),
      ids.map((odid, i) => ({ entityId: odid, operation: 'update' as const, payload: payload(odid, { name: big }, baseTime + i), createdAt: baseTime + i })),
    );
    try {
      const { session, opened, remote } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute }, 60_000);
      try {
        const { remote: recorded, commits } = recording(remote);
        const summary = await new SyncSession(session.db, session.roles, recorded, { now: () => baseTime + 10 * minute }).replay();
        assert.equal(summary.counts.applied, 24, JSON.stringify(summary.results.filter((result) => result.outcome !== 'applied').slice(0, 2).map((r) => [r.outcome, r.message.slice(0, 300)])));
        assert.ok(commits.length >= 3, `24 writes of 450 KB went out in ${commits.length} commit(s)`);
        for (const writes of commits) {
          const bytes = writes.reduce((sum, write) => sum + requestSize(write), 0);
          assert.ok(bytes <= maxRequestBytes, `a commit of ${writes.length} writes is about ${bytes} bytes`);
        }
        assert.equal(((await getRemoteUser(connection, 'big23'))?.name as string).length, big.length);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  }, { timeout: 120_000 });

  firestoreTest("a document over 1 MiB fails alone, with Firestore's limit in its message; the batch's other ops apply", async ({ connection }) => {
    const db = writeAppDatabase(
      [
        { odid: 'huge', name: 'Huge', updatedAt: baseTime + minute },
        { odid: 'small', name: 'Small', updatedAt: baseTime + 2 * minute },
      ],
      [
        { entityId: 'huge', operation: 'update', payload: payload('huge', { name: 'y'.repeat(1_100_000) }, baseTime + minute), createdAt: baseTime + minute },
        { entityId: 'small', operation: 'update', createdAt: baseTime + 2 * minute },
      ],
    );
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 10 * minute });
      try {
        const streamed: OperationResult[] = [];
        await session.replay({ onResult: (result) => streamed.push(result) });
        const byOp = new Map(streamed.map((result) => [result.opId, result]));
        assert.equal(byOp.get(1)?.outcome, 'failed');
        assert.match(byOp.get(1)!.message, /invalid-argument: .*over Firestore's limit of 1048576/);
        assert.equal(byOp.get(2)?.outcome, 'applied');
        assert.equal((await getRemoteUser(connection, 'small'))?.name, 'Small');
        assert.equal(await getRemoteUser(connection, 'huge'), null);
        assert.deepEqual(queueRows(session).map((op) => [op.id, op.retryCount]), [[1, 1]]);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });
});
