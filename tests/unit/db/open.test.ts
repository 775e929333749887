import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { hasFileChanged } from '../../../core/db/stamp';
import { folderFingerprint, snapshotWalDatabase } from '../../helpers/dbFiles';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';

describe('opening a database file', () => {
  let dir: string;
  let cleanup: () => void;
  let plain: string;

  before(() => {
    ({ dir, cleanup } = scratchDir());
    plain = join(dir, 'app.db');
    sqlite3(plain, `CREATE TABLE "odd ""name"" é"(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO "odd ""name"" é"(v) VALUES ('a'), ('b'), ('c');`);
  });
  after(() => cleanup());

  test('reads the file page by page and stamps what it read', async () => {
    const before = folderFingerprint(dir);
    const opened = await openDatabaseFile(plain);
    try {
      assert.equal(opened.path, plain);
      assert.deepEqual(opened.db.exec('SELECT count(*) FROM "odd ""name"" é"')[0]?.values, [[3]]);
      assert.equal(opened.walFramesApplied, 0);
      assert.equal(opened.wal, null);
      assert.equal(opened.stamp.path, plain);
      const stats = statSync(plain);
      assert.equal(opened.stamp.main.size, stats.size);
      assert.equal(opened.stamp.main.ino, stats.ino);
      assert.equal(opened.stamp.main.mtimeMs, stats.mtimeMs);
      assert.equal(opened.stamp.wal, null);
      assert.equal(opened.sourceHeader?.pageSize, 4096);
    } finally {
      opened.close();
      opened.close();
    }
    assert.deepEqual(folderFingerprint(dir), before, 'no byte changed, no -journal or -shm created');
  });

  test('changes made in memory never reach the file', async () => {
    const hash = sha256OfFile(plain);
    const opened = await openDatabaseFile(plain);
    opened.db.exec('DELETE FROM "odd ""name"" é"; CREATE TABLE extra(x);');
    opened.close();
    assert.equal(sha256OfFile(plain), hash);
  });

  test('the stamp covers the -wal', async () => {
    const snapshot = join(dir, 'stamped.db');
    snapshotWalDatabase(join(dir, 'stamped-writer.db'), snapshot, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
    const opened = await openDatabaseFile(snapshot);
    opened.close();
    assert.equal(opened.stamp.wal?.size, statSync(`${snapshot}-wal`).size);
    assert.equal(opened.stamp.wal?.ino, statSync(`${snapshot}-wal`).ino);
    assert.equal(hasFileChanged(opened.stamp), false);
    const wal = readFileSync(`${snapshot}-wal`);
    wal[40] = (wal[40] ?? 0) ^ 1;
    writeFileSync(`${snapshot}-wal`, wal);
    assert.equal(hasFileChanged(opened.stamp), true);
  });
});

describe('hasFileChanged', () => {
  let dir: string;
  let cleanup: () => void;

  before(() => ({ dir, cleanup } = scratchDir()));
  after(() => cleanup());

  function freshDatabase(name: string): string {
    const path = join(dir, name);
    sqlite3(path, "CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('aaaa');");
    return path;
  }

  test('false while nothing changed, true after a real write', async () => {
    const path = freshDatabase('write.db');
    const opened = await openDatabaseFile(path);
    opened.close();
    assert.equal(hasFileChanged(opened.stamp), false);
    sqlite3(path, "INSERT INTO t VALUES ('b');");
    assert.equal(hasFileChanged(opened.stamp), true);
  });

  test('a -wal appearing beside the file counts as a change; an empty one does not', async () => {
    const path = freshDatabase('wal.db');
    const opened = await openDatabaseFile(path);
    opened.close();
    writeFileSync(`${path}-wal`, '');
    assert.equal(hasFileChanged(opened.stamp), false);
    writeFileSync(`${path}-wal`, 'x'.repeat(64));
    assert.equal(hasFileChanged(opened.stamp), true);
  });

  test('same size and mtime but different bytes: the change time still sees it', async () => {
    const path = freshDatabase('sneaky.db');
    // Whole seconds, as on file systems with coarse timestamps (FAT, some network shares).
    const coarse = 1_700_000_000;
    utimesSync(path, coarse, coarse);
    const opened = await openDatabaseFile(path);
    opened.close();
    const bytes = readFileSync(path);
    const at = bytes.lastIndexOf(Buffer.from('aaaa'));
    assert.ok(at > 0);
    bytes.write('zzzz', at);
    writeFileSync(path, bytes);
    utimesSync(path, coarse, coarse);
    assert.equal(statSync(path).mtimeMs, opened.stamp.main.mtimeMs);
    assert.equal(statSync(path).size, opened.stamp.main.size);
    assert.equal(hasFileChanged(opened.stamp), true);
  });

  test('a deleted file has changed', async () => {
    const path = freshDatabase('gone.db');
    const opened = await openDatabaseFile(path);
    opened.close();
    writeFileSync(path, '');
    assert.equal(hasFileChanged(opened.stamp), true);
  });
});
