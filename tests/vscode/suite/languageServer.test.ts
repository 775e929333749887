// The language server in the real VS Code: started by the extension over IPC, serving
// sample-workspace/queries/pending.sql (bound by its first line to ../app.db) and synclens.json.
// Edits are made in memory only and reverted, so the sample files stay as committed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import { api, copyOfSample, waitFor as waitForAnything } from './helpers';

/** The server's first answer waits for its schema load, so it gets a longer bound than the webviews. */
const waitFor = <T>(what: string, probe: () => Thenable<T> | T, accept: (value: T) => boolean): Promise<T> => waitForAnything(what, probe, accept, 60_000);

function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the sample workspace open');
  return vscode.Uri.file(join(folder.uri.fsPath, ...parts));
}

function positionOf(document: vscode.TextDocument, needle: string, after = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} occurs in ${document.uri.fsPath}`);
  return document.positionAt(offset + after);
}

/** Drops the in-memory edits: the revert command is given the file, so whichever editor is active does not matter. */
async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert', document.uri);
  await waitFor(`${document.uri.fsPath} to be reverted`, () => document.isDirty, (dirty) => !dirty);
}

describe('SyncLens language server', function () {
  this.timeout(180_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('completes the columns of an aliased table in pending.sql', async () => {
    await api();
    const document = await vscode.workspace.openTextDocument(workspaceFile('queries', 'pending.sql'));
    await vscode.window.showTextDocument(document);
    const position = positionOf(document, 'u."odid"', 2);
    // Until the server answers, VS Code offers words of the document: wait for the server's fields.
    const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
    const fields = (list: vscode.CompletionList | undefined): string[] =>
      (list?.items ?? []).filter((item) => item.kind === vscode.CompletionItemKind.Field).map(labelOf);
    const list = await waitFor(
      'column completions after u.',
      () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position),
      (found) => fields(found).includes('email'),
    );
    const labels = fields(list);
    for (const column of ['id', 'odid', 'email', 'name', 'updatedAt', 'isSynced']) assert.ok(labels.includes(column), `${column} is offered`);
    assert.ok(!labels.includes('entityType'), 'columns of other tables are not offered after u.');
  });

  it('reports a misspelt column on its line, and hover describes a table', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('queries', 'pending.sql'));
    await vscode.window.showTextDocument(document);
    const hover = await waitFor(
      'a hover on sync_operations',
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, '"sync_operations"', 3)),
      (hovers) => (hovers ?? []).length > 0,
    );
    const text = hover
      .flatMap((entry) => entry.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n');
    // The hover escapes data as Markdown, so the name arrives as sync\\_operations and renders as sync_operations.
    assert.match(text, /sync\\_operations/);
    assert.match(text, /sync queue/);

    const misspelt = positionOf(document, 'u."email"', 2);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(misspelt, misspelt.translate(0, '"email"'.length)), '"emial"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const diagnostics = await waitFor(
        'the diagnostic for "emial"',
        () => vscode.languages.getDiagnostics(document.uri),
        (found) => found.some((diagnostic) => diagnostic.message.includes('emial')),
      );
      const diagnostic = diagnostics.find((found) => found.message.includes('emial'))!;
      assert.equal(diagnostic.message, 'no such column: u.emial');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.range.start.line, misspelt.line);
      assert.equal(document.getText(diagnostic.range), '"emial"');
    } finally {
      await revert(document);
    }
    await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(document.uri), (found) => found.length === 0);
  });

  it('the Run lens runs a read-only statement and opens its rows in the data grid of its Results panel', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('queries', 'pending.sql'));
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor(
      'Run code lenses',
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (found) => (found ?? []).filter((lens) => lens.command?.title.includes('Run')).length === 2,
    );
    const run = lenses.find((lens) => lens.command?.title.includes('Run'))!;
    const result = await vscode.commands.executeCommand<RunStatementResult>(run.command!.command, ...(run.command!.arguments ?? []));
    assert.equal(result.kind, 'rows', JSON.stringify(result));
    assert.ok(result.kind === 'rows');
    assert.deepEqual(result.columns, ['id', 'entityType', 'entityId', 'operation', 'retryCount', 'created', 'lastAttempted', 'lastError']);
    assert.ok(result.rows.length > 0);
    assert.ok(result.resultFile, 'the rows were written for the grid');
    const synclens = await api();
    const grid = await waitFor(
      'the result rows in the data grid',
      async () => (await synclens.inspectSqlResults(document.uri.toString())) ?? null,
      (shown) => shown !== null && shown.status === 'ready' && shown.rows.length > 0,
    );
    assert.equal(grid!.table, 'result');
    assert.deepEqual(grid!.headers, result.columns);
    assert.equal(grid!.totalRows, result.rows.length);
    assert.equal(grid!.rows[0]?.[1], result.rows[0]?.[1]);
  });

  it('New Query binds an untitled document; Bind rewrites the binding line', async () => {
    const appDb = workspaceFile('app.db').fsPath;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('synclens.sql.newQuery', appDb);
    assert.ok(editor, 'an editor opened');
    const document = editor.document;
    assert.equal(document.isUntitled, true);
    assert.equal(document.lineAt(0).text, `-- synclens: db=${appDb}`);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(1, 7), 'nope FROM users;');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(
      'a diagnostic in the untitled query',
      () => vscode.languages.getDiagnostics(document.uri),
      (found) => found.some((diagnostic) => diagnostic.message === 'no such column: nope'),
    );

    const walDb = workspaceFile('app-wal.db').fsPath;
    const bound = await vscode.commands.executeCommand<string | undefined>('synclens.sql.bindDatabase', document.uri, walDb);
    assert.equal(bound, walDb);
    assert.equal(document.lineAt(0).text, `-- synclens: db=${walDb}`);
    assert.equal(document.lineCount >= 2 && document.lineAt(1).text, 'SELECT nope FROM users;');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a trusted workspace reads a database outside it; lens titles carry codicons', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'synclens-outside-'));
    try {
      const otherDb = copyOfSample(join(outside, 'other.db'));
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('synclens.sql.newQuery', otherDb);
      assert.ok(editor, 'an editor opened');
      const document = editor.document;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(1, 7), 'nope FROM users;');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(
        'SQLite checking the statement against the database outside the workspace',
        () => vscode.languages.getDiagnostics(document.uri),
        (found) => found.some((diagnostic) => diagnostic.message === 'no such column: nope'),
      );
      await waitFor(
        'lens titles with $(icon) syntax, which the extension tells the server VS Code renders',
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
        (lenses) => (lenses ?? []).some((lens) => lens.command?.title === '$(database) other.db — change…') && lenses.some((lens) => lens.command?.title === '$(play) Run'),
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('synclens.json: a wrong table name gets an error and a quick fix to the closest table', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('synclens.json'));
    await vscode.window.showTextDocument(document);
    const brace = document.getText().lastIndexOf('}');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(brace), '  ,"queue": { "table": "sync_operation" }\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const diagnostics = await waitFor(
        'the unknown-table diagnostic',
        () => vscode.languages.getDiagnostics(document.uri),
        (found) => found.some((diagnostic) => diagnostic.message.includes('sync_operation"')),
      );
      const diagnostic = diagnostics.find((found) => found.message.includes('sync_operation"'))!;
      assert.equal(diagnostic.range.start.line, document.positionAt(brace).line);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
      const fix = actions.find((action) => action.title === 'Change to "sync_operations"');
      assert.ok(fix?.edit, `a quick fix is offered: ${actions.map((action) => action.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.getText(), /"table": "sync_operations"/);
      await waitFor(
        'the diagnostic to clear after the fix',
        () => vscode.languages.getDiagnostics(document.uri),
        (found) => !found.some((entry) => entry.message.includes('sync_operation"')),
      );
    } finally {
      await revert(document);
    }
  });
});
