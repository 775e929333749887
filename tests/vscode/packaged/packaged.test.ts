// SyncLens installed from its .vsix (code-server --install-extension), not loaded from the repo.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

describe('packaged: SyncLens installed from synclens.vsix', () => {
  it('is loaded from the extensions folder, activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension('synclens.synclens');
    assert.ok(extension, 'synclens.synclens is not installed');
    const installedFrom = extension.extensionUri.fsPath;
    assert.match(installedFrom, /synclens\.synclens-\d+\.\d+\.\d+/, `loaded from ${installedFrom}, not from an installed .vsix`);
    // What the .vsix carries: the bundles and wasm, never the sources.
    for (const file of ['dist/extension.js', 'dist/sql-wasm.wasm', 'package.json']) {
      assert.ok(existsSync(join(installedFrom, file)), `${file} missing from the installed extension`);
    }
    for (const file of ['extension/main.ts', 'core', 'node_modules', 'tests']) {
      assert.ok(!existsSync(join(installedFrom, file)), `${file} should not be in the .vsix`);
    }
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('synclens.openDatabase'), 'synclens.openDatabase is not registered');
  });
});
