// PowerSync on a database laid out as powersync-sqlite-core leaves it (powerSyncFixtures.ts): the
// ps_crud queue read through JSON paths (PowerSync's, or synclens.json's queue.paths), the views and
// ps_data__ tables as read-only entities that never give "table does not exist", and the last sync
// from ps_sync_state, in inspect's JSON and text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildInspectReport, formatInspectReport } from '../../../core/cli/inspect';
import { checkConfigAgainstDatabase } from '../../../core/config/databaseCheck';
import { analyzeAppQueue, countedSchema, openAppDatabase } from '../../../core/db/appDatabase';
import { readPage } from '../../../core/db/rows';
import { findQueueHygiene } from '../../../core/engine/hygiene';
import { jsonColumnsOf, timestampEncodingsOf } from '../../../core/protocol/gridModel';
import { readSourceOperationDetail } from '../../../core/queue/operationDetail';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { schemaErrors, validatorFor } from '../cli/cliSchema';
import { fixtureNow } from './fixtures';
import { customShapeCrudRows, customShapePaths, writePowerSyncFixture } from './powerSyncFixtures';

const scratch = scratchDir('synclens-powersync-');
let path = '';
before(() => {
  path = writePowerSyncFixture(scratch.dir);
});
after(() => scratch.cleanup());

const inspectOf = (file: string, config: string | false = false) => buildInspectReport(file, { applyWal: true, now: fixtureNow, config });

/** A folder of its own with a synclens.json beside a fresh copy of the fixture (or the rows given). */
function withConfig(name: string, config: unknown, crud?: readonly Record<string, unknown>[]): { db: string; config: string } {
  const dir = join(scratch.dir, name);
  mkdirSync(dir);
  const configPath = join(dir, 'synclens.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { db: writePowerSyncFixture(dir, 'powersync.db', crud), config: configPath };
}

describe('PowerSync: inspect --json', () => {
  test('3 ps_crud ops, read-only, none an orphan (the DELETE of a gone row included)', async () => {
    const { queue } = await inspectOf(path);
    assert.equal(queue?.kind, 'powersync');
    assert.equal(queue?.table, 'ps_crud');
    assert.deepEqual(
      { total: queue?.total, pending: queue?.pending, ready: queue?.ready, orphans: queue?.orphans, invalid: queue?.invalid, deadLettered: queue?.deadLettered },
      { total: 3, pending: 3, ready: 3, orphans: 0, invalid: 0, deadLettered: 0 },
    );
    const validate = validatorFor('inspectQueue');
    assert.ok(validate(queue), schemaErrors(validate));
  });

  test("the last sync comes from ps_sync_state's full-sync row, with the partial sync and the buckets", async () => {
    const { queue } = await inspectOf(path);
    assert.deepEqual(queue?.lastSync, {
      at: '2026-11-24T11:00:00.000Z',
      source: 'ps_sync_state.last_synced_at (priority 2147483647: a full sync)',
      facts: { 'priority 1 synced at': '2026-11-24T11:30:00.000Z', buckets: 2, last_applied_op: 57 },
    });
  });

  test('inspect text shows the last sync under the queue', async () => {
    const text = formatInspectReport(await inspectOf(path));
    assert.match(text, /last sync: 2026-11-24T11:00:00\.000Z \(1h ago; ps_sync_state\.last_synced_at \(priority 2147483647: a full sync\), priority 1 synced at 2026-11-24T11:30:00\.000Z, buckets 2, last_applied_op 57\)/);
  });

  test('before migration 7 the last sync is ps_kv last_synced_at; never synced says so', async () => {
    const dir = join(scratch.dir, 'old-layout');
    mkdirSync(dir);
    const old = writePowerSyncFixture(dir);
    sqlite3(old, "DROP TABLE ps_sync_state; INSERT INTO ps_kv(key, value) VALUES ('last_synced_at', '2026-11-20 08:15:00');");
    assert.equal((await inspectOf(old)).queue?.lastSync?.at, '2026-11-20T08:15:00.000Z');
    sqlite3(old, "DELETE FROM ps_kv WHERE key = 'last_synced_at';");
    const never = (await inspectOf(old)).queue;
    assert.equal(never?.lastSync?.at, null);
    assert.match(formatInspectReport(await inspectOf(old)), /last sync: never \(ps_kv last_synced_at, buckets 2, last_applied_op 57\)/);
  });
});

describe('PowerSync: views and ps_data__ tables as entities', () => {
  test('each view over ps_data__<table> and each ps_data__ table is an entity of collection <table>', async () => {
    const { tables } = await inspectOf(path);
    const roleOf = (name: string) => tables.find((table) => table.name === name);
    assert.deepEqual(
      ['todos', 'ps_data__todos', 'shopping_lists', 'ps_data__lists', 'ps_crud', 'ps_oplog'].map((name) => [name, roleOf(name)?.kind, roleOf(name)?.role, roleOf(name)?.collection]),
      [
        ['todos', 'view', 'entity', 'todos'],
        ['ps_data__todos', 'table', 'entity', 'todos'],
        ['shopping_lists', 'view', 'entity', 'lists'],
        ['ps_data__lists', 'table', 'entity', 'lists'],
        ['ps_crud', 'table', 'other', undefined],
        ['ps_oplog', 'table', 'other', undefined],
      ],
    );
    assert.equal(roleOf('todos')?.rows, 2, 'the entity count of a view');
  });

  test('an op names its row through the view: a PATCH of a missing row is an orphan of "todos"', async () => {
    const dir = join(scratch.dir, 'orphan');
    mkdirSync(dir);
    const db = writePowerSyncFixture(dir, 'powersync.db', [{ op: 'PATCH', id: 't9', type: 'todos', data: { completed: 1 } }, { op: 'PATCH', id: 't1', type: 'todos', data: { completed: 1 } }]);
    const app = await openAppDatabase(db, { config: 'none', now: fixtureNow });
    try {
      const ops = app.queue?.operations ?? [];
      assert.deepEqual(ops.map((op) => [op.entityId, op.status, op.table]), [['t9', 'orphan', 'todos'], ['t1', 'ready', 'todos']]);
      assert.match(ops[0]?.reason ?? '', /no row in "todos" has id = "t9"/);
    } finally {
      app.close();
    }
  });

  test('the grid, entity counts and hygiene read a view entity without "table does not exist"', async () => {
    const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
    try {
      const counts = countedSchema(app).tables.filter((table) => app.roles.entities.some((entity) => entity.table === table.name));
      assert.deepEqual(counts.map((table) => [table.name, table.rows, table.error]), [
        ['ps_data__lists', 1, undefined],
        ['ps_data__todos', 2, undefined],
        ['shopping_lists', 1, undefined],
        ['todos', 2, undefined],
      ]);
      const page = app.file.read((db) => readPage(db, { table: 'todos', limit: 10, timestampEncodings: timestampEncodingsOf(app.roles, 'todos') }));
      assert.deepEqual(page.columns, ['id', 'description', 'completed', 'list_id']);
      assert.equal(page.rows.length, 2);
      assert.deepEqual(jsonColumnsOf(app.roles, 'ps_data__todos'), ['data']);
      const analysis = analyzeAppQueue(app, fixtureNow);
      const findings = app.file.read((db) => findQueueHygiene(db, app.roles, analysis));
      // PowerSync deletes the row before it queues the DELETE of t3: nothing to flag.
      assert.deepEqual(findings, []);
    } finally {
      app.close();
    }
  });

  test("an op's detail carries its row from the view, as the document the fields change (for the diff)", async () => {
    const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
    try {
      const patch = readSourceOperationDetail(app, 2);
      assert.deepEqual([patch?.table, patch?.payload, patch?.localRow], ['todos', { completed: 1 }, { description: 'eggs', completed: 1, list_id: 'l1' }]);
      const gone = readSourceOperationDetail(app, 3);
      assert.deepEqual([gone?.table, gone?.localRow], ['todos', null]);
    } finally {
      app.close();
    }
  });

  test('synclens.json may name a view as an entity (its id column the document id): the roles and the editor check accept it', async () => {
    const config = { entities: { todos: { collection: 'tasks' }, shopping_lists: { columns: { externalId: 'name' } } } };
    const { db, config: configPath } = withConfig('view-entity', config);
    const app = await openAppDatabase(db, { config: { file: configPath }, now: fixtureNow });
    try {
      const entityOf = (table: string) => app.roles.entities.find((entity) => entity.table === table);
      assert.deepEqual([entityOf('todos')?.collection, entityOf('todos')?.columns.externalId, entityOf('todos')?.columns.localId], ['tasks', 'id', null]);
      assert.equal(entityOf('shopping_lists')?.columns.externalId, 'name');
    } finally {
      app.close();
    }
    const schema = (await openAppDatabase(db, { config: 'none', analyzeQueue: false }));
    try {
      assert.deepEqual(checkConfigAgainstDatabase(JSON.stringify(config), configPath, schema.schema), []);
    } finally {
      schema.close();
    }
  });
});

describe('PowerSync: synclens.json names the adapter and its JSON paths', () => {
  test('queue.paths reads ps_crud rows of an app layout of its own; PowerSync paths alone cannot', async () => {
    const { db, config } = withConfig('paths', { queue: { kind: 'powersync', paths: customShapePaths } }, customShapeCrudRows);
    const app = await openAppDatabase(db, { config: { file: config }, now: fixtureNow });
    try {
      assert.deepEqual(
        (app.queue?.operations ?? []).map((op) => [op.operation, op.entityType, op.entityId, op.status]),
        [['upsert', 'todos', 't1', 'ready'], ['update', 'todos', 't2', 'ready'], ['delete', 'todos', 't3', 'ready']],
      );
      assert.deepEqual(app.queue?.operations[0]?.payload, { description: 'milk' });
    } finally {
      app.close();
    }
    const detected = await inspectOf(db);
    assert.equal(detected.queue?.kind, 'powersync');
    assert.equal(detected.queue?.invalid, 3, 'without the paths no op has an operation');
  });

  test('a config naming powersync on a database without ps_crud: one message with code config, in the CLI and the editor', async () => {
    const dir = join(scratch.dir, 'not-powersync');
    mkdirSync(dir);
    const db = join(dir, 'app.db');
    sqlite3(db, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);');
    const text = JSON.stringify({ queue: { kind: 'powersync' } });
    const configPath = join(dir, 'synclens.json');
    writeFileSync(configPath, text);
    const expected = 'queue.kind is "powersync" but the database has no PowerSync upload queue (a table ps_crud with a data column): remove "kind" to detect the queue, or name the kind of queue this database holds';
    await assert.rejects(openAppDatabase(db, { config: { file: configPath } }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'config');
      assert.equal((error as Error).message, expected);
      return true;
    });
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'inspect', db, '--json', '--config', configPath], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(cli.status, 2, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { error: { code: 'config', message: expected } });
    const app = await openAppDatabase(db, { config: 'none', analyzeQueue: false });
    try {
      const problems = checkConfigAgainstDatabase(text, configPath, app.schema);
      assert.deepEqual(problems.map((problem) => [problem.keyPath, problem.message, text.slice(problem.offset, problem.offset + problem.length)]), [['queue.kind', expected, '"powersync"']]);
    } finally {
      app.close();
    }
  });

  test('kind brick on a PowerSync database is refused; queue: null says there is no queue at all', async () => {
    const brick = withConfig('brick-on-powersync', { queue: { kind: 'brick' } });
    await assert.rejects(openAppDatabase(brick.db, { config: { file: brick.config } }), /queue\.kind is "brick" but the database has no Brick request queue \(a table HttpJobs with request_method and url columns\)/);
    const none = withConfig('queue-null', { queue: null });
    assert.equal((await inspectOf(none.db, none.config)).queue, null, 'queue: null says there is no queue, PowerSync or not');
  });
});
