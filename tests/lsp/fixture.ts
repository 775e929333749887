// An app folder for the language-server tests: app.db written by the real sqlite3 CLI, with an
// entity table, a second entity table, a view, a queue and a sync-state table.
import { join } from 'node:path';
import { after, before } from 'node:test';
import { scratchDir, sqlite3 } from '../helpers/sqliteCli';
import { startServer, type LspSession, type ServerStart } from './lspClient';

export interface AppFolder {
  dir: string;
  db: string;
  cleanup: () => void;
}

export function makeAppFolder(): AppFolder {
  const { dir, cleanup } = scratchDir('synclens-lsp-');
  const db = join(dir, 'app.db');
  sqlite3(
    db,
    `
    CREATE TABLE "users" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "odid" TEXT NOT NULL UNIQUE,
      "email" TEXT NOT NULL,
      "name" TEXT NOT NULL DEFAULT 'anonymous',
      "createdAt" INTEGER NOT NULL,
      "updatedAt" INTEGER NOT NULL,
      "isSynced" INTEGER NOT NULL DEFAULT 0,
      "isDeleted" INTEGER NOT NULL DEFAULT 0,
      "version" INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE "posts" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "odid" TEXT NOT NULL UNIQUE,
      "authorId" TEXT NOT NULL REFERENCES "users" ("odid"),
      "title" TEXT NOT NULL,
      "createdAt" TEXT NOT NULL,
      "updatedAt" TEXT NOT NULL,
      "isSynced" INTEGER NOT NULL DEFAULT 0,
      "isDeleted" INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE "sync_operations" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "entityType" TEXT NOT NULL,
      "entityId" TEXT NOT NULL,
      "operation" TEXT NOT NULL,
      "payload" TEXT NOT NULL,
      "createdAt" INTEGER NOT NULL,
      "retryCount" INTEGER NOT NULL DEFAULT 0,
      "lastAttempt" INTEGER,
      "lastError" TEXT
    );
    CREATE TABLE "sync_state" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT);
    CREATE VIEW "unsynced_users" AS SELECT "odid", "email" FROM "users" WHERE "isSynced" = 0;
    INSERT INTO "users" ("odid", "email", "name", "createdAt", "updatedAt", "isSynced") VALUES
      ('u1', 'ada@example.com', 'Ada', 1700000000000, 1700000100000, 1),
      ('u2', 'bob@example.com', 'Bob', 1700000200000, 1700000300000, 0),
      ('u3', 'cy@example.com', 'Cy', 1700000400000, 1700000500000, 0);
    INSERT INTO "posts" ("odid", "authorId", "title", "createdAt", "updatedAt") VALUES
      ('p1', 'u1', 'Hello', '2023-11-14T22:13:20.000Z', '2023-11-14T22:15:00.000Z');
    INSERT INTO "sync_operations" ("entityType", "entityId", "operation", "payload", "createdAt") VALUES
      ('users', 'u2', 'update', '{"odid":"u2","email":"bob@example.com"}', 1700000300000);
    INSERT INTO "sync_state" VALUES ('lastSyncAt', '1700000000000');
    `,
  );
  return { dir, db, cleanup };
}

export interface AppFolderServer {
  readonly app: AppFolder;
  readonly session: LspSession;
}

/**
 * An app folder and a server over stdio on it for the calling describe block: made in its
 * before hook, closed and removed in its after hook.
 */
export function appFolderServer(start: ServerStart = {}): AppFolderServer {
  let app: AppFolder | undefined;
  let session: LspSession | undefined;
  before(async () => {
    app = makeAppFolder();
    session = await startServer(app.dir, start);
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the app folder server is used before its before hook ran');
    return value;
  };
  return {
    get app() {
      return started(app);
    },
    get session() {
      return started(session);
    },
  };
}
