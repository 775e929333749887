// PowerSync databases as powersync-sqlite-core leaves them, written by the real sqlite3:
// - the internal tables: migrations 1-11 of powersync-ja/powersync-sqlite-core
//   crates/core/src/migrations.rs (commit 91eaa6d34c3cb34a777804af2e5a0f72cca49fa3), their DDL run
//   in order as written. Left out: migration 5's `UPDATE powersync_views ...` (a virtual table of
//   the extension, with nothing to update in a new database), migration 3's `uuid()` (the
//   extension's function: a fixed client id instead), migration 6's fix of older data (skipped by
//   upstream itself for a new database) and the down-migration JSON of ps_migration (NULL here).
// - the app's tables as the SDK applies a schema: `ps_data__<table>(id TEXT PRIMARY KEY NOT NULL,
//   data TEXT)` (crates/core/src/schema/management.rs) and its view as powersync_view_sql builds
//   it (crates/core/src/views.rs, commit 03fb5f7c22e9767344f93fb8d80f50464f4a5c53), quoted names,
//   `CAST(json_extract(data, '$.col') as type)` and the `-- powersync-auto-generated` marker; one
//   table with a view name of its own (the schema's viewName), as `lists` -> `shopping_lists`.
// - ps_crud rows as crud_vtab.rs serialises a CrudEntry: {op, id, type, data?, old?, metadata?},
//   one transaction (tx_id from ps_tx) per write.
// - last sync: ps_sync_state rows as sync_local writes them (SQLite datetime() text, UTC), the full
//   sync at priority 2147483647 (BucketPriority::SENTINEL) and a partial one at priority 1.
import { join } from 'node:path';
import { sqlite3 } from '../../helpers/sqliteCli';

const migrations = `
CREATE TABLE IF NOT EXISTS ps_migration(id INTEGER PRIMARY KEY, down_migrations TEXT);
-- 1
CREATE TABLE ps_oplog(
bucket TEXT NOT NULL,
op_id INTEGER NOT NULL,
op INTEGER NOT NULL,
row_type TEXT,
row_id TEXT,
key TEXT,
data TEXT,
hash INTEGER NOT NULL,
superseded INTEGER NOT NULL);
CREATE INDEX ps_oplog_by_row ON ps_oplog (row_type, row_id) WHERE superseded = 0;
CREATE INDEX ps_oplog_by_opid ON ps_oplog (bucket, op_id);
CREATE INDEX ps_oplog_by_key ON ps_oplog (bucket, key) WHERE superseded = 0;
CREATE TABLE ps_buckets(
name TEXT PRIMARY KEY,
last_applied_op INTEGER NOT NULL DEFAULT 0,
last_op INTEGER NOT NULL DEFAULT 0,
target_op INTEGER NOT NULL DEFAULT 0,
add_checksum INTEGER NOT NULL DEFAULT 0,
pending_delete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ps_untyped(type TEXT NOT NULL, id TEXT NOT NULL, data TEXT, PRIMARY KEY (type, id));
CREATE TABLE ps_crud (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT);
INSERT INTO ps_migration(id, down_migrations) VALUES(1, NULL);
-- 2
CREATE TABLE ps_tx(id INTEGER PRIMARY KEY NOT NULL, current_tx INTEGER, next_tx INTEGER);
INSERT INTO ps_tx(id, current_tx, next_tx) VALUES(1, NULL, 1);
ALTER TABLE ps_crud ADD COLUMN tx_id INTEGER;
INSERT INTO ps_migration(id, down_migrations) VALUES(2, NULL);
-- 3
CREATE TABLE ps_kv(key TEXT PRIMARY KEY NOT NULL, value BLOB);
INSERT INTO ps_kv(key, value) values('client_id', '6f2c0a4e-6c7b-4a53-9d4e-0d3c1f9b7a21');
INSERT INTO ps_migration(id, down_migrations) VALUES(3, NULL);
-- 4
ALTER TABLE ps_buckets ADD COLUMN op_checksum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ps_buckets ADD COLUMN remove_operations INTEGER NOT NULL DEFAULT 0;
UPDATE ps_buckets SET op_checksum = (
SELECT IFNULL(SUM(ps_oplog.hash), 0) & 0xffffffff FROM ps_oplog WHERE ps_oplog.bucket = ps_buckets.name
);
INSERT INTO ps_migration(id, down_migrations) VALUES(4, NULL);
-- 5
ALTER TABLE ps_buckets RENAME TO ps_buckets_old;
ALTER TABLE ps_oplog RENAME TO ps_oplog_old;
CREATE TABLE ps_buckets(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  last_applied_op INTEGER NOT NULL DEFAULT 0,
  last_op INTEGER NOT NULL DEFAULT 0,
  target_op INTEGER NOT NULL DEFAULT 0,
  add_checksum INTEGER NOT NULL DEFAULT 0,
  op_checksum INTEGER NOT NULL DEFAULT 0,
  pending_delete INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX ps_buckets_name ON ps_buckets (name);
CREATE TABLE ps_oplog(
  bucket INTEGER NOT NULL,
  op_id INTEGER NOT NULL,
  row_type TEXT,
  row_id TEXT,
  key TEXT,
  data TEXT,
  hash INTEGER NOT NULL) STRICT;
CREATE INDEX ps_oplog_row ON ps_oplog (row_type, row_id);
CREATE INDEX ps_oplog_opid ON ps_oplog (bucket, op_id);
CREATE INDEX ps_oplog_key ON ps_oplog (bucket, key);
CREATE TABLE ps_updated_rows(
  row_type TEXT,
  row_id TEXT,
  PRIMARY KEY(row_type, row_id)) STRICT, WITHOUT ROWID;
INSERT INTO ps_buckets(name, last_applied_op, last_op, target_op, add_checksum, op_checksum, pending_delete)
SELECT name, last_applied_op, last_op, target_op, add_checksum, op_checksum, pending_delete FROM ps_buckets_old;
DROP TABLE ps_buckets_old;
DROP TABLE ps_oplog_old;
INSERT INTO ps_migration(id, down_migrations) VALUES(5, NULL);
-- 6
INSERT INTO ps_migration(id, down_migrations) VALUES(6, NULL);
-- 7
CREATE TABLE ps_sync_state (
  priority INTEGER NOT NULL,
  last_synced_at TEXT NOT NULL
) STRICT;
INSERT OR IGNORE INTO ps_sync_state (priority, last_synced_at)
  SELECT 2147483647, value from ps_kv where key = 'last_synced_at';
INSERT INTO ps_migration(id, down_migrations) VALUES(7, NULL);
-- 8
ALTER TABLE ps_sync_state RENAME TO ps_sync_state_old;
CREATE TABLE ps_sync_state (
  priority INTEGER NOT NULL PRIMARY KEY,
  last_synced_at TEXT NOT NULL
) STRICT;
INSERT INTO ps_sync_state (priority, last_synced_at)
  SELECT priority, MAX(last_synced_at) FROM ps_sync_state_old GROUP BY priority;
DROP TABLE ps_sync_state_old;
INSERT INTO ps_migration(id, down_migrations) VALUES(8, NULL);
-- 9
ALTER TABLE ps_buckets ADD COLUMN count_at_last INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ps_buckets ADD COLUMN count_since_last INTEGER NOT NULL DEFAULT 0;
INSERT INTO ps_migration(id, down_migrations) VALUES(9, NULL);
-- 10
INSERT INTO ps_migration(id, down_migrations) VALUES(10, NULL);
-- 11
CREATE TABLE ps_stream_subscriptions (
  id INTEGER NOT NULL PRIMARY KEY,
  stream_name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT FALSE,
  is_default INTEGER NOT NULL DEFAULT FALSE,
  local_priority INTEGER,
  local_params TEXT NOT NULL DEFAULT 'null',
  ttl INTEGER,
  expires_at INTEGER,
  last_synced_at INTEGER,
  UNIQUE (stream_name, local_params)
) STRICT;
INSERT INTO ps_migration(id, down_migrations) VALUES(11, NULL);
`;

/** The app schema applied: todos (view todos) and lists (view shopping_lists, a viewName of its own). */
const appSchema = `
CREATE TABLE "ps_data__todos"(id TEXT PRIMARY KEY NOT NULL, data TEXT);
CREATE VIEW "todos"("id", "description", "completed", "list_id") AS SELECT id, CAST(json_extract(data, '$.description') as text), CAST(json_extract(data, '$.completed') as integer), CAST(json_extract(data, '$.list_id') as text) FROM "ps_data__todos" -- powersync-auto-generated
;
CREATE TABLE "ps_data__lists"(id TEXT PRIMARY KEY NOT NULL, data TEXT);
CREATE VIEW "shopping_lists"("id", "name") AS SELECT id, CAST(json_extract(data, '$.name') as text) FROM "ps_data__lists" -- powersync-auto-generated
;
INSERT INTO ps_data__lists VALUES ('l1', '{"name":"groceries"}');
INSERT INTO ps_data__todos VALUES ('t1', '{"description":"milk","completed":0,"list_id":"l1"}'), ('t2', '{"description":"eggs","completed":1,"list_id":"l1"}');
`;

/** Synced state: two buckets (and the $local one), a full sync an hour before fixtureNow, a partial one after it. */
const syncState = `
INSERT INTO ps_buckets(name, last_applied_op, last_op, target_op) VALUES ('global[]', 41, 41, 0), ('user_lists["u1"]', 57, 57, 0), ('$local', 0, 0, 9223372036854775807);
INSERT INTO ps_oplog(bucket, op_id, row_type, row_id, key, data, hash) VALUES
  (1, 41, 'lists', 'l1', 'lists/l1', '{"name":"groceries"}', 1234),
  (2, 56, 'todos', 't1', 'todos/t1', '{"description":"milk","completed":0,"list_id":"l1"}', 5678),
  (2, 57, 'todos', 't2', 'todos/t2', '{"description":"eggs","completed":0,"list_id":"l1"}', 9012);
INSERT INTO ps_sync_state(priority, last_synced_at) VALUES (2147483647, '2026-11-24 11:00:00'), (1, '2026-11-24 11:30:00');
`;

const crudEntry = (entry: Record<string, unknown>): string => JSON.stringify(entry).replace(/'/g, "''");

/** Three local writes: a PUT of t1, a PATCH of t2 (with its old values), a DELETE of t3 (its row already gone). */
export const powerSyncCrudRows = [
  { op: 'PUT', id: 't1', type: 'todos', data: { description: 'milk', completed: 0, list_id: 'l1' } },
  { op: 'PATCH', id: 't2', type: 'todos', data: { completed: 1 }, old: { completed: 0 } },
  { op: 'DELETE', id: 't3', type: 'todos' },
];

function crudInserts(entries: readonly Record<string, unknown>[]): string {
  return entries
    .map((entry, index) => `INSERT INTO ps_crud(tx_id, data) VALUES (${index + 1}, '${crudEntry(entry)}');`)
    .join('\n')
    .concat(`\nUPDATE ps_tx SET next_tx = ${entries.length + 1} WHERE id = 1;`);
}

export function writePowerSyncFixture(dir: string, name = 'powersync.db', crud: readonly Record<string, unknown>[] = powerSyncCrudRows): string {
  const path = join(dir, name);
  sqlite3(path, `${migrations}${appSchema}${syncState}${crudInserts(crud)}`);
  return path;
}

/**
 * ps_crud rows in a layout of an app's own (written through the manual powersync_crud_ table):
 * {operation, entity: {table, id}, values}, which only queue.paths in synclens.json can read.
 */
export const customShapeCrudRows = [
  { operation: 'PUT', entity: { table: 'todos', id: 't1' }, values: { description: 'milk' } },
  { operation: 'PATCH', entity: { table: 'todos', id: 't2' }, values: { completed: 1 } },
  { operation: 'DELETE', entity: { table: 'todos', id: 't3' } },
];

export const customShapePaths = { op: '$.operation', type: '$.entity.table', id: '$.entity.id', data: '$.values' };
