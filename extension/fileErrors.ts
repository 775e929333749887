import { errorCode, errorMessage } from '../core/errors';

/** What the editor area says for a file SyncLens cannot show: a title and core's one-line message. */
export interface FileProblem {
  code: string;
  title: string;
  message: string;
}

/** A title per DatabaseFileError code (and 'config'); core's message already says what the file is and what to do. */
const titles: Record<string, string> = {
  empty: 'This file is empty',
  'not-sqlite': 'This is not a SQLite database',
  encrypted: 'This database looks encrypted',
  'wrong-key': 'The key does not open this database',
  mdbx: 'This is an Isar (MDBX) database',
  truncated: 'This database is truncated',
  corrupt: 'This database is corrupt',
  unreadable: 'This file cannot be read',
  changing: 'This database is changing while it is read',
  changed: 'This database changed while it was read',
  config: 'synclens.json has a problem',
};

export function describeFileProblem(error: unknown): FileProblem {
  const code: string = errorCode(error) ?? 'internal';
  const message = errorMessage(error);
  const title = titles[code];
  if (title) return { code, title, message };
  return { code: 'internal', title: 'SyncLens could not open this database', message: `${firstLine(message)} See "SyncLens: Show Log" for details.` };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
