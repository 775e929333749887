// What the Conflicts panel can do, the engine and the CLI can do too (issue 12): resolve by another
// policy (for every collection or per collection), by keys, and a per-field merge read from a JSON
// file with tagged values. Against the real emulator; the CLI from source through tsx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe } from 'node:test';
import { firestoreTest, type EmulatorEndpoint } from '../helpers/emulator';
import { sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { baseTime, getRemoteUser, openSession, putRemoteUsers, queueRows, writeAppDatabase, type UserSeed } from './fixture';

const minute = 60_000;
const cliEntry = join(__dirname, '../../../core/cli/main.ts');

function runCli(emulator: EmulatorEndpoint, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const target = ['--emulator', `${emulator.host}:${emulator.port}`, '--project', emulator.projectId];
  const result = spawnSync(process.execPath, ['--import', 'tsx', cliEntry, ...args, ...target], { encoding: 'utf8', env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Entities whose local update (version 6) lost to a remote edit (version 7, same updatedAt): last-write-wins keeps the remote. */
async function conflicted(connection: Parameters<typeof putRemoteUsers>[0], ids: readonly string[]): Promise<{ path: string; cleanup: () => void }> {
  const users: UserSeed[] = ids.map((odid) => ({ odid, name: `Local ${odid}`, email: `local-${odid}@example.com`, updatedAt: baseTime, version: 6 }));
  const db = writeAppDatabase(users, ids.map((odid) => ({ entityId: odid, operation: 'update' as const, createdAt: baseTime })));
  await putRemoteUsers(connection, ids.map((odid) => ({ odid, name: `Remote ${odid}`, email: `remote-${odid}@example.com`, updatedAt: baseTime, version: 7 })));
  return db;
}

describe('resolve abilities of the engine and the CLI', () => {
  firestoreTest('engine: resolve by keys under another policy; a key no longer in conflict says so', async ({ connection }) => {
    const db = await conflicted(connection, ['a', 'b']);
    try {
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + minute, policyFor: () => 'manual' });
      try {
        const held = await session.resolveKeys(['users/a'], { kind: 'policy' });
        assert.deepEqual(held.map((r) => [r.entityId, r.ok, r.message]), [['a', false, 'policy of users is manual: choose local, remote or merge']]);
        const results = await session.resolveKeys(['users/gone', 'users/a', 'users/b'], { kind: 'policy', policy: 'remoteWins', perCollection: { users: 'localWins' } });
        assert.deepEqual(
          results.map((r) => [r.collection, r.entityId, r.applied, r.ok]),
          [['users', 'gone', 'none', false], ['users', 'a', 'local', true], ['users', 'b', 'local', true]],
          'the per-collection policy beats the one for every collection',
        );
        assert.equal(results[0]?.message, 'users/gone is no longer in conflict');
        assert.equal((await getRemoteUser(connection, 'a'))?.name, 'Local a');
        assert.equal(queueRows(session).length, 0);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('CLI --policy: for every collection, per collection, a held one exits 1; a collection the database lacks is bad input', async ({ connection, emulator }) => {
    const db = await conflicted(connection, ['a', 'b', 'c']);
    try {
      const before = sha256OfFile(db.path);
      const unknown = runCli(emulator, 'resolve', db.path, '--strategy', 'policy', '--policy', 'posts=localWins', '--json');
      assert.equal(unknown.status, 2, unknown.stderr);
      assert.equal(unknown.stderr.trim().split('\n').length, 1);
      assert.match(unknown.stderr, /--policy names collection "posts", which the database does not sync \(it has users\)/);
      assert.equal(JSON.parse(unknown.stdout).error.code, 'bad-option');
      const misplaced = runCli(emulator, 'resolve', db.path, '--strategy', 'local', '--policy', 'localWins');
      assert.equal(misplaced.status, 2);
      assert.match(misplaced.stderr, /--policy goes with --strategy policy, not local/);
      assert.equal(sha256OfFile(db.path), before, 'bad input writes nothing');

      const dry = runCli(emulator, 'resolve', db.path, '--strategy', 'policy', '--policy', 'localWins', '--only', 'a', '--dry-run', '--json');
      assert.equal(dry.status, 0, dry.stderr);
      const [shown] = JSON.parse(dry.stdout).conflicts as { policy: string; policyOutcome: string }[];
      assert.deepEqual([shown?.policy, shown?.policyOutcome], ['localWins', 'local'], 'the dry run shows what the given policy decides');

      const local = runCli(emulator, 'resolve', db.path, '--strategy', 'policy', '--policy', 'localWins', '--only', 'a', '--json');
      assert.equal(local.status, 0, local.stderr);
      assert.deepEqual((JSON.parse(local.stdout).results as { applied: string }[]).map((r) => r.applied), ['local']);
      assert.equal((await getRemoteUser(connection, 'a'))?.name, 'Local a');

      const perCollection = runCli(emulator, 'resolve', db.path, '--strategy', 'policy', '--policy', 'localWins', '--policy', 'users=remoteWins', '--only', 'b');
      assert.equal(perCollection.status, 0, perCollection.stderr);
      assert.match(perCollection.stdout, /resolved: users\/b: remote version copied into the local row/);
      assert.equal(sqlite3(db.path, "SELECT name || '|' || isSynced FROM users WHERE odid = 'b';").trim(), 'Remote b|1');

      const held = runCli(emulator, 'resolve', db.path, '--strategy', 'policy', '--policy', 'users=manual', '--json');
      assert.equal(held.status, 1, 'a conflict held for a manual decision is not resolved');
      const heldResults = JSON.parse(held.stdout).results as { entityId: string; ok: boolean; message: string }[];
      assert.deepEqual(heldResults.map((r) => [r.entityId, r.ok, r.message]), [['c', false, 'policy manual holds it for a manual decision']]);
    } finally {
      db.cleanup();
    }
  }, { timeout: 180_000 });

  firestoreTest('CLI --merge-file: chosen sides and typed values (tagged) land on both sides; a bad file is one line naming file and field', async ({ connection, emulator }) => {
    const db = await conflicted(connection, ['m']);
    try {
      const folder = dirname(db.path);
      const write = (name: string, content: unknown): string => {
        const path = join(folder, name);
        writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
        return path;
      };
      const before = sha256OfFile(db.path);
      for (const [file, expected] of [
        [write('bad-side.json', { choices: { name: 'both' } }), /--merge-file .*bad-side\.json: choices\.name: .*expected \{"choices"/],
        [write('bad-tag.json', { values: { createdAt: { $timestamp: 'yesterday' } } }), /--merge-file .*bad-tag\.json: values\.createdAt: \$timestamp holds ISO-8601/],
        [write('not-json.json', '{"choices": '), /--merge-file .*not-json\.json: is not JSON/],
        [write('extra.json', { choices: {}, value: {} }), /--merge-file .*extra\.json: .*expected \{"choices"/],
        [join(folder, 'missing.json'), /--merge-file .*missing\.json: cannot be read/],
      ] as const) {
        const run = runCli(emulator, 'resolve', db.path, '--strategy', 'merge', '--merge-file', file, '--json');
        assert.equal(run.status, 2, `${file}: ${run.stderr}`);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        assert.match(run.stderr, expected);
        assert.equal(JSON.parse(run.stdout).error.code, 'bad-option');
      }
      assert.equal(sha256OfFile(db.path), before, 'a bad merge file writes nothing');

      const merge = write('merge.json', { choices: { name: 'local' }, values: { email: 'merged@example.com', createdAt: { $timestamp: '2026-01-02T03:04:05.123456Z' } } });
      const run = runCli(emulator, 'resolve', db.path, '--strategy', 'merge', '--merge-file', merge, '--json');
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual((JSON.parse(run.stdout).results as { applied: string; ok: boolean }[]).map((r) => [r.applied, r.ok]), [['merge', true]]);
      const remote = await getRemoteUser(connection, 'm');
      assert.deepEqual([remote?.name, remote?.email], ['Local m', 'merged@example.com']);
      const createdAt = remote?.createdAt as { seconds: number; nanoseconds: number };
      assert.deepEqual([createdAt.seconds, createdAt.nanoseconds], [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 123_456_000], 'a Timestamp, to the microsecond');
      assert.equal(sqlite3(db.path, "SELECT name || '|' || email || '|' || createdAt || '|' || isSynced FROM users WHERE odid = 'm';").trim(), 'Local m|merged@example.com|2026-01-02T03:04:05.123456Z|1');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM sync_operations;').trim(), '0');
    } finally {
      db.cleanup();
    }
  }, { timeout: 180_000 });
});

