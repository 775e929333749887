// Faults between SyncLens and the real emulator, injected by the latency proxy
// (scripts/latencyProxy.ts): a connection reset mid-commit before the server got the request and
// after it applied it (the retry reads back first: nothing is sent twice, nothing lost), a 10 s
// partition mid-replay, and a latency spike to 2 s (the progress says so; cancel stops within
// one batch). Each test checks the local queue, isSynced and the emulator's documents.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { queryObjects } from '../../../core/db/query';
import { connectFirestore, type FirestoreConnection } from '../../../core/firestore/client';
import type { RemoteStore, RemoteWrite } from '../../../core/engine/remoteStore';
import { describeReplayProgress, type ReplayProgress } from '../../../core/engine/replayProgress';
import { SyncSession } from '../../../core/engine/session';
import type { OperationResult } from '../../../core/engine/types';
import { startLatencyProxy, type LatencyProxy } from '../../../scripts/latencyProxy';
import { firestoreTest, type EmulatorEndpoint } from '../helpers/emulator';
import { baseTime, getRemoteUser, iso, openSession, putRemoteUsers, queueRows, userPayload, writeAppDatabase, type OpSeed, type UserSeed } from '../engine/fixture';

const now = baseTime + 3_600_000;

interface Proxied {
  proxy: LatencyProxy;
  connection: FirestoreConnection;
  close(): Promise<void>;
}

/** The SDK talks to the emulator through a fresh proxy. */
async function throughProxy(emulator: EmulatorEndpoint, rttMs: number): Promise<Proxied> {
  const proxy = await startLatencyProxy({ targetHost: emulator.host, targetPort: emulator.port, rttMs });
  const connection = await connectFirestore({ kind: 'emulator', host: proxy.host, port: proxy.port, projectId: emulator.projectId });
  return {
    proxy,
    connection,
    close: async () => {
      await connection.close().catch(() => undefined);
      await proxy.close();
    },
  };
}

/** The remote with every commit's writes recorded (the requests really sent). */
function recording(remote: RemoteStore): { remote: RemoteStore; commits: RemoteWrite[][] } {
  const commits: RemoteWrite[][] = [];
  return { commits, remote: { ...remote, commit: async (writes) => (commits.push([...writes]), remote.commit(writes)) } };
}

const usersNamed = (count: number, prefix: string): UserSeed[] =>
  Array.from({ length: count }, (_, index) => ({ odid: `${prefix}${String(index).padStart(3, '0')}`, name: `${prefix} ${index}`, updatedAt: baseTime + index * 1000 }));
const createsOf = (users: readonly UserSeed[]): OpSeed[] => users.map((user, index) => ({ entityId: user.odid, operation: 'create', createdAt: baseTime + index * 1000 }));

async function remoteNames(connection: FirestoreConnection): Promise<Map<string, unknown>> {
  const { sdk, db } = connection;
  const snapshot = await sdk.getDocs(sdk.collection(db, 'users'));
  return new Map(snapshot.docs.map((doc) => [doc.id, doc.data().name]));
}

describe('faults through the latency proxy', () => {
  for (const deliver of ['none', 'request'] as const) {
    const when = deliver === 'none' ? 'before the emulator got the commit' : 'after the emulator applied the commit';
    firestoreTest(`a reset mid-commit ${when}: read back, then only what did not land is sent again`, async ({ emulator, connection: direct }) => {
      // 18 creates, and an update then a soft delete of a document that exists remotely (two
      // writes to one document in the second batch: judged by the last), in batches of 10.
      const users = usersNamed(18, 'r');
      const gone: UserSeed = { odid: 'r-gone', name: 'Gone renamed', updatedAt: baseTime + 15_500, isDeleted: 1 };
      const ops = createsOf(users);
      ops.splice(
        14,
        0,
        { entityId: gone.odid, operation: 'update', payload: { ...userPayload(gone), isDeleted: false, updatedAt: iso(baseTime + 15_000) }, createdAt: baseTime + 15_000 },
        { entityId: gone.odid, operation: 'delete', createdAt: baseTime + 15_500 },
      );
      const db = writeAppDatabase([...users, gone], ops);
      await putRemoteUsers(direct, [{ ...gone, isDeleted: 0, updatedAt: baseTime - 60_000 }]);
      const proxied = await throughProxy(emulator, 5);
      try {
        const { session, opened, remote } = await openSession(db.path, proxied.connection, { now: () => now }, 10_000);
        try {
          const { remote: recorded, commits } = recording(remote);
          const results: OperationResult[] = [];
          let reset: Promise<void> | null = null;
          const summary = await new SyncSession(session.db, session.roles, recorded, { now: () => now }).replay({
            batchSize: 10,
            concurrency: 1,
            onResult: (result) => {
              results.push(result);
              // Armed once the first batch settled: the next request is the second batch's commit.
              reset ??= proxied.proxy.resetMidRequest({ deliver });
            },
          });
          await reset;
          assert.equal(proxied.proxy.stats().resets, 1);
          assert.equal(summary.counts.applied, 20, JSON.stringify(results.filter((result) => result.outcome !== 'applied')));
          // The second batch: sent again only when the read-back found it missing.
          assert.equal(commits.length, deliver === 'none' ? 3 : 2, `commits sent: ${commits.map((writes) => writes.length).join(', ')}`);
          const second = results.slice(10);
          const expected = deliver === 'none' ? /; retried 1× after UNAVAILABLE$/ : /; confirmed by read-back after UNAVAILABLE$/;
          for (const result of second) assert.match(result.message, expected, `#${result.opId}`);
          for (const result of results.slice(0, 10)) assert.doesNotMatch(result.message, /retried|read-back/);
          assert.equal(queueRows(session).length, 0, 'the queue is drained');
          assert.deepEqual(
            queryObjects(session.db, 'SELECT odid, isSynced FROM users ORDER BY odid'),
            users.map((user) => ({ odid: user.odid, isSynced: 1 })),
            'every created row is synced; the deleted row is purged',
          );
          const names = await remoteNames(direct);
          assert.equal(names.size, 19);
          for (const user of users) assert.equal(names.get(user.odid), user.name);
          const tombstone = await getRemoteUser(direct, gone.odid);
          assert.equal(tombstone?.isDeleted, true, 'the delete, the last write of its document, stands');
          assert.equal(tombstone?.name, 'Gone renamed');
        } finally {
          opened.close();
        }
      } finally {
        await proxied.close();
        db.cleanup();
      }
    });
  }

  firestoreTest('a 10 s partition mid-replay, then healing: the timed-out commit is awaited, read back and not sent again; the replay resumes with the exact state', async ({ emulator, connection: direct }) => {
    const users = usersNamed(40, 'p');
    const db = writeAppDatabase(users, createsOf(users));
    const proxied = await throughProxy(emulator, 20);
    try {
      // A 4 s bound per call: the commit caught in the partition times out and is retried.
      const { session, opened, remote } = await openSession(db.path, proxied.connection, { now: () => now }, 4_000);
      try {
        const { remote: recorded, commits } = recording(remote);
        const results: OperationResult[] = [];
        const progress: ReplayProgress[] = [];
        let partition: Promise<void> | null = null;
        const summary = await new SyncSession(session.db, session.roles, recorded, { now: () => now }).replay({
          batchSize: 10,
          concurrency: 1,
          onProgress: (report) => progress.push(report),
          onResult: (result) => {
            results.push(result);
            partition ??= proxied.proxy.partitionFor(10_000);
          },
        });
        await partition;
        assert.equal(summary.counts.applied, 40, JSON.stringify(results.filter((result) => result.outcome !== 'applied').slice(0, 3)));
        assert.equal(summary.cancelled, false);
        const retried = results.slice(10, 20);
        // The commit caught in the partition landed once it healed: the retry waited for its late
        // answer, read back, found it applied and sent nothing again.
        for (const result of retried) assert.match(result.message, /; confirmed by read-back after DEADLINE_EXCEEDED$/, `#${result.opId}: ${result.message}`);
        assert.equal(commits.length, 4, 'four batches, none sent twice');
        assert.ok(progress.some((report) => report.retrying?.code === 'deadline-exceeded'), 'the progress showed the retry');
        assert.ok(progress.some((report) => report.slow), 'the progress called the stalled batch slow');
        assert.equal(queueRows(session).length, 0);
        assert.deepEqual(queryObjects(session.db, 'SELECT COUNT(*) AS synced FROM users WHERE isSynced = 1'), [{ synced: 40 }]);
        const names = await remoteNames(direct);
        assert.equal(names.size, 40);
        for (const user of users) assert.equal(names.get(user.odid), user.name);
      } finally {
        opened.close();
      }
    } finally {
      await proxied.close();
      db.cleanup();
    }
  }, { timeout: 90_000 });

  firestoreTest('a latency spike to 2 s: the progress reports the slow batch, and cancel stops the replay within one batch', async ({ emulator, connection: direct }) => {
    const users = usersNamed(100, 's');
    const db = writeAppDatabase(users, createsOf(users));
    const proxied = await throughProxy(emulator, 0);
    try {
      const { session, opened } = await openSession(db.path, proxied.connection, { now: () => now }, 20_000);
      try {
        const controller = new AbortController();
        const lines: string[] = [];
        let cancelledAt: number | null = null;
        const summary = await session.replay({
          batchSize: 10,
          concurrency: 1,
          signal: controller.signal,
          onProgress: (report) => {
            lines.push(describeReplayProgress(report));
            // Two quick batches, then every byte waits a second each way.
            if (report.batchesCommitted === 2) proxied.proxy.setShape({ rttMs: 2000 });
            if (report.slow && cancelledAt === null) {
              cancelledAt = report.batchesCommitted;
              controller.abort();
            }
          },
        });
        assert.equal(cancelledAt, 3, `progress: ${lines.join(' | ')}`);
        assert.match(lines[2]!, /^slow: last batch took [2-9]\.\d s \(fastest \d+ ms\)/);
        assert.equal(summary.cancelled, true);
        assert.equal(summary.batchesCommitted, 3, 'no batch left after the cancel');
        assert.equal(summary.counts.applied, 30);
        assert.equal(summary.counts.skipped, 70);
        assert.ok(summary.results.slice(30).every((result) => result.message === 'cancelled before it was sent'));
        const rows = queueRows(session);
        assert.equal(rows.length, 70, 'unsent ops keep their place');
        assert.ok(rows.every((row) => row.retryCount === 0), 'a cancel counts no retry');
        assert.equal((await remoteNames(direct)).size, 30);
      } finally {
        opened.close();
      }
    } finally {
      await proxied.close();
      db.cleanup();
    }
  }, { timeout: 60_000 });
});
