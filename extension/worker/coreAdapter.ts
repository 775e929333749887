// The one place the worker calls core/db: opening a file for browsing and reading rows from it.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { analyzeAppQueue, openAppDatabase } from '../../core/db/appDatabase';
import type { OpenedDatabase as CoreDatabase } from '../../core/db/open';
import { roleOfTable } from '../../core/db/roles';
import { countRows, iterateRows, readPage, type Cursor, type Page } from '../../core/db/rows';
import type { QueueTotals, TypedFilter } from '../../core/db/types';
import { timestampEncodingsOf, type DatabaseSummary, type GridFilter, type GridSort } from '../../core/protocol/gridModel';
import { decodeFirestoreSdkPage } from '../../core/queue/firestoreSdk/cacheCells';
import { isFirestoreSdkCache } from '../../core/queue/firestoreSdk/source';

export interface OpenedDatabase {
  /** Its `queueTotals` stay null: the queue is analysed apart (queueTotals), after the first rows. */
  readonly summary: DatabaseSummary;
  readonly core: CoreDatabase;
  columnsOf(table: string): string[];
  /** The sync queue's totals now, under the config's retry policy; null without a queue. */
  queueTotals(): QueueTotals | null;
  close(): void;
}

/** The file as the nearest synclens.json describes it: its roles, encodings and retry policy. */
export async function openForBrowsing(path: string): Promise<OpenedDatabase> {
  // The queue is analysed when asked (queueTotals), so the grid's first rows never wait for it.
  const app = await openAppDatabase(path, { analyzeQueue: false });
  const { file: core, schema, roles } = app;
  try {
    const summary: DatabaseSummary = {
      path,
      fileName: basename(path),
      sizeBytes: statSync(path).size,
      walFramesApplied: core.walFramesApplied,
      loadedAt: Date.now(),
      schema,
      roles,
      tableRoles: Object.fromEntries(schema.tables.map((table) => [table.name, roleOfTable(roles, table.name)])),
      queueTotals: null,
    };
    return {
      summary,
      core,
      columnsOf: (table) => schema.tables.find((candidate) => candidate.name === table)?.columns.map((column) => column.name) ?? [],
      queueTotals: () => analyzeAppQueue(app)?.totals ?? null,
      close: () => core.close(),
    };
  } catch (error) {
    core.close();
    throw error;
  }
}

export function typedFilters(filters: readonly GridFilter[]): TypedFilter[] {
  return filters.map((filter) => (filter.value === null ? { column: filter.column, op: filter.op } : { column: filter.column, op: filter.op, value: filter.value }));
}

export interface PageRequest {
  table: string;
  sort: GridSort | null;
  filters: readonly GridFilter[];
  after: Cursor | null;
  limit: number;
}

/** A page from one settled snapshot: when the app changed the file under the read, it is read again. */
export function readGridPage(database: OpenedDatabase, request: PageRequest): Page {
  const page = database.core.read((db) =>
    readPage(db, {
      table: request.table,
      sort: request.sort,
      filters: typedFilters(request.filters),
      after: request.after,
      limit: request.limit,
      timestampEncodings: timestampEncodingsOf(database.summary.roles, request.table),
    }),
  );
  // The Firestore SDK's cache: its protobuf BLOBs and encoded paths shown decoded (export keeps them as stored).
  return isFirestoreSdkCache(database.summary.schema) ? decodeFirestoreSdkPage(request.table, page) : page;
}

export function countGridRows(database: OpenedDatabase, table: string, filters: readonly GridFilter[]): number {
  return database.core.read((db) => countRows(db, table, typedFilters(filters), timestampEncodingsOf(database.summary.roles, table)));
}

export function iterateGridRows(
  database: OpenedDatabase,
  request: { table: string; sort: GridSort | null; filters: readonly GridFilter[]; chunkRows: number },
): Generator<Page> {
  return iterateRows(database.core.db, {
    table: request.table,
    sort: request.sort,
    filters: typedFilters(request.filters),
    chunkRows: request.chunkRows,
    timestampEncodings: timestampEncodingsOf(database.summary.roles, request.table),
  });
}
