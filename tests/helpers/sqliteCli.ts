import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs SQL through the real `sqlite3` CLI against a file: fixtures are never faked. */
export function sqlite3(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', ['-bail', dbPath], { input: sql, encoding: 'utf8' });
}

/** Rows of a query as the real `sqlite3` CLI's -json mode gives them (integers beyond 2^53 lose precision). */
export function sqlite3Json(dbPath: string, sql: string): Record<string, string | number | null>[] {
  const output = execFileSync('sqlite3', ['-bail', '-json', dbPath], { input: sql, encoding: 'utf8' }).trim();
  // The CLI prints nothing at all, not [], for a query without rows.
  return output === '' ? [] : (JSON.parse(output) as Record<string, string | number | null>[]);
}

/** A scratch folder removed by the returned cleanup. */
export function scratchDir(prefix = 'synclens-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sha256OfFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
