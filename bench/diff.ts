// The diff of two 1,000,000-row databases (core/diff/diffDatabases.ts) with 1% of their rows
// changed (8,000 updated, 1,000 deleted, 1,000 inserted), in a bundled process of its own
// (bench/fixtures/diffProbe.ts) whose peak RSS GNU time measures, against the sqlite3 CLI doing the
// same in the same run: ATTACH the second file and count `EXCEPT` both ways. Both databases are
// written by sqlite3 and cached in .bench/. Prints the ratio and RSS against issue 16's goals
// (<= 2x sqlite3, < 200 MB); asserts nothing.
//
//   npm run bench -- diff
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import type { DiffProbeResult } from './fixtures/diffProbe';
import { benchCacheDir, ensureUsersDatabase } from './fixtures/usersDatabase';

const ROWS = 1_000_000;
const RUNS = 3;
const goals = { ratio: 2, peakRssMb: 200 };

/** The users database with 1% of its rows changed, cached beside it. */
function ensureChangedCopy(original: string): string {
  const path = join(benchCacheDir, `users-${ROWS}-1pct-changed.db`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  copyFileSync(original, partial);
  execFileSync('sqlite3', ['-bail', partial], {
    input: `BEGIN;
UPDATE users SET name = name || ' (edited)', version = version + 1 WHERE id % 125 = 0;
DELETE FROM users WHERE id % 1000 = 7;
INSERT INTO users SELECT id + ${ROWS}, odid || 'x', email, name, createdAt, updatedAt, isSynced, isDeleted, version, settings FROM users WHERE id % 1000 = 1;
COMMIT;`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  renameSync(partial, path);
  return path;
}

function bundleProbe(): string {
  const outfile = join(benchCacheDir, 'probe', 'diffProbe.js');
  mkdirSync(join(benchCacheDir, 'probe'), { recursive: true });
  buildSync({ entryPoints: [join(__dirname, 'fixtures/diffProbe.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'error' });
  return outfile;
}

function runProbe(probe: string, before: string, after: string): DiffProbeResult & { wallMs: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, probe, before, after], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) throw new Error(`the diff probe failed (exit ${result.status}): ${result.stderr.slice(0, 400)}`);
  const probed = JSON.parse(line) as DiffProbeResult;
  const kilobytes = Number(result.stderr.trim().split('\n').at(-1));
  return { ...probed, peakRssBytes: Number.isFinite(kilobytes) ? kilobytes * 1024 : probed.peakRssBytes, wallMs };
}

function sqliteExcept(before: string, after: string): { ms: number; counts: string } {
  const started = performance.now();
  const result = spawnSync('sqlite3', ['-readonly', before], {
    input: `ATTACH '${after.replaceAll("'", "''")}' AS other;
SELECT count(*) FROM (SELECT * FROM main.users EXCEPT SELECT * FROM other.users);
SELECT count(*) FROM (SELECT * FROM other.users EXCEPT SELECT * FROM main.users);`,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  return { ms: performance.now() - started, counts: result.stdout.trim().split('\n').join(' / ') };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

function main(): void {
  const before = ensureUsersDatabase(ROWS);
  const after = ensureChangedCopy(before);
  const probe = bundleProbe();
  const ours: Array<DiffProbeResult & { wallMs: number }> = [];
  const native: Array<{ ms: number; counts: string }> = [];
  for (let run = 0; run < RUNS; run++) {
    ours.push(runProbe(probe, before, after));
    native.push(sqliteExcept(before, after));
  }
  const last = ours.at(-1)!;
  const oursMs = median(ours.map((run) => run.wallMs));
  const nativeMs = median(native.map((run) => run.ms));
  const peak = Math.max(...ours.map((run) => run.peakRssBytes));
  const ratio = oursMs / nativeMs;
  console.log(`databases: ${before} and ${after} (${ROWS.toLocaleString('en')} users each, 1% of rows changed)`);
  console.log(`synclens diff: +${last.added} -${last.removed} ~${last.changed} (${last.unchanged.toLocaleString('en')} unchanged) in ${(oursMs / 1000).toFixed(1)} s process wall (diff itself ${(median(ours.map((run) => run.diffMs)) / 1000).toFixed(1)} s; median of ${RUNS})`);
  console.log(`sqlite3 ATTACH + EXCEPT both ways: rows only in one side ${native.at(-1)!.counts} in ${(nativeMs / 1000).toFixed(1)} s`);
  console.log(`ratio synclens / sqlite3: ${ratio.toFixed(2)}x (goal <= ${goals.ratio}x) ${verdict(ratio <= goals.ratio)}`);
  console.log(`peak RSS of the diff process: ${megabytes(peak)} (goal < ${goals.peakRssMb} MB) ${verdict(peak < goals.peakRssMb * 1024 * 1024)}`);
}

main();
