// Opens an app's database file for SQLite, page by page: a DatabaseSnapshot (the file with its
// -wal's committed frames and a hot -journal's original pages laid over it) is served to wa-sqlite
// through our VFS. Nothing is read whole and nothing is written beside the user's file: no -shm,
// no -journal, no lock. Writes SQLite makes stay in memory until a write-back (core/db/writeBack.ts).
// An encrypted file opens the same way with its key: the cipher VFS decrypts what our VFS serves.
import { basename } from 'node:path';
import { databaseKeyFor, type CipherName, type DatabaseKey } from './cipher';
import type { SqliteHeader } from './classify';
import { deriveKeys, type DerivedKeys } from './derivedKeys';
import { DatabaseFileError } from './errors';
import { assertSchemaIsText } from './schemaText';
import type { JournalRollback } from './journal';
import { DatabaseSnapshot, SnapshotChangedError } from './snapshot/snapshot';
import type { SqlDatabase } from './sqlDatabase';
import type { FileStamp } from './stamp';
import type { WalReplay } from './wal';
import { openCipherConnection, registerCipherVfs } from './wasm/cipherConnection';
import { SqliteError, WaConnection } from './wasm/connection';
import { lastFailureOf, snapshotVfsName, SnapshotVfs } from './wasm/snapshotVfs';
import { loadWaSqlite, type WaSqliteModule } from './wasm/sqliteModule';
import { recoverInterruptedWriteBack } from './writeRecovery';

export interface OpenDatabaseOptions {
  /** Lay the committed frames of `<path>-wal` over the file (default true), as the app itself sees them. */
  applyWal?: boolean;
  /** Serve a hot `<path>-journal`'s original pages (default true), as SQLite's first reader would. */
  rollBackJournal?: boolean;
  /**
   * Run `PRAGMA quick_check` after opening. It reads every page, so its cost grows with the file:
   * by default it runs on databases up to 16 MiB (tens of milliseconds) and not above, where a
   * corrupt page surfaces instead as a 'corrupt' DatabaseFileError from the query that meets it.
   */
  quickCheck?: boolean;
  /** The key of an encrypted database (default: the process's key lookup, core/db/cipher.ts); a plain file opens as usual with or without one. */
  key?: DatabaseKey;
}

export interface OpenedDatabase {
  /** The path as the caller named it. */
  readonly path: string;
  /** The connection; after a re-read (see `read`) it is a new one, so fetch it each time. */
  readonly db: SqlDatabase;
  readonly walFramesApplied: number;
  /** What indexing the -wal found, or null when no -wal was read. */
  readonly wal: WalReplay | null;
  /** What the hot -journal held, or null when there was none. */
  readonly journal: JournalRollback | null;
  /** The file's own SQLite header, or null for a WAL-only database. */
  readonly sourceHeader: SqliteHeader | null;
  /** The cipher that decrypted the file, or null for a plain one. */
  readonly cipher: CipherName | null;
  /** What the file and its -wal looked like when read; follows a re-read and a write-back. */
  readonly stamp: FileStamp;
  /** @internal The snapshot behind the connection (write-back reads its committed and changed pages). */
  readonly snapshot: DatabaseSnapshot;
  /**
   * Runs `use` on the connection; when the app changed the file under the read, re-opens a fresh
   * snapshot and runs it again (a few times), so no torn result is ever returned.
   */
  read<T>(use: (db: SqlDatabase) => T): T;
  /** True while no file behind the snapshot changed. */
  isCurrent(): boolean;
  close(): void;
}

const quickCheckByDefaultBytes = 16 * 1024 * 1024;

/** Re-reads before telling the user the file will not hold still. */
const snapshotAttempts = 5;

let engine: Promise<{ sqlite: WaSqliteModule; vfs: SnapshotVfs }> | undefined;

function loadEngine(): Promise<{ sqlite: WaSqliteModule; vfs: SnapshotVfs }> {
  engine ??= loadWaSqlite().then((sqlite) => {
    const vfs = new SnapshotVfs(sqlite);
    if (sqlite.vfs_register(vfs, false) !== 0) throw new Error('could not register the SyncLens VFS with SQLite');
    registerCipherVfs(sqlite);
    return { sqlite, vfs };
  });
  return engine;
}

function changingError(path: string): DatabaseFileError {
  return new DatabaseFileError(
    'changing',
    path,
    `${basename(path)} is changing while SyncLens reads it (the app is writing and checkpointing); it read it again ${snapshotAttempts} times without a settled copy. Retry in a moment, or copy the database when the app is idle.`,
  );
}

function corrupt(file: string, reason: string): DatabaseFileError {
  return new DatabaseFileError('corrupt', file, `${basename(file)} is corrupt: SQLite says "${reason}". Restore it from a backup, or copy it again together with its -wal.`);
}

/** SQLite's view of a failure, turned into the error a caller can act on. */
function translator(snapshot: DatabaseSnapshot): (error: SqliteError) => Error {
  return (error) => {
    if (snapshot.isStale) return new SnapshotChangedError(snapshot.stalePath ?? snapshot.path);
    const primary = error.code & 0xff;
    if (primary === 11 || primary === 26) return corrupt(snapshot.files.requestedPath, error.message);
    if (primary === 10) {
      const cause = lastFailureOf(snapshot);
      const detail = cause instanceof Error ? cause.message : error.message;
      return new DatabaseFileError('unreadable', snapshot.files.requestedPath, `${basename(snapshot.files.requestedPath)} could not be read: ${detail}.`);
    }
    return error;
  };
}

interface Connected {
  connection: WaConnection;
  cipher: CipherName | null;
  release: () => void;
}

function connect(sqlite: WaSqliteModule, vfs: SnapshotVfs, snapshot: DatabaseSnapshot, quickCheck: boolean, key: DatabaseKey | undefined, derived: DerivedKeys): Connected {
  const name = vfs.register(snapshot);
  let connection: WaConnection | null = null;
  let cipher: CipherName | null = null;
  try {
    if (snapshot.ciphertext && key) {
      ({ connection, cipher } = openCipherConnection(sqlite, name, key, derived, snapshot.files.requestedPath, translator(snapshot)));
    } else {
      // READWRITE so SQLite's writes (a replay, a resolve) reach the snapshot's in-memory pages.
      connection = WaConnection.open(sqlite, name, snapshotVfsName, 0x02, translator(snapshot));
      connection.exec('PRAGMA journal_mode=MEMORY; PRAGMA temp_store=MEMORY; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-4096');
    }
    if (quickCheck) runQuickCheck(connection, snapshot.files.requestedPath);
    else connection.exec('SELECT count(*) FROM sqlite_schema');
    assertSchemaIsText(connection, snapshot.files.requestedPath);
  } catch (error) {
    connection?.close();
    vfs.forget(name);
    // quick_check reports a page it could not read as a row ("unable to get the page"), not as an
    // error: when the file changed under it, that is a stale snapshot, not a corrupt file.
    if (snapshot.isStale) throw new SnapshotChangedError(snapshot.stalePath ?? snapshot.path);
    throw error instanceof SqliteError ? corrupt(snapshot.files.requestedPath, error.message) : error;
  }
  const opened = connection;
  return {
    connection: opened,
    cipher,
    release: () => {
      opened.close();
      vfs.forget(name);
    },
  };
}

function openOnce(sqlite: WaSqliteModule, vfs: SnapshotVfs, path: string, options: OpenDatabaseOptions, derived: DerivedKeys): Connected & { snapshot: DatabaseSnapshot } {
  const snapshot = DatabaseSnapshot.open(path, { ...options, allowCiphertext: options.key !== undefined });
  try {
    return { snapshot, ...connect(sqlite, vfs, snapshot, options.quickCheck ?? snapshot.size <= quickCheckByDefaultBytes, options.key, derived) };
  } catch (error) {
    snapshot.close();
    throw error;
  }
}

/** Opens `path` (and its -wal / -journal) page by page, classifies it, and connects SQLite to it. */
export async function openDatabaseFile(path: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const { sqlite, vfs } = await loadEngine();
  // A write-back that stopped midway may have set the -wal aside: put it back before reading.
  recoverInterruptedWriteBack(path);
  let settledOptions = options;
  let derived: DerivedKeys = options.key ? await deriveKeys(options.key, path) : {};
  const openSettled = () => {
    for (let attempt = 1; attempt <= snapshotAttempts; attempt += 1) {
      try {
        const connected = openOnce(sqlite, vfs, path, settledOptions, derived);
        // A re-read tries only the cipher that matched, not every one 'auto' would.
        if (connected.cipher && settledOptions.key) settledOptions = { ...settledOptions, key: { ...settledOptions.key, cipher: connected.cipher } };
        return connected;
      } catch (error) {
        if (!(error instanceof SnapshotChangedError)) throw error;
      }
    }
    throw changingError(path);
  };
  let current: ReturnType<typeof openSettled>;
  try {
    current = openSettled();
  } catch (error) {
    // Only a file that looks encrypted makes SyncLens ask for a key it was not given.
    if (options.key !== undefined || !(error instanceof DatabaseFileError && error.code === 'encrypted')) throw error;
    const key = await databaseKeyFor(path);
    if (!key) throw error;
    settledOptions = { ...options, key };
    derived = await deriveKeys(key, path);
    current = openSettled();
  }
  let closed = false;
  const dispose = () => {
    current.release();
    current.snapshot.close();
  };
  const opened: OpenedDatabase = {
    path,
    get db() {
      return current.connection;
    },
    get snapshot() {
      return current.snapshot;
    },
    get walFramesApplied() {
      return current.snapshot.walReplay?.framesApplied ?? 0;
    },
    get wal() {
      return current.snapshot.walReplay;
    },
    get journal() {
      return current.snapshot.journalRollback;
    },
    get sourceHeader() {
      return current.snapshot.sourceHeader;
    },
    get cipher() {
      return current.cipher;
    },
    get stamp() {
      return current.snapshot.stamp;
    },
    read(use) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return use(current.connection);
        } catch (error) {
          if (!(error instanceof SnapshotChangedError)) throw error;
          // Changes made on this snapshot cannot move to another: they belong to the file as it was.
          if (current.snapshot.changedPages.size > 0 || attempt >= snapshotAttempts) throw changingError(path);
          dispose();
          current = openSettled();
        }
      }
    },
    isCurrent: () => current.snapshot.isCurrent(),
    close() {
      if (closed) return;
      closed = true;
      dispose();
    },
  };
  return opened;
}

function runQuickCheck(db: SqlDatabase, file: string): void {
  const lines: string[] = [];
  const statement = db.prepare('PRAGMA quick_check');
  try {
    while (statement.step()) lines.push(...String(statement.get()[0]).split('\n'));
  } catch (error) {
    // SQLite reports what it found row by row, then may fail on the damage itself: keep the rows.
    if (lines.length === 0) throw error;
  } finally {
    statement.free();
  }
  const messages = lines.map((line) => line.trim()).filter((line) => line.length > 0 && !/^\*\*\* in database/.test(line));
  if (messages.length === 1 && messages[0] === 'ok') return;
  if (messages.length === 0) messages.push('an unspecified problem');
  const shown = messages.slice(0, 3).join('; ');
  throw new DatabaseFileError(
    'corrupt',
    file,
    `${basename(file)} is corrupt: SQLite's quick_check reports ${shown}${messages.length > 3 ? ` (and ${messages.length - 3} more)` : ''}. Restore it from a backup, or copy it again together with its -wal.`,
  );
}
