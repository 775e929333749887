// Queue hygiene: patterns in the queue and the entity tables that the app's engine will mishandle
// or that show the app forgot a step. Reads the image only; nothing is sent or written.
import type { SqlDatabase } from '../db/sqlDatabase';
import { asNumber, asText, queryObjects, quoteIdentifier as q } from '../db/query';
import { entityRoleForType } from '../db/roles';
import type { AnalyzedOperation, EntityTableRole, QueueAnalysis, SyncRoles } from '../db/types';
import type { HygieneFinding } from './types';

interface EntityState {
  exists: boolean;
  isDeleted: boolean;
}

/** Every finding for the analysed queue, grouped by entity, in queue order. */
export function findQueueHygiene(db: SqlDatabase, roles: SyncRoles, analysis: QueueAnalysis | null): HygieneFinding[] {
  const findings: HygieneFinding[] = [];
  const opsByEntity = new Map<string, { role: EntityTableRole | null; entityType: string; entityId: string; ops: AnalyzedOperation[] }>();
  for (const op of analysis?.operations ?? []) {
    const role = entityRoleForType(roles, op.entityType);
    const key = `${role?.table ?? op.entityType}\u0000${op.entityId}`;
    const entry = opsByEntity.get(key) ?? { role, entityType: op.entityType, entityId: op.entityId, ops: [] };
    entry.ops.push(op);
    opsByEntity.set(key, entry);
  }
  const states = new Map<string, Map<string, EntityState>>();
  for (const role of roles.entities) states.set(role.table, readEntityStates(db, role));

  for (const { role, entityType, entityId, ops } of opsByEntity.values()) {
    const table = role?.table ?? null;
    const state = role ? states.get(role.table)?.get(entityId) : undefined;
    const finding = (kind: HygieneFinding['kind'], opIds: number[], message: string): void => {
      findings.push({ kind, entityType, entityId, table, opIds, message });
    };
    // Only an update needs its row (as the queue analysis's orphans, core/db/queue.ts): a delete is
    // sent when the app deleted the row first (PowerSync always does), a create or upsert carries it.
    const needingRow = ops.filter((op) => op.operation === 'update');
    if (role && !state && needingRow.length > 0) {
      finding('op-on-missing-row', needingRow.map((op) => op.id), `${needingRow.length} update op(s) for ${entityType}/${entityId}, but ${role.table} has no such row`);
    }
    const firstDelete = ops.findIndex((op) => op.operation === 'delete');
    const updatesAfterDelete = firstDelete < 0 ? [] : ops.slice(firstDelete + 1).filter((op) => op.operation === 'update');
    if (updatesAfterDelete.length > 0) {
      finding(
        'update-after-soft-delete',
        [ops[firstDelete]!.id, ...updatesAfterDelete.map((op) => op.id)],
        `op #${updatesAfterDelete[0]!.id} updates ${entityType}/${entityId} after its delete op #${ops[firstDelete]!.id}: it would resurrect the document`,
      );
    } else if (state?.isDeleted && firstDelete < 0) {
      const updates = ops.filter((op) => op.operation === 'update');
      if (updates.length > 0) {
        finding('update-after-soft-delete', updates.map((op) => op.id), `op #${updates[0]!.id} updates ${entityType}/${entityId}, whose row is soft-deleted locally`);
      }
    }
    const first = ops[0];
    const last = ops.at(-1);
    if (ops.length >= 2 && first?.operation === 'create' && last?.operation === 'delete') {
      finding(
        'cancelling-sequence',
        ops.map((op) => op.id),
        `${ops.map((op) => op.operation).join(' + ')} of ${entityType}/${entityId} cancel out: the document never needs to exist remotely`,
      );
    }
  }

  for (const role of roles.entities) {
    const queued = new Set<string>();
    const deletes = new Set<string>();
    for (const entry of opsByEntity.values()) {
      if (entry.role !== role) continue;
      queued.add(entry.entityId);
      if (entry.ops.some((op) => op.operation === 'delete')) deletes.add(entry.entityId);
    }
    for (const row of readUnsettledRows(db, role)) {
      const entityType = role.entityTypes[0] ?? role.table;
      if (row.isDeleted && !deletes.has(row.id)) {
        findings.push({
          kind: 'soft-deleted-without-delete-op',
          entityType,
          entityId: row.id,
          table: role.table,
          opIds: [],
          message: `${role.table} row ${row.id} is soft-deleted and not synced, but no delete op is queued: the remote keeps it`,
        });
      } else if (!row.isDeleted && row.unsynced && !queued.has(row.id)) {
        findings.push({
          kind: 'unsynced-without-op',
          entityType,
          entityId: row.id,
          table: role.table,
          opIds: [],
          message: `${role.table} row ${row.id} has isSynced = 0 but no queued op: the change is never sent`,
        });
      }
    }
  }
  return findings;
}

function readEntityStates(db: SqlDatabase, role: EntityTableRole): Map<string, EntityState> {
  const deleted = role.columns.isDeleted ? q(role.columns.isDeleted) : '0';
  const rows = queryObjects(db, `SELECT ${q(role.columns.externalId)} AS id, ${deleted} AS deleted FROM main.${q(role.table)}`);
  const states = new Map<string, EntityState>();
  for (const row of rows) {
    const id = asText(row.id ?? null);
    if (id !== null) states.set(id, { exists: true, isDeleted: asNumber(row.deleted ?? null) === 1 });
  }
  return states;
}

/** Rows that are soft-deleted or not synced (isSynced = 0 or absent column: deleted rows only). */
function readUnsettledRows(db: SqlDatabase, role: EntityTableRole): { id: string; isDeleted: boolean; unsynced: boolean }[] {
  const { isDeleted, isSynced, externalId } = role.columns;
  if (!isDeleted && !isSynced) return [];
  const deleted = isDeleted ? q(isDeleted) : '0';
  const unsynced = isSynced ? `(${q(isSynced)} = 0)` : '0';
  // A soft-deleted row whose sync flag says synced is a pulled tombstone: nothing to send.
  const where = isSynced ? `${unsynced} = 1` : `${deleted} = 1`;
  const rows = queryObjects(db, `SELECT ${q(externalId)} AS id, ${deleted} AS deleted, ${unsynced} AS unsynced FROM main.${q(role.table)} WHERE ${where}`);
  return rows
    .map((row) => ({ id: asText(row.id ?? null), isDeleted: asNumber(row.deleted ?? null) === 1, unsynced: asNumber(row.unsynced ?? null) === 1 }))
    .filter((row): row is { id: string; isDeleted: boolean; unsynced: boolean } => row.id !== null);
}
