// In the real VS Code, write-back recovery's lines from the worker threads land in the SyncLens
// output channel (extension/log.ts), not in the Extension Host log: a sqlite3-written database
// beside the unfinished backup copy of a killed write-back is opened in the data grid, and the
// channel's log file (VS Code writes each log output channel to a file under the user data folder)
// gets the line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { sqlite3 } from '../../helpers/sqliteCli';
import { waitFor, workspaceFolder } from './helpers';

/** Every file below `folder` whose name ends with `suffix`. */
function filesEndingWith(folder: string, suffix: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith(suffix))
    .map((entry) => join(folder, entry));
}

describe('write-back recovery log in the SyncLens channel', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(workspaceFolder(), 'recovery-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it("the database worker's recovery line is in the SyncLens output channel", async () => {
    const path = join(dir, 'app.db');
    sqlite3(path, "CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, name TEXT); INSERT INTO users (odid, name) VALUES ('u1', 'Ada');");
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const leftover = join(dir, `.app.db.synclens-partial-backup-20261201T120000Z-${deadPid}-0123abcd`);
    writeFileSync(leftover, 'half a backup');

    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    await waitFor('the open to remove the unfinished copy', () => existsSync(leftover), (present) => !present);
    // tests/vscode/runTests.ts puts the user data folder beside the workspace: <name>-workspace, <name>-user-data.
    const workspace = workspaceFolder();
    const userData = join(dirname(workspace), basename(workspace).replace(/-workspace$/, '-user-data'));
    const expected = `a write-back stopped while it copied the backup (process ${deadPid})`;
    const logged = await waitFor(
      'the line in the SyncLens channel',
      () => filesEndingWith(userData, 'SyncLens.log').filter((file) => readFileSync(file, 'utf8').includes(expected)),
      (files) => files.length > 0,
    );
    assert.equal(logged.length, 1, logged.join(', '));
    const hostLogs = filesEndingWith(userData, 'exthost.log').filter((file) => readFileSync(file, 'utf8').includes(expected));
    assert.deepEqual(hostLogs, [], 'not in the Extension Host log');
  });
});
