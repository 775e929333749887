// The diff of two database files: schema first, then every table's rows matched by primary key.
// Both files are opened read-only, page by page (their -wal applied), and read in key order.
import { openDatabaseFile, type OpenDatabaseOptions, type OpenedDatabase } from '../db/open';
import { diffTableRows, type RowDiffOptions } from './rowDiff';
import { diffSchemas, readSchemaSide } from './schemaDiff';
import type { DatabaseDiff, TableDiff } from './types';

export interface DiffOptions extends RowDiffOptions {
  readonly applyWal?: boolean;
  /** Called as each table's rows are compared. */
  readonly onTable?: (name: string) => void;
}

export function diffOpenedDatabases(before: OpenedDatabase, after: OpenedDatabase, options: DiffOptions = {}): DatabaseDiff {
  const beforeSchema = before.read((db) => readSchemaSide(db));
  const afterSchema = after.read((db) => readSchemaSide(db));
  const schema = diffSchemas(beforeSchema, afterSchema);
  const names = [...new Set([...beforeSchema.tables.keys(), ...afterSchema.tables.keys()])].sort();
  const tables: TableDiff[] = [];
  for (const name of names) {
    options.onTable?.(name);
    const was = beforeSchema.tables.get(name);
    const is = afterSchema.tables.get(name);
    const unreadable = was?.error ?? is?.error;
    if (unreadable) {
      tables.push({ name, key: null, added: 0, removed: 0, changed: 0, unchanged: 0, rows: [], warnings: [`SQLite cannot read this table here: ${unreadable}`] });
      continue;
    }
    tables.push(diffTableRows(name, was ? { file: before, table: was } : null, is ? { file: after, table: is } : null, options));
  }
  return { schema, tables };
}

/** Opens both files and diffs them; `before` is the older snapshot (before a migration or a sync). */
export async function diffDatabaseFiles(beforePath: string, afterPath: string, options: DiffOptions & Pick<OpenDatabaseOptions, 'applyWal'> = {}): Promise<DatabaseDiff> {
  const before = await openDatabaseFile(beforePath, { applyWal: options.applyWal });
  try {
    const after = await openDatabaseFile(afterPath, { applyWal: options.applyWal });
    try {
      return diffOpenedDatabases(before, after, options);
    } finally {
      after.close();
    }
  } finally {
    before.close();
  }
}
