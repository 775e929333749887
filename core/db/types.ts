// Plain model types shared by core, the extension, the webviews (through core/protocol), the
// language server and the CLI. Nothing here imports sql.js, node or vscode.
import type { QueueLastSync, QueueSourceFacts, QueueSourceKind } from '../queue/types';

export type { QueueLastSync, QueueSourceFacts, QueueSourceKind } from '../queue/types';

/** A SQLite value as SyncLens hands it around: BLOBs stay bytes until they are displayed. */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface ColumnInfo {
  name: string;
  /** Declared type as written in the schema ('' when none). */
  type: string;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
  notNull: boolean;
  /** Default expression as SQLite stores it, or null. */
  defaultValue: string | null;
}

export interface IndexInfo {
  name: string;
  unique: boolean;
  columns: string[];
  /** 'c' created by CREATE INDEX, 'u' by UNIQUE, 'pk' by PRIMARY KEY. */
  origin: string;
  partial: boolean;
}

export interface ForeignKeyInfo {
  id: number;
  table: string;
  from: string[];
  to: string[];
  onUpdate: string;
  onDelete: string;
}

export type TableKind = 'table' | 'view';
export type SyncRole = 'entity' | 'queue' | 'state' | 'other';
export type TimestampEncoding = 'iso8601' | 'epoch-seconds' | 'epoch-millis' | 'epoch-micros';

export interface TableInfo {
  name: string;
  kind: TableKind;
  /**
   * Exact COUNT(*), or null until counted: counting a big table reads all of it, so it is a step of
   * its own (core/db/schema countTableRows) that first rows never wait for.
   */
  rows: number | null;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
  withoutRowid: boolean;
  sql: string;
  /** Set when SQLite could not read this table's columns or rows here (e.g. a virtual table whose module sql.js lacks). */
  error?: string;
}

export interface SchemaInfo {
  tables: TableInfo[];
}

/** A table with its exact count (0 when it could not be counted, with `error` saying why). */
export interface CountedTableInfo extends TableInfo {
  rows: number;
}

export interface CountedSchemaInfo extends SchemaInfo {
  tables: CountedTableInfo[];
}

/** One table's exact row count, or why SQLite could not count it here. */
export type TableRowCount = { readonly table: string; readonly rows: number } | { readonly table: string; readonly error: string };

/** `upsert`: create or replace (drift apps, PowerSync PUT, a Firestore set without precondition). */
export type QueueOperationKind = 'create' | 'update' | 'upsert' | 'delete';

export type QueueOperationStatus =
  | 'ready'
  | 'backing-off'
  | 'dead-lettered'
  | 'invalid'
  | 'orphan'
  | 'superseded';

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
  /** 0..1: the share of each delay that is randomised (full jitter = 1). */
  jitter: number;
}

export const defaultBackoffPolicy: BackoffPolicy = { baseMs: 2000, factor: 2, capMs: 3_600_000, jitter: 0.5 };
export const defaultMaxRetries = 5;

/** Which physical column plays each part of an entity table (camelCase, snake_case or configured). */
export interface EntityColumns {
  localId: string | null;
  /** External id = Firestore document id. */
  externalId: string;
  createdAt: string | null;
  updatedAt: string | null;
  isSynced: string | null;
  isDeleted: string | null;
  version: string | null;
}

export interface EntityTableRole {
  table: string;
  /** Firestore collection (config, else the table name as the app names it: `UserModel` -> `users`). */
  collection: string;
  /** Entity type as queue rows name it (`users`, `UserModel`, ...). */
  entityTypes: string[];
  columns: EntityColumns;
  /** Detected (or configured) encoding of each timestamp column. */
  timestampEncodings: Record<string, TimestampEncoding>;
  /** Columns whose text holds JSON objects/arrays (embedded objects). */
  jsonColumns: string[];
}

export interface QueueColumns {
  id: string;
  entityType: string;
  entityId: string;
  operation: string;
  payload: string;
  createdAt: string;
  retryCount: string;
  lastAttempt: string | null;
  lastError: string | null;
}

export interface QueueTableRole {
  table: string;
  columns: QueueColumns;
  /** 'text' (create|update|delete) or 'ordinal' (Isar's @enumerated: 0|1|2). */
  operationEncoding: 'text' | 'ordinal';
  timestampEncodings: Record<string, TimestampEncoding>;
  /** A side table holding each op's last error, joined by op id (drift apps); absent when none. */
  lastErrors?: QueueLastErrors;
  /** IANA zone of zone-less local text times (drift's `DateTime.now().toIso8601String()`); UTC when absent. */
  timeZone?: string;
}

export interface QueueLastErrors {
  table: string;
  /** The side table's column holding the op id. */
  opId: string;
  /** The side table's column holding the error text. */
  error: string;
  /** The queue's column it joins (default: the queue's primary key, a text op id included). */
  queueOpId?: string;
}

export interface StateTableRole {
  table: string;
  keyColumn: string;
  valueColumn: string;
}

export interface SyncRoles {
  entities: EntityTableRole[];
  queue: QueueTableRole | null;
  state: StateTableRole | null;
}

export interface QueueOperation {
  /** The queue row's id. */
  id: number;
  entityType: string;
  /** External id (odid) of the entity. */
  entityId: string;
  operation: QueueOperationKind;
  /**
   * The stored operation when it names none of create/update/delete (text or ordinal): the op is
   * then 'invalid' and `operation` is only a placeholder ('update').
   */
  unknownOperation?: string;
  /** Parsed payload, or null when it is not a JSON object (then status is 'invalid'). */
  payload: Record<string, unknown> | null;
  payloadText: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
  retryCount: number;
  lastAttempt: number | null;
  lastError: string | null;
  /** What a queue source says beyond these facts (core/queue: a Firestore write's kind and mask, a request's URL). */
  facts?: QueueSourceFacts;
}

export interface AnalyzedOperation extends QueueOperation {
  status: QueueOperationStatus;
  /** One line saying why this status. */
  reason: string;
  /** Set when status is 'backing-off': ms since the epoch of the next allowed attempt. */
  nextAttemptAt: number | null;
  /** Id of the operation that makes this one redundant, when 'superseded'. */
  supersededBy: number | null;
  /** Entity table this op targets, when known. */
  table: string | null;
}

export interface QueueTotals {
  total: number;
  /** retryCount < maxRetries (invalid and orphan ones included). */
  pending: number;
  ready: number;
  backingOff: number;
  deadLettered: number;
  invalid: number;
  orphans: number;
  superseded: number;
  /** createdAt (ms) of the oldest pending op, or null. */
  oldestPendingAt: number | null;
}

export interface QueueAnalysis {
  table: string;
  /** Which queue source the operations came from (core/queue). */
  kind: QueueSourceKind;
  /** Null when SyncLens may replay and remove the operations; otherwise why not (core/queue/types). */
  readOnlyReason: string | null;
  /** In the order the engine sends them: createdAt, then id. */
  operations: AnalyzedOperation[];
  totals: QueueTotals;
  /** The app's last completed sync from its own state (core/queue/types), or null when it keeps none. */
  lastSync: QueueLastSync | null;
}

/**
 * A cell as the grid shows it (core/db/rows.ts). Text stays exactly as stored, never HTML; JSON is
 * text that parses as an object or array; a BLOB is its size and the hex of its first 32 bytes;
 * `timestamp` is a value in its column's detected encoding, with its instant in UTC.
 */
export type CellValue =
  | { kind: 'null' }
  /** `text` is exact; `value` loses precision beyond 2^53. */
  | { kind: 'integer'; value: number; text: string }
  | { kind: 'real'; value: number; text: string }
  | { kind: 'text'; value: string }
  | { kind: 'json'; value: string }
  | { kind: 'blob'; size: number; hexPrefix: string }
  | { kind: 'timestamp'; raw: string | number; encoding: TimestampEncoding; millis: number; utc: string };

export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'contains'
  | 'startsWith'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'between'
  | 'null'
  | 'notNull';

/**
 * One filter on one column (core/db/rows.ts). `value` is converted to the column's type (text from
 * an input box becomes a number for an INTEGER column, an ISO date becomes the column's timestamp
 * encoding); `to` is the upper bound of 'between'. 'ne' keeps NULLs (`IS NOT`).
 */
export interface TypedFilter {
  readonly column: string;
  readonly op: FilterOperator;
  readonly value?: SqlValue;
  readonly to?: SqlValue;
}
