// Plan, replay and pull on an encrypted copy of the sample (SQLCipher 4, encrypted by the native
// SQLite3 Multiple Ciphers of better-sqlite3-multiple-ciphers) against the real emulator, through
// the CLI as a user runs it with SYNCLENS_DB_KEY. Afterwards the native library reopens the file
// with the key: integrity_check ok, the queue holds only what replay held back, the pulled remote
// edits are there, and the file is still SQLCipher 4 with its own salt (page 1 is ciphertext; the
// plain sqlite3 cannot read it). The key is in no output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { encryptInPlace, multipleCiphersQuery } from '../../helpers/encryptedDatabases';
import { scratchDir } from '../../helpers/sqliteCli';
import { firestoreTest } from '../helpers/emulator';

const sampleDb = join(__dirname, '../../../sample-workspace/app.db');
const cliEntry = join(__dirname, '../../../core/cli/main.ts');
const passphrase = "replay 'through' the cipher";

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FIRESTORE_EMULATOR_HOST: '', SYNCLENS_DB_KEY: passphrase },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  assert.ok(!result.stdout.includes(passphrase) && !result.stderr.includes(passphrase), 'the key is in no output');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function firstBytes(file: string, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, bytes, 0, length, 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

describe('sync on an encrypted database (SQLCipher 4)', () => {
  firestoreTest('plan, replay and pull through the key; the native library reopens the result', async ({ emulator, target }) => {
    const { dir, cleanup } = scratchDir('synclens-encrypted-sync-');
    try {
      const plain = join(dir, 'plain.db');
      const path = join(dir, 'app.db');
      copyFileSync(sampleDb, plain);
      // The remote the sample's scenario needs (applies, already applied, conflicts, remote missing, remote edits).
      const seeded = await seedEmulator(plain, target);
      assert.ok(seeded.remoteEdits.length > 0, 'the remote has edits to pull');
      copyFileSync(plain, path);
      encryptInPlace(path, 'sqlcipher4', passphrase);
      const salt = firstBytes(path, 16);
      assert.notEqual(salt.toString('latin1'), 'SQLite format 3\u0000', 'the copy is encrypted');
      const on = ['--emulator', `${emulator.host}:${emulator.port}`, '--project', emulator.projectId, '--json'];

      const plan = runCli(['plan', path, ...on]);
      assert.equal(plan.status, 0, plan.stderr);
      const planned = JSON.parse(plan.stdout) as { totals: Record<string, number> };
      for (const classification of ['apply', 'already-applied', 'conflict', 'remote-missing'] as const) {
        assert.ok(planned.totals[classification]! > 0, `plan shows ${classification}: ${JSON.stringify(planned.totals)}`);
      }

      const replay = runCli(['replay', path, ...on]);
      assert.equal(replay.status, 0, `${replay.stderr}\n${replay.stdout.slice(0, 2000)}`);
      const replayed = JSON.parse(replay.stdout) as { counts: Record<string, number>; results: { opId: number; outcome: string }[] };
      assert.equal(replayed.counts.failed ?? 0, 0);
      assert.ok(replayed.results.some((result) => result.outcome === 'applied'), JSON.stringify(replayed.counts));
      const keptBack = replayed.results.filter((result) => result.outcome === 'held' || result.outcome === 'skipped').map((result) => result.opId);

      const pull = runCli(['pull', path, ...on]);
      assert.equal(pull.status, 0, `${pull.stderr}\n${pull.stdout.slice(0, 2000)}`);

      const [integrity, left, renamed] = multipleCiphersQuery(path, 'sqlcipher4', passphrase, [
        'PRAGMA integrity_check',
        'SELECT id FROM sync_operations ORDER BY id',
        "SELECT (SELECT count(*) FROM posts WHERE title LIKE '%(renamed remotely)') + (SELECT count(*) FROM users WHERE name LIKE '%(renamed remotely)') AS renamed",
      ]);
      assert.deepEqual(integrity, [{ integrity_check: 'ok' }]);
      const remaining = left!.map((row) => Number(row.id));
      assert.deepEqual(remaining, [...keptBack].sort((a, b) => a - b), 'the queue holds only the ops replay held back or skipped');
      assert.equal(Number(renamed![0]!.renamed), seeded.remoteEdits.length, 'pull applied the remote edits to the encrypted file');
      assert.deepEqual(firstBytes(path, 16), salt, 'the same cipher and salt: page 1 is still SQLCipher 4 ciphertext');
      const plainReader = spawnSync('sqlite3', [path, 'SELECT count(*) FROM sqlite_schema'], { encoding: 'utf8' });
      assert.notEqual(plainReader.status, 0, 'the plain sqlite3 cannot read it');
      assert.match(plainReader.stderr, /file is not a database/);
    } finally {
      cleanup();
    }
  }, { timeout: 240_000 });
});
