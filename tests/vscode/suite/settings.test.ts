// The settings package.json contributes, each proven by what it changes in the real VS Code:
// the grid's page size, auto-refresh on a file change, the default conflict policy and which
// writes ask first. Each test sets the user setting, watches the behaviour, then resets it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../../core/firestore/client';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import type { ConflictItem, PlanSnapshot, ReplayReport } from '../../../core/protocol/syncModel';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../../scripts/firestore-emulator';
import { api, copyOfSample, folderWithTarget, waitFor, workspaceFolder } from './helpers';

const settingNames = ['grid.pageSize', 'autoRefresh', 'conflicts.defaultPolicy', 'confirmWrites'];

function sqlite(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', [dbPath, sql], { encoding: 'utf8' }).trim();
}

async function setSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('synclens').update(name, value, vscode.ConfigurationTarget.Global);
}

async function resetSettings(): Promise<void> {
  for (const name of settingNames) await setSetting(name, undefined);
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('SyncLens settings', function () {
  this.timeout(120_000);
  const folder = join(workspaceFolder(), 'settings-suite');

  before(() => mkdirSync(folder, { recursive: true }));
  afterEach(async () => {
    await resetSettings();
    await closeEditors();
  });

  /** A one-table database with `rows` rows, large enough that the first page never holds them all. */
  function itemsDatabase(name: string, rows: number): string {
    const path = join(folder, name);
    sqlite(path, `CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO items SELECT i, 'item ' || i FROM n;`);
    return path;
  }

  async function firstPageRows(path: string): Promise<number> {
    const synclens = await api();
    await vscode.commands.executeCommand('synclens.openDatabase', vscode.Uri.file(path));
    const grid = await waitFor(
      `the first page of ${path}`,
      async () => (await synclens.inspectEditor(path)) ?? null,
      (shown) => shown !== null && shown.status === 'ready' && shown.table === 'items' && shown.loadedRows > 0,
    );
    return grid!.loadedRows;
  }

  it('synclens.grid.pageSize: the grid reads pages of that many rows', async () => {
    assert.equal(await firstPageRows(itemsDatabase('default-pages.db', 3000)), 200, 'the default page is 200 rows');
    await setSetting('grid.pageSize', 1000);
    assert.equal(await firstPageRows(itemsDatabase('large-pages.db', 3000)), 1000, 'a 1000-row page once set');
  });

  it('synclens.autoRefresh off: a change on disk is announced, not loaded, until Refresh or turning it back on', async () => {
    const synclens = await api();
    await setSetting('autoRefresh', false);
    const path = copyOfSample(join(folder, 'no-auto-refresh.db'));
    await vscode.commands.executeCommand('synclens.openDatabase', vscode.Uri.file(path));
    const loaded = await waitFor('the database to load', () => synclens.databaseState(path), (state) => state?.status === 'ready');
    const revision = loaded!.revision!;

    sqlite(path, "UPDATE users SET name = 'Changed on disk' WHERE id = 1");
    await waitFor('the change to be noticed', () => synclens.databaseState(path), (state) => state?.changedOnDisk === true);
    assert.equal(synclens.databaseState(path)?.revision, revision, 'not reloaded by itself');
    await waitFor('the grid notice', async () => (await synclens.inspectEditor(path))?.notice ?? '', (notice) => /changed on disk/.test(notice));

    await vscode.commands.executeCommand('synclens.refresh', vscode.Uri.file(path));
    await waitFor('Refresh to reload', () => synclens.databaseState(path), (state) => (state?.revision ?? 0) > revision && state?.changedOnDisk === false);
    const refreshed = synclens.databaseState(path)!.revision!;

    sqlite(path, "UPDATE users SET name = 'Changed again' WHERE id = 1");
    await waitFor('the second change to be noticed', () => synclens.databaseState(path), (state) => state?.changedOnDisk === true);
    await setSetting('autoRefresh', true);
    await waitFor('turning auto-refresh on to catch up', () => synclens.databaseState(path), (state) => (state?.revision ?? 0) > refreshed && state?.changedOnDisk === false);

    // On (the default): the next change reloads by itself.
    const current = synclens.databaseState(path)!.revision!;
    sqlite(path, "UPDATE users SET name = 'Changed once more' WHERE id = 1");
    await waitFor('an automatic reload', () => synclens.databaseState(path), (state) => (state?.revision ?? 0) > current);
  });

  it('synclens.confirmWrites: "always" asks before a .sql write, realProjectsOnly runs it without a dialog', async () => {
    const database = copyOfSample(join(folder, 'sql-write.db'));
    const queryFile = join(folder, 'write.sql');
    writeFileSync(queryFile, "-- synclens: db=sql-write.db\nUPDATE users SET name = 'Written without asking' WHERE id = 1;\n");
    const document = await vscode.workspace.openTextDocument(queryFile);
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor(
      'the Run lens',
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (found) => (found ?? []).some((lens) => lens.command?.title.includes('Run')),
    );
    const run = lenses.find((lens) => lens.command?.title.includes('Run'))!;
    const runLens = () => vscode.commands.executeCommand<RunStatementResult>(run.command!.command, ...(run.command!.arguments ?? []));
    // The test workbench refuses modal dialogs with an error naming them: proof the default asks.
    await assert.rejects(Promise.resolve(runLens()), /refused to show dialog.*Write to sql-write\.db\?/s);
    assert.notEqual(sqlite(database, 'SELECT name FROM users WHERE id = 1'), 'Written without asking', 'nothing written unasked');

    await setSetting('confirmWrites', 'realProjectsOnly');
    const result = await runLens();
    assert.equal(result.kind, 'written', JSON.stringify(result));
    assert.equal(sqlite(database, 'SELECT name FROM users WHERE id = 1'), 'Written without asking');
  });

  describe('against the Firestore emulator', function () {
    const projectId = 'demo-synclens-settings';
    let emulator: RunningEmulator | undefined;
    let target: FirestoreTarget;
    let syncFolder: string;

    before(async function () {
      const unavailable = emulatorUnavailableReason();
      if (unavailable) {
        console.warn(`!!! SETTINGS SYNC TESTS SKIPPED: Firestore emulator unavailable: ${unavailable}`);
        this.skip();
      }
      emulator = await startFirestoreEmulator({ projectId, unref: true });
      target = { kind: 'emulator', host: emulator.host, port: emulator.port, projectId };
      // Its synclens.json names no conflict policy, so the setting decides.
      syncFolder = folderWithTarget(join(folder, 'sync'), emulator, projectId, { maxRetries: 5 });
    });

    after(async () => {
      await emulator?.stop();
    });

    async function seededCopy(name: string): Promise<vscode.Uri> {
      const path = copyOfSample(join(syncFolder, name));
      await emulator!.wipe();
      await seedEmulator(path, target);
      return vscode.Uri.file(path);
    }

    it('synclens.conflicts.defaultPolicy: plan and conflicts use it where synclens.json names none', async () => {
      const uri = await seededCopy('policy.db');
      const planned = async (): Promise<PlanSnapshot> => (await vscode.commands.executeCommand('synclens.planReplay', uri)) as PlanSnapshot;
      const conflictPolicies = (plan: PlanSnapshot): string[] => [...new Set(plan.rows.filter((row) => row.classification === 'conflict').map((row) => String(row.policy)))];

      assert.deepEqual(conflictPolicies(await planned()), ['lastWriteWins'], 'unset: the reference resolver');
      await setSetting('conflicts.defaultPolicy', 'manual');
      assert.deepEqual(conflictPolicies(await planned()), ['manual']);
      const held = (await vscode.commands.executeCommand('synclens.showConflicts', uri)) as ConflictItem[];
      assert.ok(held.length > 0, 'the seeded sample has conflicts');
      assert.deepEqual([...new Set(held.map((item) => `${item.policy} -> ${item.policyOutcome}`))], ['manual -> held']);

      await setSetting('conflicts.defaultPolicy', 'remoteWins');
      const remote = (await vscode.commands.executeCommand('synclens.showConflicts', uri)) as ConflictItem[];
      assert.deepEqual([...new Set(remote.map((item) => `${item.policy} -> ${item.policyOutcome}`))], ['remoteWins -> remote']);
    });

    it('synclens.confirmWrites: "always" asks before a replay to the emulator, realProjectsOnly runs it without a dialog', async () => {
      const uri = await seededCopy('no-confirm.db');
      const before = Number(sqlite(uri.fsPath, 'SELECT count(*) FROM sync_operations'));
      // No `confirmed: true`. The test workbench refuses the modal dialog, so the default ends in no replay.
      assert.equal(await vscode.commands.executeCommand('synclens.replayStep', { uri }), undefined, 'the default asked first');
      assert.equal(Number(sqlite(uri.fsPath, 'SELECT count(*) FROM sync_operations')), before, 'nothing replayed unasked');

      await setSetting('confirmWrites', 'realProjectsOnly');
      const report = (await vscode.commands.executeCommand('synclens.replayStep', { uri })) as ReplayReport | undefined;
      assert.ok(report, 'the replay ran');
      assert.equal(report.results.length, 1);
      assert.equal(Number(sqlite(uri.fsPath, 'SELECT count(*) FROM sync_operations')), before - 1, 'the replayed op left the file');
      assert.ok(report.backupPath, 'the file was backed up first');
    });
  });
});
