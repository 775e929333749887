// Encrypted databases whose app changed SQLCipher's settings from its version's defaults, written
// by real encryption code: SQLCipher 4 with kdf_iter = 64000 by native SQLite3 Multiple Ciphers
// (better-sqlite3-multiple-ciphers), SQLCipher 3 with kdf_iter = 10000 and cipher_page_size = 4096
// by Debian's sqlcipher (3.4.1). At the defaults they do not open: 'wrong-key', naming the settings
// tried and how to name others. Named (--cipher-param, CipherParameters), they open, and the CLI
// reports them as it reports the plain original.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCipherParameter } from '../../../core/db/cipher';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseFile } from '../../../core/db/open';
import { dumpOf, runCliFromSource, writeEncryptedDatabase } from '../../helpers/encryptedDatabases';
import { scratchDir } from '../../helpers/sqliteCli';

const repoRoot = join(__dirname, '..', '..', '..');
const sampleDb = join(repoRoot, 'sample-workspace', 'app.db');
const sampleNowIso = '2026-11-24T12:00:00Z';
const passphrase = 'tuned kdf 64000';


describe('encrypted databases with non-default SQLCipher settings', () => {
  let cleanup: () => void;
  let sqlcipher4: string;
  let sqlcipher3: string;

  before(() => {
    const scratch = scratchDir('synclens-cipher-params-');
    cleanup = scratch.cleanup;
    const sql = dumpOf(sampleDb);
    sqlcipher4 = join(scratch.dir, 'kdf64000.sqlcipher4.db');
    writeEncryptedDatabase(sqlcipher4, { cipher: 'sqlcipher4', key: passphrase, pragmas: ['kdf_iter = 64000'], sql });
    sqlcipher3 = join(scratch.dir, 'kdf10000-page4096.sqlcipher3.db');
    writeEncryptedDatabase(sqlcipher3, { cipher: 'sqlcipher3', key: passphrase, pragmas: ['kdf_iter = 10000', 'cipher_page_size = 4096'], sql });
  });
  after(() => cleanup());

  test('at the defaults: wrong-key, saying the defaults were tried and how to name the app\'s settings', async () => {
    for (const file of [sqlcipher4, sqlcipher3]) {
      await assert.rejects(openDatabaseFile(file, { key: { secret: passphrase } }), (error: unknown) => {
        assert.ok(error instanceof DatabaseFileError);
        assert.equal(error.code, 'wrong-key');
        assert.match(error.message, /tried SQLCipher 4, ChaCha20-Poly1305 \(SQLite3 Multiple Ciphers\), SQLCipher 3, each at its default settings/);
        assert.match(error.message, /kdf_iter, cipher_page_size, cipher_hmac_algorithm, cipher_kdf_algorithm/);
        assert.match(error.message, /--cipher-param kdf_iter=64000/);
        return true;
      });
    }
    await assert.rejects(openDatabaseFile(sqlcipher4, { key: { secret: passphrase, parameters: { kdfIter: 12345 } } }), /tried SQLCipher 4, .*with kdf_iter=12345\)/);
  });

  test('named: the files open through the library (SQLCipher 4 with its kdf_iter, SQLCipher 3 with kdf_iter and page size)', async () => {
    const opened4 = await openDatabaseFile(sqlcipher4, { key: { secret: passphrase, parameters: { kdfIter: 64000 } } });
    const opened3 = await openDatabaseFile(sqlcipher3, { key: { secret: passphrase, cipher: 'sqlcipher3', parameters: { kdfIter: 10000, pageSize: 4096 } } });
    try {
      assert.equal(opened4.cipher, 'sqlcipher4');
      assert.equal(opened3.cipher, 'sqlcipher3');
      for (const opened of [opened4, opened3]) assert.equal(opened.db.exec('SELECT count(*) FROM users')[0]?.values[0]?.[0], 41);
    } finally {
      opened4.close();
      opened3.close();
    }
  });

  test('CLI: --cipher-param gives the plain database\'s tables, counts and queue; a bad one exits 2', () => {
    const plain = runCliFromSource(['inspect', sampleDb, '--json', '--no-config', '--now', sampleNowIso], {});
    assert.equal(plain.status, 0, plain.stderr);
    const expected = JSON.parse(plain.stdout) as { tables: unknown; queue: unknown };
    const runs = [
      { file: sqlcipher4, cipher: 'sqlcipher4', args: ['--cipher-param', 'kdf_iter=64000'] },
      { file: sqlcipher3, cipher: 'sqlcipher3', args: ['--cipher-param', 'kdf_iter=10000', '--cipher-param', 'cipher_page_size=4096'] },
    ];
    for (const { file, cipher, args } of runs) {
      const run = runCliFromSource(['inspect', file, '--json', '--no-config', '--now', sampleNowIso, ...args], { SYNCLENS_DB_KEY: passphrase });
      assert.equal(run.status, 0, `${cipher}: ${run.stderr}`);
      const report = JSON.parse(run.stdout) as { tables: unknown; queue: unknown; cipher: string };
      assert.equal(report.cipher, cipher);
      assert.deepEqual(report.tables, expected.tables);
      assert.deepEqual(report.queue, expected.queue);
      assert.ok(!run.stdout.includes(passphrase) && !run.stderr.includes(passphrase));
    }
    const without = runCliFromSource(['inspect', sqlcipher4, '--json'], { SYNCLENS_DB_KEY: passphrase });
    assert.equal(without.status, 2);
    assert.equal((JSON.parse(without.stdout) as { error: { code: string } }).error.code, 'wrong-key');
    const bad = runCliFromSource(['inspect', sqlcipher4, '--cipher-param', 'cipher_page_size=1000'], { SYNCLENS_DB_KEY: passphrase });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--cipher-param: cipher_page_size must be a power of two from 512 to 65536, got "1000"/);
  });

  test('parseCipherParameter: SQLCipher\'s pragma names and values, one clear sentence for anything else', () => {
    assert.deepEqual(parseCipherParameter('kdf_iter=64000'), { kdfIter: 64000 });
    assert.deepEqual(parseCipherParameter(' cipher_hmac_algorithm = HMAC_SHA256 ', { kdfIter: 1 }), { kdfIter: 1, hmacAlgorithm: 'sha256' });
    assert.deepEqual(parseCipherParameter('cipher_kdf_algorithm=PBKDF2_HMAC_SHA1'), { kdfAlgorithm: 'sha1' });
    assert.match(String(parseCipherParameter('kdf_iter=many')), /kdf_iter must be a whole number/);
    assert.match(String(parseCipherParameter('cipher_hmac_algorithm=MD5')), /must be HMAC_SHA1, HMAC_SHA256 or HMAC_SHA512/);
    assert.match(String(parseCipherParameter('cipher_use_hmac=off')), /unknown cipher parameter "cipher_use_hmac"/);
    assert.match(String(parseCipherParameter('kdf_iter')), /is not name=value/);
  });
});
