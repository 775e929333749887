// A plan of the Firestore SDK's pending writes against the target, the emulator or a real project:
// the documents they name read with documents:batchGet (restDocuments.ts), then every write
// classified in send order (plan.ts). Used by `synclens plan` and by the Sync Queue view's Plan (the
// sync worker).
import type { AnalyzedOperation } from '../../db/types';
import { CodedError } from '../../errors';
import { connectFirestore, describeTarget, type FirestoreConnection, type FirestoreTarget } from '../../firestore/client';
import { planSdkWrites, sdkWritePath, type SdkPlannedWrite } from './plan';
import { projectRestEndpoint, type FirestoreRestEndpoint } from '../../firestore/restRequests';
import { readRestDocuments } from './restDocuments';
import { parseFirestoreSdkFileName } from './source';

export interface SdkQueuePlan {
  readonly endpoint: FirestoreRestEndpoint;
  readonly planned: SdkPlannedWrite[];
  /** Documents read from the target. */
  readonly remoteReads: number;
}

export interface SdkPlanEndpointOptions {
  /** A connection to the target the caller keeps open (the sync worker's): its signed-in user is used. Default: a fresh one, closed after. */
  sharedConnection?: () => Promise<FirestoreConnection>;
  /** Where a real project's REST API is; only tests change it (to the emulator, whose rules then apply). */
  restBaseUrl?: string;
}

/**
 * Where a cache file's writes are checked, in the project and database the file is named for
 * (`firestore.<key>.<project>.<database>`; the writes name them too). The emulator is read as its
 * admin ("Bearer owner": its rules do not hide documents from a plan). A real project is read as the
 * user the target signs in (connectFirestore, as the table plan signs in), so its security rules
 * apply; its project must be the file's, since the writes are that project's.
 */
export async function sdkPlanEndpoint(target: FirestoreTarget, fileName: string, options: SdkPlanEndpointOptions = {}): Promise<FirestoreRestEndpoint> {
  const named = parseFirestoreSdkFileName(fileName);
  const databaseId = named?.databaseId ?? '(default)';
  if (target.kind === 'emulator') {
    const projectId = named?.projectId ?? target.projectId;
    return {
      baseUrl: `http://${target.host}:${target.port}`,
      bearer: 'owner',
      projectId,
      databaseId,
      label: `the Firestore emulator at ${target.host}:${target.port} (project ${projectId})`,
    };
  }
  const projectId = target.webConfig.projectId;
  if (named && named.projectId !== projectId) {
    throw new CodedError('bad-option', `this is the cache of project ${named.projectId}, but the target is ${describeTarget(target)}: plan it against project ${named.projectId}`);
  }
  if (options.sharedConnection) return projectRestEndpoint(projectId, databaseId, await (await options.sharedConnection()).idToken(), options.restBaseUrl);
  const connection = await connectFirestore(target);
  try {
    return projectRestEndpoint(projectId, databaseId, await connection.idToken(), options.restBaseUrl);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export async function planSdkQueue(ops: readonly AnalyzedOperation[], endpoint: FirestoreRestEndpoint): Promise<SdkQueuePlan> {
  const paths = [...new Set(ops.map(sdkWritePath))];
  const remote = await readRestDocuments(endpoint, paths);
  return { endpoint, planned: planSdkWrites(ops, remote), remoteReads: paths.length };
}
