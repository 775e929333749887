// Which statements the Run lens may run without asking: decided from SQLite's own bytecode (EXPLAIN),
// since sql.js does not expose sqlite3_stmt_readonly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../core/db/sqlite';
import { isReadOnly } from '../../language-server/database/worker';

describe('read-only classification', () => {
  let db: Database;
  before(async () => {
    const SQL = await loadSqlJs();
    db = new SQL.Database();
    db.run('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE VIEW names AS SELECT name FROM users;');
  });
  after(() => db.close());

  test('reads run without asking', () => {
    for (const sql of [
      'SELECT * FROM users',
      'WITH x AS (SELECT id FROM users) SELECT * FROM x',
      'SELECT * FROM names',
      'VALUES (1), (2)',
      'EXPLAIN QUERY PLAN SELECT * FROM users',
      'PRAGMA table_info(users)',
      'SELECT json_extract(\'{"a":1}\', \'$.a\')',
    ]) {
      assert.equal(isReadOnly(db, sql), true, sql);
    }
  });

  test('writes, schema changes and transaction control ask first', () => {
    for (const sql of [
      "INSERT INTO users (name) VALUES ('a')",
      "UPDATE users SET name = 'b'",
      'DELETE FROM users',
      "WITH x AS (SELECT 1) INSERT INTO users (name) SELECT 'c' FROM x",
      'CREATE TABLE t (a)',
      'DROP VIEW names',
      'CREATE INDEX i ON users (name)',
      'PRAGMA user_version = 3',
      'BEGIN',
      'VACUUM',
      "ATTACH 'x.db' AS x",
    ]) {
      assert.equal(isReadOnly(db, sql), false, sql);
    }
  });
});
