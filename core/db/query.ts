// Small typed helpers over SqlDatabase statements (core/db/sqlDatabase.ts), shared by the core/db readers. Every statement is
// freed in a finally block; integers come back exactly (bigint beyond 2^53, number otherwise).
import type { SqlBindParams, SqlDatabase, SqlStatement } from './sqlDatabase';
import type { SqlValue } from './types';

/** Quotes an identifier for SQL text: `"` doubled inside, so any table or column name is safe. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The placeholder for a bound value. sql.js (in-memory copies) binds a bigint as TEXT, which would compare as text
 * against integers outside a column's affinity, so such values are cast back.
 */
export function placeholderFor(value: SqlValue): string {
  return typeof value === 'bigint' ? 'CAST(? AS INTEGER)' : '?';
}

type GetWithConfig = (params: SqlBindParams | null, config: { useBigInt: boolean }) => unknown[];

/** The current row of a stepped statement, integers exact. */
export function currentRow(statement: SqlStatement): SqlValue[] {
  return currentRawRow(statement).map(normalizeValue);
}

/**
 * The current row as the engine gives it with useBigInt: every INTEGER is a bigint and every REAL a
 * number, so the storage class is still visible (REAL 2.0 and INTEGER 2 differ).
 */
export function currentRawRow(statement: SqlStatement): unknown[] {
  return (statement.get as unknown as GetWithConfig).call(statement, null, { useBigInt: true });
}

/** A statement's rows one at a time, each cell read on its own (core/db/queueRows.ts). */
export interface RowCursor {
  /** True while a row is available. */
  step(): boolean;
  /** A cell of the current row, integers exact, as currentRow gives it. */
  cell(column: number): SqlValue;
}

/**
 * Steps `statement` with no row array, where the engine reads a cell by itself (core/db/wasm);
 * elsewhere (sql.js) each row is read whole by currentRow.
 */
export function rowCursor(statement: SqlStatement): RowCursor {
  // A cell is a SqlValue there: the statement is its own cursor.
  if (statement.cell) return statement as SqlStatement & RowCursor;
  let row: SqlValue[] = [];
  return {
    step: () => {
      if (!statement.step()) return false;
      row = currentRow(statement);
      return true;
    },
    cell: (column) => row[column] ?? null,
  };
}

export function normalizeValue(value: unknown): SqlValue {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || value instanceof Uint8Array) return value;
  return String(value);
}

function toBindable(params: readonly SqlValue[]): SqlBindParams {
  // Both engines bind a bigint themselves (sql.js as text: see placeholderFor).
  return params as unknown as SqlBindParams;
}

export interface QueryResult {
  columns: string[];
  rows: SqlValue[][];
}

/** Runs one statement with bound values and returns every row. */
export function queryAll(db: SqlDatabase, sql: string, params: readonly SqlValue[] = []): QueryResult {
  const statement = db.prepare(sql);
  try {
    if (params.length > 0) statement.bind(toBindable(params));
    const rows: SqlValue[][] = [];
    while (statement.step()) rows.push(currentRow(statement));
    return { columns: statement.getColumnNames(), rows };
  } finally {
    statement.free();
  }
}

/** Rows as objects keyed by column name (for pragmas and small result sets). */
export function queryObjects(db: SqlDatabase, sql: string, params: readonly SqlValue[] = []): Record<string, SqlValue>[] {
  const { columns, rows } = queryAll(db, sql, params);
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])));
}

/** The first column of the first row, or null when there is no row. */
export function queryScalar(db: SqlDatabase, sql: string, params: readonly SqlValue[] = []): SqlValue {
  const statement = db.prepare(sql);
  try {
    if (params.length > 0) statement.bind(toBindable(params));
    return statement.step() ? (currentRow(statement)[0] ?? null) : null;
  } finally {
    statement.free();
  }
}

/** Bound values per statement when the values go as a list. */
const valuesPerList = 500;
/** Strings JSON text and SQLite's json_each may not carry exactly hold a NUL or a surrogate. */
const surrogate = /[\ud800-\udfff]/;
const isExactInJson = (value: string | number): boolean =>
  typeof value === 'number' ? Number.isSafeInteger(value) : !value.includes('\u0000') && !surrogate.test(value);

/**
 * What follows `IN` for many values, with its parameters: one JSON array bound once and read by
 * json_each when every value survives JSON exactly, else chunks of bound values. Binding 500
 * parameters cost more than the statement they went to. Both compare alike: the unary + takes
 * json_each's BLOB affinity off its value (a number would not match a TEXT column's '5'
 * otherwise), so, as with a bound value, the column's affinity and collation decide.
 */
export function inLists(values: readonly (string | number)[]): { list: string; params: SqlValue[] }[] {
  if (values.length === 0) return [];
  if (values.every(isExactInJson)) return [{ list: 'SELECT +value FROM json_each(?)', params: [JSON.stringify(values)] }];
  const lists: { list: string; params: SqlValue[] }[] = [];
  for (let start = 0; start < values.length; start += valuesPerList) {
    const chunk = values.slice(start, start + valuesPerList);
    lists.push({ list: chunk.map(() => '?').join(', '), params: chunk });
  }
  return lists;
}

export function asNumber(value: SqlValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function asText(value: SqlValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

/** A JSON object stored as text (a queued payload, a request body); anything else, or broken JSON, is null. */
export function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
