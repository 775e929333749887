// A process that writes a database back and dies midway, as a crash or a power cut would stop it:
//   node --import tsx writeBackCrashChild.ts <db> <step>
// It opens <db> with its -wal, changes one row of `notes`, and writes it back (allowLive). Just before
// the <step>-th change that write makes to the folder (a file copied, renamed, removed or opened for
// writing) it kills itself with SIGKILL: no handler, no cleanup runs. Step 0 lets the write finish
// and prints how many such changes it made.
import fsPromises from 'node:fs/promises';
import { openDatabaseFile } from '../../core/db/open';
import { writeDatabaseAtomically } from '../../core/db/writeBack';

const [db = '', step = '0'] = process.argv.slice(2);
const killAt = Number(step);
let changes = 0;

type AnyFunction = (...args: unknown[]) => Promise<unknown>;
const patched = fsPromises as unknown as Record<string, AnyFunction>;
for (const name of ['copyFile', 'rename', 'unlink', 'open']) {
  const original = patched[name] as AnyFunction;
  patched[name] = (...args: unknown[]) => {
    const writes = name !== 'open' || /[wa+]/.test(String(args[1] ?? 'r'));
    if (writes) {
      changes += 1;
      if (changes === killAt) process.kill(process.pid, 'SIGKILL');
    }
    return original(...args);
  };
}

async function main(): Promise<void> {
  const opened = await openDatabaseFile(db);
  opened.db.exec("UPDATE notes SET body = 'changed' WHERE id = 1");
  await writeDatabaseAtomically(opened, { allowLive: true, keepBackups: 5 });
  opened.close();
  process.stdout.write(`${changes}\n`);
}

void main();
