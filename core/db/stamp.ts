// What a database file (and its -wal) looked like when SyncLens read it, so a later write-back or
// refresh can tell whether someone else changed it in the meantime.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';

export interface FileVersion {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface VersionedBytes {
  bytes: Uint8Array;
  version: FileVersion;
}

export interface FileStamp extends FileVersion {
  path: string;
  /** The `-wal` beside the file, or null when there was none. */
  wal: FileVersion | null;
}

export function walPathOf(path: string): string {
  return `${path}-wal`;
}

export function journalPathOf(path: string): string {
  return `${path}-journal`;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Reads a whole file with its size and mtime taken from the same open handle. */
export async function readFileVersion(path: string): Promise<VersionedBytes> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    const bytes = new Uint8Array(await handle.readFile());
    return { bytes, version: { size: bytes.byteLength, mtimeMs: stats.mtimeMs, sha256: sha256Of(bytes) } };
  } finally {
    await handle.close();
  }
}

/**
 * The database and its -wal as one consistent pair: a checkpoint that rewrites the database while
 * the -wal is being read would mix two states, so the pair is read again (a few times at most) until
 * the database is the same after the -wal was read as before.
 */
export async function readDatabaseAndWal(
  path: string,
): Promise<{ main: VersionedBytes; wal: VersionedBytes | null; journal: VersionedBytes | null }> {
  const attempts = 3;
  for (let attempt = 1; ; attempt += 1) {
    const main = await readFileVersion(path);
    const wal = await readOptionalFile(walPathOf(path));
    const journal = await readOptionalFile(journalPathOf(path));
    const after = await statVersion(path);
    const settled = after !== null && after.size === main.version.size && after.mtimeMs === main.version.mtimeMs;
    if (settled || attempt === attempts) return { main, wal, journal };
  }
}

async function readOptionalFile(path: string): Promise<VersionedBytes | null> {
  try {
    return await readFileVersion(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}


/** Size and mtime of a file, or null when it does not exist. */
export async function statVersion(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      return { size: stats.size, mtimeMs: stats.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function contentHash(path: string): Promise<string | null> {
  try {
    return sha256Of(await readFile(path));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function versionChanged(path: string, before: FileVersion | null, verifyContent: boolean): Promise<boolean> {
  const now = await statVersion(path);
  // An absent -wal and an empty one hold the same content: nothing to apply.
  const beforeSize = before?.size ?? 0;
  const nowSize = now?.size ?? 0;
  if (beforeSize !== nowSize) return true;
  if (nowSize === 0) return false;
  if (before === null || now === null) return true;
  if (before.mtimeMs !== now.mtimeMs) return true;
  if (!verifyContent) return false;
  return (await contentHash(path)) !== before.sha256;
}

/**
 * True when the file or its -wal differs from the stamp. Size and mtime decide quickly; with
 * `verifyContent` (the default, and what a write-back needs) the content is hashed too, because a
 * rewrite within the file system's mtime granularity keeps both.
 */
export async function hasFileChanged(stamp: FileStamp, options: { verifyContent?: boolean } = {}): Promise<boolean> {
  const verifyContent = options.verifyContent ?? true;
  const main = await statVersion(stamp.path);
  if (main === null) return true;
  if (main.size !== stamp.size || main.mtimeMs !== stamp.mtimeMs) return true;
  if (verifyContent && (await contentHash(stamp.path)) !== stamp.sha256) return true;
  return versionChanged(walPathOf(stamp.path), stamp.wal, verifyContent);
}
