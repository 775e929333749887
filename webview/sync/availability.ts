// Which Sync Queue actions apply to this database now, and a line saying why the others do not:
// Restricted Mode, no queue table (nothing to plan, replay or step), a queue another stack owns
// (the Firestore SDK's cache: Plan only; PowerSync, Brick: neither), no synced table (nothing to
// pull, compare or resolve), no Firestore target (Connect... picks one).
import type { SyncQueueState } from './useSyncQueue';

export interface SyncAvailability {
  /** Why Plan does not apply, or null. */
  readonly queueActions: string | null;
  /** Why Replay and Step do not apply, or null. */
  readonly replayActions: string | null;
  /** Why Pull, Compare and Conflicts do not apply, or null. */
  readonly remoteActions: string | null;
  /** What the toolbar says beside a Replay that is off because another stack owns the queue, or null. */
  readonly readOnlyQueue: string | null;
  /** The lines the toolbar shows, one per reason. */
  readonly reasons: readonly string[];
}

/** The queue source's own reason as a sentence; the Firestore SDK's in the words the panel uses. */
function readOnlyQueueWording(queue: NonNullable<SyncQueueState['queue']>): string | null {
  if (!queue.readOnlyReason) return null;
  if (queue.sourceKind === 'firestore-sdk') return 'The Firestore SDK owns this file; SyncLens only reads it. The app sends these writes itself when it is online; Plan checks them against the target (the emulator or the project).';
  const reason = queue.readOnlyReason.trim();
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}${/[.!?]$/.test(reason) ? '' : '.'}`;
}

export function syncAvailability(state: Pick<SyncQueueState, 'queue' | 'status'>): SyncAvailability {
  const { queue, status } = state;
  const fileName = queue?.fileName ?? status?.fileName ?? 'This database';
  const readOnly = status?.readOnlyReason ?? null;
  const noTarget = status && status.targetChecked && !status.target ? `No Firestore target for ${fileName}: add "firestore" to synclens.json, or Connect... to pick one.` : null;
  const noQueue = queue && !queue.table ? `${fileName} has no sync queue table: nothing to plan, replay or step.` : null;
  const noSynced = queue && queue.syncedTables === 0 ? `${fileName} has no table synced with Firestore: nothing to pull, compare or resolve.` : null;
  const readOnlyQueue = queue ? readOnlyQueueWording(queue) : null;
  // The Firestore SDK's writes go to Firestore, so they can be planned; PowerSync's and Brick's cannot.
  const noPlan = readOnlyQueue && queue?.sourceKind !== 'firestore-sdk' ? readOnlyQueue : null;
  const reasons = [noQueue, noSynced, noTarget].filter((reason): reason is string => reason !== null);
  return {
    queueActions: readOnly ?? noQueue ?? noPlan ?? noTarget,
    replayActions: readOnly ?? noQueue ?? readOnlyQueue ?? noTarget,
    remoteActions: readOnly ?? noSynced ?? noTarget,
    readOnlyQueue,
    reasons,
  };
}
