// The two sync webview panels: the Sync Queue panel (queue, plan, replay log, hygiene, compare) and
// the Conflicts panel, one of each per database file. Data goes through their typed protocols.
import * as vscode from 'vscode';
import type { NotificationType } from '../../core/protocol/rpc';
import {
  encodeQueueRows,
  type CompareReport,
  type ConflictPolicyName,
  type EncodedQueueSnapshot,
  type PlanSnapshot,
  type PullReport,
  type QueueSnapshot,
  type ReplayMode,
} from '../../core/protocol/syncModel';
import {
  ConflictsProtocol,
  SyncQueueProtocol,
  type ConflictsPanelState,
  type RenderedConflicts,
  type RenderedSyncPanel,
  type ReplayBatch,
  type ReplaySummary,
  type SyncPanelStatus,
  type SyncTab,
} from '../../core/protocol/syncViews';
import { WebviewAppPanel } from '../webviewPanel';

/** A panel that says what is running; extension/sync/busy.ts's withPanelBusy sets and clears it. */
export interface BusyPanel {
  setBusy(busy: string): void;
  clearBusy(): void;
}

export class SyncQueuePanel extends WebviewAppPanel implements BusyPanel {
  static readonly viewType = 'synclens.syncQueue';
  private queue: EncodedQueueSnapshot | { error: string } | null = null;
  private statusValue: SyncPanelStatus;
  /** The last result of each kind, posted again only when the webview (re)loads. */
  private plan: PlanSnapshot | null = null;
  private replaySummary: ReplaySummary | null = null;
  private pull: PullReport | null = null;
  private compare: CompareReport | null = null;
  selection: readonly number[] = [];

  constructor(
    readonly path: string,
    fileName: string,
    extensionUri: vscode.Uri,
    initialStatus: SyncPanelStatus,
  ) {
    const panel = vscode.window.createWebviewPanel(SyncQueuePanel.viewType, `Sync Queue · ${fileName}`, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    super(panel, extensionUri, 'syncQueue', `Sync Queue · ${fileName}`);
    this.statusValue = initialStatus;
    this.endpoint.onNotification(SyncQueueProtocol.ready, () => {
      this.markReady();
      this.endpoint.sendNotification(SyncQueueProtocol.status, this.statusValue);
      if (this.queue) this.endpoint.sendNotification(SyncQueueProtocol.queue, this.queue);
      if (this.plan) this.endpoint.sendNotification(SyncQueueProtocol.planned, this.plan);
      if (this.replaySummary) this.endpoint.sendNotification(SyncQueueProtocol.replayFinished, { summary: this.replaySummary });
      if (this.pull) this.endpoint.sendNotification(SyncQueueProtocol.pulled, this.pull);
      if (this.compare) this.endpoint.sendNotification(SyncQueueProtocol.compared, this.compare);
    });
    this.endpoint.onNotification(SyncQueueProtocol.selectionChanged, ({ opIds }) => {
      this.selection = opIds;
    });
  }

  get status(): SyncPanelStatus {
    return this.statusValue;
  }

  setQueue(queue: QueueSnapshot | { error: string }): void {
    this.queue = 'error' in queue ? queue : { ...queue, rows: encodeQueueRows(queue.rows) };
    this.post(SyncQueueProtocol.queue, this.queue);
  }

  updateStatus(change: Partial<SyncPanelStatus>): void {
    this.statusValue = { ...this.statusValue, ...change };
    this.post(SyncQueueProtocol.status, this.statusValue);
  }

  setBusy(busy: string): void {
    this.updateStatus({ busy, error: null });
  }

  clearBusy(): void {
    if (this.statusValue.busy !== null) this.updateStatus({ busy: null });
  }

  showPlan(plan: PlanSnapshot): void {
    this.plan = plan;
    this.post(SyncQueueProtocol.planned, plan);
  }

  /** The plan shown, while it is of the queue the panel shows and no write came after it. */
  get currentPlan(): PlanSnapshot | null {
    const queue = this.queue;
    if (!this.plan || this.plan.outdated || !queue || 'error' in queue || queue.revision !== this.plan.queueRevision) return null;
    return this.plan;
  }

  /** After a write: the plan shown stays, said to be outdated, until the next plan. */
  outdatePlan(reason: string): void {
    if (!this.plan || this.plan.outdated) return;
    this.showPlan({ ...this.plan, outdated: reason });
  }

  startReplay(mode: ReplayMode): void {
    this.replaySummary = null;
    this.post(SyncQueueProtocol.replayStarted, { mode });
  }

  appendResults(batch: ReplayBatch): void {
    this.post(SyncQueueProtocol.replayResults, batch);
  }

  finishReplay(summary: ReplaySummary | null): void {
    this.replaySummary = summary;
    this.post(SyncQueueProtocol.replayFinished, { summary });
  }

  showPull(report: PullReport): void {
    this.pull = report;
    this.post(SyncQueueProtocol.pulled, report);
  }

  showCompare(report: CompareReport): void {
    this.compare = report;
    this.post(SyncQueueProtocol.compared, report);
  }

  async showTab(tab: SyncTab): Promise<void> {
    this.panel.reveal(undefined, false);
    await this.whenReady();
    this.endpoint.sendNotification(SyncQueueProtocol.showTab, { tab });
  }

  async inspect(): Promise<RenderedSyncPanel> {
    await this.whenReady();
    return this.endpoint.sendRequest(SyncQueueProtocol.inspectRendered, {});
  }

  /** Before `ready` nothing is posted: the webview asks for all of it then. */
  private post<P>(type: NotificationType<P>, params: P): void {
    if (this.isReady) this.endpoint.sendNotification(type, params);
  }
}

export class ConflictsPanel extends WebviewAppPanel implements BusyPanel {
  static readonly viewType = 'synclens.conflicts';
  private stateValue: ConflictsPanelState;

  constructor(
    readonly path: string,
    fileName: string,
    extensionUri: vscode.Uri,
    initialState: ConflictsPanelState,
  ) {
    const panel = vscode.window.createWebviewPanel(ConflictsPanel.viewType, `Conflicts · ${fileName}`, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    super(panel, extensionUri, 'conflicts', `Conflicts · ${fileName}`);
    this.stateValue = initialState;
    this.endpoint.onNotification(ConflictsProtocol.ready, () => {
      this.markReady();
      this.endpoint.sendNotification(ConflictsProtocol.state, this.stateValue);
    });
  }

  get state(): ConflictsPanelState {
    return this.stateValue;
  }

  updateState(change: Partial<ConflictsPanelState>): void {
    this.stateValue = { ...this.stateValue, ...change };
    if (this.isReady) this.endpoint.sendNotification(ConflictsProtocol.state, this.stateValue);
  }

  setBusy(busy: string): void {
    this.updateState({ busy, error: null });
  }

  clearBusy(): void {
    if (this.stateValue.busy !== null) this.updateState({ busy: null });
  }

  async focus(key: string | null, preview: ConflictPolicyName | null): Promise<void> {
    this.panel.reveal(undefined, false);
    await this.whenReady();
    this.endpoint.sendNotification(ConflictsProtocol.focus, { key, preview });
  }

  async inspect(): Promise<RenderedConflicts> {
    await this.whenReady();
    return this.endpoint.sendRequest(ConflictsProtocol.inspectRendered, {});
  }
}
