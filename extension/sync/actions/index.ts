// Every sync action once, and the Sync Queue and Conflicts webviews' requests wired to them. A
// failed action shows its error in the panel and in one notification (a cancelled dialog: nothing).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { previewPolicy } from '../../../core/engine/policyPreview';
import { ConflictsProtocol, SyncQueueProtocol } from '../../../core/protocol/syncViews';
import { showSyncError, UserCancelled, userMessage } from '../errorWording';
import type { ConflictsPanel, SyncQueuePanel } from '../panels';
import { mergePreviewFor } from '../resolveConfirmation';
import { SyncWorkerProtocol } from '../workerProtocol';
import { compareAction } from './compare';
import { connectAction } from './connect';
import { loadConflicts, reportConflictError, showConflictsAction } from './conflicts';
import type { SyncContext } from './context';
import { planAction } from './plan';
import { pullAction } from './pull';
import { refreshAction } from './refresh';
import { cancelReplayAction, replayAction } from './replay';
import { resolve, resolveAction } from './resolve';

export function syncActions(ctx: SyncContext) {
  return {
    refresh: refreshAction(ctx),
    plan: planAction(ctx),
    replay: replayAction(ctx),
    cancelReplay: cancelReplayAction(ctx),
    pull: pullAction(ctx),
    compare: compareAction(ctx),
    showConflicts: showConflictsAction(ctx),
    resolve: resolveAction(ctx),
    connect: connectAction(ctx),
  };
}

export type SyncActions = ReturnType<typeof syncActions>;

/** Runs an action for `path`; a failure goes to the Sync Queue panel's error line and one notification. */
export async function reported<T>(ctx: SyncContext, path: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UserCancelled) return undefined;
    ctx.panels.openQueue(path)?.updateStatus({ busy: null, error: userMessage(error, basename(path)) });
    showSyncError(error, path);
    return undefined;
  }
}

export function wireQueuePanel(ctx: SyncContext, actions: SyncActions, panel: SyncQueuePanel): void {
  const { endpoint, path } = panel;
  const uri = vscode.Uri.file(path);
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    await reported(ctx, path, action);
  };
  endpoint.onRequest(SyncQueueProtocol.refresh, () => run(() => actions.refresh(uri)));
  endpoint.onRequest(SyncQueueProtocol.plan, () => run(() => actions.plan(uri)));
  endpoint.onRequest(SyncQueueProtocol.replay, ({ mode, opIds }) => run(() => actions.replay(uri, { mode, opIds: [...opIds] })));
  endpoint.onRequest(SyncQueueProtocol.cancelReplay, () => run(() => actions.cancelReplay(uri)));
  endpoint.onRequest(SyncQueueProtocol.pull, () => run(() => actions.pull(uri)));
  endpoint.onRequest(SyncQueueProtocol.compare, () => run(() => actions.compare(uri)));
  endpoint.onRequest(SyncQueueProtocol.showConflicts, () => run(() => actions.showConflicts(uri)));
  endpoint.onRequest(SyncQueueProtocol.connect, () => run(() => actions.connect(uri)));
  endpoint.onRequest(SyncQueueProtocol.operationDetail, ({ opId }) => ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.operationDetail, { path, opId }));
  endpoint.onRequest(SyncQueueProtocol.scanSecrets, () => ctx.scanSecrets(path));
  endpoint.onRequest(SyncQueueProtocol.openTable, async ({ table }) => ctx.editors.open(uri, table));
}

export function wireConflictsPanel(ctx: SyncContext, panel: ConflictsPanel): void {
  const { endpoint, path } = panel;
  endpoint.onRequest(ConflictsProtocol.refresh, async () => {
    await loadConflicts(ctx, panel);
  });
  endpoint.onRequest(ConflictsProtocol.previewPolicy, ({ policy }) => previewPolicy(panel.state.items ?? [], policy));
  endpoint.onRequest(ConflictsProtocol.previewMerge, (request) => mergePreviewFor(panel.state.items ?? [], request));
  endpoint.onRequest(ConflictsProtocol.resolve, async ({ keys, resolution }) => {
    try {
      return await resolve(ctx, vscode.Uri.file(path), keys, resolution, {});
    } catch (error) {
      reportConflictError(panel, error);
      return null;
    }
  });
}
