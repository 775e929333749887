// The commands behind the "Get started with SyncLens" walkthrough (package.json
// contributes.walkthroughs): a sample database shipped in the extension, copied where SyncLens may
// write it, and a Firestore emulator seeded from it so the plan and the conflicts have something to show.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PlanSnapshot } from '../core/protocol/syncModel';
import type { CommandContext } from './commands';
import { log } from './log';
import { SyncWorkerProtocol } from './sync/workerProtocol';

type Handler = (...args: unknown[]) => unknown;
type WalkthroughCommandFactory = (ctx: CommandContext) => Handler;

/** Written by scripts/build.mjs from sample-workspace/: app.db and its synclens.json. */
const bundledSampleFiles = ['app.db', 'synclens.json'];

function sampleFolder(ctx: CommandContext): string {
  return join(ctx.extension.globalStorageUri.fsPath, 'sample');
}

/**
 * A fresh copy of the sample in the extension's storage: replaying it rewrites the file, and the
 * installed extension's folder is no place for that. An open copy is kept (it may be mid-walkthrough).
 */
function sampleDatabase(ctx: CommandContext): vscode.Uri {
  const folder = sampleFolder(ctx);
  const database = join(folder, 'app.db');
  if (ctx.registry.get(database)) return vscode.Uri.file(database);
  mkdirSync(folder, { recursive: true });
  for (const name of bundledSampleFiles) copyFileSync(join(ctx.extension.extensionUri.fsPath, 'dist', 'sample', name), join(folder, name));
  log().info(`sample database copied to ${database}`);
  return vscode.Uri.file(database);
}

const openSampleDatabase: WalkthroughCommandFactory = (ctx) => async () => {
  const uri = sampleDatabase(ctx);
  await ctx.editors.open(uri);
  return uri;
};

/** Starts the emulator, gives it the sample's remote side (sample-workspace/seed-emulator.ts), then plans. */
const startSampleEmulator: WalkthroughCommandFactory = (ctx) => async () => {
  const uri = ctx.registry.get(join(sampleFolder(ctx), 'app.db'))?.uri ?? sampleDatabase(ctx);
  try {
    const target = await ctx.sync.startEmulator(uri.fsPath);
    if (!target) return undefined;
    const seeded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SyncLens: giving the emulator the sample’s remote documents' }, () =>
      ctx.sync.worker.endpoint.sendRequest(SyncWorkerProtocol.seedSample, { path: uri.fsPath, target }),
    );
    log().info(`emulator seeded from the sample: ${seeded.mirrored} documents, ${seeded.conflicts.length} conflicts`);
    return (await vscode.commands.executeCommand('synclens.planReplay', uri)) as PlanSnapshot | undefined;
  } catch (error) {
    ctx.sync.showError(error, 'app.db');
    return undefined;
  }
};

export const walkthroughCommandFactories: Record<string, WalkthroughCommandFactory> = {
  'synclens.openSampleDatabase': openSampleDatabase,
  'synclens.startSampleEmulator': startSampleEmulator,
};
