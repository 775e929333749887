// Plain data shapes the data grid shows, shared by the database worker, the extension and the
// webview. Everything here survives structured cloning and JSON (no bigint, no class instances).
import type { CellValue, QueueTotals, SchemaInfo, SyncRole, SyncRoles, TimestampEncoding } from '../db/types';

/** One cell as core/db/rows.ts displays it (JSON-safe: exact integers travel as text). */
export type GridCell = CellValue;

export type SortDirection = 'asc' | 'desc';

export interface GridSort {
  readonly column: string;
  readonly direction: SortDirection;
}

export type GridFilterOperator = 'contains' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'null' | 'notNull';

export interface GridFilter {
  readonly column: string;
  readonly op: GridFilterOperator;
  /** Unused by 'null' / 'notNull'. */
  readonly value: string | number | null;
}

export interface GridQuery {
  readonly table: string;
  readonly sort: GridSort | null;
  readonly filters: readonly GridFilter[];
  /** The `nextCursor` of the previous page, or null for the first page. Opaque to the webview. */
  readonly after: string | null;
  readonly limit: number;
}

export interface GridPage {
  readonly columns: string[];
  readonly rows: GridCell[][];
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
}

export type ExportFormat = 'csv' | 'json';

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
