// The sync worker as the extension drives it: the built dist/syncWorker.js in a real worker thread,
// its typed protocol, a copy of the sample database and the real Firestore emulator (seeded by the
// sample's seed script). Skipped, with the reason, where the emulator jar is missing.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { RpcEndpoint } from '../../../core/protocol/rpc';
import type { OperationResult } from '../../../core/engine/types';
import { SyncWorkerProtocol } from '../../../extension/sync/workerProtocol';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { baseTime, getRemoteUser, writeAppDatabase, type UserSeed } from '../../firestore/engine/fixture';
import { firestoreTest } from '../../firestore/helpers/emulator';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { builtWorkerThread, type WorkerThread } from '../../helpers/workerThread';

const root = join(__dirname, '..', '..', '..');
const workerScript = join(root, 'dist', 'syncWorker.js');

function count(path: string, sql: string): number {
  return Number(sqlite3(path, sql).trim());
}

function queueIds(path: string): number[] {
  return sqlite3(path, 'SELECT id FROM sync_operations ORDER BY id')
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

describe('sync worker (dist/syncWorker.js) against the emulator', () => {
  let thread: WorkerThread;
  let endpoint: RpcEndpoint;
  const results: { runId: number; result: OperationResult }[] = [];
  const scratch = scratchDir('synclens-sync-ui-');

  before(() => {
    thread = builtWorkerThread(workerScript);
    endpoint = thread.endpoint;
    endpoint.onNotification(SyncWorkerProtocol.replayResults, ({ runId, results: settled }) => results.push(...settled.map((result) => ({ runId, result }))));
  });

  after(async () => {
    await thread.close();
    scratch.cleanup();
  });

  let copies = 0;
  function sampleCopy(): string {
    const dir = join(scratch.dir, `copy-${++copies}`);
    sqlite3(join(root, 'sample-workspace', 'app.db'), `VACUUM INTO '${dir.replaceAll("'", "''")}.db'`);
    const path = `${dir}.db`;
    // synclens.json beside the copy: same roles and policies as the sample; the target is passed explicitly.
    copyFileSync(join(root, 'sample-workspace', 'synclens.json'), join(scratch.dir, 'synclens.json'));
    return path;
  }

  firestoreTest('queue, detail and plan of the seeded sample; replay selected, step, then all drains all but held, blocked and failed ops', async ({ target }) => {
    const path = sampleCopy();
    await seedEmulator(path, target);
    const total = count(path, 'SELECT count(*) FROM sync_operations');

    const queue = await endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path });
    assert.equal(queue.rows.length, total);
    assert.equal(queue.totals?.total, total);
    assert.deepEqual(queue.lastSync, { at: Date.parse('2026-11-21T10:00:00.000Z'), source: 'sync_state.lastSyncAt' }, 'the Queue header shows the app\'s last sync');
    assert.deepEqual(
      queue.rows.map((row) => row.id),
      sqlite3(path, 'SELECT id FROM sync_operations ORDER BY createdAt, id').split('\n').filter(Boolean).map(Number),
      'rows come in send order',
    );
    for (const status of ['ready', 'dead-lettered', 'invalid', 'orphan'] as const) {
      assert.ok(queue.rows.some((row) => row.status === status), `the sample has a ${status} op`);
    }
    const withRow = queue.rows.find((row) => row.status === 'ready')!;
    const detail = await endpoint.sendRequest(SyncWorkerProtocol.operationDetail, { path, opId: withRow.id });
    assert.ok(detail.payload && detail.localRow, 'a ready op has a payload and a local row');
    assert.equal(typeof detail.payloadText, 'string');

    const plan = await endpoint.sendRequest(SyncWorkerProtocol.plan, { path, target, only: null, force: false });
    for (const classification of ['apply', 'already-applied', 'conflict', 'remote-missing', 'blocked'] as const) {
      assert.ok(plan.totals[classification] > 0, `plan shows ${classification}: ${JSON.stringify(plan.totals)}`);
    }
    assert.ok(plan.rows.some((row) => row.classification === 'conflict' && row.remote !== null), 'conflicts carry the remote document');
    assert.equal(count(path, 'SELECT count(*) FROM sync_operations'), total, 'plan writes nothing');

    // Selected: only the chosen op is sent; Step: only the first sendable op.
    const chosen = plan.rows.find((row) => row.classification === 'apply' && row.operation === 'create')!;
    const selected = await endpoint.sendRequest(SyncWorkerProtocol.replay, { runId: 5, path, target, mode: 'selected', only: [chosen.opId], force: false, allowLive: false });
    assert.deepEqual(selected.results.map((result) => [result.opId, result.outcome]), [[chosen.opId, 'applied']]);
    assert.ok(!queueIds(path).includes(chosen.opId));
    assert.equal(queueIds(path).length, total - 1);
    const step = await endpoint.sendRequest(SyncWorkerProtocol.replay, { runId: 6, path, target, mode: 'step', only: [], force: false, allowLive: false });
    assert.equal(step.results.length, 1, `one op per step: ${JSON.stringify(step.results)}`);
    assert.equal(queueIds(path).length, total - 2);

    const replay = await endpoint.sendRequest(SyncWorkerProtocol.replay, { runId: 8, path, target, mode: 'all', only: [], force: false, allowLive: false });
    const stuck = replay.results.filter((result) => result.outcome === 'held' || result.outcome === 'skipped' || result.outcome === 'failed').map((result) => result.opId);
    assert.deepEqual(queueIds(path), [...stuck].sort((a, b) => a - b), 'only held, blocked and failed ops remain');
    assert.ok(replay.counts.applied > 0);
    assert.ok(replay.backupPath && existsSync(replay.backupPath), 'the write-back kept a backup');
    assert.ok(results.some((entry) => entry.runId === 8), 'results were streamed');
    assert.equal(sqlite3(path, 'PRAGMA integrity_check').trim(), 'ok');
  }, { timeout: 120_000 });

  firestoreTest('cancel mid-replay: settled ops leave the queue and exist remotely, the rest stay queued untouched; a re-run drains', async ({ target, connection }) => {
    const users: UserSeed[] = Array.from({ length: 200 }, (_, index) => ({ odid: `user${String(index).padStart(4, '0')}`, name: `User ${index}`, updatedAt: baseTime + index }));
    const fixture = writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index })));
    try {
      const path = fixture.path;
      const before = queueIds(path);
      const runId = 21;
      const stop = new AbortController();
      const cancelling = endpoint.onNotification(SyncWorkerProtocol.replayResults, (message) => {
        if (message.runId === runId && message.results.some((result) => result.outcome === 'applied')) stop.abort();
      });
      const report = await endpoint.sendRequest(
        SyncWorkerProtocol.replay,
        { runId, path, target, mode: 'all', only: [], force: false, allowLive: false, batchSize: 5 },
        { signal: stop.signal },
      );
      cancelling();
      assert.equal(report.cancelled, true);
      const applied = report.results.filter((result) => result.outcome === 'applied').map((result) => result.opId);
      assert.ok(applied.length >= 5 && applied.length < 200, `some batches went before the cancel: ${applied.length}`);
      assert.equal(report.results.filter((result) => result.outcome === 'skipped').length, 200 - applied.length, 'every other op is reported as not sent');
      assert.deepEqual(queueIds(path), before.filter((id) => !applied.includes(id)), 'exactly the applied ops left the queue');
      const sentIds = new Set(report.results.filter((result) => result.outcome === 'applied').map((result) => result.entityId));
      for (const user of [users[0]!, users[199]!]) {
        const remote = await getRemoteUser(connection, user.odid);
        assert.equal(remote !== null, sentIds.has(user.odid), `${user.odid} exists remotely exactly when it was applied`);
      }
      assert.equal(count(path, 'SELECT count(*) FROM users WHERE isSynced = 1'), applied.length, 'applied rows are marked synced, the rest are not');

      const rerun = await endpoint.sendRequest(SyncWorkerProtocol.replay, { runId: 22, path, target, mode: 'all', only: [], force: false, allowLive: false });
      assert.equal(rerun.cancelled, false);
      assert.equal(count(path, 'SELECT count(*) FROM sync_operations'), 0, 'the re-run drains the queue');
      assert.equal(count(path, 'SELECT count(*) FROM users WHERE isSynced = 1'), 200);
      assert.ok(await getRemoteUser(connection, users[199]!.odid), 'the last user reached the remote');
    } finally {
      fixture.cleanup();
    }
  }, { timeout: 120_000 });

  firestoreTest('throttle (synclens.replay.throttle): forced on, the emulator replay shows each collection\'s limit in its status; by default it shows none', async ({ target }) => {
    const statuses = new Map<number, string[]>();
    const listening = endpoint.onNotification(SyncWorkerProtocol.replayResults, ({ runId, status }) => {
      if (status) statuses.set(runId, [...(statuses.get(runId) ?? []), status]);
    });
    const fixtures = [31, 32].map((runId) => {
      const users: UserSeed[] = Array.from({ length: 20 }, (_, index) => ({ odid: `throttle${runId}-${index}`, name: `User ${index}`, updatedAt: baseTime + index }));
      return { runId, fixture: writeAppDatabase(users, users.map((user, index) => ({ entityId: user.odid, operation: 'create' as const, createdAt: baseTime + index }))) };
    });
    try {
      const [forced, byDefault] = fixtures;
      const params = { target, mode: 'all' as const, only: [], force: false, allowLive: false, batchSize: 5 };
      const throttled = await endpoint.sendRequest(SyncWorkerProtocol.replay, { ...params, runId: forced!.runId, path: forced!.fixture.path, throttle: true });
      const unthrottled = await endpoint.sendRequest(SyncWorkerProtocol.replay, { ...params, runId: byDefault!.runId, path: byDefault!.fixture.path });
      assert.equal(throttled.counts.applied, 20);
      assert.equal(unthrottled.counts.applied, 20);
      assert.ok((statuses.get(forced!.runId) ?? []).some((status) => /users ≤ 500 writes\/s/.test(status)), JSON.stringify(statuses.get(forced!.runId)));
      assert.ok(!(statuses.get(byDefault!.runId) ?? []).some((status) => /writes\/s/.test(status)), JSON.stringify(statuses.get(byDefault!.runId)));
    } finally {
      listening();
      for (const { fixture } of fixtures) fixture.cleanup();
    }
  }, { timeout: 120_000 });

  firestoreTest('pull turns a remote edit of an unsynced row into a conflict; each strategy settles both sides', async ({ target, connection }) => {
    const path = sampleCopy();
    await seedEmulator(path, target);
    const ids = sqlite3(path, "SELECT odid FROM users WHERE isSynced = 1 AND isDeleted = 0 AND odid NOT IN (SELECT entityId FROM sync_operations) ORDER BY id LIMIT 4")
      .split('\n')
      .filter(Boolean);
    assert.equal(ids.length, 4, 'the sample has four synced users without ops');
    const { doc, setDoc, getDoc, Timestamp } = connection.sdk;
    const remoteTime = Date.now();
    for (const id of ids) {
      sqlite3(path, `UPDATE users SET name = 'Local ' || odid, isSynced = 0, updatedAt = updatedAt + 1 WHERE odid = '${id}'`);
      await setDoc(doc(connection.db, 'users', id), { name: `Remote ${id}`, updatedAt: Timestamp.fromMillis(remoteTime) }, { merge: true });
    }

    const pulled = await endpoint.sendRequest(SyncWorkerProtocol.pull, { path, target, allowLive: false });
    const usersPull = pulled.collections.find((entry) => entry.collection === 'users');
    for (const id of ids) assert.ok(usersPull?.conflicts.includes(id), `pull reports ${id} as a conflict`);
    assert.equal(sqlite3(path, `SELECT name FROM users WHERE odid = '${ids[0]}'`).trim(), `Local ${ids[0]}`, 'pull did not overwrite the local change');

    const conflicts = await endpoint.sendRequest(SyncWorkerProtocol.listConflicts, { path, target });
    for (const id of ids) {
      const item = conflicts.find((candidate) => candidate.key === `users/${id}`);
      assert.ok(item, `users/${id} is listed`);
      assert.ok(item.differences.some((difference) => difference.field === 'name' && difference.local === `Local ${id}` && difference.remote === `Remote ${id}`));
    }
    const remoteName = async (id: string): Promise<unknown> => (await getDoc(doc(connection.db, 'users', id))).data()?.name;
    const localName = (id: string): string => sqlite3(path, `SELECT name || '|' || isSynced FROM users WHERE odid = '${id}'`).trim();

    const [localId, remoteId, mergeId, policyId] = ids as [string, string, string, string];
    let report = await endpoint.sendRequest(SyncWorkerProtocol.resolve, { path, target, keys: [`users/${localId}`], resolution: { kind: 'local' }, allowLive: false });
    assert.ok(report.results.every((result) => result.ok), JSON.stringify(report));
    assert.equal(await remoteName(localId), `Local ${localId}`);
    assert.equal(localName(localId), `Local ${localId}|1`);

    report = await endpoint.sendRequest(SyncWorkerProtocol.resolve, { path, target, keys: [`users/${remoteId}`], resolution: { kind: 'remote' }, allowLive: false });
    assert.ok(report.results.every((result) => result.ok), JSON.stringify(report));
    assert.equal(await remoteName(remoteId), `Remote ${remoteId}`);
    assert.equal(localName(remoteId), `Remote ${remoteId}|1`);

    report = await endpoint.sendRequest(SyncWorkerProtocol.resolve, {
      path,
      target,
      keys: [`users/${mergeId}`],
      resolution: { kind: 'merge', choices: { name: 'local' }, values: { email: 'merged@example.com' } },
      allowLive: false,
    });
    assert.ok(report.results.every((result) => result.ok), JSON.stringify(report));
    const merged = (await getDoc(doc(connection.db, 'users', mergeId))).data();
    assert.equal(merged?.name, `Local ${mergeId}`);
    assert.equal(merged?.email, 'merged@example.com');
    assert.equal(sqlite3(path, `SELECT name || '|' || email FROM users WHERE odid = '${mergeId}'`).trim(), `Local ${mergeId}|merged@example.com`);

    report = await endpoint.sendRequest(SyncWorkerProtocol.resolve, { path, target, keys: [`users/${policyId}`], resolution: { kind: 'as-policy', policy: 'remoteWins' }, allowLive: false });
    assert.ok(report.results.every((result) => result.ok), JSON.stringify(report));
    assert.equal(localName(policyId), `Remote ${policyId}|1`);

    const left = await endpoint.sendRequest(SyncWorkerProtocol.listConflicts, { path, target });
    for (const id of ids) assert.ok(!left.some((item) => item.key === `users/${id}`), `users/${id} is settled`);
    assert.equal(sqlite3(path, 'PRAGMA integrity_check').trim(), 'ok');
  }, { timeout: 120_000 });

  firestoreTest('compare with remote finds rows missing on either side and stale ones', async ({ target, connection }) => {
    const path = sampleCopy();
    await seedEmulator(path, target);
    const { doc, setDoc, deleteDoc, Timestamp } = connection.sdk;
    const synced = sqlite3(path, "SELECT odid FROM users WHERE isSynced = 1 AND isDeleted = 0 AND odid NOT IN (SELECT entityId FROM sync_operations) ORDER BY id LIMIT 3").split('\n').filter(Boolean);
    await deleteDoc(doc(connection.db, 'users', synced[0]!));
    await setDoc(doc(connection.db, 'users', 'onlyRemote0001'), { name: 'Only remote', updatedAt: Timestamp.fromMillis(Date.now()), isDeleted: false });
    await setDoc(doc(connection.db, 'users', synced[1]!), { updatedAt: Timestamp.fromMillis(Date.now() + 60_000) }, { merge: true });
    await setDoc(doc(connection.db, 'users', synced[2]!), { isDeleted: true }, { merge: true });
    const report = await endpoint.sendRequest(SyncWorkerProtocol.compare, { path, target });
    const kindOf = (id: string): string | undefined => report.findings.find((finding) => finding.collection === 'users' && finding.entityId === id)?.kind;
    assert.equal(kindOf(synced[0]!), 'missing-remotely');
    assert.equal(kindOf('onlyRemote0001'), 'missing-locally');
    assert.equal(kindOf(synced[1]!), 'remote-newer');
    assert.equal(kindOf(synced[2]!), 'tombstone-remote-only');
    const users = report.collections.find((entry) => entry.collection === 'users');
    assert.equal(users?.localRows, count(path, 'SELECT count(*) FROM users'));
  }, { timeout: 120_000 });
});

