// A .sql file bound to an encrypted database (SQLCipher 3, written by Debian's sqlcipher): the
// language server gets its key from the client when the client started it with a session key (as
// VS Code does, answering from SecretStorage: extension/databaseKeys.ts), else from
// SYNCLENS_DB_KEY in its environment (another editor). Without a key the binding line says the
// file is encrypted; a wrong key says wrong-key. The key is never in anything the server prints.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LogMessageNotification } from 'vscode-languageserver-protocol/node';
import { keySealVariable, newSealKey, sealDatabaseKey } from '../../core/db/sealedKeys';
import { DatabaseKeyChangedNotification, DatabaseKeyRequest, type DatabaseKeyParams } from '../../core/protocol/languageServer';
import { dumpOf, writeEncryptedDatabase } from '../helpers/encryptedDatabases';
import { makeAppFolder, type AppFolder } from './fixture';
import { startServer, type LspSession } from './lspClient';

const passphrase = 'lsp-test passphrase 7f3a';
const query = '-- synclens: db=../enc.db\nSELECT emial FROM users;';

describe('language server: a SQL file bound to an encrypted database', () => {
  let app: AppFolder;
  let encrypted: string;
  const sessions: LspSession[] = [];
  const logged: string[] = [];
  const opened: string[] = [];
  const openQuery = (session: LspSession, name: string): string => {
    const uri = session.open(join(app.dir, 'queries', name), query);
    opened.push(uri);
    return uri;
  };

  before(() => {
    app = makeAppFolder();
    encrypted = join(app.dir, 'enc.db');
    writeEncryptedDatabase(encrypted, { cipher: 'sqlcipher3', key: passphrase, sql: dumpOf(app.db) });
  });
  after(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    // Nothing the servers wrote to their log or stderr holds the key.
    for (const session of sessions) assert.ok(!session.stderr().includes(passphrase), 'the key is not on stderr');
    assert.ok(!logged.some((line) => line.includes(passphrase)), 'the key is not in the log');
    const diagnostics = JSON.stringify(sessions.flatMap((session) => opened.map((uri) => session.published(uri))));
    assert.ok(diagnostics.includes('emial') && !diagnostics.includes(passphrase), 'the key is not in a diagnostic');
    app.cleanup();
  });

  async function start(env: NodeJS.ProcessEnv): Promise<LspSession> {
    const session = await startServer(app.dir, { env: { ...process.env, SYNCLENS_DB_KEY: undefined, ...env }, initializationOptions: { workspaceTrusted: true } });
    sessions.push(session);
    session.connection.onNotification(LogMessageNotification.type, (params) => logged.push(params.message));
    return session;
  }

  /** The statement is prepared against the decrypted schema: SQLite names the misspelt column. */
  async function expectSchemaRead(session: LspSession, name: string): Promise<void> {
    const uri = openQuery(session, name);
    const diagnostics = await session.diagnostics(uri);
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.message),
      ['no such column: emial'],
    );
    const tables = (await session.completions(uri, 1, 'SELECT emial FROM '.length)).map((item) => item.label);
    assert.ok(tables.includes('users') && tables.includes('sync_operations'), `completion offers the tables: ${tables.join(', ')}`);
  }

  async function bindingProblem(session: LspSession, name: string): Promise<{ code: unknown; message: string }> {
    const uri = openQuery(session, name);
    const [diagnostic, ...rest] = await session.diagnostics(uri);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic?.range.start.line, 0);
    return { code: diagnostic?.code, message: diagnostic?.message ?? '' };
  }

  test('without a key: the binding line says it is encrypted and how to give the key', { timeout: 60_000 }, async () => {
    const problem = await bindingProblem(await start({}), 'none.sql');
    assert.equal(problem.code, 'encrypted');
  });

  test('another editor: SYNCLENS_DB_KEY in the server environment opens it; a wrong one is wrong-key', { timeout: 60_000 }, async () => {
    await expectSchemaRead(await start({ SYNCLENS_DB_KEY: passphrase }), 'env.sql');
    const wrong = await bindingProblem(await start({ SYNCLENS_DB_KEY: 'not the passphrase' }), 'wrong.sql');
    assert.equal(wrong.code, 'wrong-key');
    assert.match(wrong.message, /the key or cipher does not open this database/);
  });

  test('SYNCLENS_DB_CIPHER_PARAMS names an app\'s own SQLCipher settings (kdf_iter); without them the file is wrong-key', { timeout: 60_000 }, async () => {
    const tuned = join(app.dir, 'tuned.db');
    writeEncryptedDatabase(tuned, { cipher: 'sqlcipher3', key: passphrase, pragmas: ['kdf_iter = 10000'], sql: dumpOf(app.db) });
    const tunedQuery = '-- synclens: db=../tuned.db\nSELECT emial FROM users;';
    const without = await start({ SYNCLENS_DB_KEY: passphrase });
    const plainUri = without.open(join(app.dir, 'queries', 'tuned-defaults.sql'), tunedQuery);
    opened.push(plainUri);
    const [defaults] = await without.diagnostics(plainUri);
    assert.equal(defaults?.code, 'wrong-key');
    assert.match(defaults?.message ?? '', /each at its default settings.*SYNCLENS_DB_CIPHER_PARAMS/);
    const named = await start({ SYNCLENS_DB_KEY: passphrase, SYNCLENS_DB_CIPHER_PARAMS: 'kdf_iter=10000' });
    const namedUri = named.open(join(app.dir, 'queries', 'tuned.sql'), tunedQuery);
    opened.push(namedUri);
    assert.deepEqual((await named.diagnostics(namedUri)).map((diagnostic) => diagnostic.message), ['no such column: emial']);
  });

  test('VS Code: the server asks its client, which answers sealed with the session key', { timeout: 60_000 }, async () => {
    const sealKey = newSealKey();
    const session = await start({ [keySealVariable]: sealKey });
    const asked: string[] = [];
    session.connection.onRequest(DatabaseKeyRequest.type, (params: DatabaseKeyParams) => {
      asked.push(params.path);
      return { sealed: sealDatabaseKey({ secret: passphrase, cipher: 'auto' }, sealKey, params.path) };
    });
    await expectSchemaRead(session, 'client.sql');
    assert.ok(asked.length > 0 && asked.every((path) => path === encrypted), `asked for ${asked.join(', ')}`);
  });

  test('VS Code: no key for the file (null) or one sealed with another session key leaves it encrypted; a key entered later is asked for again', { timeout: 60_000 }, async () => {
    const sealKey = newSealKey();
    const session = await start({ [keySealVariable]: sealKey });
    const answers: ('none' | 'forged' | 'right')[] = ['none', 'forged', 'right'];
    let asked = 0;
    session.connection.onRequest(DatabaseKeyRequest.type, (params: DatabaseKeyParams) => {
      const answer = answers[Math.min(asked++, answers.length - 1)];
      if (answer === 'none') return null;
      return { sealed: sealDatabaseKey({ secret: passphrase }, answer === 'forged' ? newSealKey() : sealKey, params.path) };
    });
    const uri = openQuery(session, 'later.sql');
    assert.deepEqual((await session.diagnostics(uri)).map((diagnostic) => diagnostic.code), ['encrypted']);
    const published = session.published(uri).length;
    // The extension sends this when the user enters (or forgets) the file's key.
    await session.connection.sendNotification(DatabaseKeyChangedNotification.type, { path: encrypted });
    await until(() => session.published(uri).length > published);
    assert.equal(asked, 2, 'asked once more after the key changed');
    assert.deepEqual(session.published(uri).at(-1)?.diagnostics.map((diagnostic) => diagnostic.code), ['encrypted'], 'a key sealed with another session key is not used');
    await session.connection.sendNotification(DatabaseKeyChangedNotification.type, { path: encrypted });
    assert.deepEqual((await session.diagnostics(uri, (diagnostics) => diagnostics[0]?.code !== 'encrypted')).map((diagnostic) => diagnostic.message), ['no such column: emial']);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 30_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
