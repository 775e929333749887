// Brings the engine to the user: opens the Sync Queue and Conflicts panels, runs plan / replay /
// pull / resolve / compare in the sync worker with progress and cancel, confirms every write
// (naming the target and the backup), and refreshes the grid, tree and status bar afterwards.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { loadConfigFor } from '../../core/config/config';
import { describeTarget, type FirestoreTarget } from '../../core/firestore/client';
import { previewPolicy } from '../../core/engine/policyPreview';
import type { ConflictPolicyName } from '../../core/engine/types';
import { RpcError } from '../../core/protocol/rpc';
import type { CompareReport, ConflictItem, ConflictResolution, PlanSnapshot, PullReport, ReplayMode, ReplayReport, ResolutionReport } from '../../core/protocol/syncModel';
import { SyncWorkerProtocol, type EngineParams } from './workerProtocol';
import { ConflictsProtocol, SyncQueueProtocol, type SyncAction, type SyncPanelStatus, type SyncTab } from '../../core/protocol/syncViews';
import type { DatabaseEditorProvider } from '../databaseEditor';
import type { DatabaseRegistry } from '../databases';
import { DatabaseWorkerClient } from '../databaseWorkerClient';
import { DisposableBase } from '../dispose';
import { log } from '../log';
import { defaultConflictPolicy, writeConfirmationLevel } from '../settings';
import { writeNeedsConfirmation } from '../writeConfirmation';
import { findWorkspaceDatabases } from '../workspaceDatabases';
import { FirestoreConnection, requireTrust, RestrictedModeError, summarizeTarget } from './connection';
import { ConflictsPanel, SyncQueuePanel } from './panels';

/** Arguments the sync commands accept besides a tree node or a Uri (tests and scripts pass them). */
export interface SyncCommandArgs {
  uri?: vscode.Uri;
  opIds?: number[];
  /** Skip the confirmation dialogs (the caller already asked). */
  confirmed?: boolean;
  allowLive?: boolean;
  force?: boolean;
  batchSize?: number;
  policy?: ConflictPolicyName;
  keys?: string[];
  resolution?: ConflictResolution;
  /** Cancel the replay after this many results (tests of cancel). */
  cancelAfter?: number;
}

export function isSyncArgs(value: unknown): value is SyncCommandArgs {
  return typeof value === 'object' && value !== null && !('kind' in value) && !(value instanceof vscode.Uri);
}

class UserCancelled extends Error {}

export class SyncController extends DisposableBase {
  readonly worker: DatabaseWorkerClient;
  readonly connection: FirestoreConnection;
  private readonly queuePanels = new Map<string, SyncQueuePanel>();
  private readonly conflictPanels = new Map<string, ConflictsPanel>();
  private readonly conflictCounts = new Map<string, number>();
  private readonly onDidChangeCountsEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCounts = this.onDidChangeCountsEmitter.event;
  private lastPanelPath: string | null = null;
  private nextRunId = 1;
  private emulator: { stop(): Promise<void>; port: number } | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    secrets: vscode.SecretStorage,
    private readonly registry: DatabaseRegistry,
    private readonly editors: DatabaseEditorProvider,
  ) {
    super();
    this.worker = this.register(new DatabaseWorkerClient(vscode.Uri.joinPath(extensionUri, 'dist', 'syncWorker.js').fsPath));
    this.connection = this.register(new FirestoreConnection(secrets, this.worker));
    this.register(this.connection.onDidChange(() => this.pushConnection()));
    this.register({ dispose: () => void this.emulator?.stop() });
    this.register(
      registry.onDidChange((database) => {
        if (database && database.state.status === 'ready' && this.queuePanels.has(database.path)) void this.reloadQueue(database.path);
      }),
    );
    this.register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        const refusal = (error: string | null): string | null => (error?.startsWith('Restricted Mode') ? null : error);
        for (const panel of this.queuePanels.values()) panel.updateStatus({ readOnlyReason: null, error: refusal(panel.status.error) });
        for (const panel of this.conflictPanels.values()) panel.updateState({ readOnlyReason: null, error: refusal(panel.state.error) });
      }),
    );
  }

  conflictCountFor(path: string): number | undefined {
    return this.conflictCounts.get(path);
  }

  // ---- targets and databases ------------------------------------------------------------------

  /** The database a command is about: its argument, the focused editor or panel, or a pick. */
  async databaseFor(arg: unknown): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'object' && arg !== null && 'uri' in arg && arg.uri instanceof vscode.Uri) return arg.uri;
    const active = this.editors.activeDatabase?.uri;
    if (active) return active;
    if (this.lastPanelPath) return vscode.Uri.file(this.lastPanelPath);
    const known = new Map<string, vscode.Uri>();
    for (const database of this.registry.all()) known.set(database.path, database.uri);
    for (const uri of await findWorkspaceDatabases()) known.set(uri.fsPath, uri);
    const uris = [...known.values()];
    if (uris.length === 1) return uris[0];
    const picked = await vscode.window.showQuickPick(
      uris.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
      { title: 'SyncLens', placeHolder: 'Which database?' },
    );
    return picked?.uri;
  }

  /** Trust first: in Restricted Mode neither synclens.json's target nor a Connect prompt is used. */
  private async requireTarget(path: string, purpose: string): Promise<FirestoreTarget> {
    requireTrust(purpose);
    let target = await this.connection.targetFor(path);
    if (!target) {
      const choice = await vscode.window.showWarningMessage(
        `No Firestore target for ${basename(path)}: add "firestore" to synclens.json or connect now.`,
        'Connect to Firestore...',
      );
      if (choice) target = (await this.connect(path)) ?? null;
      if (!target) throw new UserCancelled();
    }
    await this.connection.ensureReachable(target);
    return target;
  }

  async connect(defaultsFrom?: string): Promise<FirestoreTarget | undefined> {
    requireTrust('connect to Firestore');
    const target = await this.connection.pickTarget(defaultsFrom);
    if (!target) return undefined;
    this.connection.use(target);
    try {
      await this.connection.ensureReachable(target, true);
      vscode.window.setStatusBarMessage(`SyncLens: connected to ${describeTarget(target)}`, 4000);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
    return target;
  }

  /** "Start Firestore Emulator": the jar found on this machine, on the synclens.json port when free. */
  async startEmulator(defaultsFrom?: string): Promise<FirestoreTarget | undefined> {
    requireTrust('start the Firestore emulator');
    const emulatorModule = await import('../../scripts/firestore-emulator');
    const jar = emulatorModule.findEmulatorJar();
    if (!jar) {
      void vscode.window.showErrorMessage(`SyncLens cannot start the Firestore emulator: ${emulatorModule.emulatorUnavailableReason() ?? 'its jar was not found'}.`);
      return undefined;
    }
    const config = defaultsFrom ? (loadConfigFor(defaultsFrom)?.config ?? null) : null;
    const projectId = config?.firestore?.projectId ?? 'demo-synclens';
    if (this.emulator) await this.emulator.stop();
    const running = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the Firestore emulator...' }, () =>
      emulatorModule.startFirestoreEmulator({ projectId, unref: true }),
    );
    this.emulator = running;
    const target: FirestoreTarget = { kind: 'emulator', host: running.host, port: running.port, projectId };
    this.connection.use(target);
    await this.connection.ensureReachable(target, true).catch(() => undefined);
    log().info(`Firestore emulator started on ${running.host}:${running.port} (pid ${running.pid})`);
    void vscode.window.showInformationMessage(`Firestore emulator running on ${running.host}:${running.port} (project ${projectId}); SyncLens uses it until VS Code closes.`);
    return target;
  }

  // ---- the Sync Queue panel --------------------------------------------------------------------

  private initialStatus(path: string): SyncPanelStatus {
    const target = this.connection.current;
    return {
      fileName: basename(path),
      target: target ? summarizeTarget(target) : null,
      connection: this.connection.describe(),
      busy: null,
      error: null,
      plan: null,
      replay: null,
      pull: null,
      compare: null,
      readOnlyReason: vscode.workspace.isTrusted
        ? null
        : 'Restricted Mode: SyncLens shows the local queue only. Trust this workspace to plan, replay, pull or compare with Firestore.',
    };
  }

  private pushConnection(): void {
    const target = this.connection.current;
    for (const panel of this.queuePanels.values()) {
      panel.updateStatus({ connection: this.connection.describe(), ...(target ? { target: summarizeTarget(target) } : {}) });
    }
  }

  queuePanel(path: string): SyncQueuePanel {
    let panel = this.queuePanels.get(path);
    if (panel) return panel;
    const created = new SyncQueuePanel(path, basename(path), this.extensionUri, this.initialStatus(path));
    panel = created;
    this.queuePanels.set(path, created);
    this.handleQueueRequests(created);
    created.onDidDispose(() => {
      this.queuePanels.delete(path);
      if (this.lastPanelPath === path) this.lastPanelPath = null;
    });
    created.panel.onDidChangeViewState(() => {
      if (created.panel.active) this.lastPanelPath = path;
    });
    this.lastPanelPath = path;
    void this.reloadQueue(path);
    void this.connection.targetFor(path).then(
      (target) => target && created.updateStatus({ target: summarizeTarget(target) }),
      () => undefined,
    );
    return created;
  }

  private handleQueueRequests(panel: SyncQueuePanel): void {
    const { endpoint, path } = panel;
    endpoint.onRequest(SyncQueueProtocol.operationDetail, ({ opId }) => this.worker.endpoint.sendRequest(SyncWorkerProtocol.operationDetail, { path, opId }));
    endpoint.onRequest(SyncQueueProtocol.openTable, async ({ table }) => this.editors.open(vscode.Uri.file(path), table));
    endpoint.onRequest(SyncQueueProtocol.run, async ({ action, opIds }) => {
      await this.runAction(action, vscode.Uri.file(path), { opIds: [...opIds] });
    });
  }

  async runAction(action: SyncAction, uri: vscode.Uri, args: SyncCommandArgs = {}): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      switch (action) {
        case 'refresh':
          return this.reloadQueue(uri.fsPath);
        case 'plan':
          return this.plan(uri, args);
        case 'replayAll':
          return this.replay(uri, 'all', args);
        case 'replaySelected':
          return this.replay(uri, 'selected', args);
        case 'replayStep':
          return this.replay(uri, 'step', args);
        case 'cancelReplay':
          return this.cancelRunning();
        case 'pull':
          return this.pull(uri, args);
        case 'compare':
          return this.compare(uri);
        case 'showConflicts':
          return this.showConflicts(uri);
        case 'connect':
          return this.connect(uri.fsPath);
      }
    };
    try {
      return await run();
    } catch (error) {
      this.report(error, uri.fsPath);
      return undefined;
    }
  }

  private report(error: unknown, path: string): void {
    if (error instanceof UserCancelled) return;
    this.queuePanels.get(path)?.updateStatus({ busy: null, error: userMessage(error, basename(path)) });
    this.showError(error, basename(path));
  }

  /** One notification per failed action; a Restricted Mode refusal offers to manage trust instead. */
  showError(error: unknown, fileName = ''): void {
    if (error instanceof UserCancelled) return;
    const message = userMessage(error, fileName);
    if (error instanceof RestrictedModeError) {
      log().info(message);
      void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      return;
    }
    log().error(message);
    void vscode.window.showErrorMessage(message);
  }

  async showQueue(uri: vscode.Uri, tab: SyncTab = 'queue'): Promise<SyncQueuePanel> {
    const panel = this.queuePanel(uri.fsPath);
    await panel.showTab(tab);
    return panel;
  }

  async reloadQueue(path: string): Promise<void> {
    const panel = this.queuePanels.get(path);
    if (!panel) return;
    try {
      const queue = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path });
      panel.setQueue(queue);
    } catch (error) {
      panel.setQueue({ error: userMessage(error, basename(path)) });
    }
  }

  // ---- plan, replay, pull, compare ---------------------------------------------------------------

  async plan(uri: vscode.Uri, args: SyncCommandArgs = {}): Promise<PlanSnapshot | undefined> {
    const path = uri.fsPath;
    const panel = this.queuePanel(path);
    const target = await this.requireTarget(path, 'plan against Firestore');
    panel.updateStatus({ busy: `Planning against ${summarizeTarget(target).label}...`, error: null });
    try {
      const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SyncLens: planning' }, () =>
        this.worker.endpoint.sendRequest(SyncWorkerProtocol.plan, { ...engineParams(path, target), only: args.opIds?.length ? args.opIds : null, force: args.force ?? false }),
      );
      panel.updateStatus({ busy: null, plan });
      this.setConflictCount(path, new Set(plan.rows.filter((row) => row.classification === 'conflict').map((row) => `${row.collection}/${row.entityId}`)).size);
      await panel.showTab('plan');
      return plan;
    } finally {
      if (panel.status.busy) panel.updateStatus({ busy: null });
    }
  }

  private running: { runId: number } | null = null;

  private cancelRunning(): void {
    if (this.running) this.worker.endpoint.sendNotification(SyncWorkerProtocol.cancelReplay, { runId: this.running.runId });
  }

  /** Asks before anything is written; a real project needs its id typed. Returns allowLive. */
  private async confirmWrite(path: string, target: FirestoreTarget, action: string, args: SyncCommandArgs): Promise<boolean> {
    const live = ['-wal', '-journal'].filter((suffix) => existsSync(`${path}${suffix}`));
    if (args.confirmed) return args.allowLive ?? false;
    const fileName = basename(path);
    if (!writeNeedsConfirmation(writeConfirmationLevel(), { remote: target.kind, live: live.length > 0 })) {
      log().info(`${action} for ${fileName} against ${describeTarget(target)}: not asked first (synclens.confirmWrites is realProjectsOnly)`);
      return false;
    }
    const detail =
      `Target: ${describeTarget(target)}.\n\n` +
      `Afterwards ${fileName} is rewritten (queue drained, rows updated). The current file is first copied to a timestamped backup beside it (the last 5 are kept).` +
      (live.length > 0 ? `\n\n${fileName}${live.join(' and ')} exists: the app may be running. Writing now moves it aside.` : '');
    const confirmLabel = live.length > 0 ? `${action} (app may be running)` : action;
    const answer = await vscode.window.showWarningMessage(`${action} for ${fileName}?`, { modal: true, detail }, confirmLabel);
    if (answer !== confirmLabel) throw new UserCancelled();
    if (target.kind === 'project') {
      const projectId = target.webConfig.projectId;
      const typed = await vscode.window.showInputBox({
        title: `${action} against a real Firebase project`,
        prompt: `This writes to the live project ${projectId}. Type its id to confirm.`,
        validateInput: (text) => (text === projectId ? null : `Type ${projectId}`),
      });
      if (typed !== projectId) throw new UserCancelled();
    }
    return live.length > 0;
  }

  async replay(uri: vscode.Uri, mode: ReplayMode, args: SyncCommandArgs = {}): Promise<ReplayReport | undefined> {
    const purpose = mode === 'all' ? 'replay the queue to Firestore' : mode === 'step' ? 'replay the next operation to Firestore' : 'replay the selected operations to Firestore';
    requireTrust(purpose);
    const path = uri.fsPath;
    const panel = this.queuePanel(path);
    const only = mode === 'selected' ? (args.opIds?.length ? args.opIds : [...panel.selection]) : [];
    if (mode === 'selected' && only.length === 0) {
      void vscode.window.showInformationMessage('Select operations in the Sync Queue first (click, Shift/Ctrl-click), then Replay Selected.');
      await panel.showTab('queue');
      return undefined;
    }
    if (this.running) throw new Error('A replay is already running; cancel it or wait for it to finish.');
    const target = await this.requireTarget(path, purpose);
    const what = mode === 'all' ? 'Replay all queued operations' : mode === 'step' ? 'Replay the next operation' : `Replay ${only.length} selected operation(s)`;
    const allowLive = await this.confirmWrite(path, target, what, args);
    const runId = this.nextRunId++;
    this.running = { runId };
    panel.updateStatus({ busy: `Replaying to ${summarizeTarget(target).label}...`, error: null, replay: { mode, running: true, total: 0, report: null } });
    await panel.showTab('log');
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SyncLens: ${what.toLowerCase()}`, cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const cancel = token.onCancellationRequested(() => this.cancelRunning());
          const stopListening = this.worker.endpoint.onNotification(SyncWorkerProtocol.replayResult, (message) => {
            if (message.runId !== runId) return;
            panel.appendResult(message.result, message.settled, message.total);
            const percent = message.total > 0 ? (message.settled / message.total) * 100 : 0;
            progress.report({ message: `${message.settled}/${message.total}`, increment: percent - reported });
            reported = percent;
            if (args.cancelAfter !== undefined && message.settled >= args.cancelAfter) this.cancelRunning();
          });
          try {
            const report = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.replay, {
              runId,
              ...engineParams(path, target),
              mode,
              only,
              force: args.force ?? false,
              allowLive,
              batchSize: args.batchSize,
            });
            panel.updateStatus({ busy: null, replay: { mode, running: false, total: report.results.length, report } });
            this.afterWrite(path, report.backupPath);
            const counts = report.counts;
            const summary = `${counts.applied} applied, ${counts['already-applied']} already applied, ${counts.failed} failed, ${counts.held} held, ${counts.skipped} skipped${report.cancelled ? ' (cancelled)' : ''}`;
            log().info(`replay of ${path}: ${summary}; backup ${report.backupPath ?? 'none (nothing written)'}`);
            vscode.window.setStatusBarMessage(`SyncLens replay: ${summary}`, 8000);
            return report;
          } finally {
            cancel.dispose();
            stopListening();
          }
        },
      );
    } catch (error) {
      panel.updateStatus({ busy: null, replay: { mode, running: false, total: 0, report: null } });
      throw error;
    } finally {
      this.running = null;
    }
  }

  async pull(uri: vscode.Uri, args: SyncCommandArgs = {}): Promise<PullReport | undefined> {
    const path = uri.fsPath;
    const panel = this.queuePanel(path);
    const target = await this.requireTarget(path, 'pull remote changes from Firestore');
    const allowLive = await this.confirmWrite(path, target, 'Pull remote changes', args);
    panel.updateStatus({ busy: `Pulling from ${summarizeTarget(target).label}...`, error: null });
    try {
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SyncLens: pulling remote changes' }, () =>
        this.worker.endpoint.sendRequest(SyncWorkerProtocol.pull, { ...engineParams(path, target), allowLive }),
      );
      panel.updateStatus({ busy: null, pull: report });
      this.afterWrite(path, report.backupPath);
      await panel.showTab('log');
      if (report.conflicts > 0) {
        void vscode.window
          .showWarningMessage(`Pulled ${report.applied} change(s) into ${basename(path)}; ${report.conflicts} became conflicts (local changes not yet sent).`, 'Show Conflicts')
          .then((choice) => choice && this.showConflicts(uri));
      } else {
        vscode.window.setStatusBarMessage(`SyncLens: pulled ${report.applied} change(s) into ${basename(path)}`, 8000);
      }
      return report;
    } finally {
      if (panel.status.busy) panel.updateStatus({ busy: null });
    }
  }

  async compare(uri: vscode.Uri): Promise<CompareReport | undefined> {
    const path = uri.fsPath;
    const panel = this.queuePanel(path);
    const target = await this.requireTarget(path, 'compare with Firestore');
    panel.updateStatus({ busy: 'Comparing with the remote...', error: null });
    try {
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SyncLens: comparing with the remote' }, () =>
        this.worker.endpoint.sendRequest(SyncWorkerProtocol.compare, engineParams(path, target)),
      );
      panel.updateStatus({ busy: null, compare: report });
      await panel.showTab('compare');
      return report;
    } finally {
      if (panel.status.busy) panel.updateStatus({ busy: null });
    }
  }

  private afterWrite(path: string, backupPath: string | null): void {
    if (backupPath) log().info(`${basename(path)} written back; previous file kept as ${backupPath}`);
    void this.registry.get(path)?.load();
    void this.reloadQueue(path);
    const conflicts = this.conflictPanels.get(path);
    if (conflicts) void this.loadConflicts(conflicts);
    else void this.refreshConflictCount(path);
  }

  // ---- conflicts -------------------------------------------------------------------------------

  private setConflictCount(path: string, count: number): void {
    this.conflictCounts.set(path, count);
    this.onDidChangeCountsEmitter.fire();
  }

  private async refreshConflictCount(path: string): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    try {
      const target = await this.connection.targetFor(path);
      if (!target || this.connection.status.kind !== 'connected') return;
      const items = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.listConflicts, engineParams(path, target));
      this.setConflictCount(path, items.length);
    } catch (error) {
      log().warn(`counting conflicts of ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  conflictsPanel(path: string): ConflictsPanel {
    let panel = this.conflictPanels.get(path);
    if (panel) return panel;
    const created = new ConflictsPanel(path, basename(path), this.extensionUri, {
      fileName: basename(path),
      target: null,
      items: null,
      busy: 'Reading conflicts...',
      error: null,
      lastResults: [],
      readOnlyReason: vscode.workspace.isTrusted ? null : 'Restricted Mode: trust this workspace to read and resolve conflicts with Firestore.',
    });
    panel = created;
    this.conflictPanels.set(path, created);
    created.onDidDispose(() => this.conflictPanels.delete(path));
    const { endpoint } = created;
    endpoint.onRequest(ConflictsProtocol.refresh, async () => {
      await this.loadConflicts(created);
    });
    endpoint.onRequest(ConflictsProtocol.previewPolicy, ({ policy }) => previewPolicy(created.state.items ?? [], policy));
    endpoint.onRequest(ConflictsProtocol.resolve, async ({ keys, resolution }) => {
      try {
        return (await this.resolve(vscode.Uri.file(path), [...keys], resolution, {})) ?? null;
      } catch (error) {
        this.reportConflictError(created, error);
        return null;
      }
    });
    return created;
  }

  private reportConflictError(panel: ConflictsPanel, error: unknown): void {
    if (error instanceof UserCancelled) {
      panel.updateState({ busy: null });
      return;
    }
    panel.updateState({ busy: null, error: userMessage(error, basename(panel.path)) });
    this.showError(error, basename(panel.path));
  }

  private async loadConflicts(panel: ConflictsPanel): Promise<ConflictItem[] | undefined> {
    const path = panel.path;
    panel.updateState({ busy: 'Reading conflicts...', error: null });
    try {
      const target = await this.requireTarget(path, 'read conflicts from Firestore');
      const items = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.listConflicts, engineParams(path, target));
      panel.updateState({ items, busy: null, target: summarizeTarget(target) });
      this.setConflictCount(path, items.length);
      return items;
    } catch (error) {
      this.reportConflictError(panel, error);
      return undefined;
    }
  }

  async showConflicts(uri: vscode.Uri, preview: ConflictPolicyName | null = null): Promise<ConflictItem[] | undefined> {
    const panel = this.conflictsPanel(uri.fsPath);
    await panel.focus(null, null);
    const items = await this.loadConflicts(panel);
    if (preview) await panel.focus(null, preview);
    return items;
  }

  async resolve(uri: vscode.Uri, keys: string[], resolution: ConflictResolution, args: SyncCommandArgs): Promise<ResolutionReport | undefined> {
    const path = uri.fsPath;
    const panel = this.conflictsPanel(path);
    const target = await this.requireTarget(path, 'resolve conflicts with Firestore');
    const what = resolution.kind === 'as-policy' ? `Resolve ${keys.length} conflict(s) by ${resolution.policy}` : `Resolve ${keys.length === 1 ? keys[0] : `${keys.length} conflicts`} by ${resolution.kind}`;
    const allowLive = await this.confirmWrite(path, target, what, args);
    panel.updateState({ busy: `${what}...`, error: null });
    const report = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.resolve, { ...engineParams(path, target), keys, resolution, allowLive });
    panel.updateState({ busy: null, lastResults: report.results.map((result) => `${result.ok ? '✓' : '✗'} ${result.message}`) });
    this.afterWrite(path, report.backupPath);
    return report;
  }

  async resolveAllByPolicy(uri: vscode.Uri, args: SyncCommandArgs): Promise<ResolutionReport | undefined> {
    const items = await this.showConflicts(uri);
    if (!items) return undefined;
    if (items.length === 0) {
      void vscode.window.showInformationMessage(`${basename(uri.fsPath)} has no conflicts with the remote.`);
      return undefined;
    }
    const policy =
      args.policy ??
      (
        await vscode.window.showQuickPick(
          (['lastWriteWins', 'localWins', 'remoteWins', 'manual'] as const).map((name) => ({ label: name, policy: name })),
          { title: 'Resolve All by Policy', placeHolder: 'Pick a policy to preview (nothing is written yet)' },
        )
      )?.policy;
    if (!policy) return undefined;
    await this.conflictsPanel(uri.fsPath).focus(null, policy);
    // The panel shows the "what if" preview; applying it is the panel's button (or a confirmed call).
    if (!args.confirmed) return undefined;
    return this.resolve(uri, items.map((item) => item.key), { kind: 'as-policy', policy }, args);
  }

  // ---- test hooks ------------------------------------------------------------------------------

  inspectQueue(path: string) {
    return this.queuePanels.get(path)?.inspect();
  }

  inspectConflicts(path: string) {
    return this.conflictPanels.get(path)?.inspect();
  }
}

function engineParams(path: string, target: FirestoreTarget): EngineParams {
  return { path, target, defaultPolicy: defaultConflictPolicy(vscode.Uri.file(path)) };
}

function userMessage(error: unknown, fileName: string): string {
  const code = error instanceof RpcError ? error.code : typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'changed':
      return `${fileName} changed on disk while SyncLens worked on it, so it was not written. Remote writes already made are idempotent: run the command again on the new file. (${message})`;
    case 'live':
      return `${fileName} has a -wal or -journal (the app may be running): ${message}`;
    default:
      return message;
  }
}
