// A database file over 2 GiB, written by the real sqlite3 (photos as zeroblob, quick to make) and
// deleted after: it opens through openDatabaseFile, counts and pages like any other, reads rows
// that lie beyond the 2 GiB offset, and the process never holds more than a fraction of it.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile, type OpenedDatabase } from '../../../core/db/open';
import { countRows, readPage } from '../../../core/db/rows';
import type { CellValue } from '../../../core/db/types';
import { scratchDir, sqlite3, sqlite3Json } from '../../helpers/sqliteCli';

const twoGiB = 2 ** 31;
const photoBytes = 1024 * 1024;
const photos = 2_100;
const usersBefore = 50_000;
const usersAfter = 50_000;
/** Far below the file's size: the file is read page by page, never whole. */
const maxPeakRssBytes = 256 * 1024 * 1024;

function integerText(cell: CellValue | undefined): string {
  assert.equal(cell?.kind, 'integer');
  return cell.text;
}

describe('a database file over 2 GiB', () => {
  const scratch = scratchDir('synclens-scale-');
  const dbPath = join(scratch.dir, 'photos.db');
  let opened: OpenedDatabase;

  before(async () => {
    // Half the users are written after the photos, so their pages lie past the 2 GiB offset.
    sqlite3(
      dbPath,
      `PRAGMA journal_mode = OFF;
       PRAGMA synchronous = OFF;
       CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL, name TEXT NOT NULL, updatedAt INTEGER NOT NULL);
       CREATE TABLE photos (id INTEGER PRIMARY KEY, userId INTEGER NOT NULL, data BLOB NOT NULL);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${usersBefore})
       INSERT INTO users SELECT i, printf('u%07d', i), printf('User %07d', i), 1700000000000 + i FROM n;
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${photos})
       INSERT INTO photos SELECT i, 1 + i % ${usersBefore}, CASE WHEN i = ${photos} THEN CAST(x'ffd8ffe0' || zeroblob(${photoBytes - 4}) AS BLOB) ELSE zeroblob(${photoBytes}) END FROM n;
       WITH RECURSIVE n(i) AS (SELECT ${usersBefore + 1} UNION ALL SELECT i + 1 FROM n WHERE i < ${usersBefore + usersAfter})
       INSERT INTO users SELECT i, printf('u%07d', i), printf('User %07d', i), 1700000000000 + i FROM n;`,
    );
    opened = await openDatabaseFile(dbPath);
  });

  after(() => {
    opened?.close();
    scratch.cleanup();
  });

  test('the fixture is over 2 GiB and its last users lie past the 2 GiB offset', () => {
    assert.ok(statSync(dbPath).size > twoGiB, `${statSync(dbPath).size} bytes`);
    const [lastUserPage] = sqlite3Json(dbPath, `SELECT max(pageno) AS page FROM dbstat WHERE name = 'users'`);
    assert.ok(Number(lastUserPage?.page) * 4096 > twoGiB, `the last users page is page ${lastUserPage?.page}`);
  });

  test('exact counts, as sqlite3 gives them', () => {
    assert.equal(countRows(opened.db, 'users'), usersBefore + usersAfter);
    assert.equal(countRows(opened.db, 'photos'), photos);
    assert.equal(countRows(opened.db, 'users', [{ column: 'id', op: 'gt', value: usersBefore }]), usersAfter);
  });

  test('keyset pages deep in the table hold the rows sqlite3 reads there', () => {
    const deep = usersBefore + usersAfter - 150;
    const page = readPage(opened.db, { table: 'users', after: { values: [deep] }, limit: 100 });
    const expected = sqlite3Json(dbPath, `SELECT id, odid FROM users WHERE id > ${deep} ORDER BY id LIMIT 100`);
    assert.deepEqual(
      page.rows.map((row) => [integerText(row[0]), row[1]]),
      expected.map((row) => [String(row.id), { kind: 'text', value: row.odid }]),
    );
    assert.equal(page.hasMore, true);
    const last = readPage(opened.db, { table: 'users', after: page.nextCursor, limit: 100 });
    assert.equal(last.rows.length, 50);
    assert.equal(last.hasMore, false);
  });

  test('a photo stored past 2 GiB reads back with its size and first bytes', () => {
    const page = readPage(opened.db, { table: 'photos', after: { values: [photos - 1] }, limit: 10 });
    assert.equal(page.rows.length, 1);
    const cell = page.rows[0]?.[2];
    assert.equal(cell?.kind, 'blob');
    assert.equal(cell.size, photoBytes);
    assert.match(cell.hexPrefix, /^ffd8ffe0/);
  });

  test('reading it takes a small, bounded share of memory and writes nothing beside it', () => {
    const peak = process.resourceUsage().maxRSS * 1024;
    assert.ok(peak < maxPeakRssBytes, `peak RSS ${Math.round(peak / 2 ** 20)} MB for a ${Math.round(statSync(dbPath).size / 2 ** 20)} MB file`);
    for (const sidecar of ['-journal', '-wal', '-shm']) assert.equal(existsSync(`${dbPath}${sidecar}`), false, `no ${sidecar}`);
  });
});
