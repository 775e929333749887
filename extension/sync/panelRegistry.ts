// The Sync Queue and Conflicts panels, one of each per database file, and what every panel shows
// whatever the action: the target, the connection, Restricted Mode. The actions fill them in.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { SyncPanelStatus } from '../../core/protocol/syncViews';
import { DisposableBase } from '../dispose';
import { summarizeTarget, type FirestoreConnection } from './connection';
import { ConflictsPanel, SyncQueuePanel } from './panels';

const queueReadOnly = 'Restricted Mode: SyncLens shows the local queue only. Trust this workspace to plan, replay, pull or compare with Firestore.';
const conflictsReadOnly = 'Restricted Mode: trust this workspace to read and resolve conflicts with Firestore.';

export class SyncPanels extends DisposableBase {
  private readonly queues = new Map<string, SyncQueuePanel>();
  private readonly conflictViews = new Map<string, ConflictsPanel>();
  private lastQueuePath: string | null = null;
  /** Set by the controller: a new panel's requests go to the actions. */
  onQueueCreated: (panel: SyncQueuePanel) => void = () => undefined;
  onConflictsCreated: (panel: ConflictsPanel) => void = () => undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: FirestoreConnection,
  ) {
    super();
    this.register(this.connection.onDidChange(() => this.showConnection()));
    this.register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        const refusal = (error: string | null): string | null => (error?.startsWith('Restricted Mode') ? null : error);
        for (const panel of this.queues.values()) panel.updateStatus({ readOnlyReason: null, error: refusal(panel.status.error) });
        for (const panel of this.conflictViews.values()) panel.updateState({ readOnlyReason: null, error: refusal(panel.state.error) });
      }),
    );
  }

  /** The database of the Sync Queue panel used last, while it is open. */
  get lastQueue(): string | null {
    return this.lastQueuePath;
  }

  openQueue(path: string): SyncQueuePanel | undefined {
    return this.queues.get(path);
  }

  openConflicts(path: string): ConflictsPanel | undefined {
    return this.conflictViews.get(path);
  }

  queue(path: string): SyncQueuePanel {
    const open = this.queues.get(path);
    if (open) return open;
    const panel = new SyncQueuePanel(path, basename(path), this.extensionUri, this.initialStatus(path));
    this.queues.set(path, panel);
    panel.onDidDispose(() => {
      this.queues.delete(path);
      if (this.lastQueuePath === path) this.lastQueuePath = null;
    });
    panel.panel.onDidChangeViewState(() => {
      if (panel.panel.active) this.lastQueuePath = path;
    });
    this.lastQueuePath = path;
    this.onQueueCreated(panel);
    return panel;
  }

  conflicts(path: string): ConflictsPanel {
    const open = this.conflictViews.get(path);
    if (open) return open;
    const panel = new ConflictsPanel(path, basename(path), this.extensionUri, {
      fileName: basename(path),
      target: null,
      items: null,
      busy: 'Reading conflicts...',
      error: null,
      lastResults: [],
      readOnlyReason: vscode.workspace.isTrusted ? null : conflictsReadOnly,
      syncedTables: null,
    });
    this.conflictViews.set(path, panel);
    panel.onDidDispose(() => this.conflictViews.delete(path));
    this.onConflictsCreated(panel);
    return panel;
  }

  private initialStatus(path: string): SyncPanelStatus {
    const target = this.connection.current;
    return {
      fileName: basename(path),
      target: target ? summarizeTarget(target) : null,
      connection: this.connection.describe(),
      busy: null,
      error: null,
      readOnlyReason: vscode.workspace.isTrusted ? null : queueReadOnly,
      targetChecked: target !== undefined && target !== null,
    };
  }

  private showConnection(): void {
    const target = this.connection.current;
    for (const panel of this.queues.values()) {
      panel.updateStatus({ connection: this.connection.describe(), ...(target ? { target: summarizeTarget(target) } : {}) });
    }
  }
}
