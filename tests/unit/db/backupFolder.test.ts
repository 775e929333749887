// Backups in the .synclens/backups folder beside the database (synclens.backups.location, the VS
// Code default): nothing but the database stays in its folder, the newest 5 are kept, and a write
// stopped after it set the -wal aside into that folder is undone on the next open.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { backupFolderOf, listBackups, writeDatabaseAtomically } from '../../../core/db/writeBack';
import { databaseOfBackup, recoverInterruptedWriteBack, setWriteRecoveryLog } from '../../../core/db/writeRecovery';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';

describe('backups in .synclens/backups beside the database', () => {
  const { dir, cleanup } = scratchDir();
  after(cleanup);

  test('each write backs up into the folder, keeps the newest 5, and leaves the database folder clean', async () => {
    const folder = join(dir, 'kept');
    mkdirSync(folder);
    const path = join(folder, 'app.db');
    sqlite3(path, 'CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES (\'a\');');
    const hashes: string[] = [];
    for (let second = 0; second < 7; second += 1) {
      hashes.push(sha256OfFile(path));
      const opened = await openDatabaseFile(path);
      opened.db.run('INSERT INTO notes(body) VALUES (?)', [`n${second}`]);
      const result = await writeDatabaseAtomically(opened, { now: new Date(`2026-12-01T12:00:0${second}Z`), backupLocation: 'synclensFolder' });
      opened.close();
      assert.equal(result.backupPath, join(folder, '.synclens', 'backups', `app.db.synclens-backup-20261201T12000${second}Z`));
      assert.equal(sha256OfFile(result.backupPath), hashes[second]);
    }
    assert.deepEqual(readdirSync(folder).sort(), ['.synclens', 'app.db'], 'no backup or temp beside the database');
    const backups = await listBackups(path, backupFolderOf(path, 'synclensFolder'));
    assert.deepEqual(
      backups.map((backup) => backup.slice(backup.lastIndexOf('-') + 1)),
      [6, 5, 4, 3, 2].map((second) => `20261201T12000${second}Z`),
    );
    assert.equal(sqlite3(path, 'SELECT count(*) FROM notes').trim(), '8');
  });

  test('a backup names its database, wherever it was kept (an encrypted backup opens with the database key)', async () => {
    const folder = join(dir, 'named');
    mkdirSync(folder);
    const path = join(folder, 'my app.sqlite');
    sqlite3(path, 'CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);');
    for (const [second, backupLocation] of [[1, 'synclensFolder'], [2, 'beside'], [2, 'beside']] as const) {
      const opened = await openDatabaseFile(path);
      opened.db.run('INSERT INTO notes(body) VALUES (?)', ['x']);
      const { backupPath } = await writeDatabaseAtomically(opened, { now: new Date(`2026-12-01T12:00:0${second}Z`), backupLocation });
      opened.close();
      assert.ok(backupPath);
      assert.equal(databaseOfBackup(backupPath), path, backupPath);
    }
    assert.ok(readdirSync(folder).some((name) => name.endsWith('Z.2')), 'the same second gave a numbered backup, which also names its database');
    for (const notBackup of [path, join(folder, 'app.db-wal'), join(folder, '.synclens-backup-20261201T120001Z'), join(folder, 'app.db.synclens-backup-latest')]) {
      assert.equal(databaseOfBackup(notBackup), null, notBackup);
    }
  });

  test('a write stopped after setting the -wal aside into the folder gets its -wal back on the next open', () => {
    const folder = join(dir, 'stopped');
    const backups = join(folder, '.synclens', 'backups');
    mkdirSync(backups, { recursive: true });
    const path = join(folder, 'app.db');
    sqlite3(path, "PRAGMA journal_mode=WAL; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('a');");
    const set = '20261201T120000Z';
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    // What the write leaves at its step 3: backup and its -wal in the folder, the temp beside the file, no -wal beside it.
    copyFileSync(path, join(backups, `app.db.synclens-backup-${set}`));
    copyFileSync(path, join(backups, `app.db.synclens-backup-${set}-wal`));
    copyFileSync(path, join(folder, `.app.db.synclens-tmp-${set}-${dead}-0badc0de`));
    const logged: string[] = [];
    setWriteRecoveryLog((line) => logged.push(line));
    recoverInterruptedWriteBack(path);
    assert.ok(existsSync(`${path}-wal`), `the -wal is back beside the file: ${logged.join(' | ')}`);
    assert.ok(!existsSync(join(backups, `app.db.synclens-backup-${set}-wal`)));
    assert.ok(!readdirSync(folder).some((name) => name.includes('synclens-tmp')), 'the temp is gone');
  });
});
