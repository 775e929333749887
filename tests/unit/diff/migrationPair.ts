// Two snapshots of one app database, before and after a migration plus some sync, written by the
// real sqlite3 CLI, with exactly the schema and row changes a diff must list.
import { join } from 'node:path';
import { sqlite3 } from '../../helpers/sqliteCli';

const common = `
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO sync_state VALUES ('lastSyncAt', '2026-11-20T10:00:00Z'), ('schemaVersion', '3');
`;

export const beforeSql = `
BEGIN;
CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL, name TEXT, email TEXT, phone TEXT, settings TEXT, version INTEGER DEFAULT 1, avatar BLOB);
INSERT INTO users VALUES
  (1, 'u-1', 'Ada', 'ada@example.com', '555-0001', '{"theme":"dark"}', 1, NULL),
  (2, 'u-2', 'Grace', 'grace@example.com', '555-0002', NULL, 1, zeroblob(4096)),
  (3, 'u-3', 'Linus', 'linus@example.com', NULL, NULL, 2, NULL),
  (4, 'u-4', 'Barbara', 'barbara@example.com', NULL, '{"theme":"light"}', 1, NULL),
  (5, 'u-5', 'Edsger', 'edsger@example.com', NULL, NULL, 1, NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE posts (odid TEXT PRIMARY KEY, author TEXT, title TEXT);
INSERT INTO posts VALUES ('p-1', 'u-1', 'Hello'), ('p-2', 'u-2', 'Offline first');
CREATE INDEX posts_author ON posts (author);
CREATE TABLE event_log (at INTEGER, message TEXT);
INSERT INTO event_log VALUES (1, 'opened'), (2, 'synced'), (3, 'closed');
CREATE TABLE kv (k TEXT, n INTEGER, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID;
INSERT INTO kv VALUES ('a', 1, 'one'), ('b', 2, 'two'), ('c', 3, 'three');
CREATE TABLE legacy_cache (id INTEGER PRIMARY KEY, blob BLOB);
INSERT INTO legacy_cache VALUES (1, x'00'), (2, x'01'), (3, x'02');
CREATE VIEW active_users AS SELECT id, name FROM users WHERE version > 0;
CREATE VIEW old_view AS SELECT 1;
${common}
COMMIT;
`;

export const afterSql = `
BEGIN;
CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL, display_name TEXT, email TEXT NOT NULL, settings TEXT, version INTEGER DEFAULT 2, avatar BLOB, nickname TEXT);
INSERT INTO users VALUES
  (1, 'u-1', 'Ada', 'ada@example.com', '{"theme":"dark"}', 1, NULL, NULL),
  (2, 'u-2', 'Grace', 'grace.hopper@example.com', NULL, 1, zeroblob(4097), NULL),
  (4, 'u-4', 'Barbara', 'barbara@example.com', '{"theme":"dark"}', 1, NULL, 'Babs'),
  (5, 'u-5', 'Edsger', 'edsger@example.com', NULL, 1, NULL, NULL),
  (6, 'u-6', 'Margaret', 'margaret@example.com', NULL, 1, NULL, NULL);
CREATE INDEX users_updated ON users (version, id);
CREATE TABLE posts (odid TEXT PRIMARY KEY, author TEXT, title TEXT);
INSERT INTO posts VALUES ('p-1', 'u-1', 'Hello, world'), ('p-2', 'u-2', 'Offline first'), ('p-3', 'u-4', 'Queues');
CREATE INDEX posts_author ON posts (author, title);
CREATE TABLE event_log (at INTEGER, message TEXT);
INSERT INTO event_log VALUES (1, 'opened'), (2, 'synced twice'), (3, 'closed');
CREATE TABLE kv (k TEXT, n INTEGER, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID;
INSERT INTO kv VALUES ('a', 1, 'uno'), ('c', 3, 'three');
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO notes VALUES (1, 'first'), (2, 'second');
CREATE VIEW active_users AS SELECT id, display_name FROM users WHERE version > 0;
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET version = version + 1 WHERE id = new.id; END;
${common}
COMMIT;
`;

/** Every schema change, as `change object table.name: detail`. */
export const expectedSchemaChanges = [
  'added column users.display_name: TEXT',
  'added column users.nickname: TEXT',
  'added index users.users_updated: on (version, id)',
  'added table notes: 2 columns',
  'added trigger users.users_touch: trigger',
  'changed column users.email: not null added',
  'changed column users.version: default 1 -> 2',
  'changed index posts.posts_author: on (author) -> on (author, title)',
  'changed view active_users: definition changed',
  'removed column users.name: TEXT',
  'removed column users.phone: TEXT',
  'removed index users.users_email: on (email)',
  'removed table legacy_cache: 2 columns',
  'removed view old_view: view',
];

/** Per table: added, removed, changed, unchanged, and each change as `change key: fields`. */
export const expectedTables: Record<string, { counts: [number, number, number, number]; rows: string[]; warnings?: RegExp }> = {
  event_log: { counts: [0, 0, 1, 2], rows: ['changed rowid=2: message "synced" -> "synced twice"'], warnings: /no primary key: rows are matched by rowid/ },
  kv: { counts: [0, 1, 1, 1], rows: ['changed k="a",n=1: v "one" -> "uno"', 'removed k="b",n=2'] },
  legacy_cache: { counts: [0, 3, 0, 0], rows: ['removed id=1', 'removed id=2', 'removed id=3'] },
  notes: { counts: [2, 0, 0, 0], rows: ['added id=1', 'added id=2'] },
  posts: { counts: [1, 0, 1, 1], rows: ['changed odid="p-1": title "Hello" -> "Hello, world"', 'added odid="p-3"'] },
  sync_state: { counts: [0, 0, 0, 2], rows: [] },
  users: {
    counts: [1, 1, 2, 2],
    rows: [
      'changed id=2: email "grace@example.com" -> "grace.hopper@example.com", avatar {"$bytesSummary":{"size":4096,"sha256":"ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7"}} -> {"$bytesSummary":{"size":4097,"sha256":"b587fa297299ce9c602e58292b51379402bf7b1074f6b18679c2fb871c917ca8"}}',
      'removed id=3',
      'changed id=4: settings "{\\"theme\\":\\"light\\"}" -> "{\\"theme\\":\\"dark\\"}"',
      'added id=6',
    ],
    warnings: /columns in one file only are left out/,
  },
};

export function writeMigrationPair(dir: string): { before: string; after: string } {
  const before = join(dir, 'before.db');
  const after = join(dir, 'after.db');
  sqlite3(before, beforeSql);
  sqlite3(after, afterSql);
  return { before, after };
}
