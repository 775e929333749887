// inspect --json on the queue layouts of other stacks (tests/unit/queues/fixtures.ts): the right
// queue kind and totals, and the facts each source gives per operation.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { buildInspectReport } from '../../../core/cli/inspect';
import { openEngine, ReadOnlyQueueError } from '../../../core/engine/openEngine';
import { parseFirestoreSdkFileName } from '../../../core/queue/firestoreSdk/source';
import { readSourceOperationDetail } from '../../../core/queue/operationDetail';
import { scratchDir } from '../../helpers/sqliteCli';
import { schemaErrors, validatorFor } from '../cli/cliSchema';
import { brickIssueJobs, writeBrickFixture } from './brickFixtures';
import { firestoreSdkFileName, fixtureNow, writeDriftLocalTimeQueue, writeDriftQueue, writeFirestoreSdkCache } from './fixtures';
import { writePowerSyncFixture } from './powerSyncFixtures';

const scratch = scratchDir('synclens-queues-');
const paths = { firestore: '', powersync: '', brick: '', drift: '' };
before(() => {
  paths.firestore = writeFirestoreSdkCache(scratch.dir);
  paths.powersync = writePowerSyncFixture(scratch.dir);
  paths.brick = writeBrickFixture(scratch.dir, brickIssueJobs(fixtureNow));
  paths.drift = writeDriftQueue(scratch.dir);
});
after(() => scratch.cleanup());

const inspectQueue = async (path: string) => (await buildInspectReport(path, { applyWal: true, now: fixtureNow, config: false })).queue;
const operationsOf = async (path: string) => {
  const app = await openAppDatabase(path, { config: 'none', now: fixtureNow });
  try {
    return app.queue?.operations ?? [];
  } finally {
    app.close();
  }
};

describe('queue sources: inspect --json', () => {
  test('Firestore Android SDK cache: 3 pending writes, read-only, in batch order', async () => {
    const queue = await inspectQueue(paths.firestore);
    assert.equal(queue?.kind, 'firestore-sdk');
    assert.equal(queue?.table, 'mutations');
    assert.match(queue?.readOnlyReason ?? '', /Firestore SDK owns this file/);
    assert.deepEqual(
      { total: queue?.total, pending: queue?.pending, ready: queue?.ready, orphans: queue?.orphans, invalid: queue?.invalid, deadLettered: queue?.deadLettered },
      { total: 3, pending: 3, ready: 3, orphans: 0, invalid: 0, deadLettered: 0 },
    );
    assert.equal(queue?.oldestPendingAgeMs, 30 * 60_000);

    const ops = await operationsOf(paths.firestore);
    assert.deepEqual(
      ops.map((op) => [op.id, op.operation, op.entityType, op.entityId, op.facts?.['write'], op.facts?.['batchId'], op.facts?.['precondition']]),
      [
        [1, 'upsert', 'posts', 'p1', 'set', 1, null],
        [2, 'update', 'posts', 'p2', 'update', 2, 'exists'],
        [3, 'delete', 'posts', 'p3', 'delete', 2, null],
      ],
    );
    assert.deepEqual(ops[0]?.payload, { title: 'Hello', likes: 3, publishedAt: new Date(fixtureNow - 31 * 60_000).toISOString() });
    assert.deepEqual(ops[0]?.facts?.['transforms'], ['updatedAt: server time']);
    assert.deepEqual(ops[1]?.facts?.['fieldMask'], ['title', 'tags']);
    assert.deepEqual(ops[1]?.payload, { title: 'Edited', tags: ['a'] });
    assert.equal(ops[2]?.facts?.['writeInBatch'], '2 of 2');
    assert.equal(ops[0]?.facts?.['user'], 'u1');
  });

  test('the SDK file name: persistence key, project and database, URL-decoded', () => {
    assert.equal(firestoreSdkFileName, 'firestore.%5BDEFAULT%5D.demo-synclens.%28default%29');
    assert.deepEqual(parseFirestoreSdkFileName(firestoreSdkFileName), { persistenceKey: '[DEFAULT]', projectId: 'demo-synclens', databaseId: '(default)' });
    assert.equal(parseFirestoreSdkFileName('app.db'), null);
  });

  test('PowerSync ps_crud: 3 ops from the JSON, read-only', async () => {
    const queue = await inspectQueue(paths.powersync);
    assert.equal(queue?.kind, 'powersync');
    assert.match(queue?.readOnlyReason ?? '', /not to Firestore/);
    assert.equal(queue?.total, 3);
    assert.equal(queue?.ready, 3);
    const ops = await operationsOf(paths.powersync);
    assert.deepEqual(ops.map((op) => [op.operation, op.entityType, op.entityId]), [['upsert', 'todos', 't1'], ['update', 'todos', 't2'], ['delete', 'todos', 't3']]);
    assert.deepEqual(ops[0]?.payload, { description: 'milk', completed: 0, list_id: 'l1' });
  });

  test('Brick HttpJobs: 3 requests, op from the method, collection and id from the URL', async () => {
    const queue = await inspectQueue(paths.brick);
    assert.equal(queue?.kind, 'brick');
    assert.match(queue?.readOnlyReason ?? '', /Brick sends these requests/);
    assert.equal(queue?.total, 3);
    // Brick retries on its own: attempts never dead-letter or back off by SyncLens's policy.
    assert.equal(queue?.deadLettered, 0);
    assert.equal(queue?.backingOff, 0);
    const ops = await operationsOf(paths.brick);
    assert.deepEqual(
      ops.map((op) => [op.operation, op.entityType, op.entityId, op.retryCount, op.facts?.['locked']]),
      // attempts counts the try in flight too (brickFixtures.ts): a locked request has one failure fewer.
      [['upsert', 'kitchens', 'k1', 1, false], ['update', 'kitchens', 'k2', 2, true], ['delete', 'kitchens', 'k3', 1, true]],
    );
  });

  test('a drift app queue: kind/ts/try_count, text op ids, upsert; a delete of a gone row is not an orphan', async () => {
    const queue = await inspectQueue(paths.drift);
    assert.equal(queue?.kind, 'table');
    assert.equal(queue?.table, 'sync_outbox');
    assert.equal(queue?.readOnlyReason, null);
    assert.deepEqual(
      { total: queue?.total, invalid: queue?.invalid, orphans: queue?.orphans, ready: queue?.ready },
      { total: 4, invalid: 0, orphans: 1, ready: 3 },
    );
    const ops = await operationsOf(paths.drift);
    assert.deepEqual(ops.map((op) => [op.id, op.operation, op.entityId, op.status]), [
      [1, 'upsert', 'n1', 'ready'],
      [2, 'update', 'n2', 'ready'],
      [3, 'delete', 'n3', 'ready'],
      [4, 'update', 'n4', 'orphan'],
    ]);
    assert.equal(ops[1]?.retryCount, 1);
    assert.equal(queue?.oldestPendingAgeMs, 40 * 60_000);
  });
});

describe('queue sources: plan and replay', () => {
  for (const layout of ['firestore', 'powersync', 'brick'] as const) {
    test(`${layout}: plan says why SyncLens does not plan or replay it, before any target is needed`, async () => {
      await assert.rejects(openEngine(paths[layout]), (error: unknown) => {
        assert.ok(error instanceof ReadOnlyQueueError);
        assert.equal(error.code, 'read-only-queue');
        assert.match(error.message, /queue \((mutations|ps_crud|HttpJobs)\): .*(SDK owns this file|not to Firestore|Brick sends)/);
        return true;
      });
    });
  }
});

describe('queue sources: the --json contract', () => {
  test("each layout's queue object is valid against schemas/cli-output.schema.json's inspectQueue", async () => {
    const validate = validatorFor('inspectQueue');
    for (const layout of ['firestore', 'powersync', 'brick', 'drift'] as const) {
      const queue = await inspectQueue(paths[layout]);
      assert.ok(validate(queue), `${layout}: ${schemaErrors(validate)}`);
    }
  });
});

test("a read-only source's pending op says who sends it, not that the engine will", async () => {
  const ops = await operationsOf(paths.firestore);
  assert.equal(ops[0]?.reason, 'pending: the Firestore SDK sends it, SyncLens only shows it');
  const brick = await operationsOf(paths.brick);
  assert.equal(brick[0]?.reason, "pending: Brick's offline queue sends it, SyncLens only shows it");
});

describe('queue sources: drift config additions', () => {
  test('queue.lastErrors joins the side table by the text op id; queue.timeZone reads zone-less local times', async () => {
    const dir = join(scratch.dir, 'drift-local');
    mkdirSync(dir);
    const path = writeDriftLocalTimeQueue(dir);
    const config = join(dir, 'synclens.json');
    writeFileSync(config, JSON.stringify({ queue: { table: 'sync_outbox', lastErrors: { table: 'sync_outbox_errors', opId: 'op_id', error: 'error' }, timeZone: 'Europe/Berlin' } }));
    const app = await openAppDatabase(path, { config: { file: config }, now: fixtureNow });
    try {
      const ops = app.queue?.operations ?? [];
      assert.deepEqual(ops.map((op) => [op.operation, op.lastError, op.createdAt === null ? null : new Date(op.createdAt).toISOString()]), [
        ['upsert', 'second: PERMISSION_DENIED', '2026-11-24T11:30:00.000Z'],
        ['update', null, '2026-11-24T11:45:00.000Z'],
      ]);
    } finally {
      app.close();
    }
    // Without the zone the same text is read as UTC: an hour later.
    const plain = await openAppDatabase(path, { config: 'none', now: fixtureNow });
    try {
      assert.equal(new Date(plain.queue!.operations[0]!.createdAt!).toISOString(), '2026-11-24T12:30:00.000Z');
      assert.equal(plain.queue!.operations[0]!.lastError, null);
    } finally {
      plain.close();
    }
  });

  test('a lastErrors table or zone the database or Intl does not know is a config error naming it', async () => {
    const dir = join(scratch.dir, 'drift-bad');
    mkdirSync(dir);
    const path = writeDriftLocalTimeQueue(dir);
    const config = join(dir, 'synclens.json');
    writeFileSync(config, JSON.stringify({ queue: { table: 'sync_outbox', lastErrors: { table: 'nope', opId: 'op_id', error: 'error' } } }));
    await assert.rejects(openAppDatabase(path, { config: { file: config } }), /queue.lastErrors table "nope" does not exist/);
    writeFileSync(config, JSON.stringify({ queue: { table: 'sync_outbox', timeZone: 'Mars/Olympus' } }));
    await assert.rejects(openAppDatabase(path, { config: { file: config } }), /queue.timeZone "Mars\/Olympus" is not a time zone/);
  });
});

test("a read-only source's op detail is its fields and its source's facts (no local row)", async () => {
  const app = await openAppDatabase(paths.firestore, { config: 'none', analyzeQueue: false });
  try {
    const detail = readSourceOperationDetail(app, 2);
    assert.deepEqual(detail?.payload, { title: 'Edited', tags: ['a'] });
    assert.equal(detail?.localRow, null);
    const described = JSON.parse(detail?.payloadText ?? '{}') as { 'firestore-sdk': Record<string, unknown> };
    assert.deepEqual(described['firestore-sdk']['fieldMask'], ['title', 'tags']);
    assert.equal(described['firestore-sdk']['precondition'], 'exists');
    assert.throws(() => readSourceOperationDetail(app, 99), /operation #99 is no longer in the queue/);
  } finally {
    app.close();
  }
  const drift = await openAppDatabase(paths.drift, { config: 'none', analyzeQueue: false });
  try {
    assert.equal(readSourceOperationDetail(drift, 1), null, 'a queue table keeps the engine detail with its local row');
  } finally {
    drift.close();
  }
});
