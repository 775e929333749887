// Classifies every queued operation against the remote documents read in bulk. Pure: the caller
// reads the queue and the remote; nothing here touches a database or the network.
import type { AnalyzedOperation, EntityTableRole } from '../db/types';
import { documentContains } from '../firestore/mapping';
import { numberValue, timeValueToMillis } from './documentValues';
import { lastWriteWins, applyPolicy, type VersionStamp } from './resolver';
import type { ConflictPolicyName, Plan, PlannedOperation, PlanTotals, RemoteDocument } from './types';

/** Field names of the sync metadata in Firestore documents (DESIGN.md "Remote"). */
export const remoteFields = {
  updatedAt: 'updatedAt',
  createdAt: 'createdAt',
  version: 'version',
  isDeleted: 'isDeleted',
  deletedAt: 'deletedAt',
} as const;

/** Statuses from the queue analysis that keep an op from being sent. */
const blockingStatuses = new Set(['invalid', 'orphan', 'dead-lettered', 'backing-off']);

export interface PlanContext {
  /** Entity role for a queue row's entityType, or null when no table matches. */
  entityFor(entityType: string): EntityTableRole | null;
  /** The document a create/update op writes (payload mapped to Firestore values). */
  documentFor(op: AnalyzedOperation, role: EntityTableRole): Record<string, unknown>;
  policyFor(collection: string): ConflictPolicyName;
  /** Remote documents keyed by `documentKey`; null = read and missing. */
  remote: ReadonlyMap<string, RemoteDocument | null>;
  /** Treat backing-off ops as ready (`--force`). */
  force?: boolean;
}

export function documentKey(collection: string, id: string): string {
  return `${collection}/${id}`;
}

/**
 * The key of a queued entity as the queue names it (its type, U+0000, its id): the one spelling for
 * every map that groups or counts a queue's ops by entity, so that a count taken in one place is
 * counted down in another.
 */
export function queuedEntityKey(entityType: string, entityId: string): string {
  return `${entityType}\u0000${entityId}`;
}

export function emptyPlanTotals(): PlanTotals {
  return { apply: 0, 'already-applied': 0, conflict: 0, 'remote-missing': 0, blocked: 0 };
}

export function stampOf(document: Record<string, unknown>, fallbackUpdatedAt: number | null = null): VersionStamp {
  return {
    updatedAt: timeValueToMillis(document[remoteFields.updatedAt]) ?? fallbackUpdatedAt,
    version: numberValue(document[remoteFields.version]),
  };
}

export function isOperationBlocked(op: AnalyzedOperation, force: boolean): boolean {
  if (op.status === 'backing-off') return !force;
  return blockingStatuses.has(op.status);
}

/**
 * Walks the ops in send order, keeping per document the state the remote will have once the
 * earlier ops of this plan applied, so a later op of the same entity is judged against its
 * predecessor's write rather than against the stale remote.
 */
export function classifyOperations(operations: readonly AnalyzedOperation[], context: PlanContext, remoteReads = 0): Plan {
  const expected = new Map<string, Record<string, unknown> | null>();
  const planned: PlannedOperation[] = [];
  const totals = emptyPlanTotals();
  // Only an op that differs from an existing remote asks for its entity's later ops: the groups
  // (a key and an array per entity) are built the first time one does, not for every plan.
  let byEntity: Map<string, AnalyzedOperation[]> | null = null;
  const laterOf = (op: AnalyzedOperation): AnalyzedOperation[] => {
    byEntity ??= sendableOpsByEntity(operations, context.force ?? false);
    const group = byEntity.get(queuedEntityKey(op.entityType, op.entityId)) ?? [];
    return group.slice(group.indexOf(op) + 1);
  };
  for (const op of operations) {
    const entry = classifyOne(op, context, expected, laterOf);
    totals[entry.classification]++;
    planned.push(entry);
  }
  return { operations: planned, totals, remoteReads };
}

function sendableOpsByEntity(operations: readonly AnalyzedOperation[], force: boolean): Map<string, AnalyzedOperation[]> {
  const byEntity = new Map<string, AnalyzedOperation[]>();
  for (const op of operations) {
    if (isOperationBlocked(op, force)) continue;
    const key = queuedEntityKey(op.entityType, op.entityId);
    const group = byEntity.get(key);
    if (group) group.push(op);
    else byEntity.set(key, [op]);
  }
  return byEntity;
}

function classifyOne(
  op: AnalyzedOperation,
  context: PlanContext,
  expected: Map<string, Record<string, unknown> | null>,
  laterOf: (op: AnalyzedOperation) => AnalyzedOperation[],
): PlannedOperation {
  const role = context.entityFor(op.entityType);
  const collection = role?.collection ?? null;
  if (isOperationBlocked(op, context.force ?? false)) {
    return plannedOperation(op, collection, null, null, 'blocked', `${op.status}: ${op.reason}`);
  }
  if (!role) {
    return plannedOperation(op, collection, null, null, 'blocked', `no entity table maps entity type "${op.entityType}"`);
  }
  const key = documentKey(role.collection, op.entityId);
  const remote = context.remote.get(key) ?? null;
  const state = expected.has(key) ? (expected.get(key) ?? null) : (remote?.data ?? null);

  if (op.operation === 'delete') {
    if (state === null) {
      return plannedOperation(op, collection, remote, null, 'remote-missing', `${key} does not exist remotely: nothing to delete; the local row is purged`);
    }
    if (state[remoteFields.isDeleted] === true) {
      return plannedOperation(op, collection, remote, null, 'already-applied', `${key} is already soft-deleted remotely`);
    }
    const localStamp = stampOf(op.payload ?? {}, op.createdAt);
    const conflict = conflictFor(localStamp, state, role.collection, context);
    expected.set(key, { ...state, [remoteFields.isDeleted]: true });
    if (conflict) return plannedOperation(op, collection, remote, null, conflict.classification, conflict.reason, conflict.policy, conflict.verdict);
    return plannedOperation(op, collection, remote, null, 'apply', `soft-deletes ${key} remotely, then purges the local row`);
  }

  const document = context.documentFor(op, role);
  if (state === null) {
    expected.set(key, document);
    // An upsert (create or replace) needs no document either.
    return op.operation === 'create' || op.operation === 'upsert'
      ? plannedOperation(op, collection, remote, document, 'apply', `creates ${key}`)
      : plannedOperation(op, collection, remote, document, 'remote-missing', `update of ${key}, which does not exist remotely: replay recreates it (set with merge)`);
  }
  if (documentContains(state, document)) {
    return plannedOperation(op, collection, remote, document, 'already-applied', `${key} already holds this payload`);
  }
  // A run that died after its batch committed but before the file was written leaves earlier ops
  // queued whose effect a later op of the same entity already overwrote remotely.
  const landed = remote ? laterOf(op).find((later) => laterLanded(later, remote.data, role, context)) : undefined;
  if (landed) {
    expected.set(key, remote?.data ?? null);
    return plannedOperation(op, collection, remote, document, 'already-applied', `${key} already holds the later op #${landed.id} of this entity`);
  }
  const conflict = conflictFor(stampOf(document, op.createdAt), state, role.collection, context);
  if (conflict) return plannedOperation(op, collection, remote, document, conflict.classification, conflict.reason, conflict.policy, conflict.verdict);
  expected.set(key, { ...state, ...document });
  const changed = Object.keys(document).filter((field) => !documentContains(state, { [field]: document[field] }));
  return plannedOperation(op, collection, remote, document, 'apply', `${op.operation === 'create' ? 'overwrites' : 'updates'} ${key}: ${changed.join(', ')}`);
}

/**
 * One planned op as a single object literal, its keys always in this order (JSON output keeps
 * them): a plan holds one per queued op, and building it from spread copies cost three throwaway
 * objects per op.
 */
function plannedOperation(
  op: AnalyzedOperation,
  collection: string | null,
  remote: RemoteDocument | null,
  document: Record<string, unknown> | null,
  classification: PlannedOperation['classification'],
  reason: string,
  policy: PlannedOperation['policy'] = null,
  verdict: PlannedOperation['verdict'] = null,
): PlannedOperation {
  return { op, collection, remote, document, policy, verdict, classification, reason };
}

function conflictFor(local: VersionStamp, remoteState: Record<string, unknown>, collection: string, context: PlanContext): Pick<PlannedOperation, 'classification' | 'reason' | 'policy' | 'verdict'> | null {
  const verdict = lastWriteWins(local, stampOf(remoteState));
  if (verdict.winner === 'local') return null;
  const policy = context.policyFor(collection);
  const decision = applyPolicy(policy, verdict);
  return {
    classification: 'conflict',
    reason: `remote changed after the local change: ${verdict.reason}; policy ${policy}: ${decision.outcome === 'held' ? 'held for a decision' : `${decision.outcome} wins`}`,
    policy,
    verdict,
  };
}

function laterLanded(later: AnalyzedOperation, remote: Record<string, unknown>, role: EntityTableRole, context: PlanContext): boolean {
  if (later.operation === 'delete') return remote[remoteFields.isDeleted] === true;
  return later.payload !== null && documentContains(remote, context.documentFor(later, role));
}
