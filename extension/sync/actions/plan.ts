// Plan: classify the queued ops (all, or the given ones) against the remote. Writes nothing.
import * as vscode from 'vscode';
import type { PlanSnapshot } from '../../../core/protocol/syncModel';
import { withPanelBusy } from '../busy';
import { tallyOfPlan } from '../conflictCounts';
import { summarizeTarget } from '../connection';
import { engineParams, requireTarget } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import type { SyncActionFactory } from './context';

export const planAction: SyncActionFactory<PlanSnapshot> =
  (ctx) =>
  async (uri, args = {}) => {
    const path = uri.fsPath;
    const panel = ctx.panels.queue(path);
    const target = await requireTarget(ctx, path, 'plan against Firestore');
    const plan = await withPanelBusy(panel, `Planning against ${summarizeTarget(target).label}...`, { location: vscode.ProgressLocation.Window, title: 'SyncLens: planning' }, () =>
      ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.plan, { ...engineParams(path, target), only: args.opIds?.length ? args.opIds : null, force: args.force ?? false }),
    );
    panel.showPlan(plan);
    ctx.conflictCounts.set(path, tallyOfPlan(plan.rows));
    await panel.showTab('plan');
    return plan;
  };
