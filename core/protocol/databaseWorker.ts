// The database worker's protocol: the extension host asks, the worker (a worker_threads thread that
// owns every database the extension has open) answers. Databases are keyed by their absolute file path.
import type { QueueTotals, TableRowCount } from '../db/types';
import type { DatabaseSummary, ExportFormat, GridFilter, GridPage, GridQuery, GridSort } from './gridModel';
import { notification, request } from './rpc';

export interface OpenParams {
  readonly path: string;
}

export interface ExportParams {
  readonly exportId: number;
  readonly path: string;
  readonly table: string;
  readonly sort: GridSort | null;
  readonly filters: readonly GridFilter[];
  readonly format: ExportFormat;
  readonly outputPath: string;
}

export interface ExportResult {
  readonly rows: number;
  readonly cancelled: boolean;
}

export const DatabaseWorkerProtocol = {
  /**
   * extension -> worker: read (or re-read) the file, its -wal and its synclens.json. Errors carry a
   * DatabaseFileError code, or 'config'. The summary's tables are not counted yet (`rows` null):
   * ask `countTables` for that.
   */
  open: request<OpenParams, DatabaseSummary>('open'),
  /**
   * extension -> worker: exact row counts of every table and view of the open snapshot. Counted on a
   * thread of their own, so pages asked for meanwhile are answered without waiting.
   */
  countTables: request<{ path: string }, TableRowCount[]>('countTables'),
  /**
   * extension -> worker: the sync queue's totals under synclens.json's retry policy, as of now (null
   * without a queue). Asked after `open`, whose summary leaves them null so first rows never wait.
   */
  queueTotals: request<{ path: string }, QueueTotals | null>('queueTotals'),
  /** extension -> worker: forget a database. */
  close: request<{ path: string }, void>('close'),
  /** extension -> worker: one keyset page. */
  readPage: request<{ path: string; query: GridQuery }, GridPage>('readPage'),
  /** extension -> worker: number of rows matching the filters (on the counting thread, like countTables). */
  countRows: request<{ path: string; table: string; filters: readonly GridFilter[] }, number>('countRows'),
  /** extension -> worker: stream rows to a file (a temp file renamed at the end: never half a file). */
  exportRows: request<ExportParams, ExportResult>('exportRows'),
  /** extension -> worker: stop an export between chunks. */
  cancelExport: notification<{ exportId: number }>('cancelExport'),
  /** worker -> extension: rows written so far. */
  exportProgress: notification<{ exportId: number; rows: number; total: number }>('exportProgress'),
};
