// "Restore…" on a backup in the SyncLens tree: confirms, naming the backup's time and the version it
// replaces, then has the database worker put it back (core/db/restoreBackup.ts), which backs up the
// current file first.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { backupsOf } from '../core/db/restoreBackup';
import { sizeText } from '../core/db/classify';
import { errorMessage } from '../core/errors';
import type { DatabaseRegistry } from './databases';
import { backupTimeText } from './databaseTree';
import { log } from './log';
import { backupLocation, writeConfirmationLevel } from './settings';
import { writeNeedsConfirmation } from './writeConfirmation';

export interface RestoreOutcome {
  restored: boolean;
  /** The backup of the version the restore replaced. */
  backupPath?: string;
}

function backupNodeOf(arg: unknown): { uri: vscode.Uri; backupPath: string } | undefined {
  if (typeof arg !== 'object' || arg === null || !('kind' in arg) || arg.kind !== 'backup' || !('uri' in arg) || !(arg.uri instanceof vscode.Uri)) return undefined;
  const backup = 'backup' in arg ? arg.backup : undefined;
  const backupPath = typeof backup === 'object' && backup !== null && 'path' in backup && typeof backup.path === 'string' ? backup.path : undefined;
  return backupPath ? { uri: arg.uri, backupPath } : undefined;
}

/** The dialog's text: which backup, and what it replaces (the current file's size and time). */
export function restoreConfirmation(path: string, backupTime: Date): { message: string; detail: string } {
  const name = basename(path);
  let current = `the current ${name}`;
  try {
    const stats = statSync(path);
    current = `the current ${name} (${sizeText(stats.size)}, last changed ${backupTimeText(stats.mtime)})`;
  } catch {
    // Gone or unreadable: the restore says so itself.
  }
  return {
    message: `Restore ${name} from the backup of ${backupTimeText(backupTime)}?`,
    detail:
      `The backup made at ${backupTimeText(backupTime)} replaces ${current}, atomically. ` +
      `The current version is backed up first, so Restore… on that backup undoes this.`,
  };
}

export async function restoreBackupFromTree(registry: DatabaseRegistry, arg: unknown): Promise<RestoreOutcome> {
  const node = backupNodeOf(arg);
  if (!node) return { restored: false };
  const path = node.uri.fsPath;
  // Anyone may run a command: only a backup SyncLens lists for this database is restored.
  const backup = (await backupsOf(path)).find((entry) => entry.path === node.backupPath);
  if (!backup) {
    void vscode.window.showErrorMessage(`${basename(node.backupPath)} cannot be restored: it is no longer among the backups of ${basename(path)}. ${basename(path)} is unchanged.`);
    return { restored: false };
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('SyncLens does not write databases in Restricted Mode: trust this workspace to restore a backup.');
    return { restored: false };
  }
  if (writeNeedsConfirmation(writeConfirmationLevel(), { remote: 'none', live: false })) {
    const { message, detail } = restoreConfirmation(path, backup.time);
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Restore');
    if (answer !== 'Restore') return { restored: false };
  }
  const database = registry.acquire(node.uri);
  try {
    const { backupPath } = await database.restoreBackup(backup.path, backupLocation(node.uri));
    log().info(`restored ${path} from ${backup.path}; the replaced version is ${backupPath}`);
    void vscode.window.showInformationMessage(`${basename(path)} restored from the backup of ${backupTimeText(backup.time)}. The version it replaced is backed up as ${basename(backupPath)}.`);
    return { restored: true, backupPath };
  } catch (error) {
    const message = errorMessage(error);
    log().warn(`restoring ${path} from ${backup.path} failed: ${message}`);
    void vscode.window.showErrorMessage(message);
    return { restored: false };
  } finally {
    registry.release(database);
  }
}
