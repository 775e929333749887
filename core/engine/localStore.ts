// What the engine changes in the in-memory image of the user's database: queue rows, entity rows
// and the sync state. Identifiers quoted, values bound; the file is written once, later, by the
// safe write-back.
import type { SqlDatabase } from '../db/sqlDatabase';
import { asNumber, asText, inLists, queryObjects, queryScalar, quoteIdentifier } from '../db/query';
import { millisToTimestamp, timestampToMillis } from '../db/timestamps';
import type { EntityTableRole, QueueTableRole, SqlValue, StateTableRole, TimestampEncoding } from '../db/types';

export type EntityRow = Record<string, SqlValue>;

const q = quoteIdentifier;

function run(db: SqlDatabase, sql: string, params: readonly SqlValue[]): void {
  const statement = db.prepare(sql);
  try {
    statement.run(params as unknown as Parameters<typeof statement.run>[0]);
  } finally {
    statement.free();
  }
}

export function readEntityRow(db: SqlDatabase, role: EntityTableRole, externalId: string): EntityRow | null {
  const rows = queryObjects(db, `SELECT * FROM main.${q(role.table)} WHERE ${q(role.columns.externalId)} = ? LIMIT 1`, [externalId]);
  return rows[0] ?? null;
}

/** External ids of rows with local changes not yet confirmed (isSynced = 0). */
export function unsyncedEntityIds(db: SqlDatabase, role: EntityTableRole): string[] {
  if (!role.columns.isSynced) return [];
  const rows = queryObjects(db, `SELECT ${q(role.columns.externalId)} AS id FROM main.${q(role.table)} WHERE ${q(role.columns.isSynced)} = 0`);
  return rows.map((row) => asText(row.id ?? null)).filter((id): id is string => id !== null);
}

export function markEntitySynced(db: SqlDatabase, role: EntityTableRole, externalId: string): void {
  if (!role.columns.isSynced) return;
  run(db, `UPDATE main.${q(role.table)} SET ${q(role.columns.isSynced)} = 1 WHERE ${q(role.columns.externalId)} = ?`, [externalId]);
}

/** The reference's permanentDelete after the remote confirmed a delete. */
export function purgeEntity(db: SqlDatabase, role: EntityTableRole, externalId: string): void {
  run(db, `DELETE FROM main.${q(role.table)} WHERE ${q(role.columns.externalId)} = ?`, [externalId]);
}

/** Writes the given column values to the entity row, inserting it when it does not exist. */
export function upsertEntity(db: SqlDatabase, role: EntityTableRole, externalId: string, values: EntityRow): void {
  const columns = Object.keys(values).filter((column) => column !== role.columns.externalId && column !== role.columns.localId);
  const exists = queryScalar(db, `SELECT 1 FROM main.${q(role.table)} WHERE ${q(role.columns.externalId)} = ? LIMIT 1`, [externalId]) !== null;
  if (exists) {
    if (columns.length === 0) return;
    run(
      db,
      `UPDATE main.${q(role.table)} SET ${columns.map((column) => `${q(column)} = ?`).join(', ')} WHERE ${q(role.columns.externalId)} = ?`,
      [...columns.map((column) => values[column] ?? null), externalId],
    );
    return;
  }
  const insertColumns = [role.columns.externalId, ...columns];
  run(
    db,
    `INSERT INTO main.${q(role.table)} (${insertColumns.map(q).join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
    [externalId, ...columns.map((column) => values[column] ?? null)],
  );
}

export function deleteQueueOperation(db: SqlDatabase, queue: QueueTableRole, opId: number): void {
  run(db, `DELETE FROM main.${q(queue.table)} WHERE ${q(queue.columns.id)} = ?`, [opId]);
}

/** Marks many rows synced: one statement for all ids instead of one per row. */
export function markEntitiesSynced(db: SqlDatabase, role: EntityTableRole, externalIds: readonly string[]): void {
  const { isSynced } = role.columns;
  if (!isSynced) return;
  runWhereIn(db, (list) => `UPDATE main.${q(role.table)} SET ${q(isSynced)} = 1 WHERE ${q(role.columns.externalId)} IN (${list})`, externalIds);
}

/** Runs `statementFor(list)` for every IN list the values need (core/db/query.ts inLists). */
function runWhereIn(db: SqlDatabase, statementFor: (list: string) => string, values: readonly (string | number)[]): void {
  for (const { list, params } of inLists(values)) run(db, statementFor(list), params);
}

export function deleteQueueOperations(db: SqlDatabase, queue: QueueTableRole, opIds: readonly number[]): void {
  runWhereIn(db, (list) => `DELETE FROM main.${q(queue.table)} WHERE ${q(queue.columns.id)} IN (${list})`, opIds);
}

/** The reference's markFailed: retryCount + 1, lastAttempt, lastError. */
export function markQueueOperationFailed(db: SqlDatabase, queue: QueueTableRole, opId: number, error: string, now: number): void {
  const sets = [`${q(queue.columns.retryCount)} = COALESCE(${q(queue.columns.retryCount)}, 0) + 1`];
  const params: SqlValue[] = [];
  if (queue.columns.lastAttempt) {
    sets.push(`${q(queue.columns.lastAttempt)} = ?`);
    params.push(millisToTimestamp(now, queue.timestampEncodings[queue.columns.lastAttempt] ?? queueTimeEncoding(queue)));
  }
  if (queue.columns.lastError) {
    sets.push(`${q(queue.columns.lastError)} = ?`);
    params.push(error);
  }
  run(db, `UPDATE main.${q(queue.table)} SET ${sets.join(', ')} WHERE ${q(queue.columns.id)} = ?`, [...params, opId]);
}

/** lastAttempt is often null everywhere, so detection found nothing: use the createdAt encoding. */
function queueTimeEncoding(queue: QueueTableRole): TimestampEncoding {
  return queue.timestampEncodings[queue.columns.createdAt] ?? 'iso8601';
}

/** Key of the per-collection last-sync entry; the global `lastSyncAt` is read as a fallback. */
export function lastSyncKey(collection: string): string {
  return `lastSyncAt:${collection}`;
}

export const globalLastSyncKey = 'lastSyncAt';

export function readStateValue(db: SqlDatabase, state: StateTableRole, key: string): SqlValue {
  return queryScalar(db, `SELECT ${q(state.valueColumn)} FROM main.${q(state.table)} WHERE ${q(state.keyColumn)} = ? LIMIT 1`, [key]);
}

export function writeStateValue(db: SqlDatabase, state: StateTableRole, key: string, value: SqlValue): void {
  const exists = queryScalar(db, `SELECT 1 FROM main.${q(state.table)} WHERE ${q(state.keyColumn)} = ? LIMIT 1`, [key]) !== null;
  if (exists) run(db, `UPDATE main.${q(state.table)} SET ${q(state.valueColumn)} = ? WHERE ${q(state.keyColumn)} = ?`, [value, key]);
  else run(db, `INSERT INTO main.${q(state.table)} (${q(state.keyColumn)}, ${q(state.valueColumn)}) VALUES (?, ?)`, [key, value]);
}

/** A stored last-sync value in whatever form the app wrote it (ISO text or an epoch number). */
export function stateValueToMillis(value: SqlValue): number | null {
  if (value === null || value instanceof Uint8Array) return null;
  if (typeof value === 'string' && !/^\d+$/.test(value.trim())) return timestampToMillis(value, 'iso8601');
  const number = asNumber(value);
  if (number === null) return null;
  const encoding: TimestampEncoding = number > 1e14 ? 'epoch-micros' : number > 1e11 ? 'epoch-millis' : 'epoch-seconds';
  return timestampToMillis(number, encoding);
}

/** Stored as ISO text like the reference's DateTime; matches the existing value's form if it is numeric. */
export function millisToStateValue(millis: number, previous: SqlValue): SqlValue {
  if (typeof previous === 'number' || typeof previous === 'bigint' || (typeof previous === 'string' && /^\d+$/.test(previous.trim()))) {
    const number = Number(previous);
    const encoding: TimestampEncoding = number > 1e14 ? 'epoch-micros' : number > 1e11 ? 'epoch-millis' : 'epoch-seconds';
    return millisToTimestamp(millis, encoding);
  }
  return new Date(millis).toISOString();
}
