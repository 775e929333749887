// What role detection shares between its parts (roles.ts for entities and the queue, stateRole.ts
// for the sync-state table): how names are compared, and the error a bad override gives.
import { CodedError } from '../errors';
import type { ColumnInfo } from './types';

/** A role override that names a table or column the database does not have. */
export class SyncRolesConfigError extends CodedError<'config'> {
  override readonly name = 'SyncRolesConfigError';
  /** Its code crosses the workers' RPC: to the user it is a synclens.json problem like ConfigError. */
  constructor(message: string) {
    super('config', message);
  }
}

/** Normalised for matching: `is_synced`, `isSynced` and `IsSynced` all become `issynced`. */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findColumn(columns: readonly ColumnInfo[], candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    const match = columns.find((column) => normalize(column.name) === candidate);
    if (match) return match.name;
  }
  return null;
}
