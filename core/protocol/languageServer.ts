// The SyncLens language server's own LSP messages, declared once for the server
// (language-server/) and the client (extension/languageClient.ts). Standard LSP features need no
// declaration here. Each says which way it travels.
import { NotificationType, NotificationType0, RequestType } from 'vscode-languageserver-protocol';

/** A cell of a query result, JSON-safe: BLOBs and integers beyond 2^53 become tagged objects. */
export type ResultCell = null | number | string | { bigint: string } | { blob: { bytes: number; hex: string } };

export interface RunStatementParams {
  /** The SQL document (its first line binds the database). */
  uri: string;
  /** The statement, as the code lens saw it; re-checked against the document's current text. */
  statementIndex: number;
  /** The statement's text when the lens was made: a mismatch means the document changed since. */
  text: string;
  /** Set after the user confirmed, in a modal, that this write may change the database file. */
  confirmedWrite?: boolean;
  /** Set after the user confirmed writing while a -wal or -journal shows the app may be running. */
  allowLive?: boolean;
  /**
   * Where the write's backup goes (synclens.backups.location in VS Code): `synclensFolder`, the
   * default, is the `.synclens/backups/` folder beside the database; `beside` is next to it.
   */
  backupLocation?: 'beside' | 'synclensFolder';
}

export type RunStatementResult =
  | {
      kind: 'rows';
      database: string;
      sql: string;
      columns: string[];
      rows: ResultCell[][];
      /** True when more rows exist than were returned (`rowLimit`). */
      truncated: boolean;
      rowLimit: number;
      elapsedMs: number;
      /**
       * The same rows as a one-table SQLite file (table `result`) in a temporary folder of the
       * server, for the data grid; null when it could not be written.
       */
      resultFile: string | null;
    }
  | {
      /** A write the user has not confirmed yet: nothing ran. The client asks, then sends again. */
      kind: 'needs-confirmation';
      database: string;
      sql: string;
      /** One line: what the statement would change, e.g. "UPDATE on users (a synced entity table)". */
      summary: string;
      /** The file or its -wal/-journal suggests the app is running: confirming must say so too. */
      live: boolean;
    }
  | {
      /** A confirmed write, applied through the engine's safe write-back. */
      kind: 'written';
      database: string;
      sql: string;
      changes: number;
      /** The backup written beside the database before it was replaced. */
      backup: string | null;
      elapsedMs: number;
    }
  | {
      /** The client cancelled a read while it ran: its worker thread was stopped. */
      kind: 'cancelled';
      database: string;
      sql: string;
    }
  | {
      kind: 'error';
      database: string | null;
      sql: string;
      message: string;
    };

/**
 * Client -> server: run one statement of a bound SQL document (the "Run" code lens). Read-only
 * statements run in a worker thread of the server on a private in-memory copy; writes come back as
 * `needs-confirmation` until `confirmedWrite` is set.
 */
export const RunStatementRequest = {
  method: 'synclens/runStatement',
  type: new RequestType<RunStatementParams, RunStatementResult, void>('synclens/runStatement'),
} as const;

/** The table a result file holds its rows in. */
export const resultTableName = 'result';

/** What the client tells the server in `initializationOptions`; every field is optional (`{}` is valid). */
export interface LanguageServerOptions {
  /** The client renders `$(icon)` syntax in code lens titles (VS Code does); others get plain text. */
  codiconTitles?: boolean;
  /** The user trusts the workspace: a SQL file may bind a database outside the workspace folders. */
  workspaceTrusted?: boolean;
  /** How long diagnostics wait after an edit (default 250 ms); a document just opened is checked at once. */
  diagnosticsDelayMs?: number;
}

export interface DatabaseKeyParams {
  /** The bound database file, as the server resolved it. */
  path: string;
}

/** The key, sealed with the session key the client started the server with (core/db/sealedKeys.ts); never the key itself. */
export interface DatabaseKeyAnswer {
  sealed: string;
}

/**
 * Server -> client: the key of an encrypted database a SQL document is bound to. The client answers
 * only from keys the user already entered for that file (VS Code: SecretStorage), else null; it
 * never asks the user. The server asks only a client that started it with a session key.
 */
export const DatabaseKeyRequest = {
  method: 'synclens/databaseKey',
  type: new RequestType<DatabaseKeyParams, DatabaseKeyAnswer | null, void>('synclens/databaseKey'),
} as const;

/** Client -> server: the user entered or forgot the key of `path`: what the server read of it is stale. */
export const DatabaseKeyChangedNotification = {
  method: 'synclens/databaseKeyChanged',
  type: new NotificationType<DatabaseKeyParams>('synclens/databaseKeyChanged'),
} as const;

/** Client -> server: the user has just trusted the workspace (bindings outside it may now be read). */
export const WorkspaceTrustedNotification = {
  method: 'synclens/workspaceTrusted',
  type: new NotificationType0('synclens/workspaceTrusted'),
} as const;

/** Command ids the server puts into code lenses and code actions; the client registers them. */
export const languageServerCommands = {
  /** Arguments: [RunStatementParams]. */
  runStatement: 'synclens.sql.runStatement',
  /** Arguments: [uri: string]. */
  bindDatabase: 'synclens.sql.bindDatabase',
} as const;

/** `-- synclens: db=` with any spacing. No quantifier here overlaps the next, so a failed match is linear in the line. */
const bindingCommentPrefix = /^--\s*synclens:\s*db\s*=/;

/**
 * The database path a document's first line names (`-- synclens: db=<path>`), or null when the line
 * is no binding. Trimmed with String.trim instead of a lazy `(.+?)\s*$`, which was quadratic on a
 * line of spaces between two words (seconds per keystroke at 40k).
 */
export function bindingPathOf(line: string): string | null {
  const comment = line.trimStart();
  const prefix = bindingCommentPrefix.exec(comment);
  if (!prefix) return null;
  const path = comment.slice(prefix[0].length).trim();
  return path === '' ? null : path;
}

export function bindingComment(path: string): string {
  return `-- synclens: db=${path}`;
}
