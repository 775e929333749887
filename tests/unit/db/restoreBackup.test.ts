// Restore… (core/db/restoreBackup.ts): a backup's version goes back in place atomically, the version
// it replaces becomes the newest backup, and a missing or damaged backup is refused with one message
// while the database stays as it was.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { backupsOf, backupTime, restoreBackup } from '../../../core/db/restoreBackup';
import { DatabaseWriteError, writeDatabaseAtomically } from '../../../core/db/writeBack';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';

describe('restoring a backup', () => {
  const { dir, cleanup } = scratchDir();
  after(cleanup);

  async function databaseWithOneBackup(name: string): Promise<{ path: string; original: string; changed: string; backup: string }> {
    const folder = join(dir, name);
    mkdirSync(folder);
    const path = join(folder, 'app.db');
    sqlite3(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('original');");
    const original = sha256OfFile(path);
    const opened = await openDatabaseFile(path);
    opened.db.run("UPDATE notes SET body = 'changed'");
    const { backupPath } = await writeDatabaseAtomically(opened, { now: new Date('2026-12-01T10:00:00Z'), backupLocation: 'synclensFolder' });
    opened.close();
    return { path, original, changed: sha256OfFile(path), backup: backupPath };
  }

  test('puts the backup back and backs up the version it replaces', async () => {
    const { path, original, changed, backup } = await databaseWithOneBackup('restore');
    const listed = await backupsOf(path);
    assert.deepEqual(listed, [{ path: backup, time: new Date('2026-12-01T10:00:00Z') }]);

    const result = await restoreBackup(path, backup, { now: new Date('2026-12-01T11:00:00Z'), backupLocation: 'synclensFolder' });
    assert.equal(sha256OfFile(path), original, 'the file is the backup again');
    assert.equal(sqlite3(path, 'SELECT body FROM notes').trim(), 'original');
    assert.equal(sha256OfFile(result.backupPath), changed, 'the replaced version is kept as a backup');
    assert.deepEqual(backupTime(result.backupPath), new Date('2026-12-01T11:00:00Z'));
    assert.deepEqual((await backupsOf(path)).map((entry) => entry.path), [result.backupPath, backup]);
  });

  test('a backup set with a -wal restores its committed transactions too', async () => {
    const folder = join(dir, 'wal');
    mkdirSync(join(folder, '.synclens', 'backups'), { recursive: true });
    const path = join(folder, 'app.db');
    sqlite3(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('now');");
    const backup = join(folder, '.synclens', 'backups', 'app.db.synclens-backup-20261201T090000Z');
    // The backup set of a live write: the database and its -wal, as sqlite3 leaves them open.
    sqlite3(backup, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('then');");
    await restoreBackup(path, backup, { backupLocation: 'synclensFolder' });
    assert.equal(sqlite3(path, 'SELECT body FROM notes').trim(), 'then');
  });

  function refusal(says: RegExp): (error: unknown) => boolean {
    return (error: unknown) => {
      assert.ok(error instanceof DatabaseWriteError);
      assert.equal(error.code, 'backup-unusable');
      assert.match(error.message, says);
      assert.match(error.message, /app\.db is unchanged/);
      return true;
    };
  }

  test('a missing backup is refused with one message, and the database is unchanged', async () => {
    const { path, changed, backup } = await databaseWithOneBackup('missing');
    await assert.rejects(restoreBackup(path, backup.replace('T100000Z', 'T100001Z')), refusal(/cannot be restored: the file is gone/));
    assert.equal(sha256OfFile(path), changed);
  });

  test('a damaged backup is refused with one message, and the database is unchanged', async () => {
    const { path, changed, backup } = await databaseWithOneBackup('damaged');
    writeFileSync(backup, 'this is a text file, not a database\n'.repeat(200));
    await assert.rejects(restoreBackup(path, backup), refusal(/cannot be restored: .*not a SQLite database/));
    assert.equal(sha256OfFile(path), changed);
  });

  test('a file that is not a backup of this database is refused', async () => {
    const { path } = await databaseWithOneBackup('stranger');
    const other = join(dir, 'stranger', 'other.db');
    sqlite3(other, 'CREATE TABLE t(x)');
    await assert.rejects(restoreBackup(path, other), (error: unknown) => error instanceof DatabaseWriteError && error.code === 'backup-unusable');
  });
});
