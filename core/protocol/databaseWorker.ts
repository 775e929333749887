// The database worker's protocol: the extension host asks, the worker (a worker_threads thread that
// owns every database the extension has open) answers. Databases are keyed by their absolute file path.
// The worker checks each request against its schema (core/protocol/rpc.ts) before it reads a file.
import * as z from 'zod';
import type { QueueTotals, TableRowCount } from '../db/types';
import { ExportFormat, GridFilter, GridQuery, GridSort, type DatabaseSummary, type GridPage } from './gridModel';
import { notification, request, unchecked } from './rpc';

const DatabasePath = z.object({ path: z.string() });
export type OpenParams = z.infer<typeof DatabasePath>;

export const ExportParams = z.object({
  /** Names the export in its exportProgress notifications. */
  exportId: z.number().int(),
  path: z.string(),
  table: z.string(),
  sort: GridSort.nullable(),
  filters: z.array(GridFilter).readonly(),
  format: ExportFormat,
  outputPath: z.string(),
});
export type ExportParams = z.infer<typeof ExportParams>;

export interface ExportResult {
  readonly rows: number;
  /** The request was aborted ($/cancel): the rows written so far were thrown away with the temp file. */
  readonly cancelled: boolean;
}

export const DatabaseWorkerProtocol = {
  /**
   * extension -> worker: read (or re-read) the file, its -wal and its synclens.json. Errors carry a
   * DatabaseFileError code, or 'config'. The summary's tables are not counted yet (`rows` null):
   * ask `countTables` for that.
   */
  open: request('open', DatabasePath).returns<DatabaseSummary>(),
  /**
   * extension -> worker: exact row counts of every table and view of the open snapshot. Counted on a
   * thread of their own, so pages asked for meanwhile are answered without waiting.
   */
  countTables: request('countTables', DatabasePath).returns<TableRowCount[]>(),
  /**
   * extension -> worker: the sync queue's totals under synclens.json's retry policy, as of now (null
   * without a queue). Asked after `open`, whose summary leaves them null so first rows never wait.
   */
  queueTotals: request('queueTotals', DatabasePath).returns<QueueTotals | null>(),
  /** extension -> worker: forget a database. */
  close: request('close', DatabasePath),
  /** extension -> worker: one keyset page. */
  readPage: request('readPage', z.object({ path: z.string(), query: GridQuery })).returns<GridPage>(),
  /** extension -> worker: number of rows matching the filters (on the counting thread, like countTables). */
  countRows: request('countRows', z.object({ path: z.string(), table: z.string(), filters: z.array(GridFilter).readonly() })).returns<number>(),
  /**
   * extension -> worker: stream rows to a file (a temp file renamed at the end: never half a file).
   * Aborting the request (its AbortSignal) stops it between chunks, with `cancelled` set.
   */
  exportRows: request('exportRows', ExportParams).returns<ExportResult>(),
  /**
   * extension -> worker: put a backup of the database back in place (core/db/restoreBackup.ts); the
   * current file is backed up first. Answers the backup of the replaced version.
   */
  restoreBackup: request('restoreBackup', z.object({ path: z.string(), backupPath: z.string(), backupLocation: z.enum(['beside', 'synclensFolder']) })).returns<{
    backupPath: string;
  }>(),
  /** worker -> extension: rows written so far. */
  exportProgress: notification('exportProgress', unchecked<{ exportId: number; rows: number; total: number }>()),
};
