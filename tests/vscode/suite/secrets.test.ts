// The secrets scan in the real VS Code: an open database's findings appear in the Problems panel on
// the file (severity, kind, where, preview; never the value), they go when it is closed, and the
// sample app.db has nothing at warning or above.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { planted, writePlantedDatabase } from '../../unit/scan/plantedSecrets';
import { api, waitFor, workspaceFolder } from './helpers';

describe('the secrets scan', function () {
  this.timeout(120_000);
  let dir: string;
  let path: string;

  before(() => {
    dir = mkdtempSync(join(workspaceFolder(), 'secrets-'));
    path = writePlantedDatabase(dir);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an open database\'s findings in the Problems panel, and clears them when it closes', async () => {
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'synclens.databaseEditor');
    const diagnostics = await waitFor('the scan\'s diagnostics', () => vscode.languages.getDiagnostics(uri), (found) => found.length >= 20);
    const bySeverity = (severity: vscode.DiagnosticSeverity) => diagnostics.filter((diagnostic) => diagnostic.severity === severity).length;
    assert.equal(bySeverity(vscode.DiagnosticSeverity.Error), 16);
    assert.equal(bySeverity(vscode.DiagnosticSeverity.Warning), 3);
    assert.equal(bySeverity(vscode.DiagnosticSeverity.Information), 7);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.source === 'SyncLens secrets'));
    const password = diagnostics.find((diagnostic) => diagnostic.message.startsWith('password in sync_operations.payload, rowid 1, $.user.password'));
    assert.ok(password, diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
    assert.match(password.message, /\(corr… \(21 chars\)\)/);
    for (const diagnostic of diagnostics) {
      for (const secret of [planted.plainPassword, planted.stripeLiveKey, planted.githubToken, planted.validJwt]) assert.ok(!diagnostic.message.includes(secret));
    }

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the diagnostics to go', () => vscode.languages.getDiagnostics(uri), (found) => found.length === 0);
  });

  it('lists the findings in the Sync Queue\'s Secrets tab, most severe first, without their values', async () => {
    const synclens = await api();
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('synclens.showSyncQueue', { uri, tab: 'secrets' });
    const panel = await waitFor('the Secrets tab', () => synclens.inspectSyncQueue(path), (shown) => shown !== undefined && shown.tab === 'secrets' && shown.secrets.length > 1);
    assert.ok(panel);
    assert.equal(panel.secrets[0], '15 rows in 6 tables scanned: 16 errors · 3 warnings · 7 info');
    // Info is hidden until asked for: 16 errors and 3 warnings, errors first.
    assert.equal(panel.secrets.length, 1 + 19);
    assert.match(panel.secrets[1]!, /^error/);
    assert.match(panel.secrets.at(-1)!, /^warning/);
    const password = panel.secrets.find((text) => text.includes('sync_operations.payload · rowid 1 · $.user.password'));
    assert.match(password ?? '', /password.*corr… \(21 chars\).*Open sync_operations.*in the clear/);
    for (const text of panel.secrets) {
      for (const secret of [planted.plainPassword, planted.stripeLiveKey, planted.githubToken, planted.validJwt]) assert.ok(!text.includes(secret));
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('finds nothing at warning or above in the sample app.db', async () => {
    const uri = vscode.Uri.file(join(workspaceFolder(), 'app.db'));
    await vscode.commands.executeCommand('vscode.openWith', uri, 'synclens.databaseEditor');
    const diagnostics = await waitFor('the sample\'s diagnostics', () => vscode.languages.getDiagnostics(uri), (found) => found.length > 0);
    assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.severity !== vscode.DiagnosticSeverity.Information).map((diagnostic) => diagnostic.message), []);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.code === 'email'));
  });
});
