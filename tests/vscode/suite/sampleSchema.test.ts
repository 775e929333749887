// The sample workspace's synclens.json validates cleanly wherever it is copied (issue 18): the
// suites run in a copy of it, as npm start serves one. VS Code's JSON language service warned
// when its $schema ("../schemas/…") did not resolve in the copy; the schema now comes from the
// extension's jsonValidation, and a config key it does not know still gets a warning from it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor, workspaceFolder } from './helpers';

describe('Sample synclens.json', function () {
  this.timeout(60_000);

  it('opens in a copy of the sample without a schema warning, and the shipped schema still validates it', async () => {
    const uri = vscode.Uri.file(join(workspaceFolder(), 'synclens.json'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // A sibling with an unknown key: the JSON service has loaded the shipped schema once it warns there.
    const probe = vscode.Uri.file(join(workspaceFolder(), 'queries', 'synclens.json'));
    writeFileSync(probe.fsPath, JSON.stringify({ databases: ['*.db'], unknownKey: true }, null, 2));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(probe));
    const probed = await waitFor(
      'the JSON service to validate synclens.json by the shipped schema',
      () => vscode.languages.getDiagnostics(probe),
      (diagnostics) => diagnostics.some((diagnostic) => diagnostic.source !== 'synclens' && /unknownKey|not allowed/i.test(diagnostic.message)),
    );
    assert.ok(probed.length > 0);
    // What the sample's old "$schema": "../schemas/synclens.schema.json" does in a copy: a warning this test sees.
    const oldStyle = vscode.Uri.file(join(workspaceFolder(), 'queries', 'old-schema', 'synclens.json'));
    mkdirSync(join(workspaceFolder(), 'queries', 'old-schema'), { recursive: true });
    writeFileSync(oldStyle.fsPath, JSON.stringify({ $schema: '../schemas/synclens.schema.json', databases: ['*.db'] }, null, 2));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(oldStyle));
    await waitFor(
      'the JSON service to warn about a $schema that does not resolve',
      () => vscode.languages.getDiagnostics(oldStyle),
      (diagnostics) => diagnostics.some((diagnostic) => /schema/i.test(diagnostic.message)),
    );
    const sample = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source !== 'synclens');
    assert.deepEqual(
      sample.map((diagnostic) => diagnostic.message),
      [],
      'no warning on the sample copy',
    );
  });
});
