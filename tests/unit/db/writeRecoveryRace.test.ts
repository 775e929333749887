// Write-back recovery (core/db/writeRecovery.ts) before each open: one process lists the folder
// again only once the file or a sidecar changed (a stopped write that hides data always changes
// one), and several processes opening the same database at once after a write-back was killed
// having set its -wal aside (the CLI in a terminal, the extension's database worker, the language
// server's) each run recovery: exactly one of them undoes the stopped write (it claims the temp by
// renaming it), none reports a conflict that is not there (a "new -wal" that is the one just moved
// back), and the folder ends as it was before the write: the -wal back, unchanged, nothing left.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { recoverInterruptedWriteBack, setWriteRecoveryLog } from '../../../core/db/writeRecovery';
import { snapshotWalDatabase } from '../../helpers/dbFiles';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';

const child = join(__dirname, '..', '..', 'helpers', 'recoveryRaceChild.ts');
const racers = 4;
const rounds = 8;

interface Racer {
  /** Resolves with the racer's lines for each round so far, once it printed `count` rounds. */
  rounds(count: number): Promise<string[][]>;
}

function startRacer(rounds: readonly { database: string; go: string }[]): Racer {
  const racer = spawn(process.execPath, ['--import', 'tsx', child, ...rounds.map((round) => `${round.database}\n${round.go}`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exited: number | null | undefined;
  racer.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  racer.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  racer.on('exit', (code) => (exited = code));
  const printed = (): string[][] => out.split('\n').slice(1, -1).map((line) => JSON.parse(line) as string[]);
  return {
    async rounds(count) {
      while (!out.startsWith('ready\n') || printed().length < count) {
        if (exited !== undefined) throw new Error(`racer exited ${exited}: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return printed();
    },
  };
}

describe('write-back recovery raced by several processes', () => {
  let dir: string;
  let cleanup: () => void;
  let fixture: string;
  let walHash: string;

  before(() => {
    ({ dir, cleanup } = scratchDir());
    mkdirSync(join(dir, 'fixture'));
    fixture = join(dir, 'fixture', 'app.db');
    snapshotWalDatabase(join(dir, 'fixture', 'writer.db'), fixture, 'CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES (hex(randomblob(500)));');
    walHash = sha256OfFile(`${fixture}-wal`);
  });
  after(() => cleanup());

  test('one process reads the folder again only once the file or a sidecar changed: a stopped write that moved the -wal aside is always seen', () => {
    setWriteRecoveryLog(() => undefined);
    try {
      const folder = join(dir, 'once');
      mkdirSync(folder);
      const path = join(folder, 'app.db');
      copyFileSync(fixture, path);
      copyFileSync(`${fixture}-wal`, `${path}-wal`);
      assert.deepEqual(recoverInterruptedWriteBack(path), []);
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      const set = '20261201T130000Z';
      // A write killed before it set anything aside: the file and its -wal are as they were, so nothing is hidden and the folder is not read again.
      copyFileSync(fixture, `${path}.synclens-backup-${set}`);
      copyFileSync(fixture, join(folder, `.app.db.synclens-tmp-${set}-${dead}-0badc0de`));
      assert.deepEqual(recoverInterruptedWriteBack(path), []);
      // The same write, killed after it moved the -wal aside: the -wal is gone, so recovery looks and puts it back.
      renameSync(`${path}-wal`, `${path}.synclens-backup-${set}-wal`);
      const lines = recoverInterruptedWriteBack(path);
      assert.equal(lines.filter((line) => /moved app\.db-wal back/.test(line)).length, 1, JSON.stringify(lines));
      assert.deepEqual(readdirSync(folder).sort(), ['app.db', 'app.db-wal']);
      assert.equal(sha256OfFile(`${path}-wal`), walHash);
      assert.deepEqual(recoverInterruptedWriteBack(path), [], 'nothing left to do');
    } finally {
      setWriteRecoveryLog((line) => void process.stderr.write(`synclens: ${line}\n`));
    }
  });

  test(`${racers} processes at once, ${rounds} times: one undoes the write, the folder ends as before it`, { timeout: 120_000 }, async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const set = '20261201T120000Z';
    const plan = Array.from({ length: rounds }, (_, index) => ({ database: join(dir, `round${index + 1}`, 'app.db'), go: join(dir, `go${index + 1}`) }));
    const all = Array.from({ length: racers }, () => startRacer(plan));
    await Promise.all(all.map((racer) => racer.rounds(0)));
    for (const [index, { database: path, go }] of plan.entries()) {
      const folder = join(dir, `round${index + 1}`);
      mkdirSync(folder);
      // What a write killed after setting the -wal aside leaves, by a process that no longer runs.
      copyFileSync(fixture, path);
      copyFileSync(fixture, `${path}.synclens-backup-${set}`);
      copyFileSync(`${fixture}-wal`, `${path}.synclens-backup-${set}-wal`);
      copyFileSync(fixture, join(folder, `.app.db.synclens-tmp-${set}-${dead}-0badc0de`));
      writeFileSync(go, '');
      const lines = (await Promise.all(all.map((racer) => racer.rounds(index + 1)))).flatMap((printed) => printed[index]!);
      const context = `round ${index + 1}: ${JSON.stringify(lines)}`;
      assert.equal(lines.filter((line) => /moved app\.db-wal back/.test(line)).length, 1, context);
      assert.equal(lines.filter((line) => /exists since|could not finish|threw/.test(line)).length, 0, context);
      assert.deepEqual(readdirSync(folder).sort(), ['app.db', 'app.db-wal'], context);
      assert.equal(sha256OfFile(`${path}-wal`), walHash, context);
    }
  });
});
