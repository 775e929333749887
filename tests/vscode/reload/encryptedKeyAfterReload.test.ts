// An encrypted database's key survives a window reload: in the real VS Code the key is entered,
// the rows appear, and the window is reloaded (workbench.action.reloadWindow: a new extension
// host, a new database worker and language server, nothing kept in memory). The reloaded window
// runs this file again: it opens the file and must show the rows without being given the key,
// read back from SecretStorage; a SQL file bound to it is checked by the language server with the
// key the extension hands it from SecretStorage. With SecretStorage in memory only, or a key not
// stored, the second half fails. The marker file in the workspace says which half this is.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFolder } from '../suite/helpers';

const markerName = '.synclens-reload-test.json';

interface Marker {
  /** The extension host of the first half: the second half's must be another. */
  pid: number;
  key: string;
}

describe('an encrypted database across a window reload', function () {
  this.timeout(180_000);
  const path = (): string => join(workspaceFolder(), 'secure.db');
  const marker = (): string => join(workspaceFolder(), markerName);

  async function shownGrid(what: string, accept: (grid: NonNullable<Awaited<ReturnType<Awaited<ReturnType<typeof api>>['inspectEditor']>>>) => boolean) {
    const synclens = await api();
    const grid = await waitFor(what, async () => (await synclens.inspectEditor(path())) ?? null, (shown) => shown !== null && accept(shown));
    assert.ok(grid, what);
    return grid;
  }

  if (!existsSync(join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', markerName))) {
    it('before the reload: enter the key, see the rows, reload the window', async () => {
      const key = `reload-${Date.now().toString(36)}`;
      execFileSync('sqlcipher', [join(workspaceFolder(), 'app.db')], {
        input: `ATTACH DATABASE '${path()}' AS secure KEY '${key}';\nSELECT sqlcipher_export('secure');\nDETACH DATABASE secure;\n`,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      const synclens = await api();
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path()), 'synclens.databaseEditor');
      assert.match((await shownGrid('the encrypted view', (grid) => grid.status === 'error')).message, /looks encrypted/);
      const entered = (await vscode.commands.executeCommand('synclens.enterDatabaseKey', { uri: vscode.Uri.file(path()), key })) as { opened: boolean };
      assert.equal(entered.opened, true);
      await shownGrid('the decrypted rows', (grid) => grid.status === 'ready' && grid.rows.length > 0);
      assert.equal(await synclens.hasDatabaseKey(path()), true);
      writeFileSync(marker(), JSON.stringify({ pid: process.pid, key } satisfies Marker));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // This extension host ends here; the reloaded window runs this file again, from the test below.
      await vscode.commands.executeCommand('workbench.action.reloadWindow');
      await new Promise((resolve) => setTimeout(resolve, 120_000));
      assert.fail('the window did not reload');
    });
  } else {
    it('after the reload: the rows show without the key, read from SecretStorage; the language server gets it too', async () => {
      const first = JSON.parse(readFileSync(marker(), 'utf8')) as Marker;
      assert.notEqual(process.pid, first.pid, 'a new extension host: the window did reload');
      const synclens = await api();
      assert.equal(await synclens.hasDatabaseKey(path()), true, 'the key is in SecretStorage after the reload');
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path()), 'synclens.databaseEditor');
      const grid = await shownGrid('the rows without asking for the key', (shown) => (shown.status === 'ready' && shown.rows.length > 0) || shown.status === 'error');
      assert.equal(grid.status, 'ready', `the file opened without the key being entered again (${grid.status === 'error' ? grid.message : ''})`);
      assert.ok(grid.rows.length > 0);

      // The language server asks the extension for the key (synclens/databaseKey), answered from SecretStorage.
      const sqlFile = vscode.Uri.file(join(workspaceFolder(), 'secure-query.sql'));
      writeFileSync(sqlFile.fsPath, '-- synclens: db=secure.db\nSELECT emial FROM users;\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sqlFile));
      const diagnostics = await waitFor('the bound SQL checked against the decrypted schema', () => vscode.languages.getDiagnostics(sqlFile), (found) => found.length > 0, 60_000);
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.message), ['no such column: emial']);

      // The key is nowhere in the workspace's files but the marker this test wrote.
      const grep = spawnSync('grep', ['-rlF', '--exclude', markerName, first.key, workspaceFolder()], { encoding: 'utf8' });
      assert.equal(grep.status, 1, `the key is in no file of the workspace (grep: ${grep.stdout}${grep.stderr})`);
    });
  }
});
