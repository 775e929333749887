// The diff of two databases written by the real sqlite3 CLI: a migration pair whose diff lists
// exactly the planted schema and row changes, the key order of the merge against SQLite's own
// ORDER BY, and a file against itself.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compareSqlValues } from '../../../core/db/keyedPages';
import { diffDatabaseFiles } from '../../../core/diff/diffDatabases';
import type { RowChange } from '../../../core/diff/types';
import { openDatabaseFile } from '../../../core/db/open';
import { queryAll } from '../../../core/db/query';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { expectedSchemaChanges, expectedTables, writeMigrationPair } from './migrationPair';

function keyText(row: RowChange): string {
  return Object.entries(row.key)
    .map(([column, value]) => `${column}=${JSON.stringify(value)}`)
    .join(',');
}

function rowText(row: RowChange): string {
  if (row.change !== 'changed') return `${row.change} ${keyText(row)}`;
  return `changed ${keyText(row)}: ${row.fields.map((field) => `${field.column} ${JSON.stringify(field.before)} -> ${JSON.stringify(field.after)}`).join(', ')}`;
}

describe('diff of two databases', () => {
  const scratch = scratchDir('synclens-diff-');
  after(() => scratch.cleanup());
  const pair = writeMigrationPair(scratch.dir);

  test('a migration pair: exactly the planted schema changes', async () => {
    const diff = await diffDatabaseFiles(pair.before, pair.after);
    const changes = diff.schema.changes.map((change) => `${change.change} ${change.object} ${change.table ? `${change.table}.` : ''}${change.name}: ${change.detail}`).sort();
    assert.deepEqual(changes, [...expectedSchemaChanges].sort());
  });

  test('a migration pair: exactly the planted row changes, field by field, in key order', async () => {
    const diff = await diffDatabaseFiles(pair.before, pair.after);
    assert.deepEqual(diff.tables.map((table) => table.name), Object.keys(expectedTables).sort());
    for (const table of diff.tables) {
      const expected = expectedTables[table.name]!;
      assert.deepEqual([table.added, table.removed, table.changed, table.unchanged], expected.counts, `${table.name} counts`);
      assert.deepEqual(table.rows.map(rowText), expected.rows, `${table.name} rows`);
      if (expected.warnings) assert.match(table.warnings.join('\n'), expected.warnings, `${table.name} warnings`);
      else assert.deepEqual(table.warnings, [], `${table.name} has no warning`);
    }
    const added = diff.tables.find((table) => table.name === 'notes')!.rows[0]!;
    assert.deepEqual(added.fields, [{ column: 'id', before: null, after: 1 }, { column: 'body', before: null, after: 'first' }]);
  });

  test('a file against itself: no change, every row unchanged', async () => {
    const diff = await diffDatabaseFiles(pair.after, pair.after);
    assert.deepEqual(diff.schema.changes, []);
    for (const table of diff.tables) assert.deepEqual([table.added, table.removed, table.changed, table.rows.length], [0, 0, 0, 0], table.name);
    assert.equal(diff.tables.find((table) => table.name === 'users')?.unchanged, 5);
  });

  test('rows come in pages: a table larger than a page is merged whole', async () => {
    const before = join(scratch.dir, 'big-before.db');
    const afterPath = join(scratch.dir, 'big-after.db');
    const rows = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, printf(\'row %d\', i) FROM n;';
    sqlite3(before, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); ${rows}`);
    sqlite3(afterPath, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); ${rows} DELETE FROM t WHERE id % 1000 = 0; UPDATE t SET v = 'x' WHERE id % 777 = 0; INSERT INTO t VALUES (9001, 'new');`);
    const table = (await diffDatabaseFiles(before, afterPath, { maxRows: 3 })).tables[0]!;
    assert.deepEqual([table.added, table.removed, table.changed, table.unchanged], [1, 5, 6, 4989]);
    assert.deepEqual(table.rows.map(rowText), ['changed id=777: v "row 777" -> "x"', 'removed id=1000', 'changed id=1554: v "row 1554" -> "x"']);
  });

  test('integers beyond 2^53 compare exactly, as keys and as values', async () => {
    const before = join(scratch.dir, 'big-int-before.db');
    const afterPath = join(scratch.dir, 'big-int-after.db');
    sqlite3(before, 'CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO t VALUES (9007199254740993, 9007199254740993), (1, 1);');
    sqlite3(afterPath, 'CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO t VALUES (9007199254740992, 0), (9007199254740993, 9007199254740992), (1, 1);');
    const table = (await diffDatabaseFiles(before, afterPath)).tables[0]!;
    assert.deepEqual(table.rows.map(rowText), ['added id={"$integer":"9007199254740992"}', 'changed id={"$integer":"9007199254740993"}: n {"$integer":"9007199254740993"} -> {"$integer":"9007199254740992"}']);
  });

  test('the merge orders keys as SQLite does: mixed types, NOCASE, code points above U+FFFF', async () => {
    const path = join(scratch.dir, 'order.db');
    sqlite3(
      path,
      `CREATE TABLE k (v);
       INSERT INTO k VALUES (NULL), (1), (2.5), (-3), (9007199254740993), ('a'), ('B'), ('b'), ('\u{1F600}'), ('\u{FFFD}'), ('é'), (x'00'), (x'0001'), ('');`,
    );
    const opened = await openDatabaseFile(path);
    try {
      for (const collation of ['BINARY', 'NOCASE']) {
        const sqliteOrder = queryAll(opened.db, `SELECT v FROM k ORDER BY v COLLATE ${collation}, rowid`).rows.map(([value]) => value ?? null);
        const ours = [...sqliteOrder].reverse().sort((a, b) => compareSqlValues(a, b, collation));
        // NOCASE ties ('B', 'b') keep SQLite's tie order only up to equality: compare by the collation.
        ours.forEach((value, index) => assert.equal(compareSqlValues(value, sqliteOrder[index] ?? null, collation), 0, `${collation} position ${index}`));
      }
    } finally {
      opened.close();
    }
  });
});
