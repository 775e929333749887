// Encrypted app databases written by real encryption code (tests/helpers/encryptedDatabases.ts:
// Debian's sqlcipher for SQLCipher 3, native SQLite3 Multiple Ciphers for SQLCipher 4 and ChaCha20)
// open with their key through the same page-level path as plain ones, and the CLI reports them as
// it reports the plain original.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppDatabase } from '../../../core/db/appDatabase';
import type { CipherChoice } from '../../../core/db/cipher';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseFile } from '../../../core/db/open';
import { dumpOf, runCliFromSource, writeEncryptedDatabase, type FixtureCipher } from '../../helpers/encryptedDatabases';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';

const repoRoot = join(__dirname, '..', '..', '..');
const sampleDb = join(repoRoot, 'sample-workspace', 'app.db');
const sampleNowIso = '2026-11-24T12:00:00Z';
const passphrase = "correct horse 'battery' staple";
const rawKey = `x'${'2f'.repeat(16)}${'a7'.repeat(16)}'`;
const ciphers: readonly FixtureCipher[] = ['sqlcipher3', 'sqlcipher4', 'chacha20'];


async function expectFileError(promise: Promise<unknown>, code: string, says: RegExp): Promise<DatabaseFileError> {
  let caught: DatabaseFileError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatabaseFileError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, says);
    caught = error;
    return true;
  });
  return caught!;
}

describe('encrypted app databases', () => {
  let dir: string;
  let cleanup: () => void;
  const encrypted = new Map<FixtureCipher, string>();

  before(() => {
    ({ dir, cleanup } = scratchDir('synclens-encrypted-'));
    const dump = dumpOf(sampleDb);
    for (const cipher of ciphers) {
      const folder = join(dir, cipher);
      mkdirSync(folder);
      const file = join(folder, 'enc.db');
      writeEncryptedDatabase(file, { cipher, key: passphrase, sql: dump });
      encrypted.set(cipher, file);
    }
  });
  after(() => cleanup());

  test('SYNCLENS_DB_KEY=… synclens inspect --json gives the plain database\'s tables, counts and queue, for every cipher', () => {
    const plain = runCliFromSource(['inspect', sampleDb, '--json', '--no-config', '--now', sampleNowIso], {});
    assert.equal(plain.status, 0, plain.stderr);
    const expected = JSON.parse(plain.stdout) as { tables: unknown; queue: unknown; cipher: string | null };
    assert.equal(expected.cipher, null);
    for (const cipher of ciphers) {
      const file = encrypted.get(cipher)!;
      const run = runCliFromSource(['inspect', file, '--json', '--no-config', '--now', sampleNowIso], { SYNCLENS_DB_KEY: passphrase });
      assert.equal(run.status, 0, `${cipher}: ${run.stderr}`);
      const report = JSON.parse(run.stdout) as { tables: unknown; queue: unknown; cipher: string | null };
      assert.equal(report.cipher, cipher, 'auto says which cipher matched');
      assert.deepEqual(report.tables, expected.tables, cipher);
      assert.deepEqual(report.queue, expected.queue, cipher);
    }
  });

  test('auto says which cipher matched; a named cipher opens only its own files', async () => {
    for (const cipher of ciphers) {
      const opened = await openDatabaseFile(encrypted.get(cipher)!, { key: { secret: passphrase } });
      try {
        assert.equal(opened.cipher, cipher);
        assert.equal(opened.db.exec('SELECT count(*) FROM users')[0]?.values[0]?.[0], 41);
      } finally {
        opened.close();
      }
      const named = await openDatabaseFile(encrypted.get(cipher)!, { key: { secret: passphrase, cipher } });
      assert.equal(named.cipher, cipher);
      named.close();
    }
    await expectFileError(openDatabaseFile(encrypted.get('sqlcipher3')!, { key: { secret: passphrase, cipher: 'sqlcipher4' } }), 'wrong-key', /the key or cipher does not open this database \(tried SQLCipher 4, each at its default settings\)/);
  });

  test('a wrong key: wrong-key naming every cipher tried, and the CLI exits 2', async () => {
    for (const cipher of ciphers) {
      await expectFileError(
        openDatabaseFile(encrypted.get(cipher)!, { key: { secret: 'not the key' } }),
        'wrong-key',
        /the key or cipher does not open this database \(tried SQLCipher 4, ChaCha20-Poly1305 \(SQLite3 Multiple Ciphers\), SQLCipher 3, each at its default settings\)/,
      );
    }
    const run = runCliFromSource(['inspect', encrypted.get('sqlcipher4')!, '--json'], { SYNCLENS_DB_KEY: 'not the key' });
    assert.equal(run.status, 2);
    assert.equal((JSON.parse(run.stdout) as { error: { code: string } }).error.code, 'wrong-key');
    const named = runCliFromSource(['inspect', encrypted.get('chacha20')!, '--cipher', 'sqlcipher3'], { SYNCLENS_DB_KEY: passphrase });
    assert.equal(named.status, 2);
    assert.match(named.stderr, /the key or cipher does not open this database \(tried SQLCipher 3, each at its default settings\)/);
  });

  test('no key: the "encrypted" error says how to give one; a key on the command line is refused', async () => {
    await expectFileError(openAppDatabase(encrypted.get('sqlcipher4')!), 'encrypted', /Enter key….*SYNCLENS_DB_KEY.*--key-env.*--cipher/);
    const run = runCliFromSource(['inspect', encrypted.get('sqlcipher4')!, '--json'], {});
    assert.equal(run.status, 2);
    assert.equal((JSON.parse(run.stdout) as { error: { code: string } }).error.code, 'encrypted');
    const onCommandLine = runCliFromSource(['inspect', encrypted.get('sqlcipher4')!, '--key', 'typed-key-123'], {});
    assert.equal(onCommandLine.status, 2);
    assert.match(onCommandLine.stderr, /a key on the command line is refused/);
    assert.doesNotMatch(onCommandLine.stdout + onCommandLine.stderr, /typed-key-123/);
    const otherVariable = runCliFromSource(['inspect', encrypted.get('chacha20')!, '--key-env', 'APP_DB_SECRET', '--json', '--no-config'], { APP_DB_SECRET: passphrase });
    assert.equal(otherVariable.status, 0, otherVariable.stderr);
    const unset = runCliFromSource(['inspect', encrypted.get('chacha20')!, '--key-env', 'NOT_SET_ANYWHERE'], {});
    assert.equal(unset.status, 2);
    assert.match(unset.stderr, /NOT_SET_ANYWHERE.*not set/);
  });

  test('a raw key x\'…\' opens SQLCipher 4 and ChaCha20 files written with it', async () => {
    for (const cipher of ['sqlcipher4', 'chacha20'] as const) {
      const file = join(dir, `raw-${cipher}.db`);
      writeEncryptedDatabase(file, { cipher, key: rawKey, sql: "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('raw');" });
      const opened = await openDatabaseFile(file, { key: { secret: rawKey } });
      try {
        assert.equal(opened.cipher, cipher);
        assert.deepEqual(opened.db.exec('SELECT body FROM notes')[0]?.values, [['raw']]);
      } finally {
        opened.close();
      }
    }
  });

  test('a WAL-mode encrypted database: the -wal\'s committed rows are shown, and no file is touched', async () => {
    for (const cipher of ciphers) {
      const folder = join(dir, `wal-${cipher}`);
      mkdirSync(folder);
      const copy = join(folder, 'copied.db');
      writeEncryptedDatabase(join(folder, 'live.db'), {
        cipher,
        key: passphrase,
        sql: "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES ('ada'), ('bob');",
        walSql: "INSERT INTO users(name) VALUES ('only in the wal'); UPDATE users SET name = 'bea' WHERE id = 2;",
        walCopy: copy,
      });
      assert.ok(readFileSync(`${copy}-wal`).byteLength > 32, `${cipher}: the -wal has frames`);
      const before = [sha256OfFile(copy), sha256OfFile(`${copy}-wal`)];
      const names = readdirSync(folder).sort();
      const opened = await openDatabaseFile(copy, { key: { secret: passphrase } });
      try {
        assert.equal(opened.cipher, cipher);
        assert.ok(opened.walFramesApplied > 0, cipher);
        assert.deepEqual(opened.db.exec('SELECT name FROM users ORDER BY id')[0]?.values, [['ada'], ['bea'], ['only in the wal']], cipher);
      } finally {
        opened.close();
      }
      assert.deepEqual([sha256OfFile(copy), sha256OfFile(`${copy}-wal`)], before, `${cipher}: byte-identical`);
      assert.deepEqual(readdirSync(folder).sort(), names, `${cipher}: no -shm or -journal created`);
      assert.ok(!existsSync(`${copy}-shm`));
    }
  });

  test('the right key for a damaged file: corrupt, not wrong-key', async () => {
    for (const cipher of ciphers) {
      const file = join(dir, `damaged-${cipher}.db`);
      copyFileSync(encrypted.get(cipher)!, file);
      const bytes = readFileSync(file);
      // A byte in the middle of the last page: its MAC fails; page 1 (and so the key) is fine.
      bytes[bytes.byteLength - 700] = (bytes[bytes.byteLength - 700] ?? 0) ^ 0xff;
      writeFileSync(file, bytes);
      await expectFileError(openDatabaseFile(file, { key: { secret: passphrase, cipher: 'auto' satisfies CipherChoice } }), 'corrupt', /is corrupt/);
    }
  });

  test('a key given for a plain database is not needed: it opens as usual', async () => {
    const opened = await openDatabaseFile(sampleDb, { key: { secret: passphrase } });
    try {
      assert.equal(opened.cipher, null);
      assert.ok(opened.sourceHeader);
    } finally {
      opened.close();
    }
  });
});
