// The one SQL connection shape every core reader takes. Two engines satisfy it: our wa-sqlite
// connection over a database file read page by page (core/db/wasm/connection.ts), and sql.js for
// databases that exist only in memory (schema-only copies). Its methods are the sql.js subset the
// readers use, so a reader never knows which engine it runs on.

/** A value as bound to a statement: INTEGER beyond 2^53 as bigint, BLOB as bytes. */
export type SqlParam = number | bigint | string | Uint8Array | boolean | null;

/** Positional values, or named ones keyed with their prefix (`:id`, `$id`, `@id`). */
export type SqlBindParams = readonly SqlParam[] | Readonly<Record<string, SqlParam>> | null;

/** A column value as read: INTEGER as number, or as bigint when the reader asks for exact integers. */
export type SqlCell = number | bigint | string | Uint8Array | null;

export interface SqlExecResult {
  columns: string[];
  values: SqlCell[][];
}

export interface SqlReadOptions {
  /** Every INTEGER as a bigint, so storage classes stay visible (REAL 2.0 and INTEGER 2 differ). */
  useBigInt?: boolean;
}

export interface SqlStatement {
  bind(params?: SqlBindParams): boolean;
  /** True while a row is available. */
  step(): boolean;
  get(params?: SqlBindParams | null, options?: SqlReadOptions): SqlCell[];
  getAsObject(params?: SqlBindParams | null, options?: SqlReadOptions): Record<string, SqlCell>;
  getColumnNames(): string[];
  /**
   * One cell of the current row, INTEGER as a number when a double holds it exactly and as a bigint
   * beyond: currentRow's value (core/db/query.ts) without reading the whole row. Absent on sql.js.
   */
  cell?(column: number): SqlCell;
  run(params?: SqlBindParams): void;
  reset(): void;
  /** Releases the statement; every prepared statement is freed in a finally block. */
  free(): boolean;
}

export interface SqlDatabase {
  exec(sql: string, params?: SqlBindParams): SqlExecResult[];
  prepare(sql: string, params?: SqlBindParams): SqlStatement;
  run(sql: string, params?: SqlBindParams): SqlDatabase;
  getRowsModified(): number;
  /**
   * The first `length` bytes of one BLOB of a rowid table, read without the rest of it (SQLite's
   * incremental BLOB I/O), or null when the cell holds no BLOB. Absent where the engine has no such
   * API (sql.js); readers then select a prefix with substr(), which loads the whole value.
   */
  readBlobPrefix?(table: string, column: string, rowid: number | bigint, length: number): Uint8Array | null;
  close(): void;
}
