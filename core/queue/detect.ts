// Which queue source a database holds. SyncLens's own queue table (detected or named in
// synclens.json) comes first; otherwise the layouts of the stacks that keep a queue of their own.
import type { SchemaInfo, SyncRoles } from '../db/types';
import { brickQueueSource, isBrickQueue } from './brick';
import { firestoreSdkQueueSource, isFirestoreSdkCache } from './firestoreSdk/source';
import { isPowerSyncDatabase, powerSyncQueueSource } from './powerSync';
import { tableQueueSource } from './tableSource';
import type { QueueSource } from './types';

export function detectQueueSource(schema: SchemaInfo, roles: SyncRoles): QueueSource | null {
  const table = tableQueueSource(roles);
  if (table) return table;
  if (isFirestoreSdkCache(schema)) return firestoreSdkQueueSource();
  if (isPowerSyncDatabase(schema)) return powerSyncQueueSource();
  if (isBrickQueue(schema)) return brickQueueSource();
  return null;
}
