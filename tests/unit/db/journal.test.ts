import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseFileError } from '../../../core/db/errors';
import { indexHotJournal, journalPageChecksum } from '../../../core/db/journal';
import { openDatabaseFile } from '../../../core/db/open';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { folderFingerprint, sqliteView } from '../../helpers/dbFiles';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

/**
 * A rollback-mode database copied (with the CLI's `.shell`) while a big transaction is in flight:
 * the tiny page cache forces SQLite to write uncommitted pages into the database file, so the copy
 * holds a torn file plus the hot journal that undoes it.
 */
function snapshotMidTransaction(writer: string, snapshot: string): void {
  sqlite3(
    writer,
    `CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t(v) SELECT hex(randomblob(200)) FROM n;
     PRAGMA cache_size = 2;
     BEGIN;
     UPDATE t SET v = 'uncommitted';
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO t(v) SELECT hex(randomblob(500)) FROM n;
` + `.shell cp '${writer}' '${snapshot}' && cp '${writer}-journal' '${snapshot}-journal'\n`,
  );
}

describe('rolling back a hot -journal', () => {
  let dir: string;
  let cleanup: () => void;
  let snapshot: string;
  const query = "SELECT count(*) || '|' || sum(v = 'uncommitted') FROM t";

  before(() => {
    ({ dir, cleanup } = scratchDir());
    snapshot = join(dir, 'torn.db');
    snapshotMidTransaction(join(dir, 'writer.db'), snapshot);
  });
  after(() => cleanup());

  test('shows the last committed state, as SQLite does, and writes nothing', async () => {
    const before = folderFingerprint(dir);
    const opened = await openDatabaseFile(snapshot);
    const seen = String(opened.db.exec(query)[0]?.values[0]?.[0]);
    assert.equal(opened.journal?.hot, true);
    assert.ok((opened.journal?.pagesRestored ?? 0) > 0);
    assert.equal(opened.journal?.stoppedBecause, null);
    opened.close();
    assert.deepEqual(folderFingerprint(dir), before);
    assert.equal(seen, '200|0');
    assert.equal(seen, sqliteView(snapshot, query, join(dir, 'oracle.db')));
  });

  test('without rollback the torn file shows uncommitted rows (why the journal matters)', async () => {
    const opened = await openDatabaseFile(snapshot, { rollBackJournal: false, quickCheck: false });
    const seen = String(opened.db.exec(query)[0]?.values[0]?.[0]);
    opened.close();
    assert.notEqual(seen, '200|0');
  });

  test('a journal whose header was zeroed (committed in PERSIST mode) is not hot', async () => {
    const path = join(dir, 'persist.db');
    copyFileSync(snapshot, path);
    const journal = readFileSync(`${snapshot}-journal`);
    journal.fill(0, 0, 28);
    writeFileSync(`${path}-journal`, journal);
    const opened = await openDatabaseFile(path, { quickCheck: false });
    assert.equal(opened.journal, null);
    opened.close();
  });

  test('a record with a bad checksum ends playback there, as in SQLite', async () => {
    const path = join(dir, 'badsum.db');
    copyFileSync(snapshot, path);
    const journal = readFileSync(`${snapshot}-journal`);
    const sectorSize = journal.readUInt32BE(20);
    const pageSize = journal.readUInt32BE(24);
    const firstRecord = sectorSize;
    const storedChecksum = journal.readUInt32BE(firstRecord + 4 + pageSize);
    assert.equal(journalPageChecksum(journal.subarray(firstRecord + 4, firstRecord + 4 + pageSize), journal.readUInt32BE(12)), storedChecksum);
    journal.writeUInt32BE((storedChecksum + 1) >>> 0, firstRecord + 4 + pageSize);
    writeFileSync(`${path}-journal`, journal);
    const opened = await openDatabaseFile(path, { quickCheck: false });
    assert.equal(opened.journal?.pagesRestored, 0);
    assert.match(opened.journal?.stoppedBecause ?? '', /page record 1 fails its checksum/);
    opened.close();
  });

  test('a journal that got shorter after its size was taken (the app truncating it) ends playback, no exception', () => {
    const journal = new Uint8Array(readFileSync(`${snapshot}-journal`));
    const pageSize = new DataView(journal.buffer).getUint32(24);
    const sectorSize = new DataView(journal.buffer).getUint32(20);
    // The bytes now end in the middle of the first page record; the size is the fstat's, from before.
    const nowEnds = sectorSize + 100;
    const index = indexHotJournal((offset, length) => journal.slice(offset, Math.min(nowEnds, offset + length)), journal.byteLength, pageSize, `${snapshot}-journal`);
    assert.equal(index.report.hot, true);
    assert.equal(index.report.pagesRestored, 0);
    assert.equal(index.report.stoppedBecause, 'the journal got shorter while it was read');
  });

  test("an exception while indexing is the journal's fault: 'corrupt', naming the file and the record", () => {
    const journal = new Uint8Array(readFileSync(`${snapshot}-journal`));
    const pageSize = new DataView(journal.buffer).getUint32(24);
    let reads = 0;
    const failing = (offset: number, length: number): Uint8Array => {
      reads += 1;
      if (reads === 5) throw new RangeError('Invalid typed array length: 4294967295');
      return journal.slice(offset, offset + length);
    };
    assert.throws(
      () => indexHotJournal(failing, journal.byteLength, pageSize, `${snapshot}-journal`),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseFileError, String(error));
        assert.equal(error.code, 'corrupt');
        assert.equal(error.file, `${snapshot}-journal`);
        assert.match(error.message, /^torn\.db-journal is damaged: reading page record 2 failed \(RangeError: Invalid typed array length: 4294967295\)\. Copy the database together with its -journal again/);
        return true;
      },
    );
  });

  test('write-back refuses an image read without rolling back the hot journal', async () => {
    const path = join(dir, 'unrolled.db');
    copyFileSync(snapshot, path);
    copyFileSync(`${snapshot}-journal`, `${path}-journal`);
    const opened = await openDatabaseFile(path, { rollBackJournal: false, quickCheck: false });
    await assert.rejects(writeDatabaseAtomically(opened, { allowLive: true }), /-journal holds a transaction in flight that SyncLens did not roll back/);
    opened.close();
    assert.ok(existsSync(`${path}-journal`));
  });

  test('write-back with allowLive moves the hot journal into the backup set', async () => {
    const path = join(dir, 'live.db');
    copyFileSync(snapshot, path);
    copyFileSync(`${snapshot}-journal`, `${path}-journal`);
    const opened = await openDatabaseFile(path);
    await assert.rejects(writeDatabaseAtomically(opened), /live\.db-journal beside it/);
    opened.db.run("INSERT INTO t(v) VALUES ('edited')");
    const result = await writeDatabaseAtomically(opened, { allowLive: true });
    opened.close();
    assert.equal(existsSync(`${path}-journal`), false, 'a stale journal would be rolled back over the new file');
    assert.deepEqual(result.movedAside, [`${result.backupPath}-journal`]);
    assert.equal(sqliteView(path, query, join(dir, 'oracle-live.db')), '201|0');
    assert.equal(sqliteView(path, 'PRAGMA integrity_check', join(dir, 'oracle-check.db')), 'ok');
  });
});
