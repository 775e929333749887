import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../core/config/config';
import { countedSchema, openAppDatabase, type AppDatabase } from '../../../core/db/appDatabase';
import { roleOfTable, SyncRolesConfigError } from '../../../core/db/roles';
import { defaultBackoffPolicy, defaultMaxRetries, type QueueTotals } from '../../../core/db/types';
import { expectedQueue, journalCollection, writeConfigOverrideFixture } from '../../helpers/configOverrideFixture';
import { snapshotWalDatabase } from '../../helpers/dbFiles';
import { scratchDir } from '../../helpers/sqliteCli';

const now = Date.UTC(2026, 10, 24, 12);

function totalsOf(app: AppDatabase): Partial<QueueTotals> {
  const totals = app.queue?.totals;
  assert.ok(totals, 'the queue was analysed');
  return { total: totals.total, pending: totals.pending, ready: totals.ready, backingOff: totals.backingOff, deadLettered: totals.deadLettered };
}

async function withFixture(run: (dbPath: string, folder: string) => Promise<void>): Promise<void> {
  const scratch = scratchDir();
  try {
    await run(writeConfigOverrideFixture(scratch.dir, now), scratch.dir);
  } finally {
    scratch.cleanup();
  }
}

async function using<T>(opening: Promise<AppDatabase>, read: (app: AppDatabase) => T): Promise<T> {
  const app = await opening;
  try {
    return read(app);
  } finally {
    app.close();
  }
}

describe('openAppDatabase', () => {
  test('the nearest synclens.json sets roles, timestamp encodings and the retry policy', () =>
    withFixture(async (path, folder) => {
      await using(openAppDatabase(path, { now }), (app) => {
        assert.equal(app.config?.path, join(folder, 'synclens.json'));
        assert.equal(roleOfTable(app.roles, 'journal'), 'entity');
        const journal = app.roles.entities.find((entity) => entity.table === 'journal');
        assert.equal(journal?.collection, journalCollection);
        assert.equal(journal?.columns.externalId, 'remoteKey');
        const users = app.roles.entities.find((entity) => entity.table === 'users');
        assert.equal(users?.timestampEncodings.lastSeen, 'epoch-millis');
        assert.equal(users?.timestampEncodings.updatedAt, 'epoch-millis', 'detected encodings stay beside the configured one');
        assert.deepEqual(app.retryPolicy, { maxRetries: 3, backoff: { ...defaultBackoffPolicy, baseMs: 3_600_000 } });
        assert.deepEqual(totalsOf(app), expectedQueue.withConfig);
        assert.deepEqual(
          app.queue?.operations.map((op) => op.status),
          ['ready', 'backing-off', 'dead-lettered', 'dead-lettered'],
        );
        assert.deepEqual(app.schema.tables.map((table) => [table.name, table.rows]).sort(), [['journal', null], ['sync_operations', null], ['users', null]]);
        assert.deepEqual(countedSchema(app).tables.map((table) => [table.name, table.rows]).sort(), [['journal', 1], ['sync_operations', 4], ['users', 3]]);
        assert.equal(app.file.path, path);
      });
    }));

  test("'none' detects every role and uses the default policy", () =>
    withFixture(async (path) => {
      await using(openAppDatabase(path, { now, config: 'none' }), (app) => {
        assert.equal(app.config, null);
        assert.equal(roleOfTable(app.roles, 'journal'), 'other');
        assert.equal(app.roles.entities.find((entity) => entity.table === 'users')?.timestampEncodings.lastSeen, undefined);
        assert.deepEqual(app.retryPolicy, { maxRetries: defaultMaxRetries, backoff: defaultBackoffPolicy });
        assert.deepEqual(totalsOf(app), expectedQueue.detectedOnly);
      });
    }));

  test('a named config file wins over the nearest one', () =>
    withFixture(async (path, folder) => {
      const other = join(folder, 'elsewhere', 'strict.json');
      mkdirSync(join(folder, 'elsewhere'));
      writeFileSync(other, JSON.stringify({ maxRetries: 1 }));
      await using(openAppDatabase(path, { now, config: { file: other } }), (app) => {
        assert.equal(app.config?.path, other);
        assert.equal(roleOfTable(app.roles, 'journal'), 'other');
        assert.equal(app.queue?.totals.deadLettered, 3);
      });
    }));

  test('a config in a folder above the database applies', () =>
    withFixture(async (path, folder) => {
      const nested = join(folder, 'device', 'files');
      mkdirSync(nested, { recursive: true });
      renameSync(path, join(nested, 'app.db'));
      await using(openAppDatabase(join(nested, 'app.db'), { now }), (app) => {
        assert.equal(app.config?.path, join(folder, 'synclens.json'));
        assert.equal(app.queue?.totals.pending, expectedQueue.withConfig.pending);
      });
    }));

  test('now decides backoff; the queue analysis can be skipped', () =>
    withFixture(async (path) => {
      await using(openAppDatabase(path, { now: now + 2 * 3_600_000 }), (app) => assert.equal(app.queue?.totals.backingOff, 0));
      await using(openAppDatabase(path, { now, analyzeQueue: false }), (app) => {
        assert.equal(app.queue, null);
        assert.equal(app.roles.queue?.table, 'sync_operations');
        assert.equal(app.retryPolicy.maxRetries, 3);
      });
    }));

  test('a malformed config or one naming a missing table is an error, not a silent fallback', () =>
    withFixture(async (path, folder) => {
      writeFileSync(join(folder, 'synclens.json'), '{\n  "maxRetries": "three"\n}\n');
      await assert.rejects(openAppDatabase(path), (error: unknown) => error instanceof ConfigError && /synclens\.json:2:17/.test(error.message));
      writeFileSync(join(folder, 'synclens.json'), JSON.stringify({ entities: { diary: {} } }));
      await assert.rejects(openAppDatabase(path), (error: unknown) => error instanceof SyncRolesConfigError && /"diary" does not exist/.test(error.message));
    }));

  test('the file options reach the snapshot: a table only in the -wal shows unless applyWal is false', async () => {
    const scratch = scratchDir();
    try {
      const snapshot = join(scratch.dir, 'app.db');
      snapshotWalDatabase(
        join(scratch.dir, 'writer.db'),
        snapshot,
        `CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT, isSynced INTEGER);
         CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt INTEGER, retryCount INTEGER, lastAttempt INTEGER, lastError TEXT);
         INSERT INTO sync_operations VALUES (1, 'users', 'u1', 'create', '{}', ${now}, 0, NULL, NULL);`,
      );
      await using(openAppDatabase(snapshot, { now }), (app) => {
        assert.ok(app.file.walFramesApplied > 0);
        assert.equal(app.queue?.totals.total, 1);
      });
      await using(openAppDatabase(snapshot, { now, applyWal: false }), (app) => {
        assert.equal(app.file.walFramesApplied, 0);
        assert.equal(app.roles.queue, null);
        assert.equal(app.queue, null);
      });
    } finally {
      scratch.cleanup();
    }
  });
});
