// The sync worker: a worker_threads thread that runs the engine (sql.js + the Firestore SDK) so a
// 100,000-op queue, a plan or a replay never blocks the extension host. Every request reads the
// file afresh; writing requests write it back atomically with a backup (core/db/writeBack).
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { openAppDatabase, type AppDatabase } from '../../core/db/appDatabase';
import { CodedError } from '../../core/errors';
import { checkReachable, connectFirestore, describeTarget, type FirestoreConnection, type FirestoreTarget } from '../../core/firestore/client';
import { compareWithRemote } from '../../core/engine/compare';
import { findQueueHygiene } from '../../core/engine/hygiene';
import { openEngine, type OpenedEngine } from '../../core/engine/openEngine';
import { readOperationDetail } from '../../core/engine/operationDetail';
import { isOperationBlocked } from '../../core/engine/planner';
import { replayEntriesOf } from '../../core/engine/replayBatches';
import { describeReplayProgress } from '../../core/engine/replayProgress';
import { toJsonObject, toJsonValue } from '../../core/engine/taggedValues';
import type { ConflictView, OperationResult, ResolutionStrategy } from '../../core/engine/types';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { readSourceOperationDetail } from '../../core/queue/operationDetail';
import { planFirestoreSdkSnapshot } from '../../core/queue/firestoreSdk/planSnapshot';
import { forwardWriteRecoveryLog } from '../worker/forwardRecoveryLog';
import type { ConflictItem, OperationDetail, QueueRow, QueueSnapshot, ResolutionReport } from '../../core/protocol/syncModel';
import { queueRevisionOf } from './queueRevision';
import { SyncWorkerProtocol, type EngineParams } from './workerProtocol';
import { seedEmulator } from '../../sample-workspace/seed-emulator';

const port = parentPort;
if (!port) throw new Error('syncWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));
forwardWriteRecoveryLog(endpoint);

/** The last queue read per file, kept so the detail pane does not re-read the file per click. */
const analysed = new Map<string, AppDatabase>();

endpoint.onRequest(SyncWorkerProtocol.analyzeQueue, async ({ path }): Promise<QueueSnapshot> => {
  const now = Date.now();
  const app = await openAppDatabase(path, { quickCheck: false, now });
  const { file: opened, roles, queue: analysis } = app;
  let keep = false;
  try {
    const rows: QueueRow[] = (analysis?.operations ?? []).map((op) => ({
      id: op.id,
      entityType: op.entityType,
      entityId: op.entityId,
      operation: op.unknownOperation ?? op.operation,
      status: op.status,
      reason: op.reason,
      createdAt: op.createdAt,
      retryCount: op.retryCount,
      lastAttempt: op.lastAttempt,
      lastError: op.lastError,
      nextAttemptAt: op.nextAttemptAt,
      supersededBy: op.supersededBy,
    }));
    const hygiene = findQueueHygiene(opened.db, roles, analysis);
    analysed.get(path)?.close();
    analysed.set(path, app);
    keep = true;
    return {
      fileName: basename(path),
      table: analysis?.table ?? null,
      totals: analysis?.totals ?? null,
      rows,
      hygiene,
      analyzedAt: now,
      syncedTables: roles.entities.length,
      revision: queueRevisionOf(analysis?.operations),
      readOnlyReason: analysis?.readOnlyReason ?? null,
      lastSync: analysis?.lastSync ? { at: analysis.lastSync.at, source: analysis.lastSync.source } : null,
      ...(analysis ? { sourceKind: analysis.kind } : {}),
    };
  } finally {
    if (!keep) opened.close();
  }
});

endpoint.onRequest(SyncWorkerProtocol.operationDetail, async ({ path, opId }): Promise<OperationDetail> => {
  const entry = analysed.get(path);
  // A queue SyncLens only reads (core/queue): its detail is the op, its source's facts and the row where the source has entities.
  const fromSource = entry ? readSourceOperationDetail(entry, opId) : null;
  if (fromSource) return { ...fromSource, payload: fromSource.payload && toJsonObject(fromSource.payload), localRow: fromSource.localRow && toJsonObject(fromSource.localRow) };
  if (!entry || !entry.roles.queue) throw new CodedError('not-open', `${basename(path)} has no analysed queue`);
  const detail = readOperationDetail(entry.file.db, entry.roles, opId);
  return { ...detail, payload: detail.payload && toJsonObject(detail.payload), localRow: detail.localRow && toJsonObject(detail.localRow) };
});

endpoint.onRequest(SyncWorkerProtocol.syncedTables, async ({ path }) => {
  const known = analysed.get(path);
  if (known) return known.roles.entities.length;
  const app = await openAppDatabase(path, { quickCheck: false });
  try {
    return app.roles.entities.length;
  } finally {
    app.close();
  }
});

endpoint.onRequest(SyncWorkerProtocol.checkTarget, ({ target }) => checkReachable(target, { timeoutMs: 10_000 }));

/**
 * One Firestore connection per target for the worker's life: a plan, a replay and the conflict count
 * after it share the app instead of each signing in anew. A connection that failed to open is
 * forgotten, so the next request tries again.
 */
const connections = new Map<string, Promise<FirestoreConnection>>();

function connectionFor(target: FirestoreTarget): Promise<FirestoreConnection> {
  const key = JSON.stringify(target);
  let connection = connections.get(key);
  if (!connection) {
    connection = connectFirestore(target);
    connections.set(key, connection);
    connection.catch(() => connections.delete(key));
  }
  return connection;
}

async function withEngine<T>(params: EngineParams, work: (engine: OpenedEngine) => Promise<T>): Promise<T> {
  const connection = await connectionFor(params.target);
  const engine = await openEngine(params.path, { target: params.target, connection, remoteTimeoutMs: 20_000, defaultPolicy: params.defaultPolicy });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

endpoint.onRequest(SyncWorkerProtocol.plan, async (params) => {
  // The Firestore SDK's own cache: its writes are checked against the target, never sent by SyncLens.
  if (analysed.get(params.path)?.queue?.kind === 'firestore-sdk') {
    // A real project's documents are read as the user the worker's connection signed in (security rules apply).
    const sharedConnection = (): Promise<FirestoreConnection> => connectionFor(params.target);
    const planned = await planFirestoreSdkSnapshot(params.path, params.target, { sharedConnection, only: params.step ? null : params.only, revisionOf: queueRevisionOf });
    if (planned) return planned;
  }
  return withEngine(params, async (engine) => {
    const analysis = engine.session.analyze();
    const queued = analysis?.operations;
    // A step sends the first op that is not blocked (core/engine/replay.ts): the plan names that one.
    const first = params.step ? queued?.find((op) => !isOperationBlocked(op, params.force)) : undefined;
    const only = params.step ? (first ? [first.id] : []) : params.only;
    const plan = await engine.session.plan({ only: only ?? undefined, force: params.force, analysis });
    // What the replay of these ops would do to each, by the replay's own rules.
    const expected = new Map<number, OperationResult['outcome']>();
    for (const entry of replayEntriesOf(plan, engine.session.roles, (planned, outcome) => expected.set(planned.op.id, outcome))) {
      expected.set(entry.planned.op.id, entry.outcomeOnSuccess);
    }
    return {
      target: describeTarget(engine.target),
      totals: plan.totals,
      remoteReads: plan.remoteReads,
      plannedAt: Date.now(),
      queueRevision: queueRevisionOf(queued),
      only,
      rows: plan.operations.map((planned) => ({
        opId: planned.op.id,
        entityType: planned.op.entityType,
        entityId: planned.op.entityId,
        operation: planned.op.unknownOperation ?? planned.op.operation,
        classification: planned.classification,
        reason: planned.reason,
        collection: planned.collection,
        remote: planned.remote ? toJsonObject(planned.remote.data) : null,
        document: planned.document ? toJsonObject(planned.document) : null,
        policy: planned.policy,
        verdict: planned.verdict,
        expected: expected.get(planned.op.id) ?? 'skipped',
      })),
    };
  });
});

// Cancelling the request (its AbortSignal, sent as $/cancel) stops the replay between batches.
endpoint.onRequest(SyncWorkerProtocol.replay, (params, { signal }) =>
  withEngine(params, async (engine) => {
    // The session settles a remote batch's ops together: they go to the extension in one message.
    let unsent: OperationResult[] = [];
    let settled = 0;
    // A step may name its op (the one its confirmation planned): then exactly that op is sent.
    const selection = params.mode === 'selected' || (params.mode === 'step' && params.only.length > 0) ? new Set(params.only) : null;
    const analysis = engine.session.analyze();
    const queued = analysis?.operations.filter((op) => !selection || selection.has(op.id)).length ?? 0;
    const total = params.mode === 'step' ? 1 : queued;
    // The engine's progress line (core/engine/replayProgress.ts): slow batches, retries, rate limits.
    let status: string | undefined;
    let sentStatus: string | undefined;
    const flush = (): void => {
      if (unsent.length === 0 && status === sentStatus) return;
      endpoint.sendNotification(SyncWorkerProtocol.replayResults, { runId: params.runId, results: unsent, settled, total, status });
      sentStatus = status;
      unsent = [];
    };
    const summary = await engine.session.replay({
      only: selection ? params.only : undefined,
      step: params.mode === 'step',
      force: params.force,
      analysis,
      signal,
      batchSize: params.batchSize,
      throttle: params.throttle,
      onResult: (result) => {
        settled++;
        if (unsent.length === 0) setImmediate(flush);
        unsent.push(result);
      },
      onProgress: (progress) => {
        status = describeReplayProgress(progress);
        setImmediate(flush);
      },
    });
    flush();
    const backupPath = await engine.writeBack({ allowLive: params.allowLive, backupLocation: params.backupLocation });
    return { results: summary.results, counts: summary.counts, cancelled: summary.cancelled, batchesCommitted: summary.batchesCommitted, backupPath };
  }),
);

endpoint.onRequest(SyncWorkerProtocol.pull, (params) =>
  withEngine(params, async (engine) => {
    const summary = await engine.session.pull();
    const backupPath = await engine.writeBack({ allowLive: params.allowLive, backupLocation: params.backupLocation });
    return {
      collections: summary.collections.map((entry) => ({ collection: entry.collection, applied: entry.applied, conflicts: entry.conflicts })),
      applied: summary.applied,
      conflicts: summary.conflicts,
      backupPath,
    };
  }),
);

function conflictItem(view: ConflictView): ConflictItem {
  return {
    key: `${view.collection}/${view.entityId}`,
    collection: view.collection,
    table: view.table,
    entityType: view.entityType,
    entityId: view.entityId,
    localRow: view.localRow ? toJsonObject(view.localRow) : null,
    queuedPayload: view.queuedPayload ? toJsonObject(view.queuedPayload) : null,
    local: toJsonObject(view.local),
    remote: toJsonObject(view.remote.data),
    pendingOpIds: view.pendingOpIds,
    differences: view.differences.map((difference) => ({ field: difference.field, local: toJsonValue(difference.local), remote: toJsonValue(difference.remote) })),
    policy: view.policy,
    verdict: view.verdict,
    policyOutcome: view.policyOutcome,
  };
}

endpoint.onRequest(SyncWorkerProtocol.listConflicts, (params) => withEngine(params, async (engine) => (await engine.session.listConflicts()).map(conflictItem)));

endpoint.onRequest(SyncWorkerProtocol.resolve, (params) =>
  withEngine(params, async (engine): Promise<ResolutionReport> => {
    const { resolution } = params;
    const strategy: ResolutionStrategy = resolution.kind === 'as-policy' ? { kind: 'policy', policy: resolution.policy } : resolution;
    const results = (await engine.session.resolveKeys(params.keys, strategy)).map((result) => ({ key: `${result.collection}/${result.entityId}`, applied: result.applied, ok: result.ok, message: result.message }));
    const backupPath = await engine.writeBack({ allowLive: params.allowLive, backupLocation: params.backupLocation });
    return { results, backupPath };
  }),
);

endpoint.onRequest(SyncWorkerProtocol.compare, (params) => withEngine(params, (engine) => compareWithRemote(engine.session.db, engine.session.roles, engine.session.remote)));

endpoint.onRequest(SyncWorkerProtocol.seedSample, ({ path, target }) => {
  if (target.kind !== 'emulator') throw new Error('the sample is seeded into an emulator only');
  return seedEmulator(path, target);
});
