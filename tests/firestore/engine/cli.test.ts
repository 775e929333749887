// The `synclens` sync commands as a user runs them (from source through tsx, so the test does not
// depend on a build), against the real emulator.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe } from 'node:test';
import { firestoreTest } from '../helpers/emulator';
import { sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { baseTime, writeAppDatabase, type UserSeed } from './fixture';

const cliEntry = join(__dirname, '../../../core/cli/main.ts');
const cliArgs = (...args: string[]): string[] => ['--import', 'tsx', cliEntry, ...args];

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, cliArgs(...args), { encoding: 'utf8', env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('synclens plan/replay CLI', () => {
  firestoreTest('bad input: exit 2 and one line on stderr', async () => {
    const db = writeAppDatabase([], []);
    try {
      const noTarget = runCli(['plan', db.path]);
      assert.equal(noTarget.status, 2);
      assert.equal(noTarget.stderr.trim().split('\n').length, 1);
      assert.match(noTarget.stderr, /^synclens: .*app\.db: no Firestore target/);
      const badOption = runCli(['replay', db.path, '--emulator', 'nowhere', '--json']);
      assert.equal(badOption.status, 2);
      assert.equal(JSON.parse(badOption.stdout).error.code, 'bad-option');
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('SIGKILL mid-replay: the file is untouched, a re-run converges and applies nothing twice', async ({ emulator, sdk, db: firestore }) => {
    const users: UserSeed[] = Array.from({ length: 1500 }, (_, index) => ({ odid: `k${String(index).padStart(4, '0')}`, name: `K ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    const target = ['--emulator', `${emulator.host}:${emulator.port}`, '--project', emulator.projectId];
    try {
      const before = sha256OfFile(db.path);
      const child = spawn(process.execPath, cliArgs('replay', db.path, ...target, '--json', '--batch-size', '50'), { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      // The signal: the first batch is visible remotely. Then kill before the write-back.
      const remoteCount = async (): Promise<number> => (await sdk.getCount(sdk.collection(firestore, 'users'))).data().count;
      let committed = 0;
      while (committed === 0 && child.exitCode === null) {
        committed = await remoteCount();
        if (committed === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', 'the replay was still running when killed');
      assert.equal(sha256OfFile(db.path), before, 'nothing was written to the file');
      const landed = await remoteCount();
      assert.ok(landed > 0 && landed < 1500 + 1);

      const rerun = runCli(['replay', db.path, ...target, '--json']);
      assert.equal(rerun.status, 0, `${rerun.stderr}\n${rerun.stdout.slice(0, 2000)}`);
      const summary = JSON.parse(rerun.stdout) as { counts: Record<string, number> };
      // Batches already sent when the client died may still commit server-side: at least what
      // was seen before the kill is recognised as applied, and every op is settled exactly once.
      assert.ok(summary.counts['already-applied']! >= landed, 'what landed before the kill is recognised, not sent again');
      assert.equal(summary.counts['already-applied']! + summary.counts.applied!, 1500);
      assert.equal(await remoteCount(), 1500);
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM sync_operations;').trim(), '0');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM users WHERE isSynced = 1;').trim(), '1500');
      assert.equal(sqlite3(db.path, 'PRAGMA integrity_check;').trim(), 'ok');
    } finally {
      db.cleanup();
    }
  }, { timeout: 240_000 });
});
