// App databases in the three schema styles SyncLens meets, as SQL for the real sqlite3 CLI:
// - drift: snake_case columns, epoch-seconds timestamps, text operations (`users`, `sync_operations`);
// - camel: sqflite-style camelCase columns, ISO-8601 entity timestamps, epoch-millis queue times;
// - isar: Isar class-named tables (`UserModel`, `SyncOperation`), epoch-micros, ordinal operations.
// Each holds the same logical data and a queue whose ops cover every status at `scenarioNow`.
import { join } from 'node:path';
import { openDatabaseFile } from '../../core/db/open';
import type { SqlDatabase } from '../../core/db/sqlDatabase';
import type { QueueOperationKind, QueueOperationStatus, TimestampEncoding } from '../../core/db/types';
import { scratchDir, sqlite3 } from './sqliteCli';

export type SchemaStyle = 'drift' | 'camel' | 'isar';
export const schemaStyles: readonly SchemaStyle[] = ['drift', 'camel', 'isar'];

/** The clock the queue scenario is analysed at. */
export const scenarioNow = Date.UTC(2024, 5, 1, 12, 0, 0);

export interface StyleNames {
  users: string;
  posts: string;
  queue: string;
  state: string;
  /** What queue rows write in entityType for each table. */
  userType: string;
  postType: string;
  entityTimestamps: TimestampEncoding;
  queueTimestamps: TimestampEncoding;
  operationEncoding: 'text' | 'ordinal';
  /** The physical name of a logical camelCase column. */
  column(name: string): string;
}

export function styleNames(style: SchemaStyle): StyleNames {
  const snake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  if (style === 'drift') {
    return { users: 'users', posts: 'posts', queue: 'sync_operations', state: 'sync_state', userType: 'users', postType: 'posts', entityTimestamps: 'epoch-seconds', queueTimestamps: 'epoch-seconds', operationEncoding: 'text', column: snake };
  }
  if (style === 'camel') {
    return { users: 'users', posts: 'posts', queue: 'sync_queue', state: 'sync_meta', userType: 'user', postType: 'post', entityTimestamps: 'iso8601', queueTimestamps: 'epoch-millis', operationEncoding: 'text', column: (name) => name };
  }
  return { users: 'UserModel', posts: 'PostModel', queue: 'SyncOperation', state: 'SyncState', userType: 'UserModel', postType: 'PostModel', entityTimestamps: 'epoch-micros', queueTimestamps: 'epoch-micros', operationEncoding: 'ordinal', column: (name) => name };
}

function sqlText(text: string | null): string {
  return text === null ? 'NULL' : `'${text.replaceAll("'", "''")}'`;
}

function timeLiteral(ms: number | null, encoding: TimestampEncoding): string {
  if (ms === null) return 'NULL';
  if (encoding === 'iso8601') return sqlText(new Date(ms).toISOString());
  if (encoding === 'epoch-seconds') return String(Math.floor(ms / 1000));
  if (encoding === 'epoch-millis') return String(ms);
  return String(ms * 1000);
}

interface UserRow { odid: string; name: string; email: string; createdAt: number; updatedAt: number; isSynced: 0 | 1; isDeleted: 0 | 1; version: number; settings: string | null }
interface PostRow { odid: string; author: string; title: string; content: string; createdAt: number; updatedAt: number; isSynced: 0 | 1; isDeleted: 0 | 1 }

const day = 86_400_000;
export const scenarioUsers: readonly UserRow[] = [
  { odid: 'u-alice', name: 'Alice', email: 'alice@example.com', createdAt: scenarioNow - 30 * day, updatedAt: scenarioNow - 600_000, isSynced: 0, isDeleted: 0, version: 1, settings: '{"darkMode":true,"locale":"en","notificationsEnabled":false}' },
  { odid: 'u-bob', name: 'Bob', email: 'bob@example.com', createdAt: scenarioNow - 20 * day, updatedAt: scenarioNow - 400_000, isSynced: 0, isDeleted: 0, version: 3, settings: '{"darkMode":false,"locale":"de","notificationsEnabled":true}' },
  { odid: 'u-carol', name: 'Carol', email: 'carol@example.com', createdAt: scenarioNow - 10 * day, updatedAt: scenarioNow - 200_000, isSynced: 0, isDeleted: 1, version: 2, settings: null },
  { odid: 'u-dave', name: 'Dave', email: 'dave@example.com', createdAt: scenarioNow - 5 * day, updatedAt: scenarioNow - 5 * day, isSynced: 0, isDeleted: 0, version: 1, settings: '{"darkMode":true,"locale":"fr","notificationsEnabled":true}' },
  { odid: 'u-erin', name: 'Erin', email: 'erin@example.com', createdAt: scenarioNow - 2 * day, updatedAt: scenarioNow - 2 * day, isSynced: 1, isDeleted: 0, version: 1, settings: '{"darkMode":false,"locale":"en","notificationsEnabled":false}' },
];
export const scenarioPosts: readonly PostRow[] = [
  { odid: 'p-1', author: 'u-alice', title: 'Hello', content: 'First post', createdAt: scenarioNow - 9 * day, updatedAt: scenarioNow - 9 * day, isSynced: 0, isDeleted: 0 },
  { odid: 'p-2', author: 'u-bob', title: 'Offline first', content: 'Queues all the way down', createdAt: scenarioNow - 8 * day, updatedAt: scenarioNow - day, isSynced: 0, isDeleted: 0 },
];

export interface ScenarioOperation {
  id: number;
  entity: 'user' | 'post';
  entityId: string;
  operation: QueueOperationKind;
  payload: string | null;
  createdAt: number;
  retryCount: number;
  lastAttempt: number | null;
  lastError: string | null;
  expected: QueueOperationStatus;
  supersededBy?: number;
}

const userPayload = (odid: string, fields: Record<string, unknown> = {}): string => JSON.stringify({ odid, ...fields });

/** Ids are deliberately not in createdAt order: send order is createdAt, then id. */
export const scenarioOperations: readonly ScenarioOperation[] = [
  { id: 11, entity: 'user', entityId: 'u-erin', operation: 'create', payload: '[1,2]', createdAt: scenarioNow - 900_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'invalid' },
  { id: 1, entity: 'user', entityId: 'u-alice', operation: 'create', payload: userPayload('u-alice', { name: 'Alice', email: 'alice@example.com' }), createdAt: scenarioNow - 600_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'ready' },
  { id: 2, entity: 'user', entityId: 'u-bob', operation: 'update', payload: userPayload('u-bob', { name: 'Bobby', email: 'bob@example.com' }), createdAt: scenarioNow - 500_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'superseded', supersededBy: 5 },
  { id: 3, entity: 'user', entityId: 'u-ghost', operation: 'update', payload: userPayload('u-ghost', { name: 'Ghost' }), createdAt: scenarioNow - 500_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'orphan' },
  { id: 4, entity: 'user', entityId: 'u-dave', operation: 'update', payload: userPayload('u-dave', { name: 'Dave' }), createdAt: scenarioNow - 450_000, retryCount: 5, lastAttempt: scenarioNow - 60_000, lastError: 'PERMISSION_DENIED: Missing or insufficient permissions.', expected: 'dead-lettered' },
  { id: 5, entity: 'user', entityId: 'u-bob', operation: 'update', payload: userPayload('u-bob', { name: 'Bob', email: 'bob@example.com', version: 3 }), createdAt: scenarioNow - 400_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'ready' },
  { id: 6, entity: 'post', entityId: 'p-1', operation: 'update', payload: '{"odid": "p-1", "title": ', createdAt: scenarioNow - 350_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'invalid' },
  { id: 7, entity: 'post', entityId: 'p-2', operation: 'update', payload: JSON.stringify({ odid: 'p-2', title: 'Offline first!' }), createdAt: scenarioNow - 320_000, retryCount: 2, lastAttempt: scenarioNow - 1_000, lastError: 'UNAVAILABLE: network down', expected: 'backing-off' },
  { id: 8, entity: 'user', entityId: 'u-carol', operation: 'update', payload: userPayload('u-carol', { name: 'Caroline' }), createdAt: scenarioNow - 300_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'superseded', supersededBy: 9 },
  { id: 9, entity: 'user', entityId: 'u-carol', operation: 'delete', payload: userPayload('u-carol'), createdAt: scenarioNow - 200_000, retryCount: 0, lastAttempt: null, lastError: null, expected: 'ready' },
  { id: 10, entity: 'post', entityId: 'p-1', operation: 'update', payload: JSON.stringify({ odid: 'p-1', content: 'Edited' }), createdAt: scenarioNow - 200_000, retryCount: 1, lastAttempt: scenarioNow - 3_600_000, lastError: 'DEADLINE_EXCEEDED', expected: 'ready' },
];

function operationLiteral(kind: QueueOperationKind, encoding: 'text' | 'ordinal'): string {
  return encoding === 'ordinal' ? String(['create', 'update', 'delete'].indexOf(kind)) : sqlText(kind);
}

/** CREATE TABLE + INSERT statements of the whole scenario in one style (one transaction). */
export function appDatabaseSql(style: SchemaStyle): string {
  const n = styleNames(style);
  const q = (name: string): string => `"${n.column(name)}"`;
  const entityTime = style === 'camel' ? 'TEXT' : 'INTEGER';
  const queueTime = 'INTEGER';
  const statements = [
    'BEGIN;',
    `CREATE TABLE "${n.users}" (${q('id')} INTEGER PRIMARY KEY AUTOINCREMENT, ${q('odid')} TEXT NOT NULL UNIQUE, ${q('name')} TEXT NOT NULL, ${q('email')} TEXT NOT NULL, ${q('settings')} TEXT, ${q('createdAt')} ${entityTime} NOT NULL, ${q('updatedAt')} ${entityTime} NOT NULL, ${q('isSynced')} INTEGER NOT NULL DEFAULT 0, ${q('isDeleted')} INTEGER NOT NULL DEFAULT 0, ${q('version')} INTEGER NOT NULL DEFAULT 1);`,
    `CREATE INDEX "${n.users}_email" ON "${n.users}" (${q('email')});`,
    `CREATE TABLE "${n.posts}" (${q('id')} INTEGER PRIMARY KEY AUTOINCREMENT, ${q('odid')} TEXT NOT NULL UNIQUE, ${q('authorOdid')} TEXT REFERENCES "${n.users}" (${q('odid')}) ON DELETE CASCADE, ${q('title')} TEXT NOT NULL, ${q('content')} TEXT NOT NULL, ${q('createdAt')} ${entityTime} NOT NULL, ${q('updatedAt')} ${entityTime} NOT NULL, ${q('isSynced')} INTEGER NOT NULL DEFAULT 0, ${q('isDeleted')} INTEGER NOT NULL DEFAULT 0);`,
    `CREATE TABLE "${n.queue}" (${q('id')} INTEGER PRIMARY KEY AUTOINCREMENT, ${q('entityType')} TEXT NOT NULL, ${q('entityId')} TEXT NOT NULL, ${q('operation')} ${n.operationEncoding === 'ordinal' ? 'INTEGER' : 'TEXT'} NOT NULL, ${q('payload')} TEXT NOT NULL, ${q('createdAt')} ${queueTime} NOT NULL, ${q('retryCount')} INTEGER NOT NULL DEFAULT 0, ${q('lastAttempt')} ${queueTime}, ${q('lastError')} TEXT);`,
    `CREATE TABLE "${n.state}" (${style === 'isar' ? `"id" INTEGER PRIMARY KEY, ` : ''}"key" TEXT NOT NULL${style === 'isar' ? ' UNIQUE' : ' PRIMARY KEY'}, "value" TEXT);`,
  ];
  for (const user of scenarioUsers) {
    statements.push(
      `INSERT INTO "${n.users}" (${['odid', 'name', 'email', 'settings', 'createdAt', 'updatedAt', 'isSynced', 'isDeleted', 'version'].map(q).join(', ')}) VALUES (${[
        sqlText(user.odid), sqlText(user.name), sqlText(user.email), sqlText(user.settings), timeLiteral(user.createdAt, n.entityTimestamps), timeLiteral(user.updatedAt, n.entityTimestamps), user.isSynced, user.isDeleted, user.version,
      ].join(', ')});`,
    );
  }
  for (const post of scenarioPosts) {
    statements.push(
      `INSERT INTO "${n.posts}" (${['odid', 'authorOdid', 'title', 'content', 'createdAt', 'updatedAt', 'isSynced', 'isDeleted'].map(q).join(', ')}) VALUES (${[
        sqlText(post.odid), sqlText(post.author), sqlText(post.title), sqlText(post.content), timeLiteral(post.createdAt, n.entityTimestamps), timeLiteral(post.updatedAt, n.entityTimestamps), post.isSynced, post.isDeleted,
      ].join(', ')});`,
    );
  }
  for (const op of scenarioOperations) {
    statements.push(
      `INSERT INTO "${n.queue}" (${['id', 'entityType', 'entityId', 'operation', 'payload', 'createdAt', 'retryCount', 'lastAttempt', 'lastError'].map(q).join(', ')}) VALUES (${[
        op.id, sqlText(op.entity === 'user' ? n.userType : n.postType), sqlText(op.entityId), operationLiteral(op.operation, n.operationEncoding), sqlText(op.payload), timeLiteral(op.createdAt, n.queueTimestamps), op.retryCount, timeLiteral(op.lastAttempt, n.queueTimestamps), sqlText(op.lastError),
      ].join(', ')});`,
    );
  }
  statements.push(`INSERT INTO "${n.state}" ("key", "value") VALUES ('lastSyncAt', ${sqlText(new Date(scenarioNow - day).toISOString())}), ('schemaVersion', '3');`);
  statements.push('COMMIT;');
  return statements.join('\n');
}

/**
 * Writes `sql` into a fresh file with the real sqlite3 CLI and opens that file as the product does
 * (page by page, through openDatabaseFile). `close()` closes the database and removes the file.
 */
export async function sqliteFixture(sql: string): Promise<{ db: SqlDatabase; path: string; close: () => void }> {
  const { dir, cleanup } = scratchDir();
  const path = join(dir, 'fixture.db');
  try {
    sqlite3(path, sql);
    const opened = await openDatabaseFile(path);
    return {
      db: opened.db,
      path,
      close: () => {
        opened.close();
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
