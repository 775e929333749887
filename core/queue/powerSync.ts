// PowerSync's upload queue: `ps_crud`, one row per local change, `data` a JSON object
// {op: PUT|PATCH|DELETE, type, id, data, old?, metadata?} (powersync-ja/powersync-sqlite-core
// crates/core/src/migrations.rs for the tables, crates/core/src/crud_vtab.rs for the JSON). The
// JSON is read through JSON paths that synclens.json's queue.paths can rename. PowerSync uploads to
// Postgres or MongoDB through the app's own connector, not to Firestore, and its SDK removes the
// rows: SyncLens shows them and never writes. Its entities and last sync are powerSyncState.ts.
import { asNumber, asText, parseJsonObject, queryAll, quoteIdentifier } from '../db/query';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueOperation, QueueOperationKind, SchemaInfo } from '../db/types';
import { readPowerSyncLastSync } from './powerSyncState';
import type { QueueSource } from './types';

export const powerSyncReadOnlyReason =
  "PowerSync uploads these changes to its own backend (Postgres or MongoDB) through the app's connector, not to Firestore: SyncLens shows them but does not plan or replay them";

export const powerSyncCrudTable = 'ps_crud';

/** Where each part of an op sits in `ps_crud.data`: SQLite JSON paths (`$.op`, `$.row.id`). */
export interface PowerSyncJsonPaths {
  op: string;
  type: string;
  id: string;
  data: string;
  old: string;
  metadata: string;
}

export const defaultPowerSyncPaths: Readonly<PowerSyncJsonPaths> = { op: '$.op', type: '$.type', id: '$.id', data: '$.data', old: '$.old', metadata: '$.metadata' };

const operations: Record<string, QueueOperationKind> = { PUT: 'upsert', PATCH: 'update', DELETE: 'delete' };

export function isPowerSyncDatabase(schema: SchemaInfo, table = powerSyncCrudTable): boolean {
  const crud = schema.tables.find((candidate) => candidate.name === table && candidate.kind === 'table');
  return crud !== undefined && crud.columns.some((column) => column.name === 'data');
}

export function powerSyncQueueSource(options: { table?: string; paths?: Partial<PowerSyncJsonPaths> } = {}): QueueSource {
  const table = options.table ?? powerSyncCrudTable;
  const paths: PowerSyncJsonPaths = { ...defaultPowerSyncPaths, ...options.paths };
  return {
    kind: 'powersync',
    table,
    readOnlyReason: powerSyncReadOnlyReason,
    followsRetryPolicy: false,
    read: (db) => readCrud(db, table, paths),
    readLastSync: readPowerSyncLastSync,
  };
}

function readCrud(db: SqlDatabase, table: string, paths: PowerSyncJsonPaths): QueueOperation[] {
  // json_valid guards json_extract, which fails the whole statement on one malformed row. The
  // paths are bound values, never SQL text.
  const part = (index: number): string => `CASE WHEN json_valid(data) THEN json_extract(data, ?${index}) END`;
  const { rows } = queryAll(
    db,
    `SELECT id, data, ${part(1)}, ${part(2)}, ${part(3)}, ${part(4)}, ${part(5)}, ${part(6)}, ${hasTxId(db, table) ? 'tx_id' : 'NULL'}
       FROM main.${quoteIdentifier(table)} ORDER BY id`,
    [paths.op, paths.type, paths.id, paths.data, paths.old, paths.metadata],
  );
  return rows.map((row): QueueOperation => {
    const [id, data, op, type, entityId, payload, old, metadata, txId] = row;
    const opText = asText(op ?? null);
    const kind = opText === null ? undefined : operations[opText.toUpperCase()];
    const payloadText = asText(payload ?? null);
    const result: QueueOperation = {
      id: asNumber(id ?? null) ?? 0,
      entityType: asText(type ?? null) ?? '',
      entityId: asText(entityId ?? null) ?? '',
      operation: kind ?? 'update',
      payload: parseJsonObject(payloadText) ?? (kind === 'delete' ? null : payloadText === null ? {} : null),
      payloadText,
      createdAt: null,
      retryCount: 0,
      lastAttempt: null,
      lastError: null,
      facts: { op: opText, txId: asNumber(txId ?? null), old: asText(old ?? null), metadata: asText(metadata ?? null) },
    };
    if (!kind) result.unknownOperation = opText ?? `${asText(data ?? null) ?? 'NULL'} (no op at ${paths.op})`;
    return result;
  });
}

function hasTxId(db: SqlDatabase, table: string): boolean {
  return queryAll(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = 'tx_id'", [table]).rows.length > 0;
}
