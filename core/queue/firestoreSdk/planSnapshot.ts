// The Sync Queue view's Plan for the Firestore SDK's cache: the pending writes checked against the
// target, the emulator or a real project (remotePlan.ts), as PlanRows. Each row keeps the SDK's own verdict (row.sdk) and, for
// what the view shares with the table plan (totals, the Queue tab's plan column), the nearest table
// classification and the outcome the SDK's send would have. SyncLens never sends these writes.
import { basename } from 'node:path';
import { openAppDatabase } from '../../db/appDatabase';
import type { AnalyzedOperation } from '../../db/types';
import { CodedError } from '../../errors';
import type { FirestoreTarget } from '../../firestore/client';
import type { PlanClassification, PlanTotals } from '../../engine/types';
import type { JsonObject, PlanRow, PlanSnapshot } from '../../protocol/syncModel';
import { planSdkQueue, sdkPlanEndpoint, type SdkPlanEndpointOptions } from './remotePlan';
import type { SdkPlanClassification, SdkPlannedWrite } from './plan';

const tableClassification: Record<SdkPlanClassification, PlanClassification> = {
  apply: 'apply',
  'remote-newer': 'conflict',
  'remote-missing': 'remote-missing',
  'already-equal': 'already-applied',
};

/** What the SDK's send does: a newer remote is overwritten (last write wins), an update of a missing document fails. */
const sendOutcome: Record<SdkPlanClassification, PlanRow['expected']> = {
  apply: 'applied',
  'remote-newer': 'applied',
  'remote-missing': 'failed',
  'already-equal': 'already-applied',
};

function rowOf(entry: SdkPlannedWrite): PlanRow {
  const facts = entry.op.facts ?? {};
  const write = String(facts['write'] ?? entry.op.operation);
  return {
    opId: entry.op.id,
    entityType: entry.op.entityType,
    entityId: entry.op.entityId,
    operation: write,
    classification: tableClassification[entry.classification],
    reason: entry.reason,
    collection: entry.op.entityType,
    remote: entry.remote ? (entry.remote.fields as JsonObject) : null,
    document: write === 'delete' || entry.op.payload === null ? null : (entry.op.payload as JsonObject),
    policy: null,
    verdict: null,
    expected: sendOutcome[entry.classification],
    sdk: {
      verdict: entry.classification,
      path: entry.path,
      batchId: typeof facts['batchId'] === 'number' ? facts['batchId'] : null,
      user: typeof facts['user'] === 'string' ? facts['user'] : null,
      fieldMask: Array.isArray(facts['fieldMask']) ? [...(facts['fieldMask'] as readonly string[])] : null,
      precondition: typeof facts['precondition'] === 'string' ? facts['precondition'] : null,
      transforms: Array.isArray(facts['transforms']) ? [...(facts['transforms'] as readonly string[])] : [],
      remoteUpdatedAt: entry.remote?.updateTime ?? null,
    },
  };
}

/**
 * Reads the file afresh and plans every pending write (`only`: those ops) against the target; null when the file's queue is not the Firestore SDK's. `revisionOf` names the queue state
 * the plan was made from, as the view's other plans do (extension/sync/queueRevision.ts).
 */
export async function planFirestoreSdkSnapshot(
  path: string,
  target: FirestoreTarget,
  options: SdkPlanEndpointOptions & { only: readonly number[] | null; revisionOf: (ops: readonly AnalyzedOperation[]) => string },
): Promise<PlanSnapshot | null> {
  const app = await openAppDatabase(path, { quickCheck: false });
  try {
    if (app.queue?.kind !== 'firestore-sdk') return null;
    const wanted = options.only ? new Set(options.only) : null;
    const ops = app.queue.operations.filter((op) => !wanted || wanted.has(op.id));
    if (wanted && ops.length === 0) throw new CodedError('invalid-params', 'none of the selected writes is pending any more: refresh the queue');
    const endpoint = await sdkPlanEndpoint(target, basename(path), options);
    const plan = await planSdkQueue(ops, endpoint);
    const rows = plan.planned.map(rowOf);
    const totals: PlanTotals = { apply: 0, 'already-applied': 0, conflict: 0, 'remote-missing': 0, blocked: 0 };
    for (const row of rows) totals[row.classification] += 1;
    return {
      target: endpoint.label,
      rows,
      totals,
      remoteReads: plan.remoteReads,
      plannedAt: Date.now(),
      queueRevision: options.revisionOf(app.queue.operations),
      only: options.only,
    };
  } finally {
    app.close();
  }
}
