// The WHERE half of a page request: the grid's typed filters as SQL whose values are all bound,
// each filter value converted to what its column stores (by type affinity and timestamp encoding),
// so "42" finds 42 in an INTEGER column and an ISO date finds epoch milliseconds. Split from
// rows.ts, which builds the ORDER BY and keyset half.
import { CodedError } from '../errors';
import { placeholderFor, quoteIdentifier } from './query';
import type { TableShape } from './schema';
import { millisToTimestamp, parseIso } from './timestamps';
import type { ColumnInfo, SqlValue, TimestampEncoding, TypedFilter } from './types';

/**
 * A request that names a missing table or column, or a filter without its value: the request's
 * fault (a stale or hostile webview message), not a bug, so it carries `invalid-params`.
 */
export class RowsRequestError extends CodedError<'invalid-params'> {
  override readonly name = 'RowsRequestError';
  constructor(message: string) {
    super('invalid-params', message);
  }
}

/** Collects SQL text and its bound values in step. */
export class SqlBuilder {
  readonly params: SqlValue[] = [];
  bind(value: SqlValue): string {
    this.params.push(value);
    return placeholderFor(value);
  }
}

export function filterClause(shape: TableShape, filters: readonly TypedFilter[], encodings: Readonly<Record<string, TimestampEncoding>>, sql: SqlBuilder): string {
  return filters
    .map((filter) => {
      const column = shape.columns.find((candidate) => candidate.name === filter.column);
      if (!column) throw new RowsRequestError(`"${shape.name}" has no column "${filter.column}" to filter on`);
      const name = quoteIdentifier(column.name);
      const encoding = encodings[column.name];
      const typed = (value: SqlValue | undefined, part = 'value'): SqlValue => {
        if (value === undefined) throw new RowsRequestError(`filter "${filter.op}" on "${column.name}" needs a ${part}`);
        return toColumnType(value, column, encoding);
      };
      switch (filter.op) {
        case 'null':
          return `${name} IS NULL`;
        case 'notNull':
          return `${name} IS NOT NULL`;
        case 'eq':
          return `${name} = ${sql.bind(typed(filter.value))}`;
        case 'ne':
          return `${name} IS NOT ${sql.bind(typed(filter.value))}`;
        case 'gt':
          return `${name} > ${sql.bind(typed(filter.value))}`;
        case 'ge':
          return `${name} >= ${sql.bind(typed(filter.value))}`;
        case 'lt':
          return `${name} < ${sql.bind(typed(filter.value))}`;
        case 'le':
          return `${name} <= ${sql.bind(typed(filter.value))}`;
        case 'between':
          return `${name} BETWEEN ${sql.bind(typed(filter.value))} AND ${sql.bind(typed(filter.to, 'upper bound ("to")'))}`;
        case 'contains':
          return `${likeOperand(column)} LIKE ${sql.bind(`%${escapeLike(likeText(filter.value, column))}%`)} ESCAPE '\\'`;
        case 'startsWith':
          return `${likeOperand(column)} LIKE ${sql.bind(`${escapeLike(likeText(filter.value, column))}%`)} ESCAPE '\\'`;
        default:
          throw new RowsRequestError(`unknown filter "${String((filter as { op: unknown }).op)}" on "${column.name}"`);
      }
    })
    .join(' AND ');
}

/**
 * What LIKE compares. Our SQLite is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS, so a column that
 * holds BLOBs (BLOB affinity: declared BLOB, or no type) is compared as its text.
 */
function likeOperand(column: ColumnInfo): string {
  const type = column.type.toUpperCase();
  const name = quoteIdentifier(column.name);
  return type.includes('BLOB') || type === '' ? `CAST(${name} AS TEXT)` : name;
}

function likeText(value: SqlValue | undefined, column: ColumnInfo): string {
  if (value === undefined || value === null) throw new RowsRequestError(`a text filter on "${column.name}" needs a value`);
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * A filter value as the column stores it, by the column's type affinity: "42" is 42 for an INTEGER
 * column, an ISO date is converted into the column's timestamp encoding.
 */
function toColumnType(value: SqlValue, column: ColumnInfo, encoding: TimestampEncoding | undefined): SqlValue {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (encoding && encoding !== 'iso8601') {
    const millis = parseIso(text);
    if (millis !== null) return millisToTimestamp(millis, encoding);
  }
  const type = column.type.toUpperCase();
  const numeric = text !== '' && Number.isFinite(Number(text));
  if (type.includes('INT')) {
    if (/^[+-]?\d+$/.test(text)) {
      const big = BigInt(text);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    return numeric ? Number(text) : value;
  }
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return value;
  if (type.includes('BLOB') || type === '') return numeric && type === '' ? Number(text) : value;
  return numeric ? Number(text) : value;
}
