// The sync worker: a worker_threads thread that runs the engine (sql.js + the Firestore SDK) so a
// 100,000-op queue, a plan or a replay never blocks the extension host. Every request reads the
// file afresh; writing requests write it back atomically with a backup (core/db/writeBack).
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { openAppDatabase, type AppDatabase } from '../../core/db/appDatabase';
import { quoteIdentifier as quote } from '../../core/db/query';
import { entityRoleForType } from '../../core/db/roles';
import { tableColumnNames } from '../../core/db/schema';
import { checkReachable, connectFirestore, describeTarget, type FirestoreConnection, type FirestoreTarget } from '../../core/firestore/client';
import { createEntityMapping, plainValuesSdk } from '../../core/firestore/mapping';
import { compareWithRemote } from '../../core/engine/compare';
import { findQueueHygiene } from '../../core/engine/hygiene';
import { readEntityRow } from '../../core/engine/localStore';
import { openEngine, type OpenedEngine } from '../../core/engine/openEngine';
import { applyPolicy } from '../../core/engine/resolver';
import type { ConflictView, OperationResult, ResolutionStrategy } from '../../core/engine/types';
import { RpcEndpoint } from '../../core/protocol/rpc';
import type { ConflictItem, JsonObject, OperationDetail, QueueRow, QueueSnapshot, ResolutionReport } from '../../core/protocol/syncModel';
import { SyncWorkerProtocol, type EngineParams } from './workerProtocol';
import { toJsonObject, toJsonValue } from './jsonValues';
import { seedEmulator } from '../../sample-workspace/seed-emulator';

const port = parentPort;
if (!port) throw new Error('syncWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));

/** The last queue read per file, kept so the detail pane does not re-read the file per click. */
const analysed = new Map<string, AppDatabase>();
const replayControllers = new Map<number, AbortController>();

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
    return { fileName: basename(path), table: analysis?.table ?? null, totals: analysis?.totals ?? null, rows, hygiene, analyzedAt: now };
  } finally {
    if (!keep) opened.close();
  }
});

endpoint.onRequest(SyncWorkerProtocol.operationDetail, async ({ path, opId }): Promise<OperationDetail> => {
  const entry = analysed.get(path);
  if (!entry || !entry.roles.queue) throw Object.assign(new Error(`${basename(path)} has no analysed queue`), { code: 'not-open' });
  const { file: opened, roles } = entry;
  const queue = roles.queue!;
  const statement = opened.db.prepare(
    `SELECT ${quote(queue.columns.entityType)}, ${quote(queue.columns.entityId)}, ${quote(queue.columns.payload)} FROM main.${quote(queue.table)} WHERE ${quote(queue.columns.id)} = ?`,
  );
  let found: [unknown, unknown, unknown] | null = null;
  try {
    statement.bind([opId]);
    if (statement.step()) found = statement.get() as [unknown, unknown, unknown];
  } finally {
    statement.free();
  }
  if (!found) throw Object.assign(new Error(`operation #${opId} is no longer in the queue`), { code: 'missing' });
  const [entityType, entityId, payloadValue] = found;
  const payloadText = payloadValue === null ? null : String(payloadValue);
  let payload: JsonObject | null = null;
  try {
    const parsed: unknown = payloadText === null ? null : JSON.parse(payloadText);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) payload = toJsonObject(parsed as Record<string, unknown>);
  } catch {
    payload = null;
  }
  const role = entityRoleForType(roles, String(entityType));
  if (!role) return { opId, payloadText, payload, localRow: null, table: null };
  // Row and payload both as the document the engine would write (field names, ISO times), so the diff shows real changes.
  const mapping = createEntityMapping(role, tableColumnNames(opened.db, role.table), plainValuesSdk);
  const row = readEntityRow(opened.db, role, String(entityId));
  const localRow = row ? toJsonObject(mapping.rowToDocument(row)) : null;
  if (payload) payload = toJsonObject(mapping.payloadToDocument(payload));
  return { opId, payloadText, payload, localRow, table: role.table };
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

endpoint.onRequest(SyncWorkerProtocol.plan, (params) =>
  withEngine(params, async (engine) => {
    const plan = await engine.session.plan({ only: params.only ?? undefined, force: params.force });
    return {
      target: describeTarget(engine.target),
      totals: plan.totals,
      remoteReads: plan.remoteReads,
      plannedAt: Date.now(),
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
      })),
    };
  }),
);

endpoint.onRequest(SyncWorkerProtocol.replay, (params) =>
  withEngine(params, async (engine) => {
    const controller = new AbortController();
    replayControllers.set(params.runId, controller);
    // The session settles a remote batch's ops together: they go to the extension in one message.
    let unsent: OperationResult[] = [];
    let settled = 0;
    const selection = params.mode === 'selected' ? new Set(params.only) : null;
    const queued = engine.session.analyze()?.operations.filter((op) => !selection || selection.has(op.id)).length ?? 0;
    const total = params.mode === 'step' ? 1 : queued;
    const flush = (): void => {
      if (unsent.length === 0) return;
      endpoint.sendNotification(SyncWorkerProtocol.replayResults, { runId: params.runId, results: unsent, settled, total });
      unsent = [];
    };
    try {
      const summary = await engine.session.replay({
        only: selection ? params.only : undefined,
        step: params.mode === 'step',
        force: params.force,
        signal: controller.signal,
        batchSize: params.batchSize,
        onResult: (result) => {
          settled++;
          if (unsent.length === 0) setImmediate(flush);
          unsent.push(result);
        },
      });
      flush();
      const backupPath = await engine.writeBack({ allowLive: params.allowLive });
      return { results: summary.results, counts: summary.counts, cancelled: summary.cancelled, batchesCommitted: summary.batchesCommitted, backupPath };
    } finally {
      replayControllers.delete(params.runId);
    }
  }),
);

endpoint.onNotification(SyncWorkerProtocol.cancelReplay, ({ runId }) => replayControllers.get(runId)?.abort());

endpoint.onRequest(SyncWorkerProtocol.pull, (params) =>
  withEngine(params, async (engine) => {
    const summary = await engine.session.pull();
    const backupPath = await engine.writeBack({ allowLive: params.allowLive });
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
    const wanted = new Set(params.keys);
    const conflicts = (await engine.session.listConflicts()).filter((view) => wanted.has(`${view.collection}/${view.entityId}`));
    const results: ResolutionReport['results'][number][] = [];
    for (const key of wanted) {
      if (!conflicts.some((view) => `${view.collection}/${view.entityId}` === key)) {
        results.push({ key, applied: 'none', ok: false, message: `${key} is no longer in conflict` });
      }
    }
    const { resolution } = params;
    const groups: { views: ConflictView[]; strategy: ResolutionStrategy }[] = [];
    if (resolution.kind === 'as-policy') {
      const local: ConflictView[] = [];
      const remote: ConflictView[] = [];
      for (const view of conflicts) {
        const outcome = applyPolicy(resolution.policy, view.verdict).outcome;
        if (outcome === 'local') local.push(view);
        else if (outcome === 'remote') remote.push(view);
        else results.push({ key: `${view.collection}/${view.entityId}`, applied: 'none', ok: false, message: `policy ${resolution.policy} holds it for a manual decision` });
      }
      groups.push({ views: local, strategy: { kind: 'local' } }, { views: remote, strategy: { kind: 'remote' } });
    } else if (resolution.kind === 'merge') {
      groups.push({ views: conflicts, strategy: { kind: 'merge', choices: resolution.choices, values: mergeValues(resolution.values, conflicts) } });
    } else {
      groups.push({ views: conflicts, strategy: { kind: resolution.kind } });
    }
    for (const group of groups) {
      if (group.views.length === 0) continue;
      for (const result of await engine.session.resolve(group.views, group.strategy)) {
        results.push({ key: `${result.collection}/${result.entityId}`, applied: result.applied, ok: result.ok, message: result.message });
      }
    }
    const backupPath = await engine.writeBack({ allowLive: params.allowLive });
    return { results, backupPath };
  }),
);

/** Edited values arrive as JSON; a field whose remote value is a time gets a Date back. */
function mergeValues(values: Record<string, unknown>, conflicts: readonly ConflictView[]): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const remoteValue = conflicts[0]?.remote.data[field];
    const isTime = remoteValue instanceof Date || (typeof remoteValue === 'object' && remoteValue !== null && 'toDate' in remoteValue);
    converted[field] = isTime && typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : value;
  }
  return converted;
}

endpoint.onRequest(SyncWorkerProtocol.compare, (params) => withEngine(params, (engine) => compareWithRemote(engine.session.db, engine.session.roles, engine.session.remote)));

endpoint.onRequest(SyncWorkerProtocol.seedSample, ({ path, target }) => {
  if (target.kind !== 'emulator') throw new Error('the sample is seeded into an emulator only');
  return seedEmulator(path, target);
});
