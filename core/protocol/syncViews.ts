// The protocols of the two sync webviews (Sync Queue panel and Conflicts panel), declared once.
// Directions are in each comment; each webview sends `ready` before anything else.
import type { ConflictPolicyName, OperationResult } from '../engine/types';
import type {
  CompareReport,
  ConflictItem,
  ConflictResolution,
  OperationDetail,
  PlanSnapshot,
  PullReport,
  EncodedQueueSnapshot,
  ReplayMode,
  ReplayReport,
  ResolutionReport,
  TargetSummary,
} from './syncModel';
import { notification, request } from './rpc';

export type SyncTab = 'queue' | 'plan' | 'log' | 'hygiene' | 'compare';

export const syncTabs: readonly SyncTab[] = ['queue', 'plan', 'log', 'hygiene', 'compare'];

/** Everything the Sync Queue panel shows except the (possibly huge) queue itself. */
export interface SyncPanelStatus {
  readonly fileName: string;
  readonly target: TargetSummary | null;
  /** "connected", "not connected", or the last connection error. */
  readonly connection: string;
  /** What is running now ("Planning...", "Replaying 120/400"), or null. */
  readonly busy: string | null;
  readonly error: string | null;
  readonly plan: PlanSnapshot | null;
  readonly replay: { readonly mode: ReplayMode; readonly running: boolean; readonly total: number; readonly report: ReplayReport | null } | null;
  readonly pull: PullReport | null;
  readonly compare: CompareReport | null;
  readonly readOnlyReason: string | null;
}

export type SyncAction = 'refresh' | 'plan' | 'replayAll' | 'replaySelected' | 'replayStep' | 'cancelReplay' | 'pull' | 'compare' | 'showConflicts' | 'connect';

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
}

export const SyncQueueProtocol = {
  /** webview -> extension, first message. */
  ready: notification<Record<string, never>>('ready'),
  /** extension -> webview: the analysed queue (after ready and after every reload). */
  queue: notification<EncodedQueueSnapshot | { error: string }>('queue'),
  /** extension -> webview: status, plan, replay, pull and compare results. */
  status: notification<SyncPanelStatus>('status'),
  /** extension -> webview: one op settled during the running replay (the live log). */
  replayResult: notification<{ result: OperationResult; settled: number; total: number }>('replayResult'),
  /** extension -> webview: show a tab (commands). */
  showTab: notification<{ tab: SyncTab }>('showTab'),
  /** webview -> extension: payload and local row of one op. */
  operationDetail: request<{ opId: number }, OperationDetail>('operationDetail'),
  /** webview -> extension: run an action; `opIds` is the selection for replaySelected / plan. */
  run: request<{ action: SyncAction; opIds: readonly number[] }, void>('run'),
  /** webview -> extension: the queue selection changed (Replay Selected from the palette uses it). */
  selectionChanged: notification<{ opIds: readonly number[] }>('selectionChanged'),
  /** webview -> extension: open an entity table in the data grid. */
  openTable: request<{ table: string }, void>('openTable'),
  /** extension -> webview: what is rendered now. */
  inspectRendered: request<Record<string, never>, RenderedSyncPanel>('inspectRendered'),
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
}

export interface PolicyPreviewRow {
  readonly key: string;
  readonly outcome: 'win' | 'lose' | 'held';
  readonly opIds: readonly number[];
  readonly reason: string;
}

export interface RenderedConflicts {
  readonly items: string[];
  readonly selected: string | null;
  readonly fields: string[][];
  readonly preview: string[][];
  readonly status: string;
}

export const ConflictsProtocol = {
  /** webview -> extension, first message. */
  ready: notification<Record<string, never>>('ready'),
  /** extension -> webview: the conflicts and what is going on. */
  state: notification<ConflictsPanelState>('state'),
  /** webview -> extension: what a policy would do to every conflict; writes nothing. */
  previewPolicy: request<{ policy: ConflictPolicyName }, PolicyPreviewRow[]>('previewPolicy'),
  /** webview -> extension: settle conflicts (after the extension's confirmation). */
  resolve: request<{ keys: readonly string[]; resolution: ConflictResolution }, ResolutionReport | null>('resolve'),
  /** webview -> extension: read the conflicts again. */
  refresh: request<Record<string, never>, void>('refresh'),
  /** extension -> webview: select a conflict / open the policy preview (commands). */
  focus: notification<{ key: string | null; preview: ConflictPolicyName | null }>('focus'),
  /** extension -> webview: what is rendered now. */
  inspectRendered: request<Record<string, never>, RenderedConflicts>('inspectRendered'),
};
