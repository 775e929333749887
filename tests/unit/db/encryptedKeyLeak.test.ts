// The key of an encrypted database never shows up anywhere SyncLens writes: not in the CLI's
// output (text, JSON, errors, a refused --key), not in an error's message or stack, not in a file
// of the database's folder after a write-back (the database, its backup). Every run's whole output
// and every byte of the folder are searched for each key used, in the clear and hex-encoded.
// Also: a worker thread gets the key from the thread that serves keys (core/db/keyChannel.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { serveDatabaseKeys } from '../../../core/db/keyChannel';
import { openDatabaseFile } from '../../../core/db/open';
import { writeDatabaseAtomically } from '../../../core/db/writeBack';
import { dumpOf, runCliFromSource, writeEncryptedDatabase } from '../../helpers/encryptedDatabases';
import { scratchDir } from '../../helpers/sqliteCli';

const repoRoot = join(__dirname, '..', '..', '..');
const key = `leak-check-${randomBytes(12).toString('hex')}`;
const wrongKey = `wrong-${randomBytes(12).toString('hex')}`;
const typedKey = `typed-${randomBytes(12).toString('hex')}`;
const secrets = [key, wrongKey, typedKey];

function cli(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const result = runCliFromSource(args, env);
  return `${result.stdout}\n${result.stderr}\nexit ${result.status}`;
}

function filesBelow(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

function assertNoSecretIn(what: string, bytes: Buffer | string): void {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  for (const secret of secrets) {
    assert.ok(!buffer.includes(Buffer.from(secret)), `${what} holds a key in the clear`);
    assert.ok(!buffer.includes(Buffer.from(Buffer.from(secret).toString('hex'))), `${what} holds a key hex-encoded`);
  }
}

describe('the key of an encrypted database', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  const outputs: string[] = [];

  before(() => {
    ({ dir, cleanup } = scratchDir('synclens-key-leak-'));
    file = join(dir, 'app.db');
    writeEncryptedDatabase(file, { cipher: 'sqlcipher4', key, sql: dumpOf(join(repoRoot, 'sample-workspace', 'app.db')) });
  });
  after(() => cleanup());

  test('appears in no CLI output: reports, JSON, errors, a refused --key', () => {
    outputs.push(cli(['inspect', file], { SYNCLENS_DB_KEY: key }));
    outputs.push(cli(['inspect', file, '--json'], { SYNCLENS_DB_KEY: key }));
    outputs.push(cli(['inspect', file, '--json', '--key-env', 'APP_SECRET'], { APP_SECRET: key }));
    outputs.push(cli(['inspect', file, '--json'], { SYNCLENS_DB_KEY: wrongKey }));
    outputs.push(cli(['inspect', file, '--cipher', 'sqlcipher3'], { SYNCLENS_DB_KEY: key }));
    outputs.push(cli(['inspect', file, '--key', typedKey], {}));
    outputs.push(cli(['plan', file, '--json'], { SYNCLENS_DB_KEY: key }));
    assert.match(outputs[0]!, /4 tables/, 'the key did open the file');
    assert.match(outputs[3]!, /wrong-key/);
    assert.match(outputs[5]!, /refused/);
    for (const [index, output] of outputs.entries()) assertNoSecretIn(`CLI run ${index + 1}`, output);
  });

  test('appears in no error, and in no file of the folder after a write-back', async () => {
    const errors: string[] = [];
    for (const attempt of [() => openAppDatabase(file, { key: { secret: wrongKey } }), () => openAppDatabase(file, { key: { secret: key, cipher: 'chacha20' } })]) {
      await attempt().then(
        (app) => app.close(),
        (error: unknown) => errors.push(error instanceof Error ? `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}` : String(error)),
      );
    }
    assert.equal(errors.length, 2);
    for (const text of errors) assertNoSecretIn('an error', text);

    const opened = await openDatabaseFile(file, { key: { secret: key } });
    try {
      opened.db.exec("UPDATE users SET name = 'written back' WHERE id = 1");
      await writeDatabaseAtomically(opened, { now: new Date('2026-11-24T19:00:00Z') });
    } finally {
      opened.close();
    }
    const files = filesBelow(dir);
    assert.ok(files.some((path) => path.includes('.synclens-backup-')), 'the backup is among the files searched');
    for (const path of files) assertNoSecretIn(path, readFileSync(path));
  });

  test('reaches a worker thread from the thread that serves keys, and only that way', async () => {
    const served: string[] = [];
    const serving = serveDatabaseKeys(async (path) => {
      served.push(path);
      return path === file ? { secret: key } : undefined;
    });
    try {
      const source = join(repoRoot, 'core', 'db', 'open.ts');
      const worker = new Worker(
        `require('tsx/cjs');
const { parentPort, workerData } = require('node:worker_threads');
const { openDatabaseFile } = require(${JSON.stringify(source)});
openDatabaseFile(workerData).then(
  (opened) => { parentPort.postMessage({ cipher: opened.cipher, users: opened.db.exec('SELECT count(*) FROM users')[0].values[0][0] }); opened.close(); },
  (error) => parentPort.postMessage({ error: error.code + ': ' + error.message }),
);`,
        { eval: true, workerData: file },
      );
      const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      assert.deepEqual(answer, { cipher: 'sqlcipher4', users: 41 });
      assert.deepEqual(served, [file]);
      assertNoSecretIn('the worker\'s answer', JSON.stringify(answer));
    } finally {
      serving.dispose();
    }
  });
});
