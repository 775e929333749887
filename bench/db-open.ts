// Opening app databases with SyncLens, through the product's own path (core/db/open
// openDatabaseFile, the database worker's openForBrowsing / readGridPage, core/db/rows readPage / countRows), beside
// the native sqlite3 CLI doing the same work, in one run, at two sizes:
//   - the 157 MB, 1,000,000-row users database (bench/fixtures/usersDatabase.ts)
//   - a 2.35 GiB app database: the same users, 4,500 photos as 512 KiB BLOBs, a 5,000-operation
//     sync queue (bench/fixtures/attachmentsDatabase.ts)
// Both are written by the sqlite3 CLI and cached in .bench/ (git-ignored). Peak RSS is measured in a
// process of its own (bench/fixtures/productProbe.ts, bundled like the extension's worker).
// Prints figures and each goal's ratio with PASS/FAIL; asserts nothing.
//
//   npm run bench -- db-open
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { openForBrowsing, readGridPage } from '../extension/worker/coreAdapter';
import { openDatabaseFile } from '../core/db/open';
import { analyzeQueue } from '../core/db/queue';
import { detectRoles } from '../core/db/roles';
import { countRows, readPage } from '../core/db/rows';
import { readSchema } from '../core/db/schema';
import { ensureAttachmentsDatabase } from './fixtures/attachmentsDatabase';
import type { ProbeResult } from './fixtures/productProbe';
import { benchCacheDir, ensureUsersDatabase } from './fixtures/usersDatabase';

const PAGE_ROWS = 100;
const RUNS = 7;
const PAGE_RUNS = 50;
const WARM_UP_RUNS = 10;
const TABLE = 'users';
const repoRoot = join(__dirname, '..');

/** Issue 11's goals. */
const goals = { firstRowsRatio: 2, countRatio: 3, pageTurnMs: 5, peakRssMb: 150 };

interface Subject {
  readonly label: string;
  readonly path: string;
}

interface CliTiming {
  /** The whole command: process start, open, query, output. */
  readonly wall: number;
  /** What sqlite3's own `.timer` reports for the statements alone. */
  readonly query: number;
}

type Measured<T> = { readonly value: T } | { readonly error: string };

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  return `${code}${error.message}`;
}

async function measure<T>(run: () => Promise<T>): Promise<Measured<T>> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: errorText(error) };
  }
}

async function timeRuns(runs: number, run: () => Promise<void> | void): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

function sqliteCli(path: string, sql: string): CliTiming {
  const started = performance.now();
  const result = spawnSync('sqlite3', ['-readonly', path], { input: `.timer on\n${sql}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  const timers = [...result.stdout.matchAll(/Run Time: real ([\d.]+)/g)].map((match) => Number(match[1]) * 1000);
  if (timers.length === 0) throw new Error('sqlite3 printed no .timer lines');
  return { wall, query: timers.reduce((sum, value) => sum + value, 0) };
}

function sqliteValue(path: string, sql: string): string {
  const result = spawnSync('sqlite3', ['-readonly', path, sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Peak RSS of a command, as GNU time reports it (kilobytes), and its wall time. */
function timedCommand(command: string, args: string[]): { seconds: number; peakRssBytes: number; ok: boolean } {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const [seconds, kilobytes] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? Number.NaN, peakRssBytes: (kilobytes ?? Number.NaN) * 1024, ok: result.status === 0 };
}

function bundleProbe(): string {
  const outfile = join(benchCacheDir, 'probe', 'productProbe.js');
  mkdirSync(join(benchCacheDir, 'probe'), { recursive: true });
  // The options scripts/build.mjs bundles the worker with (jsonc-parser's "main" is a UMD build).
  buildSync({
    entryPoints: [join(__dirname, 'fixtures/productProbe.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Started through GNU time, not from this process: Linux folds the RSS a process had before exec
 * into its peak, and a child forked from this bench would start with the bench's own memory.
 */
function runProbe(probe: string, path: string): ProbeResult {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, probe, path], { encoding: 'utf8' });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const probed = JSON.parse(line) as ProbeResult;
    const kilobytes = Number(result.stderr.trim().split('\n').at(-1));
    return Number.isFinite(kilobytes) ? { ...probed, peakRssBytes: kilobytes * 1024 } : probed;
  } catch {
    return { ok: false, error: `the probe printed no result (exit ${result.status ?? result.signal}): ${result.stderr.trim().slice(0, 300)}`, coldFirstRowsMs: Number.NaN, rows: null, peakRssUsersBytes: Number.NaN, peakRssBytes: Number.NaN };
  }
}

interface SubjectFigures {
  readonly firstRowsFile: Measured<number[]>;
  readonly firstRowsApp: Measured<number[]>;
  readonly count: Measured<number[]>;
  readonly pageTurnByRowid: Measured<number[]>;
  readonly pageTurnSorted: Measured<number[]>;
  readonly photosFirstPage: Measured<number[]> | null;
  /** One run of the grid's open steps, timed one by one. */
  readonly appPhases: Measured<Record<string, number>>;
  readonly cliFirstRows: CliTiming[];
  readonly cliCount: CliTiming[];
  readonly cliPageTurnByRowid: CliTiming[];
  readonly cliPageTurnSorted: CliTiming[];
}

async function measureSubject(subject: Subject): Promise<SubjectFigures> {
  const { path } = subject;
  const rows = Number(sqliteValue(path, `SELECT count(*) FROM "${TABLE}"`));
  const hasPhotos = sqliteValue(path, `SELECT count(*) FROM sqlite_schema WHERE name = 'photos'`) === '1';
  const deepRowid = Math.floor(rows * 0.9);
  const [deepUpdatedAt, deepId] = sqliteValue(path, `SELECT "updatedAt", "id" FROM "${TABLE}" ORDER BY "updatedAt", "id" LIMIT 1 OFFSET ${deepRowid}`).split('|').map(Number);
  const firstRowsSql = `SELECT * FROM "${TABLE}" ORDER BY "id" LIMIT ${PAGE_ROWS};`;
  const countSql = `SELECT count(*) FROM "${TABLE}";`;
  const byRowidSql = `SELECT * FROM "${TABLE}" WHERE "id" > ${deepRowid} ORDER BY "id" LIMIT ${PAGE_ROWS};`;
  const sortedSql = `SELECT * FROM "${TABLE}" WHERE ("updatedAt", "id") > (${deepUpdatedAt}, ${deepId}) ORDER BY "updatedAt", "id" LIMIT ${PAGE_ROWS};`;

  // Untimed passes first: the file in the OS page cache for both sides, and SQLite's wasm past its
  // baseline tier (V8 optimizes hot wasm functions in the background, later on a busy machine).
  sqliteCli(path, countSql);
  await measure(() =>
    timeRuns(WARM_UP_RUNS, async () => {
      const opened = await openDatabaseFile(path);
      try {
        readPage(opened.db, { table: TABLE, limit: PAGE_ROWS });
        countRows(opened.db, TABLE);
      } finally {
        opened.close();
      }
    }),
  );

  const expectPage = (got: number, what: string): void => {
    if (got !== PAGE_ROWS) throw new Error(`${what} has ${got} rows`);
  };
  const firstRowsFile = await measure(() =>
    timeRuns(RUNS, async () => {
      const opened = await openDatabaseFile(path);
      try {
        expectPage(readPage(opened.db, { table: TABLE, limit: PAGE_ROWS }).rows.length, 'the first page');
      } finally {
        opened.close();
      }
    }),
  );
  const firstRowsApp = await measure(() =>
    timeRuns(RUNS, async () => {
      // The database worker's own steps (extension/worker/coreAdapter.ts): the queue's totals follow the first rows.
      const database = await openForBrowsing(path);
      try {
        expectPage(readGridPage(database, { table: TABLE, sort: null, filters: [], after: null, limit: PAGE_ROWS }).rows.length, 'the first page');
      } finally {
        database.close();
      }
    }),
  );
  const count = await measure(() =>
    timeRuns(RUNS, async () => {
      const opened = await openDatabaseFile(path);
      try {
        const counted = countRows(opened.db, TABLE);
        if (counted !== rows) throw new Error(`counted ${counted} rows, sqlite3 ${rows}`);
      } finally {
        opened.close();
      }
    }),
  );
  // Page turns on a database already open, as the grid turns them.
  const turns = async (turn: (db: Awaited<ReturnType<typeof openDatabaseFile>>['db']) => void): Promise<number[]> => {
    const opened = await openDatabaseFile(path);
    try {
      return await timeRuns(PAGE_RUNS, () => turn(opened.db));
    } finally {
      opened.close();
    }
  };
  const pageTurnByRowid = await measure(() => turns((db) => expectPage(readPage(db, { table: TABLE, after: { values: [deepRowid] }, limit: PAGE_ROWS }).rows.length, 'a deep page')));
  const pageTurnSorted = await measure(() =>
    turns((db) =>
      expectPage(
        readPage(db, { table: TABLE, sort: { column: 'updatedAt', direction: 'asc' }, after: { values: [deepUpdatedAt!, deepId!] }, limit: PAGE_ROWS }).rows.length,
        'a deep sorted page',
      ),
    ),
  );
  const photosFirstPage = hasPhotos
    ? await measure(() =>
        timeRuns(RUNS, async () => {
          const opened = await openDatabaseFile(path);
          try {
            expectPage(readPage(opened.db, { table: 'photos', limit: PAGE_ROWS }).rows.length, 'the first photos page');
          } finally {
            opened.close();
          }
        }),
      )
    : null;
  const appPhases = await measure(async () => {
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string): void => {
      phases[name] = performance.now() - mark;
      mark = performance.now();
    };
    const opened = await openDatabaseFile(path);
    try {
      lap('open');
      const schema = readSchema(opened.db);
      lap('schema');
      const roles = detectRoles(opened.db, schema);
      lap('roles');
      readPage(opened.db, { table: TABLE, limit: PAGE_ROWS });
      lap('first page');
      // After the first rows, as the grid asks for the queue's totals.
      if (roles.queue) analyzeQueue(opened.db, roles, { now: Date.now() });
      lap('then queue analysis');
    } finally {
      opened.close();
    }
    return phases;
  });
  return {
    appPhases,
    firstRowsFile,
    firstRowsApp,
    count,
    pageTurnByRowid,
    pageTurnSorted,
    photosFirstPage,
    cliFirstRows: Array.from({ length: RUNS }, () => sqliteCli(path, firstRowsSql)),
    cliCount: Array.from({ length: RUNS }, () => sqliteCli(path, countSql)),
    cliPageTurnByRowid: Array.from({ length: PAGE_RUNS }, () => sqliteCli(path, byRowidSql)),
    cliPageTurnSorted: Array.from({ length: PAGE_RUNS }, () => sqliteCli(path, sortedSql)),
  };
}

/** One table line: SyncLens median, sqlite3 whole command and its ratio, sqlite3's own .timer and its ratio. */
function figureLine(label: string, synclens: Measured<number[]>, cli: CliTiming[]): string {
  const wall = median(cli.map((timing) => timing.wall));
  const query = median(cli.map((timing) => timing.query));
  if ('error' in synclens) return `${label.padEnd(44)} ${'failed'.padStart(10)} ${ms(wall).padStart(10)}   cannot measure: ${synclens.error}`;
  const value = median(synclens.value);
  // sqlite3's .timer has millisecond resolution: below that a ratio would be noise (or infinite).
  const ratio = (base: number): string => (base >= 1 ? `${(value / base).toFixed(2)}x` : 'n/a');
  return [label.padEnd(44), ms(value).padStart(10), ms(wall).padStart(10), ratio(wall).padStart(8), (query >= 1 ? ms(query) : '< 1 ms').padStart(10), ratio(query).padStart(9)].join(' ');
}

function ratioGoal(what: string, synclens: Measured<number[]>, cli: CliTiming[], goal: number): string {
  if ('error' in synclens) return `  ${what}: not measured (${synclens.error}) FAIL`;
  const ratio = median(synclens.value) / median(cli.map((timing) => timing.wall));
  return `  ${what}: ${ratio.toFixed(2)}x (goal <= ${goal}x) ${verdict(ratio <= goal)}`;
}

async function main(): Promise<void> {
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'ignore' });
  const subjects: Subject[] = [
    { label: '157 MB users db', path: ensureUsersDatabase(1_000_000) },
    { label: '2.35 GiB app db with photos', path: ensureAttachmentsDatabase() },
  ];
  const sample: Subject = { label: 'sample app.db', path: join(repoRoot, 'sample-workspace/app.db') };
  const goalLines: string[] = [];
  for (const subject of subjects) {
    console.log(`\n--- ${subject.label}: ${subject.path} (${megabytes(statSync(subject.path).size)})`);
    const figures = await measureSubject(subject);
    console.log(['median of runs'.padEnd(44), 'SyncLens'.padStart(10), 'sqlite3'.padStart(10), 'ratio'.padStart(8), 'sqlite3 Q'.padStart(10), 'ratio Q'.padStart(9)].join(' '));
    console.log(figureLine(`open + first ${PAGE_ROWS} rows (${RUNS} runs)`, figures.firstRowsFile, figures.cliFirstRows));
    console.log(figureLine(`  as the grid: openForBrowsing + ${PAGE_ROWS} rows`, figures.firstRowsApp, figures.cliFirstRows));
    console.log(figureLine(`open + exact count (${RUNS} runs)`, figures.count, figures.cliCount));
    console.log(figureLine(`page turn 90% deep by rowid (${PAGE_RUNS} runs)`, figures.pageTurnByRowid, figures.cliPageTurnByRowid));
    console.log(figureLine(`page turn 90% deep by updatedAt (${PAGE_RUNS})`, figures.pageTurnSorted, figures.cliPageTurnSorted));
    const phases = figures.appPhases;
    console.log(
      `  the grid's open steps, one run: ${'error' in phases ? `failed: ${phases.error}` : Object.entries(phases.value).map(([name, value]) => `${name} ${ms(value)}`).join(', ')}`,
    );
    if (figures.photosFirstPage) {
      const photos = figures.photosFirstPage;
      console.log(`${'open + first 100 photos (512 KiB BLOBs)'.padEnd(44)} ${('error' in photos ? 'failed' : ms(median(photos.value))).padStart(10)}${'error' in photos ? `   ${photos.error}` : ''}`);
    }
    goalLines.push(`${subject.label}:`);
    goalLines.push(ratioGoal(`first ${PAGE_ROWS} rows vs sqlite3`, figures.firstRowsFile, figures.cliFirstRows, goals.firstRowsRatio));
    goalLines.push(ratioGoal(`first ${PAGE_ROWS} rows as the grid opens (openForBrowsing) vs sqlite3`, figures.firstRowsApp, figures.cliFirstRows, goals.firstRowsRatio));
    goalLines.push(ratioGoal('exact count vs sqlite3', figures.count, figures.cliCount, goals.countRatio));
    const turns = [figures.pageTurnByRowid, figures.pageTurnSorted];
    const failedTurn = turns.find((turn) => 'error' in turn);
    if (failedTurn && 'error' in failedTurn) goalLines.push(`  keyset page turn deep in the table: not measured (${failedTurn.error}) FAIL`);
    else {
      const slowest = Math.max(...turns.map((turn) => ('value' in turn ? median(turn.value) : Number.NaN)));
      goalLines.push(`  keyset page turn deep in the table (slower of rowid / updatedAt): ${ms(slowest)} (goal < ${goals.pageTurnMs} ms) ${verdict(slowest < goals.pageTurnMs)}`);
    }
  }

  console.log('\n--- peak RSS, each database browsed by a process of its own (bundled probe: open as the grid, 100 rows, count, page turns, photos page)');
  const probe = bundleProbe();
  goalLines.push('peak RSS (goal < 150 MB at any size):');
  for (const subject of [sample, ...subjects]) {
    const result = runProbe(probe, subject.path);
    const rss = `${megabytes(result.peakRssBytes)} (users steps alone ${megabytes(result.peakRssUsersBytes)})`;
    console.log(`${subject.label.padEnd(30)} ${result.ok ? `peak RSS ${rss}, cold first rows ${ms(result.coldFirstRowsMs)}` : `FAILED: ${result.error} (peak RSS ${megabytes(result.peakRssBytes)})`}`);
    const measured = result.ok ? `${megabytes(result.peakRssBytes)} ${verdict(result.peakRssBytes < goals.peakRssMb * 1024 * 1024)}` : `not measured (${result.error}) FAIL`;
    goalLines.push(`  ${subject.label}: ${measured}`);
  }
  const cliRss = timedCommand('sqlite3', ['-readonly', subjects[1]!.path, `SELECT count(*) FROM "${TABLE}"; SELECT * FROM "${TABLE}" LIMIT ${PAGE_ROWS};`]);
  console.log(`${'sqlite3 (count + 100 rows, 2.35 GiB db)'.padEnd(30)} peak RSS ${megabytes(cliRss.peakRssBytes)}`);

  console.log('\n--- synclens inspect (dist/cli.js; exact counts of every table), wall time and peak RSS');
  for (const subject of [sample, ...subjects]) {
    const inspect = timedCommand(process.execPath, [join(repoRoot, 'dist/cli.js'), 'inspect', subject.path, '--json']);
    console.log(`${subject.label.padEnd(30)} ${inspect.ok ? '' : 'FAILED '}${inspect.seconds.toFixed(2)} s, peak RSS ${megabytes(inspect.peakRssBytes)}`);
  }

  console.log('\n--- goals (ratios from this run)');
  for (const line of goalLines) console.log(line);
  console.log('');
  console.log('sqlite3: the whole command (process start + open + query + output, as a user runs it); sqlite3 Q: its own .timer for the statements alone.');
  console.log('SyncLens open rows include opening the file each run (the engine is loaded once per process, as in the worker); page turns run on an open database.');
  console.log(`load average while running: ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
