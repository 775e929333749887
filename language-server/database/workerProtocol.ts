// Messages between the language server's main thread and its worker threads. Internal to the
// server (both ends live in this folder), so plain discriminated unions are enough.
import type { ErrorCode } from '../../core/errors';
import type { RunStatementResult } from '../../core/protocol/languageServer';
import type { ColumnInfo, SyncRole, SyncRoles, TableKind, TimestampEncoding } from '../../core/db/types';
import type { BackupLocation } from '../../core/db/writeBack';

export interface SnapshotColumn extends ColumnInfo {
  timestampEncoding: TimestampEncoding | null;
}

export interface SnapshotTable {
  name: string;
  kind: TableKind;
  rows: number;
  columns: SnapshotColumn[];
  role: SyncRole;
  error?: string;
}

/** What the server knows of a bound database: its schema, row counts and sync roles (no row data). */
export interface SchemaSnapshot {
  path: string;
  tables: SnapshotTable[];
  roles: SyncRoles;
  walFramesApplied: number;
  loadMs: number;
}

export interface StatementCheck {
  /** SQLite's message when preparing the statement failed, else null. */
  error: string | null;
  /** False when the statement would write (per EXPLAIN's opcodes) or controls transactions. */
  readOnly: boolean;
}

export type WorkerRequest =
  | { id: number; kind: 'load'; path: string }
  | { id: number; kind: 'check'; path: string; statements: string[] }
  | { id: number; kind: 'run'; path: string; sql: string; rowLimit: number; write: boolean; allowLive: boolean; backupLocation: BackupLocation; resultFile: string | null };

export type WorkerResponse =
  | { id: number; kind: 'load'; snapshot: SchemaSnapshot }
  | { id: number; kind: 'check'; checks: StatementCheck[] }
  | { id: number; kind: 'run'; result: RunStatementResult }
  /** `code`: the CodedError's, `internal` for anything else thrown. */
  | { id: number; kind: 'failed'; code: ErrorCode; message: string };

/** A line for the server's log (write-back recovery's, core/db/writeRecovery.ts): it has no id. */
export interface WorkerLogLine {
  kind: 'log';
  message: string;
}

/** Everything a worker thread posts. */
export type WorkerMessage = WorkerResponse | WorkerLogLine;

/** How a worker thread knows its job; the main thread passes it as workerData. */
export interface WorkerRole {
  synclensWorker: 'schema' | 'run';
}

export function isWorkerRole(value: unknown): value is WorkerRole {
  return typeof value === 'object' && value !== null && 'synclensWorker' in value;
}
