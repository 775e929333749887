// The `--json` results of the sync commands, field by field (schemas/cli-output.schema.json). Built
// from the engine's types by naming every field, never by spreading them: a field the engine adds
// stays out of the contract until it is added here and to the schema, and a field renamed in the
// engine breaks the build here instead of a script downstream. Every field is always present
// (null when it has no value). Document values go through the tagged encoder (core/engine/taggedValues.ts).
import type { AnalyzedOperation, QueueOperationKind, QueueOperationStatus } from '../db/types';
import type {
  ConflictPolicyName,
  ConflictView,
  OperationOutcome,
  OperationResult,
  Plan,
  PlanClassification,
  PlannedOperation,
  PlanTotals,
  PullSummary,
  RemoteDocument,
  ReplaySummary,
  ResolutionResult,
  Verdict,
} from '../engine/types';
import type { FirestoreTarget } from '../firestore/client';
import { toJsonObject, toJsonValue } from '../engine/taggedValues';
import type { JsonObject, JsonValue } from '../protocol/taggedValues';

/** Where the command read and wrote. Never carries the web config's key or any credential. */
export type TargetJson = { kind: 'emulator'; host: string; port: number; projectId: string } | { kind: 'project'; projectId: string };

export interface QueuedOperationJson {
  id: number;
  entityType: string;
  entityId: string;
  operation: QueueOperationKind;
  unknownOperation: string | null;
  payload: JsonObject | null;
  payloadText: string | null;
  createdAt: number | null;
  retryCount: number;
  lastAttempt: number | null;
  lastError: string | null;
  status: QueueOperationStatus;
  reason: string;
  nextAttemptAt: number | null;
  supersededBy: number | null;
  table: string | null;
}

export interface RemoteDocumentJson {
  collection: string;
  id: string;
  data: JsonObject;
}

export interface PlannedOperationJson {
  op: QueuedOperationJson;
  collection: string | null;
  classification: PlanClassification;
  reason: string;
  remote: RemoteDocumentJson | null;
  document: JsonObject | null;
  policy: ConflictPolicyName | null;
  verdict: Verdict | null;
}

export interface PlanJson {
  target: TargetJson;
  operations: PlannedOperationJson[];
  totals: PlanTotals;
  remoteReads: number;
}

export interface ReplayJson {
  target: TargetJson;
  results: OperationResult[];
  counts: Record<OperationOutcome, number>;
  batchesCommitted: number;
  cancelled: boolean;
  backupPath: string | null;
}

export interface PullJson {
  target: TargetJson;
  dryRun: boolean;
  collections: PullSummary['collections'];
  applied: number;
  conflicts: number;
  backupPath: string | null;
}

export interface FieldDifferenceJson {
  field: string;
  local: JsonValue;
  remote: JsonValue;
}

export interface ConflictJson {
  collection: string;
  table: string;
  entityType: string;
  entityId: string;
  localRow: JsonObject | null;
  queuedPayload: JsonObject | null;
  local: JsonObject;
  remote: RemoteDocumentJson;
  pendingOpIds: number[];
  differences: FieldDifferenceJson[];
  policy: ConflictPolicyName;
  verdict: Verdict;
  policyOutcome: ConflictView['policyOutcome'];
}

export interface ConflictsJson {
  target: TargetJson;
  conflicts: ConflictJson[];
}

export type StrategyName = 'local' | 'remote' | 'merge' | 'policy';

export interface ResolveDryRunJson {
  target: TargetJson;
  strategy: StrategyName;
  conflicts: ConflictJson[];
}

export interface ResolveJson {
  target: TargetJson;
  strategy: StrategyName;
  results: ResolutionResult[];
  backupPath: string | null;
}

export function targetJson(target: FirestoreTarget): TargetJson {
  return target.kind === 'emulator'
    ? { kind: 'emulator', host: target.host, port: target.port, projectId: target.projectId }
    : { kind: 'project', projectId: target.webConfig.projectId };
}

export function operationJson(op: AnalyzedOperation): QueuedOperationJson {
  return {
    id: op.id,
    entityType: op.entityType,
    entityId: op.entityId,
    operation: op.operation,
    unknownOperation: op.unknownOperation ?? null,
    payload: op.payload === null ? null : toJsonObject(op.payload),
    payloadText: op.payloadText,
    createdAt: op.createdAt,
    retryCount: op.retryCount,
    lastAttempt: op.lastAttempt,
    lastError: op.lastError,
    status: op.status,
    reason: op.reason,
    nextAttemptAt: op.nextAttemptAt,
    supersededBy: op.supersededBy,
    table: op.table,
  };
}

function remoteDocumentJson(document: RemoteDocument): RemoteDocumentJson {
  return { collection: document.collection, id: document.id, data: toJsonObject(document.data) };
}

function verdictJson(verdict: Verdict): Verdict {
  return { winner: verdict.winner, reason: verdict.reason };
}

function plannedOperationJson(entry: PlannedOperation): PlannedOperationJson {
  return {
    op: operationJson(entry.op),
    collection: entry.collection,
    classification: entry.classification,
    reason: entry.reason,
    remote: entry.remote === null ? null : remoteDocumentJson(entry.remote),
    document: entry.document === null ? null : toJsonObject(entry.document),
    policy: entry.policy,
    verdict: entry.verdict === null ? null : verdictJson(entry.verdict),
  };
}

export function planJson(target: FirestoreTarget, plan: Plan): PlanJson {
  return {
    target: targetJson(target),
    operations: plan.operations.map(plannedOperationJson),
    totals: { ...plan.totals },
    remoteReads: plan.remoteReads,
  };
}

export function replayJson(target: FirestoreTarget, summary: ReplaySummary): ReplayJson {
  return {
    target: targetJson(target),
    results: summary.results.map((result) => ({
      opId: result.opId,
      entityType: result.entityType,
      entityId: result.entityId,
      operation: result.operation,
      outcome: result.outcome,
      message: result.message,
    })),
    counts: { ...summary.counts },
    batchesCommitted: summary.batchesCommitted,
    cancelled: summary.cancelled,
    backupPath: summary.backupPath,
  };
}

export function pullJson(target: FirestoreTarget, summary: PullSummary, dryRun: boolean): PullJson {
  return {
    target: targetJson(target),
    dryRun,
    collections: summary.collections.map((entry) => ({
      collection: entry.collection,
      applied: entry.applied,
      conflicts: [...entry.conflicts],
      previousSyncAt: entry.previousSyncAt,
      lastSyncAt: entry.lastSyncAt,
    })),
    applied: summary.applied,
    conflicts: summary.conflicts,
    backupPath: summary.backupPath,
  };
}

export function conflictJson(conflict: ConflictView): ConflictJson {
  return {
    collection: conflict.collection,
    table: conflict.table,
    entityType: conflict.entityType,
    entityId: conflict.entityId,
    localRow: conflict.localRow === null ? null : toJsonObject(conflict.localRow),
    queuedPayload: conflict.queuedPayload === null ? null : toJsonObject(conflict.queuedPayload),
    local: toJsonObject(conflict.local),
    remote: remoteDocumentJson(conflict.remote),
    pendingOpIds: [...conflict.pendingOpIds],
    differences: conflict.differences.map((difference) => ({
      field: difference.field,
      local: toJsonValue(difference.local),
      remote: toJsonValue(difference.remote),
    })),
    policy: conflict.policy,
    verdict: verdictJson(conflict.verdict),
    policyOutcome: conflict.policyOutcome,
  };
}

export function conflictsJson(target: FirestoreTarget, conflicts: readonly ConflictView[]): ConflictsJson {
  return { target: targetJson(target), conflicts: conflicts.map(conflictJson) };
}

export function resolveDryRunJson(target: FirestoreTarget, strategy: StrategyName, conflicts: readonly ConflictView[]): ResolveDryRunJson {
  return { target: targetJson(target), strategy, conflicts: conflicts.map(conflictJson) };
}

export function resolveJson(target: FirestoreTarget, strategy: StrategyName, results: readonly ResolutionResult[], backupPath: string | null): ResolveJson {
  return {
    target: targetJson(target),
    strategy,
    results: results.map((result) => ({
      collection: result.collection,
      entityId: result.entityId,
      applied: result.applied,
      ok: result.ok,
      message: result.message,
    })),
    backupPath,
  };
}
