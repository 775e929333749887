// Brick's offline request queue as brick_offline_first_with_rest leaves it, written by the real
// sqlite3: the HttpJobs DDL of RestRequestSqliteCacheManager.migrate (GetDutchie/brick
// packages/brick_offline_first_with_rest/lib/src/offline_queue/rest_request_sqlite_cache_manager.dart,
// commit 661f0d17350f7e78f791676e25392710eb09ffd3), rows as RestRequestSqliteCache.toSqlite writes
// them (rest_request_sqlite_cache.dart, commit a857e97df4ac4c1496199cf6acc52e987b22ff00: attempts 1,
// body, created_at and updated_at in epoch ms, encoding, headers as jsonEncode(request.headers),
// request_method, url as request.url.toString()) and changed as RequestSqliteCache.insertOrUpdate
// and unlock change them (packages/brick_offline_first/lib/src/offline_queue/request_sqlite_cache.dart,
// commit 5e5cf5dd13284ca4904a742a0097e7c2d3dc0a7f: a retry adds 1 to attempts, sets updated_at and
// locks the row; a failed send unlocks it).
import { join } from 'node:path';
import { sqlite3 } from '../../helpers/sqliteCli';

const httpJobsDdl = `CREATE TABLE IF NOT EXISTS \`HttpJobs\` (
  \`id\` INTEGER PRIMARY KEY AUTOINCREMENT,
  \`attempts\` INTEGER DEFAULT 1,
  \`body\` TEXT,
  \`encoding\` TEXT,
  \`headers\` TEXT,
  \`locked\` INTEGER DEFAULT 0,
  \`request_method\` TEXT,
  \`updated_at\` INTEGER DEFAULT 0,
  \`url\` TEXT,
  \`created_at\` INTEGER DEFAULT 0
);`;

export interface BrickJob {
  attempts: number;
  body: string | null;
  headers: Record<string, string>;
  locked: 0 | 1;
  method: string;
  url: string;
  createdAt: number;
  updatedAt: number;
}

const text = (value: string | null): string => (value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`);

export function writeBrickFixture(dir: string, jobs: readonly BrickJob[], name = 'brick_offline_queue.sqlite'): string {
  const path = join(dir, name);
  const rows = jobs.map(
    (job) =>
      `INSERT INTO HttpJobs (attempts, body, encoding, headers, locked, request_method, updated_at, url, created_at) VALUES (${job.attempts}, ${text(job.body)}, 'utf-8', ${text(JSON.stringify(job.headers))}, ${job.locked}, '${job.method}', ${job.updatedAt}, ${text(job.url)}, ${job.createdAt});`,
  );
  sqlite3(path, [httpJobsDdl, ...rows].join('\n'));
  return path;
}

/**
 * The issue's three requests, as a Supabase app's Brick queue holds them (brick_offline_first_with_supabase
 * sends PostgREST requests through the same HttpJobs queue):
 * 1. an upsert: POST /rest/v1/kitchens?on_conflict=slug, `Prefer: return=representation,resolution=merge-duplicates`,
 *    the row's key in its body; tried once and failed (unlocked);
 * 2. an update: PATCH /rest/v1/kitchens?slug=eq.k2, its third attempt in flight (locked a minute ago);
 * 3. a delete: DELETE /kitchens/k3 on a plain REST backend, locked ten minutes ago (a stale lock:
 *    the app died mid-send; Brick unlocks it after two minutes).
 */
export function brickIssueJobs(now: number): BrickJob[] {
  const minutesAgo = (minutes: number): number => now - minutes * 60_000;
  const json = { 'Content-Type': 'application/json; charset=utf-8' };
  return [
    {
      attempts: 1,
      body: JSON.stringify({ slug: 'k1', name: 'Kiwi' }),
      headers: { ...json, Prefer: 'return=representation,resolution=merge-duplicates' },
      locked: 0,
      method: 'POST',
      url: 'https://demo.supabase.co/rest/v1/kitchens?on_conflict=slug',
      createdAt: minutesAgo(20),
      updatedAt: minutesAgo(20),
    },
    {
      attempts: 3,
      body: JSON.stringify({ name: 'Lime' }),
      headers: { ...json, prefer: 'return=minimal' },
      locked: 1,
      method: 'PATCH',
      url: 'https://demo.supabase.co/rest/v1/kitchens?slug=eq.k2',
      createdAt: minutesAgo(15),
      updatedAt: minutesAgo(1),
    },
    {
      attempts: 2,
      body: '',
      headers: json,
      locked: 1,
      method: 'DELETE',
      url: 'https://api.example.com/kitchens/k3',
      createdAt: minutesAgo(12),
      updatedAt: minutesAgo(10),
    },
  ];
}
