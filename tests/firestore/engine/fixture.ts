// An app database written by the real sqlite3 CLI (users + sync_operations + sync_state, the
// reference's models), opened through core like the CLI opens it, and a session on the emulator.
import { join } from 'node:path';
import { openDatabaseFile, type OpenedDatabase } from '../../../core/db/open';
import { queryObjects } from '../../../core/db/query';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import type { SqlValue } from '../../../core/db/types';
import { createFirestoreRemote, type RemoteStore } from '../../../core/engine/remoteStore';
import type { EngineSettings } from '../../../core/engine/context';
import { SyncSession } from '../../../core/engine/session';
import type { FirestoreConnection } from '../../../core/firestore/client';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

export const baseTime = Date.UTC(2026, 10, 20, 9, 0, 0);
export const iso = (ms: number): string => new Date(ms).toISOString();

export interface UserSeed {
  odid: string;
  name: string;
  email?: string;
  updatedAt: number;
  version?: number;
  isSynced?: 0 | 1;
  isDeleted?: 0 | 1;
}

export interface OpSeed {
  id?: number;
  entityId: string;
  operation: 'create' | 'update' | 'delete';
  /** Defaults to the user row's fields; a string is stored as is (invalid payloads). */
  payload?: Record<string, unknown> | string | null;
  createdAt: number;
  retryCount?: number;
  lastAttempt?: number | null;
}

const literal = (value: SqlValue | undefined): string =>
  value === null || value === undefined ? 'NULL' : typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;

export function userPayload(user: UserSeed): Record<string, unknown> {
  return {
    odid: user.odid,
    email: user.email ?? `${user.odid}@example.com`,
    name: user.name,
    createdAt: iso(baseTime - 86_400_000),
    updatedAt: iso(user.updatedAt),
    isDeleted: user.isDeleted === 1,
    version: user.version ?? 1,
  };
}

/** Writes the database with sqlite3 and returns its path (in a scratch dir removed by cleanup). */
export function writeAppDatabase(users: UserSeed[], ops: OpSeed[], state: Record<string, string> = {}): { path: string; cleanup: () => void } {
  const { dir, cleanup } = scratchDir('synclens-engine-');
  const path = join(dir, 'app.db');
  const statements = [
    'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);',
    'CREATE TABLE sync_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt TEXT NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt TEXT, lastError TEXT);',
    'CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT);',
    'BEGIN;',
  ];
  for (const user of users) {
    const p = userPayload(user);
    statements.push(
      `INSERT INTO users (odid, email, name, createdAt, updatedAt, isSynced, isDeleted, version) VALUES (${[p.odid, p.email, p.name, p.createdAt, p.updatedAt, user.isSynced ?? 0, user.isDeleted ?? 0, user.version ?? 1].map((v) => literal(v as SqlValue)).join(', ')});`,
    );
  }
  for (const op of ops) {
    const user = users.find((candidate) => candidate.odid === op.entityId);
    const payload = op.payload === undefined ? (user ? JSON.stringify(userPayload(user)) : null) : typeof op.payload === 'string' || op.payload === null ? op.payload : JSON.stringify(op.payload);
    statements.push(
      `INSERT INTO sync_operations (${op.id !== undefined ? 'id, ' : ''}entityType, entityId, operation, payload, createdAt, retryCount, lastAttempt) VALUES (${op.id !== undefined ? `${op.id}, ` : ''}${[
        'users',
        op.entityId,
        op.operation,
        payload,
        iso(op.createdAt),
        op.retryCount ?? 0,
        op.lastAttempt === undefined || op.lastAttempt === null ? null : iso(op.lastAttempt),
      ].map((v) => literal(v)).join(', ')});`,
    );
  }
  for (const [key, value] of Object.entries(state)) statements.push(`INSERT INTO sync_state (key, value) VALUES (${literal(key)}, ${literal(value)});`);
  statements.push('COMMIT;');
  sqlite3(path, statements.join('\n'));
  return { path, cleanup };
}

export interface OpenSession {
  opened: OpenedDatabase;
  session: SyncSession;
  remote: RemoteStore;
}

export async function openSession(path: string, connection: FirestoreConnection, settings: Partial<EngineSettings> = {}, timeoutMs?: number): Promise<OpenSession> {
  const opened = await openDatabaseFile(path);
  const roles = detectRoles(opened.db, readSchema(opened.db));
  const remote = createFirestoreRemote(connection, { timeoutMs });
  return { opened, remote, session: new SyncSession(opened.db, roles, remote, settings) };
}

export function queueRows(session: SyncSession): Record<string, SqlValue>[] {
  return queryObjects(session.db, 'SELECT * FROM sync_operations ORDER BY id');
}

export function userRow(session: SyncSession, odid: string): Record<string, SqlValue> | null {
  return queryObjects(session.db, 'SELECT * FROM users WHERE odid = ?', [odid])[0] ?? null;
}

/** Seeds remote documents through the SDK, as another client would have written them. */
export async function putRemoteUsers(connection: FirestoreConnection, users: UserSeed[]): Promise<void> {
  const { sdk, db } = connection;
  const batch = sdk.writeBatch(db);
  for (const user of users) {
    const p = userPayload(user);
    batch.set(sdk.doc(db, 'users', user.odid), {
      email: p.email,
      name: p.name,
      createdAt: sdk.Timestamp.fromMillis(baseTime - 86_400_000),
      updatedAt: sdk.Timestamp.fromMillis(user.updatedAt),
      isDeleted: user.isDeleted === 1,
      version: user.version ?? 1,
    });
  }
  await batch.commit();
}

export async function getRemoteUser(connection: FirestoreConnection, odid: string): Promise<Record<string, unknown> | null> {
  const snapshot = await connection.sdk.getDoc(connection.sdk.doc(connection.db, 'users', odid));
  return snapshot.exists() ? snapshot.data() : null;
}
