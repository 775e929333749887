// SyncLens in an untrusted workspace (Restricted Mode) in the real VS Code: it activates, the grid
// opens and says why it only reads, every write path refuses and leaves the file byte-identical, the
// Sync Queue shows the local queue, and every remote action says Restricted Mode without contacting
// the synclens.json target or starting a process (the emulator).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunStatementResult } from '../../../core/protocol/languageServer';
import { api, copyOfSample, folderWithTarget, waitFor, workspaceFolder } from '../suite/helpers';

const restrictedNotice = /Restricted Mode/;

/**
 * The processes below the extension host that SyncLens could have started (pid and command line,
 * from /proc): the emulator is java running the Firestore jar; SyncLens's own run from its dist/.
 * VS Code starts short-lived commands there too (port detection lists /proc/<pid>/fd): not counted.
 */
function descendantProcesses(): string[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while listing
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: string[] = [];
  const pending = [...(children.get(process.pid) ?? [])];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    let commandLine = '';
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (/java|firestore|emulator|dist\//i.test(commandLine)) found.push(`${pid} ${commandLine}`);
    pending.push(...(children.get(pid) ?? []));
  }
  return found.sort();
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
    assert.match(String(declared?.description), /Firestore is never contacted and the Firestore emulator is not started/);
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

  it('a .sql binding to a database outside the workspace is refused on its first line', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'synclens-outside-'));
    const sqlFile = join(workspaceFolder(), 'queries', 'restricted-outside.sql');
    try {
      const otherDb = copyOfSample(join(outside, 'other.db'));
      writeFileSync(sqlFile, `-- synclens: db=${otherDb}\nSELECT nope FROM users;\n`);
      const document = await vscode.workspace.openTextDocument(sqlFile);
      await vscode.window.showTextDocument(document);
      const diagnostics = await waitFor(
        'the binding refused (the extension told the server the workspace is untrusted)',
        () => vscode.languages.getDiagnostics(document.uri),
        (found) => found.length > 0,
      );
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.code]),
        [[0, 'restricted']],
        'one error on the binding line, and SQLite never saw the statement',
      );
      assert.match(diagnostics[0].message, /other\.db is not read: it is outside .* trusted/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(sqlFile, { force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  describe('remote actions with no emulator running', () => {
    // Stands where synclens.json says the emulator is, speaks no Firestore and records every
    // connection: had SyncLens tried to reach its target, an attempt would show here.
    const attempts: string[] = [];
    let listener: Server;
    let path: string;
    let uri: vscode.Uri;
    let processesBefore: string[];

    before(async function () {
      if (!existsSync('/proc/self/stat')) {
        console.warn('!!! RESTRICTED REMOTE ACTIONS SKIPPED: no /proc to list the processes SyncLens starts');
        this.skip();
      }
      listener = createServer((socket) => {
        attempts.push(`${socket.remoteAddress}:${socket.remotePort}`);
        socket.destroy();
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const folder = folderWithTarget(join(workspaceFolder(), 'restricted-sync'), { host: '127.0.0.1', port: (listener.address() as AddressInfo).port }, 'demo-synclens-restricted');
      path = copyOfSample(join(folder, 'app.db'));
      uri = vscode.Uri.file(path);
    });

    after(async () => {
      await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
    });

    it('the Sync Queue still shows the local queue analysis, with the Restricted Mode notice', async () => {
      const synclens = await api();
      await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
      const panel = await waitFor('the local queue in the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => (shown?.rows.length ?? 0) > 0);
      assert.match(panel!.totals, /^\d+ ops/);
      // Every action that would contact Firestore is off; Refresh (local) is not.
      for (const action of ['Plan', 'Replay All', 'Step', 'Pull', 'Compare']) assert.ok(panel!.disabledActions.includes(action), `${action} is disabled: ${panel!.disabledActions.join(', ')}`);
      assert.ok(!panel!.disabledActions.includes('Refresh'));
      // From here on, the queue's worker thread and the language server are running: any process
      // that appears below the extension host later was started by a remote action.
      processesBefore = descendantProcesses();
    });

    const actions = [
      { command: 'synclens.planReplay', purpose: 'plan against Firestore' },
      { command: 'synclens.replayAll', purpose: 'replay the queue to Firestore' },
      { command: 'synclens.replayStep', purpose: 'replay the next operation to Firestore' },
      { command: 'synclens.replaySelected', purpose: 'replay the selected operations to Firestore' },
      { command: 'synclens.pullRemoteChanges', purpose: 'pull remote changes from Firestore' },
      { command: 'synclens.compareWithRemote', purpose: 'compare with Firestore' },
    ];
    for (const { command, purpose } of actions) {
      it(`${command} says Restricted Mode (not a connection error), contacts nothing and starts no process`, async () => {
        const before = snapshot(path);
        const synclens = await api();
        await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
        // confirmed: true skips the modal a user would answer; trust is checked before anything else.
        const result = await vscode.commands.executeCommand(command, { uri, confirmed: true, opIds: [1] });
        assert.equal(result, undefined, 'nothing ran');
        // Each action names its own purpose, so an earlier action's refusal cannot pass for this one's.
        const refusal = new RegExp(`^Restricted Mode: trust this workspace to ${purpose}\\.`);
        const panel = await waitFor('the refusal in the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => refusal.test(shown?.error.trim() ?? ''));
        assert.doesNotMatch(panel!.error, /unreachable|connect(ion)? (error|failed)/i);
        assert.deepEqual(attempts, [], 'nothing connected to the synclens.json target');
        assert.deepEqual(descendantProcesses(), processesBefore, 'no process was started');
        assertUntouched(path, before);
      });
    }

    it('Show Conflicts says Restricted Mode in the Conflicts panel and contacts nothing', async () => {
      const synclens = await api();
      await vscode.commands.executeCommand('synclens.showConflicts', uri);
      const panel = await waitFor('the refusal in the Conflicts panel', async () => (await synclens.inspectConflicts(path)) ?? null, (shown) => /trust this workspace to read conflicts/.test(shown?.status ?? ''));
      assert.doesNotMatch(panel!.status, /unreachable/i);
      assert.deepEqual(attempts, []);
      assert.deepEqual(descendantProcesses(), processesBefore, 'no process was started');
    });

    it('Start Firestore Emulator and Connect to Firestore refuse without starting a process or asking anything', async () => {
      const started = await vscode.commands.executeCommand('synclens.startFirestoreEmulator');
      assert.equal(started, undefined, 'no emulator target');
      // Trusted, Connect asks where to connect (a quick pick that never returns here); refused, it returns at once.
      const connected = await vscode.commands.executeCommand('synclens.connectFirestore', uri);
      assert.equal(connected, undefined, 'no target chosen');
      assert.deepEqual(attempts, []);
      assert.deepEqual(descendantProcesses(), processesBefore, 'no emulator (or any process) was started');
    });
  });
});
