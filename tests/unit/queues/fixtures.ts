// Builds the queue layouts of other offline-first stacks with the real sqlite3, each from the
// upstream project's own DDL:
// - Firestore Android SDK: sample-workspace/firestoreSdkCache.ts (SQLiteSchema.java version 18, its
//   BLOBs encoded by protobufjs from the definitions the reader uses, core/queue/firestoreSdk/protos.ts).
// - PowerSync and Brick: powerSyncFixtures.ts and brickFixtures.ts (each citing its upstream source).
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
