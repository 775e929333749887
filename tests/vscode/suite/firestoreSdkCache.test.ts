// The sample workspace's Firestore SDK cache in the real VS Code: listed in the SyncLens tree (the
// sample's synclens.json names it; the file has no .db extension), and its remote_documents opened
// from the tree in the grid with paths, documents and read times decoded, under the notice that the
// SDK owns the file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './helpers';

const cacheName = 'firestore.%5BDEFAULT%5D.demo-synclens.%28default%29';

describe('the Firestore SDK cache of the sample', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is in the tree and its remote documents open decoded in the grid', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run with the sample workspace open');
    const path = join(folder.uri.fsPath, cacheName);
    const synclens = await api();
    const roots = await waitFor('the cache in the tree', () => synclens.treeChildren(), (nodes) => nodes.some((entry) => entry.item.resourceUri?.fsPath === path));
    const database = roots.find((entry) => entry.item.resourceUri?.fsPath === path)!;
    const tables = await waitFor('its tables', () => synclens.treeChildren(database.node), (nodes) => nodes.some((entry) => entry.item.label === 'remote_documents'));
    const remoteDocuments = tables.find((entry) => entry.item.label === 'remote_documents')!;
    assert.equal(remoteDocuments.item.command?.command, 'synclens.openTable');
    await vscode.commands.executeCommand('synclens.openTable', ...(remoteDocuments.item.command?.arguments ?? []));
    const grid = await waitFor(
      'remote_documents in the grid',
      async () => (await synclens.inspectEditor(path)) ?? null,
      (shown) => shown !== null && shown.table === 'remote_documents' && shown.rows.length === 6,
    );
    assert.match(grid!.notice, /The Firestore SDK owns this file; SyncLens only reads it/);
    const column = (name: string): number => grid!.headers.indexOf(name);
    assert.deepEqual(grid!.rows.map((row) => row[column('path')]), ['posts/p2', 'posts/p3', 'posts/p4', 'posts/p5', 'posts/p9', 'users/u1/notes/n1']);
    const p2 = grid!.rows[0]![column('contents')]!;
    assert.match(p2, /"fields":\{"title":"Draft"/, 'the MaybeDocument decoded, its fields first');
    assert.match(grid!.rows[4]![column('contents')]!, /"state":"missing"/);
    assert.match(grid!.rows[0]![column('read_time_seconds')]!, /2026-11-24/, 'the read time shown as a time');
  });
});
