// The `-- synclens: db=<path>` binding: how its line is read (in linear time), where the path
// resolves, and the workspace boundary: until the client says the workspace is trusted, a binding
// to an absolute path, a `../` path or a symlink out of the workspace is refused on line 1.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bindingPathOf, RunStatementRequest, WorkspaceTrustedNotification } from '../../core/protocol/languageServer';
import { readBinding } from '../../language-server/sql/binding';
import { scratchDir, sqlite3 } from '../helpers/sqliteCli';
import { makeAppFolder, type AppFolder } from './fixture';
import { startServer, type LspSession } from './lspClient';

describe('binding comment', () => {
  test('spacing, trailing blanks and an empty path', () => {
    assert.equal(bindingPathOf('-- synclens: db=../app.db'), '../app.db');
    assert.equal(bindingPathOf('  --synclens:db = my app.db \t\r'), 'my app.db');
    assert.equal(bindingPathOf('-- synclens: db=   '), null);
    assert.equal(bindingPathOf('-- synclens: database=app.db'), null);
    assert.equal(bindingPathOf('SELECT 1 -- synclens: db=app.db'), null);
  });

  test('absolute, relative to the document, relative to the workspace for untitled documents', () => {
    const trusted = { folders: ['/work'], trusted: true };
    assert.deepEqual(readBinding('-- synclens: db=/data/app.db\nSELECT 1', 'file:///work/q/a.sql', trusted), {
      kind: 'bound',
      path: '/data/app.db',
      written: '/data/app.db',
      line: '-- synclens: db=/data/app.db',
    });
    const relative = readBinding('--synclens: db = ../app.db  \r\n', 'file:///work/q/a.sql', trusted);
    assert.equal(relative.kind === 'bound' && relative.path, '/work/app.db');
    const untitled = readBinding('-- synclens: db=app.db', 'untitled:Untitled-1', trusted);
    assert.equal(untitled.kind === 'bound' && untitled.path, '/work/app.db');
    const noFolder = readBinding('-- synclens: db=app.db', 'untitled:Untitled-1', { folders: [], trusted: true });
    assert.equal(noFolder.kind === 'invalid' && noFolder.code, undefined);
    assert.equal(readBinding('SELECT 1\n-- synclens: db=app.db', 'file:///work/a.sql', trusted).kind, 'unbound');
  });

  test('a first line of 200,000 blanks between two words', () => {
    // The time limit is the server test's below: a synchronous call cannot be cut off by a timeout here.
    const line = `-- synclens: db=app.db${' '.repeat(200_000)}x`;
    assert.equal(bindingPathOf(line), `app.db${' '.repeat(200_000)}x`);
    assert.equal(bindingPathOf(' '.repeat(200_000)), null);
    assert.equal(bindingPathOf(`--${' '.repeat(200_000)}synclens`), null);
  });

  test('an untrusted workspace keeps bindings inside its folders, symlinks resolved', (t) => {
    const { dir, cleanup } = scratchDir('synclens-binding-');
    t.after(cleanup);
    const workspace = join(dir, 'workspace');
    const outside = join(dir, 'outside');
    mkdirSync(join(workspace, 'queries'), { recursive: true });
    mkdirSync(outside);
    sqlite3(join(outside, 'other.db'), 'CREATE TABLE t (x);');
    symlinkSync(join(outside, 'other.db'), join(workspace, 'link.db'));
    const document = pathToFileURL(join(workspace, 'queries', 'q.sql')).href;
    const untrusted = { folders: [workspace], trusted: false };
    const read = (path: string, scope = untrusted): ReturnType<typeof readBinding> => readBinding(`-- synclens: db=${path}`, document, scope);

    assert.equal(read('../app.db').kind, 'bound', 'inside the workspace');
    assert.equal(read(join(workspace, 'sub', 'x.db')).kind, 'bound', 'an absolute path inside the workspace');
    for (const path of ['../../outside/other.db', join(outside, 'other.db'), '/dev/zero', '../link.db', '../..']) {
      const binding = read(path);
      assert.equal(binding.kind, 'invalid', path);
      assert.ok(binding.kind === 'invalid');
      assert.equal(binding.code, 'restricted');
      assert.match(binding.message, /is not read: it is outside .*workspace.* trusted/);
    }
    assert.match((read('/data/app.db', { folders: [], trusted: false }) as { message: string }).message, /no workspace folder is open/);
    for (const path of ['../../outside/other.db', '/dev/zero', '../link.db']) assert.equal(read(path, { folders: [workspace], trusted: true }).kind, 'bound', path);
  });
});

describe('language server: bindings outside the workspace', () => {
  let app: AppFolder;
  let outside: { dir: string; cleanup: () => void };
  let untrusted: LspSession;
  let trusted: LspSession;
  before(async () => {
    app = makeAppFolder();
    outside = scratchDir('synclens-outside-');
    sqlite3(join(outside.dir, 'other.db'), 'CREATE TABLE "secrets" ("token" TEXT); INSERT INTO "secrets" VALUES (\'s3cr3t\');');
    [untrusted, trusted] = await Promise.all([startServer(app.dir), startServer(app.dir, { initializationOptions: { workspaceTrusted: true } })]);
  });
  after(async () => {
    await Promise.all([untrusted?.close(), trusted?.close()]);
    app?.cleanup();
    outside?.cleanup();
  });

  const otherDb = (): string => join(outside.dir, 'other.db');
  const text = (): string => `-- synclens: db=${otherDb()}\nSELECT "token" FROM "secrets";`;

  test('a client that says nothing of trust gets the binding refused on line 1, and Run refuses too', async () => {
    const uri = untrusted.open(join(app.dir, 'queries', 'outside.sql'), text());
    const [diagnostic, ...rest] = await untrusted.diagnostics(uri);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic?.range.start.line, 0);
    assert.equal(diagnostic?.code, 'restricted');
    assert.match(diagnostic?.message ?? '', /other\.db is not read: it is outside .* trusted/);
    const run = await untrusted.connection.sendRequest(RunStatementRequest.type, { uri, statementIndex: 0, text: 'SELECT "token" FROM "secrets"' });
    assert.equal(run.kind, 'error');
    assert.ok(run.kind === 'error');
    assert.match(run.message, /is not read: it is outside/);
    assert.deepEqual(
      (await untrusted.codeLenses(uri)).map((lens) => lens.command?.title),
      ['Bind to a database…'],
    );
  });

  test('a trusted workspace reads it', async () => {
    const uri = trusted.open(join(app.dir, 'queries', 'outside.sql'), text());
    assert.deepEqual(await trusted.diagnostics(uri), []);
    const run = await trusted.connection.sendRequest(RunStatementRequest.type, { uri, statementIndex: 0, text: 'SELECT "token" FROM "secrets"' });
    assert.ok(run.kind === 'rows', JSON.stringify(run));
    assert.deepEqual(run.rows, [['s3cr3t']]);
  });

  test('trust granted later (synclens/workspaceTrusted) re-checks the open documents', async () => {
    const uri = untrusted.open(join(app.dir, 'queries', 'later.sql'), `-- synclens: db=${otherDb()}\nSELECT nope FROM "secrets";`);
    assert.equal((await untrusted.diagnostics(uri))[0]?.code, 'restricted');
    await untrusted.connection.sendNotification(WorkspaceTrustedNotification.type);
    const [diagnostic] = await untrusted.diagnostics(uri, (found) => found[0]?.code !== 'restricted');
    assert.equal(diagnostic?.message, 'no such column: nope');
  });
});

describe('language server: a binding line of 200,000 blanks', () => {
  let app: AppFolder;
  let session: LspSession;
  before(async () => {
    app = makeAppFolder();
    session = await startServer(app.dir);
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  test('gets its diagnostic while the server still answers', { timeout: 15_000 }, async () => {
    // The server read the binding with the quadratic pattern on the main thread: ~35 s per keystroke here.
    const uri = session.open(join(app.dir, 'queries', 'blanks.sql'), `-- synclens: db=app.db${' '.repeat(200_000)}x\nSELECT 1;`);
    const [diagnostic] = await session.diagnostics(uri);
    assert.equal(diagnostic?.range.start.line, 0);
    assert.match(diagnostic?.message ?? '', /does not exist/);
    assert.deepEqual((await session.codeLenses(uri)).length, 2, 'the binding lens and one Run');
  });
});
