// The "done when" on the sample workspace: seeded, plan shows every classification (at
// least three conflicts), replay drains all but held and blocked ops, pull applies the remote
// edits, and the file passes SQLite's integrity check. Works on a copy; the sample is untouched.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { firestoreTest } from '../helpers/emulator';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { openSession, queueRows } from './fixture';

const sampleDb = join(__dirname, '../../../sample-workspace/app.db');

describe('the seeded sample workspace', () => {
  firestoreTest('plan shows every classification; replay, conflicts and pull do their part', async ({ connection, target }) => {
    const { dir, cleanup } = scratchDir('synclens-sample-');
    try {
      const path = join(dir, 'app.db');
      copyFileSync(sampleDb, path);
      const seeded = await seedEmulator(path, target);
      assert.ok(seeded.conflicts.length >= 3);

      const { session, opened } = await openSession(path, connection, { policyFor: (collection) => (collection === 'users' ? 'manual' : 'lastWriteWins') });
      try {
        const plan = await session.plan();
        for (const classification of ['apply', 'already-applied', 'conflict', 'remote-missing', 'blocked'] as const) {
          assert.ok(plan.totals[classification] > 0, `plan shows ${classification}`);
        }
        assert.ok(plan.totals.conflict >= 3);
        const conflicts = await session.listConflicts();
        assert.ok(conflicts.length >= 3);
        assert.ok(conflicts.every((conflict) => conflict.differences.length > 0 && conflict.verdict.reason.length > 0));

        const replay = await session.replay();
        assert.equal(replay.counts.failed, 0);
        const left = queueRows(session).map((row) => Number(row.id));
        const heldOrBlocked = replay.results.filter((result) => result.outcome === 'held' || result.outcome === 'skipped').map((result) => result.opId);
        assert.deepEqual(left.sort((a, b) => a - b), heldOrBlocked.sort((a, b) => a - b), 'only held and blocked ops remain');

        const pull = await session.pull();
        assert.ok(pull.applied >= seeded.remoteEdits.length);
        await writeDatabaseAtomically(opened);
      } finally {
        opened.close();
      }
      assert.equal(sqlite3(path, 'PRAGMA integrity_check;').trim(), 'ok');
      const renamed = sqlite3(path, "SELECT (SELECT COUNT(*) FROM posts WHERE title LIKE '%(renamed remotely)') + (SELECT COUNT(*) FROM users WHERE name LIKE '%(renamed remotely)');").trim();
      assert.equal(Number(renamed), seeded.remoteEdits.length, 'pull applied the remote edits to the file');
    } finally {
      cleanup();
    }
  }, { timeout: 180_000 });
});
