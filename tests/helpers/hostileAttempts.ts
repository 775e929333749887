// Reads and write-backs of hostile files, run in a process of their own: a FIFO opened for reading
// blocks the whole thread, so only a test that can kill this process (execFile's timeout) can tell
// a hang from an answer. Prints one JSON line per attempt as it ends, so the lines before a hang
// say which attempts finished.
//
// Usage: node --import tsx hostileAttempts.ts '<JSON HostileAttempt[]>'
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
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
}

export interface AttemptOutcome {
  name: string;
  outcome: 'read' | 'written' | 'refused';
  errorName?: string;
  code?: string;
  message?: string;
}

export function makeHostileFile(path: string, file: HostileFile): void {
  rmSync(path, { force: true });
  if (file.kind === 'fifo') execFileSync('mkfifo', [path]);
  else if (file.kind === 'folder') mkdirSync(path);
  else symlinkSync(file.target, path);
}

async function attempt(hostile: HostileAttempt): Promise<AttemptOutcome> {
  try {
    const opened = await openDatabaseFile(hostile.database);
    try {
      opened.read((db) => db.exec('SELECT count(*) FROM sqlite_schema'));
      if (hostile.action === 'read') return { name: hostile.name, outcome: 'read' };
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

async function main(): Promise<void> {
  const attempts = JSON.parse(process.argv[2] ?? '[]') as HostileAttempt[];
  for (const hostile of attempts) process.stdout.write(`${JSON.stringify(await attempt(hostile))}\n`);
}

if (require.main === module) void main();
