// SyncLens installed from its .vsix (code-server --install-extension), not loaded from the repo.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
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

  it('carries its icon, changelog, walkthrough pictures and the walkthrough sample, which opens', async () => {
    const extension = vscode.extensions.getExtension('synclens.synclens')!;
    const installedFrom = extension.extensionUri.fsPath;
    const manifest = extension.packageJSON as { icon: string; contributes: { walkthroughs: { steps: { media: { image: string } }[] }[] } };
    const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.ok(steps.length >= 4, 'the walkthrough is contributed');
    for (const file of [manifest.icon, 'dist/sample/app.db', ...steps.map((step) => step.media.image)]) {
      assert.ok(existsSync(join(installedFrom, file)), `${file} missing from the installed extension`);
    }
    // vsce stores it as changelog.md, which the Extensions view shows as the Changelog tab.
    assert.ok(readdirSync(installedFrom).some((name) => name.toLowerCase() === 'changelog.md'), 'the changelog is in the installed extension');
    const sample = (await vscode.commands.executeCommand('synclens.openSampleDatabase')) as vscode.Uri;
    assert.ok(sample && existsSync(sample.fsPath), 'the sample was copied into the extension storage');
    assert.ok(!sample.fsPath.startsWith(installedFrom), 'the copy is not inside the installed extension');
  });
});
