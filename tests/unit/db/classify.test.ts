import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { classifyDatabasePrefix, findMdbxMeta, shannonEntropy } from '../../../core/db/classify';
import { DatabaseFileError, type DatabaseFileErrorCode } from '../../../core/db/errors';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { openDatabaseFile } from '../../../core/db/open';
import { folderFingerprint, noise, pageOf } from '../../helpers/dbFiles';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

function sqlcipherMissing(): string | false {
  try {
    execFileSync('sqlcipher', ['-version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'the sqlcipher CLI is not installed (apt-get install sqlcipher)';
  }
}

/** An MDBX data file as libmdbx lays it out: three meta pages, each a 20-byte page header then the meta. */
function mdbxFile(pageSize: number, options: { damageFirstMeta?: boolean } = {}): Buffer {
  const file = Buffer.alloc(pageSize * 5);
  for (let page = 0; page < 3; page += 1) {
    const at = page * pageSize;
    file.writeBigUInt64LE(BigInt(page + 1), at); // page header: txnid
    file.writeUInt16LE(0x08, at + 10); // flags: P_META
    file.writeUInt32LE(page, at + 16); // pgno
    file.writeBigUInt64LE((0x59659dbdef4c11n << 8n) | 3n, at + 20); // meta: MDBX_DATA_MAGIC, format version 3
    file.writeBigUInt64LE(BigInt(page + 1), at + 28); // txnid_a
    file.writeUInt32LE(pageSize, at + 20 + 44); // the GC tree's dupfix_size slot carries the page size
  }
  if (options.damageFirstMeta) file.fill(0, 0, pageSize);
  return file;
}

describe('classifying bad database files', () => {
  let dir: string;
  let cleanup: () => void;
  let realDb: string;

  before(() => {
    ({ dir, cleanup } = scratchDir());
    realDb = join(dir, 'real.db');
    sqlite3(
      realDb,
      `CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
       INSERT INTO notes(body) SELECT printf('note %d %s', i, hex(randomblob(40))) FROM n;
       CREATE INDEX notes_body ON notes(body);`,
    );
  });
  after(() => cleanup());

  async function expectFileError(path: string, code: DatabaseFileErrorCode, says: RegExp): Promise<DatabaseFileError> {
    const folder = join(path, '..');
    const before = folderFingerprint(folder);
    const error = await openDatabaseFile(path).then(
      () => assert.fail(`${path} opened, expected ${code}`),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DatabaseFileError, `expected a DatabaseFileError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.file, path);
    assert.match(error.message, says);
    assert.ok(!error.message.includes('\n'), 'one line');
    assert.deepEqual(folderFingerprint(folder), before, 'reading changed or created files');
    return error;
  }

  function fixture(name: string, bytes: Uint8Array | string): string {
    const folder = join(dir, name.replace(/\W/g, '_'));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  }

  test('a real database opens', async () => {
    const opened = await openDatabaseFile(realDb);
    assert.deepEqual(opened.db.exec('SELECT count(*) FROM notes')[0]?.values, [[2000]]);
    opened.close();
  });

  test('empty file', async () => {
    await expectFileError(fixture('empty.db', ''), 'empty', /empty\.db is empty \(0 bytes\)/);
  });

  test('plain text, JSON and CSV are named as such', async () => {
    await expectFileError(fixture('notes.db', 'remember to buy milk\nand bread\n'), 'not-sqlite', /notes\.db is not a SQLite database: it looks like plain text/);
    await expectFileError(fixture('export.db', '{"users":[{"odid":"u1"}]}'), 'not-sqlite', /looks like JSON/);
    await expectFileError(fixture('table.db', 'odid,name\nu1,Ada\nu2,Bob\n'), 'not-sqlite', /looks like CSV text/);
    await expectFileError(fixture('dump.db', 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(x);\n'), 'not-sqlite', /SQL text/);
  });

  test('unknown binary that is not page-aligned', async () => {
    const bytes = noise(5000);
    bytes[0] = 0x7f; // a NUL-free random prefix could pass as text; keep it binary
    bytes[1] = 0;
    await expectFileError(fixture('blob.db', bytes), 'not-sqlite', /unknown binary file \(4\.9 KB, starts with 7f 00/);
  });

  test('page-aligned random bytes look like SQLCipher', async () => {
    const error = await expectFileError(fixture('secret.db', noise(4096 * 6)), 'encrypted', /secret\.db looks encrypted \(likely SQLCipher\)/);
    assert.match(error.message, /Enter key….*SYNCLENS_DB_KEY/);
    await expectFileError(fixture('old-cipher.db', noise(1024 * 3)), 'encrypted', /SQLCipher/);
  });

  test('a real SQLCipher database (written by the sqlcipher CLI) is named as encrypted', { skip: sqlcipherMissing() }, async () => {
    for (const pageSize of [1024, 4096]) {
      const folder = join(dir, `sqlcipher${pageSize}`);
      mkdirSync(folder);
      const path = join(folder, 'secure.db');
      execFileSync('sqlcipher', [path], { input: `PRAGMA key = 'secret';\nPRAGMA cipher_page_size = ${pageSize};\nCREATE TABLE t(x);\nINSERT INTO t VALUES (1);\n` });
      await expectFileError(path, 'encrypted', /secure\.db looks encrypted \(likely SQLCipher\)/);
    }
  });

  test('SQLCipher with a plaintext header: readable header, random pages', async () => {
    const real = readFileSync(realDb);
    const bytes = Buffer.concat([real.subarray(0, 100), noise(real.byteLength - 100)]);
    await expectFileError(fixture('plainheader.db', bytes), 'encrypted', /plaintext header/);
  });

  test('an Isar/MDBX file is recognised by its meta page, even with page 0 damaged', async () => {
    await expectFileError(fixture('default.isar', mdbxFile(4096)), 'mdbx', /default\.isar is an Isar database in its native MDBX format .*page size 4096.*Isar Inspector.*SQLite engine/);
    await expectFileError(fixture('app.db', mdbxFile(16384, { damageFirstMeta: true })), 'mdbx', /MDBX format \(libmdbx meta page found, page size 16384\)/);
    assert.equal(findMdbxMeta(noise(4096 * 3)), null);
  });

  test('a .isar file without a readable meta page is still named as Isar', async () => {
    const bytes = noise(3000);
    bytes[0] = 0;
    await expectFileError(fixture('broken.isar', bytes), 'mdbx', /named like an Isar database \(\.isar\)/);
  });

  test('truncated: cut short of the header page count, or of the header itself', async () => {
    const real = readFileSync(realDb);
    await expectFileError(fixture('half.db', real.subarray(0, Math.floor(real.byteLength / 2))), 'truncated', /half\.db is truncated: its header says .* pages of 4096 bytes\) but the file has/);
    await expectFileError(fixture('stub.db', real.subarray(0, 60)), 'truncated', /only 60 bytes, shorter than the 100-byte header/);
    await expectFileError(fixture('onepage.db', real.subarray(0, 1000)), 'truncated', /truncated/);
  });

  test('corrupt: a b-tree page overwritten, or an impossible page size', async () => {
    const real = Buffer.from(readFileSync(realDb));
    const root = pageOf(sqlite3(realDb, "SELECT rootpage FROM sqlite_schema WHERE name = 'notes';"));
    const leaf = pageOf(sqlite3(realDb, "SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'leaf' LIMIT 1 OFFSET 3;"));
    const damaged = Buffer.from(real);
    noise(4096).copy(damaged, (leaf - 1) * 4096);
    // SQLite now reads the pages itself: quick_check names the damaged page before it gives up.
    await expectFileError(fixture('leaf.db', damaged), 'corrupt', /leaf\.db is corrupt: SQLite's quick_check reports Tree \d+ page \d+: btreeInitPage\(\) returns error code 11.*\. Restore it from a backup/);
    // Garbage in the cell pointer array: quick_check itself reports what it found.
    const pointers = Buffer.from(real);
    pointers.fill(0xff, (leaf - 1) * 4096 + 8, (leaf - 1) * 4096 + 14);
    await expectFileError(fixture('pointers.db', pointers), 'corrupt', /pointers\.db is corrupt: SQLite's quick_check reports .*out of range/);
    const rootDamaged = Buffer.from(real);
    noise(4096).copy(rootDamaged, (root - 1) * 4096);
    await expectFileError(fixture('root.db', rootDamaged), 'corrupt', /root\.db is corrupt/);
    const badPageSize = Buffer.from(real);
    badPageSize.writeUInt16BE(3000, 16);
    await expectFileError(fixture('pagesize.db', badPageSize), 'corrupt', /impossible page size \(3000\)/);
  });

  test('only the first 16 bytes damaged: a damaged SQLite database (corrupt), with what to do', async () => {
    const real = readFileSync(realDb);
    const overwritten = Buffer.from(real);
    noise(16).copy(overwritten, 0);
    const error = await expectFileError(fixture('header.db', overwritten), 'corrupt', /header\.db is a damaged SQLite database: its first 16 bytes, where SQLite writes "SQLite format 3", are overwritten/);
    assert.match(error.message, /page size 4096 at byte 16, a table b-tree page after the 100-byte header, \d+ pages\)/);
    assert.match(error.message, /Restore it from a backup, or repair a copy: write the 16 bytes back \(printf 'SQLite format 3\\000' \| dd of=copy\.db bs=16 count=1 conv=notrunc\).*sqlite3 copy\.db \.recover/);
    assert.doesNotMatch(error.message, /unknown binary/);

    const zeroed = Buffer.from(real);
    zeroed.fill(0, 0, 16);
    await expectFileError(fixture('zeroed.db', zeroed), 'corrupt', /damaged SQLite database/);
  });

  test('the repair the message names, run as written on a copy, gives back every row', async () => {
    const real = readFileSync(realDb);
    const overwritten = Buffer.from(real);
    overwritten.fill(0x41, 0, 16);
    const path = fixture('repair.db', overwritten);
    const error = await expectFileError(path, 'corrupt', /damaged SQLite database/);
    const command = /\((printf .* conv=notrunc)\)/.exec(error.message)?.[1];
    assert.ok(command, error.message);
    const copy = join(dir, 'repair_db', 'copy.db');
    writeFileSync(copy, overwritten);
    execFileSync('sh', ['-c', command], { cwd: join(dir, 'repair_db') });
    assert.deepEqual(readFileSync(copy), real);
    const opened = await openDatabaseFile(copy);
    assert.deepEqual(opened.db.exec('SELECT count(*) FROM notes')[0]?.values, [[2000]]);
    opened.close();
  });

  test('a WAL-mode database with 64 KiB pages and its header string damaged is named the same way', async () => {
    const folder = join(dir, 'wal64k');
    mkdirSync(folder);
    const path = join(folder, 'big-pages.db');
    sqlite3(path, 'PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);');
    const bytes = Buffer.from(readFileSync(path));
    assert.equal(bytes[18], 2, 'WAL mode');
    noise(16).copy(bytes, 0);
    writeFileSync(path, bytes);
    await expectFileError(path, 'corrupt', /big-pages\.db is a damaged SQLite database: .*page size 65536 at byte 16/);
  });

  test('noise with a valid page size at byte 16 but no SQLite structure stays an unknown file', async () => {
    const bytes = noise(4096 * 3 + 100);
    bytes[0] = 0x7f;
    bytes[1] = 0;
    bytes.writeUInt16BE(4096, 16);
    await expectFileError(fixture('lookalike.db', bytes), 'not-sqlite', /unknown binary file/);
  });

  test('a schema whose names are not UTF-8 (one damaged byte) is corrupt, not a failing query later', async () => {
    const folder = join(dir, 'schema_bytes');
    mkdirSync(folder);
    const path = join(folder, 'app.db');
    sqlite3(path, 'CREATE TABLE posts(id INTEGER PRIMARY KEY, odid TEXT, created_at INTEGER, updated_at INTEGER, is_synced INTEGER); INSERT INTO posts VALUES (1, \'p1\', 1, 2, 0);');
    const bytes = Buffer.from(readFileSync(path));
    const at = bytes.indexOf('created_at');
    assert.ok(at > 0);
    bytes[at + 1] = 0x80; // a lone continuation byte: "c\x80eated_at"
    writeFileSync(path, bytes);
    const error = await openAppDatabase(path, { config: 'none' }).then(
      (app) => {
        app.close();
        return assert.fail('opened');
      },
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DatabaseFileError, String(error));
    assert.equal(error.code, 'corrupt');
    assert.match(error.message, /^app\.db is corrupt: the CREATE statement of its schema entry for table "posts" is not UTF-8 text/);
  });

  test('unreadable: missing file, a folder, no permission', async () => {
    await expectFileError(join(dir, 'missing.db'), 'unreadable', /missing\.db does not exist/);
    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    await expectFileError(folder, 'unreadable', /folder\.db is a folder/);
  });

  test('unreadable: permission denied', { skip: process.getuid?.() === 0 ? 'root reads any file, so permissions cannot be denied here' : false }, async () => {
    const path = fixture('locked.db', readFileSync(realDb));
    chmodSync(path, 0o000);
    try {
      await expectFileError(path, 'unreadable', /permission denied/);
    } finally {
      chmodSync(path, 0o644);
    }
  });

  test('entropy separates ciphertext from a real database', () => {
    assert.ok(shannonEntropy(noise(65536)) > 7.9);
    assert.ok(shannonEntropy(readFileSync(realDb).subarray(0, 65536)) < 7.5);
  });

  test('classifyDatabasePrefix hands back the header of a healthy file from its first bytes', () => {
    const bytes = readFileSync(realDb);
    const header = classifyDatabasePrefix(bytes.subarray(0, 4096), bytes.byteLength, realDb);
    assert.equal(header?.pageSize, 4096);
    assert.ok((header?.pageCount ?? 0) > 10);
    assert.equal(header?.writeVersion, 1);
  });
});
