// Rows of one table or view, a page at a time, by keyset pagination: every page starts strictly
// after the last row of the previous one in (sort column, key) order, so a page deep in a large
// table costs one index seek, never an OFFSET scan. Values are bound, identifiers quoted.
//
// The key that makes the order total:
// - a rowid table: its rowid (under whichever of rowid/_rowid_/oid no column shadows);
// - a WITHOUT ROWID table: its primary key columns;
// - a view (or a table whose rowid names are all taken by columns): every column. Identical rows
//   cannot be told apart, so such a cursor also counts how many rows equal to the last one were
//   already returned; the next page starts AT that row and skips them.
// NULLs sort as SQLite sorts them: first when ascending, last when descending. The key follows
// the sort's direction.
import type { SqlDatabase, SqlStatement } from './sqlDatabase';
import { currentRawRow, normalizeValue, queryScalar, quoteIdentifier } from './query';
import { describeTable, type TableShape } from './schema';
import { blobCell, blobPrefixBytes, detectPageEncodings, toCell } from './cells';
import { bytesOf, fillBlobPrefixes, largeBlobSize, previewableColumns, valueColumns } from './blobPreviews';
import type { CellValue, SqlValue, TimestampEncoding, TypedFilter } from './types';
import { filterClause, RowsRequestError, SqlBuilder } from './rowFilters';

export { RowsRequestError } from './rowFilters';

export type SortDirection = 'asc' | 'desc';

export interface RowSort {
  readonly column: string;
  readonly direction: SortDirection;
}

/** Where the next page starts; opaque to callers, who hand back `nextCursor` unchanged. */
export interface Cursor {
  /** The last row's values of the order columns (sort column, then key columns). */
  readonly values: readonly SqlValue[];
  /** Views only: rows equal to the last one already returned. */
  readonly duplicates?: number;
}

export interface PageRequest {
  readonly table: string;
  readonly sort?: RowSort | null;
  readonly filters?: readonly TypedFilter[];
  readonly after?: Cursor | null;
  /** Rows per page, 1..10000. */
  readonly limit: number;
  /**
   * Encodings of timestamp columns (from detectRoles). When absent, columns whose name or declared
   * type says "time" are detected from the page's own values.
   */
  readonly timestampEncodings?: Readonly<Record<string, TimestampEncoding>>;
  /**
   * Read every value whole (export). By default a BLOB over 64 KiB comes back as its size and first
   * bytes only, so a page of photos costs kilobytes, not the photos.
   */
  readonly wholeValues?: boolean;
}

export interface Page {
  readonly columns: string[];
  /** Display-ready cells. */
  readonly rows: CellValue[][];
  /** The same rows as stored (exact integers, BLOB bytes; a previewed large BLOB only its first bytes): for copy and export. */
  readonly values: SqlValue[][];
  /** Each row's key for readRowByKey (rowid, primary key values, or every value for views). */
  readonly keys: SqlValue[][];
  readonly nextCursor: Cursor | null;
  readonly hasMore: boolean;
}


const maxPageRows = 10_000;
const defaultPageRows = 100;
/** A page of whole values (export) ends once its BLOBs and texts pass this size, however few its rows. */
const wholePageMaxBytes = 32 * 1024 * 1024;

interface OrderColumn {
  readonly expression: string;
  readonly descending: boolean;
  /** NOT NULL columns (and rowids) allow a plain range bound on the first order column. */
  readonly notNull: boolean;
}

export interface ReadPlan {
  readonly shape: TableShape;
  readonly from: string;
  /** Expressions selected before `*`: the key (rowid only; other keys are among the columns). */
  readonly keyPrefix: string[];
  /** Where each order column's value is, in the selected row (prefix + columns). */
  readonly orderIndexes: number[];
  readonly orderBy: OrderColumn[];
  readonly keyIndexes: number[];
  readonly unique: boolean;
}

function planRead(db: SqlDatabase, tableName: string, sort: RowSort | null | undefined): ReadPlan {
  const shape = describeTable(db, tableName);
  if (!shape) throw new RowsRequestError(`no table or view named "${tableName}"`);
  const from = `main.${quoteIdentifier(tableName)}`;
  const columnIndex = (name: string): number => shape.columns.findIndex((column) => column.name === name);

  const taken = new Set(shape.columns.map((column) => column.name.toLowerCase()));
  const rowidName = shape.kind === 'table' && !shape.withoutRowid ? ['rowid', '_rowid_', 'oid'].find((name) => !taken.has(name)) : undefined;
  const primaryKey = shape.columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);

  let keyPrefix: string[] = [];
  let keyColumns: Array<{ index: number; expression: string; notNull: boolean }>;
  let unique = true;
  if (rowidName) {
    keyPrefix = [rowidName];
    keyColumns = [{ index: 0, expression: rowidName, notNull: true }];
  } else if (shape.withoutRowid && primaryKey.length > 0) {
    keyColumns = primaryKey.map((column) => ({ index: columnIndex(column.name), expression: quoteIdentifier(column.name), notNull: true }));
  } else {
    unique = false;
    keyColumns = shape.columns.map((column, index) => ({ index, expression: quoteIdentifier(column.name), notNull: column.notNull }));
  }
  const offset = keyPrefix.length;
  const keys = keyColumns.map((key) => ({ ...key, index: key.index + (rowidName ? 0 : offset) }));

  const orderBy: OrderColumn[] = [];
  const orderIndexes: number[] = [];
  const descending = sort?.direction === 'desc';
  if (sort) {
    const index = columnIndex(sort.column);
    if (index < 0) throw new RowsRequestError(`"${tableName}" has no column "${sort.column}" to sort by`);
    orderBy.push({ expression: quoteIdentifier(sort.column), descending, notNull: shape.columns[index]!.notNull });
    orderIndexes.push(index + offset);
  }
  for (const key of keys) {
    orderBy.push({ expression: key.expression, descending, notNull: key.notNull });
    orderIndexes.push(key.index);
  }
  return { shape, from, keyPrefix, orderIndexes, orderBy, keyIndexes: keys.map((key) => key.index), unique };
}


/**
 * "Comes after the cursor" in the order (NULL lowest): a lexicographic comparison written out
 * column by column, since a row-value comparison with a NULL is NULL. With `inclusive` the cursor
 * row itself matches too. The first column also gets a plain range bound when it allows one, so
 * SQLite can seek in an index on it instead of testing every row. With `withoutNullTail` the rows
 * whose first column is NULL (the tail of a descending order) are left to a second query.
 */
function afterCursor(order: readonly OrderColumn[], values: readonly SqlValue[], inclusive: boolean, withoutNullTail: boolean, sql: SqlBuilder): string {
  const greater = (column: OrderColumn, value: SqlValue, index: number): string => {
    if (value === null) return column.descending ? '0' : `${column.expression} IS NOT NULL`;
    if (!column.descending) return `${column.expression} > ${sql.bind(value)}`;
    return column.notNull || (index === 0 && withoutNullTail)
      ? `${column.expression} < ${sql.bind(value)}`
      : `(${column.expression} < ${sql.bind(value)} OR ${column.expression} IS NULL)`;
  };
  const equal = (column: OrderColumn, value: SqlValue): string =>
    value === null ? `${column.expression} IS NULL` : `${column.expression} = ${sql.bind(value)}`;
  const build = (index: number): string => {
    const column = order[index]!;
    const value = values[index] ?? null;
    if (index === order.length - 1) return inclusive ? `(${greater(column, value, index)} OR ${equal(column, value)})` : greater(column, value, index);
    return `(${greater(column, value, index)} OR (${equal(column, value)} AND ${build(index + 1)}))`;
  };
  const first = order[0]!;
  const firstValue = values[0] ?? null;
  const seek =
    firstValue !== null && (!first.descending || first.notNull || withoutNullTail)
      ? `${first.expression} ${first.descending ? '<=' : '>='} ${sql.bind(firstValue)} AND `
      : '';
  return `${seek}${build(0)}`;
}

function whereOf(parts: readonly string[]): string {
  const present = parts.filter((part) => part !== '');
  return present.length === 0 ? '' : ` WHERE ${present.map((part) => `(${part})`).join(' AND ')}`;
}

function orderByOf(order: readonly OrderColumn[]): string {
  return ` ORDER BY ${order.map((column) => `${column.expression} ${column.descending ? 'DESC' : 'ASC'}`).join(', ')}`;
}

/** One page of rows after `after` (or the first page), in sort order with the key as tiebreaker. */
export function readPage(db: SqlDatabase, request: PageRequest): Page {
  const limit = Number.isFinite(request.limit) ? Math.max(1, Math.min(maxPageRows, Math.floor(request.limit))) : defaultPageRows;
  const plan = planRead(db, request.table, request.sort);
  const given = request.timestampEncodings;
  const filters = request.filters ?? [];
  const after = request.after ?? null;
  const skip = after && !plan.unique ? (after.duplicates ?? 0) : 0;
  if (after && after.values.length !== plan.orderBy.length) {
    throw new RowsRequestError(`the cursor does not fit "${request.table}" sorted this way; start from the first page`);
  }
  const wanted = limit + skip + 1;
  const first = plan.orderBy[0]!;
  // Descending on a nullable column, NULLs come last: "after the cursor" is "smaller, or NULL",
  // which no index range can answer. Two seeks instead: the smaller values, then the NULLs.
  const splitNullTail = after !== null && first.descending && !first.notNull && after.values[0] !== null && after.values[0] !== undefined;
  const previews = request.wholeValues ? [] : previewableColumns(plan);
  // A rowid table on an engine with incremental BLOB reads gets its previews from the first pages
  // of each BLOB alone; elsewhere substr() loads the whole value to cut its prefix.
  const readPrefix = plan.keyPrefix.length === 1 && db.readBlobPrefix ? db.readBlobPrefix.bind(db) : null;
  const selected = [...plan.keyPrefix, ...valueColumns(plan, previews, readPrefix !== null), ...previews.map((name) => largeBlobSize(name))].join(', ');
  const orderBy = orderByOf(plan.orderBy);

  const rawRows: unknown[][] = [];
  let pageBytes = 0;
  let cutShort = false;
  const largeBlobSizes: Array<Array<number | null>> = [];
  let columns: string[] = [];
  const run = (conditions: (sql: SqlBuilder) => string, count: number): void => {
    const sql = new SqlBuilder();
    const filterSql = filterClause(plan.shape, filters, given ?? {}, sql);
    const text = `SELECT ${selected} FROM ${plan.from}${whereOf([filterSql, conditions(sql)])}${orderBy} LIMIT ${count}`;
    withStatement(db, text, sql.params, (statement) => {
      const names = statement.getColumnNames();
      columns = names.slice(plan.keyPrefix.length, names.length - previews.length);
      while (statement.step()) {
        const raw = currentRawRow(statement);
        largeBlobSizes.push(raw.splice(raw.length - previews.length).map((size) => (size === null ? null : Number(size))));
        rawRows.push(raw);
        pageBytes += request.wholeValues ? bytesOf(raw) : 0;
        // Whole values (export) of a table of photos: the page ends early rather than hold gigabytes.
        if (pageBytes > wholePageMaxBytes && rawRows.length > skip) {
          cutShort = true;
          break;
        }
      }
    });
  };
  run((sql) => (after ? afterCursor(plan.orderBy, after.values, !plan.unique, splitNullTail, sql) : ''), wanted);
  if (splitNullTail && !cutShort && rawRows.length < wanted) run(() => `${first.expression} IS NULL`, wanted - rawRows.length);

  const pageRows = rawRows.slice(skip, Math.min(rawRows.length, skip + limit));
  const pageBlobSizes = largeBlobSizes.slice(skip, skip + limit);
  if (readPrefix) fillBlobPrefixes(pageRows, pageBlobSizes, previews, columns, plan.keyPrefix.length, (column, rowid) => readPrefix(request.table, column, rowid, blobPrefixBytes));
  const hasMore = cutShort || rawRows.length > skip + limit;
  const values = pageRows.map((row) => row.map(normalizeValue));
  const encodings = given ?? detectPageEncodings(plan.shape, columns, values, plan.keyPrefix.length);
  const prefix = plan.keyPrefix.length;
  const rows = pageRows.map((row, rowIndex) =>
    row.slice(prefix).map((raw, index) => {
      const previewIndex = previews.indexOf(columns[index]!);
      const largeSize = previewIndex < 0 ? null : (pageBlobSizes[rowIndex]?.[previewIndex] ?? null);
      return largeSize === null ? toCell(raw, encodings[columns[index]!]) : blobCell(raw as Uint8Array, largeSize);
    }),
  );

  let nextCursor: Cursor | null = null;
  const last = values[values.length - 1];
  if (hasMore && last) {
    const cursorValues = plan.orderIndexes.map((index) => last[index] ?? null);
    if (plan.unique) nextCursor = { values: cursorValues };
    else {
      let duplicates = 0;
      for (let index = values.length - 1; index >= 0 && sameValues(plan.orderIndexes.map((i) => values[index]![i] ?? null), cursorValues); index--) duplicates++;
      // Rows equal to the cursor that an earlier page returned are still ahead in this query's
      // result when this page holds nothing but such rows.
      if (duplicates === values.length && after && sameValues(after.values, cursorValues)) duplicates += skip;
      nextCursor = { values: cursorValues, duplicates };
    }
  }
  return {
    columns,
    rows,
    values: values.map((row) => row.slice(prefix)),
    keys: values.map((row) => plan.keyIndexes.map((index) => row[index] ?? null)),
    nextCursor,
    hasMore,
  };
}

/** Exact number of rows matching the filters. */
export function countRows(db: SqlDatabase, table: string, filters: readonly TypedFilter[] = [], timestampEncodings: Readonly<Record<string, TimestampEncoding>> = {}): number {
  const shape = describeTable(db, table);
  if (!shape) throw new RowsRequestError(`no table or view named "${table}"`);
  const sql = new SqlBuilder();
  const where = whereOf([filterClause(shape, filters, timestampEncodings, sql)]);
  return Number(queryScalar(db, `SELECT count(*) FROM main.${quoteIdentifier(table)}${where}`, sql.params) ?? 0);
}

export interface RowByKey {
  readonly columns: string[];
  readonly row: CellValue[];
  readonly values: SqlValue[];
}

/** The row with this key (as a page's `keys` give it), or null when it is gone. */
export function readRowByKey(
  db: SqlDatabase,
  table: string,
  key: readonly SqlValue[],
  timestampEncodings: Readonly<Record<string, TimestampEncoding>> = {},
): RowByKey | null {
  const plan = planRead(db, table, null);
  if (key.length !== plan.keyIndexes.length) throw new RowsRequestError(`a key of "${table}" has ${plan.keyIndexes.length} values, not ${key.length}`);
  const sql = new SqlBuilder();
  const keyOrder = plan.orderBy;
  const match = keyOrder
    .map((column, index) => {
      const value = key[index] ?? null;
      return value === null ? `${column.expression} IS NULL` : `${column.expression} = ${sql.bind(value)}`;
    })
    .join(' AND ');
  const text = `SELECT ${[...plan.keyPrefix, '*'].join(', ')} FROM ${plan.from} WHERE ${match} LIMIT 1`;
  let result: RowByKey | null = null;
  withStatement(db, text, sql.params, (statement) => {
    if (!statement.step()) return;
    const raw = currentRawRow(statement).slice(plan.keyPrefix.length);
    const columns = statement.getColumnNames().slice(plan.keyPrefix.length);
    result = { columns, row: raw.map((value, index) => toCell(value, timestampEncodings[columns[index]!])), values: raw.map(normalizeValue) };
  });
  return result;
}

export interface IterateRowsOptions {
  readonly table: string;
  readonly sort?: RowSort | null;
  readonly filters?: readonly TypedFilter[];
  /** Rows per yielded page (default 1000). */
  readonly chunkRows?: number;
  readonly timestampEncodings?: Readonly<Record<string, TimestampEncoding>>;
}

/**
 * Every matching row, a page at a time, for export: each page is a fresh keyset query, so the
 * caller can pause between pages (progress, cancel) without holding a statement open.
 */
export function iterateRows(db: SqlDatabase, options: IterateRowsOptions): Generator<Page>;
export function iterateRows(db: SqlDatabase, table: string, filters?: readonly TypedFilter[], sort?: RowSort | null, batchSize?: number): Generator<Page>;
export function* iterateRows(
  db: SqlDatabase,
  tableOrOptions: string | IterateRowsOptions,
  filters: readonly TypedFilter[] = [],
  sort: RowSort | null = null,
  batchSize = 1000,
): Generator<Page> {
  const options: IterateRowsOptions = typeof tableOrOptions === 'string' ? { table: tableOrOptions, filters, sort, chunkRows: batchSize } : tableOrOptions;
  let after: Cursor | null = null;
  for (;;) {
    const page = readPage(db, {
      table: options.table,
      sort: options.sort ?? null,
      filters: options.filters ?? [],
      after,
      limit: options.chunkRows ?? 1000,
      timestampEncodings: options.timestampEncodings,
      wholeValues: true,
    });
    if (page.rows.length > 0) yield page;
    if (!page.hasMore || page.nextCursor === null) return;
    after = page.nextCursor;
  }
}

function withStatement(db: SqlDatabase, text: string, params: readonly SqlValue[], use: (statement: SqlStatement) => void): void {
  const statement = db.prepare(text);
  try {
    // Both engines bind a bigint themselves (sql.js as text, cast back by placeholderFor).
    if (params.length > 0) statement.bind(params as unknown as number[]);
    use(statement);
  } finally {
    statement.free();
  }
}

function sameValues(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  return a.length === b.length && a.every((value, index) => sameValue(value, b[index] ?? null));
}

function sameValue(a: SqlValue, b: SqlValue): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((byte, index) => byte === b[index]);
  return a === b;
}
