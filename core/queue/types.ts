// A queue source: where an app keeps the writes it has not sent yet. SyncLens's own convention (a
// queue table, core/db/roles.ts) is one; the stacks that keep their queue in a layout of their own
// (Firestore's Android SDK, PowerSync, Brick) are the others. Every source gives the same facts per
// operation (core/db/types QueueOperation), so the analysis, the queue view and inspect work on any.
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueOperation } from '../db/types';

export type QueueSourceKind = 'table' | 'firestore-sdk' | 'powersync' | 'brick';

export const queueSourceKinds: readonly QueueSourceKind[] = ['table', 'firestore-sdk', 'powersync', 'brick'];

/** Facts of one operation that only its source has, shown as they are (names are the source's). */
export type QueueSourceFacts = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface QueueSource {
  readonly kind: QueueSourceKind;
  /** The table the operations are read from (the main one, for layouts of several tables). */
  readonly table: string;
  /**
   * Null when SyncLens may replay the operations and remove them from the queue; otherwise why it
   * must not (the SDK owns the file, or the target is not Firestore), for plan, replay and the UI.
   */
  readonly readOnlyReason: string | null;
  /**
   * Whether SyncLens's retry policy (maxRetries, backoff) applies: false for stacks that retry on
   * their own terms, whose ops are then never dead-lettered or backing off by SyncLens's measure.
   */
  readonly followsRetryPolicy: boolean;
  /** Every operation in the order the app sends them; `now` (ms) for what depends on the clock (a stale lock). */
  read(db: SqlDatabase, now?: number): QueueOperation[];
  /** When the app last completed a sync, from the stack's own state (absent: the source keeps none). */
  readLastSync?(db: SqlDatabase): QueueLastSync | null;
}

/** The app's last completed sync as its stack records it (PowerSync's ps_sync_state, the app's sync_state). */
export interface QueueLastSync {
  /** Milliseconds since the epoch, or null when the stack has never completed one. */
  at: number | null;
  /** Where it was read, e.g. `ps_sync_state.last_synced_at (priority 2147483647: a full sync)`. */
  source: string;
  /** What else the stack keeps about it (bucket positions, partial syncs by priority). */
  facts: QueueSourceFacts;
}
