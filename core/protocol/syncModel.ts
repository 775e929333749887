// Plain, JSON-safe data the sync worker hands the extension and the extension hands the sync
// webviews. Firestore values (Timestamps, Bytes, Dates) are turned into JSON before they get here.
import type { QueueOperationStatus, QueueTotals } from '../db/types';
import type { ConflictPolicyName, OperationResult, PlanClassification, PlanTotals, Verdict } from '../engine/types';
import type { SdkPlanClassification } from '../queue/firestoreSdk/planTypes';
import type { QueueSourceKind } from '../queue/types';

// The engine's plain types the webviews render, re-exported so a webview imports core/protocol only.
export { conflictPolicyNames } from '../engine/types';
export type { ConflictPolicyName, MergePreview, MergePreviewField, OperationResult } from '../engine/types';

// Document values travel as tagged JSON (one encoder: core/engine/taggedValues.ts).
export type { JsonObject, JsonValue } from './taggedValues';
import type { JsonObject, JsonValue } from './taggedValues';

/** One queued operation as the Sync Queue view lists it (the payload is fetched on demand). */
export interface QueueRow {
  readonly id: number;
  readonly entityType: string;
  readonly entityId: string;
  /** create | update | delete, or the stored value when it names none of them. */
  readonly operation: string;
  readonly status: QueueOperationStatus;
  readonly reason: string;
  readonly createdAt: number | null;
  readonly retryCount: number;
  readonly lastAttempt: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: number | null;
  readonly supersededBy: number | null;
}

// Engine results that are JSON-safe as they are cross unchanged.
export type { CompareFinding, CompareKind, CompareReport, HygieneFinding, HygieneKind } from '../engine/types';
import type { HygieneFinding } from '../engine/types';

export interface QueueSnapshot {
  readonly fileName: string;
  /** null when the database has no queue table. */
  readonly table: string | null;
  readonly totals: QueueTotals | null;
  readonly rows: readonly QueueRow[];
  readonly hygiene: readonly HygieneFinding[];
  /** When the analysis ran (ages and backoff are relative to it), ms since the epoch. */
  readonly analyzedAt: number;
  /** Entity tables SyncLens syncs with Firestore (0: nothing to pull, compare or resolve). */
  readonly syncedTables: number;
  /** The queue's state: changes whenever an op is added, removed or changed (a plan names the one it was made from). */
  readonly revision: string;
  /** Null when SyncLens may replay this queue; otherwise why it only reads it (the Firestore SDK, PowerSync or Brick owns it). */
  readonly readOnlyReason?: string | null;
  /** Where the queue comes from (core/queue): absent for a database without one. */
  readonly sourceKind?: QueueSourceKind;
  /** The app's last completed sync as its stack records it (`at` null: never), or null when it keeps none. */
  readonly lastSync?: { readonly at: number | null; readonly source: string } | null;
}

export interface OperationDetail {
  readonly opId: number;
  /** The payload exactly as stored. */
  readonly payloadText: string | null;
  /** The payload parsed (null when it is not a JSON object). */
  readonly payload: JsonObject | null;
  /** The entity's local row as a document (field names, times as ISO text), or null when missing. */
  readonly localRow: JsonObject | null;
  readonly table: string | null;
}

export interface PlanRow {
  readonly opId: number;
  readonly entityType: string;
  readonly entityId: string;
  readonly operation: string;
  readonly classification: PlanClassification;
  readonly reason: string;
  readonly collection: string | null;
  /** The remote document as the plan read it; null when missing or not read. */
  readonly remote: JsonObject | null;
  /** What the op would write; null for deletes and blocked ops. */
  readonly document: JsonObject | null;
  readonly policy: ConflictPolicyName | null;
  readonly verdict: Verdict | null;
  /** What a replay of this plan's ops would do to it (the engine's replay rules, core/engine/replayBatches.ts). */
  readonly expected: OperationResult['outcome'];
  /** Set for a pending write of the Firestore SDK's own cache (the SDK sends it; SyncLens only plans it). */
  readonly sdk?: SdkPlanFacts;
}

/** A Firestore SDK pending write's plan as the SDK sees it (core/queue/firestoreSdk/planSnapshot.ts). */
export interface SdkPlanFacts {
  readonly verdict: SdkPlanClassification;
  readonly path: string;
  readonly batchId: number | null;
  readonly user: string | null;
  readonly fieldMask: readonly string[] | null;
  readonly precondition: string | null;
  readonly transforms: readonly string[];
  /** When the target's document was last updated (as this write finds it), ms since the epoch. */
  readonly remoteUpdatedAt: number | null;
}

export interface PlanSnapshot {
  readonly target: string;
  readonly rows: readonly PlanRow[];
  readonly totals: PlanTotals;
  readonly remoteReads: number;
  readonly plannedAt: number;
  /** The queue state the plan was made from (QueueSnapshot.revision). */
  readonly queueRevision: string;
  /** The ops planned: null for the whole queue. */
  readonly only: readonly number[] | null;
  /** Set once the file was written after the plan: why it no longer is the current plan. */
  readonly outdated?: string;
}

export type ReplayMode = 'all' | 'selected' | 'step';

export interface ReplayReport {
  readonly results: readonly OperationResult[];
  readonly counts: Record<OperationResult['outcome'], number>;
  readonly cancelled: boolean;
  readonly batchesCommitted: number;
  readonly backupPath: string | null;
}

export interface PullReport {
  readonly collections: readonly { collection: string; applied: number; conflicts: readonly string[] }[];
  readonly applied: number;
  readonly conflicts: number;
  readonly backupPath: string | null;
}

export interface ConflictItem {
  /** `collection/entityId`. */
  readonly key: string;
  readonly collection: string;
  readonly table: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly localRow: JsonObject | null;
  readonly queuedPayload: JsonObject | null;
  readonly local: JsonObject;
  readonly remote: JsonObject;
  readonly pendingOpIds: readonly number[];
  readonly differences: readonly { field: string; local: JsonValue; remote: JsonValue }[];
  readonly policy: ConflictPolicyName;
  readonly verdict: Verdict;
  readonly policyOutcome: 'local' | 'remote' | 'held';
}

/** How one conflict is settled, as the webview asks for it. */
export type ConflictResolution =
  | { kind: 'local' }
  | { kind: 'remote' }
  | { kind: 'policy' }
  /** The collection's own policy is replaced by this one (Resolve All by Policy). */
  | { kind: 'as-policy'; policy: ConflictPolicyName }
  /**
   * `mergedAt`: the time of the merge its preview showed (ms), so the write stamps the same;
   * `expected`: the document the confirmation showed (set by the extension, not the webview).
   */
  | { kind: 'merge'; choices: Record<string, 'local' | 'remote'>; values: Record<string, JsonValue>; mergedAt?: number; expected?: JsonObject };

/** A merge's choices as the Conflicts panel asks for their preview. */
export interface MergeRequest {
  readonly key: string;
  readonly choices: Record<string, 'local' | 'remote'>;
  readonly values: Record<string, JsonValue>;
  /** The time of the merge to stamp with; the extension's clock when absent. */
  readonly mergedAt?: number;
}

export interface ResolutionReport {
  readonly results: readonly { key: string; applied: 'local' | 'remote' | 'merge' | 'none'; ok: boolean; message: string }[];
  readonly backupPath: string | null;
}

/** A Firestore target named for people, without secrets. */
export interface TargetSummary {
  readonly kind: 'emulator' | 'project';
  readonly label: string;
  readonly projectId: string;
}

/**
 * The queue as it crosses to the webview: one array per column, repeated texts (entity types,
 * statuses, reasons, errors) as indexes into a table. For 100,000 ops this is a fraction of the
 * JSON of 100,000 objects, and in a remote or web VS Code it all goes over the wire.
 */
export interface EncodedQueueRows {
  readonly texts: readonly string[];
  readonly id: readonly number[];
  readonly entityType: readonly number[];
  readonly entityId: readonly string[];
  readonly operation: readonly number[];
  readonly status: readonly number[];
  readonly reason: readonly number[];
  readonly createdAt: readonly (number | null)[];
  readonly retryCount: readonly number[];
  readonly lastAttempt: readonly (number | null)[];
  /** -1: no error. */
  readonly lastError: readonly number[];
  readonly nextAttemptAt: readonly (number | null)[];
  readonly supersededBy: readonly (number | null)[];
}

export type EncodedQueueSnapshot = Omit<QueueSnapshot, 'rows'> & { readonly rows: EncodedQueueRows };

export function encodeQueueRows(rows: readonly QueueRow[]): EncodedQueueRows {
  const texts: string[] = [];
  const indexOf = new Map<string, number>();
  const text = (value: string): number => {
    let index = indexOf.get(value);
    if (index === undefined) {
      index = texts.length;
      texts.push(value);
      indexOf.set(value, index);
    }
    return index;
  };
  return {
    texts,
    id: rows.map((row) => row.id),
    entityType: rows.map((row) => text(row.entityType)),
    entityId: rows.map((row) => row.entityId),
    operation: rows.map((row) => text(row.operation)),
    status: rows.map((row) => text(row.status)),
    reason: rows.map((row) => text(row.reason)),
    createdAt: rows.map((row) => row.createdAt),
    retryCount: rows.map((row) => row.retryCount),
    lastAttempt: rows.map((row) => row.lastAttempt),
    lastError: rows.map((row) => (row.lastError === null ? -1 : text(row.lastError))),
    nextAttemptAt: rows.map((row) => row.nextAttemptAt),
    supersededBy: rows.map((row) => row.supersededBy),
  };
}

export function decodeQueueRows(encoded: EncodedQueueRows): QueueRow[] {
  const { texts } = encoded;
  return encoded.id.map((id, index) => ({
    id,
    entityType: texts[encoded.entityType[index]!]!,
    entityId: encoded.entityId[index]!,
    operation: texts[encoded.operation[index]!]!,
    status: texts[encoded.status[index]!] as QueueRow['status'],
    reason: texts[encoded.reason[index]!]!,
    createdAt: encoded.createdAt[index] ?? null,
    retryCount: encoded.retryCount[index]!,
    lastAttempt: encoded.lastAttempt[index] ?? null,
    lastError: encoded.lastError[index] === -1 ? null : texts[encoded.lastError[index]!]!,
    nextAttemptAt: encoded.nextAttemptAt[index] ?? null,
    supersededBy: encoded.supersededBy[index] ?? null,
  }));
}
