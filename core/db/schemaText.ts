// SQLite keeps the names of tables and columns as the bytes of the CREATE statements in
// sqlite_schema and never checks that they are text. JavaScript strings, and so every statement
// SyncLens builds, are Unicode: a byte that is not UTF-8 reads as U+FFFD and the name read back no
// longer names anything ("no such column"). Such a schema is damaged (a changed byte in page 1 or
// the schema's pages), so it is reported as the file's problem when it is opened, not met later as
// a failing query.
import { basename } from 'node:path';
import { DatabaseFileError } from './errors';
import { queryAll, queryScalar } from './query';
import type { SqlDatabase } from './sqlDatabase';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: unknown): boolean {
  if (!(bytes instanceof Uint8Array)) return true;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Throws a 'corrupt' DatabaseFileError naming the first schema entry whose name or statement is not UTF-8. */
export function assertSchemaIsText(db: SqlDatabase, file: string): void {
  // A UTF-16 database stores text as UTF-16, which SQLite itself converts: only UTF-8 files keep raw bytes.
  if (queryScalar(db, 'PRAGMA encoding') !== 'UTF-8') return;
  const { rows } = queryAll(db, 'SELECT type, CAST(name AS BLOB), CAST(tbl_name AS BLOB), CAST(sql AS BLOB) FROM sqlite_schema');
  for (const [type, name, table, sql] of rows) {
    const part = !isUtf8(name) ? 'name' : !isUtf8(table) ? 'table name' : !isUtf8(sql) ? 'CREATE statement' : null;
    if (part === null) continue;
    const shown = new TextDecoder().decode(name instanceof Uint8Array ? name : new Uint8Array());
    throw new DatabaseFileError(
      'corrupt',
      file,
      `${basename(file)} is corrupt: the ${part} of its schema entry for ${String(type)} "${shown}" is not UTF-8 text (a damaged byte in the schema), so what it names cannot be read. ` +
        'Restore it from a backup, or copy it again together with its -wal.',
    );
  }
}
