// Conflicts per database as the last plan or conflict listing found them, by op and by entity (the
// tree and the status bar show them).
import * as vscode from 'vscode';
import type { ConflictTally } from '../../core/protocol/planOutcome';
import type { ConflictItem, PlanRow } from '../../core/protocol/syncModel';
import { DisposableBase } from '../dispose';

/** A plan's conflicts: its conflict rows, and the documents they touch. */
export function tallyOfPlan(rows: readonly PlanRow[]): ConflictTally {
  // A Firestore SDK write whose remote is newer is the SDK's to send (last write wins), not a conflict to resolve.
  const conflicts = rows.filter((row) => row.classification === 'conflict' && !row.sdk);
  return { ops: conflicts.length, entities: new Set(conflicts.map((row) => `${row.collection ?? row.entityType}/${row.entityId}`)).size };
}

/** Listed conflicts: one per entity, with its queued ops. */
export function tallyOfConflicts(items: readonly ConflictItem[]): ConflictTally {
  return { ops: items.reduce((sum, item) => sum + item.pendingOpIds.length, 0), entities: items.length };
}

export class ConflictCounts extends DisposableBase {
  private readonly counts = new Map<string, ConflictTally>();
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.onDidChangeEmitter.event;

  get(path: string): ConflictTally | undefined {
    return this.counts.get(path);
  }

  set(path: string, tally: ConflictTally): void {
    this.counts.set(path, tally);
    this.onDidChangeEmitter.fire();
  }
}
