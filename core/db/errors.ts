/** Why a file cannot be opened as an app database. The codes are part of the CLI's JSON contract. */
export type DatabaseFileErrorCode =
  | 'empty'
  | 'not-sqlite'
  | 'encrypted'
  | 'mdbx'
  | 'truncated'
  | 'corrupt'
  | 'unreadable'
  /** The app kept writing while SyncLens read: no settled snapshot after a few tries. */
  | 'changing';

export class DatabaseFileError extends Error {
  override readonly name = 'DatabaseFileError';
  constructor(
    readonly code: DatabaseFileErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export function isDatabaseFileError(error: unknown): error is DatabaseFileError {
  return error instanceof DatabaseFileError;
}
