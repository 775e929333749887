// A write-back killed at each of its steps (a real child process, SIGKILL: no cleanup runs), then the
// database opened again: the next open finishes or undoes the stopped write, says so in the log, and
// the user sees either all of their data as it was or the written version, never the file without
// the -wal the write had set aside. The database is a WAL-mode copy made by the sqlite3 CLI while
// its writer held it open, so committed transactions live only in the -wal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { recoverInterruptedWriteBack, setWriteRecoveryLog } from '../../../core/db/writeRecovery';
import { snapshotWalDatabase, sqliteView } from '../../helpers/dbFiles';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';

const child = join(__dirname, '..', '..', 'helpers', 'writeBackCrashChild.ts');

function runChild(db: string, step: number): { killed: boolean; changes: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, db, String(step)], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.signal === 'SIGKILL') return { killed: true, changes: 0 };
  assert.equal(result.status, 0, result.stderr);
  return { killed: false, changes: Number(result.stdout.trim()) };
}

describe('a write-back stopped at any step', () => {
  let dir: string;
  let cleanup: () => void;
  let fixture: string;
  let walHash: string;
  const logged: string[] = [];
  const rowsQuery = "SELECT count(*) || '|' || coalesce(sum(body = 'changed'), 0) FROM notes";
  let rowsBefore: string;
  let rowsAfter: string;

  before(() => {
    ({ dir, cleanup } = scratchDir());
    fixture = join(dir, 'fixture', 'app.db');
    mkdirSync(join(dir, 'fixture'));
    snapshotWalDatabase(
      join(dir, 'fixture', 'writer.db'),
      fixture,
      `CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO notes(body) SELECT hex(randomblob(60)) FROM n;`,
    );
    walHash = sha256OfFile(`${fixture}-wal`);
    rowsBefore = sqliteView(fixture, rowsQuery, join(dir, 'oracle.db'));
    assert.equal(rowsBefore, '300|0', 'the rows live in the -wal');
    assert.equal(sqliteView(fixture, 'SELECT count(*) FROM sqlite_schema', join(dir, 'oracle.db')), '1');
    rowsAfter = '300|1';
    setWriteRecoveryLog((line) => logged.push(line));
  });
  after(() => {
    setWriteRecoveryLog((line) => void process.stderr.write(`synclens: ${line}\n`));
    cleanup();
  });

  function freshCopy(name: string): string {
    mkdirSync(join(dir, name));
    const path = join(dir, name, 'app.db');
    copyFileSync(fixture, path);
    copyFileSync(`${fixture}-wal`, `${path}-wal`);
    return path;
  }

  test('killed before each change it makes to the folder, the next open shows all the data', async () => {
    const finished = freshCopy('finished');
    const { changes } = runChild(finished, 0);
    assert.ok(changes >= 6, `the write makes ${changes} changes to the folder`);
    assert.equal(sqliteView(finished, rowsQuery, join(dir, 'oracle.db')), rowsAfter);

    const outcomes: string[] = [];
    for (let step = 1; step <= changes; step += 1) {
      const path = freshCopy(`step${step}`);
      assert.equal(runChild(path, step).killed, true, `killed at step ${step}`);
      const left = readdirSync(join(dir, `step${step}`)).sort();
      logged.length = 0;
      const opened = await openDatabaseFile(path);
      const seen = String(opened.db.exec(rowsQuery)[0]?.values[0]?.[0]);
      opened.close();
      const names = readdirSync(join(dir, `step${step}`));
      assert.ok(seen === rowsBefore || seen === rowsAfter, `step ${step}: SyncLens shows ${seen} (left behind: ${left.join(', ')})`);
      assert.deepEqual(names.filter((name) => name.startsWith('.')), [], `step ${step}: no unfinished file stays (${names.join(', ')})`);
      assert.equal(sqliteView(path, rowsQuery, join(dir, 'oracle.db')), seen, `step ${step}: SQLite reads what SyncLens shows`);
      if (seen === rowsBefore) {
        assert.equal(sha256OfFile(`${path}-wal`), walHash, `step ${step}: the -wal is back beside the file, unchanged`);
        assert.deepEqual(names.filter((name) => name.includes('synclens-backup')), [], `step ${step}: no backup of a write that did not happen`);
      }
      const undone = left.some((name) => name.startsWith('.'));
      if (undone) assert.ok(logged.length > 0 && logged.every((line) => line.startsWith('app.db: ')), `step ${step}: logged ${JSON.stringify(logged)}`);
      outcomes.push(`${step}:${seen === rowsBefore ? 'undone' : 'written'}${undone ? '+recovered' : ''}`);
    }
    // The last change is the rename that replaces the file: every step before it is undone.
    assert.equal(outcomes.filter((outcome) => outcome.includes('written')).length, 0, outcomes.join(' '));
    assert.ok(outcomes.some((outcome) => outcome.includes('recovered')), outcomes.join(' '));
  });

  test('when the app made a new -wal since the crash, the set-aside one stays and the log says so', () => {
    const path = freshCopy('newwal');
    const folder = join(dir, 'newwal');
    // The state a write killed after moving the -wal aside leaves, by a process that no longer runs.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const set = '20261201T120000Z';
    copyFileSync(path, join(folder, `app.db.synclens-backup-${set}`));
    copyFileSync(`${path}-wal`, join(folder, `app.db.synclens-backup-${set}-wal`));
    copyFileSync(path, join(folder, `.app.db.synclens-tmp-${set}-${dead}-0badc0de`));
    logged.length = 0;
    const lines = recoverInterruptedWriteBack(path);
    assert.deepEqual(lines, logged);
    assert.match(lines.join('\n'), /a new app\.db-wal exists since, so the old one stays there: compare the two/);
    const names = readdirSync(folder).sort();
    assert.deepEqual(names, ['app.db', 'app.db-wal', `app.db.synclens-backup-${set}`, `app.db.synclens-backup-${set}-wal`]);
  });

  test('a stopped write of a process that still runs is left alone', () => {
    const path = freshCopy('running');
    const stray = join(dir, 'running', `.app.db.synclens-tmp-20261201T120000Z-${process.pid}-0badc0de`);
    copyFileSync(path, stray);
    assert.deepEqual(recoverInterruptedWriteBack(path), []);
    assert.ok(readdirSync(join(dir, 'running')).includes(stray.split('/').pop() ?? ''));
  });
});
