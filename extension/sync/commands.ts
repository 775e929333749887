// The sync commands (palette category SyncLens, tree context menus, the database editor's title),
// each a small factory; extension/commands.ts registers them with the rest.
import * as vscode from 'vscode';
import type { SyncAction } from '../../core/protocol/syncViews';
import { RestrictedModeError } from './connection';
import { isSyncArgs, type SyncCommandArgs, type SyncController } from './syncController';

type Handler = (...args: unknown[]) => unknown;
type SyncCommandFactory = (ctx: { sync: SyncController }) => Handler;

async function uriAndArgs(sync: SyncController, arg: unknown): Promise<{ uri: vscode.Uri | undefined; args: SyncCommandArgs }> {
  const args = isSyncArgs(arg) ? arg : {};
  const uri = await sync.databaseFor(args.uri ?? arg);
  return { uri, args };
}

const action =
  (name: SyncAction): SyncCommandFactory =>
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (!uri) return undefined;
    return sync.runAction(name, uri, args);
  };

const showSyncQueue: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri } = await uriAndArgs(sync, arg);
    if (uri) await sync.showQueue(uri);
  };

const showConflicts: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri } = await uriAndArgs(sync, arg);
    return uri ? sync.showConflicts(uri) : undefined;
  };

const resolveAllByPolicy: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const { uri, args } = await uriAndArgs(sync, arg);
    if (!uri) return undefined;
    try {
      if (args.keys && args.resolution) return await sync.resolve(uri, args.keys, args.resolution, args);
      return await sync.resolveAllByPolicy(uri, args);
    } catch (error) {
      sync.showError(error);
      return undefined;
    }
  };

const connectFirestore: SyncCommandFactory =
  ({ sync }) =>
  async (arg) => {
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    try {
      return await sync.connect(uri?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
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
      else void vscode.window.showErrorMessage(`The Firestore emulator did not start: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };

export const syncCommandFactories: Record<string, SyncCommandFactory> = {
  'synclens.showSyncQueue': showSyncQueue,
  'synclens.planReplay': action('plan'),
  'synclens.replayAll': action('replayAll'),
  'synclens.replaySelected': action('replaySelected'),
  'synclens.replayStep': action('replayStep'),
  'synclens.pullRemoteChanges': action('pull'),
  'synclens.showConflicts': showConflicts,
  'synclens.resolveAllByPolicy': resolveAllByPolicy,
  'synclens.compareWithRemote': action('compare'),
  'synclens.connectFirestore': connectFirestore,
  'synclens.startFirestoreEmulator': startFirestoreEmulator,
};
