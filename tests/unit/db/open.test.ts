import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseBytes, openDatabaseFile } from '../../../core/db/open';
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

  test('reads the file into sql.js and stamps what it read', async () => {
    const before = folderFingerprint(dir);
    const opened = await openDatabaseFile(plain);
    try {
      assert.equal(opened.path, plain);
      assert.deepEqual(opened.db.exec('SELECT count(*) FROM "odd ""name"" é"')[0]?.values, [[3]]);
      assert.equal(opened.walFramesApplied, 0);
      assert.equal(opened.wal, null);
      assert.equal(opened.stamp.path, plain);
      assert.equal(opened.stamp.size, statSync(plain).size);
      assert.equal(opened.stamp.mtimeMs, statSync(plain).mtimeMs);
      assert.equal(opened.stamp.sha256, sha256OfFile(plain));
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

  test('openDatabaseBytes loads bytes and a -wal held in memory', async () => {
    const snapshot = join(dir, 'live.db');
    snapshotWalDatabase(join(dir, 'writer.db'), snapshot, 'CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);');
    const loaded = await openDatabaseBytes(readFileSync(snapshot), 'live.db', { wal: readFileSync(`${snapshot}-wal`) });
    assert.equal(loaded.label, 'live.db');
    assert.ok(loaded.walFramesApplied > 0);
    assert.deepEqual(loaded.db.exec('SELECT count(*) FROM t')[0]?.values, [[2]]);
    loaded.close();
    await assert.rejects(openDatabaseBytes(new Uint8Array(0), 'nothing.db'), (error: unknown) => error instanceof DatabaseFileError && error.code === 'empty');
    await assert.rejects(openDatabaseBytes(readFileSync(plain), 'app.db', { maxBytes: 10 }), (error: unknown) => error instanceof DatabaseFileError && error.code === 'too-large');
  });

  test('the stamp covers the -wal', async () => {
    const snapshot = join(dir, 'stamped.db');
    snapshotWalDatabase(join(dir, 'stamped-writer.db'), snapshot, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
    const opened = await openDatabaseFile(snapshot);
    opened.close();
    assert.equal(opened.stamp.wal?.sha256, sha256OfFile(`${snapshot}-wal`));
    assert.equal(opened.stamp.wal?.size, statSync(`${snapshot}-wal`).size);
    assert.equal(await hasFileChanged(opened.stamp), false);
    const wal = readFileSync(`${snapshot}-wal`);
    wal[40] = (wal[40] ?? 0) ^ 1;
    writeFileSync(`${snapshot}-wal`, wal);
    assert.equal(await hasFileChanged(opened.stamp), true);
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
    assert.equal(await hasFileChanged(opened.stamp), false);
    assert.equal(await hasFileChanged(opened.stamp, { verifyContent: false }), false);
    sqlite3(path, "INSERT INTO t VALUES ('b');");
    assert.equal(await hasFileChanged(opened.stamp), true);
  });

  test('a -wal appearing beside the file counts as a change; an empty one does not', async () => {
    const path = freshDatabase('wal.db');
    const opened = await openDatabaseFile(path);
    opened.close();
    writeFileSync(`${path}-wal`, '');
    assert.equal(await hasFileChanged(opened.stamp), false);
    writeFileSync(`${path}-wal`, 'x'.repeat(64));
    assert.equal(await hasFileChanged(opened.stamp), true);
  });

  test('same size and mtime but different bytes: only the content check sees it', async () => {
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
    assert.equal(statSync(path).mtimeMs, opened.stamp.mtimeMs);
    assert.equal(await hasFileChanged(opened.stamp, { verifyContent: false }), false);
    assert.equal(await hasFileChanged(opened.stamp), true);
  });

  test('a deleted file has changed', async () => {
    const path = freshDatabase('gone.db');
    const opened = await openDatabaseFile(path);
    opened.close();
    writeFileSync(path, '');
    assert.equal(await hasFileChanged(opened.stamp), true);
  });
});
