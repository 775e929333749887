// Which queue source a database holds. A kind named in synclens.json (`queue.kind`, with its
// mapping) wins; otherwise SyncLens's own queue table (detected or named) comes first, then the
// layouts of the stacks that keep a queue of their own. A source may bring entities of its own
// (PowerSync's views and ps_data__ tables), merged into the roles here.
import type { QueueConfig } from '../config/config';
import { SyncRolesConfigError } from '../db/roleNames';
import type { SchemaInfo, SyncRoles } from '../db/types';
import { brickJobsTable, brickQueueSource, isBrickQueue } from './brick';
import { firestoreSdkQueueSource, isFirestoreSdkCache } from './firestoreSdk/source';
import { isPowerSyncDatabase, powerSyncCrudTable, powerSyncQueueSource } from './powerSync';
import { powerSyncEntities } from './powerSyncState';
import { tableQueueSource } from './tableSource';
import type { QueueSource, QueueSourceKind } from './types';

/** `config`: synclens.json's `queue` (null: no queue at all; absent: everything detected). */
export function detectQueueSource(schema: SchemaInfo, roles: SyncRoles, config?: QueueConfig | null): QueueSource | null {
  if (config === null) return null;
  const named = config?.kind;
  if (named !== undefined && named !== 'table') {
    const table = config?.table;
    if (!hasSourceTables(schema, named, table)) throw new SyncRolesConfigError(missingSourceMessage(named, table));
    return stackSource(named, config ?? {});
  }
  const table = tableQueueSource(roles);
  if (table || named === 'table') return table;
  if (isFirestoreSdkCache(schema)) return firestoreSdkQueueSource();
  if (isPowerSyncDatabase(schema)) return powerSyncQueueSource();
  if (isBrickQueue(schema)) return brickQueueSource();
  return null;
}

function stackSource(kind: Exclude<QueueSourceKind, 'table'>, config: QueueConfig): QueueSource {
  if (kind === 'firestore-sdk') return firestoreSdkQueueSource();
  if (kind === 'powersync') return powerSyncQueueSource({ ...(config.table ? { table: config.table } : {}), ...(config.paths ? { paths: config.paths } : {}) });
  return brickQueueSource(config.table ? { table: config.table } : {});
}

/** Whether the database has the tables of the queue kind named (`table` renaming its main one). */
export function hasSourceTables(schema: SchemaInfo, kind: Exclude<QueueSourceKind, 'table'>, table?: string): boolean {
  if (kind === 'firestore-sdk') return isFirestoreSdkCache(schema);
  if (kind === 'powersync') return isPowerSyncDatabase(schema, table);
  return isBrickQueue(schema, table);
}

/** The one message for a queue.kind whose tables the database lacks (the CLI, the engine and the editor's diagnostic). */
export function missingSourceMessage(kind: Exclude<QueueSourceKind, 'table'>, table?: string): string {
  const expected =
    kind === 'firestore-sdk'
      ? 'Firestore Android SDK cache (tables mutation_queues, mutations and document_mutations)'
      : kind === 'powersync'
        ? `PowerSync upload queue (a table ${table ?? powerSyncCrudTable} with a data column)`
        : `Brick request queue (a table ${table ?? brickJobsTable} with request_method and url columns)`;
  return `queue.kind is "${kind}" but the database has no ${expected}: remove "kind" to detect the queue, or name the kind of queue this database holds`;
}

/** The roles with the entities the source brings (PowerSync's), where synclens.json or detection has none for the table. */
export function withSourceEntities(schema: SchemaInfo, roles: SyncRoles, source: QueueSource | null): SyncRoles {
  if (source?.kind !== 'powersync') return roles;
  const known = new Set(roles.entities.map((entity) => entity.table));
  const added = powerSyncEntities(schema).filter((entity) => !known.has(entity.table));
  return added.length === 0 ? roles : { ...roles, entities: [...roles.entities, ...added] };
}
