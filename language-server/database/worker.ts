// Runs in a worker thread of the language server, so loading a large database or running a slow
// query never blocks completion. The schema worker keeps, per database, a schema-only copy (the
// CREATE statements of sqlite_schema replayed into an empty in-memory database): statements are
// prepared against it, which is all diagnostics need, at a fraction of the file's memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { errorCode, errorMessage } from '../../core/errors';
import type { Database } from 'sql.js';
import { countedSchema, openAppDatabase } from '../../core/db/appDatabase';
import { currentRow, queryAll, quoteIdentifier } from '../../core/db/query';
import { roleOfTable } from '../../core/db/roles';
import type { SqlDatabase } from '../../core/db/sqlDatabase';
import { loadSqlJs } from '../../core/db/sqlite';
import { writeDatabaseAtomically } from '../../core/db/writeBack';
import { detectTimestampEncoding, hasTimestampName } from '../../core/db/timestamps';
import type { CountedTableInfo, SqlValue, SyncRoles, TimestampEncoding } from '../../core/db/types';
import { resultTableName, type ResultCell, type RunStatementResult } from '../../core/protocol/languageServer';
import { setWriteRecoveryLog } from '../../core/db/writeRecovery';
import type { SchemaSnapshot, SnapshotTable, StatementCheck, WorkerLogLine, WorkerRequest, WorkerResponse } from './workerProtocol';

const schemaCopies = new Map<string, Promise<Database>>();

export function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  // To the server's log (the client's output channel), not the worker's stderr.
  setWriteRecoveryLog((message) => port.postMessage({ kind: 'log', message } satisfies WorkerLogLine));
  port.on('message', (request: WorkerRequest) => {
    handle(request).then(
      (response) => port.postMessage(response),
      (error: unknown) => port.postMessage({ id: request.id, kind: 'failed', code: errorCode(error) ?? 'internal', message: errorMessage(error) } satisfies WorkerResponse),
    );
  });
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  switch (request.kind) {
    case 'load':
      return { id: request.id, kind: 'load', snapshot: await loadSnapshot(request.path) };
    case 'check':
      return { id: request.id, kind: 'check', checks: await checkStatements(request.path, request.statements) };
    case 'run':
      return { id: request.id, kind: 'run', result: await runStatement(request) };
  }
}

/** Roles and encodings as the database's synclens.json sets them, like every other view of it. */
async function loadSnapshot(path: string): Promise<SchemaSnapshot> {
  const started = performance.now();
  const app = await openAppDatabase(path, { quickCheck: false, analyzeQueue: false });
  const { file: opened, roles } = app;
  try {
    const schema = countedSchema(app);
    const tables = schema.tables.map((table) => snapshotTable(opened.db, table, roles));
    const definitions = schemaDefinitions(opened.db);
    const previous = schemaCopies.get(path);
    // Built after this answer is posted: completion and hover need only the snapshot.
    schemaCopies.set(path, new Promise((resolve, reject) => setImmediate(() => schemaOnlyCopy(definitions).then(resolve, reject))));
    void previous?.then((copy) => copy.close(), () => undefined);
    return { path, tables, roles, walFramesApplied: opened.walFramesApplied, loadMs: performance.now() - started };
  } finally {
    opened.close();
  }
}

function snapshotTable(db: SqlDatabase, table: CountedTableInfo, roles: SyncRoles): SnapshotTable {
  const known = roleEncodings(roles, table.name);
  return {
    name: table.name,
    kind: table.kind,
    rows: table.rows,
    role: roleOfTable(roles, table.name),
    columns: table.columns.map((column) => ({
      ...column,
      timestampEncoding: known[column.name] ?? (hasTimestampName(column.name) && !table.error ? sampleEncoding(db, table.name, column.name) : null),
    })),
    ...(table.error === undefined ? {} : { error: table.error }),
  };
}

function roleEncodings(roles: SyncRoles, table: string): Record<string, TimestampEncoding> {
  if (roles.queue?.table === table) return roles.queue.timestampEncodings;
  return roles.entities.find((entity) => entity.table === table)?.timestampEncodings ?? {};
}

function sampleEncoding(db: SqlDatabase, table: string, column: string): TimestampEncoding | null {
  try {
    const sample = queryAll(db, `SELECT ${quoteIdentifier(column)} FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(column)} IS NOT NULL LIMIT 20`);
    return detectTimestampEncoding(
      sample.rows.map((row) => row[0]),
      column,
    );
  } catch {
    return null;
  }
}

function schemaDefinitions(source: SqlDatabase): string[] {
  return queryAll(
    source,
    `SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
      ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, rowid`,
  ).rows.map((row) => String(row[0]));
}

/** Replays the schema (tables, then views, indexes and triggers) into an empty database. */
async function schemaOnlyCopy(definitions: readonly string[]): Promise<Database> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database();
  copy.run('BEGIN');
  for (const sql of definitions) {
    try {
      copy.run(sql);
    } catch {
      // A virtual table whose module sql.js lacks, or a view over it: statements using it will
      // report "no such table", which is what SQLite here would say too.
    }
  }
  copy.run('COMMIT');
  return copy;
}

async function checkStatements(path: string, statements: readonly string[]): Promise<StatementCheck[]> {
  const pending = schemaCopies.get(path);
  if (!pending) throw new Error(`the schema of ${path} is not loaded`);
  const copy = await pending;
  return statements.map((sql) => {
    try {
      copy.prepare(sql).free();
    } catch (error) {
      return { error: errorMessage(error), readOnly: true };
    }
    return { error: null, readOnly: isReadOnly(copy, sql) };
  });
}

const transactionControl = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|ATTACH|DETACH|VACUUM|REINDEX|ANALYZE)\b/i;
const writingOpcodes = new Set(['OpenWrite', 'VUpdate', 'VCreate', 'VDestroy', 'Destroy', 'Clear', 'DropTable', 'ParseSchema', 'SetCookie']);

/**
 * sql.js does not expose sqlite3_stmt_readonly, so the statement's bytecode decides: a write
 * opens a write transaction or a cursor for writing. Transaction control and maintenance count as
 * writes so they are never run without asking.
 */
export function isReadOnly(db: Database, sql: string): boolean {
  if (transactionControl.test(sql)) return false;
  if (/^\s*EXPLAIN\b/i.test(sql)) return true;
  const statement = db.prepare(`EXPLAIN ${sql}`);
  try {
    while (statement.step()) {
      const [, opcode, , p2] = statement.get();
      if (writingOpcodes.has(String(opcode))) return false;
      if (opcode === 'Transaction' && p2 !== 0) return false;
    }
    return true;
  } finally {
    statement.free();
  }
}

async function runStatement(request: Extract<WorkerRequest, { kind: 'run' }>): Promise<RunStatementResult> {
  const started = performance.now();
  // Only the file matters to a statement, so a synclens.json problem (which the snapshot reports) does not stop it.
  const { file: opened } = await openAppDatabase(request.path, { quickCheck: false, config: 'none', analyzeQueue: false });
  try {
    if (!request.write) {
      const statement = opened.db.prepare(request.sql);
      try {
        const rows: ResultCell[][] = [];
        let truncated = false;
        const values: SqlValue[][] = [];
        while (statement.step()) {
          if (values.length === request.rowLimit) {
            truncated = true;
            break;
          }
          values.push(currentRow(statement));
        }
        for (const row of values) rows.push(row.map(toResultCell));
        const columns = statement.getColumnNames();
        const resultFile = request.resultFile && (await writeResultFile(request.resultFile, columns, values));
        return {
          kind: 'rows',
          database: request.path,
          sql: request.sql,
          columns,
          rows,
          truncated,
          rowLimit: request.rowLimit,
          elapsedMs: performance.now() - started,
          resultFile,
        };
      } finally {
        statement.free();
      }
    }
    opened.db.run(request.sql);
    const changes = opened.db.getRowsModified();
    const written = await writeDatabaseAtomically(opened, { allowLive: request.allowLive, backupLocation: request.backupLocation });
    return { kind: 'written', database: request.path, sql: request.sql, changes, backup: written.backupPath, elapsedMs: performance.now() - started };
  } finally {
    opened.close();
  }
}

/** The rows as table `result` of a new SQLite file, so the data grid can page, sort and export them. */
async function writeResultFile(path: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<string | null> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    const names = uniqueColumnNames(columns);
    db.run(`CREATE TABLE ${quoteIdentifier(resultTableName)} (${names.map(quoteIdentifier).join(', ')})`);
    if (names.length > 0) {
      const insert = db.prepare(`INSERT INTO ${quoteIdentifier(resultTableName)} VALUES (${names.map(() => '?').join(', ')})`);
      try {
        db.run('BEGIN');
        for (const row of rows) insert.run(row.map((value) => (typeof value === 'bigint' ? value.toString() : value)));
        db.run('COMMIT');
      } finally {
        insert.free();
      }
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, db.export());
    return path;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** `SELECT a.id, b.id` names two columns `id`: later ones get a suffix so the table can hold them. */
function uniqueColumnNames(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((column) => {
    let name = column || 'column';
    for (let suffix = 2; used.has(name.toLowerCase()); suffix++) name = `${column} (${suffix})`;
    used.add(name.toLowerCase());
    return name;
  });
}

function toResultCell(value: SqlValue): ResultCell {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, 32)).toString('hex');
    return { blob: { bytes: value.byteLength, hex } };
  }
  return value;
}
