// The database worker's counting thread: the database worker asks, the counter answers. Counting
// reads a table whole; on a thread of its own it never holds up the page a user is waiting for.
// The counter keeps its own connection per file, opened when the database worker opens the file.
import type { TableRowCount, TimestampEncoding, TypedFilter } from '../db/types';
import { request } from './rpc';

export interface CountRowsParams {
  readonly path: string;
  readonly table: string;
  readonly filters: readonly TypedFilter[];
  readonly timestampEncodings: Readonly<Record<string, TimestampEncoding>>;
}

export const RowCounterProtocol = {
  /** database worker -> counter: read (or re-read) the file, as the database worker just did. */
  open: request<{ path: string }, void>('open'),
  /** database worker -> counter: forget a file. */
  close: request<{ path: string }, void>('close'),
  /** database worker -> counter: exact counts of these tables and views, in their order. */
  countTables: request<{ path: string; tables: readonly string[] }, TableRowCount[]>('countTables'),
  /** database worker -> counter: rows of one table matching typed filters. */
  countRows: request<CountRowsParams, number>('countRows'),
};
