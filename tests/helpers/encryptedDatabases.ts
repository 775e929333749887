// Encrypted database fixtures written by real encryption code, never by SyncLens itself:
// SQLCipher 3 by Debian's `sqlcipher` CLI (3.4.1), SQLCipher 4 and ChaCha20-Poly1305 by the native
// SQLite3 Multiple Ciphers of better-sqlite3-multiple-ciphers (scripts/multipleCiphers.ts, run on
// the set-up's Node 24). Keys travel on stdin, never on a command line.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isMultipleCiphersInstalled, multipleCiphersModule } from '../../scripts/multipleCiphers';
import { installEnv } from '../../scripts/vscode/install';
import { nodeBinary } from '../../scripts/vscode/paths';

export type FixtureCipher = 'sqlcipher3' | 'sqlcipher4' | 'chacha20';

export interface EncryptedFixture {
  cipher: FixtureCipher;
  /** A passphrase, or a raw key x'…'. */
  key: string;
  /** Settings the app changed from the cipher's defaults, as pragmas (`kdf_iter = 64000`), given before the key is used. */
  pragmas?: string[];
  /** What the database holds. */
  sql: string;
  /** Put the database in WAL mode and commit this SQL into the -wal only; then `walCopy` and its -wal are the fixture. */
  walSql?: string;
  walCopy?: string;
}

const writerScript = join(__dirname, 'multipleCiphersWriter.mjs');

/** Writes `file` encrypted as `fixture` says, with the real library for its cipher. */
export function writeEncryptedDatabase(file: string, fixture: EncryptedFixture): void {
  if (fixture.cipher === 'sqlcipher3') {
    writeWithSqlcipherCli(file, fixture);
    return;
  }
  if (!isMultipleCiphersInstalled()) {
    throw new Error('better-sqlite3-multiple-ciphers is not installed in SYNCLENS_CACHE: run `node --import tsx scripts/setup.ts` (npm test does)');
  }
  const job = { module: multipleCiphersModule, file, cipher: fixture.cipher, key: fixture.key, pragmas: fixture.pragmas, sql: fixture.sql, walSql: fixture.walSql, walCopy: fixture.walCopy };
  execFileSync(nodeBinary, [writerScript], { input: JSON.stringify(job), env: installEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Encrypts the plain database `file` where it is, with the native SQLite3 Multiple Ciphers (PRAGMA rekey). */
export function encryptInPlace(file: string, cipher: Exclude<FixtureCipher, 'sqlcipher3'>, key: string): void {
  const job = { module: multipleCiphersModule, file, cipher, key, encryptInPlace: true };
  execFileSync(nodeBinary, [writerScript], { input: JSON.stringify(job), env: installEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
}

/** The rows of each query, read by the native SQLite3 Multiple Ciphers with `key` (SQLCipher 4 or ChaCha20). */
export function multipleCiphersQuery(file: string, cipher: Exclude<FixtureCipher, 'sqlcipher3'>, key: string, queries: string[]): Record<string, unknown>[][] {
  const job = { module: multipleCiphersModule, file, cipher, key, queries };
  const output = execFileSync(nodeBinary, [writerScript], { input: JSON.stringify(job), env: installEnv(), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return JSON.parse(output) as Record<string, unknown>[][];
}

function writeWithSqlcipherCli(file: string, fixture: EncryptedFixture): void {
  const quoted = fixture.key.replaceAll("'", "''");
  const lines = [`PRAGMA key = '${quoted}';`, ...(fixture.pragmas ?? []).map((pragma) => `PRAGMA ${pragma};`)];
  if (fixture.walSql) lines.push('PRAGMA journal_mode=WAL;', 'PRAGMA wal_autocheckpoint=0;');
  lines.push(fixture.sql);
  if (fixture.walSql) {
    if (!fixture.walCopy) throw new Error('walSql needs walCopy');
    lines.push('PRAGMA wal_checkpoint(TRUNCATE);', fixture.walSql, `.shell cp '${file}' '${fixture.walCopy}' && cp '${file}-wal' '${fixture.walCopy}-wal'`);
  }
  execFileSync('sqlcipher', ['-bail', file], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Runs SQL with Debian's sqlcipher CLI on an encrypted file (SQLCipher 3 defaults, or cipher_compatibility for 4). */
export function sqlcipherQuery(file: string, key: string, sql: string, compatibility: 3 | 4 = 3): string {
  const quoted = key.replaceAll("'", "''");
  // SQLCipher 3.4 has no cipher_compatibility pragma: its version 4 defaults are set one by one.
  const settings = compatibility === 4 ? 'PRAGMA cipher_page_size = 4096; PRAGMA kdf_iter = 256000; PRAGMA cipher_hmac_algorithm = HMAC_SHA512; PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;' : '';
  return execFileSync('sqlcipher', ['-bail', file], { input: `PRAGMA key = '${quoted}';\n${settings}\n${sql}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The SQL text of a plain database (the real sqlite3's .dump), to write the same content encrypted. */
export function dumpOf(plainFile: string): string {
  return execFileSync('sqlite3', [plainFile, '.dump'], { encoding: 'utf8' });
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI from source (tsx) in the repository root. SYNCLENS_DB_KEY is cleared unless `env` sets it,
 * so each test names its own key source.
 */
export function runCliFromSource(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const repoRoot = join(__dirname, '..', '..');
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'core', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, SYNCLENS_DB_KEY: undefined, ...env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
