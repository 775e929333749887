// The sync UI at scale, as the extension host sees it: a 100,000-op queue analysed in the sync worker
// (dist/syncWorker.js) while the host thread's event-loop delay is sampled, the snapshot's size, the
// queue view's filter and grouping on every op, and a replay against the emulator streaming progress
// while the host stays responsive; then the same replay in the real VS Code (code-server, SyncLens
// as a development extension, bench/fixtures/syncUiHostProbe.ts in its extension host): the
// messages and bytes between the extension and the Sync Queue webview, the reloads and analyses
// one write sets off, and the time from the last op to the updated queue view.
// Figures only; nothing is asserted.
//   SYNCLENS_BENCH_QUEUE_OPS (default 100000), SYNCLENS_BENCH_REPLAY_OPS (default 5000),
//   SYNCLENS_BENCH_REPLAY_BATCH (ops per remote batch, default 250), SYNCLENS_BENCH_VSCODE_ONLY=1 (only the VS Code part)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { runTests } from '@vscode/test-electron';
import { buildSync } from 'esbuild';
import { RpcEndpoint } from '../core/protocol/rpc';
import { encodeQueueRows } from '../core/protocol/syncModel';
import { SyncWorkerProtocol } from '../extension/sync/workerProtocol';
import { emulatorUnavailableReason, startFirestoreEmulator } from '../scripts/firestore-emulator';
import { filterQueueRows, listItems } from '../webview/sync/queueModel';
import { ensureCodeServerInstalled } from '../scripts/vscode/install';
import type { SyncUiHostFigures } from './fixtures/syncUiHostProbe';
import { errorMessage } from '../core/errors';

const root = join(__dirname, '..');
const queueOps = Number(process.env.SYNCLENS_BENCH_QUEUE_OPS ?? 100_000);
const replayOps = Number(process.env.SYNCLENS_BENCH_REPLAY_OPS ?? 5_000);
const replayBatch = Number(process.env.SYNCLENS_BENCH_REPLAY_BATCH ?? 250);
const workerScript = join(root, 'dist', 'syncWorker.js');
const scratch = join(root, '.bench', 'sync-ui');

/** Times of every generated row: epoch milliseconds from here on. */
const baseMillis = 1_795_000_000_000;

/**
 * A fresh database at `path` written by the sqlite3 CLI: the app's users table and its queue
 * (times as epoch milliseconds), filled by `rowsSql` in one transaction.
 */
function writeAppDatabase(path: string, rowsSql: string): void {
  rmSync(path, { force: true });
  const sql = `
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE sync_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt INTEGER, lastError TEXT);
BEGIN;
${rowsSql}
COMMIT;`;
  execFileSync('sqlite3', [path], { input: sql });
}

/** One user per two ops: update, update; some retried (backing off / dead-lettered), some orphans. */
function writeQueueDatabase(path: string, ops: number): void {
  const users = Math.ceil(ops / 2);
  const base = baseMillis;
  writeAppDatabase(path, `
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${users})
INSERT INTO users (odid, email, name, createdAt, updatedAt, isSynced, version) SELECT printf('user%08d', i), printf('user%08d@example.com', i), printf('User %d', i), ${base} + i, ${base} + i, 0, 1 FROM n WHERE i % 50 <> 49;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ops})
INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt, retryCount, lastAttempt, lastError)
SELECT 'users', printf('user%08d', i / 2), 'update',
  json_object('odid', printf('user%08d', i / 2), 'name', printf('User %d v%d', i / 2, i % 2), 'email', printf('user%08d@example.com', i / 2), 'updatedAt', ${base} + i, 'version', 1 + i % 2),
  ${base} + i, CASE WHEN i % 97 = 0 THEN 6 WHEN i % 13 = 0 THEN 2 ELSE 0 END,
  CASE WHEN i % 13 = 0 THEN ${base} + i ELSE NULL END, CASE WHEN i % 13 = 0 THEN 'unavailable: deadline exceeded' ELSE NULL END
FROM n;`);
}

/** One new user per op, each with its queued create. */
function writeCreatesDatabase(path: string, ops: number): void {
  const base = baseMillis;
  writeAppDatabase(path, `
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ops})
INSERT INTO users (odid, email, name, createdAt, updatedAt) SELECT printf('new%08d', i), printf('new%08d@example.com', i), printf('New %d', i), ${base} + i, ${base} + i FROM n;
INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt)
SELECT 'users', odid, 'create', json_object('odid', odid, 'email', email, 'name', name, 'createdAt', createdAt, 'updatedAt', updatedAt, 'isDeleted', json('false'), 'version', 1), createdAt FROM users;`);
}

/** Runs `work` while sampling the host thread's event-loop delay; returns its result, ms, and max/p99 delay. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxDelayMs: number; p99DelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  histogram.disable();
  return { value, ms, maxDelayMs: histogram.max / 1e6, p99DelayMs: histogram.percentile(99) / 1e6 };
}

function time<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

/**
 * Replay All of `ops` creates in the real VS Code against `emulator`: the extension-host probe does
 * the work and counts; this prints what it wrote.
 */
async function replayInVsCode(emulator: { host: string; port: number }, projectId: string, ops: number): Promise<void> {
  // Inside the repo: the probe's require('vscode') then resolves to SyncLens's own API object.
  const probe = join(scratch, 'probe', 'syncUiHostProbe.js');
  buildSync({ entryPoints: [join(root, 'bench/fixtures/syncUiHostProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], outfile: probe, logLevel: 'warning' });
  await ensureCodeServerInstalled();
  const run = mkdtempSync(join(tmpdir(), 'synclens-bench-sync-ui-'));
  try {
    const workspace = join(run, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'synclens.json'), JSON.stringify({ databases: ['*.db'], firestore: { emulator: { host: emulator.host, port: emulator.port }, projectId } }));
    const path = join(workspace, 'replay.db');
    writeCreatesDatabase(path, ops);
    const resultsFile = join(run, 'figures.json');
    await runTests({
      vscodeExecutablePath: join(root, 'scripts/vscode/code-server-launcher'),
      extensionDevelopmentPath: root,
      extensionTestsPath: probe,
      launchArgs: [workspace, `--user-data-dir=${join(run, 'user-data')}`, `--extensions-dir=${join(run, 'extensions')}`],
      extensionTestsEnv: { SYNCLENS_BENCH_SYNC_PARAMS: JSON.stringify({ path, ops, batchSize: replayBatch, resultsFile }), SYNCLENS_WORKBENCH_LOG: join(scratch, 'workbench.log') },
    });
    if (!existsSync(resultsFile)) throw new Error(`the extension-host probe wrote no figures (see ${join(scratch, 'workbench.log')})`);
    const figures = JSON.parse(readFileSync(resultsFile, 'utf8')) as SyncUiHostFigures;
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
    const methods = (tally: SyncUiHostFigures['toWebview']): string =>
      Object.entries(tally.byMethod)
        .sort(([, a], [, b]) => b.bytes - a.bytes)
        .map(([method, entry]) => `${method} ${entry.messages} (${kb(entry.bytes)})`)
        .join(', ');
    const requests = figures.workerRequests;
    console.log(`\n--- Replay All of ${ops.toLocaleString('en-US')} creates in the real VS Code (code-server, emulator, batches of ${replayBatch}), the database open in its editor and the Sync Queue shown`);
    console.log(`replay command: ${fmt(figures.replayMs)}, ${JSON.stringify(figures.counts)} (first: ${figures.firstMessage}); replay log in the view: ${figures.logLines} lines`);
    console.log(`host -> webview: ${figures.toWebview.messages} messages, ${kb(figures.toWebview.bytes)}: ${methods(figures.toWebview)}`);
    console.log(`webview -> host: ${figures.fromWebview.messages} messages, ${kb(figures.fromWebview.bytes)}: ${methods(figures.fromWebview) || 'none'}`);
    console.log(
      `after the write: reloads (database worker open) ${requests.open ?? 0}, queue analyses (sync worker analyzeQueue) ${requests.analyzeQueue ?? 0}, ` +
        `queue totals (database worker queueTotals) ${requests.queueTotals ?? 0}, row counts ${requests.countTables ?? 0}, conflict listings ${requests.listConflicts ?? 0}`,
    );
    console.log(
      `last op settled -> queue posted to the webview: ${figures.lastOpToQueuePostedMs === null ? 'never' : fmt(figures.lastOpToQueuePostedMs)}; ` +
        `-> drained queue shown in the view: ${figures.lastOpToQueueShownMs === null ? 'never' : fmt(figures.lastOpToQueueShownMs)}`,
    );
    console.log(`every worker request in the window: ${JSON.stringify(requests)}`);
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(workerScript)) throw new Error(`${workerScript} is missing: run npm run build first`);
  mkdirSync(scratch, { recursive: true });
  if (process.env.SYNCLENS_BENCH_VSCODE_ONLY) {
    const unavailable = emulatorUnavailableReason();
    if (unavailable) throw new Error(`the VS Code replay needs the Firestore emulator: ${unavailable}`);
    const emulator = await startFirestoreEmulator({ projectId: 'demo-synclens-bench', unref: true });
    try {
      await replayInVsCode(emulator, 'demo-synclens-bench', replayOps);
    } finally {
      await emulator.stop();
    }
    return;
  }
  const queuePath = join(scratch, `queue-${queueOps}.db`);
  const generated = time(() => writeQueueDatabase(queuePath, queueOps));
  console.log(`queue database: ${queueOps.toLocaleString('en-US')} ops written by sqlite3 in ${fmt(generated.ms)}`);

  const worker = new Worker(workerScript);
  const endpoint = new RpcEndpoint((message) => worker.postMessage(message));
  worker.on('message', (message: unknown) => endpoint.receive(message));
  try {
    const opened = await measured(() => endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path: queuePath }));
    const snapshot = opened.value;
    const bytes = Buffer.byteLength(JSON.stringify(snapshot));
    console.log(
      `open queue (worker: read + analyse + hygiene, then the snapshot to the host): ${fmt(opened.ms)}; ` +
        `host event-loop delay max ${fmt(opened.maxDelayMs)}, p99 ${fmt(opened.p99DelayMs)}; snapshot ${(bytes / 1e6).toFixed(1)} MB JSON, ${snapshot.rows.length.toLocaleString('en-US')} rows, ${snapshot.hygiene.length} hygiene findings`,
    );
    const encoded = time(() => JSON.stringify(encodeQueueRows(snapshot.rows)));
    console.log(`queue as posted to the webview (column-encoded): ${(Buffer.byteLength(encoded.value) / 1e6).toFixed(1)} MB JSON, encoded in ${fmt(encoded.ms)}`);
    const again = await measured(() => endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path: queuePath }));
    console.log(`re-open (warm worker): ${fmt(again.ms)}; host delay max ${fmt(again.maxDelayMs)}`);
    const detail = await measured(() => endpoint.sendRequest(SyncWorkerProtocol.operationDetail, { path: queuePath, opId: snapshot.rows[queueOps - 1]!.id }));
    console.log(`detail pane of the last op: ${fmt(detail.ms)}`);

    const grouped = time(() => listItems(snapshot.rows, true));
    const flat = time(() => listItems(snapshot.rows, false));
    const byStatus = time(() => filterQueueRows(snapshot.rows, 'backing-off', 'all', null));
    const byStatusGrouped = time(() => listItems(filterQueueRows(snapshot.rows, 'ready', 'users', null), true));
    console.log(
      `queue view model on ${snapshot.rows.length.toLocaleString('en-US')} ops (the webview's own code, one synchronous pass): ` +
        `group by entity ${fmt(grouped.ms)} (${grouped.value.length.toLocaleString('en-US')} items), flat ${fmt(flat.ms)}, ` +
        `filter backing-off ${fmt(byStatus.ms)} (${byStatus.value.length.toLocaleString('en-US')}), filter ready+users then group ${fmt(byStatusGrouped.ms)}`,
    );
    console.log('(the list is virtualized: whatever the count, only the ~40 visible rows are in the DOM)');

    const unavailable = emulatorUnavailableReason();
    if (unavailable) {
      console.log(`replay responsiveness: SKIPPED (${unavailable})`);
      return;
    }
    const emulator = await startFirestoreEmulator({ projectId: 'demo-synclens-bench', unref: true });
    try {
      const replayPath = join(scratch, `replay-${replayOps}.db`);
      writeCreatesDatabase(replayPath, replayOps);
      let notifications = 0;
      let firstResultMs: number | null = null;
      const started = performance.now();
      const stop = endpoint.onNotification(SyncWorkerProtocol.replayResults, () => {
        notifications++;
        firstResultMs ??= performance.now() - started;
      });
      const replay = await measured(() =>
        endpoint.sendRequest(SyncWorkerProtocol.replay, {
          runId: 1,
          path: replayPath,
          target: { kind: 'emulator', host: emulator.host, port: emulator.port, projectId: 'demo-synclens-bench' },
          mode: 'all',
          only: [],
          force: false,
          allowLive: false,
          batchSize: replayBatch,
        }),
      );
      stop();
      console.log(
        `replay ${replayOps.toLocaleString('en-US')} creates (batches of ${replayBatch}) on the emulator: ${fmt(replay.ms)}, ${replay.value.counts.applied} applied, ` +
          `first result after ${fmt(firstResultMs ?? 0)}, ${notifications} progress notifications; host event-loop delay max ${fmt(replay.maxDelayMs)}, p99 ${fmt(replay.p99DelayMs)}`,
      );
      await emulator.wipe();
      await replayInVsCode(emulator, 'demo-synclens-bench', replayOps);
    } finally {
      await emulator.stop();
    }
  } finally {
    endpoint.close();
    await worker.terminate();
  }
  console.log(`peak RSS of this (host) process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(`bench/sync-ui: ${errorMessage(error)}`);
  process.exit(1);
});
