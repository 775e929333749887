// Reads and write-backs of hostile files, run in a process of their own: a FIFO opened for reading
// blocks the whole thread, so only a test that can kill this process (execFile's timeout) can tell
// a hang from an answer. Prints one JSON line per attempt as it ends, so the lines before a hang
// say which attempts finished.
//
// Usage: node --import tsx hostileAttempts.ts '<JSON HostileAttempt[]>'
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import { DatabaseFileError } from '../../core/db/errors';
import { openDatabaseFile } from '../../core/db/open';
import { DatabaseWriteError, writeDatabaseAtomically } from '../../core/db/writeBack';

export type HostileFile = { kind: 'fifo' } | { kind: 'folder' } | { kind: 'symlink'; target: string };

export interface HostileAttempt {
  name: string;
  /** read: open and query `database`; write: open it, put `hostile` in place, then write back. */
  action: 'read' | 'write';
  database: string;
  /** write only: what replaces `path` (the database or a sidecar) between the read and the write-back. */
  hostile?: { path: string; file: HostileFile };
  /** read only: a query whose rows the outcome reports (cells joined by |, rows by newlines). */
  query?: string;
}

export interface AttemptOutcome {
  name: string;
  outcome: 'read' | 'written' | 'refused';
  errorName?: string;
  code?: string;
  message?: string;
  /** read: the query's rows, the database's size and what the sidecars gave. */
  rows?: string;
  pageCount?: number;
  /** The size our VFS gives SQLite (xFileSize). */
  snapshotSize?: number;
  walFramesApplied?: number;
  journalHot?: boolean;
  /** Growth of the process's RSS and ArrayBuffer memory over the attempt, in bytes. */
  rssGrowth?: number;
  arrayBufferGrowth?: number;
}

export function makeHostileFile(path: string, file: HostileFile): void {
  rmSync(path, { force: true });
  if (file.kind === 'fifo') execFileSync('mkfifo', [path]);
  else if (file.kind === 'folder') mkdirSync(path);
  else symlinkSync(file.target, path);
}

async function attempt(hostile: HostileAttempt): Promise<AttemptOutcome> {
  const memoryBefore = process.memoryUsage();
  try {
    const opened = await openDatabaseFile(hostile.database);
    try {
      const rows = opened.read((db) => db.exec(hostile.query ?? 'SELECT count(*) FROM sqlite_schema'));
      if (hostile.action === 'read') {
        const pageCount = Number(opened.read((db) => db.exec('PRAGMA page_count'))[0]?.values[0]?.[0]);
        const memoryAfter = process.memoryUsage();
        return {
          name: hostile.name,
          outcome: 'read',
          rows: rows.flatMap((result) => result.values.map((row) => row.join('|'))).join('\n'),
          pageCount,
          snapshotSize: opened.snapshot.size,
          walFramesApplied: opened.walFramesApplied,
          journalHot: opened.journal?.hot ?? false,
          rssGrowth: memoryAfter.rss - memoryBefore.rss,
          arrayBufferGrowth: memoryAfter.arrayBuffers - memoryBefore.arrayBuffers,
        };
      }
      opened.db.run('CREATE TABLE written_by_synclens(x)');
      if (hostile.hostile) makeHostileFile(hostile.hostile.path, hostile.hostile.file);
      await writeDatabaseAtomically(opened, { allowLive: true });
      return { name: hostile.name, outcome: 'written' };
    } finally {
      opened.close();
    }
  } catch (error) {
    if (error instanceof DatabaseFileError || error instanceof DatabaseWriteError) {
      return { name: hostile.name, outcome: 'refused', errorName: error.name, code: error.code, message: error.message };
    }
    return { name: hostile.name, outcome: 'refused', errorName: error instanceof Error ? error.name : typeof error, message: String(error) };
  }
}

/** Far more than the attempts need (well under a second each); a blocked one is killed at this. */
const childTimeoutMs = 60_000;

/** Runs `attempts` in a child process of their own; fails naming the attempt that hung. */
export async function runAttemptsInChild(attempts: readonly HostileAttempt[]): Promise<Map<string, AttemptOutcome>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', __filename, JSON.stringify(attempts)], {
    timeout: childTimeoutMs,
    killSignal: 'SIGKILL',
  }).catch((error: { killed?: boolean; stdout?: string; stderr?: string }) => {
    const finished = (error.stdout ?? '').trim().split('\n').filter(Boolean).length;
    throw new Error(`${error.killed ? `hung: killed after ${childTimeoutMs} ms in "${attempts[finished]?.name}"` : 'the attempts failed'}\n${error.stderr ?? ''}`);
  });
  const outcomes = new Map<string, AttemptOutcome>();
  for (const line of stdout.trim().split('\n')) {
    const outcome = JSON.parse(line) as AttemptOutcome;
    outcomes.set(outcome.name, outcome);
  }
  return outcomes;
}

async function main(): Promise<void> {
  const attempts = JSON.parse(process.argv[2] ?? '[]') as HostileAttempt[];
  for (const hostile of attempts) process.stdout.write(`${JSON.stringify(await attempt(hostile))}\n`);
}

if (require.main === module) void main();
