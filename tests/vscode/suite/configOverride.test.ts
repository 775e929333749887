// One synclens.json, every view: a database beside a config that overrides a role, a timestamp
// encoding and the retry policy, seen through the tree, the grid, the status bar and a hover of the
// language server. Each reads the database through its own worker; all must show the config's answer.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedQueue, journalCollection, lastSeenShown, writeConfigOverrideFixture } from '../../helpers/configOverrideFixture';
import { api, waitFor, workspaceFolder } from './helpers';

function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

describe('synclens.json reaches every view', function () {
  this.timeout(180_000);
  let folder: string;
  let dbPath: string;
  const pending = expectedQueue.withConfig;

  before(async () => {
    folder = join(workspaceFolder(), 'config-override');
    mkdirSync(folder, { recursive: true });
    dbPath = writeConfigOverrideFixture(folder, Date.now());
    // Its editor stays the active one: the status bar describes the active database.
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(dbPath), 'synclens.databaseEditor');
    await waitFor('the database to load', () => synclens.databaseState(dbPath)?.status, (status) => status === 'ready' || status === 'error');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('the grid shows the configured timestamp encoding', async () => {
    const synclens = await api();
    const grid = await waitFor(
      'the users grid',
      async () => {
        await vscode.commands.executeCommand('synclens.openTable', { kind: 'table', uri: vscode.Uri.file(dbPath), table: { name: 'users' } });
        return (await synclens.inspectEditor(dbPath)) ?? null;
      },
      (shown) => shown !== null && shown.table === 'users' && shown.rows.length === 3,
    );
    const lastSeen = grid!.headers.indexOf('lastSeen');
    assert.ok(lastSeen >= 0, `users has a lastSeen column: ${grid!.headers.join(', ')}`);
    assert.deepEqual(
      grid!.rows.map((row) => row[lastSeen]),
      [lastSeenShown, lastSeenShown, lastSeenShown],
    );
  });

  it('the status bar counts pending operations under the configured maxRetries and backoff', async () => {
    const synclens = await api();
    const status = await waitFor('the pending status bar item', () => synclens.pendingStatus(), (shown) => shown !== undefined);
    assert.match(status!.text, new RegExp(`^\\$\\(sync\\) ${pending.pending} pending\\b`));
    assert.match(status!.tooltip, new RegExp(`${pending.ready} ready, ${pending.backingOff} backing off`));
    assert.match(status!.tooltip, new RegExp(`${pending.deadLettered} dead-lettered`));
  });

  it('the tree shows the configured entity role and the pending count', async () => {
    const synclens = await api();
    const roots = await waitFor('the database in the tree', () => synclens.treeChildren(), (nodes) => nodes.some((entry) => entry.item.resourceUri?.fsPath === dbPath));
    const database = roots.find((entry) => entry.item.resourceUri?.fsPath === dbPath)!;
    const children = await synclens.treeChildren(database.node);
    const journal = children.find((entry) => entry.item.label === 'journal');
    assert.ok(journal && journal.node.kind === 'table', 'journal is listed');
    assert.equal(journal.node.role, 'entity');
    assert.match(String(journal.item.tooltip), /^synced entity table/);
    const queue = children.find((entry) => entry.node.kind === 'queue');
    assert.equal(queue?.item.description, `${pending.pending} pending of ${pending.total}`);
  });

  it('a hover of the language server shows the configured role, collection and encoding', async () => {
    const sqlPath = join(folder, 'journal.sql');
    writeFileSync(sqlPath, '-- synclens: db=app.db\nSELECT remoteKey, body FROM journal;\nSELECT lastSeen FROM users;\n');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(sqlPath));
    await vscode.window.showTextDocument(document);
    const at = (needle: string): vscode.Position => document.positionAt(document.getText().indexOf(needle) + 2);
    const hover = (needle: string): Thenable<vscode.Hover[]> => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at(needle));
    // The server's first answer waits for its schema load.
    const table = hoverText(await waitFor('a hover on journal', () => hover('journal;'), (found) => (found ?? []).length > 0, 60_000));
    assert.match(table, /synced entity table/);
    assert.match(table, new RegExp(`collection \`${journalCollection}\`; document id: \`remoteKey\``));
    const column = hoverText(await waitFor('a hover on lastSeen', () => hover('lastSeen FROM'), (found) => (found ?? []).length > 0, 60_000));
    assert.match(column, /timestamp: epoch-millis/);
  });

  it('an edited synclens.json is read again by the tree and the language server', async () => {
    const synclens = await api();
    writeFileSync(join(folder, 'synclens.json'), JSON.stringify({ databases: ['*.db'] }));
    const detected = expectedQueue.detectedOnly;
    const tableNodes = async (): Promise<{ journalRole: string | undefined; queue: string | undefined }> => {
      const database = (await synclens.treeChildren()).find((entry) => entry.item.resourceUri?.fsPath === dbPath);
      const children = database ? await synclens.treeChildren(database.node) : [];
      const journal = children.find((entry) => entry.item.label === 'journal')?.node;
      return {
        journalRole: journal?.kind === 'table' ? journal.role : undefined,
        queue: children.find((entry) => entry.node.kind === 'queue')?.item.description?.toString(),
      };
    };
    await waitFor('the tree to drop the overrides', tableNodes, (shown) => shown.journalRole === 'other' && shown.queue === `${detected.pending} pending of ${detected.total}`);

    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'journal.sql')));
    const position = document.positionAt(document.getText().indexOf('journal;') + 2);
    await waitFor(
      'the hover to drop the entity role',
      async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)),
      (text) => text.includes('**journal**') && !text.includes('synced entity table'),
      60_000,
    );
  });
});
