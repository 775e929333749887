// The SyncLens language server's own LSP messages, declared once for the server
// (language-server/) and the client (extension/languageClient.ts). Standard LSP features need no
// declaration here. Each says which way it travels.
import { RequestType } from 'vscode-languageserver-protocol';

/** A cell of a query result, JSON-safe: BLOBs and integers beyond 2^53 become tagged objects. */
export type ResultCell = null | number | string | { bigint: string } | { blob: { bytes: number; hex: string } };

export interface StatementRange {
  /** 0-based line and UTF-16 character, as LSP positions. */
  start: { line: number; character: number };
  end: { line: number; character: number };
}

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

/** Command ids the server puts into code lenses and code actions; the client registers them. */
export const languageServerCommands = {
  /** Arguments: [RunStatementParams]. */
  runStatement: 'synclens.sql.runStatement',
  /** Arguments: [uri: string]. */
  bindDatabase: 'synclens.sql.bindDatabase',
} as const;

/** The comment that binds a SQL document to a database, on its first line. */
export const bindingCommentPattern = /^\s*--\s*synclens:\s*db\s*=\s*(.+?)\s*$/;

export function bindingComment(path: string): string {
  return `-- synclens: db=${path}`;
}
