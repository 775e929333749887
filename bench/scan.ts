// The secrets scan (core/scan/scanDatabase.ts) over the 1,000,000-row users database
// (bench/fixtures/usersDatabase.ts, cached in .bench/), in a bundled process of its own
// (bench/fixtures/scanProbe.ts) whose peak RSS GNU time measures, beside the sqlite3 CLI reading
// every row of the same table in the same run (the floor: the native reader, no detection at all).
// Prints rows/s, the ratio to sqlite3 and peak RSS; asserts nothing.
//
//   npm run bench -- scan
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import type { ScanProbeResult } from './fixtures/scanProbe';
import { benchCacheDir, ensureUsersDatabase } from './fixtures/usersDatabase';

const ROWS = 1_000_000;
const RUNS = 3;

function bundleProbe(): string {
  const outfile = join(benchCacheDir, 'probe', 'scanProbe.js');
  mkdirSync(join(benchCacheDir, 'probe'), { recursive: true });
  buildSync({ entryPoints: [join(__dirname, 'fixtures/scanProbe.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'error' });
  return outfile;
}

function runProbe(probe: string, path: string): ScanProbeResult & { wallMs: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, probe, path], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) throw new Error(`the scan probe failed (exit ${result.status}): ${result.stderr.slice(0, 400)}`);
  const probed = JSON.parse(line) as ScanProbeResult;
  const kilobytes = Number(result.stderr.trim().split('\n').at(-1));
  return { ...probed, peakRssBytes: Number.isFinite(kilobytes) ? kilobytes * 1024 : probed.peakRssBytes, wallMs };
}

function sqliteReadAll(path: string): number {
  const started = performance.now();
  const result = spawnSync('sqlite3', ['-readonly', path, 'SELECT * FROM users'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${String(result.stderr)}`);
  return performance.now() - started;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function main(): void {
  const path = ensureUsersDatabase(ROWS);
  const probe = bundleProbe();
  const scans: Array<ScanProbeResult & { wallMs: number }> = [];
  const natives: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    scans.push(runProbe(probe, path));
    natives.push(sqliteReadAll(path));
  }
  const scanMs = median(scans.map((scan) => scan.scanMs));
  const wallMs = median(scans.map((scan) => scan.wallMs));
  const nativeMs = median(natives);
  const last = scans.at(-1)!;
  console.log(`database: ${path} (${ROWS.toLocaleString('en')} users, 10 columns, JSON settings)`);
  console.log(`scan: ${last.rows.toLocaleString('en')} rows in ${(scanMs / 1000).toFixed(1)} s (median of ${RUNS}; process wall ${(wallMs / 1000).toFixed(1)} s) = ${Math.round(last.rows / (scanMs / 1000)).toLocaleString('en')} rows/s`);
  console.log(`findings: ${last.counted.toLocaleString('en')} counted (every email, info), ${last.findings} listed`);
  console.log(`sqlite3 CLI reading every row (SELECT * to /dev/null): ${(nativeMs / 1000).toFixed(1)} s; scan / sqlite3 = ${(scanMs / nativeMs).toFixed(2)}x`);
  console.log(`peak RSS of the scan process: ${megabytes(Math.max(...scans.map((scan) => scan.peakRssBytes)))}`);
}

main();
