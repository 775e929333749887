// SyncLens's own convention: one queue table (detected or named in synclens.json), replayed and
// emptied by the engine. Its last sync is the sync-state table's lastSyncAt (and lastSyncAt:<collection>).
import { readQueue } from '../db/queue';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueTableRole, SyncRoles } from '../db/types';
import { globalLastSyncKey, lastSyncKey, readStateValue, stateValueToMillis } from '../engine/localStore';
import type { QueueLastSync, QueueSource } from './types';

/** The queue table each source made here reads. */
const queueTables = new WeakMap<QueueSource, QueueTableRole>();

export function tableQueueSource(roles: SyncRoles): QueueSource | null {
  const queue = roles.queue;
  if (!queue) return null;
  const source: QueueSource = {
    kind: 'table',
    table: queue.table,
    readOnlyReason: null,
    followsRetryPolicy: true,
    read: (db) => readQueue(db, roles),
    readLastSync: (db) => readStateLastSync(db, roles),
  };
  queueTables.set(source, queue);
  return source;
}

/**
 * The queue table `source` reads when tableQueueSource made it, so the analysis can read the rows
 * itself with its own fields in place (core/db/queue.ts); undefined for every other source.
 */
export function queueTableOf(source: QueueSource): QueueTableRole | undefined {
  return queueTables.get(source);
}

/** The state table's lastSyncAt, with each collection's own entry as a fact; null without a state table. */
function readStateLastSync(db: SqlDatabase, roles: SyncRoles): QueueLastSync | null {
  const state = roles.state;
  if (!state) return null;
  const millisOf = (key: string): number | null => stateValueToMillis(readStateValue(db, state, key));
  const facts: Record<string, string | null> = {};
  for (const entity of roles.entities) {
    const at = millisOf(lastSyncKey(entity.collection));
    if (at !== null) facts[lastSyncKey(entity.collection)] = new Date(at).toISOString();
  }
  return { at: millisOf(globalLastSyncKey), source: `${state.table}.${globalLastSyncKey}`, facts };
}
