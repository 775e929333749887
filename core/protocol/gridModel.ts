// Plain data shapes the data grid shows, shared by the database worker, the extension and the
// webview. Everything here survives structured cloning and JSON (no bigint, no class instances).
import * as z from 'zod';
import type { CellValue, QueueTotals, SchemaInfo, SyncRole, SyncRoles, TimestampEncoding } from '../db/types';

/** How old a timestamp is (`3 minutes ago`), worded as the CLI words it: the grid's timestamp cells use it. */
export { formatRelative } from '../db/timestamps';

/** One cell as core/db/rows.ts displays it (JSON-safe: exact integers travel as text). */
export type GridCell = CellValue;

// The shapes a webview sends (queries, filters, sorts) are zod schemas with their types inferred
// from them: core/protocol/rpc.ts checks each incoming message against them.

export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;

export const GridSort = z.object({ column: z.string(), direction: SortDirection });
export type GridSort = z.infer<typeof GridSort>;

export const GridFilterOperator = z.enum(['contains', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'null', 'notNull']);
export type GridFilterOperator = z.infer<typeof GridFilterOperator>;

export const GridFilter = z.object({
  column: z.string(),
  op: GridFilterOperator,
  /** Unused by 'null' / 'notNull'. */
  value: z.union([z.string(), z.number(), z.null()]),
});
export type GridFilter = z.infer<typeof GridFilter>;

export const GridQuery = z.object({
  table: z.string(),
  sort: GridSort.nullable(),
  filters: z.array(GridFilter).readonly(),
  /** The `nextCursor` of the previous page, or null for the first page. Opaque to the webview. */
  after: z.string().nullable(),
  /** Rows wanted; core/db/rows.ts caps a page at 10,000. */
  limit: z.number().int().positive(),
});
export type GridQuery = z.infer<typeof GridQuery>;

export interface GridPage {
  readonly columns: string[];
  readonly rows: GridCell[][];
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
}

export const ExportFormat = z.enum(['csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** What one opened database holds, as the editor, the tree and the status bar show it. */
export interface DatabaseSummary {
  readonly path: string;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly walFramesApplied: number;
  /** When the worker (re)read the file, ms since the epoch. */
  readonly loadedAt: number;
  readonly schema: SchemaInfo;
  readonly roles: SyncRoles;
  /** The role detected for every table and view, by name. */
  readonly tableRoles: Record<string, SyncRole>;
  readonly queueTotals: QueueTotals | null;
}

/** Detected timestamp encoding of each column of a table (entity or queue role). */
export function timestampEncodingsOf(roles: SyncRoles, table: string): Record<string, TimestampEncoding> {
  if (roles.queue?.table === table) return roles.queue.timestampEncodings;
  return roles.entities.find((entity) => entity.table === table)?.timestampEncodings ?? {};
}

/** JSON text columns of a table (embedded objects, the queue payload). */
export function jsonColumnsOf(roles: SyncRoles, table: string): string[] {
  if (roles.queue?.table === table) return [roles.queue.columns.payload];
  return roles.entities.find((entity) => entity.table === table)?.jsonColumns ?? [];
}
