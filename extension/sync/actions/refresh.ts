// Reading the queue again, and what follows a write-back: the database reloads once (the grid, the
// tree and the status bar follow it; its new revision reloads the Sync Queue, see
// syncController.ts), and the conflicts are listed again.
import { basename } from 'node:path';
import { log } from '../../log';
import { userMessage } from '../errorWording';
import { SyncWorkerProtocol } from '../workerProtocol';
import { loadConflicts, refreshConflictCount } from './conflicts';
import type { SyncActionFactory, SyncContext } from './context';

export async function reloadQueue(ctx: SyncContext, path: string): Promise<void> {
  const panel = ctx.panels.openQueue(path);
  if (!panel) return;
  try {
    panel.setQueue(await ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path }));
  } catch (error) {
    panel.setQueue({ error: userMessage(error, basename(path)) });
  }
}

export function afterWrite(ctx: SyncContext, path: string, backupPath: string | null): void {
  if (backupPath) log().info(`${basename(path)} written back; previous file kept as ${backupPath}`);
  // The plan shown was made before this write: it stays, marked outdated, until the next plan.
  ctx.panels.openQueue(path)?.outdatePlan(`${basename(path)} was written after this plan; plan again to see what is left`);
  const database = ctx.registry.get(path);
  // An open database reloads, and its reload reloads the queue: one analysis per write.
  if (database) void database.load();
  else void reloadQueue(ctx, path);
  const conflicts = ctx.panels.openConflicts(path);
  if (conflicts) void loadConflicts(ctx, conflicts);
  else void refreshConflictCount(ctx, path);
}

export const refreshAction: SyncActionFactory<void> = (ctx) => (uri) => reloadQueue(ctx, uri.fsPath);
