// Sync features in the real VS Code against the real Firestore emulator (started here, in the
// extension host's Node): the Sync Queue panel's content for the sample database, plan, replay,
// cancel mid-replay, pull creating conflicts and resolving them by each strategy.
// Skipped with the reason where the emulator jar is missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { connectFirestore, type FirestoreConnection, type FirestoreTarget } from '../../../core/firestore/client';
import type { CompareReport, ConflictItem, PlanSnapshot, PullReport, ReplayReport, ResolutionReport } from '../../../core/protocol/syncModel';
import type { RenderedSyncPanel } from '../../../core/protocol/syncViews';
import { api, copyOfSample, folderWithTarget, waitFor, workspaceFolder } from './helpers';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../../scripts/firestore-emulator';

const projectId = 'demo-synclens-vscode';

function sqlite(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', [dbPath, sql], { encoding: 'utf8' }).trim();
}

function queueIds(dbPath: string): number[] {
  return sqlite(dbPath, 'SELECT id FROM sync_operations ORDER BY id').split('\n').filter(Boolean).map(Number);
}

describe('SyncLens sync against the Firestore emulator', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator | undefined;
  let target: FirestoreTarget;
  let remote: FirestoreConnection;
  let folder: string;

  before(async function () {
    const unavailable = emulatorUnavailableReason();
    if (unavailable) {
      console.warn(`!!! SYNC SUITE SKIPPED: Firestore emulator unavailable: ${unavailable}`);
      this.skip();
    }
    emulator = await startFirestoreEmulator({ projectId, unref: true });
    target = { kind: 'emulator', host: emulator.host, port: emulator.port, projectId };
    remote = await connectFirestore(target);
    folder = folderWithTarget(join(workspaceFolder(), 'sync-suite'), emulator, projectId, { maxRetries: 5 });
  });

  after(async () => {
    await remote?.close();
    await emulator?.stop();
  });

  function sampleCopy(name: string): string {
    return copyOfSample(join(folder, name));
  }

  it('shows the queue of the sample in send order with totals, plans every classification, and replay drains it', async () => {
    const path = sampleCopy('app.db');
    await emulator!.wipe();
    await seedEmulator(path, target);
    const synclens = await api();
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    const total = Number(sqlite(path, 'SELECT count(*) FROM sync_operations'));
    const firstInSendOrder = sqlite(path, 'SELECT entityType || \'/\' || entityId FROM sync_operations ORDER BY createdAt, id LIMIT 1');
    const queue = await waitFor(
      'the Sync Queue panel',
      async () => (await synclens.inspectSyncQueue(path)) ?? null,
      (shown: RenderedSyncPanel | null) => shown !== null && shown.rows.length > 0,
    );
    assert.match(queue!.totals, new RegExp(`^${total} ops · \\d+ pending`));
    assert.deepEqual(queue!.headers, ['#', 'operation', 'entity', 'age', 'retries', 'last attempt', 'last error', 'status']);
    assert.ok(queue!.rows[0]!.join(' ').includes(firstInSendOrder), `the first group is ${firstInSendOrder}: ${JSON.stringify(queue!.rows[0])}`);
    for (const status of ['ready', 'dead-lettered', 'invalid', 'orphan']) {
      assert.ok(queue!.rows.some((row) => row.at(-1) === status), `a ${status} badge is shown`);
    }

    const plan = (await vscode.commands.executeCommand('synclens.planReplay', uri)) as PlanSnapshot | undefined;
    assert.ok(plan, 'plan returned its snapshot');
    for (const classification of ['apply', 'already-applied', 'conflict', 'remote-missing', 'blocked'] as const) {
      assert.ok(plan.totals[classification] > 0, `plan shows ${classification}`);
    }
    assert.equal(Number(sqlite(path, 'SELECT count(*) FROM sync_operations')), total, 'plan writes nothing');
    const planView = await waitFor('the plan tab', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.tab === 'plan' && shown.rows.length > 0);
    assert.ok(planView.rows.some((row) => row.includes('conflict')), 'conflict rows are listed');

    const replay = (await vscode.commands.executeCommand('synclens.replayAll', { uri, confirmed: true })) as ReplayReport | undefined;
    assert.ok(replay, 'replay returned its report');
    const stuck = replay.results.filter((result) => ['held', 'skipped', 'failed'].includes(result.outcome)).map((result) => result.opId);
    assert.deepEqual(queueIds(path), [...stuck].sort((a, b) => a - b), 'the file keeps only held, blocked and failed ops');
    assert.ok(replay.backupPath && existsSync(replay.backupPath), 'a backup sits beside the file');
    assert.equal(sqlite(path, 'PRAGMA integrity_check'), 'ok');
    const log = await waitFor('the replay log', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.tab === 'log' && shown.log.length === replay.results.length);
    assert.ok(log.log.some((line) => / applied /.test(line)));
    await waitFor('the queue view after the write-back', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.totals.startsWith(`${stuck.length} ops`));
  });

  it('a write-back reloads the open database once, and the Sync Queue follows that one reload', async () => {
    const path = sampleCopy('once.db');
    await emulator!.wipe();
    await seedEmulator(path, target);
    const synclens = await api();
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('synclens.openDatabase', uri);
    const opened = await waitFor('the database in its editor', () => synclens.databaseState(path), (state) => state?.status === 'ready');
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    const total = Number(sqlite(path, 'SELECT count(*) FROM sync_operations'));
    await waitFor('the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => shown !== null && shown.totals.startsWith(`${total} ops`));
    // Later file events of the same write (the rename, the backup) would come within the watcher's 300 ms debounce.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = synclens.databaseState(path)!.revision!;
    assert.ok(before >= opened!.revision!);

    const replay = (await vscode.commands.executeCommand('synclens.replayAll', { uri, confirmed: true })) as ReplayReport | undefined;
    assert.ok(replay?.backupPath, 'the replay wrote the file back');
    const remaining = queueIds(path).length;
    await waitFor('the queue view after the write-back', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.totals.startsWith(`${remaining} ops`));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(synclens.databaseState(path)!.revision, before + 1, 'one reload for one write');
  });

  it('cancel mid-replay loses nothing and a re-run converges', async () => {
    const path = join(folder, 'cancel.db');
    const values = Array.from({ length: 150 }, (_, index) => {
      const id = `cancel${String(index).padStart(4, '0')}`;
      const at = 1_795_000_000_000 + index;
      const payload = JSON.stringify({ odid: id, email: `${id}@example.com`, name: id, createdAt: at, updatedAt: at, isDeleted: false, version: 1 }).replaceAll("'", "''");
      return { user: `('${id}', '${id}@example.com', '${id}', ${at}, ${at}, 0, 0, 1)`, op: `('users', '${id}', 'create', '${payload}', ${at}, 0)` };
    });
    sqlite(
      path,
      [
        'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);',
        'CREATE TABLE sync_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt INTEGER, lastError TEXT);',
        `INSERT INTO users (odid, email, name, createdAt, updatedAt, isSynced, isDeleted, version) VALUES ${values.map((value) => value.user).join(', ')};`,
        `INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt, retryCount) VALUES ${values.map((value) => value.op).join(', ')};`,
      ].join('\n'),
    );
    const uri = vscode.Uri.file(path);
    const before = queueIds(path);
    const report = (await vscode.commands.executeCommand('synclens.replayAll', { uri, confirmed: true, batchSize: 5, cancelAfter: 1 })) as ReplayReport | undefined;
    assert.ok(report, 'replay returned its report');
    assert.equal(report.cancelled, true, 'the replay stopped between batches');
    const applied = report.results.filter((result) => result.outcome === 'applied').map((result) => result.opId);
    assert.ok(applied.length > 0 && applied.length < before.length, `part of the queue went: ${applied.length}`);
    assert.deepEqual(queueIds(path), before.filter((id) => !applied.includes(id)), 'exactly the applied ops left the queue');
    assert.equal(Number(sqlite(path, 'SELECT count(*) FROM users WHERE isSynced = 1')), applied.length);
    const rerun = (await vscode.commands.executeCommand('synclens.replayAll', { uri, confirmed: true })) as ReplayReport | undefined;
    assert.equal(rerun?.cancelled, false);
    assert.deepEqual(queueIds(path), []);
    const { collection, getCount } = remote.sdk;
    const remoteCount = (await getCount(collection(remote.db, 'users'))).data().count;
    assert.ok(remoteCount >= 150, `every user reached the remote (${remoteCount})`);
  });

  it('pull turns remote edits of unsynced rows into conflicts, and each strategy settles both sides', async () => {
    const path = sampleCopy('pull.db');
    await emulator!.wipe();
    await seedEmulator(path, target);
    const ids = sqlite(path, 'SELECT odid FROM users WHERE isSynced = 1 AND isDeleted = 0 AND odid NOT IN (SELECT entityId FROM sync_operations) ORDER BY id LIMIT 4').split('\n');
    assert.equal(ids.length, 4);
    const { doc, setDoc, getDoc, Timestamp } = remote.sdk;
    for (const id of ids) {
      sqlite(path, `UPDATE users SET name = 'Local ' || odid, isSynced = 0, updatedAt = updatedAt + 1 WHERE odid = '${id}'`);
      await setDoc(doc(remote.db, 'users', id), { name: `Remote ${id}`, updatedAt: Timestamp.fromMillis(Date.now()) }, { merge: true });
    }
    const uri = vscode.Uri.file(path);
    const pulled = (await vscode.commands.executeCommand('synclens.pullRemoteChanges', { uri, confirmed: true })) as PullReport | undefined;
    assert.ok(pulled, 'pull returned its report');
    for (const id of ids) assert.ok(pulled.collections.some((entry) => entry.conflicts.includes(id)), `${id} became a conflict`);
    assert.equal(sqlite(path, `SELECT name FROM users WHERE odid = '${ids[0]}'`), `Local ${ids[0]}`);

    const items = (await vscode.commands.executeCommand('synclens.showConflicts', uri)) as ConflictItem[] | undefined;
    assert.ok(items);
    const synclens = await api();
    const shown = await waitFor('the Conflicts panel', async () => (await synclens.inspectConflicts(path)) ?? null, (view) => view !== null && ids.every((id) => view.items.includes(`users/${id}`)));
    assert.ok(shown!.fields.some((row) => row[0] === 'name'), 'the field-level diff lists name');

    const resolve = async (id: string, resolution: object): Promise<ResolutionReport> => {
      const report = (await vscode.commands.executeCommand('synclens.resolveAllByPolicy', { uri, keys: [`users/${id}`], resolution, confirmed: true })) as ResolutionReport | undefined;
      assert.ok(report && report.results.every((result) => result.ok), JSON.stringify(report));
      return report;
    };
    const remoteOf = async (id: string): Promise<Record<string, unknown> | undefined> => (await getDoc(doc(remote.db, 'users', id))).data();
    const [localId, remoteId, mergeId, policyId] = ids as [string, string, string, string];
    await resolve(localId, { kind: 'local' });
    assert.equal((await remoteOf(localId))?.name, `Local ${localId}`);
    assert.equal(sqlite(path, `SELECT name || '|' || isSynced FROM users WHERE odid = '${localId}'`), `Local ${localId}|1`);
    await resolve(remoteId, { kind: 'remote' });
    assert.equal(sqlite(path, `SELECT name || '|' || isSynced FROM users WHERE odid = '${remoteId}'`), `Remote ${remoteId}|1`);
    await resolve(mergeId, { kind: 'merge', choices: { name: 'local' }, values: { email: 'merged@example.com' } });
    assert.equal((await remoteOf(mergeId))?.email, 'merged@example.com');
    assert.equal(sqlite(path, `SELECT name || '|' || email FROM users WHERE odid = '${mergeId}'`), `Local ${mergeId}|merged@example.com`);
    await resolve(policyId, { kind: 'as-policy', policy: 'remoteWins' });
    assert.equal(sqlite(path, `SELECT name FROM users WHERE odid = '${policyId}'`), `Remote ${policyId}`);
    await waitFor('the Conflicts panel after resolving', async () => (await synclens.inspectConflicts(path))!, (view) => ids.every((id) => !view.items.includes(`users/${id}`)));
  });

  it('compares every collection with the remote', async () => {
    const path = join(folder, 'pull.db');
    const report = (await vscode.commands.executeCommand('synclens.compareWithRemote', { uri: vscode.Uri.file(path) })) as CompareReport | undefined;
    assert.ok(report, 'compare returned its report');
    const users = report.collections.find((entry) => entry.collection === 'users');
    assert.equal(users?.localRows, Number(sqlite(path, 'SELECT count(*) FROM users')));
  });

  it('says clearly when the Firestore target does not answer, and writes nothing', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    const unreachableFolder = folderWithTarget(join(folder, 'unreachable'), { host: '127.0.0.1', port: closedPort }, projectId);
    const path = copyOfSample(join(unreachableFolder, 'app.db'));
    const before = sqlite(path, 'SELECT count(*) FROM sync_operations');
    const plan = await vscode.commands.executeCommand('synclens.planReplay', vscode.Uri.file(path));
    assert.equal(plan, undefined, 'no plan without a reachable target');
    const synclens = await api();
    const shown = await waitFor('the error in the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path))!, (view) => view.error.length > 0);
    assert.match(shown.error, /Firestore is unreachable: .*127\.0\.0\.1:\d+.*Start the emulator/);
    assert.equal(sqlite(path, 'SELECT count(*) FROM sync_operations'), before);
  });

  it('opens a 100,000-op queue in the real webview and stays responsive', async function () {
    const path = join(folder, 'big-queue.db');
    const ops = 100_000;
    sqlite(
      path,
      [
        'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);',
        'CREATE TABLE sync_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt INTEGER, lastError TEXT);',
        'BEGIN;',
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ops / 2}) INSERT INTO users (odid, email, name, createdAt, updatedAt) SELECT printf('u%08d', i), printf('u%08d@example.com', i), printf('User %d', i), 1795000000000 + i, 1795000000000 + i FROM n;`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ops}) INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt) SELECT 'users', printf('u%08d', i / 2), 'update', json_object('odid', printf('u%08d', i / 2), 'name', printf('User %d v%d', i / 2, i % 2)), 1795000000000 + i FROM n;`,
        'COMMIT;',
      ].join('\n'),
    );
    const synclens = await api();
    const started = Date.now();
    await vscode.commands.executeCommand('synclens.showSyncQueue', vscode.Uri.file(path));
    const shown = await waitFor(
      'the 100,000-op queue in the webview',
      async () => (await synclens.inspectSyncQueue(path)) ?? null,
      (view: RenderedSyncPanel | null) => view !== null && view.totals.startsWith(`${ops} ops`) && view.rows.length > 0,
      120_000,
    );
    const openedMs = Date.now() - started;
    assert.ok(shown!.rows.length < 200, `virtualized: ${shown!.rows.length} rows in the DOM`);
    const roundTrips: number[] = [];
    for (let index = 0; index < 5; index++) {
      const asked = Date.now();
      await synclens.inspectSyncQueue(path);
      roundTrips.push(Date.now() - asked);
    }
    const worst = Math.max(...roundTrips);
    assert.ok(worst < 1_000, `the webview answers within a second once the queue is shown: ${roundTrips.join(', ')} ms`);
    this.test!.title = `opens a 100,000-op queue in the real webview in ${openedMs} ms (${shown!.rows.length} rows in the DOM); webview round trips afterwards ${roundTrips.join('/')} ms`;
  });

  // Last: from here on the started emulator is the chosen target of the session.
  it('Start Firestore Emulator runs the jar found on this machine and connects to it', async () => {
    const started = (await vscode.commands.executeCommand('synclens.startFirestoreEmulator')) as FirestoreTarget | undefined;
    assert.ok(started && started.kind === 'emulator', 'the command returns the emulator target');
    const response = await fetch(`http://${started.host}:${started.port}/`);
    assert.equal(response.ok, true, 'the emulator answers');
    const path = sampleCopy('started.db');
    const plan = (await vscode.commands.executeCommand('synclens.planReplay', vscode.Uri.file(path))) as PlanSnapshot | undefined;
    assert.ok(plan?.target.includes(`:${started.port}`), `plan ran against the started emulator: ${plan?.target}`);
  });
});
