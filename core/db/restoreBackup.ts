// Restore… (the tree's action on a backup): puts a backup's version back in place of the database,
// through the same atomic, backed-up replacement a write-back ends with (writeBack.ts), so the version
// it replaces becomes the newest backup and nothing is lost. A backup that is missing, not SQLite or
// damaged is refused before anything is touched, with one message that names it.
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { errorMessage } from '../errors';
import { openDatabaseFile, type OpenedDatabase } from './open';
import { identityAt, walPathOf, type FileStamp } from './stamp';
import { backupFolderOf, checkIntegrity, DatabaseWriteError, listBackups, pruneBackups, replaceDatabaseFile, sidecarsAllowed, type WriteBackOptions } from './writeBack';
import { backupMarker, backupSetPattern, databaseOfBackup } from './writeRecovery';

export interface RestoreResult {
  /** The backup of the version the restore replaced. */
  backupPath: string;
  movedAside: string[];
  prunedBackups: string[];
}

export interface BackupEntry {
  path: string;
  /** When the backup was made (from its name). */
  time: Date;
}

/** When a backup set was made, from its name (writeBack.ts's backupTimestamp), or null for a name that is no backup's. */
export function backupTime(backupPath: string): Date | null {
  const name = basename(backupPath);
  const at = name.lastIndexOf(backupMarker);
  const stamp = at <= 0 ? null : backupSetPattern.exec(name.slice(at + backupMarker.length))?.[1];
  if (!stamp) return null;
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? null : time;
}

/** Every backup of `path`, in the .synclens/backups folder and beside it, newest first. */
export async function backupsOf(path: string): Promise<BackupEntry[]> {
  const found = [...(await listBackups(path, backupFolderOf(path, 'synclensFolder'))), ...(await listBackups(path, backupFolderOf(path, 'beside')))];
  return found
    .map((backup) => ({ path: backup, time: backupTime(backup) }))
    .filter((entry): entry is BackupEntry => entry.time !== null)
    .sort((a, b) => b.time.getTime() - a.time.getTime() || (a.path < b.path ? 1 : -1));
}

function isBackupOf(path: string, backupPath: string): boolean {
  const database = databaseOfBackup(resolve(backupPath));
  return database !== null && database === resolve(path);
}

function unusable(path: string, backupPath: string, reason: string): DatabaseWriteError {
  return new DatabaseWriteError('backup-unusable', path, `${basename(backupPath)} cannot be restored: ${reason} ${basename(path)} is unchanged.`);
}

/**
 * Replaces `path` with the version in `backupPath` (one of `backupsOf(path)`), after backing up the
 * current file. The backup is opened (with its -wal, if the set has one) and must pass SQLite's
 * integrity_check; a -wal or -journal beside the database is refused unless `allowLive`, and then
 * moved into the new backup set, as a write-back does.
 */
export async function restoreBackup(path: string, backupPath: string, options: WriteBackOptions = {}): Promise<RestoreResult> {
  if (!isBackupOf(path, backupPath)) throw unusable(path, backupPath, `it is not a SyncLens backup of ${basename(path)}.`);
  let backup: OpenedDatabase;
  try {
    backup = await openDatabaseFile(backupPath, { quickCheck: true });
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    throw unusable(path, backupPath, missing || identityAt(backupPath) === null ? 'the file is gone.' : errorMessage(error));
  }
  try {
    try {
      checkIntegrity(backup, backupPath);
    } catch (error) {
      throw unusable(path, backupPath, `it fails SQLite's integrity check (${errorMessage(error)}).`);
    }
    const realPath = realpathSync(path);
    const main = identityAt(realPath);
    if (main === null) throw new DatabaseWriteError('io', path, `${basename(path)} was not restored: it no longer exists.`);
    const stamp: FileStamp = { path: realPath, main, wal: identityAt(walPathOf(realPath)) };
    const name = basename(path);
    const presentSidecars = sidecarsAllowed(realPath, name, options);
    const { backupPath: replacedBackup, movedAside } = await replaceDatabaseFile(stamp, name, backup, backupPath, presentSidecars, options);
    const prunedBackups = await pruneBackups(realPath, options.keepBackups ?? 5, backupFolderOf(realPath, options.backupLocation));
    return { backupPath: replacedBackup, movedAside, prunedBackups };
  } finally {
    backup.close();
  }
}
