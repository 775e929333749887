import * as vscode from 'vscode';
import { plural } from '../core/protocol/planOutcome';
import type { DatabaseRegistry, OpenDatabase } from './databases';
import type { DatabaseEditorProvider } from './databaseEditor';
import { DisposableBase } from './dispose';

/** Conflict counts known for a database (from the last plan, pull or conflicts read). */
export interface ConflictCounts {
  conflictCountFor(path: string): number | undefined;
  readonly onDidChangeCounts: vscode.Event<void>;
}

/** "N pending · M conflicts" for the database of the focused SyncLens editor, from the core's queue totals. */
export class PendingStatusBar extends DisposableBase {
  private readonly item = this.register(vscode.window.createStatusBarItem('synclens.pending', vscode.StatusBarAlignment.Left, 50));
  private visible = false;

  constructor(
    private readonly editors: DatabaseEditorProvider,
    registry: DatabaseRegistry,
    private readonly conflicts?: ConflictCounts,
  ) {
    super();
    if (conflicts) this.register(conflicts.onDidChangeCounts(() => this.update()));
    this.item.name = 'SyncLens Pending Operations';
    this.register(editors.onDidChangeActive(() => this.update()));
    this.register(registry.onDidChange(() => this.update()));
  }

  /** What the item shows now, or undefined while hidden (the extension-host tests read it). */
  get shown(): { text: string; tooltip: string } | undefined {
    if (!this.visible) return undefined;
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '') };
  }

  private update(): void {
    const database: OpenDatabase | undefined = this.editors.activeDatabase;
    const state = database?.state;
    if (!database || state?.status !== 'ready' || !state.summary.queueTotals) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const totals = state.summary.queueTotals;
    const conflictCount = this.conflicts?.conflictCountFor(database.path);
    // Here a conflict is an entity (a document) in conflict, whatever its number of queued ops.
    this.item.text = `$(sync) ${totals.pending} pending${conflictCount === undefined ? '' : ` · ${plural(conflictCount, 'conflict')}`}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**${database.fileName}** sync queue\n\n` +
        (conflictCount === undefined ? '' : `- ${plural(conflictCount, 'entity', 'entities')} in conflict with the remote\n`) +
        `- ${totals.ready} ready, ${totals.backingOff} backing off\n- ${totals.deadLettered} dead-lettered\n` +
        `- ${totals.invalid} invalid, ${totals.orphans} orphan, ${totals.superseded} superseded`,
    );
    this.item.command = { command: 'synclens.showSyncQueue', title: 'Show Sync Queue', arguments: [database.uri] };
    this.item.show();
    this.visible = true;
  }
}
