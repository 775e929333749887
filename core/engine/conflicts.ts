// Conflicts are computed on demand, not stored: an entity with unsynced local changes (a pending op
// or isSynced = 0) whose remote document the last-write-wins resolver prefers and which differs
// from the local state. Nothing is kept in the user's database between runs.
import { entityRoleForType } from '../db/roles';
import type { AnalyzedOperation, EntityTableRole } from '../db/types';
import { differingFields, documentContains } from '../firestore/mapping';
import type { EngineContext } from './context';
import { readEntityRow, unsyncedEntityIds } from './localStore';
import { documentKey, remoteFields, stampOf } from './planner';
import { RemoteUnavailableError } from './remoteStore';
import { applyPolicy, lastWriteWins } from './resolver';
import type { ConflictView, RemoteDocument } from './types';

interface Candidate {
  role: EntityTableRole;
  entityId: string;
  /** The entity's pending ops, oldest first. */
  ops: AnalyzedOperation[];
}

export async function listConflicts(context: EngineContext, filter?: { collection: string; entityId: string }): Promise<ConflictView[]> {
  const wanted = [...candidates(context).values()].filter((c) => !filter || (c.role.collection === filter.collection && c.entityId === filter.entityId));
  if (wanted.length === 0) return [];
  const read = await context.remote.readDocuments(wanted.map((c) => ({ collection: c.role.collection, id: c.entityId })));
  if (!read.ok) throw new RemoteUnavailableError(`reading remote documents failed: ${read.error}`, read.code);
  const conflicts: ConflictView[] = [];
  for (const candidate of wanted) {
    const remote = read.value.documents.get(documentKey(candidate.role.collection, candidate.entityId)) ?? null;
    if (!remote) continue;
    const view = conflictView(context, candidate, remote);
    if (view) conflicts.push(view);
  }
  return conflicts;
}

/** Every entity with unsynced local changes, keyed `collection/id`. */
function candidates(context: EngineContext): Map<string, Candidate> {
  const operations = (context.analyze()?.operations ?? []).filter((op) => op.status !== 'dead-lettered' && op.status !== 'invalid');
  const found = new Map<string, Candidate>();
  for (const op of operations) {
    const role = entityRoleForType(context.roles, op.entityType);
    if (!role) continue;
    const key = documentKey(role.collection, op.entityId);
    const candidate = found.get(key) ?? { role, entityId: op.entityId, ops: [] };
    candidate.ops.push(op);
    found.set(key, candidate);
  }
  for (const role of context.roles.entities) {
    for (const id of unsyncedEntityIds(context.db, role)) {
      const key = documentKey(role.collection, id);
      if (!found.has(key)) found.set(key, { role, entityId: id, ops: [] });
    }
  }
  return found;
}

function conflictView(context: EngineContext, { role, entityId, ops }: Candidate, remote: RemoteDocument): ConflictView | null {
  const row = readEntityRow(context.db, role, entityId);
  const localRow = row ? context.mappingFor(role).rowToDocument(row) : null;
  const newest = ops.at(-1) ?? null;
  const queuedPayload = newest?.payload ?? null;
  let local: Record<string, unknown>;
  if (newest?.operation === 'delete') local = { ...(localRow ?? {}), [remoteFields.isDeleted]: true };
  else if (newest) local = { ...(localRow ?? {}), ...context.documentFor(newest, role) };
  else if (localRow) local = localRow;
  else return null;
  const verdict = lastWriteWins(stampOf(local, newest?.createdAt ?? null), stampOf(remote.data));
  if (verdict.winner === 'local') return null;
  const fields = differingFields(local, remote.data).filter((field) => field in local);
  if (fields.length === 0 || documentContains(remote.data, local)) return null;
  const policy = context.settings.policyFor(role.collection);
  const decision = applyPolicy(policy, verdict);
  return {
    collection: role.collection,
    table: role.table,
    entityType: newest?.entityType ?? role.entityTypes[0] ?? role.table,
    entityId,
    localRow,
    queuedPayload,
    local,
    remote,
    pendingOpIds: ops.map((op) => op.id),
    newestOperation: newest?.operation ?? null,
    differences: fields.map((field) => ({ field, local: local[field] ?? null, remote: remote.data[field] ?? null })),
    policy,
    verdict,
    policyOutcome: decision.outcome,
  };
}
