// The queue analysis alone (core/db/queue.ts analyzeQueue: read, statuses, supersession, backoff)
// and the queue revision a plan names (extension/sync/queueRevision.ts), on queues of 10,000 and
// 100,000 ops written by the real sqlite3 CLI and read through SyncLens's own wa-sqlite VFS, as the
// extension and the CLI read them. Goal (issue 13): analyzeQueue <= 5 µs an op. Prints figures;
// asserts nothing about time.
//   npm run bench -- analyze-queue
//   SYNCLENS_BENCH_QUEUE_SIZES=10000,100000  queue sizes; SYNCLENS_BENCH_RUNS=7  timed runs (median)
//   SYNCLENS_BENCH_KEEP_DIR=<dir>  write the databases there and keep them (to profile or compare)
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabaseFile } from '../core/db/open';
import { analyzeQueue, readQueue } from '../core/db/queue';
import { detectRoles } from '../core/db/roles';
import { readSchema } from '../core/db/schema';
import { queueRevisionOf } from '../extension/sync/queueRevision';
import { scratchDir, sqlite3 } from '../tests/helpers/sqliteCli';
import { errorMessage } from '../core/errors';

const sizes = (process.env.SYNCLENS_BENCH_QUEUE_SIZES ?? '10000,100000').split(',').map(Number);
const runs = Number(process.env.SYNCLENS_BENCH_RUNS ?? 7);
const goalMicros = 5;
const base = Date.UTC(2026, 10, 20, 9, 0, 0);

/**
 * A queue shaped like a real backlog: one entity per 4 ops, each with a create, two updates (the
 * first covered by the second) and, for every 10th entity, a delete; 1 in 50 ops failed before
 * (some still backing off, some dead-lettered), 1 in 500 payloads is not JSON, 1 in 200 updates
 * names a row that is gone. Times are ISO-8601 text, as the reference's toIso8601String() writes.
 */
function writeQueue(path: string, ops: number): void {
  const entities = Math.ceil(ops / 4);
  sqlite3(path, `
    PRAGMA journal_mode = WAL;
    CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, profile TEXT, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt TEXT NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt TEXT, lastError TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${entities})
    INSERT INTO users (odid, email, name, profile, createdAt, updatedAt)
      SELECT printf('user%07d', i), printf('user%d@example.com', i), printf('User %d', i), json_object('city', 'Lyon', 'tags', json_array('a', 'b')),
             strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000}, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + i, 'unixepoch') FROM n
      WHERE i % 200 != 7;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ops - 1})
    INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt, retryCount, lastAttempt, lastError)
      SELECT 'users', printf('user%07d', i / 4 + 1),
             CASE WHEN i % 4 = 0 THEN 'create' WHEN i % 4 = 3 AND (i / 4) % 10 = 0 THEN 'delete' ELSE 'update' END,
             CASE WHEN i % 500 = 499 THEN '{not json' WHEN i % 4 = 3 AND (i / 4) % 10 = 0 THEN NULL
                  ELSE json_object('odid', printf('user%07d', i / 4 + 1), 'email', printf('user%d@example.com', i), 'name', printf('User %d', i),
                                   'profile', json_object('city', 'Lyon', 'tags', json_array('a', 'b')),
                                   'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000}, 'unixepoch'),
                                   'updatedAt', strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + i, 'unixepoch'), 'isDeleted', json('false'), 'version', i % 4 + 1) END,
             strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + i, 'unixepoch'),
             CASE WHEN i % 50 = 1 THEN 1 + (i / 50) % 6 ELSE 0 END,
             CASE WHEN i % 50 = 1 THEN strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + 86400 - (i % 7) * 10, 'unixepoch') END,
             CASE WHEN i % 50 = 1 THEN 'UNAVAILABLE: the service is currently unavailable' END
      FROM n;
  `);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Median wall and CPU milliseconds of `runs` runs after a warm-up (JIT, SQLite's page cache). */
function timed(work: () => void): { wallMs: number; cpuMs: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  work();
  for (let run = 0; run < runs; run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    work();
    walls.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

async function main(): Promise<void> {
  const kept = process.env.SYNCLENS_BENCH_KEEP_DIR;
  const { dir, cleanup } = kept ? { dir: kept, cleanup: () => {} } : scratchDir('synclens-bench-analyze-');
  try {
    console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}; median of ${runs} runs after one warm-up`);
    for (const size of sizes) {
      const path = join(dir, `queue-${size}.db`);
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      writeQueue(path, size);
      const opened = await openDatabaseFile(path, { quickCheck: false });
      try {
        const roles = detectRoles(opened.db, readSchema(opened.db));
        const now = base + 86_400_000;
        let analysis = analyzeQueue(opened.db, roles, { now });
        if (analysis.operations.length !== size) throw new Error(`analyzeQueue saw ${analysis.operations.length} of ${size} ops`);
        const read = timed(() => void readQueue(opened.db, roles));
        const analyze = timed(() => void (analysis = analyzeQueue(opened.db, roles, { now })));
        const revision = timed(() => void queueRevisionOf(analysis.operations));
        // CPU time beside wall time: on a shared machine the wall time also counts others' turns.
        const perOp = (ms: number): string => `${((ms * 1000) / size).toFixed(2)} µs/op`;
        const both = (step: { wallMs: number; cpuMs: number }): string => `${perOp(step.wallMs)} (CPU ${perOp(step.cpuMs)})`;
        const t = analysis.totals;
        console.log(
          `${size} ops: analyzeQueue ${analyze.wallMs.toFixed(1)} ms = ${both(analyze)}, of which readQueue ${both(read)}; ` +
            `queue revision ${both(revision)} [ready ${t.ready}, superseded ${t.superseded}, backing off ${t.backingOff}, dead ${t.deadLettered}, invalid ${t.invalid}, orphans ${t.orphans}]`,
        );
        const microsPerOp = (analyze.wallMs * 1000) / size;
        console.log(`analyzeQueue at ${size} ops: ${perOp(analyze.wallMs)} (goal <= ${goalMicros} µs/op: ${microsPerOp <= goalMicros ? 'PASS' : 'FAIL'})`);
      } finally {
        opened.close();
      }
    }
  } finally {
    cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench/analyze-queue: ${errorMessage(error)}`);
  process.exitCode = 1;
});
