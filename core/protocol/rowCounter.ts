// The database worker's counting thread: the database worker asks, the counter answers. Counting
// reads a table whole; on a thread of its own it never holds up the page a user is waiting for.
// The counter keeps its own connection per file, opened when the database worker opens the file.
import * as z from 'zod';
import type { FilterOperator, SqlValue, TableRowCount, TimestampEncoding, TypedFilter } from '../db/types';
import { request } from './rpc';

const SqlValueSchema: z.ZodType<SqlValue> = z.union([z.null(), z.number(), z.string(), z.bigint(), z.instanceof(Uint8Array)]);
const filterOperators = ['eq', 'ne', 'contains', 'startsWith', 'gt', 'ge', 'lt', 'le', 'between', 'null', 'notNull'] as const satisfies readonly FilterOperator[];
const TypedFilterSchema: z.ZodType<TypedFilter> = z.object({
  column: z.string(),
  op: z.enum(filterOperators),
  value: SqlValueSchema.optional(),
  to: SqlValueSchema.optional(),
});
const timestampEncodings = ['iso8601', 'epoch-seconds', 'epoch-millis', 'epoch-micros'] as const satisfies readonly TimestampEncoding[];

const CountRowsParams = z.object({
  path: z.string(),
  table: z.string(),
  filters: z.array(TypedFilterSchema).readonly(),
  timestampEncodings: z.record(z.string(), z.enum(timestampEncodings)),
});
export type CountRowsParams = z.infer<typeof CountRowsParams>;

const FilePath = z.object({ path: z.string() });

export const RowCounterProtocol = {
  /** database worker -> counter: read (or re-read) the file, as the database worker just did. */
  open: request('open', FilePath),
  /** database worker -> counter: forget a file. */
  close: request('close', FilePath),
  /** database worker -> counter: exact counts of these tables and views, in their order. */
  countTables: request('countTables', z.object({ path: z.string(), tables: z.array(z.string()).readonly() })).returns<TableRowCount[]>(),
  /** database worker -> counter: rows of one table matching typed filters. */
  countRows: request('countRows', CountRowsParams).returns<number>(),
};
