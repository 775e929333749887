// The security review's hostile messages, in the real extension host: what a compromised webview
// (or any caller of a command) could send. Each gets an error and changes nothing: no file written,
// no dialog skipped. The cursor in LIMIT is the worker's: tests/unit/protocol/hostileMessages.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import { api, copyOfSample, waitFor, workspaceFolder } from './helpers';

function sqlite(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', [dbPath, sql], { encoding: 'utf8' }).trim();
}

describe('SyncLens refuses hostile messages', function () {
  this.timeout(120_000);
  const folder = join(workspaceFolder(), 'hostile-suite');

  before(() => mkdirSync(folder, { recursive: true }));
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openGrid(name: string): Promise<string> {
    const synclens = await api();
    const path = copyOfSample(join(folder, name));
    await vscode.commands.executeCommand('synclens.openDatabase', vscode.Uri.file(path));
    await waitFor('the grid', async () => (await synclens.inspectEditor(path)) ?? null, (shown) => shown?.status === 'ready');
    return path;
  }

  it('exportRows with an outputUri from the webview still asks where to save, and writes nothing there', async () => {
    const synclens = await api();
    const path = await openGrid('export.db');
    const target = join(tmpdir(), `synclens-hostile-export-${process.pid}.csv`);
    rmSync(target, { force: true });
    const exportRequest = {
      rpc: 'request',
      id: 1,
      method: 'exportRows',
      // A plain object with fsPath passed for a vscode.Uri before the params were checked.
      params: { table: 'users', sort: null, filters: [], format: 'csv', outputUri: { scheme: 'file', path: target, fsPath: target } },
    };
    const delivered = synclens.deliverToGrid(path, exportRequest);
    // The save dialog is asked for: the test workbench refuses it (an error), or shows its simple
    // dialog, which Escape dismisses (no file chosen).
    const settled = await Promise.race([delivered, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 3000))]);
    if (settled === 'waiting') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const outcome = await delivered;
    assert.ok(outcome?.response, 'the grid answered');
    const { result, error } = outcome.response;
    if (error) assert.match(error.message, /refused to show dialog|save/i, JSON.stringify(error));
    else assert.deepEqual(result, { written: false, rows: 0 });
    assert.equal(existsSync(target), false, 'nothing written where the webview said');
  });

  it('a log message naming a method of the output channel is refused, and a real one is taken', async () => {
    const synclens = await api();
    const path = await openGrid('log.db');
    for (const level of ['dispose', 'clear', 'replace', 'show', 'toString']) {
      const outcome = await synclens.deliverToGrid(path, { rpc: 'notification', method: 'log', params: { level, message: 'hostile' } });
      assert.match(outcome?.refused ?? '', /^log: level: /, `level ${level}: ${JSON.stringify(outcome)}`);
    }
    const fine = await synclens.deliverToGrid(path, { rpc: 'notification', method: 'log', params: { level: 'info', message: 'a real log line' } });
    assert.deepEqual(fine, {});
    // The grid still answers: nothing the refused messages named ran.
    const page = await synclens.deliverToGrid(path, { rpc: 'request', id: 1, method: 'readPage', params: { table: 'users', sort: null, filters: [], after: null, limit: 2 } });
    assert.equal((page?.response?.result as { rows: unknown[] } | undefined)?.rows.length, 2, JSON.stringify(page));
  });

  it('the SQL Run command ignores a caller\'s confirmedWrite: the write still asks first, and nothing is written', async () => {
    const database = copyOfSample(join(folder, 'sql-write.db'));
    const before = sqlite(database, 'SELECT name FROM users WHERE id = 1');
    const queryFile = join(folder, 'write.sql');
    writeFileSync(queryFile, "-- synclens: db=sql-write.db\nUPDATE users SET name = 'Written by a hostile caller' WHERE id = 1;\n");
    const document = await vscode.workspace.openTextDocument(queryFile);
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor(
      'the Run lens',
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (found) => (found ?? []).some((lens) => lens.command?.title.includes('Run')),
    );
    const run = lenses.find((lens) => lens.command?.title.includes('Run'))!;
    const [args] = (run.command!.arguments ?? []) as [Record<string, unknown>];
    const hostile = { ...args, confirmedWrite: true, allowLive: true };
    // The test workbench refuses modal dialogs with an error naming them: the confirmation was asked for.
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand<RunStatementResult>(run.command!.command, hostile)), /refused to show dialog.*Write to sql-write\.db\?/s);
    assert.equal(sqlite(database, 'SELECT name FROM users WHERE id = 1'), before, 'the database is unchanged');
  });
});
