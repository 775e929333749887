// An untrusted repository's .vscode/settings.json in the real VS Code: the settings that decide what
// is written without asking (synclens.confirmWrites) or which side's data a conflict overwrites
// (synclens.conflicts.defaultPolicy) are restricted in package.json, so VS Code keeps their user
// values; a setting that only changes how much is read at once (grid.pageSize) still applies.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultConflictPolicy, gridPageSize, writeConfirmationLevel } from '../../../extension/settings';
import { waitFor, workspaceFolder } from '../suite/helpers';

describe('Restricted Mode: workspace settings', function () {
  this.timeout(120_000);

  it('a workspace cannot set the restricted settings; the others apply', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const folder = workspaceFolder();
    const database = vscode.Uri.file(join(folder, 'app.db'));
    const settingsFile = join(folder, '.vscode', 'settings.json');
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(
      settingsFile,
      JSON.stringify({ 'synclens.confirmWrites': 'realProjectsOnly', 'synclens.conflicts.defaultPolicy': 'remoteWins', 'synclens.grid.pageSize': 60 }),
    );
    try {
      // The unrestricted setting beside them shows that VS Code has read the file.
      await waitFor('the workspace settings file read', gridPageSize, (pageSize) => pageSize === 60);
      // The extension's own readers (a copy of extension/settings.ts bundled into this suite).
      assert.equal(writeConfirmationLevel(), 'always');
      assert.equal(defaultConflictPolicy(database), 'lastWriteWins');
    } finally {
      rmSync(join(folder, '.vscode'), { recursive: true, force: true });
      await waitFor('the workspace settings gone', gridPageSize, (pageSize) => pageSize === 200);
    }
  });
});
