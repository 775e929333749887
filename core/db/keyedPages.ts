// A whole table read in key order, a bounded page at a time: each page is one keyset query
// (`WHERE key > last ORDER BY key LIMIT n`) run through OpenedDatabase.read, so no statement stays
// open across pages and memory holds one page, whatever the table's size. The secrets scan walks
// tables this way and the diff merges two such streams, one per file, which is why the order is
// also available as a comparator (compareKeys) that agrees with SQLite's ORDER BY.
import type { OpenedDatabase } from './open';
import { currentRow, placeholderFor, queryObjects, quoteIdentifier, asText } from './query';
import type { SqlDatabase, SqlStatement } from './sqlDatabase';
import type { ColumnInfo, SqlValue } from './types';

/** What identifies a row: its primary key columns, or the rowid of a table that declares none. */
export interface TableKey {
  readonly kind: 'primary-key' | 'rowid';
  /** Column names (primary key) or the one rowid alias no column shadows. */
  readonly columns: readonly string[];
  /** Each key column's collating sequence, as the primary key index sorts it (BINARY for a rowid). */
  readonly collations: readonly string[];
}

export interface KeyedPage {
  /**
   * Each row in key order: its key values first (`keyLength` of them), then the values of `select`
   * in order. One array per row, not two: pages are read by the million.
   */
  readonly rows: SqlValue[][];
  readonly keyLength: number;
}

export interface KeyedReadOptions {
  /** SQL expressions selected for each row (default: every column, quoted). */
  readonly select: readonly string[];
  /** Rows per page (default 1,000). */
  readonly pageRows?: number;
  /** A page ends early once its texts and BLOBs pass this many bytes (default 16 MiB). */
  readonly pageBytes?: number;
}

const defaultPageRows = 1000;
const defaultPageBytes = 16 * 1024 * 1024;

/**
 * The key a table's rows are read and matched by. An INTEGER PRIMARY KEY is the rowid itself; any
 * other declared primary key is read through its index; a table without one falls back on the
 * rowid (which a VACUUM may renumber: callers that compare files say so). Null for a table with
 * neither (a WITHOUT ROWID table always has a primary key, so only a view).
 */
export function tableKey(db: SqlDatabase, table: string, columns: readonly ColumnInfo[], withoutRowid: boolean): TableKey | null {
  const primaryKey = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
  const taken = new Set(columns.map((column) => column.name.toLowerCase()));
  const rowidName = withoutRowid ? undefined : ['rowid', '_rowid_', 'oid'].find((name) => !taken.has(name));
  const isRowidAlias = !withoutRowid && primaryKey.length === 1 && primaryKey[0]!.type.toUpperCase() === 'INTEGER';
  if (isRowidAlias) return { kind: 'primary-key', columns: [primaryKey[0]!.name], collations: ['BINARY'] };
  if (primaryKey.length > 0) return { kind: 'primary-key', columns: primaryKey.map((column) => column.name), collations: primaryKeyCollations(db, table, primaryKey) };
  return rowidName ? { kind: 'rowid', columns: [rowidName], collations: ['BINARY'] } : null;
}

function primaryKeyCollations(db: SqlDatabase, table: string, primaryKey: readonly ColumnInfo[]): string[] {
  const [index] = queryObjects(db, `SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'`, [table]);
  const indexName = index ? asText(index.name ?? null) : null;
  if (!indexName) return primaryKey.map(() => 'BINARY');
  const byColumn = new Map(
    queryObjects(db, 'SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1', [indexName]).map((row) => [asText(row.name ?? null) ?? '', (asText(row.coll ?? null) ?? 'BINARY').toUpperCase()]),
  );
  return primaryKey.map((column) => byColumn.get(column.name) ?? 'BINARY');
}

/** The expression a key column is selected and compared by. */
function keyExpression(key: TableKey, index: number): string {
  const name = key.columns[index]!;
  return key.kind === 'rowid' ? name : quoteIdentifier(name);
}

function sizeOf(value: SqlValue): number {
  if (typeof value === 'string') return value.length * 2;
  if (value instanceof Uint8Array) return value.byteLength;
  return 8;
}

/** Every row of `table` in key order, page by page. */
export function* readKeyedPages(file: OpenedDatabase, table: string, key: TableKey, options: KeyedReadOptions): Generator<KeyedPage> {
  const pageRows = options.pageRows ?? defaultPageRows;
  const pageBytes = options.pageBytes ?? defaultPageBytes;
  const keyExpressions = key.columns.map((_, index) => keyExpression(key, index));
  const selected = [...keyExpressions, ...options.select].join(', ');
  const from = `main.${quoteIdentifier(table)}`;
  const order = keyExpressions.join(', ');
  let after: SqlValue[] | null = null;
  for (;;) {
    const last: SqlValue[] | null = after;
    const page: KeyedPage & { more: boolean } = file.read((db) => readPage(db, last));
    if (page.rows.length > 0) yield page;
    if (page.rows.length === 0 || !page.more) return;
    after = page.rows[page.rows.length - 1]!.slice(0, keyExpressions.length);
  }

  function readPage(db: SqlDatabase, last: SqlValue[] | null): KeyedPage & { more: boolean } {
    const params: SqlValue[] = [];
    let where = '';
    if (last) {
      const placeholders = last.map((value) => {
        params.push(value);
        return placeholderFor(value);
      });
      where = keyExpressions.length === 1 ? `WHERE ${keyExpressions[0]} > ${placeholders[0]}` : `WHERE (${order}) > (${placeholders.join(', ')})`;
    }
    const statement = db.prepare(`SELECT ${selected} FROM ${from} ${where} ORDER BY ${order} LIMIT ${pageRows}`);
    const rows: SqlValue[][] = [];
    let bytes = 0;
    let more = false;
    try {
      if (params.length > 0) statement.bind(params as never);
      while (statement.step()) {
        const values = exactRow(statement);
        rows.push(values);
        for (let index = 0; index < values.length; index++) bytes += sizeOf(values[index]!);
        if (rows.length >= pageRows || bytes >= pageBytes) {
          more = true;
          break;
        }
      }
    } finally {
      statement.free();
    }
    return { rows, keyLength: keyExpressions.length, more };
  }
}

/**
 * The current row, integers exact. Read as plain numbers first: a BigInt per INTEGER cell costs more
 * than the rest of the row, and only a value beyond 2^53 needs one, so only then is the row read
 * again with bigints (a REAL that large is read again too, and stays a number).
 */
function exactRow(statement: SqlStatement): SqlValue[] {
  const row = statement.get() as SqlValue[];
  for (let index = 0; index < row.length; index++) {
    const value = row[index];
    if (typeof value === 'number' && (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) && Number.isInteger(value)) return currentRow(statement);
  }
  return row;
}

// SQLite's sort order: NULL, then numbers (INTEGER and REAL by value), then text (by collation),
// then BLOBs (memcmp).
function storageRank(value: SqlValue): number {
  if (value === null) return 0;
  if (typeof value === 'number' || typeof value === 'bigint') return 1;
  if (typeof value === 'string') return 2;
  return 3;
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // A bigint is an INTEGER beyond 2^53; a fractional REAL beside it compares by its integer part first.
  const big = typeof a === 'bigint' ? a : (b as bigint);
  const other = typeof a === 'bigint' ? (b as number) : (a as number);
  const floor = BigInt(Math.floor(other));
  const order = big < floor ? -1 : big > floor ? 1 : Number.isInteger(other) ? 0 : -1;
  return typeof a === 'bigint' ? order : -order;
}

/** Code-point order, which is the byte order of UTF-8 (SQLite's BINARY collation). */
function compareBinaryText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above U+FFFF, so it sorts after every other code unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function foldAsciiCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function compareText(a: string, b: string, collation: string): number {
  if (collation === 'NOCASE') return compareBinaryText(foldAsciiCase(a), foldAsciiCase(b));
  if (collation === 'RTRIM') return compareBinaryText(a.replace(/ +$/, ''), b.replace(/ +$/, ''));
  return compareBinaryText(a, b);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return a.length - b.length;
}

/** One value against another in SQLite's ORDER BY order under `collation`. */
export function compareSqlValues(a: SqlValue, b: SqlValue, collation = 'BINARY'): number {
  const rank = storageRank(a) - storageRank(b);
  if (rank !== 0) return rank;
  if (a === null || b === null) return 0;
  if (typeof a === 'string') return compareText(a, b as string, collation);
  if (a instanceof Uint8Array) return compareBytes(a, b as Uint8Array);
  return compareNumbers(a, b as number | bigint);
}

/** Two keys of the same table in its key order: the first `collations.length` values of each. */
export function compareKeys(a: readonly SqlValue[], b: readonly SqlValue[], collations: readonly string[]): number {
  for (let index = 0; index < collations.length; index++) {
    const order = compareSqlValues(a[index] ?? null, b[index] ?? null, collations[index] ?? 'BINARY');
    if (order !== 0) return order;
  }
  return 0;
}

/** Collations compareSqlValues knows; a key under any other cannot be merged in JavaScript. */
export function isKnownCollation(collation: string): boolean {
  return collation === 'BINARY' || collation === 'NOCASE' || collation === 'RTRIM';
}
