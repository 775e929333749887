// Write-back recovery's lines from the language server's database worker reach the client as
// window/logMessage (in VS Code: the SyncLens output channel, the language client's), not the
// worker's stderr: a .sql file binds the sqlite3-written app.db beside which a killed write-back
// left its unfinished backup copy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LogMessageNotification, type LogMessageParams } from 'vscode-languageserver-protocol/node';
import { appFolderServer } from './fixture';

describe('language server: write-back recovery log', () => {
  const lsp = appFolderServer();

  test("the database worker's recovery line arrives as a log message", async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const leftover = join(lsp.app.dir, `.app.db.synclens-partial-backup-20261201T120000Z-${deadPid}-0123abcd`);
    writeFileSync(leftover, 'half a backup');
    const messages: LogMessageParams[] = [];
    lsp.session.connection.onNotification(LogMessageNotification.type, (params) => void messages.push(params));

    const uri = lsp.session.open(join(lsp.app.dir, 'recovery.sql'), ['-- synclens: db=app.db', 'SELECT * FROM users;'].join('\n'), 'sql');
    await lsp.session.diagnostics(uri);
    assert.ok(!existsSync(leftover), 'the open removed the unfinished copy');
    const recovery = messages.filter((message) => message.message.includes('a write-back stopped while it copied the backup'));
    assert.equal(recovery.length, 1, JSON.stringify(messages));
    assert.match(recovery[0]!.message, new RegExp(`process ${deadPid}`));
    assert.doesNotMatch(lsp.session.stderr(), /write-back stopped/, 'not on stderr');
  });
});
