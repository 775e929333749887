// The schema side of a diff: tables, views, columns (type, primary key, not null, default), indexes
// and triggers of two databases, matched by name. A renamed object is one removed and one added:
// nothing in a schema says two names are the same thing.
import { asText, queryObjects } from '../db/query';
import { readSchema } from '../db/schema';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { ColumnInfo, IndexInfo, TableInfo } from '../db/types';
import type { ColumnShape, SchemaChange, SchemaDiff } from './types';

export interface SchemaSide {
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly views: ReadonlyMap<string, TableInfo>;
  readonly indexes: ReadonlyMap<string, { table: string; info: IndexInfo; sql: string | null }>;
  readonly triggers: ReadonlyMap<string, { table: string; sql: string }>;
}

export function readSchemaSide(db: SqlDatabase): SchemaSide {
  const schema = readSchema(db);
  const tables = new Map(schema.tables.filter((table) => table.kind === 'table').map((table) => [table.name, table]));
  const views = new Map(schema.tables.filter((table) => table.kind === 'view').map((table) => [table.name, table]));
  const indexSql = new Map(
    queryObjects(db, `SELECT name, sql FROM sqlite_schema WHERE type = 'index'`).map((row) => [asText(row.name ?? null) ?? '', asText(row.sql ?? null)]),
  );
  const indexes = new Map<string, { table: string; info: IndexInfo; sql: string | null }>();
  for (const table of tables.values()) for (const info of table.indexes) indexes.set(info.name, { table: table.name, info, sql: indexSql.get(info.name) ?? null });
  const triggers = new Map(
    queryObjects(db, `SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'`).map((row) => [
      asText(row.name ?? null) ?? '',
      { table: asText(row.tbl_name ?? null) ?? '', sql: asText(row.sql ?? null) ?? '' },
    ]),
  );
  return { tables, views, indexes, triggers };
}

export function columnShape(column: ColumnInfo): ColumnShape {
  return { type: column.type, pk: column.pk, notNull: column.notNull, default: column.defaultValue };
}

function shapeText(shape: ColumnShape): string {
  return [shape.type || 'no type', shape.pk > 0 ? `primary key${shape.pk > 1 ? ` #${shape.pk}` : ''}` : '', shape.notNull ? 'not null' : '', shape.default !== null ? `default ${shape.default}` : '']
    .filter((part) => part !== '')
    .join(', ');
}

function columnChange(before: ColumnShape, after: ColumnShape): string | null {
  const parts: string[] = [];
  if (before.type !== after.type) parts.push(`type ${before.type || 'none'} -> ${after.type || 'none'}`);
  if (before.pk !== after.pk) parts.push(after.pk > 0 ? (before.pk > 0 ? `primary key position ${before.pk} -> ${after.pk}` : 'now in the primary key') : 'no longer in the primary key');
  if (before.notNull !== after.notNull) parts.push(after.notNull ? 'not null added' : 'not null dropped');
  if (before.default !== after.default) parts.push(`default ${before.default ?? 'none'} -> ${after.default ?? 'none'}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Whitespace and case of keywords aside, two definitions say the same. */
function sameSql(a: string | null, b: string | null): boolean {
  const normal = (sql: string | null): string => (sql ?? '').replace(/\s+/g, ' ').replace(/\s*([(),;])\s*/g, '$1').trim();
  return normal(a) === normal(b);
}

function byName<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): { added: string[]; removed: string[]; common: string[] } {
  const sorted = (names: Iterable<string>): string[] => [...names].sort();
  return {
    added: sorted([...after.keys()].filter((name) => !before.has(name))),
    removed: sorted([...before.keys()].filter((name) => !after.has(name))),
    common: sorted([...before.keys()].filter((name) => after.has(name))),
  };
}

function tableChanges(name: string, before: TableInfo, after: TableInfo): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const beforeColumns = new Map(before.columns.map((column) => [column.name, columnShape(column)]));
  const afterColumns = new Map(after.columns.map((column) => [column.name, columnShape(column)]));
  const columns = byName(beforeColumns, afterColumns);
  for (const column of columns.removed) changes.push({ object: 'column', name: column, table: name, change: 'removed', detail: shapeText(beforeColumns.get(column)!) });
  for (const column of columns.added) changes.push({ object: 'column', name: column, table: name, change: 'added', detail: shapeText(afterColumns.get(column)!) });
  for (const column of columns.common) {
    const detail = columnChange(beforeColumns.get(column)!, afterColumns.get(column)!);
    if (detail) changes.push({ object: 'column', name: column, table: name, change: 'changed', detail });
  }
  const tableDetails: string[] = [];
  if (before.withoutRowid !== after.withoutRowid) tableDetails.push(after.withoutRowid ? 'now WITHOUT ROWID' : 'no longer WITHOUT ROWID');
  if (changes.length === 0 && tableDetails.length === 0 && !sameSql(before.sql, after.sql)) tableDetails.push('definition changed (constraints)');
  if (tableDetails.length > 0) changes.unshift({ object: 'table', name, table: null, change: 'changed', detail: tableDetails.join(', ') });
  return changes;
}

export function diffSchemas(before: SchemaSide, after: SchemaSide): SchemaDiff {
  const changes: SchemaChange[] = [];
  const tables = byName(before.tables, after.tables);
  for (const name of tables.removed) changes.push({ object: 'table', name, table: null, change: 'removed', detail: `${before.tables.get(name)!.columns.length} columns` });
  for (const name of tables.added) changes.push({ object: 'table', name, table: null, change: 'added', detail: `${after.tables.get(name)!.columns.length} columns` });
  for (const name of tables.common) changes.push(...tableChanges(name, before.tables.get(name)!, after.tables.get(name)!));

  const views = byName(before.views, after.views);
  for (const name of views.removed) changes.push({ object: 'view', name, table: null, change: 'removed', detail: 'view' });
  for (const name of views.added) changes.push({ object: 'view', name, table: null, change: 'added', detail: 'view' });
  for (const name of views.common) {
    if (!sameSql(before.views.get(name)!.sql, after.views.get(name)!.sql)) changes.push({ object: 'view', name, table: null, change: 'changed', detail: 'definition changed' });
  }

  const indexes = byName(before.indexes, after.indexes);
  const indexText = (index: { info: IndexInfo }): string => `${index.info.unique ? 'unique ' : ''}on (${index.info.columns.join(', ')})${index.info.partial ? ' partial' : ''}`;
  for (const name of indexes.removed) changes.push({ object: 'index', name, table: before.indexes.get(name)!.table, change: 'removed', detail: indexText(before.indexes.get(name)!) });
  for (const name of indexes.added) changes.push({ object: 'index', name, table: after.indexes.get(name)!.table, change: 'added', detail: indexText(after.indexes.get(name)!) });
  for (const name of indexes.common) {
    const was = before.indexes.get(name)!;
    const is = after.indexes.get(name)!;
    if (indexText(was) !== indexText(is) || was.table !== is.table || !sameSql(was.sql, is.sql)) {
      changes.push({ object: 'index', name, table: is.table, change: 'changed', detail: `${indexText(was)} -> ${indexText(is)}` });
    }
  }

  const triggers = byName(before.triggers, after.triggers);
  for (const name of triggers.removed) changes.push({ object: 'trigger', name, table: before.triggers.get(name)!.table, change: 'removed', detail: 'trigger' });
  for (const name of triggers.added) changes.push({ object: 'trigger', name, table: after.triggers.get(name)!.table, change: 'added', detail: 'trigger' });
  for (const name of triggers.common) {
    if (!sameSql(before.triggers.get(name)!.sql, after.triggers.get(name)!.sql)) changes.push({ object: 'trigger', name, table: after.triggers.get(name)!.table, change: 'changed', detail: 'definition changed' });
  }
  return { changes };
}
