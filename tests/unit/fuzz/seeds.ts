// The real files every fuzz target mutates: written by the sqlite3 CLI once per process (in a
// scratch folder), then read into memory. Small on purpose (512-byte pages, a few dozen rows), so a
// mutated copy costs little to write and to open, while still holding every structure the readers
// meet: a WAL with several commits and an uncommitted tail, a hot rollback journal, overflow pages,
// indexes, a sync queue with JSON payloads and timestamps in several encodings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotWalDatabase } from '../../helpers/dbFiles';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

export interface SeedFiles {
  /** A rollback-mode app database (users, posts, sync_operations, sync_state). */
  appDb: Uint8Array;
  /** A WAL-mode copy taken while the writer had it open: the main file and its -wal with committed frames. */
  walDb: Uint8Array;
  wal: Uint8Array;
  /** A rollback-mode copy taken mid-transaction: a torn main file and the hot -journal that undoes it. */
  tornDb: Uint8Array;
  journal: Uint8Array;
  pageSize: number;
}

const appSchema = `
PRAGMA page_size = 512;
CREATE TABLE users(id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT,
  createdAt INTEGER NOT NULL, updatedAt TEXT NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0,
  isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1, settings TEXT, avatar BLOB);
CREATE INDEX users_email ON users(email);
CREATE TABLE posts(id INTEGER PRIMARY KEY, odid TEXT NOT NULL, userOdid TEXT, title TEXT, body TEXT,
  created_at INTEGER, updated_at INTEGER, is_synced INTEGER, is_deleted INTEGER, score REAL);
CREATE TABLE sync_operations(id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL,
  operation TEXT NOT NULL, payload TEXT NOT NULL, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0,
  lastAttempt INTEGER, lastError TEXT);
CREATE TABLE sync_state(key TEXT PRIMARY KEY NOT NULL, value TEXT);
`;

const appRows = `
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
INSERT INTO users(odid, email, name, createdAt, updatedAt, isSynced, settings, avatar)
  SELECT printf('u%03d', i), printf('user%d@example.com', i), 'Name ' || i || ' ‮rtl',
         1700000000000 + i * 1000, strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i, 'unixepoch'), i % 2,
         json_object('theme', 'dark', 'n', i), randomblob(i * 7) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO posts(odid, userOdid, title, body, created_at, updated_at, is_synced, is_deleted, score)
  SELECT printf('p%03d', i), printf('u%03d', i), 'Post ' || i, hex(randomblob(300 + i * 40)),
         1700000000 + i, 1700000100 + i, 0, i % 5 = 0, i / 3.0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16)
INSERT INTO sync_operations(entityType, entityId, operation, payload, createdAt, retryCount, lastAttempt, lastError)
  SELECT CASE i % 2 WHEN 0 THEN 'users' ELSE 'posts' END, printf(CASE i % 2 WHEN 0 THEN 'u%03d' ELSE 'p%03d' END, i),
         CASE i % 3 WHEN 0 THEN 'create' WHEN 1 THEN 'update' ELSE 'delete' END,
         json_object('odid', printf('u%03d', i), 'name', 'Name ' || i, 'updatedAt', 1700000000000 + i),
         1700000000000 + i * 60000, i % 7, CASE WHEN i % 7 > 0 THEN 1700000500000 + i END,
         CASE WHEN i % 7 > 0 THEN 'UNAVAILABLE' END FROM n;
INSERT INTO sync_state VALUES ('lastSyncAt', '2023-11-14T22:13:20.000Z');
`;

let cached: SeedFiles | undefined;

export function seedFiles(): SeedFiles {
  if (cached) return cached;
  const { dir, cleanup } = scratchDir('synclens-fuzz-seeds-');
  try {
    const app = join(dir, 'app.db');
    sqlite3(app, `${appSchema}${appRows}`);

    const walWriter = join(dir, 'wal-writer.db');
    const walCopy = join(dir, 'wal.db');
    snapshotWalDatabase(
      walWriter,
      walCopy,
      `${appSchema}${appRows}
       UPDATE users SET name = 'renamed ' || id, isSynced = 0 WHERE id % 3 = 0;
       DELETE FROM posts WHERE id > 9;
       INSERT INTO sync_operations(entityType, entityId, operation, payload, createdAt) VALUES ('users', 'u003', 'update', '{"odid":"u003"}', 1700000900000);
       BEGIN; UPDATE users SET email = 'never committed'; `,
      { beforeWal: 'PRAGMA page_size = 512;' },
    );

    const tornWriter = join(dir, 'torn-writer.db');
    const tornCopy = join(dir, 'torn.db');
    sqlite3(
      tornWriter,
      `${appSchema}${appRows}
       PRAGMA cache_size = 2;
       BEGIN;
       UPDATE users SET name = 'uncommitted', settings = hex(randomblob(100));
       DELETE FROM posts;
.shell cp '${tornWriter}' '${tornCopy}' && cp '${tornWriter}-journal' '${tornCopy}-journal'
`,
    );
    cached = {
      appDb: readFileSync(app),
      walDb: readFileSync(walCopy),
      wal: readFileSync(`${walCopy}-wal`),
      tornDb: readFileSync(tornCopy),
      journal: readFileSync(`${tornCopy}-journal`),
      pageSize: 512,
    };
    return cached;
  } finally {
    cleanup();
  }
}
