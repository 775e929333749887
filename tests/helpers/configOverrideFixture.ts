// An app database (written by the real sqlite3) beside a synclens.json that changes what detection
// alone would conclude: a role (journal becomes an entity table), a timestamp encoding (users.lastSeen
// holds epoch milliseconds under a name that does not say "time"), and the retry policy (maxRetries 3,
// an hour's backoff). Every view of the database must show the config's answer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTimestampUtc } from '../../core/db/timestamps';
import { sqlite3 } from './sqliteCli';

export const lastSeenMillis = 1_700_000_000_000;
/** How the grid shows users.lastSeen once the config declares it epoch-millis; without it, the bare number. */
export const lastSeenShown = formatTimestampUtc(lastSeenMillis);
export const journalCollection = 'journal_entries';

/** Queue totals as of the instant the fixture was written (give or take the minute op 2 waits for). */
export const expectedQueue = {
  withConfig: { total: 4, pending: 2, ready: 1, backingOff: 1, deadLettered: 2 },
  detectedOnly: { total: 4, pending: 4, ready: 4, backingOff: 0, deadLettered: 0 },
};

export const overridingConfig = {
  databases: ['*.db'],
  entities: {
    journal: { collection: journalCollection, columns: { externalId: 'remoteKey' } },
    users: { timestampEncodings: { lastSeen: 'epoch-millis' } },
  },
  maxRetries: 3,
  backoff: { baseMs: 3_600_000 },
};

/**
 * Writes `folder/app.db` and `folder/synclens.json`; returns the database path. `now` places the
 * failed attempts: op 2 failed a minute ago (ready under the default 2 s backoff, backing off under
 * the config's hour), ops 3 and 4 failed 3 and 4 times two days ago (pending under the default
 * maxRetries 5, dead-lettered under 3).
 */
export function writeConfigOverrideFixture(folder: string, now: number): string {
  const path = join(folder, 'app.db');
  const minuteAgo = now - 60_000;
  const twoDaysAgo = now - 2 * 86_400_000;
  sqlite3(
    path,
    `CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, name TEXT, lastSeen INTEGER,
       createdAt INTEGER, updatedAt INTEGER, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0);
     INSERT INTO users (odid, name, lastSeen, createdAt, updatedAt) VALUES
       ('u1', 'Ada', ${lastSeenMillis}, ${twoDaysAgo}, ${twoDaysAgo}),
       ('u2', 'Grace', ${lastSeenMillis}, ${twoDaysAgo}, ${twoDaysAgo}),
       ('u3', 'Edsger', ${lastSeenMillis}, ${twoDaysAgo}, ${twoDaysAgo});
     CREATE TABLE journal (id INTEGER PRIMARY KEY, remoteKey TEXT NOT NULL, body TEXT);
     INSERT INTO journal (remoteKey, body) VALUES ('j1', 'first entry');
     CREATE TABLE sync_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, entityType TEXT NOT NULL, entityId TEXT NOT NULL,
       operation TEXT NOT NULL, payload TEXT, createdAt INTEGER NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0,
       lastAttempt INTEGER, lastError TEXT);
     INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt, retryCount, lastAttempt, lastError) VALUES
       ('users', 'u1', 'update', '{"name":"Ada"}', ${twoDaysAgo}, 0, NULL, NULL),
       ('journal', 'j1', 'update', '{"body":"first entry"}', ${twoDaysAgo + 1}, 1, ${minuteAgo}, 'UNAVAILABLE'),
       ('users', 'u2', 'update', '{"name":"Grace"}', ${twoDaysAgo + 2}, 3, ${twoDaysAgo}, 'PERMISSION_DENIED'),
       ('users', 'u3', 'update', '{"name":"Edsger"}', ${twoDaysAgo + 3}, 4, ${twoDaysAgo}, 'PERMISSION_DENIED');`,
  );
  writeFileSync(join(folder, 'synclens.json'), JSON.stringify(overridingConfig, null, 2));
  return path;
}
