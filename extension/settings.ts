// The settings package.json contributes (contributes.configuration), read in one place so every
// reader agrees on names, defaults and bounds. Read at the moment of use: a change applies to the
// next page, reload or write without a restart.
import * as vscode from 'vscode';
import { conflictPolicyNames, type ConflictPolicyName } from '../core/engine/types';
import type { BackupLocation } from '../core/db/writeBack';
import { defaultGridPageSize } from '../core/protocol/dataGrid';
import { writeConfirmationLevels, type WriteConfirmationLevel } from './writeConfirmation';

const pageSizeBounds = { min: 50, max: 5000 };

function synclens(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('synclens', scope);
}

/** `synclens.conflicts.defaultPolicy`: used where the database's synclens.json names no policy. */
export function defaultConflictPolicy(database: vscode.Uri): ConflictPolicyName {
  const value = synclens(database).get<string>('conflicts.defaultPolicy');
  return conflictPolicyNames.find((policy) => policy === value) ?? 'lastWriteWins';
}

/** `synclens.autoRefresh`: reload a database by itself when its file, -wal or -journal changes. */
export function autoRefresh(database: vscode.Uri): boolean {
  return synclens(database).get<boolean>('autoRefresh', true);
}

/** `synclens.grid.pageSize`: rows per keyset page the grid asks for. */
export function gridPageSize(): number {
  const value = synclens().get<number>('grid.pageSize', defaultGridPageSize);
  if (!Number.isFinite(value)) return defaultGridPageSize;
  return Math.min(pageSizeBounds.max, Math.max(pageSizeBounds.min, Math.round(value)));
}

/** `synclens.confirmWrites`: which writes ask first (see writeNeedsConfirmation). */
/** Where write-backs put the database's backup (synclens.backups.location). */
export function backupLocation(scope: vscode.Uri): BackupLocation {
  return synclens(scope).get<string>('backups.location') === 'besideDatabase' ? 'beside' : 'synclensFolder';
}

/**
 * `synclens.replay.throttle`: whether replay ramps up per collection as Firestore asks (500 writes/s,
 * +50% every 5 minutes; core/engine/throttle.ts). undefined: the engine's default, on for a real
 * project and off for the emulator.
 */
export function replayThrottle(scope: vscode.Uri): boolean | undefined {
  const value = synclens(scope).get<string>('replay.throttle');
  return value === 'always' ? true : value === 'never' ? false : undefined;
}

export function writeConfirmationLevel(): WriteConfirmationLevel {
  const value = synclens().get<string>('confirmWrites');
  return writeConfirmationLevels.find((level) => level === value) ?? 'always';
}
