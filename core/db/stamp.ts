// What a database file (and its -wal) looked like when SyncLens read it, so a later write-back or
// refresh can tell whether someone else changed it in the meantime. The identity comes from
// fstat (device, inode, size, mtime and ctime to the microsecond): a rewrite in place changes ctime even
// when mtime is put back, and a file replaced by rename changes the inode. Nothing is hashed, so a
// stamp costs the same for a 2 GiB file as for a small one.
import { statSync } from 'node:fs';
import { sameIdentity, type FileIdentity } from './snapshot/sourceFile';

export interface FileStamp {
  /** The real file (symbolic links resolved). */
  path: string;
  main: FileIdentity;
  /** The `-wal` beside the file, or null when there was none. */
  wal: FileIdentity | null;
}

export function walPathOf(path: string): string {
  return `${path}-wal`;
}

export function journalPathOf(path: string): string {
  return `${path}-journal`;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The identity of the file at `path` now, or null when there is none. */
export function identityAt(path: string): FileIdentity | null {
  try {
    const stats = statSync(path);
    return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** True when the file or its -wal differs from the stamp. An absent -wal and an empty one hold the same. */
export function hasFileChanged(stamp: FileStamp): boolean {
  const main = identityAt(stamp.path);
  if (main === null || !sameIdentity(main, stamp.main)) return true;
  const wal = identityAt(walPathOf(stamp.path));
  if ((wal?.size ?? 0) === 0 && (stamp.wal?.size ?? 0) === 0) return false;
  return wal === null || stamp.wal === null || !sameIdentity(wal, stamp.wal);
}
