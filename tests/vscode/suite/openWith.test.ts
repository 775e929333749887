// "Open With..." for SQLite files named otherwise: SyncLens contributes a second view type of the
// same editor with priority "option" for every file, and it opens such a file in the grid.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './helpers';

const anyFileViewType = 'synclens.databaseEditor.anyFile';

interface CustomEditorContribution {
  viewType: string;
  selector: Array<{ filenamePattern: string }>;
  priority: string;
}

describe('SyncLens in "Open With..."', function () {
  this.timeout(120_000);
  let path: string;

  before(() => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run with the sample workspace open');
    // No SQLite extension: only "Open With..." (or an explicit view type) offers SyncLens for it.
    path = join(folder, 'offline-cache.store');
    rmSync(path, { force: true });
    execFileSync('sqlite3', [path], {
      input: `CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY, "odid" TEXT NOT NULL, "body" TEXT);
INSERT INTO "notes" ("odid", "body") VALUES ('note-first', 'hello'), ('note-second', '<b>not markup</b>');`,
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(path, { force: true });
  });

  it('is offered for every file as an option, never as the default', () => {
    const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'synclens');
    assert.ok(extension);
    const editors = (extension.packageJSON as { contributes: { customEditors: CustomEditorContribution[] } }).contributes.customEditors;
    const anyFile = editors.find((editor) => editor.viewType === anyFileViewType);
    assert.ok(anyFile, `${anyFileViewType} is contributed`);
    assert.equal(anyFile.priority, 'option');
    assert.deepEqual(anyFile.selector, [{ filenamePattern: '*' }]);
  });

  it('opens a SQLite file with another extension in the grid', async () => {
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), anyFileViewType);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is a custom editor');
    assert.equal(input.viewType, anyFileViewType);
    const grid = await waitFor(
      'the rows of offline-cache.store',
      async () => (await synclens.inspectEditor(path)) ?? null,
      (shown) => shown !== null && shown.status === 'ready' && shown.rows.length === 2,
    );
    assert.equal(grid!.table, 'notes');
    assert.deepEqual(grid!.headers, ['id', 'odid', 'body']);
    assert.deepEqual(
      grid!.rows.map((row) => row.slice(1)),
      [
        ['note-first', 'hello'],
        ['note-second', '<b>not markup</b>'],
      ],
    );
  });
});
