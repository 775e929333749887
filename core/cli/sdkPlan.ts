// `synclens plan <firestore.…>` on the Firestore Android SDK's own cache: each pending write checked
// against the target the table plan would use, the emulator or a real project signed in as the
// synclens.json's user (core/queue/firestoreSdk/remotePlan.ts). Writes nothing, and SyncLens never
// sends these writes: the SDK does when the app is online. `--json` gives synclens.firestore-sdk-plan/1
// (schemas/cli-output.schema.json sdkPlan): the table plan's shape where it fits (target, operations
// with op / collection / classification / reason / remote / document, totals, remoteReads), with the
// SDK's own classifications and each write's path, kind, batch and user.
import { basename } from 'node:path';
import { openAppDatabase } from '../db/appDatabase';
import { toJsonObject } from '../engine/taggedValues';
import { CodedError, errorMessage } from '../errors';
import { firestoreTargetOf } from '../config/target';
import { NoTargetError } from '../engine/openEngine';
import { planSdkQueue, sdkPlanEndpoint } from '../queue/firestoreSdk/remotePlan';
import { sdkPlanTotals, type SdkPlanClassification, type SdkPlannedWrite } from '../queue/firestoreSdk/plan';
import { firestoreSdkReadOnlyReason } from '../queue/firestoreSdk/source';
import type { JsonObject } from '../protocol/taggedValues';
import { operationJson, type QueuedOperationJson, type TargetJson } from './jsonResults';
import { CliInputError, describeFailure, ExitCode, printable, writeFailure, writeResult, writeText } from './output';
import { targetFromOptions, type CommonOptions } from './syncOptions';

export interface SdkPlannedWriteJson {
  op: QueuedOperationJson;
  /** The collection path (`posts`, `users/u1/notes`). */
  collection: string;
  path: string;
  write: string;
  batchId: number | null;
  user: string | null;
  classification: SdkPlanClassification;
  reason: string;
  remote: { fields: JsonObject; updateTime: string | null } | null;
  document: JsonObject | null;
}

export interface SdkPlanJson {
  target: TargetJson;
  readOnlyReason: string;
  operations: SdkPlannedWriteJson[];
  totals: Record<SdkPlanClassification, number>;
  remoteReads: number;
}

function plannedWriteJson(entry: SdkPlannedWrite): SdkPlannedWriteJson {
  const facts = entry.op.facts ?? {};
  return {
    op: operationJson(entry.op),
    collection: entry.op.entityType,
    path: entry.path,
    write: String(facts['write'] ?? entry.op.operation),
    batchId: typeof facts['batchId'] === 'number' ? facts['batchId'] : null,
    user: typeof facts['user'] === 'string' ? facts['user'] : null,
    classification: entry.classification,
    reason: entry.reason,
    remote: entry.remote ? { fields: toJsonObject(entry.remote.fields), updateTime: entry.remote.updateTime === null ? null : new Date(entry.remote.updateTime).toISOString() } : null,
    document: entry.op.facts?.['write'] === 'delete' || entry.op.payload === null ? null : toJsonObject(entry.op.payload),
  };
}

/** False when the file is not a Firestore SDK cache (the engine's plan runs instead). */
export async function planIfFirestoreSdkCache(file: string, options: CommonOptions): Promise<boolean> {
  // A file that does not open (or a bad synclens.json) is left to the engine's plan, which reports it.
  const app = await openAppDatabase(file).catch(() => null);
  if (!app) return false;
  try {
    if (app.queue?.kind !== 'firestore-sdk') return false;
    try {
      // The table plan's target: the flags, else synclens.json's firestore (a project's password from the environment).
      const target = targetFromOptions(options) ?? firestoreTargetOf(app.config?.config ?? null);
      if (!target) throw new NoTargetError('no Firestore target: pass --emulator host:port (and --project), or add "firestore" to synclens.json');
      const plan = await planSdkQueue(app.queue.operations, await sdkPlanEndpoint(target, basename(file)));
      const totals = sdkPlanTotals(plan.planned);
      if (options.json) {
        const result: SdkPlanJson = {
          target: target.kind === 'emulator'
            ? { kind: 'emulator', host: target.host, port: target.port, projectId: plan.endpoint.projectId }
            : { kind: 'project', projectId: plan.endpoint.projectId },
          readOnlyReason: firestoreSdkReadOnlyReason,
          operations: plan.planned.map(plannedWriteJson),
          totals,
          remoteReads: plan.remoteReads,
        };
        writeResult('sdkPlan', result);
      } else {
        const lines = plan.planned.map((entry) => `#${entry.op.id} batch ${String(entry.op.facts?.['batchId'] ?? '?')} ${String(entry.op.facts?.['write'] ?? entry.op.operation)} ${printable(entry.path)}: ${entry.classification}: ${printable(entry.reason)}`);
        const summary = Object.entries(totals).filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`).join(', ');
        writeText(`${lines.join('\n')}${lines.length ? '\n' : ''}plan: ${plan.planned.length} pending Firestore SDK writes in send order: ${summary || 'none'} (read-only: the SDK sends them, SyncLens never writes this file)\n`);
      }
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
