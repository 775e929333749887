import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { defaultRetryPolicy } from '../../../core/engine/replayRetry';
import { connectFirestore } from '../../../core/firestore/client';
import { startFirestoreEmulator } from '../../../scripts/firestore-emulator';
import { firestoreSkipReason } from '../helpers/emulator';
import { baseTime, openSession, queueRows, writeAppDatabase, type UserSeed } from './fixture';

describe('faults', () => {
  test('the emulator killed mid-replay: confirmed ops are done, the unconfirmed batch keeps its place with retryCount + 1, a re-run converges', { skip: firestoreSkipReason() || false, timeout: 180_000 }, async () => {
    const users: UserSeed[] = Array.from({ length: 30 }, (_, index) => ({ odid: `u${String(index).padStart(2, '0')}`, name: `User ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    // A private emulator: this test kills it.
    const doomed = await startFirestoreEmulator({ projectId: 'demo-synclens-faults', unref: true });
    const connection = await connectFirestore({ kind: 'emulator', host: doomed.host, port: doomed.port, projectId: doomed.projectId });
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 3_600_000 }, 15_000);
      try {
        let killed = false;
        const summary = await session.replay({
          batchSize: 10,
          // One batch at a time, so exactly one is in flight when the emulator dies.
          concurrency: 1,
          // Short waits: a dead target is retried (read back first) and then given up on.
          retryPolicy: { ...defaultRetryPolicy, maxRetries: 2, baseDelayMs: 100, maxDelayMs: 400 },
          onResult: () => {
            if (!killed) {
              killed = true;
              void doomed.stop();
            }
          },
        });
        assert.equal(summary.counts.applied, 10, 'the first batch was confirmed');
        assert.equal(summary.counts.failed, 10, 'the batch in flight when the emulator died failed');
        assert.equal(summary.counts.skipped, 10, 'later batches were not sent to a dead target');
        const rows = queueRows(session);
        assert.equal(rows.length, 20, 'unconfirmed ops keep their place');
        assert.deepEqual(rows.map((row) => row.retryCount), [...Array(10).fill(1), ...Array(10).fill(0)]);
        assert.ok(rows.slice(0, 10).every((row) => /deadline-exceeded|unavailable/.test(String(row.lastError))));
        assert.ok(rows.slice(0, 10).every((row) => /; gave up after 3 failures \((UNAVAILABLE|DEADLINE_EXCEEDED)/.test(String(row.lastError))), String(rows[0]?.lastError));
        await writeDatabaseAtomically(opened);
      } finally {
        opened.close();
      }
    } finally {
      await connection.close().catch(() => undefined);
      await doomed.stop();
    }
    // A re-run against a target that answers again converges (a fresh emulator: nothing kept).
    const revived = await startFirestoreEmulator({ projectId: 'demo-synclens-faults', unref: true });
    const again = await connectFirestore({ kind: 'emulator', host: revived.host, port: revived.port, projectId: revived.projectId });
    try {
      const { session, opened } = await openSession(db.path, again, { now: () => baseTime + 3_600_000 });
      try {
        const summary = await session.replay({ force: true });
        assert.equal(summary.counts.applied, 20, 'only what was not confirmed is sent again');
        assert.equal(queueRows(session).length, 0);
      } finally {
        opened.close();
      }
    } finally {
      await again.close();
      await revived.stop();
      db.cleanup();
    }
  });
});
