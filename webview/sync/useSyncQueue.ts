// The Sync Queue panel's state in one reducer: what the extension posts (queue, status, each result
// once, replay results batch by batch) and what the user chose (tab, filters, selection, cursors).
import { useEffect, useReducer } from 'react';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { decodeQueueRows, type CompareReport, type PlanSnapshot, type PullReport, type QueueSnapshot } from '../../core/protocol/syncModel';
import { SyncQueueProtocol, type ReplayBatch, type ReplaySummary, type SyncPanelStatus, type SyncTab } from '../../core/protocol/syncViews';
import { appendToLog, emptyReplayLog, type ReplayLog } from './replayLog';

export interface ReplayState {
  readonly running: boolean;
  readonly settled: number;
  readonly total: number;
  readonly summary: ReplaySummary | null;
  /** The engine's latest progress line (slow batch, retry, rate limits). */
  readonly status?: string;
}

export interface SyncQueueState {
  readonly queue: QueueSnapshot | null;
  readonly queueError: string | null;
  readonly status: SyncPanelStatus | null;
  readonly plan: PlanSnapshot | null;
  readonly replay: ReplayState | null;
  readonly log: ReplayLog;
  readonly pull: PullReport | null;
  readonly compare: CompareReport | null;
  readonly tab: SyncTab;
  readonly grouped: boolean;
  readonly statusFilter: string;
  readonly entityFilter: string;
  /** Only these ops are listed (a hygiene finding's "Show ops"). */
  readonly onlyIds: readonly number[] | null;
  readonly selected: ReadonlySet<number>;
  /** Where a Shift-click selection starts (a list index). */
  readonly anchor: number;
  readonly queueIndex: number;
  readonly planIndex: number;
  readonly logIndex: number;
}

export type SyncQueueEvent =
  | { type: 'queue'; queue: QueueSnapshot | { error: string } }
  | { type: 'status'; status: SyncPanelStatus }
  | { type: 'planned'; plan: PlanSnapshot }
  | { type: 'replayStarted' }
  | { type: 'replayResults'; batch: ReplayBatch }
  | { type: 'replayFinished'; summary: ReplaySummary | null }
  | { type: 'pulled'; report: PullReport }
  | { type: 'compared'; report: CompareReport }
  | { type: 'tab'; tab: SyncTab }
  | { type: 'grouped'; grouped: boolean }
  | { type: 'statusFilter'; value: string }
  | { type: 'entityFilter'; value: string }
  | { type: 'onlyIds'; opIds: readonly number[] | null }
  /** A queue row activated: selection replaced, extended (Shift) or toggled (Ctrl/Cmd). */
  | { type: 'activate'; index: number; ids: readonly number[]; range: readonly number[] | null; toggle: boolean }
  | { type: 'planIndex'; index: number }
  | { type: 'logIndex'; index: number };

export const initialSyncQueueState: SyncQueueState = {
  queue: null,
  queueError: null,
  status: null,
  plan: null,
  replay: null,
  log: emptyReplayLog,
  pull: null,
  compare: null,
  tab: 'queue',
  grouped: true,
  statusFilter: 'all',
  entityFilter: 'all',
  onlyIds: null,
  selected: new Set(),
  anchor: -1,
  queueIndex: -1,
  planIndex: -1,
  logIndex: -1,
};

/** Why the plan shown is not the plan of the queue shown (a write came after it, or the queue changed), or null. */
export function planOutdatedReason(state: Pick<SyncQueueState, 'plan' | 'queue'>): string | null {
  const { plan, queue } = state;
  if (!plan) return null;
  if (plan.outdated) return plan.outdated;
  if (queue && queue.revision !== plan.queueRevision) return 'the queue changed after this plan; plan again to see what is left';
  return null;
}

function toggled(selected: ReadonlySet<number>, ids: readonly number[]): Set<number> {
  const next = new Set(selected);
  for (const id of ids) {
    if (next.has(id)) next.delete(id);
    else next.add(id);
  }
  return next;
}

export function syncQueueReducer(state: SyncQueueState, event: SyncQueueEvent): SyncQueueState {
  switch (event.type) {
    case 'queue':
      return 'error' in event.queue ? { ...state, queueError: event.queue.error } : { ...state, queueError: null, queue: event.queue };
    case 'status':
      return { ...state, status: event.status };
    case 'planned':
      return { ...state, plan: event.plan };
    case 'replayStarted':
      return { ...state, log: emptyReplayLog, logIndex: -1, replay: { running: true, settled: 0, total: 0, summary: null } };
    case 'replayResults': {
      const status = event.batch.status ?? state.replay?.status;
      return {
        ...state,
        log: appendToLog(state.log, event.batch.results),
        replay: { running: true, settled: event.batch.settled, total: event.batch.total, summary: null, ...(status ? { status } : {}) },
      };
    }
    case 'replayFinished':
      return { ...state, replay: { running: false, settled: state.replay?.settled ?? 0, total: state.replay?.total ?? 0, summary: event.summary } };
    case 'pulled':
      return { ...state, pull: event.report };
    case 'compared':
      return { ...state, compare: event.report };
    case 'tab':
      return { ...state, tab: event.tab };
    case 'grouped':
      return { ...state, grouped: event.grouped };
    case 'statusFilter':
      return { ...state, statusFilter: event.value };
    case 'entityFilter':
      return { ...state, entityFilter: event.value };
    case 'onlyIds':
      return event.opIds ? { ...state, onlyIds: event.opIds, statusFilter: 'all', entityFilter: 'all', tab: 'queue' } : { ...state, onlyIds: null };
    case 'activate': {
      if (event.range && state.anchor >= 0) return { ...state, queueIndex: event.index, selected: new Set(event.range) };
      const selected = event.toggle ? toggled(state.selected, event.ids) : new Set(event.ids);
      return { ...state, queueIndex: event.index, anchor: event.index, selected };
    }
    case 'planIndex':
      return { ...state, planIndex: event.index };
    case 'logIndex':
      return { ...state, logIndex: event.index };
  }
}

/** The reducer, fed by the extension's notifications; says `ready` once listening. */
export function useSyncQueue(endpoint: RpcEndpoint): [SyncQueueState, (event: SyncQueueEvent) => void] {
  const [state, dispatch] = useReducer(syncQueueReducer, initialSyncQueueState);
  useEffect(() => {
    const stops = [
      endpoint.onNotification(SyncQueueProtocol.queue, (snapshot) =>
        dispatch({ type: 'queue', queue: 'error' in snapshot ? snapshot : { ...snapshot, rows: decodeQueueRows(snapshot.rows) } }),
      ),
      endpoint.onNotification(SyncQueueProtocol.status, (status) => dispatch({ type: 'status', status })),
      endpoint.onNotification(SyncQueueProtocol.planned, (plan) => dispatch({ type: 'planned', plan })),
      endpoint.onNotification(SyncQueueProtocol.replayStarted, () => dispatch({ type: 'replayStarted' })),
      endpoint.onNotification(SyncQueueProtocol.replayResults, (batch) => dispatch({ type: 'replayResults', batch })),
      endpoint.onNotification(SyncQueueProtocol.replayFinished, ({ summary }) => dispatch({ type: 'replayFinished', summary })),
      endpoint.onNotification(SyncQueueProtocol.pulled, (report) => dispatch({ type: 'pulled', report })),
      endpoint.onNotification(SyncQueueProtocol.compared, (report) => dispatch({ type: 'compared', report })),
      endpoint.onNotification(SyncQueueProtocol.showTab, ({ tab }) => dispatch({ type: 'tab', tab })),
    ];
    endpoint.sendNotification(SyncQueueProtocol.ready, {});
    return () => stops.forEach((stop) => stop());
  }, [endpoint]);
  useEffect(() => {
    endpoint.sendNotification(SyncQueueProtocol.selectionChanged, { opIds: [...state.selected] });
  }, [endpoint, state.selected]);
  return [state, dispatch];
}
