// Pull: remote changes since the last sync, per collection, ascending by updatedAt, paged, applied
// to the image. An entity with unsynced local changes is not overwritten: it is reported as a
// conflict (conflicts.ts). The new last sync is the highest updatedAt applied, never the clock
// (the reference's DateTime.now() loses remote writes committed during the pull).
import { entityRoleForType } from '../db/roles';
import type { EngineContext } from './context';
import { timeValueToMillis } from './documentValues';
import { globalLastSyncKey, lastSyncKey, millisToStateValue, readEntityRow, readStateValue, stateValueToMillis, unsyncedEntityIds, upsertEntity, writeStateValue } from './localStore';
import { documentKey, remoteFields } from './planner';
import { RemoteUnavailableError } from './remoteStore';
import type { PullSummary } from './types';

export interface PullOptions {
  pageSize?: number;
  signal?: AbortSignal;
  /** Called after each page is applied (tests use it to let another client write meanwhile). */
  onPage?: (collection: string, applied: number) => Promise<void> | void;
}

export async function pull(context: EngineContext, options: PullOptions = {}): Promise<PullSummary> {
  const { db, roles, remote } = context;
  const pageSize = options.pageSize ?? 300;
  const summary: PullSummary = { collections: [], applied: 0, conflicts: 0, backupPath: null };
  const state = roles.state;
  const pendingIds = pendingEntityKeys(context);
  const globalPrevious = state ? readStateValue(db, state, globalLastSyncKey) : null;
  const newValues: number[] = [];
  for (const role of roles.entities) {
    const previousValue = state ? readStateValue(db, state, lastSyncKey(role.collection)) : null;
    const previousSyncAt = stateValueToMillis(previousValue) ?? stateValueToMillis(globalPrevious);
    const entry = { collection: role.collection, applied: 0, conflicts: [] as string[], previousSyncAt, lastSyncAt: previousSyncAt };
    summary.collections.push(entry);
    const mapping = context.mappingFor(role);
    let cursor: unknown = null;
    do {
      if (options.signal?.aborted) break;
      const page = await remote.readChangedSince(role.collection, previousSyncAt, pageSize, cursor);
      if (!page.ok) throw new RemoteUnavailableError(`reading changes of ${role.collection} failed: ${page.error}`, page.code);
      for (const document of page.value.documents) {
        const updatedAt = timeValueToMillis(document.data[remoteFields.updatedAt]);
        if (pendingIds.has(documentKey(role.collection, document.id))) {
          entry.conflicts.push(document.id);
          continue;
        }
        const exists = readEntityRow(db, role, document.id) !== null;
        // A tombstone of a row this device never had stays away.
        if (exists || document.data[remoteFields.isDeleted] !== true) {
          const values = mapping.documentToRow(document.id, document.data);
          if (role.columns.isSynced) values[role.columns.isSynced] = 1;
          upsertEntity(db, role, document.id, values);
          context.dirty = true;
        }
        entry.applied++;
        if (updatedAt !== null && (entry.lastSyncAt === null || updatedAt > entry.lastSyncAt)) entry.lastSyncAt = updatedAt;
      }
      cursor = page.value.next;
      await options.onPage?.(role.collection, entry.applied);
    } while (cursor);
    if (state && entry.lastSyncAt !== null && entry.lastSyncAt !== previousSyncAt) {
      writeStateValue(db, state, lastSyncKey(role.collection), millisToStateValue(entry.lastSyncAt, previousValue ?? globalPrevious));
      context.dirty = true;
    }
    if (entry.lastSyncAt !== null) newValues.push(entry.lastSyncAt);
    summary.applied += entry.applied;
    summary.conflicts += entry.conflicts.length;
  }
  // The app reads one lastSyncAt: the oldest collection's, so no collection skips a change.
  if (state && newValues.length === roles.entities.length && newValues.length > 0) {
    const oldest = Math.min(...newValues);
    if (stateValueToMillis(globalPrevious) !== oldest) {
      writeStateValue(db, state, globalLastSyncKey, millisToStateValue(oldest, globalPrevious));
      context.dirty = true;
    }
  }
  return summary;
}

/** `collection/id` of every entity with a pending op or isSynced = 0. */
function pendingEntityKeys(context: EngineContext): Set<string> {
  const keys = new Set<string>();
  for (const op of context.analyze()?.operations ?? []) {
    if (op.status === 'dead-lettered') continue;
    const role = entityRoleForType(context.roles, op.entityType);
    if (role) keys.add(documentKey(role.collection, op.entityId));
  }
  for (const role of context.roles.entities) {
    for (const id of unsyncedEntityIds(context.db, role)) keys.add(documentKey(role.collection, id));
  }
  return keys;
}
