// Builds the queue layouts of other offline-first stacks with the real sqlite3, each from the
// upstream project's own DDL:
// - Firestore Android SDK: sample-workspace/firestoreSdkCache.ts (SQLiteSchema.java version 18, its
//   BLOBs encoded by protobufjs from the definitions the reader uses, core/queue/firestoreSdk/protos.ts).
// - PowerSync: powersync-ja/powersync-sqlite-core crates/core/src/migrations.rs
//   (commit 0386fb5d8fd6e740f8f59c055ace481196dbc7e5): ps_oplog, ps_buckets, ps_crud (+ tx_id), ps_kv,
//   ps_sync_state; a `ps_data__todos` table and its `todos` view as the SDK creates them.
// - Brick: GetDutchie/brick packages/brick_offline_first_with_rest (RestRequestSqliteCacheManager,
//   packages/brick_offline_first/lib/src/offline_queue/rest/rest_request_sqlite_cache_manager.dart,
//   commit 00b276b32ce8eecca9513ff50a7d8e202be9a1d1): HttpJobs.
// - A drift app with its own queue (offline_first_sync_drift's columns: kind, ts, try_count, a text
//   op id, upsert) that hard-deletes the row before queueing the delete.
import { join } from 'node:path';
import { firestoreSdkCacheFileName, writeFirestoreSdkCacheFile } from '../../../sample-workspace/firestoreSdkCache';
import { sqlite3 } from '../../helpers/sqliteCli';

/** The instant the fixtures' ages are measured against. */
export const fixtureNow = Date.UTC(2026, 10, 24, 12, 0, 0);
const minutesAgo = (minutes: number): number => fixtureNow - minutes * 60_000;

/** `firestore.<persistence key>.<project>.<database>`, URL-encoded as the SDK names it. */
export const firestoreSdkFileName = firestoreSdkCacheFileName('demo-synclens');

/**
 * The sample workspace's Firestore SDK cache (sample-workspace/firestoreSdkCache.ts) at fixtureNow:
 * three pending writes of user u1 in two batches (a set of posts/p1 with a server-time transform,
 * then an update of posts/p2 with a field mask and exists precondition, and a delete of posts/p3),
 * their overlays, six remote documents and two targets.
 */
export function writeFirestoreSdkCache(dir: string): string {
  return writeFirestoreSdkCacheFile(dir, 'demo-synclens', fixtureNow);
}

export function writePowerSyncDatabase(dir: string): string {
  const path = join(dir, 'powersync.db');
  const put = JSON.stringify({ op: 'PUT', type: 'todos', id: 't1', data: { description: 'milk', completed: 0 } });
  const patch = JSON.stringify({ op: 'PATCH', type: 'todos', id: 't2', data: { completed: 1 } });
  const remove = JSON.stringify({ op: 'DELETE', type: 'todos', id: 't3' });
  sqlite3(
    path,
    `CREATE TABLE ps_migration(id INTEGER PRIMARY KEY, down_migrations TEXT);
CREATE TABLE ps_buckets(id INTEGER PRIMARY KEY, name TEXT NOT NULL, last_applied_op INTEGER NOT NULL DEFAULT 0, last_op INTEGER NOT NULL DEFAULT 0, target_op INTEGER NOT NULL DEFAULT 0, add_checksum INTEGER NOT NULL DEFAULT 0, op_checksum INTEGER NOT NULL DEFAULT 0, pending_delete INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE UNIQUE INDEX ps_buckets_name ON ps_buckets (name);
CREATE TABLE ps_oplog(bucket INTEGER NOT NULL, op_id INTEGER NOT NULL, row_type TEXT, row_id TEXT, key TEXT, data TEXT, hash INTEGER NOT NULL) STRICT;
CREATE TABLE ps_untyped(type TEXT NOT NULL, id TEXT NOT NULL, data TEXT, PRIMARY KEY (type, id));
CREATE TABLE ps_crud (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT);
CREATE TABLE ps_tx(id INTEGER PRIMARY KEY NOT NULL, current_tx INTEGER, next_tx INTEGER);
INSERT INTO ps_tx(id, current_tx, next_tx) VALUES(1, NULL, 1);
ALTER TABLE ps_crud ADD COLUMN tx_id INTEGER;
CREATE TABLE ps_kv(key TEXT PRIMARY KEY NOT NULL, value BLOB);
CREATE TABLE ps_sync_state (priority INTEGER NOT NULL PRIMARY KEY, last_synced_at TEXT NOT NULL) STRICT;
INSERT INTO ps_sync_state VALUES (2147483647, '2026-11-24 11:00:00');
CREATE TABLE ps_data__todos(id TEXT PRIMARY KEY NOT NULL, data TEXT);
CREATE VIEW todos(id, description, completed) AS SELECT id, CAST(json_extract(data, '$.description') AS TEXT), CAST(json_extract(data, '$.completed') AS INTEGER) FROM ps_data__todos;
INSERT INTO ps_data__todos VALUES ('t1', '{"description":"milk","completed":0}'), ('t2', '{"description":"eggs","completed":1}');
INSERT INTO ps_crud (data, tx_id) VALUES ('${put}', 1), ('${patch}', 2), ('${remove}', 3);`,
  );
  return path;
}

export function writeBrickQueue(dir: string): string {
  const path = join(dir, 'brick_offline_queue.sqlite');
  const merge = JSON.stringify({ Prefer: 'resolution=merge-duplicates' });
  sqlite3(
    path,
    `CREATE TABLE IF NOT EXISTS \`HttpJobs\` (
  \`id\` INTEGER PRIMARY KEY AUTOINCREMENT,
  \`attempts\` INTEGER DEFAULT 1,
  \`body\` TEXT,
  \`encoding\` TEXT,
  \`headers\` TEXT,
  \`locked\` INTEGER DEFAULT 0,
  \`request_method\` TEXT,
  \`updated_at\` INTEGER DEFAULT 0,
  \`url\` TEXT,
  \`created_at\` INTEGER DEFAULT 0
);
INSERT INTO HttpJobs (attempts, body, encoding, headers, locked, request_method, updated_at, url, created_at) VALUES
  (1, '{"id":"k1","name":"Kiwi"}', 'utf-8', '${merge}', 0, 'POST', ${minutesAgo(20)}, 'https://api.example.com/rest/v1/kitchens', ${minutesAgo(20)}),
  (3, '{"name":"Lime"}', 'utf-8', '{}', 1, 'PATCH', ${minutesAgo(1)}, 'https://api.example.com/kitchens/k2', ${minutesAgo(15)}),
  (2, NULL, 'utf-8', '{}', 0, 'DELETE', ${minutesAgo(5)}, 'https://api.example.com/rest/v1/kitchens?id=eq.k3', ${minutesAgo(12)});`,
  );
  return path;
}

/** A drift app's own queue; the app deleted note n3's row before queueing its delete. */
export function writeDriftQueue(dir: string): string {
  const path = join(dir, 'drift.db');
  sqlite3(
    path,
    `CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE sync_outbox (op_id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, payload TEXT, ts TEXT NOT NULL, try_count INTEGER NOT NULL DEFAULT 0);
INSERT INTO notes (uuid, body, updated_at) VALUES ('n1', 'one', ${minutesAgo(40)}), ('n2', 'two', ${minutesAgo(30)});
INSERT INTO sync_outbox VALUES
  ('7d0c5a52-3f0e-4a51-9a51-1b1f0f7e0001', 'upsert', 'notes', 'n1', '{"uuid":"n1","body":"one"}', '${new Date(minutesAgo(40)).toISOString()}', 0),
  ('7d0c5a52-3f0e-4a51-9a51-1b1f0f7e0002', 'update', 'notes', 'n2', '{"body":"two"}', '${new Date(minutesAgo(30)).toISOString()}', 1),
  ('7d0c5a52-3f0e-4a51-9a51-1b1f0f7e0003', 'delete', 'notes', 'n3', NULL, '${new Date(minutesAgo(20)).toISOString()}', 0),
  ('7d0c5a52-3f0e-4a51-9a51-1b1f0f7e0004', 'update', 'notes', 'n4', '{"body":"gone"}', '${new Date(minutesAgo(10)).toISOString()}', 0);`,
  );
  return path;
}

/**
 * A drift queue whose times are zone-less local times (`DateTime.now().toIso8601String()` in
 * Berlin) and whose last errors live in a side table keyed by the text op id.
 */
export function writeDriftLocalTimeQueue(dir: string): string {
  const path = join(dir, 'drift-local.db');
  sqlite3(
    path,
    `CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE sync_outbox (op_id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, payload TEXT, ts TEXT NOT NULL, try_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE sync_outbox_errors (op_id TEXT NOT NULL, error TEXT NOT NULL, at TEXT NOT NULL);
INSERT INTO notes (uuid, body, updated_at) VALUES ('n1', 'one', ${minutesAgo(40)});
INSERT INTO sync_outbox VALUES
  ('op-a', 'upsert', 'notes', 'n1', '{"uuid":"n1","body":"one"}', '2026-11-24T12:30:00.000', 2),
  ('op-b', 'update', 'notes', 'n1', '{"body":"uno"}', '2026-11-24T12:45:00.000', 0);
INSERT INTO sync_outbox_errors VALUES ('op-a', 'first: timeout', '2026-11-24T12:31:00.000'), ('op-a', 'second: PERMISSION_DENIED', '2026-11-24T12:40:00.000');`,
  );
  return path;
}
