// What the diff of two databases reports (core/diff/diffDatabases.ts): the schema's changes, and per
// table the rows added, removed and changed, matched by primary key, with a field-level diff.
import type { JsonValue } from '../protocol/taggedValues';

export type SchemaObjectKind = 'table' | 'view' | 'index' | 'trigger' | 'column';
export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ColumnShape {
  readonly type: string;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly pk: number;
  readonly notNull: boolean;
  readonly default: string | null;
}

/** One schema object added, removed or changed; a renamed column or table is removed + added. */
export interface SchemaChange {
  readonly object: SchemaObjectKind;
  /** The object's name (a column's own name; `table` names its table). */
  readonly name: string;
  /** The table a column, index or trigger belongs to; null for tables and views. */
  readonly table: string | null;
  readonly change: ChangeKind;
  /** One line: what changed (`type TEXT -> INTEGER, not null added`). */
  readonly detail: string;
}

export interface SchemaDiff {
  readonly changes: SchemaChange[];
}

/** A cell as JSON: documentValue's tags, a BLOB over 1 KiB as its size and SHA-256 only. */
export type DiffValue = JsonValue;

export interface FieldChange {
  readonly column: string;
  readonly before: DiffValue;
  readonly after: DiffValue;
}

export interface RowChange {
  readonly change: ChangeKind;
  /** The row's key by column (`rowid` when the table has no primary key). */
  readonly key: Readonly<Record<string, DiffValue>>;
  /** Changed rows: only the fields that differ. Added and removed rows: every compared column. */
  readonly fields: FieldChange[];
}

export interface TableDiff {
  readonly name: string;
  /** What rows are matched by: the primary key, or the rowid (with a warning). Null when rows were not compared. */
  readonly key: { readonly kind: 'primary-key' | 'rowid'; readonly columns: readonly string[] } | null;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  /** The first changes in key order (DiffOptions.maxRows). */
  readonly rows: RowChange[];
  /** Why rows were matched by rowid, compared on fewer columns, or not compared. */
  readonly warnings: string[];
}

export interface DatabaseDiff {
  readonly schema: SchemaDiff;
  /** Tables in either file, by name; a table in one file only has all its rows added or removed. */
  readonly tables: TableDiff[];
}
