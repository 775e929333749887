// PowerSync's upload queue: `ps_crud`, one row per local change, `data` a JSON object
// {op: PUT|PATCH|DELETE, type, id, data} (powersync-ja/powersync-sqlite-core
// crates/core/src/migrations.rs). PowerSync uploads to Postgres or MongoDB through the app's own
// connector, not to Firestore, and its SDK removes the rows: SyncLens shows them and never writes.
import { asNumber, asText, parseJsonObject, queryAll } from '../db/query';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueOperation, QueueOperationKind, SchemaInfo } from '../db/types';
import type { QueueSource } from './types';

export const powerSyncReadOnlyReason =
  "PowerSync uploads these changes to its own backend (Postgres or MongoDB) through the app's connector, not to Firestore: SyncLens shows them but does not plan or replay them";

const operations: Record<string, QueueOperationKind> = { PUT: 'upsert', PATCH: 'update', DELETE: 'delete' };

export function isPowerSyncDatabase(schema: SchemaInfo): boolean {
  const crud = schema.tables.find((table) => table.name === 'ps_crud' && table.kind === 'table');
  return crud !== undefined && crud.columns.some((column) => column.name === 'data');
}

export function powerSyncQueueSource(): QueueSource {
  return { kind: 'powersync', table: 'ps_crud', readOnlyReason: powerSyncReadOnlyReason, followsRetryPolicy: false, read: readCrud };
}

function readCrud(db: SqlDatabase): QueueOperation[] {
  // json_valid guards json_extract, which fails the whole statement on one malformed row.
  const { rows } = queryAll(
    db,
    `SELECT id, data, CASE WHEN json_valid(data) THEN json_extract(data, '$.op') END,
            CASE WHEN json_valid(data) THEN json_extract(data, '$.type') END,
            CASE WHEN json_valid(data) THEN json_extract(data, '$.id') END,
            CASE WHEN json_valid(data) THEN json_extract(data, '$.data') END,
            ${hasTxId(db) ? 'tx_id' : 'NULL'}
       FROM main.ps_crud ORDER BY id`,
  );
  return rows.map((row): QueueOperation => {
    const [id, data, op, type, entityId, payload, txId] = row;
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
      facts: { op: opText, txId: asNumber(txId ?? null) },
    };
    if (!kind) result.unknownOperation = opText ?? `${asText(data ?? null) ?? 'NULL'} (no op)`;
    return result;
  });
}

function hasTxId(db: SqlDatabase): boolean {
  return queryAll(db, "SELECT 1 FROM pragma_table_info('ps_crud') WHERE name = 'tx_id'").rows.length > 0;
}

