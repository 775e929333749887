// Plain data shapes the data grid shows, shared by the database worker, the extension and the
// webview. Everything here survives structured cloning and JSON (no bigint, no class instances).
import type { QueueTotals, SchemaInfo, SyncRole, SyncRoles, TimestampEncoding } from '../db/types';

/** An integer outside the safe range, kept exact as decimal text. */
export interface GridBigInt {
  readonly kind: 'bigint';
  readonly text: string;
}

/** A BLOB as the grid shows it: its size and the hex of its first bytes. */
export interface GridBlob {
  readonly kind: 'blob';
  readonly size: number;
  readonly hex: string;
}

/** One cell: SQL NULL, a number (INTEGER within 2^53 or REAL), TEXT, a big INTEGER or a BLOB. */
export type GridCell = null | number | string | GridBigInt | GridBlob;

export function isGridBigInt(cell: GridCell): cell is GridBigInt {
  return typeof cell === 'object' && cell !== null && cell.kind === 'bigint';
}

export function isGridBlob(cell: GridCell): cell is GridBlob {
  return typeof cell === 'object' && cell !== null && cell.kind === 'blob';
}

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
