// The language server over stdio, as any LSP client sees it: SQL documents bound to a database.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CancellationTokenSource,
  CodeLensRequest,
  DiagnosticSeverity,
  HoverRequest,
  type CompletionItem,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { RunStatementRequest, type RunStatementParams } from '../../core/protocol/languageServer';
import { sqlite3 } from '../helpers/sqliteCli';
import { appFolderServer } from './fixture';

/** Labels in the order an editor shows them for an empty prefix (by sortText, then label). */
function ranked(items: CompletionItem[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((item) => item.label);
}

describe('language server: SQL documents', () => {
  const lsp = appFolderServer();

  const openSql = (name: string, text: string): string => lsp.session.open(join(lsp.app.dir, 'queries', name), text);

  test('completes tables after FROM, columns through an alias, and ranks in-scope columns first', async () => {
    const text = ['-- synclens: db=../app.db', 'SELECT u. FROM users AS u JOIN posts p ON p.authorId = u.odid;', 'SELECT  FROM posts;', 'SELECT * FROM '].join('\n');
    const uri = openSql('complete.sql', text);

    const afterFrom = await lsp.session.completions(uri, 3, 14);
    const tables = afterFrom.map((item) => item.label);
    assert.deepEqual(new Set(tables), new Set(['users', 'posts', 'sync_operations', 'sync_state', 'unsynced_users']));
    assert.match(afterFrom.find((item) => item.label === 'users')?.detail ?? '', /3 rows · synced entity table/);

    const afterAlias = (await lsp.session.completions(uri, 1, 9)).map((item) => item.label);
    assert.deepEqual(afterAlias, ['id', 'odid', 'email', 'name', 'createdAt', 'updatedAt', 'isSynced', 'isDeleted', 'version']);

    const inSelect = ranked(await lsp.session.completions(uri, 2, 7));
    assert.deepEqual(inSelect.slice(0, 3), ['id', 'odid', 'authorId'], 'the columns of posts come first');
    assert.ok(inSelect.includes('json_extract'), 'SQLite functions are offered');
    assert.ok(inSelect.includes('WHERE'), 'keywords are offered');
    assert.ok(inSelect.indexOf('users') > inSelect.indexOf('title'), 'tables rank below in-scope columns');
  });

  test('offers nothing inside a string or comment, and keeps the quotes of a quoted name being typed', async () => {
    const text = ['-- synclens: db=../app.db', "SELECT * FROM users WHERE email = 'ad';", 'SELECT "em" FROM users;'].join('\n');
    const uri = openSql('quoted.sql', text);
    assert.deepEqual(await lsp.session.completions(uri, 1, 37), []);
    assert.deepEqual(await lsp.session.completions(uri, 0, 10), []);
    const quoted = (await lsp.session.completions(uri, 2, 10)).find((item) => item.label === 'email');
    assert.equal(quoted?.textEdit && 'range' in quoted.textEdit ? quoted.textEdit.newText : undefined, '"email"');
  });

  test('hover on a column and a table shows type, keys, default, rows, role and timestamp encoding', async () => {
    const text = ['-- synclens: db=../app.db', 'SELECT u."updatedAt", name FROM users u;'].join('\n');
    const uri = openSql('hover.sql', text);
    const hoverAt = async (character: number): Promise<string> => {
      const hover = await lsp.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character } });
      return (hover?.contents as MarkupContent | undefined)?.value ?? '';
    };
    const updatedAt = await hoverAt(12);
    assert.match(updatedAt, /\*\*users\\\.updatedAt\*\*/, 'the name is escaped Markdown text');
    assert.match(updatedAt, /type: `INTEGER`/);
    assert.match(updatedAt, /not null/);
    assert.match(updatedAt, /timestamp: epoch-millis/);
    assert.match(updatedAt, /3 rows · synced entity table/);
    const name = await hoverAt(24);
    assert.match(name, /default: `'anonymous'`/);
    const table = await hoverAt(34);
    assert.match(table, /\*\*users\*\* — table · 3 rows · synced entity table/);
    assert.match(table, /Firestore collection `users`/);
  });

  test('reports a misspelt column from SQLite on its token and line, and clears it once fixed', async () => {
    const lines = ['-- synclens: db=../app.db', 'SELECT id FROM users;', '', 'SELECT odid,', '       emial', '  FROM users;'];
    const uri = openSql('typo.sql', lines.join('\n'));
    const [diagnostic, ...rest] = await lsp.session.diagnostics(uri);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic.message, 'no such column: emial');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.deepEqual(diagnostic.range, { start: { line: 4, character: 7 }, end: { line: 4, character: 12 } });

    lines[4] = '       email';
    lsp.session.change(uri, lines.join('\n'));
    assert.deepEqual(await lsp.session.diagnostics(uri), []);
  });

  test('edits faster than the debounce are checked once, at the latest version', async () => {
    const uri = openSql('debounce.sql', '-- synclens: db=../app.db\nSELECT e FROM users;');
    // The open is checked at once; the edits after it wait for the debounce.
    assert.equal((await lsp.session.diagnostics(uri))[0]?.message, 'no such column: e');
    for (const typed of ['em', 'ema', 'emai', 'emial']) lsp.session.change(uri, `-- synclens: db=../app.db\nSELECT ${typed} FROM users;`);
    const [diagnostic] = await lsp.session.diagnostics(uri);
    assert.equal(diagnostic.message, 'no such column: emial');
    assert.deepEqual(
      lsp.session.published(uri).map((published) => published.version),
      [1, 5],
      'no diagnostics were published for the versions typed over',
    );
  });

  test('an untitled document binds relative to the workspace folder; a file that is not SQLite is named on line 1', async () => {
    const untitled = 'untitled:Untitled-1';
    lsp.session.openUri(untitled, '-- synclens: db=app.db\nSELECT nope FROM users;', 'sql');
    const [missingColumn] = await lsp.session.diagnostics(untitled);
    assert.equal(missingColumn.message, 'no such column: nope');

    writeFileSync(join(lsp.app.dir, 'notes.db'), 'just some text, not a database\n');
    const uri = openSql('text.sql', '-- synclens: db=../notes.db\nSELECT 1;');
    const [diagnostic] = await lsp.session.diagnostics(uri);
    assert.equal(diagnostic.range.start.line, 0);
    assert.match(diagnostic.message, /notes\.db/);
    assert.equal(diagnostic.code, 'not-sqlite');
  });

  test('warns on a write to a synced entity table, not on the queue', async () => {
    const text = ['-- synclens: db=../app.db', "UPDATE users SET name = 'x' WHERE odid = 'u1';", "DELETE FROM sync_operations WHERE id = 1;"].join('\n');
    const uri = openSql('writes.sql', text);
    const diagnostics = await lsp.session.diagnostics(uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Warning);
    assert.deepEqual(diagnostics[0].range, { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } });
    assert.match(diagnostics[0].message, /synced entity table .*sync_operations.*never reach Firestore/);
  });

  test('a missing database is reported on the binding line', async () => {
    const uri = openSql('missing.sql', '-- synclens: db=../nope.db\nSELECT 1;');
    const [diagnostic] = await lsp.session.diagnostics(uri);
    assert.equal(diagnostic.range.start.line, 0);
    assert.match(diagnostic.message, /nope\.db does not exist/);
  });

  test('code lenses: one Run per statement, plus the binding', async () => {
    const text = ['-- synclens: db=../app.db', 'SELECT 1;', '-- a comment; with a semicolon', "SELECT ';' AS x;", "UPDATE users SET name = 'z';"].join('\n');
    const uri = openSql('lenses.sql', text);
    await lsp.session.diagnostics(uri);
    const lenses = (await lsp.session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [0, 'app.db — change…'],
        [1, 'Run'],
        [3, 'Run'],
        [4, 'Run (writes the database…)'],
      ],
    );
  });

  test('Run: a read-only statement returns rows; a write asks first, then goes through the safe write-back', async () => {
    const text = ['-- synclens: db=../app.db', 'SELECT "odid", "email" FROM users ORDER BY id;', "UPDATE users SET name = 'Zed' WHERE odid = 'u3';"].join('\n');
    const uri = openSql('run.sql', text);
    await lsp.session.diagnostics(uri);
    const lenses = (await lsp.session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    const [selectArgs, updateArgs] = lenses.slice(1).map((lens) => lens.command?.arguments?.[0] as RunStatementParams);

    const rows = await lsp.session.connection.sendRequest(RunStatementRequest.type, selectArgs);
    assert.equal(rows.kind, 'rows');
    assert.ok(rows.kind === 'rows');
    assert.deepEqual(rows.columns, ['odid', 'email']);
    assert.deepEqual(rows.rows, [
      ['u1', 'ada@example.com'],
      ['u2', 'bob@example.com'],
      ['u3', 'cy@example.com'],
    ]);
    assert.ok(rows.resultFile, 'the rows are also written for the data grid');
    assert.equal(sqlite3(rows.resultFile, 'SELECT "odid", "email" FROM "result" ORDER BY rowid;'), 'u1|ada@example.com\nu2|bob@example.com\nu3|cy@example.com\n');

    const asked = await lsp.session.connection.sendRequest(RunStatementRequest.type, updateArgs);
    assert.equal(asked.kind, 'needs-confirmation');
    assert.ok(asked.kind === 'needs-confirmation');
    assert.match(asked.summary, /UPDATE on users \(a synced entity table/);
    assert.equal(sqlite3(lsp.app.db, "SELECT name FROM users WHERE odid = 'u3';").trim(), 'Cy', 'nothing ran before confirming');

    const written = await lsp.session.connection.sendRequest(RunStatementRequest.type, { ...updateArgs, confirmedWrite: true });
    assert.equal(written.kind, 'written', JSON.stringify(written));
    assert.ok(written.kind === 'written');
    assert.equal(written.changes, 1);
    assert.equal(sqlite3(lsp.app.db, "SELECT name FROM users WHERE odid = 'u3';").trim(), 'Zed');
    assert.ok(written.backup && existsSync(written.backup), 'the write left a backup');
    // One place for backups by default, as in VS Code (synclens.backups.location): .synclens/backups beside the database.
    assert.equal(dirname(written.backup), join(lsp.app.dir, '.synclens', 'backups'));
    assert.ok(!readdirSync(lsp.app.dir).some((name) => name.includes('.synclens-backup-')), 'no backup beside the database');

    const besideArgs = { ...updateArgs, confirmedWrite: true, backupLocation: 'beside' as const };
    const writtenBeside = await lsp.session.connection.sendRequest(RunStatementRequest.type, besideArgs);
    assert.ok(writtenBeside.kind === 'written' && writtenBeside.backup, JSON.stringify(writtenBeside));
    assert.equal(dirname(writtenBeside.backup), lsp.app.dir, 'backupLocation beside puts it next to the database');
  });

  test('Run: cancelling a slow read stops its worker and says so', { timeout: 60_000 }, async () => {
    const slow = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n';
    const uri = openSql('slow.sql', `-- synclens: db=../app.db\n${slow};`);
    const source = new CancellationTokenSource();
    const started = Date.now();
    const pending = lsp.session.connection.sendRequest(RunStatementRequest.type, { uri, statementIndex: 0, text: slow }, source.token);
    // Cancel once the server has started on it: its worker only exists while the query runs.
    await lsp.session.diagnostics(uri);
    source.cancel();
    const result = await pending.catch((error: Error) => ({ kind: 'rejected', message: error.message }));
    assert.equal(result.kind, 'cancelled', JSON.stringify(result));
    assert.ok(Date.now() - started < 30_000, 'the endless query did not run on');
    const after = await lsp.session.connection.sendRequest(RunStatementRequest.type, { uri, statementIndex: 0, text: slow.replace('SELECT count(*) FROM n', 'SELECT 1') });
    assert.equal(after.kind, 'error', 'the server still answers');
  });

  test('Run refuses a statement whose text changed since the lens was made', async () => {
    const uri = openSql('stale.sql', '-- synclens: db=../app.db\nSELECT 1;');
    const result = await lsp.session.connection.sendRequest(RunStatementRequest.type, { uri, statementIndex: 0, text: 'SELECT 2' });
    assert.equal(result.kind, 'error');
    assert.ok(result.kind === 'error');
    assert.match(result.message, /changed since/);
  });
});
