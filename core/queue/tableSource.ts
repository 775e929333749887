// SyncLens's own convention: one queue table (detected or named in synclens.json), replayed and
// emptied by the engine.
import { readQueue } from '../db/queue';
import type { SyncRoles } from '../db/types';
import type { QueueSource } from './types';

export function tableQueueSource(roles: SyncRoles): QueueSource | null {
  const queue = roles.queue;
  if (!queue) return null;
  return {
    kind: 'table',
    table: queue.table,
    readOnlyReason: null,
    followsRetryPolicy: true,
    read: (db) => readQueue(db, roles),
  };
}
