// The app's key/value sync-state table (e.g. a lastSyncAt entry): found by its key and value
// columns and a name or entry that says sync, and read as a map for display and the engine.
import type { SqlDatabase } from './sqlDatabase';
import { asNumber, asText, queryAll, queryScalar, quoteIdentifier } from './query';
import { findColumn, normalize, SyncRolesConfigError } from './roleNames';
import type { SqlValue, StateTableRole, TableInfo } from './types';

const stateKeyNames = ['key', 'name', 'k', 'settingkey'];
const stateValueNames = ['value', 'val', 'v', 'settingvalue'];

export function stateRole(table: TableInfo, override: Partial<StateTableRole>): StateTableRole {
  const keyColumn = override.keyColumn ?? findColumn(table.columns, stateKeyNames);
  const valueColumn = override.valueColumn ?? findColumn(table.columns, stateValueNames);
  if (!keyColumn || !valueColumn) {
    throw new SyncRolesConfigError(`state table "${table.name}" needs a key and a value column: set state.keyColumn and state.valueColumn`);
  }
  return { table: table.name, keyColumn, valueColumn };
}

export function detectState(db: SqlDatabase, tables: readonly TableInfo[]): StateTableRole | null {
  const keyValueTables = tables.filter(
    (table) => findColumn(table.columns, stateKeyNames) !== null && findColumn(table.columns, stateValueNames) !== null,
  );
  const named = keyValueTables.find((table) => normalize(table.name).includes('sync'));
  // A big key/value table is a cache, not sync state: not worth a scan for a lastSync key.
  const holdsLastSync = keyValueTables.find((table) => {
    if (hasMoreRowsThan(db, table, stateTableMaxRows)) return false;
    const keyColumn = quoteIdentifier(findColumn(table.columns, stateKeyNames)!);
    const hit = queryScalar(
      db,
      `SELECT 1 FROM main.${quoteIdentifier(table.name)} WHERE lower(replace(replace(${keyColumn}, '_', ''), '-', '')) LIKE '%lastsync%' LIMIT 1`,
    );
    return hit !== null;
  });
  const table = named ?? holdsLastSync;
  return table ? stateRole(table, {}) : null;
}

const stateTableMaxRows = 10_000;

/** Reads at most `limit + 1` rows when the table is not counted yet (schemas are read uncounted). */
function hasMoreRowsThan(db: SqlDatabase, table: TableInfo, limit: number): boolean {
  if (table.rows !== null) return table.rows > limit;
  const rows = queryScalar(db, `SELECT count(*) FROM (SELECT 1 FROM main.${quoteIdentifier(table.name)} LIMIT ${limit + 1})`);
  return (asNumber(rows) ?? 0) > limit;
}

/** The sync-state table's entries as text (e.g. `lastSyncAt`), for display and the engine. */
export function readSyncState(db: SqlDatabase, state: StateTableRole): Map<string, SqlValue> {
  const { rows } = queryAll(
    db,
    `SELECT ${quoteIdentifier(state.keyColumn)}, ${quoteIdentifier(state.valueColumn)} FROM main.${quoteIdentifier(state.table)}`,
  );
  return new Map(rows.map((row) => [asText(row[0] ?? null) ?? '', row[1] ?? null]));
}
