// Browse features in the real VS Code: the extension runs in the extension host, the grid in a real
// webview; the grid's rendered rows are read back from its DOM through the protocol.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RenderedGrid } from '../../../core/protocol/dataGrid';
import { parseCsv } from '../../helpers/csv';
import { sqlite3, sqlite3Json } from '../../helpers/sqliteCli';
import { api, waitFor } from './helpers';

const paletteCommands = ['synclens.openDatabase', 'synclens.refresh', 'synclens.exportTable', 'synclens.copyPath', 'synclens.showLog'];

function workspaceFile(name: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the sample workspace open');
  return join(folder.uri.fsPath, name);
}

async function openGrid(path: string): Promise<RenderedGrid> {
  const synclens = await api();
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
  const grid = await waitFor(`the grid of ${path}`, async () => (await synclens.inspectEditor(path)) ?? null, (shown) => shown !== null && shown.status !== 'loading');
  return grid!;
}

describe('SyncLens browse', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers its commands in the palette', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const command of paletteCommands) assert.ok(commands.includes(command), `${command} is registered`);
  });

  it('opens app.db in the custom editor and the grid shows its rows', async () => {
    const path = workspaceFile('app.db');
    const grid = await openGrid(path);
    assert.equal(grid.status, 'ready', grid.message);
    const shown = await waitFor('rows in the grid', async () => (await (await api()).inspectEditor(path))!, (state) => state.rows.length > 0 && state.table !== null);
    const table = shown.table!;
    const expectedColumns = sqlite3(path, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).trim().split('\n');
    assert.deepEqual(shown.headers, expectedColumns);
    const expectedCount = Number(sqlite3(path, `SELECT COUNT(*) FROM "${table}"`).trim());
    assert.equal(shown.totalRows, expectedCount);
    // The first rendered row is the table's first row in key order: compare its text columns with the CLI.
    const first = sqlite3Json(path, `SELECT * FROM "${table}" ORDER BY rowid LIMIT 1`);
    const odidIndex = shown.headers.indexOf('odid');
    assert.ok(odidIndex >= 0, 'an entity table has an odid column');
    assert.equal(shown.rows[0]?.[odidIndex], first[0]?.odid);
  });

  it('shows databases, tables with row counts and columns in the SyncLens tree', async () => {
    const synclens = await api();
    const path = workspaceFile('app.db');
    const roots = await waitFor('databases in the tree', () => synclens.treeChildren(), (nodes) => nodes.some((entry) => entry.item.resourceUri?.fsPath === path));
    const database = roots.find((entry) => entry.item.resourceUri?.fsPath === path)!;
    // Counts follow the schema: each table says "counting…" until its count arrives.
    const tables = await waitFor(
      'the row counts in the tree',
      () => synclens.treeChildren(database.node),
      (nodes) => nodes.every((entry) => entry.node.kind !== 'table' || entry.item.description !== 'counting…'),
    );
    const expected = sqlite3(path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").trim().split('\n');
    const tableEntries = tables.filter((entry) => entry.node.kind === 'table');
    assert.deepEqual(tableEntries.map((entry) => entry.item.label).sort(), expected.sort());
    for (const entry of tableEntries) {
      const count = Number(sqlite3(path, `SELECT COUNT(*) FROM "${String(entry.item.label)}"`).trim());
      assert.equal(entry.item.description, `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`);
    }
    const queue = tables.find((entry) => entry.node.kind === 'queue');
    assert.ok(queue, 'the queue node is shown');
    assert.match(String(queue.item.description), /^\d+ pending of \d+$/);
    const users = tableEntries.find((entry) => entry.item.label === 'users')!;
    const columns = await synclens.treeChildren(users.node);
    assert.deepEqual(
      columns.map((entry) => entry.item.label),
      sqlite3(path, "SELECT name FROM pragma_table_info('users') ORDER BY cid").trim().split('\n'),
    );
  });

  it('exports a table to a CSV that holds exactly its rows', async () => {
    const path = workspaceFile('app.db');
    const output = join(tmpdir(), `synclens-export-${process.pid}.csv`);
    try {
      const result = (await vscode.commands.executeCommand('synclens.exportTable', {
        uri: vscode.Uri.file(path),
        table: 'posts',
        format: 'csv',
        outputUri: vscode.Uri.file(output),
      })) as { written: boolean; rows: number };
      assert.equal(result.written, true);
      const [header, ...rows] = parseCsv(readFileSync(output, 'utf8'));
      const expected = sqlite3Json(path, 'SELECT * FROM posts ORDER BY rowid');
      assert.deepEqual(header, Object.keys(expected[0]!));
      assert.equal(rows.length, expected.length);
      assert.equal(result.rows, expected.length);
      rows.forEach((row, index) => {
        const want = Object.values(expected[index]!).map((value) => (value === null ? '' : String(value)));
        assert.deepEqual(row, want, `row ${index + 1}`);
      });
    } finally {
      rmSync(output, { force: true });
    }
  });

  it('shows one clear message for a file that is not SQLite', async () => {
    const path = workspaceFile('notes-not-sqlite.db');
    writeFileSync(path, 'these are meeting notes, not a database\n');
    try {
      const grid = await openGrid(path);
      assert.equal(grid.status, 'error');
      assert.match(grid.message, /is not a SQLite database/);
      assert.doesNotMatch(grid.message, /\bat .+:\d+:\d+/, 'no stack trace');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(path, { force: true });
    }
  });

  it('shows hostile cell text as text, never as markup', async () => {
    const path = workspaceFile('hostile.db');
    const hostile = ['<script>document.title="pwned"</script>', '<img src=x onerror="document.title=1">', '"><iframe src="javascript:alert(1)">'];
    sqlite3(path, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); ${hostile.map((text) => `INSERT INTO notes (body) VALUES ('${text.replaceAll("'", "''")}');`).join(' ')}`);
    try {
      await openGrid(path);
      const grid = await waitFor('the hostile rows', async () => (await (await api()).inspectEditor(path))!, (shown) => shown.rows.length === hostile.length);
      assert.deepEqual(
        grid.rows.map((row) => row[1]),
        hostile,
      );
      assert.equal(grid.markupElements, 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(path, { force: true });
    }
  });

  it('refreshes by itself after an external write, keeping the table', async () => {
    const synclens = await api();
    const path = workspaceFile('app.db');
    const before = await waitFor('the users grid', async () => {
      await vscode.commands.executeCommand('synclens.openTable', { kind: 'table', uri: vscode.Uri.file(path), table: { name: 'users' } });
      return (await synclens.inspectEditor(path))!;
    }, (grid) => grid.table === 'users' && grid.totalRows !== null && grid.rows.length > 0);
    const revision = synclens.databaseState(path)?.revision ?? 0;
    sqlite3(
      path,
      "INSERT INTO users (odid, email, name, createdAt, updatedAt, isSynced, isDeleted, version, settings) VALUES ('refreshTestOdid', 'refresh@example.com', 'Refresh Test', 1700000000000, 1700000000000, 0, 0, 1, '{}')",
    );
    const after = await waitFor(
      'the grid to show the new row',
      async () => (await synclens.inspectEditor(path))!,
      (grid) => grid.totalRows === (before.totalRows ?? 0) + 1,
    );
    assert.equal(after.table, 'users');
    assert.ok((synclens.databaseState(path)?.revision ?? 0) > revision);
    assert.match(after.updatedLabel, /^updated \d\d:\d\d:\d\d$/);
  });
});
