import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseFile } from '../../../core/db/open';
import { indexWal, isInWalMode, walChecksum } from '../../../core/db/wal';
import { folderFingerprint, noise, snapshotWalDatabase, sqliteView, walFrames } from '../../helpers/dbFiles';
import { scratchDir } from '../../helpers/sqliteCli';

const bigRows = (count: number): string =>
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) INSERT INTO t(v) SELECT hex(randomblob(400)) FROM n;`;

/** Three committed transactions, the last two spanning many frames, all of them only in the -wal. */
const threeTransactions = `
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO t(v) VALUES ('first');
BEGIN; ${bigRows(50)} COMMIT;
BEGIN; ${bigRows(50)} COMMIT;`;

describe('applying a -wal', () => {
  let dir: string;
  let cleanup: () => void;
  let snapshot: string;
  let counter = 0;

  before(() => {
    ({ dir, cleanup } = scratchDir());
    snapshot = join(dir, 'snapshot.db');
    snapshotWalDatabase(join(dir, 'writer.db'), snapshot, threeTransactions);
  });
  after(() => cleanup());

  /** A copy of the snapshot (database + -wal) that a test may damage. */
  function copyOfSnapshot(): string {
    counter += 1;
    const path = join(dir, `copy${counter}.db`);
    copyFileSync(snapshot, path);
    copyFileSync(`${snapshot}-wal`, `${path}-wal`);
    return path;
  }

  function sqliteSees(path: string, query: string): string {
    counter += 1;
    return sqliteView(path, query, join(dir, `oracle${counter}.db`));
  }

  async function weSee(path: string, query: string): Promise<{ value: string; framesApplied: number; stoppedBecause: string | null; framesIgnored: number }> {
    const opened = await openDatabaseFile(path);
    try {
      const value = opened.db.exec(query).flatMap((result) => result.values.map((row) => row.join('|'))).join('\n');
      return { value, framesApplied: opened.walFramesApplied, stoppedBecause: opened.wal?.stoppedBecause ?? null, framesIgnored: opened.wal?.framesIgnored ?? 0 };
    } finally {
      opened.close();
    }
  }

  function commitFrames(path: string): number[] {
    return walFrames(`${path}-wal`).frames.filter((frame) => frame.commitPages !== 0).map((frame) => frame.index);
  }

  test('committed transactions that live only in the -wal are applied', async () => {
    const before = folderFingerprint(dir);
    const withoutWal = await openDatabaseFile(snapshot, { applyWal: false });
    assert.deepEqual(withoutWal.db.exec("SELECT count(*) FROM sqlite_schema WHERE name = 't'")[0]?.values, [[0]], 'the main file alone has no table yet');
    withoutWal.close();

    const seen = await weSee(snapshot, 'SELECT count(*), sum(length(v)) FROM t');
    assert.equal(seen.value, '101|80005');
    assert.equal(seen.framesApplied, walFrames(`${snapshot}-wal`).frames.length);
    assert.equal(seen.stoppedBecause, null);
    assert.deepEqual(folderFingerprint(dir), before, 'reading wrote nothing and created no -shm');
    assert.equal(seen.value, sqliteSees(snapshot, 'SELECT count(*), sum(length(v)) FROM t'));
  });

  test('a real uncommitted tail (cache spilled mid-transaction) is ignored', async () => {
    const path = join(dir, 'spill.db');
    snapshotWalDatabase(join(dir, 'spill-writer.db'), path, `${threeTransactions}\nPRAGMA cache_size = 2;\nBEGIN; ${bigRows(300)}`);
    const { frames } = walFrames(`${path}-wal`);
    const lastCommit = Math.max(...commitFrames(path));
    assert.ok(frames.length > lastCommit + 10, 'the open transaction spilled frames into the -wal');
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.value, '101');
    assert.equal(seen.framesApplied, lastCommit + 1);
    assert.equal(seen.framesIgnored, frames.length - lastCommit - 1);
    assert.match(seen.stoppedBecause ?? '', /never committed/);
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('a -wal cut mid-transaction keeps the transactions before the cut', async () => {
    const path = copyOfSnapshot();
    const commits = commitFrames(path);
    const { frames } = walFrames(`${path}-wal`);
    const secondLast = commits[commits.length - 2] ?? assert.fail('expected several commits');
    const cutFrame = frames[secondLast + 3] ?? assert.fail('expected a multi-frame last transaction');
    truncateSync(`${path}-wal`, cutFrame.offset + 100);
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.value, '51');
    assert.equal(seen.framesApplied, secondLast + 1);
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('garbage frames appended after the last commit are ignored', async () => {
    const path = copyOfSnapshot();
    const { pageSize, frames } = walFrames(`${path}-wal`);
    appendFileSync(`${path}-wal`, noise((24 + pageSize) * 2));
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.value, '101');
    assert.equal(seen.framesApplied, frames.length);
    assert.equal(seen.framesIgnored, 2);
    assert.match(seen.stoppedBecause ?? '', /frame \d+ has salts that do not match/);
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('a frame with a wrong salt ends the valid part of the log', async () => {
    const path = copyOfSnapshot();
    const commits = commitFrames(path);
    const secondLast = commits[commits.length - 2] ?? assert.fail('expected several commits');
    const frame = walFrames(`${path}-wal`).frames[secondLast + 2] ?? assert.fail('no such frame');
    const wal = readFileSync(`${path}-wal`);
    wal.writeUInt32BE((wal.readUInt32BE(frame.offset + 8) + 1) >>> 0, frame.offset + 8);
    writeFileSync(`${path}-wal`, wal);
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.value, '51');
    assert.equal(seen.framesApplied, secondLast + 1);
    assert.match(seen.stoppedBecause ?? '', new RegExp(`frame ${secondLast + 3} has salts`));
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('a frame with a wrong checksum ends the valid part of the log', async () => {
    const path = copyOfSnapshot();
    const commits = commitFrames(path);
    const first = commits[0] ?? assert.fail('expected a commit');
    const frame = walFrames(`${path}-wal`).frames[first + 2] ?? assert.fail('no such frame');
    const wal = readFileSync(`${path}-wal`);
    wal[frame.offset + 24 + 1000] = (wal[frame.offset + 24 + 1000] ?? 0) ^ 0x01;
    writeFileSync(`${path}-wal`, wal);
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.framesApplied, Math.max(...commits.filter((index) => index < first + 2)) + 1);
    assert.match(seen.stoppedBecause ?? '', new RegExp(`frame ${first + 3} fails its checksum`));
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('a damaged -wal header means no frame is applied', async () => {
    const path = copyOfSnapshot();
    const wal = readFileSync(`${path}-wal`);
    wal[13] = (wal[13] ?? 0) ^ 0xff; // checkpoint sequence: covered by the header checksum
    writeFileSync(`${path}-wal`, wal);
    const seen = await weSee(path, "SELECT count(*) FROM sqlite_schema WHERE name = 't'");
    assert.equal(seen.value, '0');
    assert.equal(seen.framesApplied, 0);
    assert.match(seen.stoppedBecause ?? '', /header checksum/);
    assert.equal(seen.value, sqliteSees(path, "SELECT count(*) FROM sqlite_schema WHERE name = 't'"));
  });

  test('frames left over from before a checkpoint (old salts) are not applied', async () => {
    const path = join(dir, 'restarted.db');
    // A full checkpoint, then a small write: SQLite restarts the log from its start with new salts,
    // leaving the older, longer generation's frames behind it in the file.
    snapshotWalDatabase(join(dir, 'restarted-writer.db'), path, `${threeTransactions}\nPRAGMA wal_checkpoint;\nINSERT INTO t(v) VALUES ('after restart');`);
    const seen = await weSee(path, "SELECT count(*), max(v = 'after restart') FROM t");
    assert.equal(seen.value, '102|1');
    const wal = readFileSync(`${path}-wal`);
    const { frames } = walFrames(`${path}-wal`);
    const currentGeneration = frames.findIndex((frame) => wal.readUInt32BE(frame.offset + 8) !== wal.readUInt32BE(16));
    assert.ok(currentGeneration > 0 && currentGeneration < frames.length, 'the log holds frames of two generations');
    assert.equal(seen.framesApplied, currentGeneration);
    assert.match(seen.stoppedBecause ?? '', /salts that do not match/);
    assert.equal(seen.value, sqliteSees(path, "SELECT count(*), max(v = 'after restart') FROM t"));
  });

  test('a commit that shrinks the database (VACUUM) resizes the image', async () => {
    const path = join(dir, 'shrunk.db');
    snapshotWalDatabase(join(dir, 'shrunk-writer.db'), path, `${threeTransactions}\nPRAGMA wal_checkpoint(TRUNCATE);\nDELETE FROM t WHERE id > 3;\nVACUUM;`);
    const query = 'SELECT (SELECT count(*) FROM t) || \',\' || (SELECT page_count FROM pragma_page_count())';
    const seen = await weSee(path, query);
    const [rows, pages] = seen.value.split(',').map(Number);
    assert.equal(rows, 3);
    assert.ok((pages ?? 0) * 4096 < readFileSync(path).byteLength, 'the image is smaller than the main file');
    assert.equal(seen.value, sqliteSees(path, query));
  });

  test('big-endian checksums (magic 0x377f0683) are verified too', async () => {
    const path = copyOfSnapshot();
    const wal = readFileSync(`${path}-wal`);
    const { pageSize, frames } = walFrames(`${path}-wal`);
    wal.writeUInt32BE(0x377f0683, 0);
    let checksum = walChecksum(wal, 0, 24, true, [0, 0]);
    wal.writeUInt32BE(checksum[0], 24);
    wal.writeUInt32BE(checksum[1], 28);
    for (const frame of frames) {
      checksum = walChecksum(wal, frame.offset, 8, true, checksum);
      checksum = walChecksum(wal, frame.offset + 24, pageSize, true, checksum);
      wal.writeUInt32BE(checksum[0], frame.offset + 16);
      wal.writeUInt32BE(checksum[1], frame.offset + 20);
    }
    writeFileSync(`${path}-wal`, wal);
    const seen = await weSee(path, 'SELECT count(*) FROM t');
    assert.equal(seen.value, '101');
    assert.equal(seen.framesApplied, frames.length);
    // SQLite accepts the rewritten log too: the checksum is SQLite's, not just self-consistent.
    assert.equal(seen.value, sqliteSees(path, 'SELECT count(*) FROM t'));
  });

  test('a -wal from another database (different page size) is not applied', async () => {
    const other = join(dir, 'other.db');
    snapshotWalDatabase(join(dir, 'other-writer.db'), other, threeTransactions, { beforeWal: 'PRAGMA page_size = 1024;' });
    const path = copyOfSnapshot();
    copyFileSync(`${other}-wal`, `${path}-wal`);
    const seen = await weSee(path, "SELECT count(*) FROM sqlite_schema WHERE name = 't'");
    assert.equal(seen.value, '0');
    assert.equal(seen.framesApplied, 0);
    assert.match(seen.stoppedBecause ?? '', /page size \(1024\) differs from the database's \(4096\)/);
  });

  test('the WAL is indexed chunk by chunk, and SQLite is shown a rollback-journal database', async () => {
    const wal = new Uint8Array(readFileSync(`${snapshot}-wal`));
    const reads: number[] = [];
    const index = indexWal((offset, length) => {
      reads.push(length);
      return wal.subarray(offset, offset + length);
    }, wal.byteLength, `${snapshot}-wal`);
    assert.equal(index.transactionsApplied, commitFrames(snapshot).length);
    assert.equal(index.header?.pageSize, 4096);
    assert.ok(Math.max(...reads) <= 4 * 1024 * 1024 + 4096, 'reads are bounded');
    assert.ok(isInWalMode(new Uint8Array(readFileSync(snapshot))));
    const before = folderFingerprint(dir);
    const opened = await openDatabaseFile(snapshot);
    try {
      // SQLite reads the header through our VFS: it must see rollback mode, or it would look for a -wal and -shm.
      assert.equal(opened.db.exec('PRAGMA journal_mode')[0]?.values[0]?.[0], 'memory');
      assert.equal(opened.walFramesApplied, index.framesApplied);
    } finally {
      opened.close();
    }
    assert.deepEqual(folderFingerprint(dir), before, 'nothing written or created beside the file');
  });

  test("an exception while indexing is the -wal's fault: 'corrupt', naming the file and the frames", () => {
    const wal = new Uint8Array(readFileSync(`${snapshot}-wal`));
    let reads = 0;
    const failing = (offset: number, length: number): Uint8Array => {
      reads += 1;
      // What a forged count did to the reader before 2214964 (a spread over 200,000 pages).
      if (reads === 2) throw new RangeError('Maximum call stack size exceeded');
      return wal.subarray(offset, offset + length);
    };
    assert.throws(
      () => indexWal(failing, wal.byteLength, `${snapshot}-wal`),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseFileError, String(error));
        assert.equal(error.code, 'corrupt');
        assert.equal(error.file, `${snapshot}-wal`);
        assert.match(error.message, /^snapshot\.db-wal is damaged: reading frames 1-\d+ failed \(RangeError: Maximum call stack size exceeded\)\. Copy the database together with its -wal again/);
        return true;
      },
    );
  });

  test('an error of the file system while indexing stays what it is', () => {
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    assert.throws(
      () => indexWal(() => {
        throw eio;
      }, 4096, `${snapshot}-wal`),
      (error: unknown) => error === eio,
    );
  });

  test('a WAL-mode database with an empty or missing -wal opens, unchanged on disk', async () => {
    const path = copyOfSnapshot();
    const opened = await openDatabaseFile(path, { applyWal: false });
    opened.close();
    writeFileSync(`${path}-wal`, '');
    const before = folderFingerprint(dir);
    const empty = await openDatabaseFile(path);
    assert.equal(empty.walFramesApplied, 0);
    assert.equal(empty.stamp.wal?.size, 0);
    empty.close();
    assert.deepEqual(folderFingerprint(dir), before);
  });
});
