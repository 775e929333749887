// One error type with a code for every failure that a program reacts to: the engine, the workers
// and the extension share the code union below, and the RPC layer (core/protocol/rpc.ts) carries the
// code across a message port unchanged. The specific classes (DatabaseFileError, ConfigError, ...)
// extend CodedError with a narrower code; elsewhere, throw `new CodedError(code, message)`.

/** Why a file cannot be opened as an app database. Part of the CLI's JSON contract. */
export type DatabaseFileErrorCode =
  | 'empty'
  | 'not-sqlite'
  | 'encrypted'
  /** Encrypted, and the key (or the cipher) given does not open it. */
  | 'wrong-key'
  | 'mdbx'
  | 'truncated'
  | 'corrupt'
  | 'unreadable'
  /** The app kept writing while SyncLens read: no settled snapshot after a few tries. */
  | 'changing';

/** Why a write-back left the database file as it was. */
/** 'backup-unusable': Restore… was given a backup that is missing, not SQLite or damaged (core/db/restoreBackup.ts). */
export type DatabaseWriteErrorCode = 'changed' | 'live' | 'partial-read' | 'open-transaction' | 'integrity' | 'io' | 'backup-unusable';

/** Why a Firestore target could not be used at all. */
export type FirestoreConnectionErrorCode = 'unreachable' | 'permission-denied' | 'unknown-project' | 'unauthenticated' | 'invalid-config';

/** The Firestore SDK's codes (FirestoreErrorCode) a remote read or write fails with. */
export type RemoteErrorCode =
  | 'cancelled'
  | 'unknown'
  | 'invalid-argument'
  | 'deadline-exceeded'
  | 'not-found'
  | 'already-exists'
  | 'resource-exhausted'
  | 'failed-precondition'
  | 'aborted'
  | 'out-of-range'
  | 'unimplemented'
  | 'unavailable'
  | 'data-loss';

/** A message channel's own failures (core/protocol/rpc.ts). */
export type ChannelErrorCode =
  /** The other end went away, or this end was closed. */
  | 'closed'
  | 'post-failed'
  | 'unknown-method'
  /** A message's params failed its method's schema: nothing ran. */
  | 'invalid-params'
  /** The sender aborted the request (its AbortSignal, sent as `$/cancel`). */
  | 'cancelled';

/** A worker request that names something the worker no longer holds. */
export type WorkerErrorCode = 'not-open' | 'missing';

export type ErrorCode =
  | DatabaseFileErrorCode
  | DatabaseWriteErrorCode
  | FirestoreConnectionErrorCode
  | RemoteErrorCode
  | ChannelErrorCode
  | WorkerErrorCode
  /** synclens.json is invalid or names what the database does not have. */
  | 'config'
  /** A tagged value (core's value encoding) that does not decode. */
  | 'invalid-value'
  /** No Firestore target: none was given and synclens.json names none. */
  | 'no-target'
  /** A CLI option (or the file it names) is malformed: nothing was done. */
  | 'bad-option'
  /** Restricted Mode: the workspace is not trusted for this. */
  | 'restricted'
  /** The Firestore emulator is not installed, or Java is missing. */
  | 'emulator-unavailable'
  /** The emulator is installed but did not start. */
  | 'emulator-start'
  /** The queue belongs to another stack (Firestore SDK, PowerSync, Brick): SyncLens only reads it. */
  | 'read-only-queue'
  /** Anything else: a bug, whose message and stack go to the log. */
  | 'internal';

/** Every code once: the type makes a code missing here (or one not in ErrorCode) a compile error. */
const errorCodes: Record<ErrorCode, true> = {
  empty: true, 'not-sqlite': true, encrypted: true, 'wrong-key': true, mdbx: true, truncated: true, corrupt: true,
  unreadable: true, changing: true, changed: true, live: true, 'partial-read': true, 'open-transaction': true,
  integrity: true, io: true, 'backup-unusable': true, unreachable: true, 'permission-denied': true, 'unknown-project': true,
  unauthenticated: true, 'invalid-config': true, cancelled: true, unknown: true, 'invalid-argument': true,
  'deadline-exceeded': true, 'not-found': true, 'already-exists': true, 'resource-exhausted': true,
  'failed-precondition': true, aborted: true, 'out-of-range': true, unimplemented: true, unavailable: true,
  'data-loss': true, closed: true, 'post-failed': true, 'unknown-method': true, 'invalid-params': true,
  'not-open': true, missing: true, config: true, 'invalid-value': true, 'no-target': true, 'bad-option': true,
  restricted: true, 'emulator-unavailable': true, 'emulator-start': true, 'read-only-queue': true, internal: true,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

export class CodedError<Code extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'CodedError';
  constructor(
    readonly code: Code,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** True for a CodedError (any subclass, or an RpcError that carried one), optionally of one code. */
export function isCodedError(error: unknown, code?: ErrorCode): error is CodedError {
  return error instanceof CodedError && (code === undefined || error.code === code);
}

/** The code of a CodedError, or undefined for anything else (a Node errno code is not one of ours). */
export function errorCode(error: unknown): ErrorCode | undefined {
  return error instanceof CodedError ? error.code : undefined;
}

/** The one-line-or-more text of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
