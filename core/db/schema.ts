// Reads what a database holds: tables and views with their columns, indexes, foreign keys and exact
// row counts. Pure over an open sql.js Database, so the extension's worker, the language server and
// the CLI share it. Names reach SQL only through bound pragma arguments or quoteIdentifier.
import type { Database } from 'sql.js';
import { asNumber, asText, queryObjects, queryScalar, quoteIdentifier } from './query';
import type { ColumnInfo, ForeignKeyInfo, IndexInfo, SchemaInfo, TableInfo, TableKind } from './types';

interface SchemaObject {
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  sql: string;
}

/**
 * Every user table and view in the main schema: tables first, then views, each in name order.
 * SQLite's own tables (`sqlite_%`) and the shadow tables behind virtual tables (FTS indexes) are
 * internal and left out. A table SQLite cannot read here (a virtual table whose module sql.js lacks)
 * is still listed, with `error` saying why.
 */
export function readSchema(db: Database): SchemaInfo {
  const tables = listSchemaObjects(db).map((object) => readTable(db, object));
  return { tables };
}

/** One table or view by exact name, or null when it does not exist. */
export function readTableInfo(db: Database, name: string): TableInfo | null {
  const object = listSchemaObjects(db).find((candidate) => candidate.name === name);
  return object ? readTable(db, object) : null;
}

/** A table's shape without its counts and indexes: cheap enough for every page turn. */
export interface TableShape {
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  columns: ColumnInfo[];
}

/** Shapes per database, dropped whenever SQLite's schema cookie changes (a DDL statement ran). */
const shapeCache = new WeakMap<Database, { schemaVersion: number; shapes: Map<string, TableShape | null> }>();

export function describeTable(db: Database, name: string): TableShape | null {
  const schemaVersion = asNumber(queryScalar(db, 'PRAGMA schema_version')) ?? 0;
  let cached = shapeCache.get(db);
  if (!cached || cached.schemaVersion !== schemaVersion) {
    cached = { schemaVersion, shapes: new Map() };
    shapeCache.set(db, cached);
  }
  if (!cached.shapes.has(name)) cached.shapes.set(name, readShape(db, name));
  return cached.shapes.get(name) ?? null;
}

function readShape(db: Database, name: string): TableShape | null {
  const [row] = queryObjects(
    db,
    `SELECT type, wr FROM pragma_table_list WHERE schema = 'main' AND name = ? AND type IN ('table', 'view', 'virtual')`,
    [name],
  );
  if (!row) return null;
  return { name, kind: row.type === 'view' ? 'view' : 'table', withoutRowid: asNumber(row.wr) === 1, columns: readColumns(db, name) };
}

function listSchemaObjects(db: Database): SchemaObject[] {
  const rows = queryObjects(
    db,
    `SELECT l.name AS name, l.type AS type, l.wr AS wr, s.sql AS sql
       FROM pragma_table_list AS l
       LEFT JOIN sqlite_schema AS s ON s.name = l.name AND s.type IN ('table', 'view')
      WHERE l.schema = 'main' AND l.type IN ('table', 'view', 'virtual')
        AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
  );
  const objects = rows.map(
    (row): SchemaObject => ({
      name: asText(row.name) ?? '',
      kind: row.type === 'view' ? 'view' : 'table',
      withoutRowid: asNumber(row.wr) === 1,
      sql: asText(row.sql) ?? '',
    }),
  );
  const virtualTables = rows.filter((row) => row.type === 'virtual').map((row) => asText(row.name) ?? '');
  const kindOrder = (kind: TableKind): number => (kind === 'table' ? 0 : 1);
  return objects
    .filter((object) => !isShadowTable(object.name, virtualTables))
    .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || compareNames(a.name, b.name));
}

/**
 * SQLite reports a virtual table's shadow tables as 'shadow' only when it knows the module; sql.js
 * lacks FTS5, so those are recognised by name: `<virtual table>_<module suffix>`.
 */
const shadowSuffixes = new Set(['config', 'content', 'data', 'docsize', 'idx', 'segments', 'segdir', 'stat', 'node', 'parent', 'rowid']);

function isShadowTable(name: string, virtualTables: readonly string[]): boolean {
  return virtualTables.some((virtual) => name.startsWith(`${virtual}_`) && shadowSuffixes.has(name.slice(virtual.length + 1)));
}

function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

function readTable(db: Database, object: SchemaObject): TableInfo {
  const table: TableInfo = {
    name: object.name,
    kind: object.kind,
    rows: 0,
    columns: [],
    indexes: [],
    foreignKeys: [],
    withoutRowid: object.withoutRowid,
    sql: object.sql,
  };
  try {
    table.columns = readColumns(db, object.name);
    if (object.kind === 'table') {
      table.indexes = readIndexes(db, object.name);
      table.foreignKeys = readForeignKeys(db, object.name);
    }
    table.rows = countAll(db, object.name);
  } catch (error) {
    table.error = error instanceof Error ? error.message : String(error);
  }
  return table;
}

function readColumns(db: Database, table: string): ColumnInfo[] {
  // table_xinfo (not table_info) so generated columns are listed; hidden = 1 marks the hidden
  // columns of virtual tables, which SELECT * does not return either.
  return queryObjects(db, 'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)', [table])
    .filter((row) => asNumber(row.hidden) !== 1)
    .map((row) => ({
      name: asText(row.name) ?? '',
      type: asText(row.type) ?? '',
      pk: asNumber(row.pk) ?? 0,
      notNull: asNumber(row.notnull) === 1,
      defaultValue: asText(row.dflt_value),
    }));
}

function readIndexes(db: Database, table: string): IndexInfo[] {
  return queryObjects(db, 'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY seq DESC', [table]).map(
    (row) => {
      const name = asText(row.name) ?? '';
      const columns = queryObjects(db, 'SELECT cid, name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [name]).map(
        (column) => asText(column.name) ?? (asNumber(column.cid) === -1 ? 'rowid' : '<expression>'),
      );
      return {
        name,
        unique: asNumber(row.unique) === 1,
        columns,
        origin: asText(row.origin) ?? '',
        partial: asNumber(row.partial) === 1,
      };
    },
  );
}

function readForeignKeys(db: Database, table: string): ForeignKeyInfo[] {
  const byId = new Map<number, ForeignKeyInfo>();
  const rows = queryObjects(db, 'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
    table,
  ]);
  for (const row of rows) {
    const id = asNumber(row.id) ?? 0;
    let key = byId.get(id);
    if (!key) {
      key = {
        id,
        table: asText(row.table) ?? '',
        from: [],
        to: [],
        onUpdate: asText(row.on_update) ?? 'NO ACTION',
        onDelete: asText(row.on_delete) ?? 'NO ACTION',
      };
      byId.set(id, key);
    }
    key.from.push(asText(row.from) ?? '');
    key.to.push(asText(row.to) ?? '');
  }
  // `REFERENCES parent` without columns means the parent's primary key.
  for (const key of byId.values()) {
    if (key.to.every((column) => column === '')) {
      const parentKey = primaryKeyColumns(db, key.table);
      if (parentKey.length === key.from.length) key.to = parentKey;
    }
  }
  return [...byId.values()];
}

function primaryKeyColumns(db: Database, table: string): string[] {
  return queryObjects(db, 'SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [table]).map(
    (row) => asText(row.name) ?? '',
  );
}

function countAll(db: Database, table: string): number {
  return asNumber(queryScalar(db, `SELECT count(*) FROM main.${quoteIdentifier(table)}`)) ?? 0;
}
