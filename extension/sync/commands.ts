// The sync commands (palette category SyncLens, tree context menus, the database editor's title),
// each a small factory over an action of extension/sync/actions/ (the webviews call the same ones);
// extension/commands.ts registers them with the rest.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { ReplayMode } from '../../core/protocol/syncModel';
import { isSyncArgs, type SyncActionHandler, type SyncCommandArgs } from './actions/context';
import type { SyncActions } from './actions';
import { RestrictedModeError } from './connection';
import type { SyncController } from './syncController';

type Handler = (...args: unknown[]) => unknown;
type SyncCommandFactory = (ctx: { sync: SyncController }) => Handler;

async function uriAndArgs(sync: SyncController, arg: unknown): Promise<{ uri: vscode.Uri | undefined; args: SyncCommandArgs }> {
  const args = isSyncArgs(arg) ? arg : {};
  const uri = await sync.databaseFor(args.uri ?? arg);
  return { uri, args };
}

/** The action for the database the command is about; its failure is shown, and the command returns undefined. */
const action =
  (name: Exclude<keyof SyncActions, 'replay'>): SyncCommandFactory =>
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (!uri) return undefined;
    const handler: SyncActionHandler<unknown> = sync.actions[name];
    return sync.run(uri.fsPath, () => handler(uri, args));
  };

const replay =
  (mode: ReplayMode): SyncCommandFactory =>
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (!uri) return undefined;
    return sync.run(uri.fsPath, () => sync.actions.replay(uri, { ...args, mode }));
  };

const showSyncQueue: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (uri) await sync.showQueue(uri, args.tab);
  };

const showConflicts: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri } = await uriAndArgs(sync, arg);
    return uri ? sync.actions.showConflicts(uri) : undefined;
  };

const resolveAllByPolicy: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (!uri) return undefined;
    try {
      return await sync.actions.resolve(uri, args);
    } catch (error) {
      sync.showError(error);
      return undefined;
    }
  };

const connectFirestore: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.workspace.workspaceFolders?.[0]?.uri;
    try {
      return uri ? await sync.actions.connect(uri) : undefined;
    } catch (error) {
      sync.showError(error);
      return undefined;
    }
  };

const startFirestoreEmulator: SyncCommandFactory =
  ({ sync }) =>
  async () => {
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      return await sync.startEmulator(folder ? vscode.Uri.joinPath(folder, 'app.db').fsPath : undefined);
    } catch (error) {
      if (error instanceof RestrictedModeError) sync.showError(error);
      else void vscode.window.showErrorMessage(`The Firestore emulator did not start: ${errorMessage(error)}`);
      return undefined;
    }
  };

export const syncCommandFactories: Record<string, SyncCommandFactory> = {
  'synclens.showSyncQueue': showSyncQueue,
  'synclens.planReplay': action('plan'),
  'synclens.replayAll': replay('all'),
  'synclens.replaySelected': replay('selected'),
  'synclens.replayStep': replay('step'),
  'synclens.pullRemoteChanges': action('pull'),
  'synclens.showConflicts': showConflicts,
  'synclens.resolveAllByPolicy': resolveAllByPolicy,
  'synclens.compareWithRemote': action('compare'),
  'synclens.connectFirestore': connectFirestore,
  'synclens.startFirestoreEmulator': startFirestoreEmulator,
};
