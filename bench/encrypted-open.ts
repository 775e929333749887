// The grid's first 100 rows of the 1,000,000-row users database (bench/fixtures/usersDatabase.ts)
// encrypted with SQLCipher 4, against the same database plain, in the same run, as the database
// worker opens it (extension/worker/coreAdapter.ts openForBrowsing + readGridPage). The encrypted
// copy is the plain file encrypted in place by the native SQLite3 Multiple Ciphers (PRAGMA rekey,
// tests/helpers/encryptedDatabases.ts), cached in .bench/.
// Encrypted figures: with the passphrase, the first open (SQLCipher 4 derives the page key with
// 256,000 rounds of PBKDF2-HMAC-SHA512: core/db/derivedKeys.ts does it once on Node's thread pool)
// and the later ones (a reload after the app wrote: the derived key is remembered); with the raw
// key that derivation gives (x'key salt': what the page path itself costs); and peak RSS of each.
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { copyFileSync, existsSync, openSync, readSync, closeSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setDatabaseKeyLookup, type DatabaseKey } from '../core/db/cipher';
import { openForBrowsing, readGridPage } from '../extension/worker/coreAdapter';
import { encryptInPlace } from '../tests/helpers/encryptedDatabases';
import { benchCacheDir, ensureUsersDatabase } from './fixtures/usersDatabase';

const rows = 1_000_000;
const passphrase = 'bench passphrase';
const runs = 15;
const goal = 2;

function ensureEncryptedCopy(plain: string): string {
  const encrypted = join(benchCacheDir, `users-${rows}.sqlcipher4.db`);
  if (existsSync(encrypted)) return encrypted;
  const partial = `${encrypted}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  copyFileSync(plain, partial);
  encryptInPlace(partial, 'sqlcipher4', passphrase);
  renameSync(partial, encrypted);
  console.log(`encrypted ${encrypted} (SQLCipher 4) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return encrypted;
}

/** SQLCipher 4's page key for `passphrase`: PBKDF2-HMAC-SHA512, 256,000 rounds, the file's first 16 bytes as salt. */
function rawKeyOf(file: string): string {
  const salt = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, salt, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return `x'${pbkdf2Sync(passphrase, salt, 256_000, 32, 'sha512').toString('hex')}${salt.toString('hex')}'`;
}

async function firstRows(path: string, key: DatabaseKey | undefined): Promise<number> {
  // The key comes as it comes to the database worker: from the process's key lookup.
  setDatabaseKeyLookup(() => key);
  const started = performance.now();
  const database = await openForBrowsing(path);
  try {
    const page = readGridPage(database, { table: 'users', sort: null, filters: [], after: null, limit: 100 });
    if (page.rows.length !== 100) throw new Error(`expected 100 rows, got ${page.rows.length}`);
  } finally {
    database.close();
  }
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Medians of each subject's runs, taken in turns (plain, then each encrypted one, again and again)
 * after untimed warm-up turns: V8 tiers SQLite's wasm up over the first passes, and a machine's
 * load changes over the run; neither may favour one subject.
 */
async function timedInTurns(subjects: ReadonlyArray<{ path: string; key: DatabaseKey | undefined }>): Promise<number[]> {
  for (let warm = 0; warm < 10; warm += 1) for (const subject of subjects) await firstRows(subject.path, subject.key);
  const times = subjects.map((): number[] => []);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, subject] of subjects.entries()) times[index]!.push(await firstRows(subject.path, subject.key));
  }
  return times.map(median);
}

/** Peak RSS (GNU time) of a process that only opens `path` as the grid and reads its first 100 rows. */
function peakRssMb(path: string, secret: string | undefined): number {
  const script = `const { openForBrowsing, readGridPage } = require(${JSON.stringify(join(__dirname, '..', 'extension', 'worker', 'coreAdapter'))});
const { setDatabaseKeyLookup } = require(${JSON.stringify(join(__dirname, '..', 'core', 'db', 'cipher'))});
setDatabaseKeyLookup(() => (process.env.BENCH_KEY ? { secret: process.env.BENCH_KEY, cipher: 'sqlcipher4' } : undefined));
(async () => { const d = await openForBrowsing(process.argv[1]); readGridPage(d, { table: 'users', sort: null, filters: [], after: null, limit: 100 }); d.close(); })();`;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--import', 'tsx', '-e', script, path], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_KEY: secret ?? '' },
  });
  if (result.status !== 0) throw new Error(`the RSS probe failed: ${result.stderr.trim().slice(0, 300)}`);
  return Number(result.stderr.trim().split('\n').at(-1)) / 1024;
}

async function main(): Promise<void> {
  const plain = ensureUsersDatabase(rows);
  const encrypted = ensureEncryptedCopy(plain);
  const rawKey = rawKeyOf(encrypted);
  const [plainMs = Number.NaN, rawKeyMs = Number.NaN, autoMs = Number.NaN] = await timedInTurns([
    { path: plain, key: undefined },
    { path: encrypted, key: { secret: rawKey, cipher: 'sqlcipher4' } },
    { path: encrypted, key: { secret: rawKey } },
  ]);
  // The first open with the passphrase derives the page key; the later ones find it derived.
  const passphraseFirstMs = await firstRows(encrypted, { secret: passphrase, cipher: 'sqlcipher4' });
  const passphraseTimes: number[] = [];
  for (let run = 0; run < runs; run += 1) passphraseTimes.push(await firstRows(encrypted, { secret: passphrase, cipher: 'sqlcipher4' }));
  const passphraseMs = median(passphraseTimes);
  console.log(`first 100 rows of users (${rows.toLocaleString('en-US')} rows), as the grid opens it, median of ${runs}:`);
  console.log(`  plain                                   ${plainMs.toFixed(1)} ms`);
  console.log(`  SQLCipher 4, passphrase, first open     ${passphraseFirstMs.toFixed(1)} ms  ratio ${(passphraseFirstMs / plainMs).toFixed(2)}x (one run: PBKDF2, 256,000 rounds)`);
  console.log(`  SQLCipher 4, passphrase, later opens    ${passphraseMs.toFixed(1)} ms  ratio ${(passphraseMs / plainMs).toFixed(2)}x`);
  console.log(`  SQLCipher 4, raw key                    ${rawKeyMs.toFixed(1)} ms  ratio ${(rawKeyMs / plainMs).toFixed(2)}x`);
  console.log(`  SQLCipher 4, raw key, cipher auto       ${autoMs.toFixed(1)} ms  ratio ${(autoMs / plainMs).toFixed(2)}x`);
  console.log(
    `goal first rows encrypted <= ${goal}x plain: raw key ${rawKeyMs / plainMs <= goal ? 'PASS' : 'FAIL'}, passphrase (later opens) ${passphraseMs / plainMs <= goal ? 'PASS' : 'FAIL'}; ` +
      `the first open with a passphrase pays SQLCipher 4's KDF, ${passphraseFirstMs / plainMs <= goal ? 'PASS' : 'FAIL'} (${(passphraseFirstMs / plainMs).toFixed(0)}x)`,
  );
  console.log(`peak RSS of a process opening it as the grid: plain ${peakRssMb(plain, undefined).toFixed(0)} MB, SQLCipher 4 ${peakRssMb(encrypted, passphrase).toFixed(0)} MB`);
}

void main();
