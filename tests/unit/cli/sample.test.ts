import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { repoRoot, sampleDir } from './cliProcess';

const generated = ['app.db', 'app-wal.db', 'app-wal.db-wal', 'isar-style.db', 'firestore.%5BDEFAULT%5D.demo-synclens.%28default%29'];

function generateInto(dir: string): void {
  execFileSync(process.execPath, ['--import', 'tsx', join(sampleDir, 'generate.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** SQLITE_VERSION_NUMBER of the library that last wrote the file (header offset 96). */
function writerVersion(path: string): number {
  return readFileSync(path).readUInt32BE(96);
}

/**
 * `.dump` of a database as the app would see it. The sqlite3 CLI checkpoints and deletes a -wal
 * when it closes, so it only ever opens copies.
 */
function dumpOf(dbPath: string, scratch: string, label: string): string {
  const copy = join(scratch, `${label}.db`);
  copyFileSync(dbPath, copy);
  try {
    copyFileSync(`${dbPath}-wal`, `${copy}-wal`);
  } catch {
    // no -wal beside this one
  }
  return sqlite3(copy, '.dump');
}

describe('sample workspace generator', () => {
  const first = scratchDir();
  const second = scratchDir();
  const dumps = scratchDir();
  before(() => {
    generateInto(first.dir);
    generateInto(second.dir);
  });
  after(() => {
    first.cleanup();
    second.cleanup();
    dumps.cleanup();
  });

  test('writes exactly the generated files', () => {
    assert.deepEqual(readdirSync(first.dir).sort(), [...generated].sort());
  });

  test('regenerating gives byte-identical files (WAL salts included)', () => {
    for (const name of generated) assert.equal(sha256OfFile(join(first.dir, name)), sha256OfFile(join(second.dir, name)), name);
  });

  test('the committed files hold the same content as a fresh generation', () => {
    for (const name of generated.filter((file) => !file.endsWith('-wal'))) {
      const committed = join(sampleDir, name);
      const fresh = join(first.dir, name);
      assert.equal(dumpOf(fresh, dumps.dir, `fresh-${name}`), dumpOf(committed, dumps.dir, `committed-${name}`), name);
      // The bytes also match whenever this machine's sqlite3 is the one that wrote the committed files.
      if (writerVersion(fresh) === writerVersion(committed)) {
        assert.equal(sha256OfFile(fresh), sha256OfFile(committed), `${name} bytes`);
        if (name === 'app-wal.db') assert.equal(sha256OfFile(`${fresh}-wal`), sha256OfFile(`${committed}-wal`), `${name}-wal bytes`);
      }
    }
  });

  test('the WAL copy keeps its newest operations only in the -wal', () => {
    const wal = join(sampleDir, 'app-wal.db-wal');
    assert.ok(statSync(wal).size > 32, 'the -wal has frames');
    const mainOnly = join(dumps.dir, 'main-only.db');
    copyFileSync(join(sampleDir, 'app-wal.db'), mainOnly);
    assert.equal(sqlite3(mainOnly, 'SELECT count(*) FROM "sync_operations";').trim(), '15');
    assert.equal(dumpOf(join(sampleDir, 'app-wal.db'), dumps.dir, 'with-wal').match(/INSERT INTO sync_operations/g)?.length, 18);
  });

  test('every queue status is present in app.db', () => {
    const rows = sqlite3(join(sampleDir, 'app.db'), 'SELECT "retryCount", "operation", "payload" FROM "sync_operations";').trim().split('\n');
    assert.equal(rows.length, 15);
    assert.ok(rows.some((row) => Number(row.split('|')[0]) >= 5), 'a dead-lettered op');
    assert.ok(rows.some((row) => row.endsWith('|null')), 'an invalid payload');
  });
});
