// Compare: every local row against every remote document, per collection. Writes nothing.
import * as vscode from 'vscode';
import type { CompareReport } from '../../../core/protocol/syncModel';
import { withPanelBusy } from '../busy';
import { engineParams, requireTarget } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import type { SyncActionFactory } from './context';

export const compareAction: SyncActionFactory<CompareReport> = (ctx) => async (uri) => {
  const path = uri.fsPath;
  const panel = ctx.panels.queue(path);
  const target = await requireTarget(ctx, path, 'compare with Firestore');
  const report = await withPanelBusy(panel, 'Comparing with the remote...', { location: vscode.ProgressLocation.Notification, title: 'SyncLens: comparing with the remote' }, () =>
    ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.compare, engineParams(path, target)),
  );
  panel.showCompare(report);
  await panel.showTab('compare');
  return report;
};
