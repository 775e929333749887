// The only way SyncLens writes a user's database file, copy-on-write: SQLite's changes live as pages
// in memory over the snapshot that was read; a temp file in the same folder gets the original, the
// pages that differ from it (the -wal's, the -journal's and the changed ones) and the new size, then
// fsync, rename over the real file (symbolic links resolved) and fsync the folder. The original is
// first copied to a timestamped backup beside it, and nothing is written unless the file is still
// what was read. Memory grows with the changed pages, never with the file.
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CodedError, errorMessage, type DatabaseWriteErrorCode } from '../errors';
import { isHotJournalHeader } from './journal';
import type { OpenedDatabase } from './open';
import { closeSourceFile, openSourceFile, readSourceBytes } from './snapshot/sourceFile';
import { hasFileChanged, journalPathOf, walPathOf, type FileStamp } from './stamp';
import { restoreJournalModeHeader } from './wal';
import { backupFolderName, backupMarker, backupSetPattern, inFlightPath } from './writeRecovery';

export type { DatabaseWriteErrorCode } from '../errors';

export class DatabaseWriteError extends CodedError<DatabaseWriteErrorCode> {
  override readonly name = 'DatabaseWriteError';
  constructor(
    code: DatabaseWriteErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(code, message);
  }
}

export function isDatabaseWriteError(error: unknown): error is DatabaseWriteError {
  return error instanceof DatabaseWriteError;
}

export interface WriteBackOptions {
  /** Write even though a -wal or -journal shows the app may have the database open. */
  allowLive?: boolean;
  /** Names the backup (tests pin it); defaults to the current time. */
  now?: Date;
  /** Backups of this file to keep, newest first (default 5). */
  keepBackups?: number;
  /** Where the backups go: beside the file (default), or the .synclens/backups folder beside it (writeRecovery.ts finds both). */
  backupLocation?: BackupLocation;
}

export type BackupLocation = 'beside' | 'synclensFolder';

/** The folder that holds the backups of `path` for a location. */
export function backupFolderOf(path: string, location: BackupLocation = 'beside'): string {
  return location === 'synclensFolder' ? join(dirname(path), backupFolderName) : dirname(path);
}

export interface WriteBackResult {
  backupPath: string;
  /** The -wal / -journal moved into the backup set (allowLive only), so none disagrees with the new file. */
  movedAside: string[];
  /** Backups removed because more than `keepBackups` existed. */
  prunedBackups: string[];
}

/** `20261124T190000Z`: sorts by time, safe in file names on every platform. */
export function backupTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function fsyncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the renames durable. Some platforms (Windows) cannot open a folder: the rename is all we get there. */
async function fsyncFolder(folder: string): Promise<void> {
  try {
    await fsyncPath(folder, 'r');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw error;
  }
}

/**
 * True when `sidecar` exists. A FIFO, a device or a folder there is refused as reading refuses it,
 * rather than moved into the backup set as if it were the app's -wal or -journal.
 */
function isSidecarPresent(sidecar: string): boolean {
  const file = openSourceFile(sidecar, true);
  closeSourceFile(file);
  return file !== null;
}

/** A hot journal beside the file; a sidecar that is not a regular file is refused as it is on reading. */
function hasHotJournal(path: string): boolean {
  const journal = openSourceFile(journalPathOf(path), true);
  try {
    return journal !== null && isHotJournalHeader(readSourceBytes(journal, 0, 8));
  } finally {
    closeSourceFile(journal);
  }
}

/** Throws unless the connection is in autocommit mode: an open transaction's pages are not settled. */
function assertNoOpenTransaction(opened: OpenedDatabase): void {
  try {
    opened.db.exec('BEGIN');
  } catch {
    throw new DatabaseWriteError(
      'open-transaction',
      opened.path,
      `${basename(opened.path)} was not written: a transaction is still open on SyncLens's copy. Commit or roll it back first.`,
    );
  }
  opened.db.exec('ROLLBACK');
}

export function checkIntegrity(opened: OpenedDatabase, file: string): void {
  const messages = opened.db.exec('PRAGMA integrity_check').flatMap((result) => result.values.map((row) => String(row[0])));
  // integrity_check reports a page it could not read as a row: after a change under the read, that
  // is the file moving, not damage.
  if (opened.snapshot.isStale) {
    throw new DatabaseWriteError('changed', file, `${basename(file)} was not written: it changed while SyncLens was checking the new version. Reload it and try again; nothing was changed.`);
  }
  if (messages.length !== 1 || messages[0] !== 'ok') {
    throw new DatabaseWriteError(
      'integrity',
      file,
      `${basename(file)} was not written: the changed database fails SQLite's integrity_check (${messages.slice(0, 3).join('; ')}). The file is unchanged.`,
    );
  }
}

/** Fills the temp file (a copy of the original): every page that differs from it, then the size. */
async function writeChangedCopy(opened: OpenedDatabase, tempPath: string, mode: number): Promise<void> {
  const { snapshot } = opened;
  const handle = await open(tempPath, 'r+', mode);
  try {
    const page = new Uint8Array(snapshot.pageSize);
    for (const pageNumber of snapshot.pagesDifferingFromFile()) {
      snapshot.read(page, (pageNumber - 1) * snapshot.pageSize);
      await handle.write(page, 0, page.byteLength, (pageNumber - 1) * snapshot.pageSize);
    }
    // Page 1 carries the file's own journal mode again (the snapshot shows SQLite rollback mode).
    snapshot.read(page, 0);
    if (opened.sourceHeader) restoreJournalModeHeader(page, opened.sourceHeader);
    await handle.write(page, 0, Math.min(page.byteLength, snapshot.size), 0);
    await handle.truncate(snapshot.size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function uniqueBackupPath(path: string, now: Date, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const base = join(folder, `${basename(path)}${backupMarker}${backupTimestamp(now)}`);
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? base : `${base}.${attempt}`;
    if (!(await exists(candidate)) && !(await exists(`${candidate}-wal`)) && !(await exists(`${candidate}-journal`))) return candidate;
  }
}

/** Backups of `path`: each a database copy plus the -wal/-journal moved beside it, newest first. */
export async function listBackups(path: string, folder = dirname(path)): Promise<string[]> {
  const prefix = `${basename(path)}${backupMarker}`;
  const names = await readdir(folder).catch(() => [] as string[]);
  const backups = names
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length).replace(/-(wal|journal)$/, ''))
    .filter((suffix, index, all) => backupSetPattern.test(suffix) && all.indexOf(suffix) === index)
    .map((suffix) => {
      const match = backupSetPattern.exec(suffix);
      return { suffix, time: match?.[1] ?? '', attempt: Number(match?.[2] ?? 1) };
    })
    .sort((a, b) => (a.time === b.time ? b.attempt - a.attempt : a.time < b.time ? 1 : -1));
  return backups.map((backup) => join(folder, `${prefix}${backup.suffix}`));
}

export async function pruneBackups(path: string, keep: number, folder: string): Promise<string[]> {
  const backups = await listBackups(path, folder);
  const removed: string[] = [];
  for (const backup of backups.slice(keep)) {
    for (const file of [backup, `${backup}-wal`, `${backup}-journal`]) {
      try {
        await unlink(file);
        removed.push(file);
      } catch (error) {
        const code = error instanceof Error && 'code' in error ? error.code : undefined;
        if (code !== 'ENOENT') throw error;
      }
    }
  }
  return removed;
}

/** The -wal and -journal beside `path`; refused (DatabaseWriteError 'live') unless `allowLive`. */
export function sidecarsAllowed(path: string, name: string, options: WriteBackOptions): string[] {
  const presentSidecars = [walPathOf(path), journalPathOf(path)].filter(isSidecarPresent);
  if (presentSidecars.length > 0 && !options.allowLive) {
    throw new DatabaseWriteError(
      'live',
      path,
      `${name} was not written: ${presentSidecars.map((file) => basename(file)).join(' and ')} beside it show the app may have the database open. ` +
        'Close the app first, or allow writing to a live database explicitly (--allow-live).',
    );
  }
  return presentSidecars;
}

/**
 * Writes the changed database back over its file, atomically and with a backup.
 *
 * Refuses (DatabaseWriteError) when the file or its -wal changed since it was read, when a -wal or
 * -journal exists and `allowLive` is not set, when a transaction is open, or when the changed
 * database fails `PRAGMA integrity_check`. With `allowLive` the new file already holds the WAL's
 * committed frames, so the -wal (and any -journal) is moved into the backup set: a stale -wal left
 * beside the new file would be replayed over it by the app. `opened.stamp` is updated to the new file.
 */
export async function writeDatabaseAtomically(opened: OpenedDatabase, options: WriteBackOptions = {}): Promise<WriteBackResult> {
  // Through a symbolic link, the real file is what gets written; the link stays a link.
  const path = opened.stamp.path;
  const name = basename(opened.path);
  const presentSidecars = sidecarsAllowed(path, name, options);
  const walHadFrames = (opened.stamp.wal?.size ?? 0) > 32;
  if (walHadFrames && opened.wal === null) {
    throw new DatabaseWriteError(
      'partial-read',
      path,
      `${name} was not written: it was opened without applying its -wal, so writing would drop the transactions that live only there. Reopen it with the -wal applied.`,
    );
  }
  if (opened.journal === null && hasHotJournal(path)) {
    throw new DatabaseWriteError(
      'partial-read',
      path,
      `${name} was not written: its -journal holds a transaction in flight that SyncLens did not roll back when reading. Reopen the file (or let the app finish) and try again.`,
    );
  }
  if (hasFileChanged(opened.stamp)) {
    throw new DatabaseWriteError(
      'changed',
      path,
      `${name} was not written: it (or its -wal) changed since SyncLens read it. Reload it and try again; nothing was changed.`,
    );
  }
  assertNoOpenTransaction(opened);
  checkIntegrity(opened, path);

  const { backupPath, movedAside } = await replaceDatabaseFile(opened.stamp, name, opened, path, presentSidecars, options);
  const written = openSourceFile(path, false);
  // The stamp follows the snapshot, which now reads the file just written.
  if (written) opened.snapshot.rebase(written);
  const prunedBackups = await pruneBackups(path, options.keepBackups ?? 5, backupFolderOf(path, options.backupLocation));
  return { backupPath, movedAside, prunedBackups };
}

/**
 * The atomic, backed-up replacement both a write-back and a restore (restoreBackup.ts) end with:
 * the file at `stamp.path` (called `name` in messages) is copied to a new backup, a temp starts as a copy of `contentFile` and gets
 * the pages of `content` that differ from that file, the sidecars move into the backup set, and the
 * temp is renamed over the file. Nothing is written if the file changed since `stamp`.
 */
export async function replaceDatabaseFile(
  stamp: FileStamp,
  name: string,
  content: OpenedDatabase,
  contentFile: string,
  presentSidecars: readonly string[],
  options: WriteBackOptions,
): Promise<{ backupPath: string; movedAside: string[] }> {
  const path = stamp.path;
  const folder = dirname(path);
  const mode = (await stat(path)).mode & 0o777;
  const backupFolder = backupFolderOf(path, options.backupLocation);
  const backupPath = await uniqueBackupPath(path, options.now ?? new Date(), backupFolder);
  // Both named after the backup set, so an open after a crash knows what to undo (writeRecovery.ts):
  // the backup is copied under a name of its own, so a backup by its real name is always whole, and
  // the temp exists before the backup gets that name, so a named backup without a temp is a write
  // that went through.
  const partialBackup = inFlightPath(path, 'partial-backup', backupPath);
  const tempPath = inFlightPath(path, 'tmp', backupPath);
  try {
    await copyFile(path, partialBackup, constants.COPYFILE_EXCL);
    await fsyncPath(partialBackup, 'r+');
    await copyFile(contentFile, tempPath, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    await rename(partialBackup, backupPath);
    // A backup in its own folder: its name reaches the disk there too.
    if (backupFolder !== folder) await fsyncFolder(backupFolder);
  } catch (error) {
    await unlink(partialBackup).catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw new DatabaseWriteError('io', path, `${name} was not written: its backup could not be made (${errorMessage(error)}). Nothing was changed.`);
  }

  const movedAside: string[] = [];
  let replaced = false;
  try {
    await writeChangedCopy(content, tempPath, mode);
    // A change that landed while the copy was being prepared must not be overwritten either.
    if (hasFileChanged(stamp)) {
      throw new DatabaseWriteError('changed', path, `${name} was not written: it changed while SyncLens was preparing the write. Reload it and try again; nothing was changed.`);
    }
    // The -wal goes first: a new file next to the old -wal would get the old frames replayed over it.
    for (const sidecar of presentSidecars) {
      const target = `${backupPath}${sidecar.slice(path.length)}`;
      await rename(sidecar, target);
      movedAside.push(target);
    }
    // The sidecars' new names reach the disk before the new file does: never a new file beside an old -wal.
    if (movedAside.length > 0) await fsyncFolder(folder);
    await rename(tempPath, path);
    replaced = true;
    await fsyncFolder(folder);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    if (!replaced) {
      // The old file is still in place: give it back its -wal / -journal.
      for (const [index, target] of movedAside.entries()) await rename(target, presentSidecars[index] ?? target).catch(() => undefined);
    }
    const reason = errorMessage(error);
    if (replaced) {
      throw new DatabaseWriteError('io', path, `${name} was written but its folder could not be synced (${reason}); the backup is ${basename(backupPath)}.`);
    }
    // The original is untouched: a backup of it would only be clutter.
    await unlink(backupPath).catch(() => undefined);
    if (error instanceof DatabaseWriteError) throw error;
    throw new DatabaseWriteError('io', path, `${name} could not be written (${reason}). Nothing was changed.`);
  }

  return { backupPath, movedAside };
}
