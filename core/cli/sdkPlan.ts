// `synclens plan <firestore.…>` on the Firestore Android SDK's own cache: each pending write checked
// against the emulator (core/queue/firestoreSdk/plan.ts). Writes nothing, and SyncLens never sends
// these writes: the SDK does when the app is online. --json is not offered for this plan yet.
import { basename } from 'node:path';
import { openAppDatabase } from '../db/appDatabase';
import { CodedError, errorMessage } from '../errors';
import { readEmulatorDocuments } from '../queue/firestoreSdk/emulatorDocuments';
import { planSdkWrites } from '../queue/firestoreSdk/plan';
import { parseFirestoreSdkFileName } from '../queue/firestoreSdk/source';
import { CliInputError, describeFailure, ExitCode, printable, writeFailure, writeText } from './output';
import type { CommonOptions } from './syncOptions';

/** False when the file is not a Firestore SDK cache (the engine's plan runs instead). */
export async function planIfFirestoreSdkCache(file: string, options: CommonOptions): Promise<boolean> {
  const app = await openAppDatabase(file, { config: 'none' }).catch(() => null);
  if (!app) return false;
  try {
    if (app.queue?.kind !== 'firestore-sdk') return false;
    try {
      if (options.json) throw new CliInputError('bad-option', '--json is not available for a Firestore SDK cache plan yet: the text plan lists each write');
      const hostPort = options.emulator ?? process.env.FIRESTORE_EMULATOR_HOST;
      const match = hostPort ? /^([^:]+):(\d{1,5})$/.exec(hostPort.trim()) : null;
      if (!match) throw new CliInputError('bad-option', 'a Firestore SDK cache is planned against the emulator: pass --emulator host:port (or set FIRESTORE_EMULATOR_HOST)');
      const named = parseFirestoreSdkFileName(basename(file));
      const projectId = options.project ?? named?.projectId;
      if (!projectId) throw new CliInputError('bad-option', 'pass --project: the file name does not name the project (firestore.<key>.<project>.<database>)');
      const ops = app.queue.operations;
      const remote = await readEmulatorDocuments(
        { host: match[1]!, port: Number(match[2]), projectId, databaseId: named?.databaseId },
        ops.map((op) => String(op.facts?.['path'] ?? `${op.entityType}/${op.entityId}`)),
      );
      const planned = planSdkWrites(ops, remote);
      const lines = planned.map((entry) => `#${entry.op.id} batch ${String(entry.op.facts?.['batchId'] ?? '?')} ${String(entry.op.facts?.['write'] ?? entry.op.operation)} ${printable(entry.path)}: ${entry.classification}: ${printable(entry.reason)}`);
      const totals = new Map<string, number>();
      for (const entry of planned) totals.set(entry.classification, (totals.get(entry.classification) ?? 0) + 1);
      const summary = [...totals].map(([name, count]) => `${count} ${name}`).join(', ');
      writeText(`${lines.join('\n')}${lines.length ? '\n' : ''}plan: ${planned.length} pending Firestore SDK writes in send order: ${summary || 'none'} (read-only: the SDK sends them, SyncLens never writes this file)\n`);
      process.exitCode = ExitCode.ok;
    } catch (error) {
      const report = error instanceof CodedError && !(error instanceof CliInputError)
        ? { code: error.code, message: errorMessage(error), file, exitCode: ExitCode.badInput }
        : describeFailure(error, file);
      process.exitCode = writeFailure(report, options.json === true);
    }
    return true;
  } finally {
    app.close();
  }
}
