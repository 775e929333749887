// Replay: all queued ops, the selected ones, or the next one, after the confirmation. Results come
// from the sync worker a remote batch at a time and go to the panel's log as they are; the file is
// written back at the end (also after a cancel: what was applied leaves the queue).
import * as vscode from 'vscode';
import type { ReplayMode, ReplayReport } from '../../../core/protocol/syncModel';
import type { ReplaySummary } from '../../../core/protocol/syncViews';
import { log } from '../../log';
import { replayThrottle } from '../../settings';
import { withPanelBusy } from '../busy';
import { plural } from '../../../core/protocol/planOutcome';
import { confirmReplay } from '../replayConfirmation';
import { requireTrust, summarizeTarget } from '../connection';
import { requireTarget, writingParams } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import type { SyncActionFactory, SyncCommandArgs, SyncContext } from './context';
import { afterWrite } from './refresh';

export interface ReplayArgs extends SyncCommandArgs {
  readonly mode: ReplayMode;
}

const purposes: Record<ReplayMode, string> = {
  all: 'replay the queue to Firestore',
  step: 'replay the next operation to Firestore',
  selected: 'replay the selected operations to Firestore',
};

/** The report without its results: the panel has them from the batches already. */
function summaryOf(report: ReplayReport): ReplaySummary {
  return { counts: report.counts, cancelled: report.cancelled, batchesCommitted: report.batchesCommitted, backupPath: report.backupPath };
}

export function cancelReplay(ctx: SyncContext): void {
  ctx.replays.running?.cancel.abort();
}

export const cancelReplayAction: SyncActionFactory<void> = (ctx) => async () => cancelReplay(ctx);

export const replayAction: SyncActionFactory<ReplayReport | undefined, ReplayArgs> =
  (ctx) =>
  async (uri, args = { mode: 'all' }) => {
    const { mode } = args;
    requireTrust(purposes[mode]);
    const path = uri.fsPath;
    const panel = ctx.panels.queue(path);
    const only = mode === 'selected' ? (args.opIds?.length ? args.opIds : [...panel.selection]) : [];
    if (mode === 'selected' && only.length === 0) {
      void vscode.window.showInformationMessage('Select operations in the Sync Queue first (click, Shift/Ctrl-click), then Replay Selected.');
      await panel.showTab('queue');
      return undefined;
    }
    if (ctx.replays.running) throw new Error('A replay is already running; cancel it or wait for it to finish.');
    const target = await requireTarget(ctx, path, purposes[mode]);
    const asked = mode === 'all' ? 'Replay all queued operations' : mode === 'step' ? 'Replay the next operation' : `Replay ${plural(only.length, 'selected operation')}`;
    const confirmed = await confirmReplay(ctx, panel, target, { mode, only, what: asked }, args);
    const { allowLive } = confirmed;
    const what = confirmed.mode === mode ? asked : `Replay ${plural(confirmed.only.length, 'operation')} (those that would drop a local change stay queued)`;
    const runId = ctx.replays.nextRunId++;
    const stop = new AbortController();
    ctx.replays.running = { runId, cancel: stop };
    panel.startReplay(mode);
    await panel.showTab('log');
    let report: ReplayReport | undefined;
    try {
      report = await withPanelBusy(
        panel,
        `Replaying to ${summarizeTarget(target).label}...`,
        { location: vscode.ProgressLocation.Notification, title: `SyncLens: ${what.toLowerCase()}`, cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const cancel = token.onCancellationRequested(() => cancelReplay(ctx));
          const stopListening = ctx.worker.endpoint.onNotification(SyncWorkerProtocol.replayResults, ({ runId: from, results, settled, total, status }) => {
            if (from !== runId) return;
            panel.appendResults({ results, settled, total, status });
            const percent = total > 0 ? (settled / total) * 100 : 0;
            progress.report({ message: status ? `${settled}/${total} · ${status}` : `${settled}/${total}`, increment: percent - reported });
            reported = percent;
            if (args.cancelAfter !== undefined && settled >= args.cancelAfter) cancelReplay(ctx);
          });
          try {
            return await ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.replay, {
              runId,
              ...writingParams(path, target, allowLive),
              mode: confirmed.mode,
              only: confirmed.only,
              force: args.force ?? false,
              batchSize: args.batchSize,
              throttle: replayThrottle(uri),
            }, { signal: stop.signal });
          } finally {
            cancel.dispose();
            stopListening();
          }
        },
      );
    } finally {
      ctx.replays.running = null;
      panel.finishReplay(report ? summaryOf(report) : null);
    }
    afterWrite(ctx, path, report.backupPath);
    const counts = report.counts;
    const summary = `${counts.applied} applied, ${counts['already-applied']} already applied, ${counts.failed} failed, ${counts.held} held, ${counts.skipped} skipped${report.cancelled ? ' (cancelled)' : ''}`;
    log().info(`replay of ${path}: ${summary}; backup ${report.backupPath ?? 'none (nothing written)'}`);
    vscode.window.setStatusBarMessage(`SyncLens replay: ${summary}`, 8000);
    return report;
  };
