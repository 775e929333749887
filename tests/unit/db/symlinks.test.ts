// A database reached through a symbolic link (a device pull saved elsewhere, a link in the
// workspace): the real file is what is read, with the -wal and -journal beside the real file, and
// what write-back writes; the link stays a link, and the backup sits beside the real file.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseFile } from '../../../core/db/open';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { folderFingerprint, snapshotWalDatabase, sqliteView } from '../../helpers/dbFiles';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

describe('a database behind a symbolic link', () => {
  let root: string;
  let cleanup: () => void;
  let caseCount = 0;

  before(() => ({ dir: root, cleanup } = scratchDir()));
  after(() => cleanup());

  /** `real/app.db` written by sqlite3, and `links/app.db` -> `../real/app.db` (relative, as users make them). */
  function linkedDatabase(options: { wal?: boolean } = {}): { realDir: string; linkDir: string; real: string; link: string } {
    caseCount += 1;
    const realDir = join(root, `case${caseCount}`, 'real');
    const linkDir = join(root, `case${caseCount}`, 'links');
    mkdirSync(realDir, { recursive: true });
    mkdirSync(linkDir);
    const real = join(realDir, 'app.db');
    const sql = "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users(name) VALUES ('ada'), ('bob');";
    if (options.wal) snapshotWalDatabase(join(realDir, 'writer.db'), real, sql);
    else sqlite3(real, sql);
    const link = join(linkDir, 'app.db');
    symlinkSync('../real/app.db', link);
    return { realDir, linkDir, real, link };
  }

  const cliSees = (path: string, query: string): string => {
    caseCount += 1;
    return sqliteView(path, query, join(root, `oracle${caseCount}.db`));
  };

  test('is read through the link, with the -wal beside the real file, and nothing written in either folder', async () => {
    const { realDir, linkDir, real, link } = linkedDatabase({ wal: true });
    const before = { real: folderFingerprint(realDir), links: folderFingerprint(linkDir) };
    const opened = await openDatabaseFile(link);
    try {
      assert.equal(opened.path, link, 'the caller keeps the name it used');
      assert.equal(opened.stamp.path, realpathSync(real), 'the real file is what is stamped, watched and written');
      assert.ok(opened.walFramesApplied > 0, 'the -wal beside the real file is applied (there is none beside the link)');
      assert.equal(opened.read((db) => String(db.exec('SELECT group_concat(name) FROM users')[0]?.values[0]?.[0])), cliSees(real, 'SELECT group_concat(name) FROM users'));
    } finally {
      opened.close();
    }
    assert.deepEqual({ real: folderFingerprint(realDir), links: folderFingerprint(linkDir) }, before, 'no byte changed, no -shm or -journal created');
    assert.ok(lstatSync(link).isSymbolicLink());
  });

  test('write-back through the link writes the real file, keeps the link, and puts the backup beside the real file', async () => {
    const { realDir, linkDir, real, link } = linkedDatabase();
    const opened = await openDatabaseFile(link);
    opened.db.run("INSERT INTO users(name) VALUES ('cyd')");
    const result = await writeDatabaseAtomically(opened, { now: new Date('2026-12-01T10:00:00Z') });
    opened.close();

    assert.ok(lstatSync(link).isSymbolicLink(), 'the link was not replaced by a regular file');
    assert.equal(readlinkSync(link), '../real/app.db');
    assert.equal(cliSees(real, 'SELECT group_concat(name) FROM users'), 'ada,bob,cyd', 'the real database holds the change');
    assert.equal(cliSees(link, 'SELECT group_concat(name) FROM users'), 'ada,bob,cyd');
    assert.equal(dirname(result.backupPath), realpathSync(realDir));
    assert.equal(cliSees(result.backupPath, 'SELECT group_concat(name) FROM users'), 'ada,bob', 'the backup is the original');
    assert.deepEqual(readdirSync(linkDir), ['app.db'], 'nothing was written beside the link');
    assert.deepEqual(readdirSync(realDir).sort(), ['app.db', 'app.db.synclens-backup-20261201T100000Z']);
  });

  test('write-back through the link with allowLive moves the real -wal into the backup set beside the real file', async () => {
    const { realDir, linkDir, real, link } = linkedDatabase({ wal: true });
    const opened = await openDatabaseFile(link);
    opened.db.run("INSERT INTO users(name) VALUES ('cyd')");
    const result = await writeDatabaseAtomically(opened, { allowLive: true, now: new Date('2026-12-01T10:00:00Z') });
    opened.close();

    assert.ok(lstatSync(link).isSymbolicLink());
    assert.deepEqual(result.movedAside, [`${result.backupPath}-wal`]);
    assert.equal(dirname(result.backupPath), realpathSync(realDir));
    assert.equal(cliSees(real, 'SELECT group_concat(name) FROM users'), 'ada,bob,cyd');
    assert.equal(cliSees(real, 'PRAGMA integrity_check'), 'ok');
    assert.deepEqual(readdirSync(linkDir), ['app.db']);
  });

  test('a chain of links is followed to the real file; a loop and a dangling link are named', async () => {
    const { linkDir, real, link } = linkedDatabase();
    const second = join(linkDir, 'second.db');
    symlinkSync('app.db', second);
    const opened = await openDatabaseFile(second);
    assert.equal(opened.stamp.path, realpathSync(real));
    opened.close();

    const loop = join(linkDir, 'loop.db');
    symlinkSync('loop.db', loop);
    await assert.rejects(openDatabaseFile(loop), (error: unknown) => error instanceof DatabaseFileError && error.code === 'unreadable' && /loop\.db is a symbolic link that loops/.test(error.message));
    const dangling = join(linkDir, 'dangling.db');
    symlinkSync('../real/gone.db', dangling);
    await assert.rejects(openDatabaseFile(dangling), (error: unknown) => error instanceof DatabaseFileError && error.code === 'unreadable' && /dangling\.db does not exist/.test(error.message));
    assert.ok(lstatSync(link).isSymbolicLink());
  });
});
