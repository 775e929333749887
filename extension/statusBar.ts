import * as vscode from 'vscode';
import { conflictTallyText, type ConflictTally } from '../core/protocol/planOutcome';
import type { DatabaseRegistry, OpenDatabase } from './databases';
import type { DatabaseEditorProvider } from './databaseEditor';
import { DisposableBase } from './dispose';

/** Conflict counts known for a database (from the last plan, pull or conflicts read), by op and by entity. */
export interface ConflictCounts {
  conflictCountFor(path: string): ConflictTally | undefined;
  readonly onDidChangeCounts: vscode.Event<void>;
}

/** "N pending · M conflicting ops on K entities" for the database of the focused SyncLens editor, from the core's queue totals. */
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
    const tally = this.conflicts?.conflictCountFor(database.path);
    // Pending ops and conflicts both show: conflicts are counted by op and by entity, never one word for both.
    this.item.text = `$(sync) ${totals.pending.toLocaleString('en-US')} pending${tally === undefined ? '' : ` · ${conflictTallyText(tally)}`}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**${database.fileName}** sync queue\n\n` +
        (tally === undefined ? '' : `- ${conflictTallyText(tally)} (as the last plan or conflict read found them)\n`) +
        `- ${totals.ready} ready, ${totals.backingOff} backing off\n- ${totals.deadLettered} dead-lettered\n` +
        `- ${totals.invalid} invalid, ${totals.orphans} orphan, ${totals.superseded} superseded`,
    );
    this.item.command = { command: 'synclens.showSyncQueue', title: 'Show Sync Queue', arguments: [database.uri] };
    this.item.show();
    this.visible = true;
  }
}
