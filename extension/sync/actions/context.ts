// What every sync action works with, and the shape of an action: a factory `(ctx) => handler` whose
// handler both the command palette (extension/sync/commands.ts) and the Sync Queue and Conflicts
// webviews (actions/index.ts) call with the database and the arguments.
import * as vscode from 'vscode';
import type { ConflictPolicyName, ConflictResolution } from '../../../core/protocol/syncModel';
import type { SecretsScanView } from '../../../core/protocol/secretsScan';
import type { SyncTab } from '../../../core/protocol/syncViews';
import type { DatabaseEditorProvider } from '../../databaseEditor';
import type { DatabaseRegistry } from '../../databases';
import type { WorkerClient } from '../../workerClient';
import type { ConflictCounts } from '../conflictCounts';
import type { FirestoreConnection } from '../connection';
import type { SyncPanels } from '../panelRegistry';

/** Arguments the sync commands accept besides a tree node or a Uri (tests and scripts pass them). */
export interface SyncCommandArgs {
  uri?: vscode.Uri;
  opIds?: number[];
  /** Skip the confirmation dialogs (the caller already asked). */
  confirmed?: boolean;
  allowLive?: boolean;
  force?: boolean;
  batchSize?: number;
  policy?: ConflictPolicyName;
  keys?: string[];
  resolution?: ConflictResolution;
  /** With `confirmed`: replay as "Replay, but keep those ops" would (ops whose local change would be dropped stay queued). */
  keepDropped?: boolean;
  /** The Sync Queue tab to show (Show Sync Queue). */
  tab?: SyncTab;
  /** Cancel the replay after this many results (tests of cancel). */
  cancelAfter?: number;
}

export function isSyncArgs(value: unknown): value is SyncCommandArgs {
  return typeof value === 'object' && value !== null && !('kind' in value) && !(value instanceof vscode.Uri);
}

export interface SyncContext {
  readonly worker: WorkerClient;
  readonly connection: FirestoreConnection;
  readonly panels: SyncPanels;
  readonly registry: DatabaseRegistry;
  readonly editors: DatabaseEditorProvider;
  readonly conflictCounts: ConflictCounts;
  /** The secrets scan of a database at its current revision (extension/scan/secretsScanner.ts). */
  readonly scanSecrets: (path: string) => Promise<SecretsScanView>;
  /** The replay running now (one at a time), by the worker's run id. */
  readonly replays: { running: { runId: number; cancel: AbortController } | null; nextRunId: number };
}

export type SyncActionHandler<Result, Args = SyncCommandArgs> = (uri: vscode.Uri, args?: Args) => Promise<Result>;
export type SyncActionFactory<Result, Args = SyncCommandArgs> = (ctx: SyncContext) => SyncActionHandler<Result, Args>;
