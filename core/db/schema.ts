// Reads what a database holds: tables and views with their columns, indexes and foreign keys, and,
// as a separate step, their exact row counts. Pure over an open SqlDatabase, so the extension's
// worker, the language server and the CLI share it. Names reach SQL only through bound pragma
// arguments or quoteIdentifier.
import type { SqlDatabase } from './sqlDatabase';
import { asNumber, asText, queryAll, queryObjects, queryScalar, quoteIdentifier } from './query';
import type {
  ColumnInfo,
  CountedSchemaInfo,
  CountedTableInfo,
  ForeignKeyInfo,
  IndexInfo,
  SchemaInfo,
  SqlValue,
  TableInfo,
  TableKind,
  TableRowCount,
} from './types';
import { errorMessage } from '../errors';

interface SchemaObject {
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  virtual: boolean;
  sql: string;
}

/**
 * Every user table and view in the main schema: tables first, then views, each in name order.
 * SQLite's own tables (`sqlite_%`) and the shadow tables behind virtual tables (FTS indexes) are
 * internal and left out. A table SQLite cannot read here (a virtual table whose module sql.js lacks)
 * is still listed, with `error` saying why. Rows are not counted (`rows` is null): that reads every
 * table whole, so it is countTableRows's job, after the first rows are on screen.
 */
export function readSchema(db: SqlDatabase): SchemaInfo {
  const objects = listSchemaObjects(db);
  const inBulk = readInBulk(db, objects.filter((object) => !object.virtual));
  return { tables: objects.map((object) => inBulk?.get(object.name) ?? readTable(db, object)) };
}

/** readSchema with every table's exact row count, as `synclens inspect` reports it. */
export function readSchemaWithCounts(db: SqlDatabase): CountedSchemaInfo {
  const schema = readSchema(db);
  return withRowCounts(schema, countTableRows(db, schema.tables.map((table) => table.name)));
}

/** Exact row counts of these tables and views, in their order; one that cannot be counted says why. */
export function countTableRows(db: SqlDatabase, tables: readonly string[]): TableRowCount[] {
  const counts = countInBatches(db, tables);
  return tables.map((table) => {
    const count = counts.get(table) ?? 'not counted';
    return typeof count === 'number' ? { table, rows: count } : { table, error: count };
  });
}

/** The schema with these counts filled in; a table left uncounted or failing to count gets 0 and an error. */
export function withRowCounts(schema: SchemaInfo, counts: readonly TableRowCount[]): CountedSchemaInfo {
  const byTable = new Map(counts.map((count) => [count.table, count]));
  return {
    tables: schema.tables.map((table): CountedTableInfo => {
      const count = byTable.get(table.name);
      if (count && 'rows' in count) return { ...table, rows: count.rows };
      return { ...table, rows: table.rows ?? 0, error: table.error ?? (count ? count.error : 'not counted') };
    }),
  };
}

/** A table's column names in order, as pragma_table_info lists them (hidden columns left out). */
export function tableColumnNames(db: SqlDatabase, table: string): string[] {
  return queryAll(db, 'SELECT name FROM pragma_table_info(?)', [table]).rows.map(([name]) => String(name));
}

/** One table or view by exact name, with its row count, or null when it does not exist. */
export function readTableInfo(db: SqlDatabase, name: string): CountedTableInfo | null {
  const object = listSchemaObjects(db).find((candidate) => candidate.name === name);
  if (!object) return null;
  return withRowCounts({ tables: [readTable(db, object)] }, countTableRows(db, [name])).tables[0] ?? null;
}

/** A table's shape without its counts and indexes: cheap enough for every page turn. */
export interface TableShape {
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  columns: ColumnInfo[];
}

/** Shapes per database, dropped whenever SQLite's schema cookie changes (a DDL statement ran). */
const shapeCache = new WeakMap<SqlDatabase, { schemaVersion: number; shapes: Map<string, TableShape | null> }>();

export function describeTable(db: SqlDatabase, name: string): TableShape | null {
  const schemaVersion = asNumber(queryScalar(db, 'PRAGMA schema_version')) ?? 0;
  let cached = shapeCache.get(db);
  if (!cached || cached.schemaVersion !== schemaVersion) {
    cached = { schemaVersion, shapes: new Map() };
    shapeCache.set(db, cached);
  }
  if (!cached.shapes.has(name)) cached.shapes.set(name, readShape(db, name));
  return cached.shapes.get(name) ?? null;
}

function readShape(db: SqlDatabase, name: string): TableShape | null {
  const [row] = queryObjects(
    db,
    `SELECT type, wr FROM pragma_table_list WHERE schema = 'main' AND name = ? AND type IN ('table', 'view', 'virtual')`,
    [name],
  );
  if (!row) return null;
  return { name, kind: row.type === 'view' ? 'view' : 'table', withoutRowid: asNumber(row.wr) === 1, columns: readColumns(db, name) };
}

function listSchemaObjects(db: SqlDatabase): SchemaObject[] {
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
      virtual: row.type === 'virtual',
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

function readTable(db: SqlDatabase, object: SchemaObject): TableInfo {
  const table: TableInfo = {
    name: object.name,
    kind: object.kind,
    rows: null,
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
  } catch (error) {
    table.error = errorMessage(error);
  }
  return table;
}

// table_xinfo (not table_info) so generated columns are listed; hidden = 1 marks the hidden
// columns of virtual tables, which SELECT * does not return either.
const columnFields = 'p.name AS name, p.type AS type, p."notnull" AS "notnull", p.dflt_value AS dflt_value, p.pk AS pk, p.hidden AS hidden';

function readColumns(db: SqlDatabase, table: string): ColumnInfo[] {
  return columnsFromRows(queryObjects(db, `SELECT ${columnFields} FROM pragma_table_xinfo(?) AS p ORDER BY p.cid`, [table]));
}

function columnsFromRows(rows: readonly Record<string, SqlValue>[]): ColumnInfo[] {
  return rows
    .filter((row) => asNumber(row.hidden ?? null) !== 1)
    .map((row) => ({
      name: asText(row.name ?? null) ?? '',
      type: asText(row.type ?? null) ?? '',
      pk: asNumber(row.pk ?? null) ?? 0,
      notNull: asNumber(row.notnull ?? null) === 1,
      defaultValue: asText(row.dflt_value ?? null),
    }));
}

function readIndexes(db: SqlDatabase, table: string): IndexInfo[] {
  return queryObjects(db, 'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY seq DESC', [table]).map((row) =>
    indexFromRow(row, queryObjects(db, 'SELECT cid, name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [asText(row.name ?? null) ?? ''])),
  );
}

function indexFromRow(row: Record<string, SqlValue>, columnRows: readonly Record<string, SqlValue>[]): IndexInfo {
  return {
    name: asText(row.name ?? null) ?? '',
    unique: asNumber(row.unique ?? null) === 1,
    columns: columnRows.map((column) => asText(column.name ?? null) ?? (asNumber(column.cid ?? null) === -1 ? 'rowid' : '<expression>')),
    origin: asText(row.origin ?? null) ?? '',
    partial: asNumber(row.partial ?? null) === 1,
  };
}

function readForeignKeys(db: SqlDatabase, table: string): ForeignKeyInfo[] {
  const rows = queryObjects(db, 'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
    table,
  ]);
  return foreignKeysFromRows(rows, (parent) => primaryKeyColumns(db, parent));
}

function foreignKeysFromRows(rows: readonly Record<string, SqlValue>[], primaryKeyOf: (table: string) => string[]): ForeignKeyInfo[] {
  const byId = new Map<number, ForeignKeyInfo>();
  for (const row of rows) {
    const id = asNumber(row.id ?? null) ?? 0;
    let key = byId.get(id);
    if (!key) {
      key = {
        id,
        table: asText(row.table ?? null) ?? '',
        from: [],
        to: [],
        onUpdate: asText(row.on_update ?? null) ?? 'NO ACTION',
        onDelete: asText(row.on_delete ?? null) ?? 'NO ACTION',
      };
      byId.set(id, key);
    }
    key.from.push(asText(row.from ?? null) ?? '');
    key.to.push(asText(row.to ?? null) ?? '');
  }
  // `REFERENCES parent` without columns means the parent's primary key.
  for (const key of byId.values()) {
    if (key.to.every((column) => column === '')) {
      const parentKey = primaryKeyOf(key.table);
      if (parentKey.length === key.from.length) key.to = parentKey;
    }
  }
  return [...byId.values()];
}

function primaryKeyColumns(db: SqlDatabase, table: string): string[] {
  return queryObjects(db, 'SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [table]).map(
    (row) => asText(row.name) ?? '',
  );
}

function countAll(db: SqlDatabase, table: string): number {
  return asNumber(queryScalar(db, `SELECT count(*) FROM main.${quoteIdentifier(table)}`)) ?? 0;
}

/**
 * The whole schema in a handful of queries (table-valued pragmas joined over the list of names)
 * instead of five per table: a schema of thousands of tables reads in a fraction of the time.
 * Null when any of them fails (a view over a dropped table, say): then each table is read alone,
 * so one bad object cannot hide the others.
 */
function readInBulk(db: SqlDatabase, objects: readonly SchemaObject[]): Map<string, TableInfo> | null {
  if (objects.length === 0) return new Map();
  const names = JSON.stringify(objects.map((object) => object.name));
  const tableNames = JSON.stringify(objects.filter((object) => object.kind === 'table').map((object) => object.name));
  let columnRows: Record<string, SqlValue>[];
  let indexRows: Record<string, SqlValue>[];
  let indexColumnRows: Record<string, SqlValue>[];
  let foreignKeyRows: Record<string, SqlValue>[];
  try {
    columnRows = queryObjects(db, `SELECT j.value AS owner, ${columnFields} FROM json_each(?) AS j JOIN pragma_table_xinfo(j.value) AS p ORDER BY j.key, p.cid`, [names]);
    indexRows = queryObjects(
      db,
      `SELECT j.value AS owner, i.name AS name, i."unique" AS "unique", i.origin AS origin, i.partial AS partial
         FROM json_each(?) AS j JOIN pragma_index_list(j.value) AS i ORDER BY j.key, i.seq DESC`,
      [tableNames],
    );
    indexColumnRows = queryObjects(
      db,
      `SELECT i.name AS owner, x.cid AS cid, x.name AS name
         FROM json_each(?) AS j JOIN pragma_index_list(j.value) AS i JOIN pragma_index_xinfo(i.name) AS x
        WHERE x.key = 1 ORDER BY j.key, i.seq DESC, x.seqno`,
      [tableNames],
    );
    foreignKeyRows = queryObjects(
      db,
      `SELECT j.value AS owner, f.id AS id, f.seq AS seq, f."table" AS "table", f."from" AS "from", f."to" AS "to", f.on_update AS on_update, f.on_delete AS on_delete
         FROM json_each(?) AS j JOIN pragma_foreign_key_list(j.value) AS f ORDER BY j.key, f.id, f.seq`,
      [tableNames],
    );
  } catch {
    return null;
  }
  const columns = groupBy(columnRows);
  const indexColumns = groupBy(indexColumnRows);
  const indexes = groupBy(indexRows);
  const foreignKeys = groupBy(foreignKeyRows);
  const primaryKeyOf = (table: string): string[] => {
    const known = columns.get(table);
    if (!known) return primaryKeyColumns(db, table);
    return columnsFromRows(known).filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
  };
  return new Map(
    objects.map((object): [string, TableInfo] => {
      const table: TableInfo = {
        name: object.name,
        kind: object.kind,
        rows: null,
        columns: columnsFromRows(columns.get(object.name) ?? []),
        indexes: (indexes.get(object.name) ?? []).map((row) => indexFromRow(row, indexColumns.get(asText(row.name ?? null) ?? '') ?? [])),
        foreignKeys: foreignKeysFromRows(foreignKeys.get(object.name) ?? [], primaryKeyOf),
        withoutRowid: object.withoutRowid,
        sql: object.sql,
      };
      return [object.name, table];
    }),
  );
}

function groupBy(rows: readonly Record<string, SqlValue>[]): Map<string, Record<string, SqlValue>[]> {
  const groups = new Map<string, Record<string, SqlValue>[]>();
  for (const row of rows) {
    const owner = asText(row.owner ?? null) ?? '';
    const group = groups.get(owner);
    if (group) group.push(row);
    else groups.set(owner, [row]);
  }
  return groups;
}

/** Exact counts, a hundred tables per UNION ALL; a batch that fails is counted table by table. */
function countInBatches(db: SqlDatabase, tables: readonly string[]): Map<string, number | string> {
  const counts = new Map<string, number | string>();
  const batchSize = 100;
  for (let start = 0; start < tables.length; start += batchSize) {
    const batch = tables.slice(start, start + batchSize);
    try {
      const sql = batch.map((table, index) => `SELECT ${index} AS position, count(*) AS rows FROM main.${quoteIdentifier(table)}`).join(' UNION ALL ');
      for (const row of queryObjects(db, sql)) {
        const table = batch[asNumber(row.position ?? null) ?? -1];
        if (table !== undefined) counts.set(table, asNumber(row.rows ?? null) ?? 0);
      }
    } catch {
      for (const table of batch) {
        try {
          counts.set(table, countAll(db, table));
        } catch (error) {
          counts.set(table, errorMessage(error));
        }
      }
    }
  }
  return counts;
}
