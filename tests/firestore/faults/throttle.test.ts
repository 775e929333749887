// The ramp (core/engine/throttle.ts) wired into a real replay against the emulator, on an injected
// clock: 300 writes to one collection in batches of 100 at 500 writes/s leave 200 ms apart (the
// waits are recorded, not slept), the progress shows the limit, and after 5 virtual minutes the
// limit is 750. Unthrottled (the emulator's default), the same replay waits for nothing.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { describeReplayProgress } from '../../../core/engine/replayProgress';
import type { Clock } from '../../../core/engine/throttle';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, openSession, queueRows, writeAppDatabase, type UserSeed } from '../engine/fixture';

/** Time that moves only by what is slept (recorded instead of waited for) or skipped. */
function virtualClock(): Clock & { slept: number[]; skip(ms: number): void } {
  let offset = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => offset,
    skip: (ms) => {
      offset += ms;
    },
    sleep: async (ms) => {
      slept.push(Math.round(ms));
      offset += ms;
    },
  };
}

describe('replay throttle against the emulator', () => {
  firestoreTest('300 writes in batches of 100 at 500 writes/s: 200 ms apart, the limit in the progress, 750/s after 5 minutes', async ({ connection }) => {
    const users: UserSeed[] = Array.from({ length: 300 }, (_, index) => ({ odid: `t${String(index).padStart(4, '0')}`, name: `T ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 3_600_000 });
      try {
        const clock = virtualClock();
        const lines: string[] = [];
        let skipped = false;
        const summary = await session.replay({
          throttle: true,
          clock,
          concurrency: 1,
          batchSize: 100,
          onProgress: (progress) => {
            lines.push(describeReplayProgress(progress));
            // Five minutes pass after the second batch: the third leaves at 750/s.
            if (progress.batchesCommitted === 2 && !skipped) {
              skipped = true;
              clock.skip(5 * 60_000);
            }
          },
        });
        assert.equal(summary.counts.applied, 300);
        assert.equal(summary.batchesCommitted, 3);
        // The third found room after the skip.
        assert.deepEqual(clock.slept, [200], "the second batch waited out the first one's 100 writes at 500/s");
        assert.match(lines[0]!, /; users ≤ 500 writes\/s$/);
        assert.match(lines[2]!, /; users ≤ 750 writes\/s$/);
        assert.equal(queueRows(session).length, 0);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  }, { timeout: 120_000 });

  firestoreTest('unthrottled by default on the emulator: nothing waits, no limit shown', async ({ connection }) => {
    const users: UserSeed[] = Array.from({ length: 300 }, (_, index) => ({ odid: `n${String(index).padStart(4, '0')}`, name: `N ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 3_600_000 });
      try {
        const clock = virtualClock();
        const limits: unknown[] = [];
        const summary = await session.replay({ clock, onProgress: (progress) => limits.push(progress.rateLimits) });
        assert.equal(summary.counts.applied, 300);
        assert.deepEqual(clock.slept, []);
        assert.ok(limits.length > 0 && limits.every((limit) => limit === null));
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  }, { timeout: 120_000 });
});
