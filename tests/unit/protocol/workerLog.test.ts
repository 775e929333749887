// Write-back recovery's log lines from the worker threads reach the thread that started them
// (core/protocol/workerLog.ts), so in VS Code they land in the SyncLens output channel instead of
// the Extension Host log: the database worker, its row counter, the sync worker and the scan worker, each a real
// worker thread running its TypeScript source, open a sqlite3-written file that a killed
// write-back left an unfinished backup copy beside.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { DatabaseWorkerProtocol } from '../../../core/protocol/databaseWorker';
import { RowCounterProtocol } from '../../../core/protocol/rowCounter';
import { SecretsWorkerProtocol } from '../../../core/protocol/secretsScan';
import { SyncWorkerProtocol } from '../../../extension/sync/workerProtocol';
import { WorkerClient } from '../../../extension/workerClient';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const repo = join(__dirname, '..', '..', '..');
const { dir, cleanup } = scratchDir('synclens-worker-log-');
after(cleanup);

/** The id of a process that has exited: its leftovers are a stopped write's. */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid;

let files = 0;
/** A fresh app.db (by sqlite3) with the unfinished backup copy of a write-back killed while copying. */
function databaseWithLeftover(): { path: string; leftover: string } {
  files += 1;
  const path = join(dir, `app${files}.db`);
  sqlite3(
    path,
    `CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, updatedAt INTEGER);
     CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT NOT NULL, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0);
     INSERT INTO users (odid, updatedAt) VALUES ('u1', 1772438400123);`,
  );
  const leftover = join(dir, `.app${files}.db.synclens-partial-backup-20261201T120000Z-${deadPid}-0123abcd`);
  writeFileSync(leftover, 'half a backup');
  return { path, leftover };
}

function client(source: string, lines: string[]): WorkerClient {
  const script = join(repo, source);
  return new WorkerClient({
    name: source,
    start: () => new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true }),
    log: { info: (line) => void lines.push(line), error: (line) => void lines.push(`error: ${line}`) },
  });
}

function assertRecoveryLogged(lines: readonly string[], leftover: string): void {
  assert.ok(!existsSync(leftover), 'the open removed the unfinished copy');
  const recovery = lines.filter((line) => line.includes('a write-back stopped while it copied the backup'));
  assert.equal(recovery.length, 1, lines.join('\n'));
  assert.match(recovery[0]!, new RegExp(`process ${deadPid}`));
}

describe('write-back recovery lines reach the thread that started the worker', () => {
  test('the database worker', async () => {
    const lines: string[] = [];
    const worker = client('extension/worker/databaseWorker.ts', lines);
    try {
      const { path, leftover } = databaseWithLeftover();
      await worker.endpoint.sendRequest(DatabaseWorkerProtocol.open, { path });
      assertRecoveryLogged(lines, leftover);
      // The row counter's client (inside the database worker) logs to the host through it too.
      await worker.endpoint.sendRequest(DatabaseWorkerProtocol.countTables, { path });
      assert.ok(lines.includes('the row counter started'), lines.join('\n'));
    } finally {
      worker.dispose();
    }
  });

  test('the row counter', async () => {
    const lines: string[] = [];
    const worker = client('extension/worker/rowCounterWorker.ts', lines);
    try {
      const { path, leftover } = databaseWithLeftover();
      await worker.endpoint.sendRequest(RowCounterProtocol.open, { path });
      assertRecoveryLogged(lines, leftover);
    } finally {
      worker.dispose();
    }
  });

  test('the scan worker', async () => {
    const lines: string[] = [];
    const worker = client('extension/scan/scanWorker.ts', lines);
    try {
      const { path, leftover } = databaseWithLeftover();
      await worker.endpoint.sendRequest(SecretsWorkerProtocol.scan, { path });
      assertRecoveryLogged(lines, leftover);
    } finally {
      worker.dispose();
    }
  });

  test('the sync worker', async () => {
    const lines: string[] = [];
    const worker = client('extension/sync/syncWorker.ts', lines);
    try {
      const { path, leftover } = databaseWithLeftover();
      await worker.endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path });
      assertRecoveryLogged(lines, leftover);
    } finally {
      worker.dispose();
    }
  });
});
