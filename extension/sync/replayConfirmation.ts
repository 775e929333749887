// A replay is confirmed only with what it will do: the plan of the ops it will send (a fresh plan
// of the same queue state serves), said in plain words, the ops whose local change would be
// dropped listed, and "Replay, but keep those ops" as a second choice.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../core/firestore/client';
import { droppedLines, forecastReplay, plural, shortEntity } from '../../core/protocol/planOutcome';
import type { PlanSnapshot, ReplayMode } from '../../core/protocol/syncModel';
import type { SyncCommandArgs, SyncContext } from './actions/context';
import { confirmWriteWithOutcome } from './confirmations';
import { UserCancelled } from './errorWording';
import type { SyncQueuePanel } from './panels';
import { engineParams } from './targets';
import { SyncWorkerProtocol } from './workerProtocol';

export const keepDroppedChoice = 'Replay, but keep those ops';
/** A plan of the same queue state younger than this serves the confirmation of a Replay All. */
const freshPlanMs = 60_000;

export interface ConfirmedReplay {
  readonly allowLive: boolean;
  readonly mode: ReplayMode;
  /** The ops to send ('selected'), or for 'step' the one op its confirmation named. */
  readonly only: readonly number[];
}

async function planFor(ctx: SyncContext, panel: SyncQueuePanel, target: FirestoreTarget, mode: ReplayMode, only: readonly number[], force: boolean): Promise<PlanSnapshot> {
  const current = panel.currentPlan;
  if (mode === 'all' && current && current.only === null && Date.now() - current.plannedAt < freshPlanMs) return current;
  panel.setBusy('Planning what the replay will do...');
  try {
    const plan = await ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.plan, {
      ...engineParams(panel.path, target),
      only: mode === 'selected' ? only : null,
      force,
      step: mode === 'step',
    });
    // A plan of the whole queue is the Plan tab's (and the Queue tab's verdicts) too.
    if (plan.only === null) panel.showPlan(plan);
    return plan;
  } finally {
    panel.clearBusy();
  }
}

export async function confirmReplay(
  ctx: SyncContext,
  panel: SyncQueuePanel,
  target: FirestoreTarget,
  request: { mode: ReplayMode; only: readonly number[]; what: string },
  args: SyncCommandArgs,
): Promise<ConfirmedReplay> {
  const { mode, only } = request;
  // A caller that already asked and keeps nothing back needs no plan.
  if (args.confirmed && !args.keepDropped) return { allowLive: args.allowLive ?? false, mode, only };
  const plan = await planFor(ctx, panel, target, mode, only, args.force ?? false);
  if (plan.rows.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to replay: ${basename(panel.path)} has no queued ops${mode === 'selected' ? ' among those selected' : ''}. Its file is not rewritten.`);
    throw new UserCancelled();
  }
  const forecast = forecastReplay(plan.rows);
  const step = mode === 'step' ? plan.rows[0] : undefined;
  if (mode === 'step' && (!step || step.classification === 'blocked')) {
    void vscode.window.showInformationMessage(`Nothing to step: no op in the queue of ${basename(panel.path)} can be sent now.`);
    throw new UserCancelled();
  }
  const what = step ? `Replay op #${step.opId} (${step.operation} ${shortEntity(step.collection ?? step.entityType, step.entityId)})` : request.what;
  const lines = [`What will happen: ${forecast.sentence}.`];
  if (step) lines.push(`#${step.opId} is the next op in send order.`);
  if (forecast.dropped.length > 0) {
    lines.push(`Your local change is dropped for ${plural(forecast.dropped.length, 'op')} (the remote is kept):`, ...droppedLines(forecast).map((line) => `  ${line}`));
    if (forecast.keptIfKept.length > 0 && mode !== 'step') {
      lines.push(`"${keepDroppedChoice}" sends the rest and leaves ${plural(forecast.keptIfKept.length, 'op')} of ${plural(forecast.droppedEntities.length, 'entity', 'entities')} in the queue.`);
    }
  }
  const canKeep = forecast.dropped.length > 0 && mode !== 'step' && forecast.sentIfKept.length > 0;
  const answer = await confirmWriteWithOutcome(panel.path, target, what, args, {
    detail: lines.join('\n'),
    alternative: canKeep ? keepDroppedChoice : undefined,
    mustAsk: forecast.dropped.length > 0,
  });
  if (answer.alternative || (args.confirmed && args.keepDropped)) {
    if (forecast.sentIfKept.length === 0) {
      void vscode.window.showInformationMessage('Nothing left to send: every op would drop a local change, and all of them are kept.');
      throw new UserCancelled();
    }
    return { allowLive: answer.allowLive, mode: 'selected', only: forecast.sentIfKept };
  }
  return { allowLive: answer.allowLive, mode, only: step ? [step.opId] : only };
}
