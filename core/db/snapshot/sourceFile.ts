// The files a snapshot reads (the database, its -wal, its -journal): opened read-only and
// non-blocking, then checked with fstat to be regular files, so a FIFO never blocks and a device
// or folder is named for what it is. The identity taken from the open handle is what later tells
// whether the file changed under a read.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { DatabaseFileError } from '../errors';
import { errorMessage } from '../../errors';

/**
 * What fstat says of a file. Times are milliseconds with their fraction (microseconds on Linux):
 * the bigint form would be exact but builds four Date objects per call, and this runs once per
 * page read.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface SourceFile {
  readonly path: string;
  readonly fd: number;
  identity: FileIdentity;
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function kindOf(stats: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function identityOf(fd: number): { identity: FileIdentity; regular: boolean; kind: string } {
  const stats = fstatSync(fd);
  return {
    identity: { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs },
    regular: stats.isFile(),
    kind: kindOf(stats),
  };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

export function unreadableError(path: string, error: unknown): DatabaseFileError {
  if (error instanceof DatabaseFileError) return error;
  const code = errnoOf(error);
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EISDIR'
        ? 'is a folder, not a database file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read: permission denied'
          : code === 'ELOOP'
            ? 'is a symbolic link that loops'
            : `cannot be read (${code ?? errorMessage(error)})`;
  return new DatabaseFileError('unreadable', path, `${basename(path)} ${why}.`);
}

/** The real path behind any symbolic links: the file that is read, watched and written. */
export function resolveDatabasePath(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    throw unreadableError(path, error);
  }
}

/**
 * Opens `path` for reading. Returns null when it does not exist and `optional` is set (a sidecar
 * that is not there); anything but a regular file is a DatabaseFileError naming what it is.
 */
export function openSourceFile(path: string, optional: boolean, label = path): SourceFile | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (optional && errnoOf(error) === 'ENOENT') return null;
    throw unreadableError(label, error);
  }
  try {
    const { identity, regular, kind } = identityOf(fd);
    if (!regular) {
      throw new DatabaseFileError('unreadable', label, `${basename(label)} is ${kind}, not a regular file: SyncLens reads database files (and their -wal and -journal) only.`);
    }
    return { path, fd, identity };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export function closeSourceFile(file: SourceFile | null): void {
  if (file) closeSync(file.fd);
}

/** Reads up to `length` bytes at `offset`; shorter at the end of the file. */
export function readSourceBytes(file: SourceFile, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, Math.min(length, file.identity.size - offset)));
  let filled = 0;
  while (filled < bytes.byteLength) {
    const read = readSync(file.fd, bytes, filled, bytes.byteLength - filled, offset + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled === bytes.byteLength ? bytes : bytes.subarray(0, filled);
}

/** Fills `into` from `offset`; returns how many bytes the file held (the rest is left as is). */
export function readSourceInto(file: SourceFile, into: Uint8Array, offset: number): number {
  let filled = 0;
  while (filled < into.byteLength) {
    const read = readSync(file.fd, into, filled, into.byteLength - filled, offset + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}
