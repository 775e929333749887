// SyncLens in an untrusted workspace (Restricted Mode) in the real VS Code: it activates, the grid
// opens and says why it only reads, and every write path refuses and leaves the file byte-identical.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../../scripts/firestore-emulator';
import { api, waitFor } from '../suite/helpers';

const restrictedNotice = /Restricted Mode/;

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the tests run with a copy of the sample workspace open');
  return folder;
}

/** The file's bytes and the names beside it: a write (or its backup) would change one of them. */
function snapshot(path: string): { bytes: Buffer; siblings: string[] } {
  const folder = join(path, '..');
  return { bytes: readFileSync(path), siblings: readdirSync(folder).sort() };
}

function assertUntouched(path: string, before: { bytes: Buffer; siblings: string[] }): void {
  const after = snapshot(path);
  assert.ok(after.bytes.equals(before.bytes), `${path} changed in Restricted Mode`);
  assert.deepEqual(after.siblings, before.siblings, 'no backup or new file appeared beside the database');
}

describe('Restricted Mode', function () {
  this.timeout(180_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs in an untrusted workspace and SyncLens activates there', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace should be untrusted (trust enabled, never granted)');
    const synclens = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'synclens');
    assert.ok(synclens, 'SyncLens is loaded');
    // Declared "limited": VS Code runs it in Restricted Mode instead of disabling it.
    const declared = (synclens.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } }).capabilities
      ?.untrustedWorkspaces;
    assert.equal(declared?.supported, 'limited');
    assert.match(String(declared?.description), /only reads/);
    await api();
    assert.equal(synclens.isActive, true);
  });

  it('opens app.db in the grid and shows why it only reads', async () => {
    const path = join(workspaceFolder(), 'app.db');
    const before = snapshot(path);
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    const grid = await waitFor(
      'the grid with rows and its notice',
      async () => (await synclens.inspectEditor(path)) ?? null,
      (shown) => shown !== null && shown.status === 'ready' && shown.rows.length > 0,
    );
    assert.match(grid!.notice, restrictedNotice);
    assert.match(grid!.notice, /only reads/);
    assertUntouched(path, before);
  });

  it('a write statement from a .sql file is refused, not written', async () => {
    const folder = workspaceFolder();
    const path = join(folder, 'app.db');
    const sqlFile = join(folder, 'queries', 'restricted-write.sql');
    writeFileSync(sqlFile, `-- synclens: db=../app.db\nUPDATE "users" SET "name" = 'changed in Restricted Mode';\n`);
    const before = snapshot(path);
    try {
      const document = await vscode.workspace.openTextDocument(sqlFile);
      await vscode.window.showTextDocument(document);
      const lenses = await waitFor(
        'the Run code lens',
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
        (found) => (found ?? []).some((lens) => lens.command?.title.includes('Run')),
      );
      const run = lenses.find((lens) => lens.command?.title.includes('Run'))!;
      const result = await vscode.commands.executeCommand<RunStatementResult>(run.command!.command, ...(run.command!.arguments ?? []));
      // Stops at the confirmation step: in Restricted Mode the write is never confirmed or sent.
      assert.equal(result.kind, 'needs-confirmation', JSON.stringify(result));
      assertUntouched(path, before);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(sqlFile, { force: true });
    }
  });

  describe('against the Firestore emulator', () => {
    let emulator: RunningEmulator | undefined;
    let folder: string;

    before(async function () {
      const unavailable = emulatorUnavailableReason();
      if (unavailable) {
        console.warn(`!!! RESTRICTED REPLAY SKIPPED: Firestore emulator unavailable: ${unavailable}`);
        this.skip();
      }
      const projectId = 'demo-synclens-restricted';
      emulator = await startFirestoreEmulator({ projectId, unref: true });
      folder = join(workspaceFolder(), 'restricted-sync');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'synclens.json'), JSON.stringify({ databases: ['*.db'], firestore: { emulator: { host: emulator.host, port: emulator.port }, projectId } }));
    });

    after(async () => {
      await emulator?.stop();
    });

    it('Replay All refuses with the Restricted Mode message and leaves the file byte-identical', async () => {
      const path = join(folder, 'app.db');
      copyFileSync(join(workspaceFolder(), 'app.db'), path);
      const before = snapshot(path);
      const synclens = await api();
      const uri = vscode.Uri.file(path);
      await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
      // confirmed: true skips the modal a user would answer; trust is checked before it regardless.
      const report = await vscode.commands.executeCommand('synclens.replayAll', { uri, confirmed: true });
      assert.equal(report, undefined, 'nothing was replayed');
      const panel = await waitFor('the refusal in the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => restrictedNotice.test(shown?.error ?? ''));
      assert.match(panel!.error, /does not write or send anything until you trust this workspace/);
      assertUntouched(path, before);
    });
  });
});
