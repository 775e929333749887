// What a sidecar's header claims is bounded by what the files hold: a 512-byte hot -journal whose
// header says the database had 2^31-1 pages, and a WAL commit frame (checksums made valid again)
// that says the database now has 2^31-1 pages. Opening gives what the files hold, never allocates
// for the claim, and never hangs: the opens run in a child process that is killed if they block.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { walChecksum } from '../../../core/db/wal';
import { folderFingerprint, snapshotWalDatabase, walFrames } from '../../helpers/dbFiles';
import { runAttemptsInChild, type AttemptOutcome } from '../../helpers/hostileAttempts';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const claimedPages = 0x7fff_ffff;
/** Far below the 8 TiB the headers claim, and above what opening a small database costs. */
const memoryLimit = 64 * 1024 * 1024;
const query = "SELECT count(*), sum(length(v)), group_concat(DISTINCT substr(v, 1, 1)) FROM t";

const rows = (count: number): string =>
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) INSERT INTO t(v) SELECT 'x' || hex(randomblob(300)) FROM n;`;

/** A rollback journal's first sector as SQLite writes it (src/pager.c, writeJournalHdr), claiming `originalPages`. */
function journalHeader(originalPages: number, pageSize: number): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]).copy(header, 0);
  header.writeUInt32BE(0xffff_ffff, 8); // records: "up to the end of the file"
  header.writeUInt32BE(0x1234_5678, 12); // checksum nonce
  header.writeUInt32BE(originalPages, 16);
  header.writeUInt32BE(512, 20); // sector size
  header.writeUInt32BE(pageSize, 24);
  return header;
}

/** Sets the last commit frame's "database size after commit" and re-chains every checksum from it, as a forger would. */
function forgeCommitSize(walPath: string, pages: number): void {
  const wal = readFileSync(walPath);
  const { pageSize, frames } = walFrames(walPath);
  const bigEndian = wal.readUInt32BE(0) === 0x377f0683;
  const lastCommit = [...frames].reverse().find((frame) => frame.commitPages !== 0) ?? assert.fail('the WAL has no commit');
  wal.writeUInt32BE(pages, lastCommit.offset + 4);
  let checksum: [number, number] = [wal.readUInt32BE(24), wal.readUInt32BE(28)];
  for (const frame of frames) {
    checksum = walChecksum(wal, frame.offset, 8, bigEndian, checksum);
    checksum = walChecksum(wal, frame.offset + 24, pageSize, bigEndian, checksum);
    wal.writeUInt32BE(checksum[0], frame.offset + 16);
    wal.writeUInt32BE(checksum[1], frame.offset + 20);
  }
  writeFileSync(walPath, wal);
}

describe('sidecar headers that claim a huge database', () => {
  let dir: string;
  let cleanup: () => void;
  let outcomes = new Map<string, AttemptOutcome>();
  let fingerprintBefore: Record<string, string>;
  const paths = { warmUp: '', journal: '', wal: '' };
  const expected = { journal: '', wal: '', journalPages: 0, walPages: 0 };

  before(async () => {
    ({ dir, cleanup } = scratchDir());
    paths.warmUp = join(dir, 'warm-up.db');
    sqlite3(paths.warmUp, 'CREATE TABLE t(v TEXT);');

    paths.journal = join(dir, 'journal.db');
    sqlite3(paths.journal, `CREATE TABLE t(v TEXT); ${rows(100)}`);
    expected.journal = sqlite3(paths.journal, `${query};`).trim();
    expected.journalPages = statSync(paths.journal).size / 4096;
    writeFileSync(`${paths.journal}-journal`, journalHeader(claimedPages, 4096));

    paths.wal = join(dir, 'wal.db');
    snapshotWalDatabase(join(dir, 'wal-writer.db'), paths.wal, `CREATE TABLE t(v TEXT); ${rows(100)} BEGIN; ${rows(50)} COMMIT;`);
    const highestWalPage = Math.max(...walFrames(`${paths.wal}-wal`).frames.map((frame) => frame.pageNumber));
    expected.walPages = Math.max(highestWalPage, statSync(paths.wal).size / 4096);
    forgeCommitSize(`${paths.wal}-wal`, claimedPages);
    expected.wal = `150|${150 * 601}|x`;

    fingerprintBefore = folderFingerprint(dir);
    // The warm-up loads SQLite's WASM first, so the growth measured for each attempt is the attempt's own.
    outcomes = await runAttemptsInChild([
      { name: 'warm-up', action: 'read', database: paths.warmUp },
      { name: 'journal', action: 'read', database: paths.journal, query },
      { name: 'wal', action: 'read', database: paths.wal, query },
    ]);
  });
  after(() => cleanup());

  const outcomeOf = (name: string): AttemptOutcome => {
    const outcome = outcomes.get(name) ?? assert.fail(`no outcome for ${name}`);
    assert.equal(outcome.outcome, 'read', `${name}: ${outcome.message}`);
    return outcome;
  };

  const assertSmall = (outcome: AttemptOutcome, t: TestContext): void => {
    t.diagnostic(`RSS grew ${outcome.rssGrowth} bytes, ArrayBuffers ${outcome.arrayBufferGrowth} bytes`);
    assert.ok((outcome.rssGrowth ?? Infinity) < memoryLimit, `RSS grew by ${outcome.rssGrowth} bytes`);
    assert.ok((outcome.arrayBufferGrowth ?? Infinity) < memoryLimit, `ArrayBuffers grew by ${outcome.arrayBufferGrowth} bytes`);
  };

  test('a 512-byte hot -journal claiming 2^31-1 original pages: the file as it is, in bounded memory', (t) => {
    const outcome = outcomeOf('journal');
    assert.equal(outcome.journalHot, true, 'the journal is seen as hot');
    assert.equal(outcome.rows, expected.journal, 'the rows are the committed ones sqlite3 wrote');
    assert.equal(outcome.pageCount, expected.journalPages);
    assert.equal(outcome.snapshotSize, expected.journalPages * 4096, 'SQLite is shown a database as large as the file, not as the header says');
    assertSmall(outcome, t);
  });

  test('a WAL commit frame claiming 2^31-1 pages: every frame applied, the size bounded by the pages present', (t) => {
    const outcome = outcomeOf('wal');
    assert.equal(outcome.walFramesApplied, walFrames(`${paths.wal}-wal`).frames.length, 'the re-chained frames are valid');
    assert.equal(outcome.rows, expected.wal);
    assert.equal(outcome.pageCount, expected.walPages);
    assert.equal(outcome.snapshotSize, expected.walPages * 4096, 'the database SQLite is shown ends at the highest page the files hold');
    assertSmall(outcome, t);
  });

  test('the files are byte-identical afterwards, and no -shm or -journal appeared', () => {
    assert.deepEqual(folderFingerprint(dir), fingerprintBefore);
  });
});
