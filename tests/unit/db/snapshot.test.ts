// DatabaseSnapshot on files written by the real sqlite3 and python3's sqlite3: WAL cases that
// wal.test.ts leaves out (schema changes that live only in the -wal over an existing schema, a
// page committed several times, a log checkpointed but not yet restarted), and what a snapshot
// does when the app writes after it was taken. Every read leaves the folder byte-identical.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile, type OpenedDatabase } from '../../../core/db/open';
import { folderFingerprint, snapshotWalDatabase, sqliteView, walFrames } from '../../helpers/dbFiles';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const schemaQuery = "SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name";

/** Lines of `query`'s first column, as our reader gives them. */
function lines(opened: OpenedDatabase, query: string): string {
  return opened.read((db) => db.exec(query).flatMap((result) => result.values.map((row) => row.map(String).join('|'))).join('\n'));
}

/** Commits `statements` as an app that is then killed: its -wal stays as it is, never checkpointed. */
function commitAndDie(path: string, statements: string): void {
  execFileSync('python3', ['-c', 'import os, sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\ndb.executescript(sys.argv[2])\nos._exit(0)', path, statements]);
}

describe('a database snapshot', () => {
  let dir: string;
  let cleanup: () => void;
  let count = 0;

  before(() => ({ dir, cleanup } = scratchDir()));
  after(() => cleanup());

  const fresh = (name: string): string => join(dir, `${name}${(count += 1)}.db`);
  const sqliteSees = (path: string, query: string): string => sqliteView(path, query, fresh('oracle'));

  /** Opens `path`, hands it to `use`, and checks nothing in the folder changed or appeared meanwhile. */
  async function readUnchanged<T>(path: string, use: (opened: OpenedDatabase) => T): Promise<T> {
    const before = folderFingerprint(dir);
    const opened = await openDatabaseFile(path);
    try {
      return use(opened);
    } finally {
      opened.close();
      assert.deepEqual(folderFingerprint(dir), before, 'byte-identical, and no -shm or -journal created');
    }
  }

  test('schema changes that live only in the -wal (new table, added column, new index, dropped table) are what SQLite sees', async () => {
    const path = fresh('schema');
    // The old schema and rows are checkpointed into the file; the changes after it exist only in the -wal.
    snapshotWalDatabase(
      fresh('schema-writer'),
      path,
      `CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
       CREATE TABLE old_cache(k, v);
       INSERT INTO users(name) VALUES ('ada'), ('bob');
       PRAGMA wal_checkpoint(TRUNCATE);
       ALTER TABLE users ADD COLUMN email TEXT;
       UPDATE users SET email = name || '@example.com';
       CREATE INDEX users_email ON users(email);
       CREATE TABLE sync_operations(id INTEGER PRIMARY KEY, entityId TEXT);
       INSERT INTO sync_operations(entityId) VALUES ('u1');
       DROP TABLE old_cache;`,
    );
    const withoutWal = await openDatabaseFile(path, { applyWal: false });
    assert.match(lines(withoutWal, schemaQuery), /old_cache/, 'the file alone still has the old schema');
    withoutWal.close();

    const seen = await readUnchanged(path, (opened) => ({
      schema: lines(opened, schemaQuery),
      rows: lines(opened, "SELECT group_concat(email) FROM users WHERE email > 'a'"),
      plan: lines(opened, "EXPLAIN QUERY PLAN SELECT id FROM users WHERE email = 'ada@example.com'"),
      queue: lines(opened, 'SELECT entityId FROM sync_operations'),
    }));
    assert.equal(seen.schema, sqliteSees(path, schemaQuery));
    assert.doesNotMatch(seen.schema, /old_cache/);
    assert.equal(seen.rows, 'ada@example.com,bob@example.com');
    assert.match(seen.plan, /USING (COVERING )?INDEX users_email/, 'the index that exists only in the -wal is used');
    assert.equal(seen.queue, 'u1');
  });

  test('a -wal that indexes more pages than a function call takes arguments (200,000 pages of 512 bytes)', async () => {
    const path = fresh('manyPages');
    snapshotWalDatabase(
      fresh('manyPagesWriter'),
      path,
      `CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
       INSERT INTO t SELECT i, printf('%.400c', 'x') FROM n;`,
      { beforeWal: 'PRAGMA page_size = 512;' },
    );
    const frames = await readUnchanged(path, (opened) => {
      assert.deepEqual(opened.db.exec('SELECT count(*), max(id) FROM t')[0]?.values, [[200000, 200000]]);
      return opened.walFramesApplied;
    });
    assert.ok(frames > 200000, `${frames} frames`);
  });

  test('a page committed several times shows its last committed version, not an earlier one', async () => {
    const path = fresh('versions');
    snapshotWalDatabase(
      fresh('versions-writer'),
      path,
      `CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER);
       INSERT INTO counter VALUES (1, 0);
       UPDATE counter SET n = 1; UPDATE counter SET n = 2; UPDATE counter SET n = 3;`,
    );
    const root = Number(sqliteSees(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'counter'"));
    const versions = walFrames(`${path}-wal`).frames.filter((frame) => frame.pageNumber === root);
    assert.ok(versions.length >= 4, `the table's page is in the -wal ${versions.length} times`);
    assert.equal(await readUnchanged(path, (opened) => lines(opened, 'SELECT n FROM counter')), '3');
  });

  test('a -wal checkpointed in full but not yet restarted: its frames (already in the file) still give the same state', async () => {
    const path = fresh('backfilled');
    snapshotWalDatabase(
      fresh('backfilled-writer'),
      path,
      `CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t(v) SELECT hex(randomblob(100)) FROM n;
       DELETE FROM t WHERE id % 3 = 0;
       PRAGMA wal_checkpoint(RESTART);`,
    );
    const query = 'SELECT count(*), sum(length(v)), max(id) FROM t';
    const seen = await readUnchanged(path, (opened) => ({ rows: lines(opened, query), framesApplied: opened.walFramesApplied }));
    assert.ok(seen.framesApplied > 0, 'the -wal still holds its committed frames');
    assert.equal(seen.rows, sqliteSees(path, query));
    const fileOnly = await openDatabaseFile(path, { applyWal: false });
    assert.equal(lines(fileOnly, query), seen.rows, 'the file already holds the same state');
    fileOnly.close();
  });

  test('a commit appended to the -wal after the snapshot leaves it current and consistent; a re-open sees the commit', async () => {
    const path = fresh('appended');
    commitAndDie(path, 'PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(v INTEGER); INSERT INTO t VALUES (1), (2);');
    const opened = await openDatabaseFile(path);
    try {
      assert.equal(lines(opened, 'SELECT sum(v) FROM t'), '3');
      // The same salts, a longer log: every frame the snapshot indexed is still where it was.
      commitAndDie(path, 'PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (10);');
      assert.equal(opened.isCurrent(), true);
      assert.equal(lines(opened, 'SELECT sum(v) FROM t'), '3', 'the snapshot keeps the state it was taken at');
    } finally {
      opened.close();
    }
    assert.equal(await readUnchanged(path, (reopened) => lines(reopened, 'SELECT sum(v) FROM t')), '13');
  });

  test('a checkpoint after the snapshot makes it stale: the next read of a page it had not read re-opens and sees the new state', async () => {
    const path = fresh('checkpointed');
    // Two tables far apart in the file: reading the first does not bring the second's pages in.
    commitAndDie(
      path,
      `PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
       CREATE TABLE small(v INTEGER); INSERT INTO small VALUES (1);
       CREATE TABLE filler(b BLOB); INSERT INTO filler VALUES (zeroblob(4 * 1024 * 1024));
       CREATE TABLE big(v TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO big SELECT hex(randomblob(200)) FROM n;`,
    );
    const opened = await openDatabaseFile(path, { quickCheck: false });
    try {
      assert.equal(lines(opened, 'SELECT v FROM small'), '1');
      commitAndDie(path, 'DELETE FROM big WHERE rowid > 1500; UPDATE small SET v = 2; PRAGMA wal_checkpoint(TRUNCATE);');
      assert.equal(opened.isCurrent(), false, 'the file and the -wal changed');
      const counted = lines(opened, 'SELECT (SELECT count(*) FROM big), (SELECT v FROM small)');
      assert.equal(counted, '1500|2', 'a stale snapshot is never mixed with the new file: the read was re-run on a fresh one');
      assert.equal(opened.isCurrent(), true, 'the read re-opened the snapshot');
    } finally {
      opened.close();
    }
  });

  test('a rollback-mode file rewritten in place (VACUUM) after the snapshot: the read re-opens instead of following stale page numbers', async () => {
    const path = fresh('vacuumed');
    sqlite3(
      path,
      `CREATE TABLE small(v INTEGER); INSERT INTO small VALUES (1);
       CREATE TABLE filler(b BLOB); INSERT INTO filler VALUES (zeroblob(4 * 1024 * 1024));
       CREATE TABLE big(v TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO big SELECT hex(randomblob(200)) FROM n;`,
    );
    const opened = await openDatabaseFile(path, { quickCheck: false });
    try {
      assert.equal(lines(opened, 'SELECT v FROM small'), '1');
      // Every page moves: the schema SQLite cached from the snapshot now points at other pages.
      sqlite3(path, 'DROP TABLE filler; DELETE FROM big WHERE rowid > 1500; VACUUM;');
      assert.equal(opened.isCurrent(), false);
      assert.equal(lines(opened, 'SELECT count(*), min(length(v)), max(length(v)) FROM big'), '1500|400|400');
      assert.equal(opened.isCurrent(), true, 'the read re-opened the snapshot');
    } finally {
      opened.close();
    }
  });
});
