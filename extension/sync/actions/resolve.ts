// Settling conflicts on both sides (keep local, take remote, merge, by policy, or all by another
// policy after its preview), after the confirmation; the file is written back.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { conflictPolicyNames, type ConflictResolution, type ResolutionReport } from '../../../core/protocol/syncModel';
import { plural } from '../../../core/protocol/planOutcome';
import { withPanelBusy } from '../busy';
import { confirmWriteWithOutcome } from '../confirmations';
import { conflictsForConfirmation, mergePreviewFor, resolveOutcome } from '../resolveConfirmation';
import { requireTarget, writingParams } from '../targets';
import { SyncWorkerProtocol } from '../workerProtocol';
import { showConflicts } from './conflicts';
import type { SyncActionFactory, SyncCommandArgs, SyncContext } from './context';
import { afterWrite } from './refresh';

export async function resolve(ctx: SyncContext, uri: vscode.Uri, keys: readonly string[], resolution: ConflictResolution, args: SyncCommandArgs): Promise<ResolutionReport> {
  const path = uri.fsPath;
  const panel = ctx.panels.conflicts(path);
  const target = await requireTarget(ctx, path, 'resolve conflicts with Firestore');
  const what =
    resolution.kind === 'as-policy' ? `Resolve ${plural(keys.length, 'conflict')} by ${resolution.policy}` : `Resolve ${keys.length === 1 ? keys[0] : plural(keys.length, 'conflict')} by ${resolution.kind}`;
  // A merge is previewed even when confirmed already: it is stamped with the time its preview
  // showed, and written only if it still merges to the document previewed.
  const items = args.confirmed && resolution.kind !== 'merge' ? null : await conflictsForConfirmation(ctx, panel, target);
  const mergedAt = resolution.kind === 'merge' ? (resolution.mergedAt ?? Date.now()) : undefined;
  const merge = items && resolution.kind === 'merge' && keys.length === 1 ? mergePreviewFor(items, { key: keys[0]!, ...resolution, mergedAt }) : null;
  const outcome = items && !args.confirmed ? resolveOutcome(items, keys, resolution, merge) : null;
  const { allowLive } = await confirmWriteWithOutcome(path, target, what, args, outcome);
  const sent: ConflictResolution = resolution.kind === 'merge' ? { ...resolution, mergedAt, ...(merge ? { expected: merge.document } : {}) } : resolution;
  const report = await withPanelBusy(panel, `${what}...`, null, () =>
    ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.resolve, { ...writingParams(path, target, allowLive), keys, resolution: sent }),
  );
  panel.updateState({ lastResults: report.results.map((result) => `${result.ok ? '✓' : '✗'} ${result.message}`) });
  afterWrite(ctx, path, report.backupPath);
  return report;
}

/** Shows the conflicts and a policy's "what if" preview; applies it only when the caller confirmed. */
export async function resolveAllByPolicy(ctx: SyncContext, uri: vscode.Uri, args: SyncCommandArgs): Promise<ResolutionReport | undefined> {
  const items = await showConflicts(ctx, uri);
  if (!items) return undefined;
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`${basename(uri.fsPath)} has no conflicts with the remote.`);
    return undefined;
  }
  const policy =
    args.policy ??
    (
      await vscode.window.showQuickPick(
        conflictPolicyNames.map((name) => ({ label: name, policy: name })),
        { title: 'Resolve All by Policy', placeHolder: 'Pick a policy to preview (nothing is written yet)' },
      )
    )?.policy;
  if (!policy) return undefined;
  await ctx.panels.conflicts(uri.fsPath).focus(null, policy);
  // The panel shows the "what if" preview; applying it is the panel's button (or a confirmed call).
  if (!args.confirmed) return undefined;
  return resolve(ctx, uri, items.map((item) => item.key), { kind: 'as-policy', policy }, args);
}

/** The command: the given keys by the given resolution, or all by a policy. */
export const resolveAction: SyncActionFactory<ResolutionReport | undefined> =
  (ctx) =>
  (uri, args = {}) =>
    args.keys && args.resolution ? resolve(ctx, uri, args.keys, args.resolution, args) : resolveAllByPolicy(ctx, uri, args);
