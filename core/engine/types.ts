// Result and plan types of the sync engine. Plain data: the CLI prints them, the extension maps them
// to the webviews' messages in core/protocol (whose JSON-safe types derive from these, not the reverse).
import type { AnalyzedOperation, QueueOperationKind } from '../db/types';
import type { JsonObject, JsonValue } from '../protocol/taggedValues';

/** How a collection settles a conflict (synclens.json `conflictPolicy`), in the order pickers list them. */
export const conflictPolicyNames = ['lastWriteWins', 'localWins', 'remoteWins', 'manual'] as const;
export type ConflictPolicyName = (typeof conflictPolicyNames)[number];

/** What a plan says will happen to one queued operation. */
export type PlanClassification = 'apply' | 'already-applied' | 'conflict' | 'remote-missing' | 'blocked';

/** A Firestore document as the engine handles it: fields in the SDK's own value types. */
export interface RemoteDocument {
  collection: string;
  id: string;
  data: Record<string, unknown>;
}

/** Which side the last-write-wins comparison favours, and a sentence saying why. */
export interface Verdict {
  winner: 'local' | 'remote';
  reason: string;
}

export interface PlannedOperation {
  op: AnalyzedOperation;
  collection: string | null;
  classification: PlanClassification;
  /** One line saying why. */
  reason: string;
  /** The remote document as the plan read it (null: missing or not read). */
  remote: RemoteDocument | null;
  /** The document this op would write (create/update), null for deletes and blocked ops. */
  document: Record<string, unknown> | null;
  /** Set for conflicts: what the collection's policy decides. */
  policy: ConflictPolicyName | null;
  verdict: Verdict | null;
}

export type PlanTotals = Record<PlanClassification, number>;

export interface Plan {
  operations: PlannedOperation[];
  totals: PlanTotals;
  /** Remote read requests the plan issued (a bulk read counts once per chunk). */
  remoteReads: number;
}

/** What happened to one operation during a replay; streamed to the UI as it happens. */
export type OperationOutcome =
  /** Written remotely and confirmed. */
  | 'applied'
  /** The remote already held it (idempotent re-run); dropped from the queue. */
  | 'already-applied'
  /** Conflict settled by policy in favour of the remote: op dropped, local row overwritten. */
  | 'remote-kept'
  /** A delete whose document is missing remotely: nothing to write, local row purged. */
  | 'remote-missing'
  /** The write failed: retryCount + 1, lastAttempt, lastError. */
  | 'failed'
  /** Conflict under the `manual` policy, or behind such a conflict for the same entity. */
  | 'held'
  /** Not attempted: blocked by its status, an earlier failure of the same entity, or cancel. */
  | 'skipped';

export interface OperationResult {
  opId: number;
  entityType: string;
  entityId: string;
  operation: QueueOperationKind;
  outcome: OperationOutcome;
  message: string;
}

export interface ReplaySummary {
  results: OperationResult[];
  counts: Record<OperationOutcome, number>;
  batchesCommitted: number;
  cancelled: boolean;
  /** Where the previous file was copied before the write-back (null when nothing was written). */
  backupPath: string | null;
}

export interface FieldDifference {
  field: string;
  local: unknown;
  remote: unknown;
}

export interface ConflictView {
  collection: string;
  table: string;
  entityType: string;
  entityId: string;
  /** The local row as a document (null when the row is gone). */
  localRow: Record<string, unknown> | null;
  /** Payload of the newest pending op for this entity, if any. */
  queuedPayload: Record<string, unknown> | null;
  /** The local state compared: the queued payload, else the local row. */
  local: Record<string, unknown>;
  remote: RemoteDocument;
  pendingOpIds: number[];
  /** The newest pending op's operation (a delete pushed as `local` is sent as a soft delete). */
  newestOperation: QueueOperationKind | null;
  differences: FieldDifference[];
  policy: ConflictPolicyName;
  verdict: Verdict;
  /** What the policy does: 'local', 'remote', or 'held' for manual. */
  policyOutcome: 'local' | 'remote' | 'held';
}

export type ResolutionStrategy =
  | { kind: 'local' }
  | { kind: 'remote' }
  /**
   * What a policy decides: the collection's own (synclens.json), unless one is given in its place
   * for that collection (`perCollection`) or for every collection (`policy`, Resolve All by Policy).
   */
  | { kind: 'policy'; policy?: ConflictPolicyName; perCollection?: Readonly<Record<string, ConflictPolicyName>> }
  /**
   * Per field: take the local or the remote value; fields not named take the remote value.
   * `values` win over `choices`: typed in as tagged JSON (core/protocol/taggedValues.ts), decoded
   * per conflict (core/engine/mergeValues.ts); a value that is not JSON is written as it is.
   */
  | {
      kind: 'merge';
      choices: Readonly<Record<string, 'local' | 'remote'>>;
      values?: Readonly<Record<string, unknown>>;
      /** "The time of the merge" the preview showed (ms); the engine's clock when absent. */
      mergedAt?: number;
      /** The document the preview showed (tagged JSON): if the conflict now merges to another, nothing is written. */
      expected?: JsonObject;
    };

export interface ResolutionResult {
  collection: string;
  entityId: string;
  applied: 'local' | 'remote' | 'merge' | 'none';
  ok: boolean;
  message: string;
}

export interface PullSummary {
  collections: {
    collection: string;
    applied: number;
    conflicts: string[];
    previousSyncAt: number | null;
    lastSyncAt: number | null;
  }[];
  applied: number;
  conflicts: number;
  backupPath: string | null;
}

export function emptyOutcomeCounts(): Record<OperationOutcome, number> {
  return {
    applied: 0,
    'already-applied': 0,
    'remote-kept': 0,
    'remote-missing': 0,
    failed: 0,
    held: 0,
    skipped: 0,
  };
}

export type HygieneKind =
  | 'update-after-soft-delete'
  | 'op-on-missing-row'
  | 'cancelling-sequence'
  | 'soft-deleted-without-delete-op'
  | 'unsynced-without-op';

/** A queue hygiene problem: one line for people, and the ops and rows it is about. */
export interface HygieneFinding {
  readonly kind: HygieneKind;
  readonly entityType: string;
  readonly entityId: string;
  /** The entity table, when known (to open the row in the grid). */
  readonly table: string | null;
  readonly opIds: readonly number[];
  readonly message: string;
}

export type CompareKind = 'missing-remotely' | 'missing-locally' | 'local-newer' | 'remote-newer' | 'tombstone-local-only' | 'tombstone-remote-only';

export interface CompareFinding {
  readonly kind: CompareKind;
  readonly collection: string;
  readonly entityId: string;
  readonly message: string;
}

export interface CompareReport {
  readonly collections: readonly { collection: string; table: string; localRows: number; remoteDocuments: number; inSync: number }[];
  readonly findings: readonly CompareFinding[];
}

/** What a policy would do to one conflict (Resolve All by Policy's preview). */
export interface PolicyPreviewRow {
  readonly key: string;
  /** win: the local change is pushed; lose: the remote is kept; held: nothing happens. */
  readonly outcome: 'win' | 'lose' | 'held';
  readonly opIds: readonly number[];
  readonly reason: string;
}

/** One field of a merge preview: the value written and where it comes from. */
export interface MergePreviewField {
  readonly field: string;
  /** Tagged JSON (core/protocol/taggedValues.ts). */
  readonly value: JsonValue;
  /** `stamp`: set by the merge (updatedAt, version) so that it wins over both sides. */
  readonly from: 'local' | 'remote' | 'edit' | 'stamp';
}

/** What a field-by-field merge writes to both sides, computed by core/engine/mergeValues.ts's mergeDocument. */
export interface MergePreview {
  readonly key: string;
  /** The time of the merge (ms) the stamp used; the write is given the same. */
  readonly mergedAt: number;
  /** The fields that differ, then updatedAt and version, with the values written. */
  readonly fields: readonly MergePreviewField[];
  /** The whole document written, tagged JSON. */
  readonly document: JsonObject;
  /** Why updatedAt and version are set. */
  readonly stampReason: string;
}
