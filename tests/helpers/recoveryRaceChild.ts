// A process that recovers stopped write-backs at the same moments as its siblings
// (tests/unit/db/writeRecoveryRace.test.ts). For each round (a database and a go file) it spins
// until the go file exists, calls recoverInterruptedWriteBack once and prints what it did as one
// JSON line.
import { existsSync } from 'node:fs';
import { recoverInterruptedWriteBack, setWriteRecoveryLog } from '../../core/db/writeRecovery';

const rounds = process.argv.slice(2).map((round) => round.split('\n') as [string, string]);
setWriteRecoveryLog(() => undefined);
process.stdout.write('ready\n');
for (const [database, go] of rounds) {
  const deadline = Date.now() + 60_000;
  // Spinning, not sleeping: the siblings should start within microseconds of one another.
  while (!existsSync(go)) if (Date.now() > deadline) throw new Error(`no go file ${go}`);
  let lines: string[];
  try {
    lines = recoverInterruptedWriteBack(database);
  } catch (error) {
    lines = [`threw: ${error instanceof Error ? error.message : String(error)}`];
  }
  process.stdout.write(`${JSON.stringify(lines)}\n`);
}
