// Issue 18's workbench points in the real VS Code: Restore… of a backup, one Results panel per SQL
// file that leaves focus in the editor, sync title-bar actions only for databases SyncLens read, the
// palette's Export honouring the grid's filter and sort, and the SQL quick fix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../extension/databaseTree';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import { api, copyOfSample, waitFor, workspaceFolder } from './helpers';

function sqlite(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', [dbPath, sql], { encoding: 'utf8' }).trim();
}

async function setConfirmWrites(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('synclens').update('confirmWrites', value, vscode.ConfigurationTarget.Global);
}

interface MenuItem {
  command: string;
  when?: string;
}

describe('what a new user trips on, in the workbench', function () {
  this.timeout(180_000);
  const folder = join(workspaceFolder(), 'tripups-suite');

  before(() => mkdirSync(folder, { recursive: true }));
  afterEach(async () => {
    await setConfirmWrites(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('Restore… lists the backups under the database, restores one and backs up the file it replaces', async () => {
    const synclens = await api();
    const path = copyOfSample(join(folder, 'restore.db'));
    const backups = join(folder, '.synclens', 'backups');
    mkdirSync(backups, { recursive: true });
    const backup = join(backups, 'restore.db.synclens-backup-20261201T100000Z');
    copyFileSync(path, backup);
    // Earlier suites may have written users into the sample: count the copy rather than assume 41.
    const users = sqlite(path, 'SELECT count(*) FROM users');
    sqlite(path, 'DELETE FROM users WHERE id > 10');
    assert.equal(sqlite(path, 'SELECT count(*) FROM users'), '10');

    const databaseNode: TreeNode = { kind: 'database', uri: vscode.Uri.file(path) };
    const children = await synclens.treeChildren(databaseNode);
    const backupsNode = children.find((child) => child.node.kind === 'backups');
    assert.ok(backupsNode, `a Backups node under the database: ${children.map((child) => child.item.label).join(', ')}`);
    const [listed, ...others] = await synclens.treeChildren(backupsNode.node);
    assert.ok(listed && listed.node.kind === 'backup', 'the backup is listed');
    assert.equal(others.length, 0);
    assert.equal(listed.item.contextValue, 'synclens.backup');
    assert.equal(listed.node.backup.path, backup);

    // "always": the restore asks, naming the backup's time (the test workbench refuses modal dialogs), so nothing changes.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('synclens.restoreBackup', listed.node)),
      /refused to show dialog.*Restore restore\.db from the backup of 2026-12-0[12] \d\d:00:00\?/s,
    );
    assert.equal(sqlite(path, 'SELECT count(*) FROM users'), '10');

    await setConfirmWrites('realProjectsOnly');
    const restored = await vscode.commands.executeCommand<{ restored: boolean; backupPath?: string }>('synclens.restoreBackup', listed.node);
    assert.equal(restored.restored, true);
    assert.equal(sqlite(path, 'SELECT count(*) FROM users'), users, 'the backup is back in place');
    assert.ok(restored.backupPath && existsSync(restored.backupPath), 'the replaced version was backed up');
    assert.equal(sqlite(restored.backupPath, 'SELECT count(*) FROM users'), '10', 'the backup holds the version the restore replaced');
    const after = await waitFor(
      'the new backup in the tree',
      async () => {
        const node = (await synclens.treeChildren(databaseNode)).find((child) => child.node.kind === 'backups');
        return node ? (await synclens.treeChildren(node.node)).length : 0;
      },
      (count) => count === 2,
    );
    assert.equal(after, 2);

    // A backup that went missing meanwhile: one message, the file untouched.
    rmSync(backup);
    const gone = await vscode.commands.executeCommand<{ restored: boolean }>('synclens.restoreBackup', listed.node);
    assert.equal(gone.restored, false);
    assert.equal(sqlite(path, 'SELECT count(*) FROM users'), users);
  });

  it('Run twice reuses one Results panel beside the editor, titled by the statement, and the editor keeps focus', async () => {
    const synclens = await api();
    const document = await vscode.workspace.openTextDocument(join(workspaceFolder(), 'queries', 'pending.sql'));
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor(
      'Run code lenses',
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (found) => (found ?? []).filter((lens) => lens.command?.title.includes('Run')).length === 2,
      60_000,
    );
    const runs = lenses.filter((lens) => lens.command?.title.includes('Run'));
    const results: RunStatementResult[] = [];
    for (const run of [runs[0]!, runs[1]!]) {
      results.push(await vscode.commands.executeCommand<RunStatementResult>(run.command!.command, ...(run.command!.arguments ?? [])));
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString(), 'the SQL editor keeps focus');
    }
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const resultTabs = tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('synclens.sqlResults'));
    assert.equal(resultTabs.length, 1, `one Results panel: ${tabs.map((tab) => tab.label).join(', ')}`);
    assert.ok(!tabs.some((tab) => /-result-\d+\.db/.test(tab.label)), 'no app-result-N.db tab');
    const last = results[1]!;
    assert.equal(last.kind, 'rows', JSON.stringify(last));
    assert.ok(last.kind === 'rows');
    const shown = await waitFor(
      'the second statement in the Results panel',
      async () => (await synclens.inspectSqlResults(document.uri.toString())) ?? null,
      (grid) => grid !== null && grid.status === 'ready' && grid.table === 'result' && grid.totalRows === last.rows.length,
    );
    const statementStart = last.sql.replace(/\s+/g, ' ').trim().slice(0, 20);
    assert.ok(shown!.title.startsWith(statementStart), `the title shows the statement: ${shown!.title}`);
    assert.equal(resultTabs[0]!.label, shown!.title);
    assert.ok(!shown!.title.includes('synclens-results') && !shown!.title.includes('.db'), `no temp path in the title: ${shown!.title}`);
    assert.ok(resultTabs[0]!.group.viewColumn !== vscode.window.activeTextEditor?.viewColumn, 'the panel is beside the editor');
  });

  it('sync title-bar actions need a database SyncLens read; "Open With" names the editor', async () => {
    const synclens = await api();
    const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'synclens')!;
    const contributes = extension.packageJSON.contributes as { menus: Record<string, MenuItem[]>; customEditors: { viewType: string; displayName: string }[] };
    const syncActions = ['synclens.showSyncQueue', 'synclens.planReplay', 'synclens.replayAll', 'synclens.replayStep', 'synclens.pullRemoteChanges', 'synclens.showConflicts'];
    for (const item of contributes.menus['editor/title']!.filter((entry) => syncActions.includes(entry.command) && entry.when?.includes('activeCustomEditorId'))) {
      assert.match(item.when ?? '', /synclens\.activeEditorIsDatabase/, `${item.command} in the editor title needs a database`);
    }
    for (const editor of contributes.customEditors) assert.match(editor.displayName, /^SyncLens Database/, `${editor.viewType} has a readable name`);

    const notes = join(folder, 'notes.store');
    writeFileSync(notes, 'these are plain notes, not a database\n'.repeat(50));
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(notes), 'synclens.databaseEditor.anyFile');
    await waitFor('notes.store to fail to open', () => synclens.databaseState(notes)?.status, (status) => status === 'error');
    assert.equal(synclens.activeEditorIsDatabase(), false, 'no sync actions for a file that is not SQLite');

    const path = copyOfSample(join(folder, 'menus.db'));
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    await waitFor('menus.db to be the active database', () => synclens.activeEditorIsDatabase(), (value) => value);
  });

  it("the palette's Export Table… exports the grid's filtered, sorted rows and says so in the dialog title", async () => {
    const synclens = await api();
    const path = copyOfSample(join(folder, 'export.db'));
    const users = sqlite(path, 'SELECT count(*) FROM users');
    const uri = vscode.Uri.file(path);
    const query = { sort: { column: 'email', direction: 'desc' }, filterTexts: { email: 'torvalds' } };
    await vscode.commands.executeCommand('synclens.openTable', { kind: 'table', uri, table: { name: 'users' }, query });
    await waitFor(
      'the filtered users in the grid',
      async () => (await synclens.inspectEditor(path)) ?? null,
      (grid) => grid !== null && grid.status === 'ready' && grid.table === 'users' && grid.totalRows === 2 && grid.rows.length === 2,
    );
    const output = join(folder, 'users-export.csv');
    // As the palette runs it (no table, sort or filters), with only the file given so no dialog opens.
    const result = await vscode.commands.executeCommand<{ written: boolean; rows: number; title: string }>('synclens.exportTable', { outputUri: vscode.Uri.file(output) });
    assert.equal(result.written, true);
    assert.equal(result.rows, 2, 'only the rows the filter matches');
    assert.equal(result.title, `Export users (filtered: 2 of ${users} rows, sorted by email, descending)`);
    const emails = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[2]);
    assert.deepEqual(emails, ['ada.torvalds21@example.com', 'ada.torvalds1@example.com'], 'in the grid order');
  });

  it("the SQL quick fix offers 'email' for 'emial' and applies it", async () => {
    const appDb = join(workspaceFolder(), 'app.db');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('synclens.sql.newQuery', appDb);
    assert.ok(editor, 'an editor opened');
    const document = editor.document;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(1, 0, document.lineCount, 0), 'SELECT odid, emial FROM users;');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic] = await waitFor(
      'no such column: emial',
      () => vscode.languages.getDiagnostics(document.uri),
      (found) => found.some((candidate) => candidate.message === 'no such column: emial'),
      60_000,
    );
    const actions = await waitFor(
      'a quick fix',
      () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic!.range),
      (found) => (found ?? []).some((action) => action.title.startsWith("Change to 'email'")),
    );
    const fix = actions.find((action) => action.title.startsWith("Change to 'email'"))!;
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(document.lineAt(1).text, 'SELECT odid, email FROM users;');
    await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(document.uri), (found) => found.length === 0, 60_000);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
