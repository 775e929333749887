// Settling conflicts (conflicts.ts) on both sides: the remote in batches of <= 500 writes, then the
// local image. `local` pushes the local state, `remote` copies the document into the row, `merge`
// writes what core/engine/mergeValues.ts's mergeDocument computes (the chosen fields; updatedAt =
// the latest of both and the time of the merge, version + 1; the preview showed the same), `policy` does what
// the collection's policy (or the one given in its place) decides. The entity's queued ops go.
import type { EntityTableRole } from '../db/types';
import { listConflicts } from './conflicts';
import type { EngineContext } from './context';
import { deleteQueueOperation, markEntitySynced, purgeEntity } from './localStore';
import { asPreviewed, jsonValues, mergeDocument, sameJson, sdkValues } from './mergeValues';
import { documentKey, remoteFields, stampOf } from './planner';
import { maxBatchWrites, type RemoteWrite } from './remoteStore';
import { applyPolicy } from './resolver';
import { toJsonValue } from './taggedValues';
import type { ConflictPolicyName, ConflictView, ResolutionResult, ResolutionStrategy } from './types';

type Applied = 'local' | 'remote' | 'merge';

/** What resolving one conflict does: the remote write (if any), then the local effect. */
interface Settlement {
  conflict: ConflictView;
  role: EntityTableRole;
  applied: Applied;
  write: RemoteWrite | null;
  /** The document the row takes; null: the row stays and is marked synced (or is purged). */
  localDocument: Record<string, unknown> | null;
  purge: boolean;
}

export async function resolveConflicts(context: EngineContext, conflicts: readonly ConflictView[], strategy: ResolutionStrategy): Promise<ResolutionResult[]> {
  const results: ResolutionResult[] = [];
  const settlements: Settlement[] = [];
  for (const conflict of conflicts) {
    const role = context.roles.entities.find((entity) => entity.collection === conflict.collection);
    if (!role) continue;
    const kind = strategy.kind === 'policy' ? policyDecision(conflict, strategy) : strategy.kind;
    if (typeof kind === 'object') {
      results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: 'none', ok: false, message: kind.held });
      continue;
    }
    if (kind === 'remote') settlements.push({ conflict, role, applied: 'remote', write: null, localDocument: conflict.remote.data, purge: false });
    else if (kind === 'local') settlements.push(pushLocal(conflict, role));
    else if (strategy.kind === 'merge') {
      const merged = merge(context, conflict, role, strategy);
      if ('held' in merged) results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: 'none', ok: false, message: merged.held });
      else settlements.push(merged);
    }
  }
  for (let start = 0; start < settlements.length; start += maxBatchWrites) {
    const chunk = settlements.slice(start, start + maxBatchWrites);
    const writes = chunk.flatMap((settlement) => (settlement.write ? [settlement.write] : []));
    const committed = writes.length === 0 ? { ok: true as const, value: undefined } : await context.remote.commit(writes);
    for (const settlement of chunk) {
      const { conflict } = settlement;
      if (settlement.write && !committed.ok) {
        results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: 'none', ok: false, message: `${committed.code}: ${committed.error}` });
        continue;
      }
      settleLocally(context, settlement);
      results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: settlement.applied, ok: true, message: describeResolution(settlement.applied, conflict) });
    }
  }
  return results;
}

/** The conflicts named `collection/entityId`, read now, settled; a key no longer in conflict gets a result saying so. */
export async function resolveConflictKeys(context: EngineContext, keys: readonly string[], strategy: ResolutionStrategy): Promise<ResolutionResult[]> {
  const wanted = new Set(keys);
  const conflicts = (await listConflicts(context)).filter((view) => wanted.has(documentKey(view.collection, view.entityId)));
  const found = new Set(conflicts.map((view) => documentKey(view.collection, view.entityId)));
  const gone: ResolutionResult[] = [...wanted]
    .filter((key) => !found.has(key))
    .map((key) => {
      const slash = key.indexOf('/');
      return { collection: key.slice(0, Math.max(0, slash)), entityId: key.slice(slash + 1), applied: 'none', ok: false, message: `${key} is no longer in conflict` };
    });
  return [...gone, ...(await resolveConflicts(context, conflicts, strategy))];
}

type PolicyStrategy = Extract<ResolutionStrategy, { kind: 'policy' }>;
type MergeStrategy = Extract<ResolutionStrategy, { kind: 'merge' }>;

/** The policy a `policy` strategy puts in place of the collection's own, if any. */
function overrideFor(conflict: ConflictView, strategy: PolicyStrategy): ConflictPolicyName | undefined {
  return strategy.perCollection?.[conflict.collection] ?? strategy.policy;
}

/** The conflict as a `policy` strategy decides it: its policy and outcome, the override's where one is given. */
export function underPolicyStrategy(conflict: ConflictView, strategy: PolicyStrategy): ConflictView {
  const override = overrideFor(conflict, strategy);
  return override ? { ...conflict, policy: override, policyOutcome: applyPolicy(override, conflict.verdict).outcome } : conflict;
}

/** What the policy decides for one conflict, or why it holds it. */
function policyDecision(conflict: ConflictView, strategy: PolicyStrategy): 'local' | 'remote' | { held: string } {
  const override = overrideFor(conflict, strategy);
  const { policyOutcome } = underPolicyStrategy(conflict, strategy);
  if (policyOutcome !== 'held') return policyOutcome;
  return { held: override ? `policy ${override} holds it for a manual decision` : `policy of ${conflict.collection} is manual: choose local, remote or merge` };
}

function pushLocal(conflict: ConflictView, role: EntityTableRole): Settlement {
  const deleting = conflict.local[remoteFields.isDeleted] === true && conflict.queuedPayload !== null && conflict.newestOperation === 'delete';
  const write: RemoteWrite = deleting
    ? { kind: 'soft-delete', collection: conflict.collection, id: conflict.entityId, updatedAt: stampOf(conflict.local).updatedAt }
    : { kind: 'set-merge', collection: conflict.collection, id: conflict.entityId, data: withoutField(conflict.local, remoteFields.deletedAt) };
  return { conflict, role, applied: 'local', write, localDocument: null, purge: deleting };
}

/** The merge as mergeDocument computes it; held when a preview was shown and the conflict no longer merges to it. */
function merge(context: EngineContext, conflict: ConflictView, role: EntityTableRole, strategy: MergeStrategy): Settlement | { held: string } {
  const mergedAt = strategy.mergedAt ?? context.settings.now();
  const sides = { local: conflict.local, remote: conflict.remote.data };
  if (strategy.expected) {
    const values = Object.fromEntries(Object.entries(strategy.values ?? {}).map(([field, value]) => [field, toJsonValue(value)]));
    const previewed = mergeDocument(asPreviewed(sides), { choices: strategy.choices, values }, mergedAt, jsonValues).document;
    if (!sameJson(previewed, strategy.expected)) {
      return { held: `${documentKey(conflict.collection, conflict.entityId)} changed since the merge preview: nothing written; look at the merge again` };
    }
  }
  const { document } = mergeDocument(sides, strategy, mergedAt, sdkValues(context.remote.sdk));
  return { conflict, role, applied: 'merge', write: { kind: 'set-merge', collection: conflict.collection, id: conflict.entityId, data: document }, localDocument: document, purge: false };
}

function settleLocally(context: EngineContext, { conflict, role, localDocument, purge }: Settlement): void {
  const queue = context.roles.queue;
  if (queue) for (const opId of conflict.pendingOpIds) deleteQueueOperation(context.db, queue, opId);
  if (purge) purgeEntity(context.db, role, conflict.entityId);
  else if (localDocument) context.copyRemoteIntoRow(role, { collection: conflict.collection, id: conflict.entityId, data: localDocument });
  else markEntitySynced(context.db, role, conflict.entityId);
  context.dirty = true;
}

function withoutField(document: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...document };
  delete copy[field];
  return copy;
}

function describeResolution(applied: Applied, conflict: ConflictView): string {
  const key = `${conflict.collection}/${conflict.entityId}`;
  if (applied === 'local') return `${key}: local version pushed; ${conflict.pendingOpIds.length} queued op(s) done`;
  if (applied === 'remote') return `${key}: remote version copied into the local row; ${conflict.pendingOpIds.length} queued op(s) dropped`;
  return `${key}: merged version written to both sides`;
}
