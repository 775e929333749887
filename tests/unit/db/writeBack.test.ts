import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { hasFileChanged } from '../../../core/db/stamp';
import { backupTimestamp, DatabaseWriteError, listBackups, writeDatabaseAtomically, type DatabaseWriteErrorCode } from '../../../core/db/writeBack';
import { snapshotWalDatabase, sqliteView } from '../../helpers/dbFiles';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';

describe('writing a database back', () => {
  let root: string;
  let cleanup: () => void;
  let folderCount = 0;

  before(() => ({ dir: root, cleanup } = scratchDir()));
  after(() => cleanup());

  /** A database alone in its own folder, so each test sees only its own backups. */
  function freshDatabase(): { dir: string; path: string } {
    folderCount += 1;
    const dir = join(root, `case${folderCount}`);
    mkdirSync(dir);
    const path = join(dir, 'app.db');
    sqlite3(path, "PRAGMA user_version = 7; CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE); INSERT INTO users(name) VALUES ('ada'), ('bob');");
    return { dir, path };
  }

  function cli(path: string, query: string): string {
    folderCount += 1;
    return sqliteView(path, query, join(root, `oracle${folderCount}.db`));
  }

  async function expectRefusal(promise: Promise<unknown>, code: DatabaseWriteErrorCode, says: RegExp): Promise<void> {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof DatabaseWriteError, String(error));
      assert.equal(error.code, code, error.message);
      assert.match(error.message, says);
      return true;
    });
  }

  test('writes the edited image atomically, after a backup of the original', async () => {
    const { dir, path } = freshDatabase();
    const originalHash = sha256OfFile(path);
    const originalInode = statSync(path).ino;
    const opened = await openDatabaseFile(path);
    opened.db.run('INSERT INTO users(name) VALUES (?)', ['cyd']);
    const result = await writeDatabaseAtomically(opened, { now: new Date('2026-11-24T19:00:00.123Z') });
    opened.close();

    assert.notEqual(statSync(path).ino, originalInode, 'replaced by a rename, never rewritten in place');
    assert.equal(result.backupPath, join(dir, 'app.db.synclens-backup-20261124T190000Z'));
    assert.equal(sha256OfFile(result.backupPath), originalHash);
    assert.equal(cli(path, 'SELECT group_concat(name) FROM users'), 'ada,bob,cyd');
    assert.equal(cli(path, 'PRAGMA integrity_check'), 'ok');
    assert.equal(cli(path, 'PRAGMA user_version'), '7');
    assert.deepEqual(readdirSync(dir).sort(), ['app.db', 'app.db.synclens-backup-20261124T190000Z'], 'no temp file left behind');
    assert.equal(await hasFileChanged(opened.stamp), false, 'the stamp now describes the new file');
  });

  test('keeps the newest five backups', async () => {
    const { path } = freshDatabase();
    const opened = await openDatabaseFile(path);
    const hashes: string[] = [];
    for (let write = 0; write < 7; write += 1) {
      hashes.push(sha256OfFile(path));
      opened.db.run('INSERT INTO users(name) VALUES (?)', [`user${write}`]);
      await writeDatabaseAtomically(opened, { now: new Date(Date.UTC(2026, 10, 24, 19, 0, write)) });
    }
    opened.close();
    const backups = await listBackups(path);
    assert.deepEqual(
      backups.map((backup) => backup.slice(path.length)),
      [6, 5, 4, 3, 2].map((second) => `.synclens-backup-20261124T19000${second}Z`),
    );
    assert.deepEqual(backups.map((backup) => sha256OfFile(backup)), hashes.slice(2).reverse());
    assert.equal(cli(path, 'SELECT count(*) FROM users'), '9');
  });

  test('two writes in the same second get distinct backups', async () => {
    const { path } = freshDatabase();
    const opened = await openDatabaseFile(path);
    const now = new Date('2026-11-24T19:00:00Z');
    const first = await writeDatabaseAtomically(opened, { now });
    const second = await writeDatabaseAtomically(opened, { now });
    opened.close();
    assert.notEqual(first.backupPath, second.backupPath);
    assert.deepEqual(await listBackups(path), [second.backupPath, first.backupPath]);
  });

  test('refused when the file changed underneath, and nothing is touched', async () => {
    const { dir, path } = freshDatabase();
    const opened = await openDatabaseFile(path);
    opened.db.run("INSERT INTO users(name) VALUES ('mine')");
    sqlite3(path, "INSERT INTO users(name) VALUES ('theirs');");
    const theirs = sha256OfFile(path);
    await expectRefusal(writeDatabaseAtomically(opened), 'changed', /app\.db was not written: it \(or its -wal\) changed since SyncLens read it/);
    opened.close();
    assert.equal(sha256OfFile(path), theirs);
    assert.deepEqual(readdirSync(dir), ['app.db'], 'no backup, no temp file');
  });

  test('refused without allowLive when a -wal or -journal is beside the file', async () => {
    const { path } = freshDatabase();
    const opened = await openDatabaseFile(path);
    writeFileSync(`${path}-journal`, '');
    await expectRefusal(writeDatabaseAtomically(opened), 'live', /app\.db-journal beside it show the app may have the database open.*--allow-live/);
    opened.close();

    const live = join(root, 'live.db');
    snapshotWalDatabase(join(root, 'live-writer.db'), live, "CREATE TABLE t(x); INSERT INTO t VALUES ('in wal');");
    const openedLive = await openDatabaseFile(live);
    const hashes = [sha256OfFile(live), sha256OfFile(`${live}-wal`)];
    await expectRefusal(writeDatabaseAtomically(openedLive), 'live', /live\.db-wal beside it/);
    openedLive.close();
    assert.deepEqual([sha256OfFile(live), sha256OfFile(`${live}-wal`)], hashes);
  });

  test('allowLive with a -wal: the new file holds the WAL data, the -wal moves into the backup set', async () => {
    const folder = join(root, 'walcase');
    mkdirSync(folder);
    const live = join(folder, 'app.db');
    snapshotWalDatabase(join(root, 'walcase-writer.db'), live, "CREATE TABLE t(x); INSERT INTO t VALUES ('only in the wal');");
    const mainHash = sha256OfFile(live);
    const walHash = sha256OfFile(`${live}-wal`);
    const opened = await openDatabaseFile(live);
    assert.ok(opened.walFramesApplied > 0);
    opened.db.run("INSERT INTO t VALUES ('added')");
    const result = await writeDatabaseAtomically(opened, { allowLive: true, now: new Date('2026-11-24T19:00:00Z') });
    opened.close();

    assert.equal(existsSync(`${live}-wal`), false, 'no stale -wal beside the new file');
    assert.deepEqual(result.movedAside, [`${result.backupPath}-wal`]);
    assert.equal(sha256OfFile(result.backupPath), mainHash);
    assert.equal(sha256OfFile(`${result.backupPath}-wal`), walHash);
    assert.equal(readFileSync(live)[18], 2, 'the file stays in WAL mode, as the app set it');
    assert.equal(cli(live, 'SELECT group_concat(x) FROM t'), 'only in the wal,added');
    assert.equal(cli(live, 'PRAGMA integrity_check'), 'ok');
    // The backup set (database + its -wal) still opens as the original state.
    const restored = join(root, 'restored.db');
    copyFileSync(result.backupPath, restored);
    copyFileSync(`${result.backupPath}-wal`, `${restored}-wal`);
    assert.equal(cli(restored, 'SELECT group_concat(x) FROM t'), 'only in the wal');
  });

  test('refused when the database was read without its -wal', async () => {
    const live = join(root, 'partial.db');
    snapshotWalDatabase(join(root, 'partial-writer.db'), live, "CREATE TABLE t(x); INSERT INTO t VALUES ('in wal');");
    const opened = await openDatabaseFile(live, { applyWal: false });
    await expectRefusal(writeDatabaseAtomically(opened, { allowLive: true }), 'partial-read', /opened without applying its -wal/);
    opened.close();
    assert.ok(existsSync(`${live}-wal`));
  });

  test('refused while a transaction is open on the in-memory copy', async () => {
    const { path } = freshDatabase();
    const opened = await openDatabaseFile(path);
    opened.db.exec("BEGIN; INSERT INTO users(name) VALUES ('half');");
    await expectRefusal(writeDatabaseAtomically(opened), 'open-transaction', /a transaction is still open/);
    opened.db.exec('COMMIT');
    await writeDatabaseAtomically(opened);
    opened.close();
    assert.equal(cli(path, 'SELECT count(*) FROM users'), '3');
  });

  test('backup names sort by time', () => {
    assert.equal(backupTimestamp(new Date('2026-01-02T03:04:05.678Z')), '20260102T030405Z');
  });
});
