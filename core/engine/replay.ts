// Replay: the selected ops sent in queue order, an entity's consecutive merges as one write
// (replayCoalesce.ts), batched by count and bytes with the last batch in pieces (replayBatches.ts),
// batches of disjoint entities in flight together (replayScheduler.ts) within a window that adapts
// to the measured round trip (replayWindow.ts), at most as fast as Firestore's ramp allows on a
// real project (throttle.ts).
// A transient failure is retried after reading back what landed (replayRetry.ts). Success removes
// the op (and purges a deleted row), and an entity left with no queued op is marked synced as its
// batch settles; failure counts a retry; an entity whose op failed has its
// later ops skipped; a dead target stops the run after the failing batch. Every local effect goes
// to the image.
import type { EntityTableRole, QueueOperation, QueueTableRole } from '../db/types';
import type { EngineContext, SelectionOptions } from './context';
import { deleteQueueOperations, markEntitiesSynced, markQueueOperationFailed, purgeEntity } from './localStore';
import { planOperations } from './plan';
import { isOperationBlocked, queuedEntityKey } from './planner';
import { isUnreachable, maxBatchWrites, type RemoteWrite } from './remoteStore';
import { packBatches, replayEntriesOf, taperLastBatch, type ReplayBatch, type ReplayEntry } from './replayBatches';
import { coalesceMerges } from './replayCoalesce';
import { isSlowBatch, type ReplayProgress } from './replayProgress';
import { commitWithRetry, defaultRetryPolicy, describeRetries, isPushBack, type CommitAttempts, type RetryPolicy } from './replayRetry';
import { runInEntityOrder } from './replayScheduler';
import { AdaptiveWindow } from './replayWindow';
import { systemClock, WriteThrottle, type Clock } from './throttle';
import { documentSize, maxDocumentBytes } from './writeSize';
import { emptyOutcomeCounts, type OperationOutcome, type OperationResult, type PlannedOperation, type ReplaySummary } from './types';

export interface ReplayOptions extends SelectionOptions {
  /** Send only the first sendable op. */
  step?: boolean;
  signal?: AbortSignal;
  onResult?: (result: OperationResult) => void;
  /** Ops per remote batch (<= 500); smaller values make progress finer. */
  batchSize?: number;
  /**
   * Batches of disjoint entities in flight at once (1 = strictly one after another); by default a
   * window adapted to the measured commit time (replayWindow.ts).
   */
  concurrency?: number;
  /** Told after each batch settles and before each retry's wait: timings, window, rate limits. */
  onProgress?: (progress: ReplayProgress) => void;
  /**
   * Firestore's ramp per collection (throttle.ts). Default: on for a real project, off for the
   * emulator, which has no ramp to respect (and the bench measures it unthrottled).
   */
  throttle?: boolean;
  /** Retries of a batch after a transient failure (replayRetry.ts). */
  retryPolicy?: RetryPolicy;
  /** Time and waiting for the throttle and the retries' backoff (tests inject one). */
  clock?: Clock;
}

export async function replay(context: EngineContext, options: ReplayOptions = {}): Promise<ReplaySummary> {
  const summary: ReplaySummary = { results: [], counts: emptyOutcomeCounts(), batchesCommitted: 0, cancelled: false, backupPath: null };
  const queue = context.roles.queue;
  if (!queue) return summary;
  const report = (planned: PlannedOperation, outcome: OperationOutcome, message: string): void => {
    const { op } = planned;
    const result: OperationResult = { opId: op.id, entityType: op.entityType, entityId: op.entityId, operation: op.operation, outcome, message };
    summary.results.push(result);
    summary.counts[outcome]++;
    options.onResult?.(result);
  };

  const force = options.force ?? false;
  // The whole queue's analysis, not only the selection: an entity is synced once no op of it is left.
  const analysis = options.analysis !== undefined ? options.analysis : context.analyze();
  let operations = context.selectOperations({ ...options, analysis });
  if (options.step) {
    const first = operations.find((op) => !isOperationBlocked(op, force));
    operations = first ? [first] : [];
  }
  const plan = await planOperations(context, operations, force);
  const batchSize = Math.max(1, Math.min(maxBatchWrites, options.batchSize ?? maxBatchWrites));
  const batches = taperLastBatch(packBatches(coalesceMerges(replayEntriesOf(plan, context.roles, report)), { maxWrites: batchSize }));

  const window = new AdaptiveWindow();
  const throttled = options.throttle ?? context.remote.target === 'project';
  const clock = options.clock ?? systemClock;
  const run = new ReplayRun(context, queue, analysis?.operations ?? [], summary, report, {
    signal: options.signal,
    window,
    clock,
    throttle: throttled ? new WriteThrottle(clock) : null,
    retryPolicy: options.retryPolicy ?? defaultRetryPolicy,
    onProgress: options.onProgress,
  });
  await runInEntityOrder(batches, options.concurrency ?? (() => window.size), (batch) => run.send(batch));
  return summary;
}

const committedWithoutWrites: CommitAttempts = { result: { ok: true, value: undefined }, failures: [], resent: 0, confirmedByReadBack: new Set() };

interface RunControls {
  signal: AbortSignal | undefined;
  window: AdaptiveWindow;
  clock: Clock;
  throttle: WriteThrottle | null;
  retryPolicy: RetryPolicy;
  onProgress: ((progress: ReplayProgress) => void) | undefined;
}

/** An op's message with its batch's retries, if any (a function, not a closure per op: replay reports 10,000s). */
function withRetryNote(message: string, note: string): string {
  return note ? `${message}; ${note}` : message;
}

function writesPerCollection(writes: readonly RemoteWrite[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const write of writes) counts.set(write.collection, (counts.get(write.collection) ?? 0) + 1);
  return counts;
}

/**
 * Per queued entity (queuedEntityKey), how many of `operations` it has: counted from the analysis
 * the replay already holds, where a GROUP BY over the queue table cost 40 ms per 10,000 ops in WASM.
 */
function operationCountsPerEntity(operations: readonly QueueOperation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const op of operations) {
    const key = queuedEntityKey(op.entityType, op.entityId);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** An entity one of whose ops a batch settled. */
interface SettledEntity {
  role: EntityTableRole;
  entityId: string;
}

/** The state of one replay across its batches: failed entities, entities settled, why it stopped. */
class ReplayRun {
  /** `collection/entityId` -> the op that failed in this run. */
  private readonly failedEntities = new Map<string, number>();
  /**
   * Per queued entity (queuedEntityKey), the ops still queued: counted from the analysis when the
   * first batch settles (while later batches are in flight, not before the first commit), then
   * counted down as batches delete theirs.
   */
  private queued: Map<string, number> | null = null;
  private stopReason: string | null = null;

  constructor(
    private readonly context: EngineContext,
    private readonly queue: QueueTableRole,
    /** Every op the queue held when the replay began (its analysis), selected or not. */
    private readonly queuedAtStart: readonly QueueOperation[],
    private readonly summary: ReplaySummary,
    private readonly report: (planned: PlannedOperation, outcome: OperationOutcome, message: string) => void,
    private readonly controls: RunControls,
  ) {}

  private progress(lastBatchMs: number | null, retrying: ReplayProgress['retrying'] = null): void {
    const { onProgress, window, throttle } = this.controls;
    onProgress?.({
      batchesCommitted: this.summary.batchesCommitted,
      lastBatchMs,
      roundTripMs: window.roundTripMs,
      fastestBatchMs: window.fastestMs,
      window: window.size,
      slow: lastBatchMs !== null && isSlowBatch(lastBatchMs, window.fastestMs),
      rateLimits: throttle?.limits() ?? null,
      retrying,
    });
  }

  private cancelIfAborted(): void {
    if (!this.stopReason && this.controls.signal?.aborted) {
      this.stopReason = 'cancelled before it was sent';
      this.summary.cancelled = true;
    }
  }

  async send(batch: ReplayBatch): Promise<void> {
    try {
      await this.sendBatch(batch);
    } catch (error) {
      this.stopReason ??= 'not sent: an earlier batch failed locally';
      throw error;
    }
  }

  private async sendBatch(batch: ReplayBatch): Promise<void> {
    this.cancelIfAborted();
    if (this.stopReason) {
      for (const entry of batch.entries) this.skipWithFollowers(entry, this.stopReason);
      return;
    }
    // A batch holding ops of an entity that failed earlier in this run must not jump ahead.
    const sendable: ReplayEntry[] = [];
    for (const entry of batch.entries) {
      const failedOp = this.failedEntities.get(entry.entityKey);
      if (failedOp !== undefined) {
        this.skipWithFollowers(entry, `op #${failedOp} of this entity failed earlier in this run`);
        continue;
      }
      const size = entry.write ? documentSize(entry.write) : 0;
      if (size > maxDocumentBytes) {
        // Firestore refuses it (and the whole batch with it): it fails alone, without a request.
        this.settleFailure(entry, `invalid-argument: the document ${entry.entityKey} would be about ${size} bytes, over Firestore's limit of ${maxDocumentBytes}`);
        continue;
      }
      sendable.push(entry);
    }
    const writes = sendable.flatMap((entry) => (entry.write ? [entry.write] : []));
    const { throttle } = this.controls;
    if (writes.length > 0 && throttle) {
      await throttle.acquire(writesPerCollection(writes), this.controls.signal);
      this.cancelIfAborted();
      if (this.stopReason) {
        for (const entry of sendable) this.skipWithFollowers(entry, this.stopReason);
        return;
      }
    }
    // Batch times are real time even with an injected clock: they measure the network.
    const started = performance.now();
    const attempts = writes.length === 0 ? committedWithoutWrites : await this.commit(writes);
    const { result } = attempts;
    const elapsed = performance.now() - started;
    if (writes.length > 0) {
      // A retried batch's time is not a round trip: only clean commits steer the window.
      if (result.ok && attempts.failures.length === 0) this.controls.window.observe(elapsed);
      if (result.ok) this.summary.batchesCommitted++;
    }
    const failure = result.ok ? '' : `${result.code}: ${result.error}`;
    // The batch's ops that leave the queue, and the entities they leave synced unless more are queued.
    const done: QueueOperation[] = [];
    const settled = new Map<string, SettledEntity>();
    for (const entry of sendable) {
      const note = describeRetries(attempts, entry.write);
      const applied = result.ok || (entry.write !== null && attempts.confirmedByReadBack.has(entry.write));
      if (!applied && (entry.write || this.failedEntities.has(entry.entityKey))) {
        this.settleFailure(entry, withRetryNote(failure, note));
        continue;
      }
      this.settleSuccess(entry, settled);
      done.push(entry.planned.op);
      this.report(entry.planned, entry.outcomeOnSuccess, withRetryNote(entry.message, note));
      for (const follower of entry.mergedOps ?? []) {
        this.settleSuccess(follower, settled);
        done.push(follower.planned.op);
        this.report(follower.planned, follower.outcomeOnSuccess, withRetryNote(`merged into #${entry.planned.op.id}: ${follower.message}`, note));
      }
    }
    this.removeFromQueue(done, settled);
    if (!result.ok && isUnreachable(result.code)) this.stopReason = `not sent: the target stopped answering (${result.code})`;
    if (writes.length > 0) this.progress(elapsed);
  }

  /** One batch's commit with its retries; a push-back from the server slows its collections. */
  private commit(writes: readonly RemoteWrite[]): Promise<CommitAttempts> {
    const { throttle, clock, retryPolicy, signal } = this.controls;
    return commitWithRetry(this.context.remote, writes, {
      policy: retryPolicy,
      clock,
      signal,
      onRetry: (code, retry, delayMs) => {
        if (throttle && isPushBack(code)) throttle.backOff(writesPerCollection(writes).keys());
        this.progress(null, { code, retry, delayMs });
      },
    });
  }

  private skipWithFollowers(entry: ReplayEntry, reason: string): void {
    this.report(entry.planned, 'skipped', reason);
    for (const follower of entry.mergedOps ?? []) this.report(follower.planned, 'skipped', reason);
  }

  private settleFailure(entry: ReplayEntry, error: string): void {
    const { op } = entry.planned;
    if (!entry.write) {
      this.report(entry.planned, 'skipped', `op #${this.failedEntities.get(entry.entityKey)} of this entity failed in the same batch`);
      return;
    }
    const now = this.context.settings.now();
    markQueueOperationFailed(this.context.db, this.queue, op.id, error, now);
    this.context.dirty = true;
    this.failedEntities.set(entry.entityKey, op.id);
    this.report(entry.planned, 'failed', error);
    // The later ops' fields were in the same write: each counts the failed attempt too.
    for (const follower of entry.mergedOps ?? []) {
      markQueueOperationFailed(this.context.db, this.queue, follower.planned.op.id, error, now);
      this.report(follower.planned, 'failed', `merged into #${op.id}, which failed: ${error}`);
    }
  }

  private settleSuccess(entry: ReplayEntry, settled: Map<string, SettledEntity>): void {
    const { op } = entry.planned;
    this.context.dirty = true;
    if (entry.outcomeOnSuccess === 'remote-kept') {
      if (entry.keepRemote) this.context.copyRemoteIntoRow(entry.role, entry.keepRemote);
      settled.set(entry.entityKey, { role: entry.role, entityId: op.entityId });
      return;
    }
    // The reference's permanentDelete once the remote confirmed the delete.
    if (op.operation === 'delete') {
      purgeEntity(this.context.db, entry.role, op.entityId);
      return;
    }
    settled.set(entry.entityKey, { role: entry.role, entityId: op.entityId });
  }

  /**
   * Deletes a batch's settled ops from the queue, and marks synced the entities of the batch that
   * have no op left in it. Done per batch, not once at the end, so that this work overlaps the
   * batches still in flight instead of following the last one; the counts need one read of the
   * queue, not one per entity or batch.
   */
  private removeFromQueue(ops: readonly QueueOperation[], settled: ReadonlyMap<string, SettledEntity>): void {
    const { db } = this.context;
    const queued = (this.queued ??= operationCountsPerEntity(this.queuedAtStart));
    deleteQueueOperations(db, this.queue, ops.map((op) => op.id));
    for (const op of ops) {
      const key = queuedEntityKey(op.entityType, op.entityId);
      const left = (queued.get(key) ?? 1) - 1;
      if (left > 0) queued.set(key, left);
      else queued.delete(key);
    }
    const toMark = new Map<EntityTableRole, string[]>();
    for (const { role, entityId } of settled.values()) {
      if (role.entityTypes.some((type) => queued.has(queuedEntityKey(type, entityId)))) continue;
      const ids = toMark.get(role) ?? [];
      ids.push(entityId);
      toMark.set(role, ids);
    }
    for (const [role, ids] of toMark) markEntitiesSynced(db, role, ids);
  }
}
