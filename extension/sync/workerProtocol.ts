// The sync worker's protocol: the extension host asks, the sync worker (a worker_threads thread that
// runs the engine, sql.js and the Firestore SDK) answers. Both ends are our code: params unchecked. Databases are named by absolute path; each
// request reads the file afresh, so a write-back always checks against what the request read.
import type { BackupLocation } from '../../core/db/writeBack';
import type { FirestoreTarget } from '../../core/firestore/client';
import type { ConflictPolicyName, OperationResult } from '../../core/engine/types';
import type {
  CompareReport,
  ConflictItem,
  ConflictResolution,
  OperationDetail,
  PlanSnapshot,
  PullReport,
  QueueSnapshot,
  ReplayMode,
  ReplayReport,
  ResolutionReport,
} from '../../core/protocol/syncModel';
import { notification, request, unchecked } from '../../core/protocol/rpc';
import type { SeedSummary } from '../../sample-workspace/seed-emulator';

export interface EngineParams {
  readonly path: string;
  readonly target: FirestoreTarget;
  /** Conflict policy where synclens.json names none (the synclens.conflicts.defaultPolicy setting); absent: lastWriteWins. */
  readonly defaultPolicy?: ConflictPolicyName;
}

export interface WritingParams extends EngineParams {
  /** Write even though a -wal or -journal says the app may be running (the user confirmed). */
  readonly allowLive: boolean;
  /** Where the backup goes (synclens.backups.location; absent: beside the file). */
  readonly backupLocation?: BackupLocation;
}

export interface ReplayParams extends WritingParams {
  readonly runId: number;
  readonly mode: ReplayMode;
  /** Queue ids for mode 'selected'; for 'step', the op to send (empty: the first sendable one). */
  readonly only: readonly number[];
  readonly force: boolean;
  /** Ops per remote batch; smaller batches make progress and cancel finer. */
  readonly batchSize?: number;
  /** Firestore's ramp per collection (synclens.replay.throttle); absent: on for a real project only. */
  readonly throttle?: boolean;
}

export const SyncWorkerProtocol = {
  /** extension -> worker: the queue, its analysis and hygiene findings. No network. */
  analyzeQueue: request('analyzeQueue', unchecked<{ path: string }>()).returns<QueueSnapshot>(),
  /** extension -> worker: payload and local row of one op. No network. */
  operationDetail: request('operationDetail', unchecked<{ path: string; opId: number }>()).returns<OperationDetail>(),
  /** extension -> worker: a real read against the target; errors carry a FirestoreConnectionError code. */
  checkTarget: request('checkTarget', unchecked<{ target: FirestoreTarget }>()).returns<{ latencyMs: number }>(),
  /** extension -> worker: classify the ops (all, or `only`) against the remote. Writes nothing. */
  plan: request('plan', unchecked<EngineParams & { only: readonly number[] | null; force: boolean; step?: boolean }>()).returns<PlanSnapshot>(),
  /** extension -> worker: replay, then write the file back (backed up). Aborting the request stops it between batches. */
  replay: request('replay', unchecked<ReplayParams>()).returns<ReplayReport>(),
  /** worker -> extension: the ops settled during a replay since the last message (about one remote batch). */
  replayResults: notification('replayResults', unchecked<{ runId: number; results: readonly OperationResult[]; settled: number; total: number; status?: string }>()),
  /** extension -> worker: pull remote changes, then write the file back. */
  pull: request('pull', unchecked<WritingParams>()).returns<PullReport>(),
  /** extension -> worker: how many entity tables the database syncs (no network). */
  syncedTables: request('syncedTables', unchecked<{ path: string }>()).returns<number>(),
  /** extension -> worker: the conflicts, computed on demand. */
  listConflicts: request('listConflicts', unchecked<EngineParams>()).returns<ConflictItem[]>(),
  /** extension -> worker: settle conflicts (keys `collection/id`) on both sides, then write back. */
  resolve: request('resolve', unchecked<WritingParams & { keys: readonly string[]; resolution: ConflictResolution }>()).returns<ResolutionReport>(),
  /** extension -> worker: every local row against every remote document, per collection. */
  compare: request('compare', unchecked<EngineParams>()).returns<CompareReport>(),
  /** extension -> worker: give an emulator the sample's remote side (the walkthrough). Reads the file only. */
  seedSample: request('seedSample', unchecked<{ path: string; target: FirestoreTarget }>()).returns<SeedSummary>(),
};
