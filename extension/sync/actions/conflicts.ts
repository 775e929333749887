// Reading conflicts: the Conflicts panel's list, and the count the tree shows after a write.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errors';
import type { ConflictItem, ConflictPolicyName } from '../../../core/protocol/syncModel';
import { log } from '../../log';
import { summarizeTarget } from '../connection';
import { showSyncError, UserCancelled, userMessage } from '../errorWording';
import { tallyOfConflicts } from '../conflictCounts';
import type { ConflictsPanel } from '../panels';
import { engineParams, requireTarget } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import type { SyncActionFactory, SyncContext } from './context';

/** A failed conflicts action: the panel's busy line clears and, unless the user cancelled, says why. */
export function reportConflictError(panel: ConflictsPanel, error: unknown): void {
  if (error instanceof UserCancelled) {
    panel.updateState({ busy: null });
    return;
  }
  panel.updateState({ busy: null, error: userMessage(error, basename(panel.path)) });
  showSyncError(error, panel.path);
}

export async function loadConflicts(ctx: SyncContext, panel: ConflictsPanel): Promise<ConflictItem[] | undefined> {
  const path = panel.path;
  panel.setBusy('Reading conflicts...');
  try {
    const target = await requireTarget(ctx, path, 'read conflicts from Firestore');
    const [items, syncedTables] = await Promise.all([
      ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.listConflicts, engineParams(path, target)),
      ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.syncedTables, { path }),
    ]);
    panel.updateState({ items, syncedTables, busy: null, target: summarizeTarget(target) });
    ctx.conflictCounts.set(path, tallyOfConflicts(items));
    return items;
  } catch (error) {
    reportConflictError(panel, error);
    return undefined;
  }
}

/** After a write with no Conflicts panel open: the tree's count, when the target is known to answer. */
export async function refreshConflictCount(ctx: SyncContext, path: string): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  try {
    const target = await ctx.connection.targetFor(path);
    if (!target || ctx.connection.status.kind !== 'connected') return;
    const items = await ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.listConflicts, engineParams(path, target));
    ctx.conflictCounts.set(path, tallyOfConflicts(items));
  } catch (error) {
    log().warn(`counting conflicts of ${path} failed: ${errorMessage(error)}`);
  }
}

export async function showConflicts(ctx: SyncContext, uri: vscode.Uri, preview: ConflictPolicyName | null = null): Promise<ConflictItem[] | undefined> {
  const panel = ctx.panels.conflicts(uri.fsPath);
  await panel.focus(null, null);
  const items = await loadConflicts(ctx, panel);
  if (preview) await panel.focus(null, preview);
  return items;
}

export const showConflictsAction: SyncActionFactory<ConflictItem[] | undefined> = (ctx) => (uri) => showConflicts(ctx, uri);
