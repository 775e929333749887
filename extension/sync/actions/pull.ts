// Pull: remote changes into the local rows (local changes not yet sent become conflicts), after the
// confirmation; the file is written back.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { PullReport } from '../../../core/protocol/syncModel';
import { plural } from '../../../core/protocol/planOutcome';
import { withPanelBusy } from '../busy';
import { confirmWrite } from '../confirmations';
import { summarizeTarget } from '../connection';
import { requireTarget, writingParams } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import { showConflicts } from './conflicts';
import type { SyncActionFactory } from './context';
import { afterWrite } from './refresh';

export const pullAction: SyncActionFactory<PullReport> =
  (ctx) =>
  async (uri, args = {}) => {
    const path = uri.fsPath;
    const panel = ctx.panels.queue(path);
    const target = await requireTarget(ctx, path, 'pull remote changes from Firestore');
    const allowLive = await confirmWrite(path, target, 'Pull remote changes', args);
    const report = await withPanelBusy(panel, `Pulling from ${summarizeTarget(target).label}...`, { location: vscode.ProgressLocation.Notification, title: 'SyncLens: pulling remote changes' }, () =>
      ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.pull, writingParams(path, target, allowLive)),
    );
    panel.showPull(report);
    afterWrite(ctx, path, report.backupPath);
    await panel.showTab('log');
    if (report.conflicts > 0) {
      void vscode.window
        .showWarningMessage(
          `Pulled ${plural(report.applied, 'change')} into ${basename(path)}; ${plural(report.conflicts, 'entity', 'entities')} with local changes not yet sent ${report.conflicts === 1 ? 'is' : 'are'} now in conflict.`,
          'Show Conflicts',
        )
        .then((choice) => choice && showConflicts(ctx, uri));
    } else {
      vscode.window.setStatusBarMessage(`SyncLens: pulled ${plural(report.applied, 'change')} into ${basename(path)}`, 8000);
    }
    return report;
  };
