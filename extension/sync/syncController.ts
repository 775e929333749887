// Brings the engine to the user: owns the sync worker, the Firestore connection, the panels and the
// actions (extension/sync/actions/), and keeps the Sync Queue in step with its database: a reload of
// the database (after SyncLens's own write or anyone else's) reads the queue again, once.
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../core/firestore/client';
import type { ConflictTally } from '../../core/protocol/planOutcome';
import type { SyncTab } from '../../core/protocol/syncViews';
import type { DatabaseEditorProvider } from '../databaseEditor';
import type { DatabaseRegistry } from '../databases';
import { extensionWorker } from '../extensionWorker';
import type { WorkerClient } from '../workerClient';
import { DisposableBase } from '../dispose';
import type { SyncContext } from './actions/context';
import { reported, syncActions, wireConflictsPanel, wireQueuePanel, type SyncActions } from './actions';
import { reloadQueue } from './actions/refresh';
import { ConflictCounts } from './conflictCounts';
import { FirestoreConnection, summarizeTarget } from './connection';
import { EmulatorStarter } from './emulatorStart';
import { showSyncError } from './errorWording';
import { SyncPanels } from './panelRegistry';
import type { SyncQueuePanel } from './panels';
import { databaseFor } from './targets';

export class SyncController extends DisposableBase {
  readonly worker: WorkerClient;
  readonly connection: FirestoreConnection;
  readonly actions: SyncActions;
  private readonly ctx: SyncContext;
  private readonly panels: SyncPanels;
  private readonly conflictCounts: ConflictCounts;
  private readonly emulator: EmulatorStarter;
  /** The database revision each Sync Queue panel last read its queue for. */
  private readonly queueRevisions = new Map<string, number>();
  readonly onDidChangeCounts: vscode.Event<void>;

  constructor(
    extensionUri: vscode.Uri,
    secrets: vscode.SecretStorage,
    registry: DatabaseRegistry,
    editors: DatabaseEditorProvider,
    scanSecrets: SyncContext['scanSecrets'],
  ) {
    super();
    this.worker = this.register(extensionWorker('the sync worker', vscode.Uri.joinPath(extensionUri, 'dist', 'syncWorker.js').fsPath));
    this.connection = this.register(new FirestoreConnection(secrets, this.worker));
    this.panels = this.register(new SyncPanels(extensionUri, this.connection));
    this.conflictCounts = this.register(new ConflictCounts());
    this.onDidChangeCounts = this.conflictCounts.onDidChange;
    this.emulator = this.register(new EmulatorStarter(this.connection));
    this.ctx = {
      worker: this.worker,
      connection: this.connection,
      panels: this.panels,
      registry,
      editors,
      conflictCounts: this.conflictCounts,
      scanSecrets,
      replays: { running: null, nextRunId: 1 },
    };
    this.actions = syncActions(this.ctx);
    this.panels.onQueueCreated = (panel) => this.openedQueue(panel);
    this.panels.onConflictsCreated = (panel) => wireConflictsPanel(this.ctx, panel);
    this.register(
      registry.onDidChange((database) => {
        if (!database || database.state.status !== 'ready' || !this.panels.openQueue(database.path)) return;
        // Counts and queue totals that follow a load change the state too, not the revision.
        if (this.queueRevisions.get(database.path) === database.state.revision) return;
        this.queueRevisions.set(database.path, database.state.revision);
        void reloadQueue(this.ctx, database.path);
      }),
    );
  }

  private openedQueue(panel: SyncQueuePanel): void {
    wireQueuePanel(this.ctx, this.actions, panel);
    const { path } = panel;
    panel.onDidDispose(() => this.queueRevisions.delete(path));
    const database = this.ctx.registry.get(path);
    if (database?.state.status === 'ready') this.queueRevisions.set(path, database.state.revision);
    void reloadQueue(this.ctx, path);
    void this.connection.targetFor(path).then(
      (target) => panel.updateStatus(target ? { target: summarizeTarget(target), targetChecked: true } : { targetChecked: true }),
      () => undefined,
    );
  }

  conflictCountFor(path: string): ConflictTally | undefined {
    return this.conflictCounts.get(path);
  }

  databaseFor(arg: unknown): Promise<vscode.Uri | undefined> {
    return databaseFor(this.ctx, arg);
  }

  /** Runs an action for `path`, its failure shown in the panel and one notification. */
  run<T>(path: string, action: () => Promise<T>): Promise<T | undefined> {
    return reported(this.ctx, path, action);
  }

  startEmulator(defaultsFrom?: string): Promise<FirestoreTarget | undefined> {
    return this.emulator.start(defaultsFrom);
  }

  /** One notification per failed action; a Restricted Mode refusal offers to manage trust instead. */
  showError(error: unknown, fileName = ''): void {
    showSyncError(error, fileName);
  }

  async showQueue(uri: vscode.Uri, tab: SyncTab = 'queue'): Promise<SyncQueuePanel> {
    const panel = this.panels.queue(uri.fsPath);
    await panel.showTab(tab);
    return panel;
  }

  // ---- test hooks ------------------------------------------------------------------------------

  inspectQueue(path: string) {
    return this.panels.openQueue(path)?.inspect();
  }

  inspectConflicts(path: string) {
    return this.panels.openConflicts(path)?.inspect();
  }
}
