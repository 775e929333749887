// Files that are not regular files, where a database, its -wal or its -journal should be: a FIFO,
// /dev/zero (directly and through a symbolic link) and a folder. Reading and write-back each give
// one clear DatabaseFileError naming the file and what it is, and never block: the attempts run in
// a child process that is killed if it takes too long (a blocked read would stop this thread too).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeHostileFile, runAttemptsInChild, type AttemptOutcome, type HostileAttempt, type HostileFile } from '../../helpers/hostileAttempts';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';

const fifo: HostileFile = { kind: 'fifo' };
const folder: HostileFile = { kind: 'folder' };
const devZero: HostileFile = { kind: 'symlink', target: '/dev/zero' };

interface Case {
  name: string;
  action: 'read' | 'write';
  /** Which file is hostile: the database itself or one of its sidecars. */
  where: '' | '-wal' | '-journal';
  file: HostileFile | 'dev-zero-itself';
  /** What the message must say the file is. */
  says: RegExp;
}

const cases: Case[] = [
  { name: 'a FIFO as the database', action: 'read', where: '', file: fifo, says: /is a FIFO \(named pipe\), not a regular file/ },
  { name: '/dev/zero as the database', action: 'read', where: '', file: 'dev-zero-itself', says: /is a character device, not a regular file/ },
  { name: 'a symbolic link to /dev/zero as the database', action: 'read', where: '', file: devZero, says: /is a character device, not a regular file/ },
  { name: 'a folder as the database', action: 'read', where: '', file: folder, says: /is a folder, not a regular file/ },
  { name: 'a FIFO as the -wal', action: 'read', where: '-wal', file: fifo, says: /app\.db-wal is a FIFO/ },
  { name: 'a FIFO as the -journal', action: 'read', where: '-journal', file: fifo, says: /app\.db-journal is a FIFO/ },
  { name: 'a symbolic link to /dev/zero as the -wal', action: 'read', where: '-wal', file: devZero, says: /app\.db-wal is a character device/ },
  { name: 'a symbolic link to /dev/zero as the -journal', action: 'read', where: '-journal', file: devZero, says: /app\.db-journal is a character device/ },
  { name: 'a folder as the -wal', action: 'read', where: '-wal', file: folder, says: /app\.db-wal is a folder/ },
  { name: 'write-back: a FIFO appears as the -wal', action: 'write', where: '-wal', file: fifo, says: /app\.db-wal is a FIFO/ },
  { name: 'write-back: a FIFO appears as the -journal', action: 'write', where: '-journal', file: fifo, says: /app\.db-journal is a FIFO/ },
  { name: 'write-back: a symbolic link to /dev/zero appears as the -wal', action: 'write', where: '-wal', file: devZero, says: /app\.db-wal is a character device/ },
  { name: 'write-back: a symbolic link to /dev/zero appears as the -journal', action: 'write', where: '-journal', file: devZero, says: /app\.db-journal is a character device/ },
  { name: 'write-back: a folder appears as the -wal', action: 'write', where: '-wal', file: folder, says: /app\.db-wal is a folder/ },
  // The database itself replaced after the read: refused as changed, before anything opens it.
  { name: 'write-back: the database is replaced by a FIFO', action: 'write', where: '', file: fifo, says: /app\.db was not written: it \(or its -wal\) changed/ },
  { name: 'write-back: the database is replaced by a link to /dev/zero', action: 'write', where: '', file: devZero, says: /app\.db was not written: it \(or its -wal\) changed/ },
];

describe('a FIFO, a device or a folder where a database file should be', () => {
  let root: string;
  let cleanup: () => void;
  let outcomes = new Map<string, AttemptOutcome>();
  const folders = new Map<string, string>();
  /** The database's sha256 as sqlite3 wrote it, where the database itself stays a regular file. */
  const hashes = new Map<string, string>();

  before(async () => {
    ({ dir: root, cleanup } = scratchDir());
    const attempts: HostileAttempt[] = cases.map((hostileCase, index) => {
      const dir = join(root, `case${index}`);
      mkdirSync(dir);
      folders.set(hostileCase.name, dir);
      const database = join(dir, 'app.db');
      if (hostileCase.file === 'dev-zero-itself') return { name: hostileCase.name, action: hostileCase.action, database: '/dev/zero' };
      if (hostileCase.where !== '' || hostileCase.action === 'write') {
        sqlite3(database, "CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('kept');");
        hashes.set(hostileCase.name, sha256OfFile(database));
      }
      const hostilePath = `${database}${hostileCase.where}`;
      // Read cases start hostile; write cases turn hostile between the read and the write-back.
      if (hostileCase.action === 'read') makeHostileFile(hostilePath, hostileCase.file);
      return hostileCase.action === 'read'
        ? { name: hostileCase.name, action: 'read', database }
        : { name: hostileCase.name, action: 'write', database, hostile: { path: hostilePath, file: hostileCase.file } };
    });
    outcomes = await runAttemptsInChild(attempts);
  });
  after(() => cleanup());

  for (const hostileCase of cases) {
    test(`${hostileCase.name}: one clear error, no hang`, () => {
      const outcome = outcomes.get(hostileCase.name);
      assert.ok(outcome, 'the attempt finished');
      assert.equal(outcome.outcome, 'refused', `${hostileCase.action === 'read' ? 'read' : 'written'} instead of refused`);
      const expectedError = hostileCase.where === '' && hostileCase.action === 'write' ? 'DatabaseWriteError' : 'DatabaseFileError';
      assert.equal(outcome.errorName, expectedError, outcome.message);
      assert.equal(outcome.code, expectedError === 'DatabaseFileError' ? 'unreadable' : 'changed');
      assert.match(outcome.message ?? '', hostileCase.says);

      const dir = folders.get(hostileCase.name) ?? assert.fail('no folder');
      const names = readdirSync(dir);
      assert.ok(!names.some((name) => name.endsWith('-shm')), `no -shm was created: ${names.join(', ')}`);
      assert.ok(!names.some((name) => name.includes('synclens-backup') || name.includes('synclens-tmp')), `no backup or temp file is left: ${names.join(', ')}`);
      if (hostileCase.where !== '') {
        // The database beside the hostile sidecar is byte for byte as sqlite3 wrote it (the sqlite3
        // CLI cannot be asked: it would block on the FIFO), and no -journal of ours appeared.
        const database = join(dir, 'app.db');
        assert.equal(sha256OfFile(database), hashes.get(hostileCase.name));
        if (hostileCase.where === '-wal') assert.equal(existsSync(`${database}-journal`), false);
      }
    });
  }
});
