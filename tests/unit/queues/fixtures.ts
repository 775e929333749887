// Builds the queue layouts of other offline-first stacks with the real sqlite3, each from the
// upstream project's own DDL:
// - Firestore Android SDK: firebase-android-sdk's SQLiteSchema.java, version 18. Versions 1-16 as in
//   warting/firebase-android-sdk firebase-firestore/src/main/java/com/google/firebase/firestore/local/SQLiteSchema.java
//   (commit 937eda6fc522c936947bad097f889a0063041c04, VERSION = 16); 17 adds `globals` and 18
//   `remote_documents.document_type` (createGlobalsTable, addDocumentType in the version-18 source).
//   Batches are firestore.client.WriteBatch protobufs encoded by protobufjs from the definitions the
//   reader uses (core/queue/firestoreSdk/protos.ts).
// - PowerSync: powersync-ja/powersync-sqlite-core crates/core/src/migrations.rs
//   (commit 0386fb5d8fd6e740f8f59c055ace481196dbc7e5): ps_oplog, ps_buckets, ps_crud (+ tx_id), ps_kv,
//   ps_sync_state; a `ps_data__todos` table and its `todos` view as the SDK creates them.
// - Brick: GetDutchie/brick packages/brick_offline_first_with_rest (RestRequestSqliteCacheManager,
//   packages/brick_offline_first/lib/src/offline_queue/rest/rest_request_sqlite_cache_manager.dart,
//   commit 00b276b32ce8eecca9513ff50a7d8e202be9a1d1): HttpJobs.
// - A drift app with its own queue (offline_first_sync_drift's columns: kind, ts, try_count, a text
//   op id, upsert) that hard-deletes the row before queueing the delete.
import { join } from 'node:path';
import { writeBatchType } from '../../../core/queue/firestoreSdk/protos';
import { sqlite3 } from '../../helpers/sqliteCli';

/** The instant the fixtures' ages are measured against. */
export const fixtureNow = Date.UTC(2026, 10, 24, 12, 0, 0);
const minutesAgo = (minutes: number): number => fixtureNow - minutes * 60_000;

const firestoreSchemaV18 = `
CREATE TABLE mutation_queues (uid TEXT PRIMARY KEY, last_acknowledged_batch_id INTEGER, last_stream_token BLOB);
CREATE TABLE mutations (uid TEXT, batch_id INTEGER, mutations BLOB, PRIMARY KEY (uid, batch_id));
CREATE TABLE document_mutations (uid TEXT, path TEXT, batch_id INTEGER, PRIMARY KEY (uid, path, batch_id));
CREATE TABLE targets (target_id INTEGER PRIMARY KEY, canonical_id TEXT, snapshot_version_seconds INTEGER, snapshot_version_nanos INTEGER, resume_token BLOB, last_listen_sequence_number INTEGER,target_proto BLOB);
CREATE INDEX query_targets ON targets (canonical_id, target_id);
CREATE TABLE target_globals (highest_target_id INTEGER, highest_listen_sequence_number INTEGER, last_remote_snapshot_version_seconds INTEGER, last_remote_snapshot_version_nanos INTEGER);
CREATE TABLE target_documents (target_id INTEGER, path TEXT, PRIMARY KEY (target_id, path));
CREATE INDEX document_targets ON target_documents (path, target_id);
CREATE TABLE remote_documents (path TEXT PRIMARY KEY, contents BLOB);
INSERT INTO target_globals (highest_target_id, highest_listen_sequence_number, last_remote_snapshot_version_seconds, last_remote_snapshot_version_nanos) VALUES (0, 0, 0, 0);
ALTER TABLE target_globals ADD COLUMN target_count INTEGER;
ALTER TABLE target_documents ADD COLUMN sequence_number INTEGER;
CREATE TABLE collection_parents (collection_id TEXT, parent TEXT, PRIMARY KEY(collection_id, parent));
ALTER TABLE remote_documents ADD COLUMN read_time_seconds INTEGER;
ALTER TABLE remote_documents ADD COLUMN read_time_nanos INTEGER;
CREATE TABLE bundles (bundle_id TEXT PRIMARY KEY, create_time_seconds INTEGER, create_time_nanos INTEGER, schema_version INTEGER, total_documents INTEGER, total_bytes INTEGER);
CREATE TABLE named_queries (name TEXT PRIMARY KEY, read_time_seconds INTEGER, read_time_nanos INTEGER, bundled_query_proto BLOB);
ALTER TABLE remote_documents ADD COLUMN path_length INTEGER;
CREATE TABLE document_overlays (uid TEXT, collection_path TEXT, document_id TEXT, collection_group TEXT, largest_batch_id INTEGER, overlay_mutation BLOB, PRIMARY KEY (uid, collection_path, document_id));
CREATE INDEX batch_id_overlay ON document_overlays (uid, largest_batch_id);
CREATE INDEX collection_group_overlay ON document_overlays (uid, collection_group);
CREATE TABLE data_migrations (migration_name TEXT, PRIMARY KEY (migration_name));
CREATE TABLE index_configuration (index_id INTEGER, collection_group TEXT, index_proto BLOB, PRIMARY KEY (index_id));
CREATE TABLE index_state (index_id INTEGER, uid TEXT, sequence_number INTEGER, read_time_seconds INTEGER, read_time_nanos INTEGER, document_key TEXT, largest_batch_id INTEGER, PRIMARY KEY (index_id, uid));
CREATE TABLE index_entries (index_id INTEGER, uid TEXT, array_value BLOB, directional_value BLOB, document_key TEXT, PRIMARY KEY (index_id, uid, array_value, directional_value, document_key));
CREATE INDEX read_time ON remote_documents(read_time_seconds, read_time_nanos);
CREATE TABLE globals (name TEXT PRIMARY KEY, value BLOB);
ALTER TABLE remote_documents ADD COLUMN document_type INTEGER;
PRAGMA user_version = 18;
`;

/** Java's URLEncoder, which the SDK names the file with, also encodes ( ) ! ' and *. */
const javaUrlEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `firestore.<persistence key>.<project>.<database>`, URL-encoded as the SDK names it. */
export const firestoreSdkFileName = `firestore.${javaUrlEncode('[DEFAULT]')}.demo-synclens.${javaUrlEncode('(default)')}`;

const documentName = (path: string): string => `projects/demo-synclens/databases/(default)/documents/${path}`;
const timestamp = (ms: number): { seconds: number; nanos: number } => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });

function batchHex(batchId: number, localWriteTime: number, writes: unknown[]): string {
  const type = writeBatchType();
  const message = type.fromObject({ batch_id: batchId, writes, local_write_time: timestamp(localWriteTime) });
  return Buffer.from(type.encode(message).finish()).toString('hex');
}

/**
 * Three pending writes of user u1 in two batches: a set of posts/p1 (with a server-time
 * transform), then in one batch an update of posts/p2 with a field mask and exists precondition,
 * and a delete of posts/p3.
 */
export function writeFirestoreSdkCache(dir: string): string {
  const path = join(dir, firestoreSdkFileName);
  const first = batchHex(1, minutesAgo(30), [
    {
      update: { name: documentName('posts/p1'), fields: { title: { string_value: 'Hello' }, likes: { integer_value: 3 }, publishedAt: { timestamp_value: timestamp(minutesAgo(31)) } } },
      update_transforms: [{ field_path: 'updatedAt', set_to_server_value: 'REQUEST_TIME' }],
    },
  ]);
  const second = batchHex(2, minutesAgo(10), [
    {
      update: { name: documentName('posts/p2'), fields: { title: { string_value: 'Edited' }, tags: { array_value: { values: [{ string_value: 'a' }] } } } },
      update_mask: { field_paths: ['title', 'tags'] },
      current_document: { exists: true },
    },
    { delete: documentName('posts/p3') },
  ]);
  sqlite3(
    path,
    `${firestoreSchemaV18}
INSERT INTO mutation_queues VALUES ('u1', -1, X'');
INSERT INTO mutations VALUES ('u1', 1, X'${first}'), ('u1', 2, X'${second}');
INSERT INTO document_mutations VALUES ('u1', 'posts\u0001\u0001p1\u0001\u0001', 1), ('u1', 'posts\u0001\u0001p2\u0001\u0001', 2), ('u1', 'posts\u0001\u0001p3\u0001\u0001', 2);
INSERT INTO remote_documents (path, contents, read_time_seconds, read_time_nanos, path_length, document_type) VALUES ('posts\u0001\u0001p2\u0001\u0001', X'', 1764000000, 0, 2, 1);`,
  );
  return path;
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
