// Every coded error (core/errors.ts) reaches the user with its own code, and 'internal' is left for
// real bugs: describeFailure in core/cli/output.ts, and the built CLI on sqlite3-written files,
// with the README's exit codes (2: bad input, nothing done; 1: Firestore stopped answering).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeFailure } from '../../../core/cli/output';
import { DatabaseFileError } from '../../../core/db/errors';
import { DatabaseWriteError } from '../../../core/db/writeBack';
import { CodedError } from '../../../core/errors';
import { fromJsonValue } from '../../../core/engine/taggedValues';
import { FirestoreConnectionError } from '../../../core/firestore/client';
import { EmulatorStartError, EmulatorUnavailableError } from '../../../core/firestore/emulator';
import { plainValuesSdk } from '../../../core/firestore/mapping';
import { RpcError } from '../../../core/protocol/rpc';
import { writeEncryptedDatabase } from '../../helpers/encryptedDatabases';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { buildOnce, cliPath, runCli, stderrLines } from './cliProcess';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('CLI failures keep the code of the error', () => {
  test('each coded error is its code and bad input (exit 2); an error without one is internal', () => {
    const badTag = thrown(() => fromJsonValue({ $timestamp: 'not an instant' }, plainValuesSdk, 'values.updatedAt'));
    const cases: [unknown, string][] = [
      [badTag, 'invalid-value'],
      [new CodedError('restricted', 'Restricted Mode: this workspace is not trusted to write'), 'restricted'],
      [new DatabaseWriteError('live', '/abs/app.db', 'app.db was not written: the app has it open'), 'write-live'],
      [new DatabaseWriteError('changed', '/abs/app.db', 'app.db changed'), 'write-changed'],
      [new DatabaseFileError('wrong-key', '/abs/app.db', 'the key does not open app.db'), 'wrong-key'],
      [new EmulatorUnavailableError('the Firestore emulator is not installed'), 'emulator-unavailable'],
      [new EmulatorStartError('the emulator did not start'), 'emulator-start'],
      [new FirestoreConnectionError('permission-denied', 'the rules refuse the read'), 'permission-denied'],
      [new CodedError('read-only-queue', 'the Firestore SDK owns this queue'), 'read-only-queue'],
      // A code carried across a worker's message port.
      [new RpcError('operation #3 is no longer in the queue', 'missing'), 'missing'],
    ];
    for (const [error, code] of cases) {
      const report = describeFailure(error, 'app.db');
      assert.deepEqual([report.code, report.exitCode, report.file], [code, 2, 'app.db'], `${code}: ${report.message}`);
      assert.doesNotMatch(report.message, /internal error/);
    }
    assert.match(describeFailure(badTag).message, /values\.updatedAt/, 'the message says where');
    assert.equal(describeFailure(new RangeError('index out of range')).code, 'internal');
    assert.equal(describeFailure(new RpcError('the worker failed')).code, 'internal', "an RpcError without a code of ours stays 'internal'");
  });

  describe('the built CLI', () => {
    let dir: string;
    let db: string;
    let cleanup = (): void => {};
    before(() => {
      buildOnce();
      ({ dir, cleanup } = scratchDir('synclens-codes-'));
      db = join(dir, 'app.db');
      sqlite3(
        db,
        `CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, name TEXT, updatedAt INTEGER, isSynced INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT NOT NULL, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastError TEXT);
         INSERT INTO users (odid, name, updatedAt) VALUES ('u1', 'Ada', 1772438400123);
         INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt) VALUES ('users', 'u1', 'update', '{"odid":"u1","name":"Ada","updatedAt":1772438400123}', 1772438400123);`,
      );
    });

    after(() => cleanup());

    const errorOf = (stdout: string): { code: string; message: string } => (JSON.parse(stdout) as { error: { code: string; message: string } }).error;

    test('an emulator target that cannot be used is invalid-config, exit 2, one stderr line', () => {
      const run = runCli(['plan', db, '--emulator', '127.0.0.1:0', '--json']);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(errorOf(run.stdout).code, 'invalid-config');
      assert.equal(stderrLines(run).length, 1, run.stderr);
    });

    test('an emulator that does not answer is unreachable, exit 1', () => {
      const run = runCli(['conflicts', db, '--emulator', '127.0.0.1:1', '--json']);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(errorOf(run.stdout).code, 'unreachable');
      assert.equal(stderrLines(run).length, 1, run.stderr);
    });

    test('an encrypted database and a wrong key is wrong-key, exit 2', () => {
      const encrypted = join(dir, 'locked.db');
      writeEncryptedDatabase(encrypted, { cipher: 'sqlcipher4', key: 'the right key', sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1);" });
      const run = spawnSync(process.execPath, [cliPath, 'inspect', encrypted, '--json'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SYNCLENS_DB_KEY: 'a wrong key' } });
      assert.equal(run.status, 2, run.stderr);
      assert.equal(errorOf(run.stdout).code, 'wrong-key');
    });
  });
});
