import { RpcError } from '../core/protocol/rpc';

/** What the editor area says for a file SyncLens cannot show: a title and the core's one-line message plus what to do. */
export interface FileProblem {
  code: string;
  title: string;
  message: string;
}

const titles: Record<string, { title: string; advice: string }> = {
  empty: { title: 'This file is empty', advice: 'Copy the database off the device again; the app may not have written it yet.' },
  'not-sqlite': { title: 'This is not a SQLite database', advice: 'Open the SQLite file the app writes (often app.db or *.sqlite).' },
  encrypted: { title: 'This database looks encrypted', advice: 'SQLCipher databases cannot be read without their key; export a decrypted copy first.' },
  mdbx: { title: 'This is an Isar (MDBX) database', advice: 'SyncLens reads SQLite files only; use Isar 4 with its SQLite engine, or Isar Inspector.' },
  truncated: { title: 'This database is truncated', advice: 'The copy is shorter than SQLite says it should be; copy it again once the app has closed it.' },
  corrupt: { title: 'This database is corrupt', advice: 'SQLite\'s quick_check failed; try `sqlite3 file ".recover"` on a copy.' },
  unreadable: { title: 'This file cannot be read', advice: 'Check that it exists and that VS Code may read it.' },
  'too-large': { title: 'This database is too large to open', advice: 'The limit is the setting "synclens.maxFileSizeMB".' },
};

export function describeFileProblem(error: unknown): FileProblem {
  const code = error instanceof RpcError && error.code ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  const known = titles[code];
  if (known) return { code, title: known.title, message: `${message} ${known.advice}` };
  return { code: 'internal', title: 'SyncLens could not open this database', message: `${firstLine(message)} See "SyncLens: Show Log" for details.` };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
