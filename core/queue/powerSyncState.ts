// What a PowerSync database holds besides its upload queue (powerSync.ts), in the layout of
// powersync-ja/powersync-sqlite-core:
// - entities: each synced table's rows live in `ps_data__<table>` (id TEXT PRIMARY KEY, data JSON);
//   the SDK puts a view named after the app's table over it (crates/core/src/views.rs:
//   `CREATE VIEW "todos"("id", ...) AS SELECT id, CAST(json_extract(data, '$.x') as text), ...
//   FROM "ps_data__todos" -- powersync-auto-generated`). Both are entities of collection <table>
//   (the `type` ps_crud names), the view first so that an op's row is read with its typed columns.
//   Local-only tables (`ps_data_local__`) never upload and are left out. SyncLens only reads them.
// - last sync: `ps_sync_state(priority, last_synced_at)`, the row of priority 2147483647 (i32::MAX,
//   BucketPriority::SENTINEL) being the last complete sync and the others partial syncs by bucket
//   priority (migrations 7 and 8); before migration 7 it was `ps_kv` key `last_synced_at`. The
//   buckets' positions (`ps_buckets.last_applied_op`) come with it.
import { parseIso } from '../db/timestamps';
import { asNumber, asText, queryAll } from '../db/query';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { EntityColumns, EntityTableRole, SchemaInfo, TableInfo } from '../db/types';
import type { QueueLastSync } from './types';

const dataTablePrefix = 'ps_data__';
const fullSyncPriority = 2_147_483_647;

const idOnly: EntityColumns = { localId: null, externalId: 'id', createdAt: null, updatedAt: null, isSynced: null, isDeleted: null, version: null };

/** The synced tables' views and `ps_data__` tables as read-only entities, views first. */
export function powerSyncEntities(schema: SchemaInfo): EntityTableRole[] {
  const dataTables = schema.tables.filter(
    (table) => table.kind === 'table' && table.error === undefined && table.name.startsWith(dataTablePrefix) && hasColumn(table, 'id'),
  );
  const typeOfDataTable = new Map(dataTables.map((table) => [table.name.toLowerCase(), table.name.slice(dataTablePrefix.length)]));
  const views: EntityTableRole[] = [];
  for (const view of schema.tables) {
    if (view.kind !== 'view' || view.error !== undefined || !hasColumn(view, 'id')) continue;
    const over = viewSource(view.sql);
    const type = over === null ? undefined : typeOfDataTable.get(over.toLowerCase());
    if (type === undefined) continue;
    views.push(entity(view.name, type, [type, view.name], []));
  }
  const tables = dataTables.map((table) => {
    const type = table.name.slice(dataTablePrefix.length);
    return entity(table.name, type, [type], hasColumn(table, 'data') ? ['data'] : []);
  });
  return [...views, ...tables];
}

function entity(table: string, collection: string, entityTypes: string[], jsonColumns: string[]): EntityTableRole {
  return { table, collection, entityTypes: [...new Set(entityTypes)], columns: { ...idOnly }, timestampEncodings: {}, jsonColumns };
}

function hasColumn(table: TableInfo, name: string): boolean {
  return table.columns.some((column) => column.name === name);
}

/** The `ps_data__` table a view selects from (`FROM "ps_data__todos"`, quoted or not), or null. */
function viewSource(sql: string): string | null {
  const match = /\bFROM\s+(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*))/i.exec(sql);
  if (!match) return null;
  const name = (match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3] ?? match[4] ?? '').replace(/^main\./i, '');
  return name.toLowerCase().startsWith(dataTablePrefix) ? name : null;
}

/** PowerSync's own record of its last complete sync, its partial syncs and its buckets' positions. */
export function readPowerSyncLastSync(db: SqlDatabase): QueueLastSync | null {
  const facts: Record<string, string | number | null> = {};
  let at: number | null = null;
  let source: string | null = null;
  if (tableExists(db, 'ps_sync_state')) {
    source = `ps_sync_state.last_synced_at (priority ${fullSyncPriority}: a full sync)`;
    for (const [priority, syncedAt] of queryAll(db, 'SELECT priority, last_synced_at FROM main.ps_sync_state ORDER BY priority').rows) {
      const millis = syncedAtMillis(syncedAt ?? null);
      if (asNumber(priority ?? null) === fullSyncPriority) at = millis;
      else facts[`priority ${asNumber(priority ?? null) ?? '?'} synced at`] = millis === null ? asText(syncedAt ?? null) : new Date(millis).toISOString();
    }
  } else if (tableExists(db, 'ps_kv')) {
    source = 'ps_kv last_synced_at';
    const [row] = queryAll(db, "SELECT value FROM main.ps_kv WHERE key = 'last_synced_at'").rows;
    at = syncedAtMillis(row?.[0] ?? null);
  }
  if (tableExists(db, 'ps_buckets')) {
    const [row] = queryAll(db, "SELECT count(*), max(last_applied_op) FROM main.ps_buckets WHERE name != '$local'").rows;
    facts['buckets'] = asNumber(row?.[0] ?? null) ?? 0;
    facts['last_applied_op'] = asNumber(row?.[1] ?? null);
    source ??= 'ps_buckets';
  }
  return source === null ? null : { at, source, facts };
}

/** SQLite's datetime() text, UTC without a zone (`2026-11-24 11:00:00`). */
function syncedAtMillis(value: unknown): number | null {
  return typeof value === 'string' ? parseIso(value) : null;
}

function tableExists(db: SqlDatabase, name: string): boolean {
  return queryAll(db, "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", [name]).rows.length > 0;
}
