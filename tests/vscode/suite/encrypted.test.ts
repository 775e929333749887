// An encrypted database in the real VS Code: its view says it is encrypted and offers "Enter key…";
// the key goes into SecretStorage for that file, the rows appear, the key is remembered when the
// file is opened again (read back from SecretStorage by the database worker), and "Forget Key"
// makes the view encrypted again. The file is the sample's app.db encrypted by Debian's sqlcipher.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFolder } from './helpers';

describe('an encrypted database', function () {
  this.timeout(180_000);
  let path: string;
  const key = `vscode-${randomBytes(9).toString('hex')}`;

  // The suite's earlier tests may have replayed app.db's queue, so what the unlocked file must show
  // is read from the plain file at the moment it is encrypted, not taken from the sample's figures.
  let plainUsers: number;
  let plainOps: number;
  const countOf = (table: string) =>
    Number(execFileSync('sqlite3', [join(workspaceFolder(), 'app.db'), `SELECT count(*) FROM ${table}`], { encoding: 'utf8' }).trim());

  before(() => {
    plainUsers = countOf('users');
    plainOps = countOf('sync_operations');
    path = join(workspaceFolder(), 'secure.db');
    rmSync(path, { force: true });
    execFileSync('sqlcipher', [join(workspaceFolder(), 'app.db')], {
      input: `ATTACH DATABASE '${path}' AS secure KEY '${key}';\nSELECT sqlcipher_export('secure');\nDETACH DATABASE secure;\n`,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('synclens.forgetDatabaseKey', { uri: vscode.Uri.file(path) });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(path, { force: true });
  });

  async function gridOf(what: string, accept: (grid: NonNullable<Awaited<ReturnType<Awaited<ReturnType<typeof api>>['inspectEditor']>>>) => boolean) {
    const synclens = await api();
    const shown = await waitFor(what, async () => (await synclens.inspectEditor(path)) ?? null, (grid) => grid !== null && accept(grid));
    assert.ok(shown, what);
    return shown;
  }

  it('shows "looks encrypted", then the rows once the key is entered; a wrong key is not kept', async () => {
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    const locked = await gridOf('the encrypted view', (grid) => grid.status === 'error');
    assert.match(locked.message, /looks encrypted/);
    assert.equal(synclens.databaseState(path)?.code, 'encrypted');

    const wrong = (await vscode.commands.executeCommand('synclens.enterDatabaseKey', { uri: vscode.Uri.file(path), key: 'not-the-key' })) as { opened: boolean };
    assert.equal(wrong.opened, false);
    assert.equal(await synclens.hasDatabaseKey(path), false, 'a key that does not open the file is not kept');

    const entered = (await vscode.commands.executeCommand('synclens.enterDatabaseKey', { uri: vscode.Uri.file(path), key })) as { opened: boolean };
    assert.equal(entered.opened, true);
    const grid = await gridOf('the decrypted rows', (shown) => shown.status === 'ready' && shown.rows.length > 0 && shown.table !== null);
    assert.ok(grid.headers.length > 0);
    assert.equal(await synclens.hasDatabaseKey(path), true);
    // The tree shows the tables of the unlocked file, counted.
    const roots = await synclens.treeChildren();
    const database = roots.find((entry) => entry.node.kind === 'database' && entry.node.uri.fsPath === path);
    assert.ok(database, 'secure.db is in the tree');
    const tables = await waitFor('counted tables', () => synclens.treeChildren(database.node), (children) => children.some((child) => child.node.kind === 'table' && child.item.description === `${plainUsers} rows`));
    assert.ok(tables.some((child) => child.node.kind === 'queue'));
    // The Sync Queue is analysed by the sync worker, another thread that asks for the key the same way.
    await vscode.commands.executeCommand('synclens.showSyncQueue', vscode.Uri.file(path));
    const queue = await waitFor('the Sync Queue of the unlocked file', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => !!shown && shown.rows.length > 0);
    assert.match(queue!.totals, new RegExp(`^${plainOps} ops?\\b`));
  });

  it('remembers the key from SecretStorage when the file is opened again, and forgets it on "Forget Key"', async () => {
    const synclens = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Nothing holds the database any more once the editor and the tree let it go: reopening reads it anew.
    await vscode.commands.executeCommand('synclens.refresh');
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    await gridOf('the rows without asking for the key', (shown) => shown.status === 'ready' && shown.rows.length > 0);

    const forgotten = (await vscode.commands.executeCommand('synclens.forgetDatabaseKey', { uri: vscode.Uri.file(path) })) as { forgotten: boolean };
    assert.equal(forgotten.forgotten, true);
    assert.equal(await synclens.hasDatabaseKey(path), false);
    const locked = await gridOf('the encrypted view again', (grid) => grid.status === 'error');
    assert.match(locked.message, /Enter key/);
  });
});
