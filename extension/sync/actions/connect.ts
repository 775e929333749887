// "Connect to Firestore...": pick a target (emulator or real project), use it from now on, check it.
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errors';
import { describeTarget, type FirestoreTarget } from '../../../core/firestore/client';
import { requireTrust } from '../connection';
import type { SyncActionFactory, SyncContext } from './context';

export async function connect(ctx: SyncContext, defaultsFrom?: string): Promise<FirestoreTarget | undefined> {
  requireTrust('connect to Firestore');
  const target = await ctx.connection.pickTarget(defaultsFrom);
  if (!target) return undefined;
  ctx.connection.use(target);
  try {
    await ctx.connection.ensureReachable(target, true);
    vscode.window.setStatusBarMessage(`SyncLens: connected to ${describeTarget(target)}`, 4000);
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
  }
  return target;
}

export const connectAction: SyncActionFactory<FirestoreTarget | undefined> = (ctx) => (uri) => connect(ctx, uri.fsPath);
