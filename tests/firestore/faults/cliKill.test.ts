// `synclens replay` killed with SIGKILL at 200 ms RTT (through scripts/latencyProxy.ts), against the
// real emulator: the database file is untouched and intact (the write-back comes only at the end,
// copy-on-write: core/db/writeRecovery.ts), and a re-run at the same latency converges — every op
// settled exactly once in effect (coalesced updates included), the queue drained, nothing lost.
// Killed during its write-back instead, the file is the old one or the new one, never a mix, and
// the next run puts the leftovers away (core/db/writeRecovery.ts) and converges.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe } from 'node:test';
import { startLatencyProxy } from '../../../scripts/latencyProxy';
import { sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, userPayload, writeAppDatabase, type OpSeed, type UserSeed } from '../engine/fixture';

const cliEntry = join(__dirname, '../../../core/cli/main.ts');

function runCli(args: readonly string[]): { child: ReturnType<typeof spawn>; done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], { env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done };
}

describe('synclens replay killed at 200 ms RTT', () => {
  firestoreTest('SIGKILL after some batches, then a re-run through the same latency converges', async ({ emulator, sdk, db: firestore }) => {
    // 400 users, each created; every fourth also updated later (coalesced into its create's write).
    const isUpdated = (index: number): boolean => index % 4 === 0;
    const created = (index: number): UserSeed => ({ odid: `c${String(index).padStart(3, '0')}`, name: `C ${index} v1`, updatedAt: baseTime + index });
    const users: UserSeed[] = Array.from({ length: 400 }, (_, index) =>
      isUpdated(index) ? { ...created(index), name: `C ${index} v2`, updatedAt: baseTime + 1_000_000 + index } : created(index),
    );
    const ops: OpSeed[] = users.map((user, index) => ({ entityId: user.odid, operation: 'create', payload: userPayload(created(index)), createdAt: baseTime + index }));
    for (const user of users.filter((_, index) => isUpdated(index))) ops.push({ entityId: user.odid, operation: 'update', createdAt: user.updatedAt });
    const db = writeAppDatabase(users, ops);
    const proxy = await startLatencyProxy({ targetHost: emulator.host, targetPort: emulator.port, rttMs: 200 });
    const target = ['--emulator', `${proxy.host}:${proxy.port}`, '--project', emulator.projectId];
    const remoteCount = async (): Promise<number> => (await sdk.getCount(sdk.collection(firestore, 'users'))).data().count;
    try {
      const before = sha256OfFile(db.path);
      const first = runCli(['replay', db.path, ...target, '--json', '--batch-size', '20']);
      // Killed once a few batches are visible remotely (read directly, not through the proxy).
      let landed = 0;
      while (landed < 40 && first.child.exitCode === null) {
        landed = await remoteCount();
        if (landed < 40) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      first.child.kill('SIGKILL');
      const killed = await first.done;
      assert.equal(killed.signal, 'SIGKILL', `the replay was still running when killed: ${killed.stderr}`);
      assert.equal(sqlite3(db.path, 'PRAGMA integrity_check;').trim(), 'ok');
      assert.equal(sha256OfFile(db.path), before, 'nothing was written to the file');
      landed = await remoteCount();
      assert.ok(landed >= 40 && landed < 400, `${landed} documents landed before the kill`);

      const rerun = await runCli(['replay', db.path, ...target, '--json']).done;
      assert.equal(rerun.status, 0, `${rerun.stderr}\n${rerun.stdout.slice(0, 2000)}`);
      const summary = JSON.parse(rerun.stdout) as { counts: Record<string, number> };
      // What landed (with its coalesced update) is recognised as applied, not sent again.
      assert.ok(summary.counts['already-applied']! >= landed, `already applied: ${summary.counts['already-applied']}, landed before: ${landed}`);
      assert.equal(summary.counts['already-applied']! + summary.counts.applied!, ops.length, JSON.stringify(summary.counts));
      assert.equal(sqlite3(db.path, 'PRAGMA integrity_check;').trim(), 'ok');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM sync_operations;').trim(), '0');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM users WHERE isSynced = 1;').trim(), '400');
      // Every document holds its last op's value: the update where there was one.
      const snapshot = await sdk.getDocs(sdk.collection(firestore, 'users'));
      const names = new Map(snapshot.docs.map((doc) => [doc.id, doc.data().name]));
      assert.equal(names.size, 400);
      users.forEach((user, index) => assert.equal(names.get(user.odid), isUpdated(index) ? `C ${index} v2` : `C ${index} v1`, user.odid));
    } finally {
      await proxy.close();
      db.cleanup();
    }
  }, { timeout: 180_000 });

  firestoreTest('SIGKILL during the write-back: the file is old or new and intact, the next run recovers and converges', async ({ t, emulator, sdk, db: firestore }) => {
    const users: UserSeed[] = Array.from({ length: 100 }, (_, index) => ({ odid: `w${String(index).padStart(3, '0')}`, name: `W ${index}`, updatedAt: baseTime + index }));
    const db = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    const proxy = await startLatencyProxy({ targetHost: emulator.host, targetPort: emulator.port, rttMs: 200 });
    const target = ['--emulator', `${proxy.host}:${proxy.port}`, '--project', emulator.projectId];
    const folder = dirname(db.path);
    const inFlight = (): string[] => readdirSync(folder).filter((name) => name.startsWith(`.${basename(db.path)}.synclens-`));
    try {
      const before = sha256OfFile(db.path);
      const first = runCli(['replay', db.path, ...target, '--json']);
      // The first file the write-back creates (its partial backup) is the signal.
      const watcher = watch(folder, (_event, name) => {
        if (name && String(name).includes('.synclens-')) first.child.kill('SIGKILL');
      });
      const killed = await first.done;
      watcher.close();
      assert.equal(killed.signal, 'SIGKILL', `the CLI finished before its write-back was caught: ${killed.stdout.slice(0, 300)}`);
      assert.equal(sqlite3(db.path, 'PRAGMA integrity_check;').trim(), 'ok');
      const drained = sqlite3(db.path, 'SELECT COUNT(*) FROM sync_operations;').trim() === '0';
      assert.ok(drained || sha256OfFile(db.path) === before, 'the file is either the old one or the whole new one');
      t.diagnostic(`killed with the file ${drained ? 'written' : 'untouched'}; left beside it: ${inFlight().join(', ') || 'nothing'}`);
      assert.equal((await sdk.getCount(sdk.collection(firestore, 'users'))).data().count, 100, 'the replay itself had finished');

      const rerun = await runCli(['replay', db.path, ...target, '--json']).done;
      assert.equal(rerun.status, 0, `${rerun.stderr}\n${rerun.stdout.slice(0, 2000)}`);
      const summary = JSON.parse(rerun.stdout) as { counts: Record<string, number> };
      assert.equal(summary.counts.applied ?? 0, 0, 'nothing is sent again');
      assert.equal(summary.counts['already-applied'] ?? 0, drained ? 0 : 100);
      assert.deepEqual(inFlight(), [], 'no temp, partial backup or claim is left beside the file');
      assert.equal(sqlite3(db.path, 'PRAGMA integrity_check;').trim(), 'ok');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM sync_operations;').trim(), '0');
      assert.equal(sqlite3(db.path, 'SELECT COUNT(*) FROM users WHERE isSynced = 1;').trim(), '100');
    } finally {
      await proxy.close();
      db.cleanup();
    }
  }, { timeout: 120_000 });
});
