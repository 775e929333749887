// The row side of a diff: one table of two files read in key order, a bounded page at a time from
// each (core/db/keyedPages.ts), and merged like two sorted lists: a key only in the first file is a
// removed row, only in the second an added one, in both a row whose compared fields may differ.
// Memory holds one page of each file and the first few changes, whatever the tables' sizes.
import { createHash } from 'node:crypto';
import { compareKeys, isKnownCollation, readKeyedPages, tableKey, type TableKey } from '../db/keyedPages';
import type { OpenedDatabase } from '../db/open';
import { quoteIdentifier } from '../db/query';
import type { SqlValue, TableInfo } from '../db/types';
import { toJsonValue } from '../engine/taggedValues';
import type { ChangeKind, DiffValue, FieldChange, RowChange, TableDiff } from './types';

export interface RowDiffOptions {
  /** Changes listed per table (default 20); all are counted. */
  readonly maxRows?: number;
  readonly signal?: AbortSignal;
}

/** A side of the diff: the file and its table, or null when the table is only in the other file. */
export interface TableSide {
  readonly file: OpenedDatabase;
  readonly table: TableInfo;
}

const largeBlobBytes = 1024;
const defaultMaxRows = 20;

/** A cell as JSON; a BLOB over 1 KiB as its size and SHA-256, so a changed photo costs a line. */
export function diffValue(value: SqlValue): DiffValue {
  if (value instanceof Uint8Array && value.byteLength > largeBlobBytes) {
    return { $bytesSummary: { size: value.byteLength, sha256: createHash('sha256').update(value).digest('hex') } };
  }
  return toJsonValue(value);
}

function sameValue(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
  return false;
}

function sameKey(a: TableKey, b: TableKey): boolean {
  return a.kind === b.kind && a.columns.length === b.columns.length && a.columns.every((column, index) => column === b.columns[index] && a.collations[index] === b.collations[index]);
}

/** The key both files' rows are matched by, and why it is not their primary key when it is not. */
function chooseKey(before: TableSide | null, after: TableSide | null): { key: TableKey | null; warnings: string[] } {
  const keyOf = (side: TableSide): TableKey | null => side.file.read((db) => tableKey(db, side.table.name, side.table.columns, side.table.withoutRowid));
  const beforeKey = before ? keyOf(before) : null;
  const afterKey = after ? keyOf(after) : null;
  const warnings: string[] = [];
  let key: TableKey | null;
  if (before && after) {
    if (beforeKey && afterKey && sameKey(beforeKey, afterKey)) key = afterKey;
    else if (!before.table.withoutRowid && !after.table.withoutRowid) {
      const rowidName = ['rowid', '_rowid_', 'oid'].find((name) => [...before.table.columns, ...after.table.columns].every((column) => column.name.toLowerCase() !== name));
      key = rowidName ? { kind: 'rowid', columns: [rowidName], collations: ['BINARY'] } : null;
      warnings.push(`the primary key differs between the files (${beforeKey?.columns.join(', ') ?? 'none'} -> ${afterKey?.columns.join(', ') ?? 'none'}): rows are matched by rowid`);
    } else {
      key = null;
      warnings.push('the primary key differs between the files and one of them is WITHOUT ROWID: rows are not compared');
    }
  } else key = beforeKey ?? afterKey;
  if (key?.kind === 'rowid' && warnings.length === 0) warnings.push('no primary key: rows are matched by rowid, which a VACUUM may renumber');
  if (key && !key.collations.every(isKnownCollation)) {
    warnings.push(`the primary key uses the collation ${key.collations.find((collation) => !isKnownCollation(collation))}, which SyncLens cannot order by: rows are not compared`);
    key = null;
  }
  return { key, warnings };
}

/** Rows in key order, each its key values first and then the compared columns'. */
function* rowsOf(side: TableSide | null, key: TableKey, columns: readonly string[]): Generator<SqlValue[]> {
  if (!side) return;
  for (const page of readKeyedPages(side.file, side.table.name, key, { select: columns.map(quoteIdentifier) })) yield* page.rows;
}

/** Compares the rows of one table in two files (either side may lack it: all its rows added or removed). */
export function diffTableRows(name: string, before: TableSide | null, after: TableSide | null, options: RowDiffOptions = {}): TableDiff {
  const maxRows = options.maxRows ?? defaultMaxRows;
  const { key, warnings } = chooseKey(before, after);
  if (!key) return { name, key: null, added: 0, removed: 0, changed: 0, unchanged: 0, rows: [], warnings };
  const beforeNames = new Set(before?.table.columns.map((column) => column.name) ?? []);
  const columns = before && after ? after.table.columns.map((column) => column.name).filter((column) => beforeNames.has(column)) : (before ?? after)!.table.columns.map((column) => column.name);
  if (before && after && (columns.length < before.table.columns.length || columns.length < after.table.columns.length)) {
    warnings.push('columns in one file only are left out of the row comparison (see the schema changes)');
  }
  const rows: RowChange[] = [];
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const keyJson = (values: readonly SqlValue[]): Record<string, DiffValue> => Object.fromEntries(key.columns.map((column, index) => [column, diffValue(values[index] ?? null)]));
  const record = (change: ChangeKind, keyValues: readonly SqlValue[], fields: () => FieldChange[]): void => {
    counts[change] += 1;
    if (rows.length < maxRows) rows.push({ change, key: keyJson(keyValues), fields: fields() });
  };
  const first = key.columns.length;
  const whole = (row: readonly SqlValue[], side: 'before' | 'after'): FieldChange[] =>
    columns.map((column, index) => {
      const value = diffValue(row[first + index] ?? null);
      return { column, before: side === 'before' ? value : null, after: side === 'after' ? value : null };
    });

  const beforeRows = rowsOf(before, key, columns);
  const afterRows = rowsOf(after, key, columns);
  let was = beforeRows.next();
  let is = afterRows.next();
  let steps = 0;
  while (!was.done || !is.done) {
    if ((++steps & 0xfff) === 0) options.signal?.throwIfAborted();
    const order = was.done ? 1 : is.done ? -1 : compareKeys(was.value, is.value, key.collations);
    if (order < 0) {
      const removed = was.value!;
      record('removed', removed, () => whole(removed, 'before'));
      was = beforeRows.next();
    } else if (order > 0) {
      const added = is.value!;
      record('added', added, () => whole(added, 'after'));
      is = afterRows.next();
    } else {
      const old = was.value!;
      const current = is.value!;
      let differs = false;
      for (let index = first; index < old.length; index++) {
        if (!sameValue(old[index] ?? null, current[index] ?? null)) {
          differs = true;
          break;
        }
      }
      if (differs) {
        record('changed', current, () =>
          columns.flatMap((column, index) => {
            const before = old[first + index] ?? null;
            const after = current[first + index] ?? null;
            return sameValue(before, after) ? [] : [{ column, before: diffValue(before), after: diffValue(after) }];
          }),
        );
      } else counts.unchanged += 1;
      was = beforeRows.next();
      is = afterRows.next();
    }
  }
  return { name, key: { kind: key.kind, columns: key.columns }, ...counts, rows, warnings };
}
