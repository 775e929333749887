// The harness itself: SyncLens is loaded into a real VS Code extension host, activates, and every
// command its manifest contributes is registered.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'synclens.synclens';

interface ContributedCommand {
  command: string;
  title: string;
}

describe('smoke: SyncLens in a real VS Code', () => {
  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not among the extension host's extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('reports the VS Code it runs in', function () {
    const uiKind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
    assert.ok([vscode.UIKind.Web, vscode.UIKind.Desktop].includes(vscode.env.uiKind));
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    // The spec reporter prints the title after the test: it shows where the suites ran.
    this.test!.title = `runs in ${vscode.env.appName} ${vscode.version} (uiKind ${uiKind}, remote ${vscode.env.remoteName ?? 'none'})`;
  });

  it('registers every command its manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const contributed = ((extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []).map(
      (entry) => entry.command,
    );
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
