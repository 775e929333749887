// The sync engine over one opened database image: plan, replay, pull, conflicts. Mirrors the
// reference's SyncQueue / SyncService / ConflictResolver with its defects fixed (DESIGN.md
// "Engine"). Every local change goes to the in-memory image; the caller writes the file back once.
import type { SqlDatabase } from '../db/sqlDatabase';
import { analyzeQueue } from '../db/queue';
import { entityRoleForType } from '../db/roles';
import { tableColumnNames } from '../db/schema';
import type { AnalyzedOperation, BackoffPolicy, EntityTableRole, QueueAnalysis, SyncRoles } from '../db/types';
import { defaultBackoffPolicy, defaultMaxRetries } from '../db/types';
import { createEntityMapping, differingFields, documentContains, type EntityMapping } from '../firestore/mapping';
import { timeValueToMillis } from './documentValues';
import {
  deleteQueueOperation,
  deleteQueueOperations,
  globalLastSyncKey,
  lastSyncKey,
  markEntitiesSynced,
  markEntitySynced,
  markQueueOperationFailed,
  millisToStateValue,
  purgeEntity,
  readEntityRow,
  readStateValue,
  remainingQueueKeys,
  stateValueToMillis,
  unsyncedEntityIds,
  upsertEntity,
  writeStateValue,
} from './localStore';
import { classifyOperations, documentKey, isOperationBlocked, remoteFields, stampOf } from './planner';
import { isUnreachable, maxBatchWrites, type RemoteStore, type RemoteWrite } from './remoteStore';
import { applyPolicy, lastWriteWins } from './resolver';
import {
  emptyOutcomeCounts,
  type ConflictPolicyName,
  type ConflictView,
  type OperationOutcome,
  type OperationResult,
  type Plan,
  type PlannedOperation,
  type PullSummary,
  type RemoteDocument,
  type ResolutionStrategy,
  type ReplaySummary,
} from './types';

export interface EngineSettings {
  maxRetries: number;
  backoff: BackoffPolicy;
  /** Conflict policy of a collection (synclens.json), `lastWriteWins` by default. */
  policyFor(collection: string): ConflictPolicyName;
  now(): number;
}

export const defaultEngineSettings: EngineSettings = {
  maxRetries: defaultMaxRetries,
  backoff: defaultBackoffPolicy,
  policyFor: () => 'lastWriteWins',
  now: () => Date.now(),
};

export interface SelectionOptions {
  /** Queue ids to consider; all when absent. */
  only?: readonly number[];
  /** Ignore backoff (`--force`). */
  force?: boolean;
}

export interface ReplayOptions extends SelectionOptions {
  /** Send only the first sendable op. */
  step?: boolean;
  signal?: AbortSignal;
  onResult?: (result: OperationResult) => void;
  /** Ops per remote batch (<= 500); smaller values make progress finer. */
  batchSize?: number;
  /** Batches of disjoint entities in flight at once (default 4; 1 = strictly one after another). */
  concurrency?: number;
}

export interface PullOptions {
  pageSize?: number;
  signal?: AbortSignal;
  /** Called after each page is applied (tests use it to let another client write meanwhile). */
  onPage?: (collection: string, applied: number) => Promise<void> | void;
}

export interface ResolutionResult {
  collection: string;
  entityId: string;
  applied: 'local' | 'remote' | 'merge' | 'none';
  ok: boolean;
  message: string;
}

/** One queued op on its way through a replay batch. */
interface ReplayEntry {
  planned: PlannedOperation;
  role: EntityTableRole;
  /** Index into the batch's writes, or null for an op settled without a remote write. */
  writes: boolean;
  outcomeOnSuccess: OperationOutcome;
  message: string;
  /** For remote-kept: the remote document to copy into the local row. */
  keepRemote: RemoteDocument | null;
}

interface Batch {
  writes: RemoteWrite[];
  entries: ReplayEntry[];
}

export class SyncSession {
  /** True once the image holds changes that must be written back. */
  dirty = false;
  private readonly settings: EngineSettings;

  constructor(
    readonly db: SqlDatabase,
    readonly roles: SyncRoles,
    readonly remote: RemoteStore,
    settings: Partial<EngineSettings> = {},
  ) {
    this.settings = { ...defaultEngineSettings, ...settings };
  }

  analyze(): QueueAnalysis | null {
    if (!this.roles.queue) return null;
    return analyzeQueue(this.db, this.roles, {
      now: this.settings.now(),
      maxRetries: this.settings.maxRetries,
      backoff: this.settings.backoff,
    });
  }

  private readonly columnCache = new Map<string, string[]>();

  private columnsOf(table: string): string[] {
    const cached = this.columnCache.get(table);
    if (cached) return cached;
    const names = tableColumnNames(this.db, table);
    this.columnCache.set(table, names);
    return names;
  }

  private readonly mappings = new Map<EntityTableRole, EntityMapping>();

  /** Row / payload <-> document for an entity table (core/firestore/mapping). */
  mappingFor(role: EntityTableRole): EntityMapping {
    let mapping = this.mappings.get(role);
    if (!mapping) {
      mapping = createEntityMapping(role, this.columnsOf(role.table), this.remote.sdk);
      this.mappings.set(role, mapping);
    }
    return mapping;
  }

  private documentFor = (op: AnalyzedOperation, role: EntityTableRole): Record<string, unknown> =>
    this.mappingFor(role).payloadToDocument(op.payload ?? {});

  private selectOperations(options: SelectionOptions): AnalyzedOperation[] {
    const analysis = this.analyze();
    if (!analysis) return [];
    const only = options.only ? new Set(options.only) : null;
    return analysis.operations.filter((op) => !only || only.has(op.id));
  }

  /** Classifies every selected op against the remote, read in bulk. Writes nothing anywhere. */
  async plan(options: SelectionOptions = {}): Promise<Plan> {
    return this.planFor(this.selectOperations(options), options.force ?? false);
  }

  private async planFor(operations: AnalyzedOperation[], force: boolean): Promise<Plan> {
    const refs = operations
      .filter((op) => !isOperationBlocked(op, force))
      .map((op) => ({ role: entityRoleForType(this.roles, op.entityType), id: op.entityId }))
      .filter((ref): ref is { role: EntityTableRole; id: string } => ref.role !== null)
      .map((ref) => ({ collection: ref.role.collection, id: ref.id }));
    let remote = new Map<string, RemoteDocument | null>();
    let reads = 0;
    if (refs.length > 0) {
      const read = await this.remote.readDocuments(refs);
      if (!read.ok) throw new RemoteUnavailableError(`reading ${refs.length} remote documents failed: ${read.error}`, read.code);
      remote = read.value.documents;
      reads = read.value.requests;
    }
    return classifyOperations(operations, {
      entityFor: (type) => entityRoleForType(this.roles, type),
      documentFor: this.documentFor,
      policyFor: (collection) => this.settings.policyFor(collection),
      remote,
      force,
    }, reads);
  }

  /**
   * Sends the selected ops in order, batched. Success removes the op (and purges a deleted row);
   * failure counts a retry. Results stream through `onResult` as each batch settles.
   */
  async replay(options: ReplayOptions = {}): Promise<ReplaySummary> {
    const queue = this.roles.queue;
    const summary: ReplaySummary = { results: [], counts: emptyOutcomeCounts(), batchesCommitted: 0, cancelled: false, backupPath: null };
    if (!queue) return summary;
    const emit = (planned: PlannedOperation, outcome: OperationOutcome, message: string): void => {
      const { op } = planned;
      const result: OperationResult = { opId: op.id, entityType: op.entityType, entityId: op.entityId, operation: op.operation, outcome, message };
      summary.results.push(result);
      summary.counts[outcome]++;
      options.onResult?.(result);
    };

    let operations = this.selectOperations(options);
    const force = options.force ?? false;
    if (options.step) {
      const first = operations.find((op) => !isOperationBlocked(op, force));
      operations = first ? [first] : [];
    }
    const plan = await this.planFor(operations, force);
    const batchSize = Math.max(1, Math.min(maxBatchWrites, options.batchSize ?? maxBatchWrites));

    const heldEntities = new Set<string>();
    const batches: Batch[] = [{ writes: [], entries: [] }];
    const lastOpOfEntity = new Map<string, number>();
    for (const planned of plan.operations) lastOpOfEntity.set(`${planned.collection}/${planned.op.entityId}`, planned.op.id);

    for (const planned of plan.operations) {
      const role = entityRoleForType(this.roles, planned.op.entityType);
      const key = `${planned.collection}/${planned.op.entityId}`;
      if (planned.classification === 'blocked' || !role || planned.collection === null) {
        emit(planned, 'skipped', planned.reason);
        continue;
      }
      if (heldEntities.has(key)) {
        emit(planned, 'held', `an earlier op of ${key} is held for a manual decision`);
        continue;
      }
      let current = batches[batches.length - 1];
      const add = (entry: Omit<ReplayEntry, 'planned' | 'role'>, write: RemoteWrite | null): void => {
        if (write && current.writes.length >= batchSize) {
          current = { writes: [], entries: [] };
          batches.push(current);
        }
        if (write) current.writes.push(write);
        current.entries.push({ planned, role, ...entry });
      };
      const writeOf = (): RemoteWrite =>
        planned.op.operation === 'delete'
          ? { kind: 'soft-delete', collection: role.collection, id: planned.op.entityId, updatedAt: stampOf(planned.op.payload ?? {}, planned.op.createdAt).updatedAt }
          : { kind: 'set-merge', collection: role.collection, id: planned.op.entityId, data: planned.document ?? {} };

      switch (planned.classification) {
        case 'apply':
          add({ writes: true, outcomeOnSuccess: 'applied', message: planned.reason, keepRemote: null }, writeOf());
          break;
        case 'remote-missing':
          if (planned.op.operation === 'delete') add({ writes: false, outcomeOnSuccess: 'remote-missing', message: planned.reason, keepRemote: null }, null);
          else add({ writes: true, outcomeOnSuccess: 'applied', message: planned.reason, keepRemote: null }, writeOf());
          break;
        case 'already-applied':
          add({ writes: false, outcomeOnSuccess: 'already-applied', message: planned.reason, keepRemote: null }, null);
          break;
        case 'conflict': {
          const decision = applyPolicy(planned.policy ?? 'lastWriteWins', planned.verdict ?? { winner: 'remote', reason: '' });
          if (decision.outcome === 'held') {
            heldEntities.add(key);
            emit(planned, 'held', planned.reason);
          } else if (decision.outcome === 'local') {
            add({ writes: true, outcomeOnSuccess: 'applied', message: `conflict: ${decision.reason}`, keepRemote: null }, writeOf());
          } else {
            const isLast = lastOpOfEntity.get(key) === planned.op.id;
            add({ writes: false, outcomeOnSuccess: 'remote-kept', message: `conflict: ${decision.reason}`, keepRemote: isLast ? planned.remote : null }, null);
          }
          break;
        }
      }
    }

    const failedEntities = new Map<string, number>();
    const succeededEntities = new Map<string, EntityTableRole>();
    let stopReason: string | null = null;
    const keyOf = (entry: ReplayEntry): string => `${entry.role.collection}/${entry.planned.op.entityId}`;
    const runBatch = async (batch: Batch): Promise<void> => {
      if (!stopReason && options.signal?.aborted) {
        stopReason = 'cancelled before it was sent';
        summary.cancelled = true;
      }
      if (stopReason) {
        for (const entry of batch.entries) emit(entry.planned, 'skipped', stopReason);
        return;
      }
      // A batch holding writes of an entity that failed earlier in this run must not jump ahead.
      const blockedInBatch = batch.entries.filter((entry) => failedEntities.has(keyOf(entry)));
      const sendable = batch.entries.filter((entry) => !failedEntities.has(keyOf(entry)));
      const writes = sendable.filter((entry) => entry.writes).map((entry) => writeFor(entry));
      for (const entry of blockedInBatch) emit(entry.planned, 'skipped', `op #${failedEntities.get(keyOf(entry))} of this entity failed earlier in this run`);

      const result = writes.length === 0 ? { ok: true as const, value: undefined } : await this.remote.commit(writes);
      if (writes.length > 0 && result.ok) summary.batchesCommitted++;
      const done: number[] = [];
      for (const entry of sendable) {
        const { op } = entry.planned;
        if (!result.ok && (entry.writes || failedEntities.has(keyOf(entry)))) {
          if (entry.writes) {
            markQueueOperationFailed(this.db, queue, op.id, `${result.code}: ${result.error}`, this.settings.now());
            this.dirty = true;
            failedEntities.set(keyOf(entry), op.id);
            emit(entry.planned, 'failed', `${result.code}: ${result.error}`);
          } else {
            emit(entry.planned, 'skipped', `op #${failedEntities.get(keyOf(entry))} of this entity failed in the same batch`);
          }
          continue;
        }
        this.settleSuccess(entry, succeededEntities, done);
        emit(entry.planned, entry.outcomeOnSuccess, entry.message);
      }
      deleteQueueOperations(this.db, queue, done);
      if (!result.ok && isUnreachable(result.code)) stopReason = `not sent: the target stopped answering (${result.code})`;
    };

    // Batches of disjoint entities are committed concurrently (the round trip, not the write,
    // dominates); a batch sharing an entity with an earlier one waits for it, so each entity's
    // ops still reach Firestore in queue order.
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const lastBatchOf = new Map<string, Promise<void>>();
    const running = new Set<Promise<void>>();
    let failure: unknown = null;
    for (const batch of batches) {
      if (batch.entries.length === 0) continue;
      const keys = new Set(batch.entries.map(keyOf));
      const dependencies = [...keys].map((key) => lastBatchOf.get(key)).filter((task): task is Promise<void> => task !== undefined);
      while (running.size >= concurrency) await Promise.race(running);
      const task: Promise<void> = Promise.all(dependencies)
        .then(() => runBatch(batch))
        .catch((error: unknown) => {
          failure ??= error;
          stopReason ??= 'not sent: an earlier batch failed locally';
        })
        .finally(() => running.delete(task));
      running.add(task);
      for (const key of keys) lastBatchOf.set(key, task);
    }
    await Promise.all(running);
    if (failure) throw failure;

    // One scan of the queue for what is left, rather than one per entity.
    const remaining = remainingQueueKeys(this.db, queue);
    const toMark = new Map<EntityTableRole, string[]>();
    for (const [key, role] of succeededEntities) {
      const entityId = key.slice(role.collection.length + 1);
      if (role.entityTypes.some((type) => remaining.has(`${type}\u0000${entityId}`))) continue;
      const ids = toMark.get(role) ?? [];
      ids.push(entityId);
      toMark.set(role, ids);
    }
    for (const [role, ids] of toMark) markEntitiesSynced(this.db, role, ids);
    return summary;

    function writeFor(entry: ReplayEntry): RemoteWrite {
      const { op, document } = entry.planned;
      return op.operation === 'delete'
        ? { kind: 'soft-delete', collection: entry.role.collection, id: op.entityId, updatedAt: stampOf(op.payload ?? {}, op.createdAt).updatedAt }
        : { kind: 'set-merge', collection: entry.role.collection, id: op.entityId, data: document ?? {} };
    }
  }

  private settleSuccess(entry: ReplayEntry, succeeded: Map<string, EntityTableRole>, done: number[]): void {
    const { op } = entry.planned;
    done.push(op.id);
    this.dirty = true;
    if (entry.outcomeOnSuccess === 'remote-kept') {
      if (entry.keepRemote) this.copyRemoteIntoRow(entry.role, entry.keepRemote);
      succeeded.set(`${entry.role.collection}/${op.entityId}`, entry.role);
      return;
    }
    if (op.operation === 'delete') {
      purgeEntity(this.db, entry.role, op.entityId);
      return;
    }
    succeeded.set(`${entry.role.collection}/${op.entityId}`, entry.role);
  }

  private copyRemoteIntoRow(role: EntityTableRole, remote: RemoteDocument): void {
    const values = this.mappingFor(role).documentToRow(remote.id, remote.data);
    if (role.columns.isSynced) values[role.columns.isSynced] = 1;
    upsertEntity(this.db, role, remote.id, values);
    this.dirty = true;
  }

  /**
   * Remote changes since the last sync, per collection, ascending by updatedAt, paged. An entity
   * with unsynced local changes is not overwritten: it is reported as a conflict (see
   * listConflicts). The new last sync is the highest updatedAt applied, never the clock.
   */
  async pull(options: PullOptions = {}): Promise<PullSummary> {
    const pageSize = options.pageSize ?? 300;
    const summary: PullSummary = { collections: [], applied: 0, conflicts: 0, backupPath: null };
    const state = this.roles.state;
    const pendingIds = this.pendingEntityKeys();
    const globalPrevious = state ? readStateValue(this.db, state, globalLastSyncKey) : null;
    const newValues: number[] = [];
    for (const role of this.roles.entities) {
      const previousValue = state ? readStateValue(this.db, state, lastSyncKey(role.collection)) : null;
      const previousSyncAt = stateValueToMillis(previousValue) ?? stateValueToMillis(globalPrevious);
      const entry = { collection: role.collection, applied: 0, conflicts: [] as string[], previousSyncAt, lastSyncAt: previousSyncAt };
      summary.collections.push(entry);
      const mapping = this.mappingFor(role);
      let cursor: unknown = null;
      do {
        if (options.signal?.aborted) break;
        const page = await this.remote.readChangedSince(role.collection, previousSyncAt, pageSize, cursor);
        if (!page.ok) throw new RemoteUnavailableError(`reading changes of ${role.collection} failed: ${page.error}`, page.code);
        for (const document of page.value.documents) {
          const updatedAt = timeValueToMillis(document.data[remoteFields.updatedAt]);
          if (pendingIds.has(documentKey(role.collection, document.id))) {
            entry.conflicts.push(document.id);
            continue;
          }
          const exists = readEntityRow(this.db, role, document.id) !== null;
          if (exists || document.data[remoteFields.isDeleted] !== true) {
            const values = mapping.documentToRow(document.id, document.data);
            if (role.columns.isSynced) values[role.columns.isSynced] = 1;
            upsertEntity(this.db, role, document.id, values);
            this.dirty = true;
          }
          entry.applied++;
          if (updatedAt !== null && (entry.lastSyncAt === null || updatedAt > entry.lastSyncAt)) entry.lastSyncAt = updatedAt;
        }
        cursor = page.value.next;
        await options.onPage?.(role.collection, entry.applied);
      } while (cursor);
      if (state && entry.lastSyncAt !== null && entry.lastSyncAt !== previousSyncAt) {
        writeStateValue(this.db, state, lastSyncKey(role.collection), millisToStateValue(entry.lastSyncAt, previousValue ?? globalPrevious));
        this.dirty = true;
      }
      if (entry.lastSyncAt !== null) newValues.push(entry.lastSyncAt);
      summary.applied += entry.applied;
      summary.conflicts += entry.conflicts.length;
    }
    // The app reads one lastSyncAt: the oldest collection's, so no collection skips a change.
    if (state && newValues.length === this.roles.entities.length && newValues.length > 0) {
      const oldest = Math.min(...newValues);
      if (stateValueToMillis(globalPrevious) !== oldest) {
        writeStateValue(this.db, state, globalLastSyncKey, millisToStateValue(oldest, globalPrevious));
        this.dirty = true;
      }
    }
    return summary;
  }

  /** `collection/id` of every entity with a pending op or isSynced = 0. */
  private pendingEntityKeys(): Set<string> {
    const keys = new Set<string>();
    for (const op of this.analyze()?.operations ?? []) {
      if (op.status === 'dead-lettered') continue;
      const role = entityRoleForType(this.roles, op.entityType);
      if (role) keys.add(documentKey(role.collection, op.entityId));
    }
    for (const role of this.roles.entities) {
      for (const id of unsyncedEntityIds(this.db, role)) keys.add(documentKey(role.collection, id));
    }
    return keys;
  }

  /**
   * Conflicts are computed on demand, not stored: an entity with unsynced local changes (a pending
   * op or isSynced = 0) whose remote document the last-write-wins resolver prefers and which
   * differs from the local state. Nothing is kept in the user's database between runs.
   */
  async listConflicts(filter?: { collection: string; entityId: string }): Promise<ConflictView[]> {
    const operations = (this.analyze()?.operations ?? []).filter((op) => op.status !== 'dead-lettered' && op.status !== 'invalid');
    const candidates = new Map<string, { role: EntityTableRole; entityId: string; ops: AnalyzedOperation[] }>();
    for (const op of operations) {
      const role = entityRoleForType(this.roles, op.entityType);
      if (!role) continue;
      const key = documentKey(role.collection, op.entityId);
      const candidate = candidates.get(key) ?? { role, entityId: op.entityId, ops: [] };
      candidate.ops.push(op);
      candidates.set(key, candidate);
    }
    for (const role of this.roles.entities) {
      for (const id of unsyncedEntityIds(this.db, role)) {
        const key = documentKey(role.collection, id);
        if (!candidates.has(key)) candidates.set(key, { role, entityId: id, ops: [] });
      }
    }
    const wanted = [...candidates.values()].filter((c) => !filter || (c.role.collection === filter.collection && c.entityId === filter.entityId));
    if (wanted.length === 0) return [];
    const read = await this.remote.readDocuments(wanted.map((c) => ({ collection: c.role.collection, id: c.entityId })));
    if (!read.ok) throw new RemoteUnavailableError(`reading remote documents failed: ${read.error}`, read.code);
    const conflicts: ConflictView[] = [];
    for (const candidate of wanted) {
      const remote = read.value.documents.get(documentKey(candidate.role.collection, candidate.entityId)) ?? null;
      if (!remote) continue;
      const view = this.conflictView(candidate.role, candidate.entityId, candidate.ops, remote);
      if (view) conflicts.push(view);
    }
    return conflicts;
  }

  private conflictView(role: EntityTableRole, entityId: string, ops: AnalyzedOperation[], remote: RemoteDocument): ConflictView | null {
    const row = readEntityRow(this.db, role, entityId);
    const localRow = row ? this.mappingFor(role).rowToDocument(row) : null;
    const newest = ops.at(-1) ?? null;
    const queuedPayload = newest?.payload ?? null;
    let local: Record<string, unknown>;
    if (newest?.operation === 'delete') local = { ...(localRow ?? {}), [remoteFields.isDeleted]: true };
    else if (newest) local = { ...(localRow ?? {}), ...this.documentFor(newest, role) };
    else if (localRow) local = localRow;
    else return null;
    const verdict = lastWriteWins(stampOf(local, newest?.createdAt ?? null), stampOf(remote.data));
    if (verdict.winner === 'local') return null;
    const fields = differingFields(local, remote.data).filter((field) => field in local);
    if (fields.length === 0 || documentContains(remote.data, local)) return null;
    const policy = this.settings.policyFor(role.collection);
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
      differences: fields.map((field) => ({ field, local: local[field] ?? null, remote: remote.data[field] ?? null })),
      policy,
      verdict,
      policyOutcome: decision.outcome,
    };
  }

  /** Settles conflicts by a strategy, on both sides: the remote in batches, then the local image. */
  async resolve(conflicts: readonly ConflictView[], strategy: ResolutionStrategy): Promise<ResolutionResult[]> {
    const queue = this.roles.queue;
    const results: ResolutionResult[] = [];
    const plans: { conflict: ConflictView; applied: 'local' | 'remote' | 'merge'; write: RemoteWrite | null; localDocument: Record<string, unknown> | null; purge: boolean }[] = [];
    for (const conflict of conflicts) {
      const role = this.roles.entities.find((entity) => entity.collection === conflict.collection);
      if (!role) continue;
      let kind = strategy.kind;
      if (kind === 'policy') {
        if (conflict.policyOutcome === 'held') {
          results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: 'none', ok: false, message: `policy of ${conflict.collection} is manual: choose local, remote or merge` });
          continue;
        }
        kind = conflict.policyOutcome;
      }
      if (kind === 'remote') {
        plans.push({ conflict, applied: 'remote', write: null, localDocument: conflict.remote.data, purge: false });
      } else if (kind === 'local') {
        const deleting = conflict.local[remoteFields.isDeleted] === true && conflict.queuedPayload !== null && this.newestOpIsDelete(conflict);
        const data = withoutField(conflict.local, remoteFields.deletedAt);
        plans.push({
          conflict,
          applied: 'local',
          write: deleting
            ? { kind: 'soft-delete', collection: conflict.collection, id: conflict.entityId, updatedAt: stampOf(conflict.local).updatedAt }
            : { kind: 'set-merge', collection: conflict.collection, id: conflict.entityId, data },
          localDocument: null,
          purge: deleting,
        });
      } else if (strategy.kind === 'merge') {
        const merged: Record<string, unknown> = withoutField(conflict.remote.data, remoteFields.deletedAt);
        for (const [field, side] of Object.entries(strategy.choices)) {
          if (side === 'local') merged[field] = conflict.local[field] ?? null;
        }
        Object.assign(merged, strategy.values ?? {});
        const localStamp = stampOf(conflict.local);
        const remoteStamp = stampOf(conflict.remote.data);
        // The merged result must beat both sides in every later comparison.
        merged[remoteFields.updatedAt] = new Date(Math.max(localStamp.updatedAt ?? 0, remoteStamp.updatedAt ?? 0, this.settings.now()));
        if (localStamp.version !== null || remoteStamp.version !== null) {
          merged[remoteFields.version] = Math.max(localStamp.version ?? 0, remoteStamp.version ?? 0) + 1;
        }
        plans.push({ conflict, applied: 'merge', write: { kind: 'set-merge', collection: conflict.collection, id: conflict.entityId, data: merged }, localDocument: merged, purge: false });
      }
    }
    for (let start = 0; start < plans.length; start += maxBatchWrites) {
      const chunk = plans.slice(start, start + maxBatchWrites);
      const writes = chunk.map((plan) => plan.write).filter((write): write is RemoteWrite => write !== null);
      const committed = writes.length === 0 ? { ok: true as const, value: undefined } : await this.remote.commit(writes);
      for (const plan of chunk) {
        const { conflict } = plan;
        const role = this.roles.entities.find((entity) => entity.collection === conflict.collection) as EntityTableRole;
        if (plan.write && !committed.ok) {
          results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: 'none', ok: false, message: `${committed.code}: ${committed.error}` });
          continue;
        }
        if (queue) for (const opId of conflict.pendingOpIds) deleteQueueOperation(this.db, queue, opId);
        if (plan.purge) purgeEntity(this.db, role, conflict.entityId);
        else if (plan.localDocument) this.copyRemoteIntoRow(role, { collection: conflict.collection, id: conflict.entityId, data: plan.localDocument });
        else markEntitySynced(this.db, role, conflict.entityId);
        this.dirty = true;
        results.push({ collection: conflict.collection, entityId: conflict.entityId, applied: plan.applied, ok: true, message: describeResolution(plan.applied, conflict) });
      }
    }
    return results;
  }

  private newestOpIsDelete(conflict: ConflictView): boolean {
    const newestId = conflict.pendingOpIds.at(-1);
    if (newestId === undefined) return false;
    return (this.analyze()?.operations ?? []).some((op) => op.id === newestId && op.operation === 'delete');
  }
}

function withoutField(document: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...document };
  delete copy[field];
  return copy;
}

function describeResolution(applied: 'local' | 'remote' | 'merge', conflict: ConflictView): string {
  const key = `${conflict.collection}/${conflict.entityId}`;
  if (applied === 'local') return `${key}: local version pushed; ${conflict.pendingOpIds.length} queued op(s) done`;
  if (applied === 'remote') return `${key}: remote version copied into the local row; ${conflict.pendingOpIds.length} queued op(s) dropped`;
  return `${key}: merged version written to both sides`;
}

/** The remote could not be read: nothing was classified or written. */
export class RemoteUnavailableError extends Error {
  override readonly name = 'RemoteUnavailableError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
