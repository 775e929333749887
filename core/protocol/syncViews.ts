// The protocols of the two sync webviews (Sync Queue panel and Conflicts panel), declared once.
// Directions are in each comment; each webview sends `ready` before anything else. What a webview
// sends is checked against its schema on arrival (core/protocol/rpc.ts); what the extension sends
// is `unchecked`: it is our own code.
import * as z from 'zod';
import { noParams, notification, request, unchecked } from './rpc';
import type { SecretsScanView } from './secretsScan';
import {
  conflictPolicyNames,
  type CompareReport,
  type ConflictItem,
  type ConflictPolicyName,
  type ConflictResolution,
  type EncodedQueueSnapshot,
  type JsonValue,
  type MergePreview,
  type OperationDetail,
  type OperationResult,
  type PlanSnapshot,
  type PullReport,
  type ReplayMode,
  type ReplayReport,
  type ResolutionReport,
  type TargetSummary,
} from './syncModel';

export type SyncTab = 'queue' | 'plan' | 'log' | 'hygiene' | 'secrets' | 'compare';

/** What the Sync Queue panel says about its target and the action running; results come on their own. */
export interface SyncPanelStatus {
  readonly fileName: string;
  readonly target: TargetSummary | null;
  /** "connected", "not connected", or the last connection error. */
  readonly connection: string;
  /** What is running now ("Planning...", "Replaying..."), or null. */
  readonly busy: string | null;
  readonly error: string | null;
  readonly readOnlyReason: string | null;
  /** False until the target of the database was looked up (synclens.json, or the connection). */
  readonly targetChecked: boolean;
}

/** A replay's report as the panel shows it: its results already came batch by batch. */
export type ReplaySummary = Omit<ReplayReport, 'results'>;

/** Results settled during the running replay, in the order they settled. */
export interface ReplayBatch {
  readonly results: readonly OperationResult[];
  /** Ops settled so far, this batch included, of `total`. */
  readonly settled: number;
  readonly total: number;
  /** The replay's progress line: a slow batch, a retry being waited for, each collection's rate limit (core/engine/replayProgress.ts). */
  readonly status?: string;
}

/** What the Sync Queue panel renders now (tests, screenshots). */
export interface RenderedSyncPanel {
  readonly tab: SyncTab;
  readonly totals: string;
  readonly headers: string[];
  /** Visible (virtualized) rows, cell texts. */
  readonly rows: string[][];
  readonly detail: string;
  readonly log: string[];
  readonly status: string;
  /** The error notice, if one is shown. */
  readonly error: string;
  /** Labels of the action buttons shown disabled. */
  readonly disabledActions: string[];
  /** The Secrets tab: its counts line, then one text per finding shown. */
  readonly secrets: string[];
  /** Why actions are off for this database (no queue table, no synced table, no target). */
  readonly unavailable: string[];
  /** The Plan tab's line about the plan shown ("Outdated plan: …" once a write came after it). */
  readonly plan: string;
}

const OpIds = z.array(z.number().int()).readonly();
const ReplayModeSchema: z.ZodType<ReplayMode> = z.enum(['all', 'selected', 'step']);
const PolicySchema: z.ZodType<ConflictPolicyName> = z.enum(conflictPolicyNames);
/** A value the user typed in the merge editor: any JSON. */
const JsonValueSchema: z.ZodType<JsonValue> = z.json();
const MergeChoicesSchema = z.record(z.string(), z.enum(['local', 'remote']));
const MergeValuesSchema = z.record(z.string(), JsonValueSchema);
/** The time of the merge a preview showed: milliseconds since the epoch, a real date. */
const MergedAtSchema = z.number().int().min(0).max(8_640_000_000_000_000);
const ConflictResolutionSchema: z.ZodType<ConflictResolution> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('remote') }),
  z.object({ kind: z.literal('policy') }),
  z.object({ kind: z.literal('as-policy'), policy: PolicySchema }),
  z.object({ kind: z.literal('merge'), choices: MergeChoicesSchema, values: MergeValuesSchema, mergedAt: MergedAtSchema.optional() }),
]);

/**
 * The Sync Queue panel. Each toolbar action is a request of its own, answered once the action is
 * done (its results arrive as the notifications below); extension/sync/actions/ carries them out,
 * the same handlers the command palette runs.
 */
export const SyncQueueProtocol = {
  /** webview -> extension, first message. */
  ready: notification('ready', noParams),
  /** extension -> webview: the analysed queue (after ready and after every reload). */
  queue: notification('queue', unchecked<EncodedQueueSnapshot | { error: string }>()),
  /** extension -> webview: target, connection, what is running, the last error. */
  status: notification('status', unchecked<SyncPanelStatus>()),
  /** extension -> webview: a plan, once. */
  planned: notification('planned', unchecked<PlanSnapshot>()),
  /** extension -> webview: a replay started (the log starts empty). */
  replayStarted: notification('replayStarted', unchecked<{ mode: ReplayMode }>()),
  /** extension -> webview: ops settled during the running replay, one message per remote batch. */
  replayResults: notification('replayResults', unchecked<ReplayBatch>()),
  /** extension -> webview: the replay ended; null when it failed before its report. */
  replayFinished: notification('replayFinished', unchecked<{ summary: ReplaySummary | null }>()),
  /** extension -> webview: a pull's report, once. */
  pulled: notification('pulled', unchecked<PullReport>()),
  /** extension -> webview: a comparison with the remote, once. */
  compared: notification('compared', unchecked<CompareReport>()),
  /** extension -> webview: show a tab (commands). */
  showTab: notification('showTab', unchecked<{ tab: SyncTab }>()),
  /** webview -> extension: the queue selection changed (Replay Selected from the palette uses it). */
  selectionChanged: notification('selectionChanged', z.object({ opIds: OpIds })),
  /** webview -> extension: read the queue again. */
  refresh: request('refresh', noParams),
  /** webview -> extension: classify every op against the remote; writes nothing. */
  plan: request('plan', noParams),
  /** webview -> extension: replay all, the selected ops (`opIds`) or the next one, after the confirmation. */
  replay: request('replay', z.object({ mode: ReplayModeSchema, opIds: OpIds })),
  /** webview -> extension: stop the running replay between batches. */
  cancelReplay: request('cancelReplay', noParams),
  /** webview -> extension: pull remote changes, after the confirmation. */
  pull: request('pull', noParams),
  /** webview -> extension: compare every collection with the remote; writes nothing. */
  compare: request('compare', noParams),
  /** webview -> extension: open the Conflicts panel. */
  showConflicts: request('showConflicts', noParams),
  /** webview -> extension: "Connect to Firestore...". */
  connect: request('connect', noParams),
  /** webview -> extension: payload and local row of one op. */
  operationDetail: request('operationDetail', z.object({ opId: z.number().int() })).returns<OperationDetail>(),
  /** webview -> extension: the secrets scan of this database (the Secrets tab); the file is only read. */
  scanSecrets: request('scanSecrets', noParams).returns<SecretsScanView>(),
  /** webview -> extension: open an entity table in the data grid. */
  openTable: request('openTable', z.object({ table: z.string() })),
  /** extension -> webview: what is rendered now. */
  inspectRendered: request('inspectRendered', noParams).returns<RenderedSyncPanel>(),
};

export interface ConflictsPanelState {
  readonly fileName: string;
  readonly target: TargetSummary | null;
  readonly items: readonly ConflictItem[] | null;
  readonly busy: string | null;
  readonly error: string | null;
  /** Results of the last resolution, one line each. */
  readonly lastResults: readonly string[];
  readonly readOnlyReason: string | null;
  /** Entity tables synced with Firestore, once known: with none, no conflict can exist. */
  readonly syncedTables: number | null;
}

export type { PolicyPreviewRow } from '../engine/types';
import type { PolicyPreviewRow } from '../engine/types';

export interface RenderedConflicts {
  readonly items: string[];
  readonly selected: string | null;
  readonly fields: string[][];
  readonly preview: string[][];
  readonly status: string;
  /** What the list says when there is no conflict. */
  readonly empty: string;
}

export const ConflictsProtocol = {
  /** webview -> extension, first message. */
  ready: notification('ready', noParams),
  /** extension -> webview: the conflicts and what is going on. */
  state: notification('state', unchecked<ConflictsPanelState>()),
  /** webview -> extension: what a policy would do to every conflict; writes nothing. */
  previewPolicy: request('previewPolicy', z.object({ policy: PolicySchema })).returns<PolicyPreviewRow[]>(),
  /** webview -> extension: what a merge of one conflict with these choices writes (the engine's mergeDocument); writes nothing. */
  previewMerge: request('previewMerge', z.object({ key: z.string(), choices: MergeChoicesSchema, values: MergeValuesSchema, mergedAt: MergedAtSchema.optional() })).returns<MergePreview | null>(),
  /** webview -> extension: settle conflicts (after the extension's confirmation). */
  resolve: request('resolve', z.object({ keys: z.array(z.string()).readonly(), resolution: ConflictResolutionSchema })).returns<ResolutionReport | null>(),
  /** webview -> extension: read the conflicts again. */
  refresh: request('refresh', noParams),
  /** extension -> webview: select a conflict / open the policy preview (commands). */
  focus: notification('focus', unchecked<{ key: string | null; preview: ConflictPolicyName | null }>()),
  /** extension -> webview: what is rendered now. */
  inspectRendered: request('inspectRendered', noParams).returns<RenderedConflicts>(),
};
