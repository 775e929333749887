import { basename } from 'node:path';
import { CodedError, errorMessage, type DatabaseFileErrorCode } from '../errors';

export type { DatabaseFileErrorCode } from '../errors';

/** Why a file cannot be opened as an app database (the codes are part of the CLI's JSON contract). */
export class DatabaseFileError extends CodedError<DatabaseFileErrorCode> {
  override readonly name = 'DatabaseFileError';
  constructor(
    code: DatabaseFileErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(code, message);
  }
}

export function isDatabaseFileError(error: unknown): error is DatabaseFileError {
  return error instanceof DatabaseFileError;
}

/** An error of the file system (EIO, EACCES, ...): about the disk, not about the bytes read. */
function isFileSystemError(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * What an unexpected exception while indexing a -wal or -journal means: the file's bytes (a forged
 * size, count or page number) made the reader fail, so the file is damaged: 'corrupt', naming the
 * file, where in it (`at`: "frame 12") and what went wrong, then `remedy`. SyncLens's own file
 * errors and the file system's pass through unchanged.
 */
export function sidecarFailure(error: unknown, file: string, at: string, remedy: string): Error {
  if (error instanceof DatabaseFileError || isFileSystemError(error)) return error as Error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : errorMessage(error);
  return new DatabaseFileError('corrupt', file, `${basename(file)} is damaged: reading ${at} failed (${what}). ${remedy}`);
}
