// The two sync webview panels: the Sync Queue panel (queue, plan, replay log, hygiene, compare) and
// the Conflicts panel, one of each per database file. Data goes through their typed protocols.
import * as vscode from 'vscode';
import { RpcEndpoint } from '../../core/protocol/rpc';
import type { ConflictPolicyName, OperationResult } from '../../core/engine/types';
import { encodeQueueRows, type EncodedQueueSnapshot, type QueueSnapshot } from '../../core/protocol/syncModel';
import {
  ConflictsProtocol,
  SyncQueueProtocol,
  type ConflictsPanelState,
  type RenderedConflicts,
  type RenderedSyncPanel,
  type SyncPanelStatus,
  type SyncTab,
} from '../../core/protocol/syncViews';
import { DisposableBase } from '../dispose';
import { webviewHtml, webviewOptions } from '../webviewHtml';

/** A webview panel running one bundled app, with its endpoint and the `ready` handshake. */
abstract class AppPanel extends DisposableBase {
  readonly endpoint: RpcEndpoint;
  protected isReady = false;
  private readyWaiters: (() => void)[] = [];
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    app: string,
    title: string,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    this.endpoint = new RpcEndpoint((message) => void webview.postMessage(message));
    this.register(webview.onDidReceiveMessage((message: unknown) => this.endpoint.receive(message)));
    this.register({ dispose: () => this.endpoint.close('the panel was closed') });
    this.register(
      panel.onDidDispose(() => {
        this.onDidDisposeEmitter.fire();
        this.onDidDisposeEmitter.dispose();
        this.dispose();
      }),
    );
    webview.html = webviewHtml(webview, extensionUri, app, title);
  }

  protected markReady(): void {
    this.isReady = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }
}

export class SyncQueuePanel extends AppPanel {
  static readonly viewType = 'synclens.syncQueue';
  private queue: EncodedQueueSnapshot | { error: string } | null = null;
  private statusValue: SyncPanelStatus;
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
    if (this.isReady) this.endpoint.sendNotification(SyncQueueProtocol.queue, this.queue);
  }

  updateStatus(change: Partial<SyncPanelStatus>): void {
    this.statusValue = { ...this.statusValue, ...change };
    if (this.isReady) this.endpoint.sendNotification(SyncQueueProtocol.status, this.statusValue);
  }

  appendResult(result: OperationResult, settled: number, total: number): void {
    if (this.isReady) this.endpoint.sendNotification(SyncQueueProtocol.replayResult, { result, settled, total });
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
}

export class ConflictsPanel extends AppPanel {
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
