// Opening a 1,000,000-row database with SyncLens (sql.js, the whole file loaded into memory) beside
// the native sqlite3 CLI doing the same work, in one run. Prints figures; asserts nothing.
//
//   npm run bench -- db-open
//
// The database is generated once by the sqlite3 CLI and cached in .bench/ (git-ignored).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openDatabaseFile } from '../core/db/open';
import { countRows, readPage } from '../core/db/rows';
import { ensureUsersDatabase } from './fixtures/usersDatabase';

const ROWS = 1_000_000;
const PAGE_ROWS = 100;
const OPEN_RUNS = 5;
const PAGE_RUNS = 50;
const DEEP_ROWID = 900_000;

const dbPath = ensureUsersDatabase(ROWS);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function timeSync(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

interface CliTiming {
  /** The whole command: process start, open, query, output. */
  wall: number;
  /** What sqlite3's own `.timer` reports for the statements alone. */
  query: number;
}

function sqliteCli(sql: string): CliTiming {
  const started = performance.now();
  const result = spawnSync('sqlite3', ['-readonly', dbPath], { input: `.timer on\n${sql}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  const timers = [...result.stdout.matchAll(/Run Time: real ([\d.]+)/g)].map((match) => Number(match[1]) * 1000);
  if (timers.length === 0) throw new Error('sqlite3 printed no .timer lines');
  return { wall, query: timers.reduce((sum, value) => sum + value, 0) };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function row(label: string, synclens: number, cli: CliTiming[]): string {
  const wall = median(cli.map((timing) => timing.wall));
  const query = median(cli.map((timing) => timing.query));
  // sqlite3's .timer has millisecond resolution: below that a ratio would be noise (or infinite).
  const ratio = (value: number): string => (value >= 1 ? `${(synclens / value).toFixed(2)}x` : 'n/a');
  return [
    label.padEnd(46),
    ms(synclens).padStart(10),
    ms(wall).padStart(10),
    ratio(wall).padStart(8),
    (query >= 1 ? ms(query) : '< 1 ms').padStart(10),
    ratio(query).padStart(9),
  ].join(' ');
}

async function main(): Promise<void> {
  console.log(`database: ${dbPath} (${megabytes(statSync(dbPath).size)}, ${ROWS.toLocaleString('en-US')} rows)`);
  // One untimed pass each so both sides start with the file in the OS page cache.
  sqliteCli('SELECT count(*) FROM "users";');

  // --- open + count + first page -------------------------------------------------------------
  const phases = { open: [] as number[], count: [] as number[], firstPage: [] as number[] };
  const openCountFirstPage = (quickCheck: boolean): Promise<number> =>
    timeAsync(async () => {
      let mark = performance.now();
      const opened = await openDatabaseFile(dbPath, { quickCheck });
      if (quickCheck) phases.open.push(performance.now() - mark);
      try {
        mark = performance.now();
        const total = countRows(opened.db, 'users');
        if (quickCheck) phases.count.push(performance.now() - mark);
        if (total !== ROWS) throw new Error(`counted ${total} rows`);
        mark = performance.now();
        const page = readPage(opened.db, { table: 'users', limit: PAGE_ROWS });
        if (quickCheck) phases.firstPage.push(performance.now() - mark);
        if (page.rows.length !== PAGE_ROWS) throw new Error(`first page has ${page.rows.length} rows`);
      } finally {
        opened.close();
      }
    });
  const openTimes: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run++) openTimes.push(await openCountFirstPage(true));
  // quick_check reads every page: what opening costs without it (e.g. reopening unchanged bytes).
  const openTimesNoCheck: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run++) openTimesNoCheck.push(await openCountFirstPage(false));
  const cliOpenTimes = Array.from({ length: OPEN_RUNS }, () =>
    sqliteCli(`SELECT count(*) FROM "users"; SELECT * FROM "users" ORDER BY "id" LIMIT ${PAGE_ROWS};`),
  );

  // --- keyset page turns deep in the table ---------------------------------------------------
  const opened = await openDatabaseFile(dbPath);
  let byRowid: number[];
  let bySorted: number[];
  let sortedCursorSql: string;
  try {
    byRowid = Array.from({ length: PAGE_RUNS }, () =>
      timeSync(() => {
        // The cursor a previous page would have handed back after this rowid.
        const page = readPage(opened.db, { table: 'users', after: { values: [DEEP_ROWID] }, limit: PAGE_ROWS });
        if (page.rows.length !== PAGE_ROWS) throw new Error(`deep page has ${page.rows.length} rows`);
      }),
    );
    // A cursor 90% of the way through the table by an indexed, non-unique-looking column.
    const deep = opened.db.exec(`SELECT "updatedAt", "id" FROM "users" ORDER BY "updatedAt", "id" LIMIT 1 OFFSET ${DEEP_ROWID}`)[0]?.values[0];
    const [updatedAt, id] = [Number(deep?.[0]), Number(deep?.[1])];
    sortedCursorSql = `SELECT * FROM "users" WHERE ("updatedAt", "id") > (${updatedAt}, ${id}) ORDER BY "updatedAt", "id" LIMIT ${PAGE_ROWS};`;
    bySorted = Array.from({ length: PAGE_RUNS }, () =>
      timeSync(() => {
        const page = readPage(opened.db, {
          table: 'users',
          sort: { column: 'updatedAt', direction: 'asc' },
          after: { values: [updatedAt, id] },
          limit: PAGE_ROWS,
        });
        if (page.rows.length !== PAGE_ROWS) throw new Error(`deep sorted page has ${page.rows.length} rows`);
      }),
    );
  } finally {
    opened.close();
  }
  const cliByRowid = Array.from({ length: PAGE_RUNS }, () =>
    sqliteCli(`SELECT * FROM "users" WHERE "id" > ${DEEP_ROWID} ORDER BY "id" LIMIT ${PAGE_ROWS};`),
  );
  const cliBySorted = Array.from({ length: PAGE_RUNS }, () => sqliteCli(sortedCursorSql));

  console.log('');
  console.log(
    [
      'median of runs'.padEnd(46),
      'SyncLens'.padStart(10),
      'sqlite3'.padStart(10),
      'ratio'.padStart(8),
      'sqlite3 Q'.padStart(10),
      'ratio Q'.padStart(9),
    ].join(' '),
  );
  console.log(row(`open + count + first ${PAGE_ROWS} rows (${OPEN_RUNS} runs)`, median(openTimes), cliOpenTimes));
  console.log(row('  the same without quick_check', median(openTimesNoCheck), cliOpenTimes));
  console.log(row(`page turn after rowid ${DEEP_ROWID} (${PAGE_RUNS} runs)`, median(byRowid), cliByRowid));
  console.log(row(`page turn by updatedAt, 90% deep (${PAGE_RUNS} runs)`, median(bySorted), cliBySorted));
  console.log('');
  console.log(
    `SyncLens open phases (median): load + WAL + quick_check ${ms(median(phases.open))}, count ${ms(median(phases.count))}, first page ${ms(median(phases.firstPage))}`,
  );
  console.log('sqlite3: the whole command (process start + open + query, as a user runs it); sqlite3 Q: its own .timer for the statements alone.');
  console.log('SyncLens page turns run on an already open database, so compare them with the Q column.');
  const pageTurn = Math.max(median(byRowid), median(bySorted));
  console.log(`page turn goal < 20 ms: ${pageTurn < 20 ? 'met' : 'NOT met'} (${ms(pageTurn)})`);
  // maxRSS is in kilobytes.
  console.log(`peak RSS of this process: ${megabytes(process.resourceUsage().maxRSS * 1024)}`);
  console.log(`load average while running: ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
