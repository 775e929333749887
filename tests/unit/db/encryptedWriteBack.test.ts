// A write-back of an encrypted database goes through the same copy-on-write commit and backup as a
// plain one; the pages it writes were re-encrypted by the cipher VFS with the file's own cipher and
// parameters, so the real tools open the result with the same key: Debian's sqlcipher (SQLCipher 3)
// and the native SQLite3 Multiple Ciphers (SQLCipher 4, ChaCha20), with integrity_check passing.
// Neither of them has PRAGMA cipher_integrity_check (SQLCipher 3.4.1 and SQLite3 Multiple Ciphers
// ignore it: they return no row even for a tampered page), so integrity_check, which reads and so
// authenticates every page, is the check.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { multipleCiphersQuery, sqlcipherQuery, writeEncryptedDatabase, type FixtureCipher } from '../../helpers/encryptedDatabases';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';

const key = 'write-back passphrase';
const schema = "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT); INSERT INTO users(name) VALUES ('ada'), ('bob');";
const edit = "UPDATE users SET name = 'bea' WHERE id = 2; INSERT INTO users(name, note) SELECT 'user ' || value, hex(randomblob(300)) FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 200) SELECT value FROM n);";

/** What the real tool for `cipher` reads from `file` with the key: integrity_check, then the users. */
function readWithRealTool(file: string, cipher: FixtureCipher): { integrity: string; count: number; second: string } {
  if (cipher === 'sqlcipher3') {
    const lines = sqlcipherQuery(file, key, "PRAGMA integrity_check; SELECT count(*) FROM users; SELECT name FROM users WHERE id = 2;").trim().split('\n');
    return { integrity: lines[0] ?? '', count: Number(lines[1]), second: lines[2] ?? '' };
  }
  const [integrity, count, second] = multipleCiphersQuery(file, cipher, key, ['PRAGMA integrity_check', 'SELECT count(*) AS n FROM users', 'SELECT name FROM users WHERE id = 2']);
  return { integrity: String(integrity?.[0]?.integrity_check), count: Number(count?.[0]?.n), second: String(second?.[0]?.name) };
}

describe('writing an encrypted database back', () => {
  let dir: string;
  let cleanup: () => void;

  before(() => ({ dir, cleanup } = scratchDir('synclens-encrypted-write-')));
  after(() => cleanup());

  for (const cipher of ['sqlcipher3', 'sqlcipher4', 'chacha20'] as const) {
    test(`${cipher}: changed pages are re-encrypted; the real tool opens the result with the same key`, async () => {
      const folder = join(dir, cipher);
      mkdirSync(folder);
      const file = join(folder, 'app.db');
      writeEncryptedDatabase(file, { cipher, key, sql: schema });
      const original = sha256OfFile(file);
      const opened = await openDatabaseFile(file, { key: { secret: key } });
      try {
        assert.equal(opened.cipher, cipher);
        opened.db.exec(edit);
        assert.equal(sha256OfFile(file), original, 'nothing is written before the write-back');
        const { backupPath } = await writeDatabaseAtomically(opened, { now: new Date('2026-11-24T19:00:00Z') });
        assert.equal(sha256OfFile(backupPath), original, 'the backup is the original file');
        // Still ciphertext: no SQLite header, none of the new text in the clear.
        const bytes = readFileSync(file);
        assert.notEqual(bytes.subarray(0, 15).toString('latin1'), 'SQLite format 3');
        assert.ok(!bytes.includes(Buffer.from('user 199')), 'rows are not in the clear');
        // The connection reads the file just written, as before.
        assert.equal(opened.db.exec('SELECT count(*) FROM users')[0]?.values[0]?.[0], 202);
      } finally {
        opened.close();
      }
      assert.deepEqual(readWithRealTool(file, cipher), { integrity: 'ok', count: 202, second: 'bea' });
      const reopened = await openDatabaseFile(file, { key: { secret: key } });
      assert.equal(reopened.cipher, cipher);
      reopened.close();
    });
  }

  for (const cipher of ['sqlcipher3', 'sqlcipher4'] as const) {
    test(`${cipher} in WAL mode with a -wal: the written file holds the WAL's rows and the edit, and stays in WAL mode`, async () => {
      const folder = join(dir, `wal-${cipher}`);
      mkdirSync(folder);
      const file = join(folder, 'copied.db');
      writeEncryptedDatabase(join(folder, 'live.db'), { cipher, key, sql: schema, walSql: "INSERT INTO users(name) VALUES ('from the wal');", walCopy: file });
      const opened = await openDatabaseFile(file, { key: { secret: key } });
      try {
        opened.db.exec("UPDATE users SET name = 'bea' WHERE id = 2");
        const { movedAside } = await writeDatabaseAtomically(opened, { allowLive: true, now: new Date('2026-11-24T19:00:00Z') });
        assert.equal(movedAside.length, 1);
      } finally {
        opened.close();
      }
      assert.ok(!existsSync(`${file}-wal`));
      assert.deepEqual(readWithRealTool(file, cipher), { integrity: 'ok', count: 3, second: 'bea' });
      const mode = cipher === 'sqlcipher3' ? sqlcipherQuery(file, key, 'PRAGMA journal_mode;').trim() : String(multipleCiphersQuery(file, cipher, key, ['PRAGMA journal_mode'])[0]?.[0]?.journal_mode);
      assert.equal(mode, 'wal');
    });
  }
});
