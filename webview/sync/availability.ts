// Which Sync Queue actions apply to this database now, and a line saying why the others do not:
// Restricted Mode, no queue table (nothing to plan, replay or step), no synced table (nothing to
// pull, compare or resolve), no Firestore target (Connect... picks one).
import type { SyncQueueState } from './useSyncQueue';

export interface SyncAvailability {
  /** Why Plan, Replay and Step do not apply, or null. */
  readonly queueActions: string | null;
  /** Why Pull, Compare and Conflicts do not apply, or null. */
  readonly remoteActions: string | null;
  /** The lines the toolbar shows, one per reason. */
  readonly reasons: readonly string[];
}

export function syncAvailability(state: Pick<SyncQueueState, 'queue' | 'status'>): SyncAvailability {
  const { queue, status } = state;
  const fileName = queue?.fileName ?? status?.fileName ?? 'This database';
  const readOnly = status?.readOnlyReason ?? null;
  const noTarget = status && status.targetChecked && !status.target ? `No Firestore target for ${fileName}: add "firestore" to synclens.json, or Connect... to pick one.` : null;
  const noQueue = queue && !queue.table ? `${fileName} has no sync queue table: nothing to plan, replay or step.` : null;
  const noSynced = queue && queue.syncedTables === 0 ? `${fileName} has no table synced with Firestore: nothing to pull, compare or resolve.` : null;
  const reasons = [noQueue, noSynced, noTarget].filter((reason): reason is string => reason !== null);
  return {
    queueActions: readOnly ?? noQueue ?? noTarget,
    remoteActions: readOnly ?? noSynced ?? noTarget,
    reasons,
  };
}
