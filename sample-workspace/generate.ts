// Writes the sample workspace's databases with the real `sqlite3` CLI, deterministically: a fixed
// clock (SAMPLE_NOW), a seeded PRNG for the data and SQLite's own PRNG seeded so that even the WAL
// header's salts repeat. Run by `npm run sample`; `node --import tsx sample-workspace/generate.ts
// <dir>` writes elsewhere (the tests do that to check that regenerating gives the same bytes).
//
// The SQL is built here as text because it is piped into the CLI, so values are written as
// literals through sqlLiteral (quotes doubled), never pasted raw.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultEmulatorProjectId } from '../core/config/target';
import { firestoreSdkCacheFileName, firestoreSdkCacheSql } from './firestoreSdkCache';

/** The instant the sample was "pulled off the device"; every time in it is relative to this. */
export const SAMPLE_NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Literal = string | number | null;

function sqlLiteral(value: Literal): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function insert(table: string, row: Record<string, Literal>): string {
  const columns = Object.keys(row).map((name) => `"${name.replace(/"/g, '""')}"`);
  const values = Object.values(row).map(sqlLiteral);
  return `INSERT INTO "${table.replace(/"/g, '""')}" (${columns.join(', ')}) VALUES (${values.join(', ')});`;
}

/** mulberry32: small, well-known, and identical on every platform. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// The data: users and posts as the reference's UserModel / PostModel, with sync metadata.

interface User {
  id: number;
  odid: string;
  email: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  isSynced: number;
  isDeleted: number;
  version: number;
  settings: { darkMode: boolean; locale: string; notificationsEnabled: boolean };
}

interface Post {
  id: number;
  odid: string;
  authorId: string;
  title: string;
  content: string;
  createdAt: number;
  updatedAt: number;
  isSynced: number;
  isDeleted: number;
  version: number;
}

interface Operation {
  entityType: 'users' | 'posts';
  entityId: string;
  operation: 'create' | 'update' | 'delete';
  /** Raw payload text: usually the entity's JSON, deliberately broken for the invalid ones. */
  payload: string;
  createdAt: number;
  retryCount: number;
  lastAttempt: number | null;
  lastError: string | null;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim', 'Katherine', 'Guido', 'Hedy', 'Bjarne', 'Sophie', 'Niklaus', 'Anita', 'John'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee', 'Johnson', 'van Rossum', 'Lamarr', 'Stroustrup', 'Wilson', 'Wirth', 'Borg', 'Backus'];
const LOCALES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'nl_NL', 'ja_JP', 'pt_BR'];
const TOPICS = ['offline sync', 'conflict resolution', 'soft deletes', 'retry queues', 'Firestore rules', 'SQLite WAL', 'schema migrations', 'background fetch', 'optimistic UI', 'vector clocks'];
const FIRESTORE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface SampleData {
  users: User[];
  posts: Post[];
  operations: Operation[];
  syncState: Array<{ key: string; value: string }>;
  /** The newest edits: committed only into the WAL of the WAL-mode copy. */
  walTransactions: Array<{ statements: string[]; operations: Operation[] }>;
}

function buildSampleData(): SampleData {
  const random = seededRandom(20261124);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (from: number, to: number): number => from + Math.floor(random() * (to - from));
  // Firestore auto-ids: 20 characters from this alphabet.
  const documentId = (): string => Array.from({ length: 20 }, () => pick([...FIRESTORE_ID_ALPHABET])).join('');

  const users: User[] = Array.from({ length: 40 }, (_, index) => {
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[(index * 7 + 3) % LAST_NAMES.length] as string;
    const createdAt = between(SAMPLE_NOW - 300 * DAY, SAMPLE_NOW - 30 * DAY);
    return {
      id: index + 1,
      odid: documentId(),
      email: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `${index + 1}@example.com`,
      name: `${first} ${last}`,
      createdAt,
      updatedAt: between(createdAt, SAMPLE_NOW - 4 * DAY),
      isSynced: 1,
      isDeleted: 0,
      version: between(1, 6),
      settings: { darkMode: random() < 0.5, locale: pick(LOCALES), notificationsEnabled: random() < 0.7 },
    };
  });

  const posts: Post[] = Array.from({ length: 60 }, (_, index) => {
    const author = users[(index * 13) % users.length] as User;
    const createdAt = between(author.createdAt, SAMPLE_NOW - 5 * DAY);
    const topic = pick(TOPICS);
    return {
      id: index + 1,
      odid: documentId(),
      authorId: author.odid,
      title: `Notes on ${topic} #${index + 1}`,
      content: `What we learned about ${topic} while shipping the app. ${pick(['Short version: test it on a plane.', 'It depends on the clock.', 'Queue everything, trust nothing.', 'Measure before you batch.'])}`,
      createdAt,
      updatedAt: between(createdAt, SAMPLE_NOW - 4 * DAY),
      isSynced: 1,
      isDeleted: 0,
      version: between(1, 4),
    };
  });

  const user = (id: number): User => users[id - 1] as User;
  const post = (id: number): Post => posts[id - 1] as Post;
  // The queued payloads are the app's JSON of the model: times as ISO text, settings as an object.
  const userJson = (u: User): string => entityJson(userRow(u), { createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt), settings: u.settings });
  const postJson = (p: Post): string => entityJson(postRow(p), {});
  /** A local edit: bumps updatedAt and version and marks the row unsynced, as the repository does. */
  const editUser = (u: User, at: number, change: Partial<User>): string => {
    Object.assign(u, change, { updatedAt: at, version: u.version + 1, isSynced: 0 });
    return userJson(u);
  };
  const editPost = (p: Post, at: number, change: Partial<Post>): string => {
    Object.assign(p, change, { updatedAt: at, version: p.version + 1, isSynced: 0 });
    return postJson(p);
  };
  /** A post written on the device and never synced. */
  const offlinePost = (id: number, authorId: string, title: string, content: string, at: number): Post => ({
    id,
    odid: documentId(),
    authorId,
    title,
    content,
    createdAt: at,
    updatedAt: at,
    isSynced: 0,
    isDeleted: 0,
    version: 1,
  });
  const op = (operation: Omit<Operation, 'retryCount' | 'lastAttempt' | 'lastError'> & Partial<Operation>): Operation => ({
    retryCount: 0,
    lastAttempt: null,
    lastError: null,
    ...operation,
  });
  const failed = (retryCount: number, lastAttempt: number, lastError: string): Pick<Operation, 'retryCount' | 'lastAttempt' | 'lastError'> => ({ retryCount, lastAttempt, lastError });
  /** A local edit made at `at` and the op queued for it in the same transaction. */
  const userEdit = (u: User, operation: Operation['operation'], at: number, change: Partial<User>, failure?: ReturnType<typeof failed>): Operation =>
    op({ entityType: 'users', entityId: u.odid, operation, payload: editUser(u, at, change), createdAt: at, ...failure });
  const postEdit = (p: Post, operation: Operation['operation'], at: number, change: Partial<Post>, failure?: ReturnType<typeof failed>): Operation =>
    op({ entityType: 'posts', entityId: p.odid, operation, payload: editPost(p, at, change), createdAt: at, ...failure });

  // Two users and one post created on the device and never synced.
  const newUser: User = {
    ...user(40),
    id: 41,
    odid: documentId(),
    email: 'margaret.hamilton41@example.com',
    name: 'Margaret Hamilton',
    createdAt: SAMPLE_NOW - 30 * MINUTE,
    updatedAt: SAMPLE_NOW - 30 * MINUTE,
    isSynced: 0,
    version: 1,
    settings: { darkMode: true, locale: 'en_US', notificationsEnabled: true },
  };
  users.push(newUser);
  const newPost = offlinePost(61, newUser.odid, 'First post from the field', 'Written offline on a train; it should reach Firestore once we are back in coverage.', SAMPLE_NOW - 10 * MINUTE);
  posts.push(newPost);
  const neverSyncedPost = post(40);
  neverSyncedPost.isSynced = 0;
  neverSyncedPost.version = 1;

  const missingUserId = documentId();
  const missingPostId = documentId();

  // Order of the statuses follows the queue's send order (createdAt). Every status occurs.
  const operations: Operation[] = [
    // dead-lettered: retries exhausted (retryCount >= maxRetries 5).
    userEdit(user(11), 'update', SAMPLE_NOW - 6 * DAY, { name: `${user(11).name} (admin)` }, failed(5, SAMPLE_NOW - 5 * DAY, 'FirebaseException [permission-denied] Missing or insufficient permissions.')),
    op({
      entityType: 'posts',
      entityId: neverSyncedPost.odid,
      operation: 'create',
      payload: postJson(neverSyncedPost),
      createdAt: SAMPLE_NOW - 5 * DAY,
      ...failed(7, SAMPLE_NOW - 4 * DAY, 'FirebaseException [invalid-argument] Property content contains an invalid nested entity.'),
    }),
    // invalid: the payload is not a JSON object (cut short by a crash mid-write).
    op({
      entityType: 'users',
      entityId: user(14).odid,
      operation: 'update',
      payload: editUser(user(14), SAMPLE_NOW - 4 * DAY, { email: user(14).email.replace('@example.com', '@example.org') }).slice(0, 57),
      createdAt: SAMPLE_NOW - 4 * DAY,
    }),
    // ready: failed once two days ago, its backoff has long expired.
    postEdit(post(12), 'update', SAMPLE_NOW - 2 * DAY - 3 * HOUR, { title: `${post(12).title} (edited)` }, failed(1, SAMPLE_NOW - 2 * DAY, 'FirebaseException [unavailable] The service is currently unavailable.')),
    // orphan: an update for a user row that no longer exists locally.
    op({
      entityType: 'users',
      entityId: missingUserId,
      operation: 'update',
      payload: JSON.stringify({ odid: missingUserId, name: 'Removed Person', email: 'gone@example.com', updatedAt: iso(SAMPLE_NOW - 44 * HOUR), version: 3 }),
      createdAt: SAMPLE_NOW - 44 * HOUR,
    }),
    // superseded: a later full update of the same user makes this one redundant.
    userEdit(user(20), 'update', SAMPLE_NOW - 30 * HOUR, { settings: { ...user(20).settings, darkMode: true } }),
    // superseded: the post is deleted later, so this update need not be sent.
    postEdit(post(30), 'update', SAMPLE_NOW - 26 * HOUR, { content: `${post(30).content} Update: fixed a typo.` }),
    // ready.
    userEdit(user(5), 'update', SAMPLE_NOW - 20 * HOUR, { settings: { ...user(5).settings, locale: 'de_DE' } }),
    // invalid: JSON, but not an object.
    op({ entityType: 'posts', entityId: post(20).odid, operation: 'update', payload: 'null', createdAt: SAMPLE_NOW - 16 * HOUR }),
    // backing-off: four failures, the last one 3 s before SAMPLE_NOW. Its next attempt comes after
    // SAMPLE_NOW under the default policy (2 s * 2^n, jitter, cap 1 h) — so it is backing off only
    // when judged at SAMPLE_NOW (`inspect --now`); against today's clock it is ready.
    userEdit(user(9), 'update', SAMPLE_NOW - 3 * HOUR, { name: `${user(9).name} Jr.` }, failed(4, SAMPLE_NOW - 3 * SECOND, 'FirebaseException [deadline-exceeded] Deadline expired before operation could complete.')),
    // ready, not an orphan: a delete for a post the app already purged locally. A missing row is
    // expected for a delete (the app may hard-delete first), and the delete must still be sent.
    op({ entityType: 'posts', entityId: missingPostId, operation: 'delete', payload: JSON.stringify({ odid: missingPostId }), createdAt: SAMPLE_NOW - 2 * HOUR }),
    // ready: the newer update of user 20.
    userEdit(user(20), 'update', SAMPLE_NOW - 90 * MINUTE, { name: `${user(20).name}-Smith` }),
    // ready: soft delete of post 30 (the row stays with isDeleted = 1 until the remote confirms).
    postEdit(post(30), 'delete', SAMPLE_NOW - 60 * MINUTE, { isDeleted: 1 }),
    // ready: creations made offline.
    op({ entityType: 'users', entityId: newUser.odid, operation: 'create', payload: userJson(newUser), createdAt: newUser.createdAt }),
    op({ entityType: 'posts', entityId: newPost.odid, operation: 'create', payload: postJson(newPost), createdAt: newPost.createdAt }),
  ];

  const syncState = [
    { key: 'lastSyncAt', value: iso(SAMPLE_NOW - 3 * DAY - 2 * HOUR) },
    { key: 'schemaVersion', value: '3' },
  ];

  // The WAL-only tail: three transactions committed by the app moments before the copy was taken.
  const walTransactions: SampleData['walTransactions'] = [];
  {
    // Copies: the main file must keep the rows as they were before these transactions.
    const renamed = { ...user(3) };
    const rename = userEdit(renamed, 'update', SAMPLE_NOW - 8 * MINUTE, { name: `${renamed.name} PhD` });
    walTransactions.push({
      statements: [
        `UPDATE "users" SET "name" = ${sqlLiteral(renamed.name)}, "updatedAt" = ${renamed.updatedAt}, "version" = ${renamed.version}, "isSynced" = 0 WHERE "odid" = ${sqlLiteral(renamed.odid)};`,
      ],
      operations: [rename],
    });
    const reply = offlinePost(62, renamed.odid, 'Re: First post from the field', 'Welcome back online!', SAMPLE_NOW - 6 * MINUTE);
    walTransactions.push({
      statements: [insert('posts', postRow(reply))],
      operations: [op({ entityType: 'posts', entityId: reply.odid, operation: 'create', payload: postJson(reply), createdAt: reply.createdAt })],
    });
    const removed = { ...post(7) };
    const removal = postEdit(removed, 'delete', SAMPLE_NOW - 4 * MINUTE, { isDeleted: 1 });
    walTransactions.push({
      statements: [
        `UPDATE "posts" SET "isDeleted" = 1, "isSynced" = 0, "updatedAt" = ${sqlLiteral(iso(removed.updatedAt))}, "version" = ${removed.version} WHERE "odid" = ${sqlLiteral(removed.odid)};`,
      ],
      operations: [removal],
    });
  }
  return { users, posts, operations, syncState, walTransactions };
}

/** An entity as the app's toJson() writes it: its row without the local id and isSynced, isDeleted as a boolean. */
function entityJson(row: Record<string, Literal>, jsonValues: Record<string, unknown>): string {
  const { id: _id, isSynced: _isSynced, ...synced } = row;
  return JSON.stringify({ ...synced, isDeleted: row.isDeleted === 1, ...jsonValues });
}

// The interfaces list the fields in the tables' column order, so a row is the entity's fields.
function userRow(u: User): Record<string, Literal> {
  return { ...u, settings: JSON.stringify(u.settings) };
}

function postRow(p: Post): Record<string, Literal> {
  return { ...p, createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt) };
}

function operationRow(o: Operation): Record<string, Literal> {
  return { ...o };
}

// Users keep timestamps as epoch milliseconds, posts as ISO-8601 text, the queue as epoch
// milliseconds: the mix apps end up with, which SyncLens must detect per column.
/** The app's sync queue table (DESIGN.md's convention); the bench's large databases use it too. */
export const SYNC_OPERATIONS_TABLE = `CREATE TABLE "sync_operations" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "entityType" TEXT NOT NULL,
  "entityId" TEXT NOT NULL,
  "operation" TEXT NOT NULL CHECK ("operation" IN ('create', 'update', 'delete')),
  "payload" TEXT NOT NULL,
  "createdAt" INTEGER NOT NULL,
  "retryCount" INTEGER NOT NULL DEFAULT 0,
  "lastAttempt" INTEGER,
  "lastError" TEXT
);`;

const APP_SCHEMA = `
CREATE TABLE "users" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "odid" TEXT NOT NULL UNIQUE,
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "createdAt" INTEGER NOT NULL,
  "updatedAt" INTEGER NOT NULL,
  "isSynced" INTEGER NOT NULL DEFAULT 0 CHECK ("isSynced" IN (0, 1)),
  "isDeleted" INTEGER NOT NULL DEFAULT 0 CHECK ("isDeleted" IN (0, 1)),
  "version" INTEGER NOT NULL DEFAULT 1,
  "settings" TEXT
);
CREATE INDEX "idx_users_email" ON "users" ("email");
CREATE INDEX "idx_users_updatedAt" ON "users" ("updatedAt");
CREATE INDEX "idx_users_isSynced" ON "users" ("isSynced");
CREATE TABLE "posts" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "odid" TEXT NOT NULL UNIQUE,
  "authorId" TEXT NOT NULL REFERENCES "users" ("odid") ON DELETE CASCADE,
  "title" TEXT NOT NULL,
  "content" TEXT NOT NULL DEFAULT '',
  "createdAt" TEXT NOT NULL,
  "updatedAt" TEXT NOT NULL,
  "isSynced" INTEGER NOT NULL DEFAULT 0,
  "isDeleted" INTEGER NOT NULL DEFAULT 0,
  "version" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "idx_posts_authorId" ON "posts" ("authorId");
CREATE INDEX "idx_posts_createdAt" ON "posts" ("createdAt");
${SYNC_OPERATIONS_TABLE}
CREATE INDEX "idx_sync_operations_entity" ON "sync_operations" ("entityType", "entityId");
CREATE INDEX "idx_sync_operations_createdAt" ON "sync_operations" ("createdAt");
CREATE TABLE "sync_state" (
  "key" TEXT PRIMARY KEY NOT NULL,
  "value" TEXT
);
`;

function appDatabaseSql(data: SampleData): string {
  return [
    APP_SCHEMA,
    'BEGIN;',
    ...data.users.map((u) => insert('users', userRow(u))),
    ...data.posts.map((p) => insert('posts', postRow(p))),
    ...data.operations.map((o) => insert('sync_operations', operationRow(o))),
    ...data.syncState.map((entry) => insert('sync_state', entry)),
    'COMMIT;',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Isar-style: class-named tables, epoch-microsecond DateTimes, the operation as its enum ordinal.

const ISAR_SCHEMA = `
CREATE TABLE "UserModel" (
  "id" INTEGER PRIMARY KEY,
  "odid" TEXT NOT NULL,
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "updatedAt" INTEGER NOT NULL,
  "createdAt" INTEGER NOT NULL,
  "isSynced" INTEGER NOT NULL,
  "isDeleted" INTEGER NOT NULL,
  "settings" TEXT
);
CREATE UNIQUE INDEX "UserModel_odid" ON "UserModel" ("odid");
CREATE TABLE "PostModel" (
  "id" INTEGER PRIMARY KEY,
  "odid" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "content" TEXT NOT NULL,
  "createdAt" INTEGER NOT NULL,
  "isSynced" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "PostModel_odid" ON "PostModel" ("odid");
CREATE TABLE "SyncOperation" (
  "id" INTEGER PRIMARY KEY,
  "entityType" TEXT NOT NULL,
  "entityId" TEXT NOT NULL,
  "operation" INTEGER NOT NULL,
  "payload" TEXT NOT NULL,
  "createdAt" INTEGER NOT NULL,
  "retryCount" INTEGER NOT NULL,
  "lastAttempt" INTEGER,
  "lastError" TEXT
);
CREATE INDEX "SyncOperation_createdAt" ON "SyncOperation" ("createdAt");
`;

function isarDatabaseSql(data: SampleData): string {
  const micros = (ms: number): number => ms * 1000;
  const ordinal = { create: 0, update: 1, delete: 2 } as const;
  const users = data.users.slice(0, 12);
  const posts = data.posts.slice(0, 8);
  const operations = data.operations.filter(
    (o) => users.some((u) => u.odid === o.entityId) || posts.some((p) => p.odid === o.entityId),
  );
  return [
    ISAR_SCHEMA,
    'BEGIN;',
    ...users.map((u) =>
      insert('UserModel', {
        id: u.id,
        odid: u.odid,
        email: u.email,
        name: u.name,
        updatedAt: micros(u.updatedAt),
        createdAt: micros(u.createdAt),
        isSynced: u.isSynced,
        isDeleted: u.isDeleted,
        settings: JSON.stringify(u.settings),
      }),
    ),
    ...posts.map((p) =>
      insert('PostModel', { id: p.id, odid: p.odid, title: p.title, content: p.content, createdAt: micros(p.createdAt), isSynced: p.isSynced }),
    ),
    ...operations.map((o, index) =>
      insert('SyncOperation', {
        id: index + 1,
        entityType: o.entityType === 'users' ? 'UserModel' : 'PostModel',
        entityId: o.entityId,
        operation: ordinal[o.operation],
        payload: o.payload,
        createdAt: micros(o.createdAt),
        retryCount: o.retryCount,
        lastAttempt: o.lastAttempt === null ? null : micros(o.lastAttempt),
        lastError: o.lastError,
      }),
    ),
    'COMMIT;',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Seeds SQLite's PRNG so that the bytes it writes (WAL salts) repeat from run to run. */
const DETERMINISTIC_SESSION = '.testctrl prng_seed 20261124\n';

function runSqlite(cwd: string, database: string, script: string): void {
  execFileSync('sqlite3', ['-bail', database], { cwd, input: DETERMINISTIC_SESSION + script, stdio: ['pipe', 'ignore', 'pipe'] });
}

export function generateSample(outDir: string): string[] {
  const data = buildSampleData();
  const work = mkdtempSync(join(tmpdir(), 'synclens-sample-'));
  try {
    mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    const publish = (name: string, as = name): void => {
      copyFileSync(join(work, name), join(outDir, as));
      written.push(as);
    };

    runSqlite(work, 'app.db', appDatabaseSql(data));
    publish('app.db');

    // The WAL copy: the same history checkpointed into the main file, then the newest
    // transactions committed into the -wal only. The files are copied while this session still
    // holds them (closing would checkpoint and delete the -wal), as one would copy them off a
    // device whose app is running.
    const walTail = data.walTransactions.flatMap((transaction) => [
      'BEGIN;',
      ...transaction.statements,
      ...transaction.operations.map((o) => insert('sync_operations', operationRow(o))),
      'COMMIT;',
    ]);
    runSqlite(
      work,
      'live.db',
      [
        'PRAGMA journal_mode = WAL;',
        'PRAGMA wal_autocheckpoint = 0;',
        appDatabaseSql(data),
        'PRAGMA wal_checkpoint(TRUNCATE);',
        ...walTail,
        '.shell cp live.db app-wal.db && cp live.db-wal app-wal.db-wal',
      ].join('\n'),
    );
    if (statSync(join(work, 'app-wal.db-wal')).size <= 32) throw new Error('the WAL copy has no frames in its -wal');
    rmSync(join(outDir, 'app-wal.db-shm'), { force: true });
    publish('app-wal.db');
    publish('app-wal.db-wal');

    runSqlite(work, 'isar-style.db', isarDatabaseSql(data));
    publish('isar-style.db');

    // The Firestore Android SDK's own offline cache of the same app (sample-workspace/firestoreSdkCache.ts).
    const sdkCache = firestoreSdkCacheFileName(defaultEmulatorProjectId);
    runSqlite(work, sdkCache, firestoreSdkCacheSql(defaultEmulatorProjectId, SAMPLE_NOW));
    publish(sdkCache);
    return written;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const outDir = resolve(process.argv[2] ?? dirname(__filename));
  const written = generateSample(outDir);
  console.log(`sample written to ${outDir}: ${written.join(', ')}`);
}
