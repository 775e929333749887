// "SyncLens: Compare with…" in the real VS Code: the migration pair's diff view lists every table
// with its counts, the schema changes at the top, and the first changed table's rows with the
// changed cell marked.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedSchemaChanges, writeMigrationPair } from '../../unit/diff/migrationPair';
import { api, waitFor, workspaceFolder } from './helpers';

describe('Compare with…', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(workspaceFolder(), 'diff-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the tables with counts, the schema changes and a table\'s changed cells', async () => {
    const pair = writeMigrationPair(dir);
    const synclens = await api();
    const result = (await vscode.commands.executeCommand('synclens.compareWith', { uri: vscode.Uri.file(pair.before), other: vscode.Uri.file(pair.after) })) as { compared: boolean };
    assert.equal(result.compared, true);
    const rendered = await waitFor('the diff view', () => synclens.inspectDiff(), (view) => view !== undefined && view.tables.length > 0);
    assert.ok(rendered);
    assert.deepEqual(rendered.tables, ['event_log+0−0~1', 'kv+0−1~1', 'legacy_cache+0−3~0', 'notes+2−0~0', 'posts+1−0~1', 'sync_state+0−0~0', 'users+1−1~2']);
    assert.equal(rendered.schema.length, expectedSchemaChanges.length);
    assert.ok(rendered.schema.includes('+ column users.nickname: TEXT'), rendered.schema.join('\n'));
    assert.equal(rendered.selected, 'event_log');
    assert.deepEqual(rendered.headers, ['change', 'rowid (key)', 'message']);
    assert.deepEqual(rendered.rows, [['changed', '2', '"synced" → "synced twice"']]);
    assert.deepEqual(rendered.changedCells, ['"synced" → "synced twice"']);
    assert.match(rendered.title, /before\.db → after\.db · 14 schema changes · 6 of 7 tables with row changes/);
  });
});
