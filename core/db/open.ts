// Opens an app's database read-only: the file (and its -wal / hot -journal) are read into memory
// once, classified, replayed and handed to sql.js as an in-memory image. Nothing is ever written
// beside the user's file: no -shm, no -journal, no checkpoint — sql.js only ever sees a private copy.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Database } from 'sql.js';
import { classifyDatabaseBytes, hasSqliteMagic, readSqliteHeader, sizeText, type SqliteHeader } from './classify';
import { DatabaseFileError } from './errors';
import { loadSqlJs } from './sqlite';
import { rollBackJournal, type JournalRollback } from './journal';
import { journalPathOf, readDatabaseAndWal, walPathOf, type FileStamp, type FileVersion } from './stamp';
import { applyWal, withRollbackJournalHeader, type WalReplay } from './wal';

export interface OpenDatabaseOptions {
  /** Replay the committed frames of `<path>-wal` (default true), as the app itself would see them. */
  applyWal?: boolean;
  /** Refuse files (database + -wal) larger than this, since the whole file is loaded into memory. */
  maxBytes?: number;
  /**
   * Run `PRAGMA quick_check` after loading (default true). It reads every page: on a 157 MB,
   * 1,000,000-row file it takes about 2 s in sql.js, several times the load itself (native sqlite3:
   * 0.5 s). Callers that reopen bytes already checked, or must answer fast, may skip it; a corrupt
   * page then surfaces as 'database disk image is malformed' from the query that meets it.
   */
  quickCheck?: boolean;
  /** Roll back a hot `<path>-journal` in memory (default true), as SQLite's first reader would. */
  rollBackJournal?: boolean;
}

export interface LoadedDatabase {
  /** In-memory sql.js database. Its journal mode is never WAL, whatever the file's header says. */
  db: Database;
  walFramesApplied: number;
  /** What replaying the -wal did, or null when no -wal was read. */
  wal: WalReplay | null;
  /** What rolling back a hot -journal did, or null when there was none. */
  journal: JournalRollback | null;
  /** The file's own SQLite header (before the WAL was applied), or null for a WAL-only database. */
  sourceHeader: SqliteHeader | null;
  close(): void;
}

export interface OpenedDatabase extends LoadedDatabase {
  path: string;
  /** What the file and its -wal looked like when read; updated by a write-back. */
  stamp: FileStamp;
}

export interface OpenedDatabaseBytes extends LoadedDatabase {
  label: string;
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function unreadable(path: string, error: unknown): DatabaseFileError {
  const name = basename(path);
  const code = errnoOf(error);
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EISDIR'
        ? 'is a folder, not a database file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read: permission denied'
          : `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return new DatabaseFileError('unreadable', path, `${name} ${why}.`);
}

async function fileSize(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return stats.size;
  } finally {
    await handle.close();
  }
}

/** Reads `path` (and its -wal / -journal) into memory, classifies it, applies them and loads it into sql.js. */
export async function openDatabaseFile(path: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  let main: { bytes: Uint8Array; version: FileVersion };
  let wal: { bytes: Uint8Array; version: FileVersion } | null;
  let journal: { bytes: Uint8Array; version: FileVersion } | null;
  try {
    const size = await fileSize(path);
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      throw new DatabaseFileError(
        'too-large',
        path,
        `${basename(path)} is ${sizeText(size)}, over the ${sizeText(options.maxBytes)} limit for opening a database (it is loaded into memory whole). Raise the limit to open it.`,
      );
    }
    ({ main, wal, journal } = await readDatabaseAndWal(path));
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    throw unreadable(errnoOf(error) === undefined ? path : pathOfFailure(error, path), error);
  }
  if (options.maxBytes !== undefined && wal && main.bytes.byteLength + wal.bytes.byteLength > options.maxBytes) {
    throw new DatabaseFileError(
      'too-large',
      path,
      `${basename(path)} with its -wal is ${sizeText(main.bytes.byteLength + wal.bytes.byteLength)}, over the ${sizeText(options.maxBytes)} limit for opening a database. Raise the limit to open it.`,
    );
  }
  const loaded = await loadImage(main.bytes, path, {
    wal: options.applyWal === false ? null : (wal?.bytes ?? null),
    journal: options.rollBackJournal === false ? null : (journal?.bytes ?? null),
    quickCheck: options.quickCheck ?? true,
  });
  return {
    ...loaded,
    path,
    stamp: { path, ...main.version, wal: wal?.version ?? null },
  };
}

/** The path an fs error names (the -wal or -journal rather than the database, when that was unreadable). */
function pathOfFailure(error: unknown, fallback: string): string {
  const failed = error instanceof Error && 'path' in error && typeof error.path === 'string' ? error.path : fallback;
  return failed === walPathOf(fallback) || failed === journalPathOf(fallback) ? failed : fallback;
}

/** For callers that already hold the bytes (the extension's worker reading through VS Code, tests). */
export async function openDatabaseBytes(
  bytes: Uint8Array,
  label: string,
  options: { wal?: Uint8Array | null; journal?: Uint8Array | null; maxBytes?: number; quickCheck?: boolean } = {},
): Promise<OpenedDatabaseBytes> {
  const total = bytes.byteLength + (options.wal?.byteLength ?? 0);
  if (options.maxBytes !== undefined && total > options.maxBytes) {
    throw new DatabaseFileError('too-large', label, `${basename(label)} is ${sizeText(total)}, over the ${sizeText(options.maxBytes)} limit for opening a database.`);
  }
  const loaded = await loadImage(bytes, label, { wal: options.wal ?? null, journal: options.journal ?? null, quickCheck: options.quickCheck ?? true });
  return { ...loaded, label };
}

async function loadImage(
  fileBytes: Uint8Array,
  file: string,
  options: { wal: Uint8Array | null; journal: Uint8Array | null; quickCheck: boolean },
): Promise<LoadedDatabase> {
  let bytes = fileBytes;
  let rollback: JournalRollback | null = null;
  const fileHeader = hasSqliteMagic(fileBytes) ? readSqliteHeader(fileBytes) : null;
  if (options.journal !== null && fileHeader !== null) {
    const rolledBack = rollBackJournal(fileBytes, options.journal, fileHeader.pageSize);
    if (rolledBack.report.hot) {
      bytes = rolledBack.image;
      rollback = rolledBack.report;
    }
  }
  const walHasFrames = options.wal !== null && options.wal.byteLength > 32;
  const sourceHeader = classifyDatabaseBytes(bytes, file, { hasWalContent: walHasFrames });
  let image: Uint8Array;
  let replay: WalReplay | null = null;
  if (options.wal !== null) {
    const applied = applyWal(bytes, options.wal);
    image = applied.image;
    replay = applied.report;
    if (image.byteLength === 0) {
      throw new DatabaseFileError('empty', file, `${basename(file)} is empty (0 bytes) and its -wal holds no committed transaction: there is no database to show yet.`);
    }
  } else {
    image = withRollbackJournalHeader(bytes);
  }

  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(image);
  } catch (error) {
    throw corrupt(file, error);
  }
  try {
    if (options.quickCheck) runQuickCheck(db, file);
    else db.exec('SELECT count(*) FROM sqlite_schema');
  } catch (error) {
    db.close();
    throw error instanceof DatabaseFileError ? error : corrupt(file, error);
  }
  let closed = false;
  return {
    db,
    walFramesApplied: replay?.framesApplied ?? 0,
    wal: replay,
    journal: rollback,
    sourceHeader,
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function runQuickCheck(db: Database, file: string): void {
  const results = db.exec('PRAGMA quick_check');
  const messages = results
    .flatMap((result) => result.values.flatMap((row) => String(row[0]).split('\n')))
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^\*\*\* in database/.test(line));
  if (messages.length === 1 && messages[0] === 'ok') return;
  if (messages.length === 0) messages.push('an unspecified problem');
  const shown = messages.slice(0, 3).join('; ');
  throw new DatabaseFileError(
    'corrupt',
    file,
    `${basename(file)} is corrupt: SQLite's quick_check reports ${shown}${messages.length > 3 ? ` (and ${messages.length - 3} more)` : ''}. Restore it from a backup, or copy it again together with its -wal.`,
  );
}

function corrupt(file: string, error: unknown): DatabaseFileError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseFileError(
    'corrupt',
    file,
    `${basename(file)} is corrupt: SQLite says "${reason}". Restore it from a backup, or copy it again together with its -wal.`,
  );
}
