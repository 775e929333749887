// Which database and which Firestore target an action is about. Trust comes first: in Restricted
// Mode neither synclens.json's target nor a Connect prompt is used.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../core/firestore/client';
import { backupLocation, defaultConflictPolicy } from '../settings';
import { findWorkspaceDatabases } from '../workspaceDatabases';
import type { SyncContext } from './actions/context';
import { connect } from './actions/connect';
import { requireTrust } from './connection';
import { UserCancelled } from './errorWording';
import type { EngineParams, WritingParams } from './workerProtocol';

/** The database a command is about: its argument, the focused editor or panel, or a pick. */
export async function databaseFor(ctx: SyncContext, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg && arg.uri instanceof vscode.Uri) return arg.uri;
  const active = ctx.editors.activeDatabase?.uri;
  if (active) return active;
  if (ctx.panels.lastQueue) return vscode.Uri.file(ctx.panels.lastQueue);
  const known = new Map<string, vscode.Uri>();
  for (const database of ctx.registry.all()) known.set(database.path, database.uri);
  for (const uri of await findWorkspaceDatabases()) known.set(uri.fsPath, uri);
  const uris = [...known.values()];
  if (uris.length === 1) return uris[0];
  const picked = await vscode.window.showQuickPick(
    uris.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'SyncLens', placeHolder: 'Which database?' },
  );
  return picked?.uri;
}

/** The target for `path`, reachable; without one the user may connect now (else UserCancelled). */
export async function requireTarget(ctx: SyncContext, path: string, purpose: string): Promise<FirestoreTarget> {
  requireTrust(purpose);
  let target = await ctx.connection.targetFor(path);
  if (!target) {
    const choice = await vscode.window.showWarningMessage(
      `No Firestore target for ${basename(path)}: add "firestore" to synclens.json or connect now.`,
      'Connect to Firestore...',
    );
    if (choice) target = (await connect(ctx, path)) ?? null;
    if (!target) throw new UserCancelled();
  }
  await ctx.connection.ensureReachable(target);
  return target;
}

export function engineParams(path: string, target: FirestoreTarget): EngineParams {
  return { path, target, defaultPolicy: defaultConflictPolicy(vscode.Uri.file(path)) };
}

/** engineParams of a request that writes the file back: whether it may while the app runs, and where its backup goes. */
export function writingParams(path: string, target: FirestoreTarget, allowLive: boolean): WritingParams {
  return { ...engineParams(path, target), allowLive, backupLocation: backupLocation(vscode.Uri.file(path)) };
}
